/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Joining another container's namespaces (join.h). Its init's PID comes from a file, so it may name another
 * process by the time we look: the init is the child of the monitor recorded beside it and lives in the
 * container's scope; a pidfd opened first and still alive after the namespace files were opened proves that
 * /proc/PID was the same process all along. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "join.h"
#include "log.h"
#include "proc-util.h"
#include "runtime-state.h"
#include "string-util.h"

static const struct {
        const char *name;
        int type;
        unsigned join;          /* the JoinNamespaces= flag that asks for it; 0: Network=container: */
} joined_table[_JOINED_MAX] = {
        [JOINED_NET] = { "net", CLONE_NEWNET, 0                  },
        [JOINED_IPC] = { "ipc", CLONE_NEWIPC, JOIN_NAMESPACE_IPC },
        [JOINED_UTS] = { "uts", CLONE_NEWUTS, JOIN_NAMESPACE_UTS },
};

int joined_namespaces_open(const Plan *p, JoinedNamespaces *ret) {
        _cleanup_close_ int pidfd = -EBADF, dir_fd = -EBADF;
        JoinedNamespaces j = JOINED_NAMESPACES_INIT;
        const char *name = p->network_container;
        RuntimeState st = {};
        char path[64];
        int r;

        if (!name) {
                *ret = j;
                return 0;
        }
        r = runtime_state_read(name, &st);
        if (r == -ENOENT)
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "Network=container:%s: that container is not running.",
                                       name);
        if (r < 0)
                return log_error_errno(r, "Network=container:%s: failed to read its runtime state: %m", name);

        r = -ESRCH;
        pidfd = (int) syscall(SYS_pidfd_open, st.init_pid, 0);
        snprintf(path, sizeof(path), "/proc/%i", (int) st.init_pid);
        if (pidfd >= 0)
                dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        /* a PID reused since the state was written started later than the init, is not the monitor's child,
         * nor in the container's scope */
        if (dir_fd >= 0 && runtime_state_init_alive(&st) && (!st.scope || proc_cgroup_has_component(dir_fd, st.scope)))
                r = 0;
        j.bridged = st.address != NULL;
        runtime_state_done(&st);
        for (size_t i = 0; r >= 0 && i < _JOINED_MAX; i++) {
                if (joined_table[i].join && !(p->join_namespaces & joined_table[i].join))
                        continue;
                snprintf(path, sizeof(path), "ns/%s", joined_table[i].name);
                j.fds[i] = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
                if (j.fds[i] < 0)
                        r = errno == ENOENT ? -ESRCH : -errno;
        }
        if (r >= 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                r = -ESRCH;
        if (r < 0) {
                joined_namespaces_done(&j);
                if (r == -ESRCH)
                        return log_error_errno(r, "Network=container:%s: that container is not running.", name);
                return log_error_errno(r, "Network=container:%s: failed to open its namespaces: %m", name);
        }
        *ret = j;
        return 0;
}

void joined_namespaces_done(JoinedNamespaces *j) {
        for (size_t i = 0; i < _JOINED_MAX; i++)
                j->fds[i] = safe_close(j->fds[i]);
}

int joined_namespaces_enter(const JoinedNamespaces *j, const char **ret_failed) {
        for (size_t i = 0; i < _JOINED_MAX; i++)
                if (j->fds[i] >= 0 && setns(j->fds[i], joined_table[i].type) < 0) {
                        *ret_failed = joined_table[i].name;
                        return -errno;
                }
        return 0;
}
