/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Drives scope_start() in the VM the way ctr-launch does: fork a child that waits on a pipe, put it into
 * ctr-NAME.scope with the limits given on the command line, print where it landed, then release it (it runs
 * COMMAND, or pauses). The VM cases then check `systemctl show` and the cgroup files against the options.
 *
 *   ctr-vm-scope-test [OPTIONS] NAME [-- COMMAND…]
 *
 * Limits: --memory-max --memory-high --memory-swap-max (bytes or "infinity"), --cpu-weight, --cpu-quota
 * (µs per second), --allowed-cpus LIST, --tasks-max, --io-weight, --slice, --stop-signal, --stop-timeout (µs).
 * --memory-max-scale, --tasks-max-scale: a percentage scaled to 2^32-1. --service UNIT: BindsTo=/Before= it. --pid N: pass N instead of the child (error paths). --no-pidfd: PIDs=.
 * --system-bus: the broker instead of systemd's private socket. --wait: wait for COMMAND, exit with its status.
 * --hold: stay (a stand-in monitor) until SIGTERM, then kill the child. Output: unit=, cgroup=, pid= lines;
 * on failure "error: TEXT" on stderr and exit status 1. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus-util.h"
#include "ctr-file.h"
#include "log.h"
#include "scope.h"

static int parse_u64(const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;

        if (streq(s, "infinity")) {
                *ret = LIMIT_INFINITY;
                return 0;
        }
        if (s[0] < '0' || s[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || *end != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int main(int argc, char *argv[]) {
        enum {
                ARG_MEMORY_MAX = 0x100, ARG_MEMORY_HIGH, ARG_MEMORY_SWAP_MAX, ARG_CPU_WEIGHT, ARG_CPU_QUOTA,
                ARG_ALLOWED_CPUS, ARG_TASKS_MAX, ARG_IO_WEIGHT, ARG_SLICE, ARG_STOP_SIGNAL, ARG_STOP_TIMEOUT,
                ARG_SERVICE, ARG_PID, ARG_NO_PIDFD, ARG_SYSTEM_BUS, ARG_WAIT, ARG_HOLD, ARG_MEMORY_MAX_SCALE,
                ARG_TASKS_MAX_SCALE,
        };
        static const struct option options[] = {
                { "memory-max",      required_argument, NULL, ARG_MEMORY_MAX },
                { "memory-high",     required_argument, NULL, ARG_MEMORY_HIGH },
                { "memory-swap-max", required_argument, NULL, ARG_MEMORY_SWAP_MAX },
                { "cpu-weight",      required_argument, NULL, ARG_CPU_WEIGHT },
                { "cpu-quota",       required_argument, NULL, ARG_CPU_QUOTA },
                { "allowed-cpus",    required_argument, NULL, ARG_ALLOWED_CPUS },
                { "tasks-max",       required_argument, NULL, ARG_TASKS_MAX },
                { "io-weight",       required_argument, NULL, ARG_IO_WEIGHT },
                { "slice",           required_argument, NULL, ARG_SLICE },
                { "stop-signal",     required_argument, NULL, ARG_STOP_SIGNAL },
                { "stop-timeout",    required_argument, NULL, ARG_STOP_TIMEOUT },
                { "service",         required_argument, NULL, ARG_SERVICE },
                { "pid",             required_argument, NULL, ARG_PID },
                { "no-pidfd",        no_argument,       NULL, ARG_NO_PIDFD },
                { "system-bus",      no_argument,       NULL, ARG_SYSTEM_BUS },
                { "wait",            no_argument,       NULL, ARG_WAIT },
                { "hold",            no_argument,       NULL, ARG_HOLD },
                { "memory-max-scale", required_argument, NULL, ARG_MEMORY_MAX_SCALE },
                { "tasks-max-scale", required_argument, NULL, ARG_TASKS_MAX_SCALE },
                {}
        };
        /* Built here rather than parsed, so this runs before and independently of the .ctr parser. */
        Container c = {
                .memory_max = LIMIT_UNSET,
                .memory_high = LIMIT_UNSET,
                .memory_swap_max = LIMIT_UNSET,
                .cpu_weight = LIMIT_UNSET,
                .cpu_quota_per_sec_usec = LIMIT_UNSET,
                .tasks_max = LIMIT_UNSET,
                .io_weight = LIMIT_UNSET,
                .stop_signal = SIGTERM,
                .stop_timeout_usec = 10 * USEC_PER_SEC,
        };
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *error_text = NULL, *unit = NULL;
        _cleanup_close_ int pidfd = -EBADF;
        const char *service = NULL;
        bool no_pidfd = false, system_bus = false, wait_child = false, hold = false;
        uint64_t v, fake_pid = 0;
        int pipefd[2], opt, r;
        sigset_t mask;
        pid_t child;

        log_set_program_name("ctr-vm-scope-test");
        log_parse_environment();

        while ((opt = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                uint64_t *target = NULL;

                switch (opt) {
                case ARG_MEMORY_MAX:      target = &c.memory_max; break;
                case ARG_MEMORY_HIGH:     target = &c.memory_high; break;
                case ARG_MEMORY_SWAP_MAX: target = &c.memory_swap_max; break;
                case ARG_CPU_WEIGHT:      target = &c.cpu_weight; break;
                case ARG_CPU_QUOTA:       target = &c.cpu_quota_per_sec_usec; break;
                case ARG_TASKS_MAX:       target = &c.tasks_max; break;
                case ARG_IO_WEIGHT:       target = &c.io_weight; break;
                case ARG_STOP_TIMEOUT:    target = &c.stop_timeout_usec; break;
                case ARG_ALLOWED_CPUS:    c.allowed_cpus = optarg; break;
                case ARG_SLICE:           c.slice = optarg; break;
                case ARG_SERVICE:         service = optarg; break;
                case ARG_NO_PIDFD:        no_pidfd = true; break;
                case ARG_SYSTEM_BUS:      system_bus = true; break;
                case ARG_WAIT:            wait_child = true; break;
                case ARG_HOLD:            hold = true; break;
                case ARG_STOP_SIGNAL:
                        if (parse_u64(optarg, &v) < 0 || v < 1 || v >= (uint64_t) SIGRTMAX)
                                return log_error_errno(EINVAL, "Bad --stop-signal '%s'.", optarg), 2;
                        c.stop_signal = (int) v;
                        break;
                case ARG_MEMORY_MAX_SCALE:
                case ARG_TASKS_MAX_SCALE:
                        /* a percentage as the parser stores it: scaled to UINT32_MAX */
                        if (parse_u64(optarg, &v) < 0 || v < 1 || v > UINT32_MAX)
                                return log_error_errno(EINVAL, "Bad scale '%s'.", optarg), 2;
                        if (opt == ARG_MEMORY_MAX_SCALE)
                                c.memory_max_scale = (uint32_t) v;
                        else
                                c.tasks_max_scale = (uint32_t) v;
                        break;
                case ARG_PID:
                        if (parse_u64(optarg, &fake_pid) < 0 || fake_pid < 1 || fake_pid > INT32_MAX)
                                return log_error_errno(EINVAL, "Bad --pid '%s'.", optarg), 2;
                        break;
                default:
                        return 2;
                }
                if (target && parse_u64(optarg, target) < 0)
                        return log_error_errno(EINVAL, "Bad number '%s'.", optarg), 2;
        }
        if (optind >= argc)
                return log_error_errno(EINVAL, "Usage: ctr-vm-scope-test [OPTIONS] NAME [-- COMMAND…]"), 2;
        c.name = argv[optind++];
        if (strlen(c.name) > CTR_NAME_MAX || strchr(c.name, '/'))
                return log_error_errno(EINVAL, "Bad name '%s'.", c.name), 2;

        /* --hold: SIGTERM is taken with sigwait(), blocked before the fork so none is lost; the child unblocks. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (hold)
                sigprocmask(SIG_BLOCK, &mask, NULL);

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(errno, "pipe2: %m"), 1;

        child = fork();
        if (child < 0)
                return log_error_errno(errno, "fork: %m"), 1;
        if (child == 0) {
                char b;

                /* Paused until the parent says we sit in the scope, like the container init. */
                close(pipefd[1]);
                sigprocmask(SIG_UNBLOCK, &mask, NULL);
                if (read(pipefd[0], &b, 1) != 1)
                        _exit(111);
                close(pipefd[0]);
                /* Detached (neither --wait nor --hold): let go of the caller's stdio, so a shell's $(…)
                 * returns while the workload runs on. */
                if (!wait_child && !hold) {
                        int null = open("/dev/null", O_RDWR | O_CLOEXEC);

                        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
                                _exit(111);
                }
                if (optind < argc) {
                        execvp(argv[optind], argv + optind);
                        _exit(127);
                }
                for (;;)
                        pause();
        }
        close(pipefd[0]);

        if (!no_pidfd) {
                pidfd = (int) syscall(SYS_pidfd_open, child, 0);
                if (pidfd < 0)
                        log_warning_errno(errno, "pidfd_open: %m");
        }

        r = system_bus ? bus_connect_system(&bus) : bus_connect(NULL, &bus);
        if (r < 0) {
                kill(child, SIGKILL);
                return log_error_errno(-r, "Failed to connect to systemd: %m"), 1;
        }

        r = scope_start(bus, &c, fake_pid > 0 ? (pid_t) fake_pid : child, fake_pid > 0 ? -EBADF : pidfd,
                        service, &error_text);
        if (r < 0) {
                kill(child, SIGKILL);
                (void) waitpid(child, NULL, 0);
                fprintf(stderr, "error: %s\n", strna(error_text));
                fprintf(stderr, "errno: %s\n", strerror(-r));
                return 1;
        }

        r = container_scope_name(c.name, &unit);
        if (r < 0)
                return log_error_errno(-r, "container_scope_name: %m"), 1;

        {
                _cleanup_free_ char *path = NULL, *line = NULL;
                size_t n = 0;
                FILE *f;

                if (asprintf(&path, "/proc/%d/cgroup", (int) child) < 0)
                        return log_oom(), 1;
                f = fopen(path, "re");
                if (!f)
                        return log_error_errno(errno, "Failed to open %s: %m", path), 1;
                while (getline(&line, &n, f) > 0)
                        if (strneq(line, "0::", 3))
                                printf("cgroup=%s", line + 3);
                fclose(f);
        }
        printf("unit=%s\npid=%d\n", unit, (int) child);
        fflush(stdout);

        if (write(pipefd[1], "x", 1) != 1)
                return log_error_errno(errno, "Failed to release the child: %m"), 1;
        close(pipefd[1]);

        if (wait_child) {
                int status;

                if (waitpid(child, &status, 0) < 0)
                        return log_error_errno(errno, "waitpid: %m"), 1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (hold) {
                int sig;

                bus = sd_bus_flush_close_unref(bus);
                (void) sigwait(&mask, &sig);
                kill(child, SIGKILL);
                (void) waitpid(child, NULL, 0);
        }
        return 0;
}
