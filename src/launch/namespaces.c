/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fileio.h"
#include "namespaces.h"
#include "sync.h"

/* The kernel's struct clone_args (v2, 88 bytes): declared here so we need not mix <linux/sched.h> with
 * <sched.h>. */
struct ctr_clone_args {
        uint64_t flags;
        uint64_t pidfd;
        uint64_t child_tid;
        uint64_t parent_tid;
        uint64_t exit_signal;
        uint64_t stack;
        uint64_t stack_size;
        uint64_t tls;
        uint64_t set_tid;
        uint64_t set_tid_size;
        uint64_t cgroup;
};

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

pid_t namespaces_clone(unsigned long flags, int *ret_pidfd) {
        int pidfd = -EBADF;
        struct ctr_clone_args args = {
                .flags = flags | CLONE_PIDFD,
                .pidfd = (uint64_t) (uintptr_t) &pidfd,
                .exit_signal = SIGCHLD,
        };
        long pid;

        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0 && errno == ENOSYS) {
                /* valgrind does not know clone3(); clone() takes the same flags here, and returns the pidfd
                 * through its parent_tid argument (the third on x86-64 and arm64 alike). */
                pidfd = -EBADF;
                pid = syscall(SYS_clone, (unsigned long) (flags | CLONE_PIDFD | SIGCHLD), NULL, &pidfd, NULL, 0);
        }
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                /* The launcher going away takes the container with it. A parent that died before this
                 * line is noticed on the sync socket, which then reads end-of-file. */
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL);
                return 0;
        }
        *ret_pidfd = pidfd; /* CLONE_PIDFD always returns an O_CLOEXEC fd */
        return (pid_t) pid;
}

int namespaces_unshare_cgroup(ExecError *err) {
        if (unshare(CLONE_NEWCGROUP) < 0)
                return launch_error(err, errno, "Failed to create the cgroup namespace");
        return 0;
}

int namespaces_set_hostname(const char *hostname, ExecError *err) {
        if (sethostname(hostname, strlen(hostname)) < 0)
                return launch_error(err, errno, "Failed to set the hostname to '%s'", hostname);
        return 0;
}

int namespaces_loopback_up(ExecError *err) {
        _cleanup_close_ int fd = -EBADF;
        struct ifreq ifr = {};

        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return launch_error(err, errno, "Failed to open a socket to bring up 'lo'");
        strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return launch_error(err, errno, "Failed to read the flags of 'lo'");
        if (ifr.ifr_flags & IFF_UP)
                return 0;
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return launch_error(err, errno, "Failed to bring up 'lo'");
        return 0;
}

int namespaces_allow_ping(unsigned max_gid, ExecError *err) {
        char text[32];
        int r;

        /* a net sysctl acts on the network namespace of whoever opens it: ours, not the host's; in a user
         * namespace only its own gids can be named */
        snprintf(text, sizeof(text), "0 %u", max_gid);
        r = write_string_file("/proc/sys/net/ipv4/ping_group_range", text);
        if (r < 0)
                return launch_error(err, r, "Failed to set net.ipv4.ping_group_range");
        return 0;
}
