/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <systemd/sd-bus.h>

#include "log.h"
#include "macro.h"
#include "network-firewalld.h"
#include "network-link.h"
#include "string-util.h"

#define FIREWALLD_NAME "org.fedoraproject.FirewallD1"
#define FIREWALLD_ZONE "ctr"
/* firewalld is Python: an answer takes a few ms on a host, more under load, and this runs under the network lock */
#define FIREWALLD_TIMEOUT_USEC (2 * 1000 * 1000)

void firewalld_check_bridge_zone(void) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *where = NULL;
        const char *zone;
        int r;

        r = sd_bus_open_system(&bus);
        if (r < 0) {
                log_debug("Not asking firewalld about %s: no system bus: %s", NETWORK_BRIDGE_NAME, strerror(-r));
                return;
        }
        r = sd_bus_message_new_method_call(bus, &m, FIREWALLD_NAME, "/org/fedoraproject/FirewallD1",
                                           FIREWALLD_NAME ".zone", "getZoneOfInterface");
        if (r >= 0)
                /* a stopped (or merely installed) firewalld stays stopped */
                r = sd_bus_message_set_auto_start(m, false);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", NETWORK_BRIDGE_NAME);
        if (r < 0) {
                log_debug("Not asking firewalld about %s: %s", NETWORK_BRIDGE_NAME, strerror(-r));
                return;
        }
        r = sd_bus_call(bus, m, FIREWALLD_TIMEOUT_USEC, &error, &reply);
        if (r < 0) {
                /* firewalld not running is the common case: ServiceUnknown / NameHasNoOwner */
                log_debug("firewalld not asked about %s: %s", NETWORK_BRIDGE_NAME,
                          error.message ? error.message : strerror(-r));
                return;
        }
        r = sd_bus_message_read(reply, "s", &zone);
        if (r < 0) {
                log_debug("firewalld's answer about %s: %s", NETWORK_BRIDGE_NAME, strerror(-r));
                return;
        }
        if (streq(zone, FIREWALLD_ZONE))
                return;
        /* "" is firewalld's "no zone" */
        where = isempty(zone) ? strdup("no zone (its default zone applies)") : strprintf("zone '%s'", zone);
        log_warning("firewalld runs and puts %s in %s, not in ctr's zone '" FIREWALLD_ZONE "': it may reject what "
                    "containers send to the host and out. If firewalld was running when ctr was installed, "
                    "'firewall-cmd --reload' loads the zone (see ctr-launch(8), NETWORK).",
                    NETWORK_BRIDGE_NAME, strna(where));
}
