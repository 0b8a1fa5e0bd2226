/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What systemd knows of a unit, for ctrctl's list, status and inspect: one Properties.GetAll("") per unit (every
 * interface's properties in one reply, as `systemctl show` asks), and for many units all the calls sent before
 * the first reply is read, so that 1,000 containers cost about one round trip and not 27,000. */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "macro.h"
#include "string-util.h"
#include "time-util.h"

void unit_info_done(UnitInfo *i) {
        free(i->load_state);
        free(i->active_state);
        free(i->sub_state);
        free(i->description);
        free(i->result);
        free(i->control_group);
        free(i->unit_file_state);
        free(i->fragment_path);
        *i = (UnitInfo) {};
}

static void unit_info_init(UnitInfo *i) {
        *i = (UnitInfo) {
                .memory_current = UINT64_MAX,
                .cpu_usage_nsec = UINT64_MAX,
                .tasks_current = UINT64_MAX,
        };
}

/* The properties taken, by name, with their D-Bus type and where they go. "Result" is the service's or the
 * scope's: a unit has one of the two interfaces. */
static const struct {
        const char *name;
        char type;
        size_t offset;
} unit_info_map[] = {
        { "ActiveEnterTimestamp", 't', offsetof(UnitInfo, active_enter_usec) },
        { "ActiveState",          's', offsetof(UnitInfo, active_state)      },
        { "CPUUsageNSec",         't', offsetof(UnitInfo, cpu_usage_nsec)    },
        { "ControlGroup",         's', offsetof(UnitInfo, control_group)     },
        { "Description",          's', offsetof(UnitInfo, description)       },
        { "ExecMainStatus",       'i', offsetof(UnitInfo, exec_main_status)  },
        { "FragmentPath",         's', offsetof(UnitInfo, fragment_path)     },
        { "LoadState",            's', offsetof(UnitInfo, load_state)        },
        { "MainPID",              'u', offsetof(UnitInfo, main_pid)          },
        { "MemoryCurrent",        't', offsetof(UnitInfo, memory_current)    },
        { "NRestarts",            'u', offsetof(UnitInfo, n_restarts)        },
        { "Result",               's', offsetof(UnitInfo, result)            },
        { "SubState",             's', offsetof(UnitInfo, sub_state)         },
        { "TasksCurrent",         't', offsetof(UnitInfo, tasks_current)     },
        { "UnitFileState",        's', offsetof(UnitInfo, unit_file_state)   },
};

static int property_read(sd_bus_message *m, const char *name, UnitInfo *i) {
        for (size_t k = 0; k < ELEMENTSOF(unit_info_map); k++) {
                const char sig[2] = { unit_info_map[k].type, 0 };
                void *p = (uint8_t *) i + unit_info_map[k].offset;
                const char *s;
                int r;

                if (!streq(name, unit_info_map[k].name))
                        continue;
                r = sd_bus_message_enter_container(m, 'v', sig);
                if (r < 0)
                        return r;
                if (unit_info_map[k].type == 's') {
                        r = sd_bus_message_read_basic(m, 's', &s);
                        if (r >= 0 && free_and_strdup(p, s) < 0)
                                r = -ENOMEM;
                } else
                        r = sd_bus_message_read_basic(m, unit_info_map[k].type, p);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
        return sd_bus_message_skip(m, "v");
}

static int unit_info_parse(sd_bus_message *reply, UnitInfo *i) {
        const char *name;
        int r;

        r = sd_bus_message_enter_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(reply, 's', &name);
                if (r >= 0)
                        r = property_read(reply, name, i);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(reply);
        if (r < 0)
                return r;
        /* every unit systemd can be asked about has one; without it, the reply is no unit's */
        return i->load_state ? 0 : -EBADMSG;
}

typedef struct InfoCall {
        UnitInfo *info;
        int *error;
        size_t *pending;
} InfoCall;

static int on_get_all(sd_bus_message *reply, void *userdata, _unused_ sd_bus_error *ret_error) {
        InfoCall *c = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        int r;

        (*c->pending)--;
        if (e)
                r = -sd_bus_error_get_errno(e) ?: -EIO;
        else
                r = unit_info_parse(reply, c->info);
        if (r < 0) {
                unit_info_done(c->info);
                unit_info_init(c->info);
        }
        *c->error = r;
        return 0;
}

static bool none_pending(void *userdata) {
        return *(size_t *) userdata == 0;
}

int bus_unit_infos(sd_bus *bus, char *const *units, size_t n, UnitInfo *ret, int *ret_errors) {
        _cleanup_free_ sd_bus_slot **slots = NULL;
        _cleanup_free_ InfoCall *calls = NULL;
        size_t pending = 0;
        int r = 0;

        for (size_t i = 0; i < n; i++) {
                unit_info_init(&ret[i]);
                ret_errors[i] = -ECANCELED;
        }
        if (n == 0)
                return 0;
        slots = calloc(n, sizeof(sd_bus_slot *));
        calls = calloc(n, sizeof(InfoCall));
        if (!slots || !calls)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *path = NULL;

                calls[i] = (InfoCall) { .info = &ret[i], .error = &ret_errors[i], .pending = &pending };
                r = sd_bus_path_encode(SYSTEMD_PATH "/unit", units[i], &path);
                if (r < 0)
                        break;
                r = sd_bus_call_method_async(bus, &slots[i], SYSTEMD_DEST, path, "org.freedesktop.DBus.Properties",
                                             "GetAll", on_get_all, &calls[i], "s", "");
                if (r < 0)
                        break;
                pending++;
        }
        /* the calls sent are waited for even after a failure, as their replies point into |calls| */
        if (pending > 0) {
                int k = bus_wait_until(bus, now_monotonic_usec() + BUS_INFO_TIMEOUT_USEC, none_pending, &pending);

                if (r >= 0)
                        r = k;
        }
        for (size_t i = 0; i < n; i++)
                sd_bus_slot_unref(slots[i]);
        return r;
}

int bus_unit_info(sd_bus *bus, const char *unit, UnitInfo *ret) {
        char *units[] = { (char *) unit };
        int error, r;

        if (!endswith(unit, ".service") && !endswith(unit, ".scope"))
                return -EINVAL;
        r = bus_unit_infos(bus, units, 1, ret, &error);
        return r < 0 ? r : error;
}
