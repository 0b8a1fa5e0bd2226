/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* EnvironmentHost=: the launcher's environment filtered for the container (env-host.h says what and why). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "env-host.h"
#include "macro.h"
#include "name-util.h"
#include "string-util.h"
#include "strv.h"

bool env_host_is_passed(const char *name) {
        static const char *const names[] = {
                /* the service manager's, for the launcher (systemd.exec(5), "Environment Variables in Spawned
                 * Processes") */
                "NOTIFY_SOCKET", "INVOCATION_ID", "JOURNAL_STREAM", "CREDENTIALS_DIRECTORY", "RUNTIME_DIRECTORY",
                "STATE_DIRECTORY", "CACHE_DIRECTORY", "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY", "MAINPID",
                "MANAGERPID", "SYSTEMD_EXEC_PID", "FDSTORE", "LOG_NAMESPACE", "SERVICE_RESULT", "EXIT_CODE",
                "EXIT_STATUS", "PIDFILE", "XDG_RUNTIME_DIR",
                /* ctr's, for the container's user and terminal (container-exec.h) */
                "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "HOSTNAME", "container",
        };
        static const char *const prefixes[] = {
                "LISTEN_", "WATCHDOG_", "MONITOR_", "TRIGGER_", "MEMORY_PRESSURE_", "CTR_",
        };

        if (!env_name_is_valid(name))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(name, names[i]))
                        return false;
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(name, prefixes[i]))
                        return false;
        return true;
}

int env_host_filter(char *const *env, char ***ret) {
        _cleanup_strv_free_ char **out = NULL;

        for (char *const *e = env; e && *e; e++) {
                _cleanup_free_ char *name = strndup(*e, strcspn(*e, "="));
                int r;

                if (!name)
                        return -ENOMEM;
                if (!strchr(*e, '=') || !env_assignment_is_valid(*e) || !env_host_is_passed(name))
                        continue;
                r = strv_extend(&out, *e);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(out);
        return 0;
}
