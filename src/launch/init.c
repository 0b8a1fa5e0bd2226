/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"
#include "macro.h"
#include "monitor.h"

int init_prepare(sigset_t *ret_mask) {
        monitor_signal_mask(ret_mask);
        sigaddset(ret_mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, ret_mask, NULL) < 0)
                return negative_errno();
        return 0;
}

_Noreturn void init_run(pid_t workload, const sigset_t *mask) {
        int sfd;

        /* PID 1 gets only the signals it handles: blocked ones count, and we take them from a signalfd. */
        sfd = signalfd(-1, mask, SFD_CLOEXEC);
        if (sfd < 0)
                _exit(255);

        for (;;) {
                struct signalfd_siginfo ssi;
                ssize_t n = read(sfd, &ssi, sizeof(ssi));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n != sizeof(ssi))
                        _exit(255);

                if (ssi.ssi_signo != SIGCHLD) {
                        (void) kill(workload, (int) ssi.ssi_signo);
                        continue;
                }

                for (;;) {
                        int status;
                        pid_t pid = waitpid(-1, &status, WNOHANG);

                        if (pid <= 0)
                                break;
                        if (pid != workload)
                                continue; /* a reparented orphan: reaped, nothing else to do */
                        if (WIFEXITED(status))
                                _exit(WEXITSTATUS(status));
                        if (WIFSIGNALED(status))
                                _exit(128 + WTERMSIG(status));
                }
        }
}
