/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-launch: runs one container. Parses the .ctr, plans every privileged step (plan.c), clone3()s the
 * container init into new namespaces paused on a sync socket, [places it in its scope], releases it, and then
 * stays as a small monitor until the container exits, exiting with its status.
 *
 * Exit statuses: the workload's own (128+N when killed by signal N); 125 when the container could not be set
 * up; 126 when the command could not be executed; 127 when it was not found; 1 for a bad command line or
 * a bad .ctr file. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-login.h>

#include "bus-util.h"
#include "chdir-util.h"
#include "container-exec.h"
#include "ctr-file.h"
#include "diagnostics.h"
#include "env-util.h"
#include "init.h"
#include "log.h"
#include "monitor.h"
#include "mount-setup.h"
#include "namespaces.h"
#include "network.h"
#include "path-util.h"
#include "plan.h"
#include "runtime-state.h"
#include "scope.h"
#include "service.h"
#include "string-util.h"
#include "strv.h"
#include "sync.h"
#include "terminal.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#define EXIT_SETUP 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

/* Under valgrind the cloned child is still valgrind's, which knows neither fsopen() nor open_tree(): the child
 * then re-executes the launcher natively (--trace-children=no) with this variable naming the sync socket, and
 * that process redoes the (pure) load and plan and carries on as the child. Only valgrind runs take this path. */
#define CHILD_FD_ENV "CTR_LAUNCH_CHILD_FD"
#define CHILD_FD 3

static char **saved_argv = NULL;
/* Network=container:NAME: that container's network namespace, joined by the child */
static int netns_fd = -EBADF;
static bool arg_no_scope = false;
static bool arg_print_plan = false;
static bool arg_no_pty = false;
static char **arg_config_path = NULL;

static const char *const default_exec[] = { "/bin/sh", NULL };

static void help(void) {
        printf("%s [OPTIONS…] NAME|FILE\n\n"
               "Run a container: NAME from the .ctr search path, or FILE (any path containing '/').\n\n"
               "  -h --help              Show this help\n"
               "     --version           Show the version\n"
               "     --no-scope          Do not ask systemd for a scope (run without systemd)\n"
               "     --config-path=DIRS  Search the .ctr in these directories (colon-separated)\n"
               "     --print-plan        Print the planned operations and exit\n"
               "     --no-pty            No pty for the container: a terminal on stdio is relayed through pipes\n",
               program_invocation_short_name);
}

static int parse_argv(int argc, char *argv[]) {
        enum {
                ARG_VERSION = 0x100,
                ARG_NO_SCOPE,
                ARG_CONFIG_PATH,
                ARG_PRINT_PLAN,
                ARG_NO_PTY,
        };
        static const struct option options[] = {
                { "help",        no_argument,       NULL, 'h'             },
                { "version",     no_argument,       NULL, ARG_VERSION     },
                { "no-scope",    no_argument,       NULL, ARG_NO_SCOPE    },
                { "config-path", required_argument, NULL, ARG_CONFIG_PATH },
                { "print-plan",  no_argument,       NULL, ARG_PRINT_PLAN  },
                { "no-pty",      no_argument,       NULL, ARG_NO_PTY      },
                {}
        };
        int c, r;

        /* "+": stop at the first non-option, so nothing after NAME is taken for ours */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("ctr-launch %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_NO_SCOPE:
                        arg_no_scope = true;
                        break;
                case ARG_CONFIG_PATH:
                        arg_config_path = strv_free(arg_config_path);
                        r = strv_split(optarg, ":", &arg_config_path);
                        if (r < 0)
                                return log_oom();
                        break;
                case ARG_PRINT_PLAN:
                        arg_print_plan = true;
                        break;
                case ARG_NO_PTY:
                        arg_no_pty = true;
                        break;
                default:
                        return -EINVAL;
                }

        if (optind != argc - 1)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Expected exactly one NAME or FILE, see --help.");
        return 1;
}

static int load(const char *arg, Container **ret) {
        _cleanup_strv_free_ char **search = NULL;
        Diagnostics diag = {};
        int r, k;

        if (arg_config_path)
                r = strv_copy(arg_config_path, &search);
        else
                r = ctr_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");

        if (strchr(arg, '/'))
                r = container_load_file(arg, NULL, arg_config_path ? search : NULL, &diag, ret);
        else if (!container_name_is_valid(arg))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Invalid container name '%s'.", arg);
        else
                r = container_load(arg, search, &diag, ret);

        k = diagnostics_log(&diag, 0);
        diagnostics_clear(&diag);
        if (k < 0)
                return k;

        if (r == -ENOENT && !strchr(arg, '/')) {
                _cleanup_free_ char *j = NULL;
                (void) strv_join(search, ":", &j);
                return log_error_errno(r, "No container '%s' on the search path %s.", arg, strna(j));
        }
        if (r == -ERFKILL)
                return log_error_errno(r, "Container '%s' is masked.", arg);
        if (r == -EBADMSG)
                return log_error_errno(r, "Container '%s' rejected, see the errors above.", arg);
        if (r < 0)
                return log_error_errno(r, "Failed to load container '%s': %m", arg);
        return 0;
}

static _Noreturn void child_fail(int sync_fd, const ExecError *err, int status) {
        sync_report(sync_fd, err);
        _exit(status);
}

static _Noreturn void exec_workload(char *const *argv, char **env, int sync_fd) {
        _cleanup_free_ char *path = NULL;
        ExecError err = {};
        sigset_t empty;
        int r;

        r = find_executable(argv[0], env_get(env, "PATH"), &path);
        if (r < 0) {
                launch_error(&err, r, "Failed to find '%s' in the container", argv[0]);
                child_fail(sync_fd, &err, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_SETUP);
        }
        sigemptyset(&empty);
        (void) sigprocmask(SIG_SETMASK, &empty, NULL);
        execve(path, argv, env);
        r = -errno;
        launch_error(&err, r, "Failed to execute '%s'", path);
        child_fail(sync_fd, &err, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

/* The container's init, in its new namespaces. Never returns: execs the workload or reports why not. */
static _Noreturn void child_main(const Container *c, const Plan *p, int sync_fd) {
        ExecCredentials cred = {};
        ExecError err = {};
        char **env = NULL;
        int root_fd = -EBADF, r;
        const char *term, *cwd;
        bool pty;

        /* Nothing the launcher inherited beyond stdio reaches the workload: a stray directory fd would be a way
         * out of the root. (The sync socket is O_CLOEXEC already and stays usable until execve().) */
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                _exit(EXIT_SETUP);

        /* Wait until the parent has done its part (the scope): nothing is visible before. */
        if (sync_wait_release(sync_fd) < 0)
                _exit(EXIT_SETUP);

        if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0) {
                launch_error(&err, errno, "Failed to join the network namespace of container '%s'",
                             p->network_container);
                child_fail(sync_fd, &err, EXIT_SETUP);
        }

        /* Only now, inside the final cgroup: its root becomes the container's cgroup root. */
        r = namespaces_unshare_cgroup(&err);
        if (r < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        if (p->network_loopback && (namespaces_loopback_up(&err) < 0 || namespaces_allow_ping(&err) < 0))
                child_fail(sync_fd, &err, EXIT_SETUP);
        if (namespaces_set_hostname(p->hostname, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        if (mount_setup_prepare(p, &root_fd, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        /* Users from the container's /etc; the environment still on the host side, for EnvironmentFile=. */
        if (exec_credentials_resolve(c, root_fd, &cred, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        term = isatty(STDIN_FILENO) ? getenv("TERM") : NULL;
        if (container_build_environment(c, &cred, term, NULL, service_child_environment(c), &env, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        if (mount_setup_pivot(p, root_fd, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        root_fd = safe_close(root_fd);

        /* Never the caller's session or terminal (see terminal.h): a session of our own, and a pty of the
         * container's devpts (mounted now) on the fds 0-2 that are still the caller's terminal. */
        r = launch_terminal_child_setup(sync_fd, cred.uid, &err);
        if (r < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        pty = r > 0;
        if (pty && !c->init && launch_terminal_child_control(false, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        /* From here on only stdio and the sync socket: with Init=yes this process stays PID 1 of the container,
         * and whatever else it held (the lock on the host's runtime directory, the joined network namespace)
         * would be reachable through /proc/1/fd. */
        if ((sync_fd > 3 && close_range(3, sync_fd - 1, 0) < 0) || close_range(sync_fd + 1, ~0U, 0) < 0) {
                launch_error(&err, errno, "Failed to close file descriptors");
                child_fail(sync_fd, &err, EXIT_SETUP);
        }

        /* inside the root, never through a magic link (chdir-util.h) */
        cwd = c->working_directory ?: cred.home;
        if (cwd && (r = chdir_in_root(cwd)) < 0) {
                if (c->working_directory) {
                        launch_error(&err, r, "Failed to change to WorkingDirectory= '%s'", cwd);
                        child_fail(sync_fd, &err, EXIT_SETUP);
                }
                (void) chdir("/");
        }

        /* The init (if any) drops to the workload's privileges too, so it never holds more. */
        if (container_exec_apply(c, &cred, SIGKILL, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        char *const *argv = c->exec && c->exec[0] ? c->exec : (char *const *) default_exec;

        if (c->init) {
                sigset_t mask;
                pid_t pid;

                if (init_prepare(&mask) < 0) {
                        launch_error(&err, errno, "Failed to block signals in the init");
                        child_fail(sync_fd, &err, EXIT_SETUP);
                }
                pid = fork();
                if (pid < 0) {
                        launch_error(&err, errno, "Failed to fork the workload");
                        child_fail(sync_fd, &err, EXIT_SETUP);
                }
                if (pid == 0) {
                        (void) prctl(PR_SET_PDEATHSIG, SIGKILL);
                        /* the workload is the pty's session leader; the init stays outside, in its own */
                        if (pty && launch_terminal_child_control(true, &err) < 0)
                                child_fail(sync_fd, &err, EXIT_SETUP);
                        exec_workload(argv, env, sync_fd);
                }
                /* The workload holds the sync socket now: its execve() closes it, its failure writes to it. */
                safe_close(sync_fd);
                /* The init is a copy of the launcher: its memory and environment are the host side's. It is
                 * not dumpable (container_exec_apply()'s step 0), so its /proc/1 is closed to a workload without
                 * CAP_SYS_PTRACE. Unlike ctrctl exec it does not run from a sealed copy: re-executing here
                 * would load the dynamic loader and libraries from the container's root. Nor does it need to:
                 * the host's ctr-launch behind /proc/1/exe cannot be opened for writing (ETXTBSY) while this
                 * init or the monitor runs it, and the kernel kills every process of the container before
                 * the monitor, which waits for the init, can exit. */
                init_run(pid, &mask);
        }

        exec_workload(argv, env, sync_fd);
}

static bool running_on_valgrind(void) {
#ifdef HAVE_VALGRIND_VALGRIND_H
        return RUNNING_ON_VALGRIND;
#else
        return false;
#endif
}

static _Noreturn void reexec_child(int sync_fd) {
        if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0)
                _exit(EXIT_SETUP);
        /* valgrind answers readlink() of /proc/self/exe with the client's path; exec'ing the link itself would
         * run valgrind's tool binary */
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

        if (n <= 0)
                _exit(EXIT_SETUP);
        exe[n] = '\0';
        /* fd 3 without O_CLOEXEC, whatever number it had */
        if (sync_fd == CHILD_FD) {
                if (fcntl(sync_fd, F_SETFD, 0) < 0)
                        _exit(EXIT_SETUP);
        } else if (dup2(sync_fd, CHILD_FD) < 0)
                _exit(EXIT_SETUP);
        if (setenv(CHILD_FD_ENV, "3", 1) < 0)
                _exit(EXIT_SETUP);
        execv(exe, saved_argv);
        _exit(EXIT_SETUP);
}

/* The re-executed child (see CHILD_FD_ENV): same arguments, same file, same plan. */
static int run_child(int argc, char *argv[]) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_plan_free_ Plan *p = NULL;
        PlanOptions o;
        int r;

        (void) unsetenv(CHILD_FD_ENV);
        log_set_max_level(LOG_ERR); /* the parent printed the warnings already */
        if (parse_argv(argc, argv) <= 0 || load(argv[optind], &c) < 0)
                _exit(EXIT_SETUP);
        plan_options_from_environment(&o);
        r = plan_build(c, &o, &p, NULL);
        if (r < 0)
                _exit(EXIT_SETUP);
        child_main(c, p, CHILD_FD);
}

/* One launcher per container name: a second one would share the writable layer. The lock is on the
 * runtime directory RUNTIME/NAME, held by the monitor until it exits. */
static int lock_container(const Container *c, int *ret_fd) {
        for (unsigned attempt = 0; attempt < 5; attempt++) {
                _cleanup_free_ char *dir = NULL;
                _cleanup_close_ int fd = -EBADF;
                struct stat a, b;
                int r;

                r = runtime_state_dir(c->name, true, &dir);
                if (r < 0)
                        return log_error_errno(r, "Failed to create the runtime directory of '%s': %m", c->name);
                fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return log_error_errno(errno, "Failed to open '%s': %m", dir);
                if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        if (errno == EWOULDBLOCK)
                                return log_error_errno(SYNTHETIC_ERRNO(EBUSY),
                                                       "Container '%s' is already running.", c->name);
                        return log_error_errno(errno, "Failed to lock '%s': %m", dir);
                }
                /* a monitor that just exited may have removed the directory under us: lock the one that is there */
                if (fstat(fd, &a) < 0 || stat(dir, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
                        continue;
                *ret_fd = TAKE_FD(fd);
                return 0;
        }
        return log_error_errno(SYNTHETIC_ERRNO(EBUSY), "Failed to lock the runtime directory of '%s'.", c->name);
}

/* Network=container:NAME: the network namespace of that container's init, from its runtime state. The
 * pidfd proves the init still lived after /proc/PID was opened, so the PID was not reused in between. */
static int open_container_netns(const char *name, int *ret_fd) {
        _cleanup_close_ int pidfd = -EBADF, fd = -EBADF;
        RuntimeState st = {};
        char path[64];
        int r;

        r = runtime_state_read(name, &st);
        if (r == -ENOENT)
                return log_error_errno(r, "Network=container:%s: that container is not running.", name);
        if (r < 0)
                return log_error_errno(r, "Network=container:%s: failed to read its runtime state: %m", name);
        pidfd = (int) syscall(SYS_pidfd_open, st.init_pid, 0);
        if (pidfd >= 0) {
                snprintf(path, sizeof(path), "/proc/%i/ns/net", (int) st.init_pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
        }
        runtime_state_done(&st);
        if (pidfd < 0 || fd < 0 || syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                return log_error_errno(errno == ESRCH ? ESRCH : errno,
                                       "Network=container:%s: that container is not running: %m", name);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

typedef struct StartedContext {
        const Container *container;
        pid_t pid;
        Service *service;
        LaunchTerminal *terminal;
        uint32_t address;       /* Network=bridge */
        /* the service's pollfds, then the terminal's */
        struct pollfd pollfds[_SERVICE_FD_MAX + TERMINAL_RELAY_CHANNELS_MAX];
        size_t n_service;
} StartedContext;

static void write_runtime_state(const Container *c, pid_t pid, uint32_t address);

static void on_started(void *userdata) {
        StartedContext *ctx = userdata;
        write_runtime_state(ctx->container, ctx->pid, ctx->address);
        service_started(ctx->service);
}

static void on_stopping(void *userdata) {
        StartedContext *ctx = userdata;
        service_stopping(ctx->service);
}

static void on_received_fd(void *userdata, int fd) {
        StartedContext *ctx = userdata;
        launch_terminal_received(ctx->terminal, fd);
}

static bool on_signal(void *userdata, int sig) {
        StartedContext *ctx = userdata;
        return launch_terminal_signal(ctx->terminal, sig);
}

static struct pollfd *on_pollfds(void *userdata, size_t *ret_n) {
        StartedContext *ctx = userdata;
        struct pollfd *s, *t;
        size_t n_terminal;

        s = service_pollfds(ctx->service, &ctx->n_service);
        t = launch_terminal_pollfds(ctx->terminal, &n_terminal);
        ctx->n_service = MIN(ctx->n_service, (size_t) _SERVICE_FD_MAX);
        n_terminal = MIN(n_terminal, (size_t) TERMINAL_RELAY_CHANNELS_MAX);
        memcpy(ctx->pollfds, s, ctx->n_service * sizeof(struct pollfd));
        memcpy(ctx->pollfds + ctx->n_service, t, n_terminal * sizeof(struct pollfd));
        *ret_n = ctx->n_service + n_terminal;
        return ctx->pollfds;
}

static void on_ready(void *userdata, size_t index, short revents) {
        StartedContext *ctx = userdata;

        if (index < ctx->n_service)
                service_handle(ctx->service, index, revents);
        else
                launch_terminal_ready(ctx->terminal, index - ctx->n_service, revents);
}

static void write_runtime_state(const Container *c, pid_t pid, uint32_t address) {
        _cleanup_free_ char *scope = NULL;
        char a[INET_ADDRSTRLEN] = "";
        int r;

        if (!arg_no_scope)
                (void) container_scope_name(c->name, &scope);

        RuntimeState st = {
                .name = c->name,
                .init_pid = pid,
                .monitor_pid = getpid(),
                .scope = scope,
                .config_hash = (char *) c->config_hash,
                .source_path = c->source_path,
                .address = address ? (char *) network_address_format(address, a) : NULL,
                .started_usec = now_realtime_usec(),
        };
        r = runtime_state_write(&st);
        if (r < 0)
                log_warning_errno(r, "Failed to write the runtime state of '%s', continuing: %m", c->name);
}

static int make_staging_dir(const Plan *p) {
        _cleanup_free_ char *s = NULL;

        /* Created once and kept: an empty directory, shared by all containers (see plan.h). */
        if (access(p->staging, F_OK) >= 0)
                return 0;
        s = strdup(p->staging);
        if (!s)
                return -ENOMEM;
        for (char *i = s + 1; *i; i++) {
                if (*i != '/')
                        continue;
                *i = '\0';
                if (mkdir(s, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                *i = '/';
        }
        if (mkdir(s, 0700) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

/* The scope step: the child exists and waits on the sync socket; put it into ctr-NAME.scope before it does
 * anything, so its cgroup namespace (unshared after release) is rooted there. */
static int place_in_scope(const Container *c, pid_t pid, int pidfd) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *unit = NULL, *error = NULL;
        const char *service = NULL;
        int r;

        r = bus_connect(NULL, &bus);
        if (r == -EHOSTDOWN)
                return log_error_errno(r, "systemd is not running on this machine (PID 1 is not systemd); "
                                       "this command needs it.");
        if (r < 0)
                return log_error_errno(r, "Failed to connect to systemd: %m");
        /* BindsTo=/Before= only a service of ours: run from a shell, our unit is the login session's scope. */
        if (sd_pid_get_unit(0, &unit) >= 0 && endswith(unit, ".service"))
                service = unit;
        r = scope_start(bus, c, pid, pidfd, service, &error);
        if (r < 0)
                return log_error_errno(r, "Failed to start the scope for container '%s': %s", c->name,
                                       error ?: strerror(-r));
        return 0;
}

static int run(int argc, char *argv[]) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_plan_free_ Plan *p = NULL;
        _cleanup_close_ int pidfd = -EBADF, lock_fd = -EBADF;
        _cleanup_free_ char *runtime = NULL;
        Service service = SERVICE_INIT;
        LaunchTerminal terminal = LAUNCH_TERMINAL_INIT;
        bool release_early = true, stop_requested = false;
        int pair[2] = { -EBADF, -EBADF };
        const char *reason = NULL;
        NetworkBridge net = {};
        PlanOptions o = {};
        sigset_t mask;
        ExecError e = {};
        int r, status = EXIT_SETUP;
        pid_t pid;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        r = load(argv[optind], &c);
        if (r < 0)
                return EXIT_FAILURE;

        /* The generated unit carries the hash of what the generator saw: a mismatch means an edit without
         * daemon-reload, so systemd's view of the unit (limits, [Service]) may be stale. */
        const char *hash = getenv("CTR_CONFIG_HASH");
        if (!isempty(hash) && !streq(hash, c->config_hash))
                log_warning("Container '%s' changed since the last 'systemctl daemon-reload'; "
                            "starting the new configuration, the unit's settings may be stale.", c->name);

        if (c->n_ports > 0 && c->network != NETWORK_BRIDGE)
                log_warning("Container '%s': PublishPort= needs Network=bridge, ignoring it.", c->name);

        plan_options_from_environment(&o);
        if (c->network == NETWORK_BRIDGE)
                o.resolv_conf = network_resolv_conf_source();
        r = plan_build(c, &o, &p, &reason);
        if (r < 0) {
                if (reason)
                        log_error_errno(r, "Container '%s': %s.", c->name, reason);
                else
                        log_error_errno(r, "Failed to plan container '%s': %m", c->name);
                return EXIT_SETUP;
        }

        if (arg_print_plan)
                return plan_dump(p, stdout) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        /* The check sd_booted() makes: without systemd as PID 1 there is nobody to ask for a scope. */
        if (!arg_no_scope && access("/run/systemd/system/", F_OK) < 0) {
                log_error_errno(SYNTHETIC_ERRNO(EHOSTDOWN),
                                "systemd is not running on this machine, so there is no scope to ask for; "
                                "run with --no-scope to start the container without one.");
                return EXIT_SETUP;
        }

        /* The seccomp filter is compiled (or read from its cache, $CTR_RUNTIME_DIR/.seccomp) here, not in the
         * child: libseccomp takes longer than the rest of a container start. It also rejects an unsupported
         * SeccompProfile= early. */
        if (container_exec_prepare(c, NULL, &e) < 0) {
                log_error_errno(e.error, "%s: %m", e.message);
                return EXIT_SETUP;
        }

        r = lock_container(c, &lock_fd);
        if (r < 0)
                goto finish;

        r = runtime_state_dir(c->name, false, &runtime);
        if (r < 0) {
                log_oom();
                goto finish;
        }
        r = service_prepare(&service, c, runtime);
        if (r < 0)
                goto finish;
        r = launch_terminal_prepare(&terminal, !arg_no_pty);
        if (r == -EISDIR) {
                log_error_errno(r, "A standard stream (fd 0, 1 or 2) is a directory or a path handle, which would "
                                "hand a place of the host to the container; refusing.");
                goto finish;
        }
        if (r < 0) {
                log_error_errno(r, "Failed to create the pipes for the standard streams: %m");
                goto finish;
        }
        if (p->network_container) {
                r = open_container_netns(p->network_container, &netns_fd);
                if (r < 0)
                        goto finish;
        }

        r = make_staging_dir(p);
        if (r < 0) {
                log_error_errno(r, "Failed to create '%s': %m", p->staging);
                goto finish;
        }

        /* Blocked before clone(): a stop request during the start is not lost, and the child starts with them
         * blocked too (it unblocks them right before execve()). */
        monitor_signal_mask(&mask);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
                r = log_error_errno(errno, "Failed to block signals: %m");
                goto finish;
        }

        r = sync_socketpair(pair);
        if (r < 0) {
                log_error_errno(r, "Failed to create the sync socket: %m");
                goto finish;
        }

        /* Without a scope there is nothing to do between clone() and the release: the release byte is queued
         * now, and the child finds it without waiting for us. */
        release_early = arg_no_scope;
        if (p->network_bridge)
                release_early = false;  /* eth0 comes before the release */
        if (release_early) {
                r = sync_release(pair[0]);
                if (r < 0) {
                        log_error_errno(r, "Failed to queue the release of the container: %m");
                        goto finish;
                }
        }

        pid = namespaces_clone(p->clone_flags, &pidfd);
        if (pid < 0) {
                log_error_errno(pid, "Failed to create the container's namespaces: %m");
                goto finish;
        }
        if (pid == 0) {
                pair[0] = safe_close(pair[0]);
                if (service_child_stdio(&service) < 0 || launch_terminal_child_stdio(&terminal) < 0)
                        _exit(EXIT_SETUP);
                if (running_on_valgrind())
                        reexec_child(pair[1]);
                child_main(c, p, pair[1]);
        }
        pair[1] = safe_close(pair[1]);
        container_exec_prepared_done();
        service_after_clone(&service);
        r = launch_terminal_after_clone(&terminal);
        if (r < 0) {
                log_error_errno(r, "Failed to relay the terminal: %m");
                monitor_kill_and_reap(pid, pidfd);
                goto finish;
        }

        /* ---- The child exists and waits on the sync socket. Place it in its scope now. ---- */
        if (!arg_no_scope) {
                r = place_in_scope(c, pid, pidfd);
                if (r < 0) {
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
                service_scope_placed(&service, pid);
        }

        if (p->network_bridge) {
                _cleanup_free_ char *error = NULL;

                r = network_bridge_setup(c, pid, &net, &error);
                if (r < 0) {
                        log_error_errno(r, "Container '%s': Network=bridge: %s", c->name,
                                        error ?: strerror(-r));
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
        }

        if (!release_early) {
                r = sync_release(pair[0]);
                if (r < 0) {
                        log_error_errno(r, "Failed to start the container: %m");
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
        }

        /* The runtime state (what "ctrctl exec" joins) is written once the workload runs, never while the
         * child still sees the host's root. A failed set-up ends with the child's exit: the record is read
         * then. */
        int stop_signal = c->stop_signal > 0 ? c->stop_signal : SIGTERM;
        StartedContext ctx = {
                .container = c,
                .pid = pid,
                .service = &service,
                .terminal = &terminal,
                .address = net.address,
        };
        MonitorHooks hooks = {
                .start_fd = pair[0],
                .started = on_started,
                .received_fd = on_received_fd,
                .signal = on_signal,
                .stopping = on_stopping,
                .pollfds = on_pollfds,
                .ready = on_ready,
                .reload_signal = c->reload_signal,
                .userdata = &ctx,
        };
        r = monitor_run(pid, pidfd, &hooks, stop_signal, c->stop_timeout_usec, &status, &stop_requested);
        if (r < 0) {
                monitor_kill_and_reap(pid, pidfd);
                status = EXIT_SETUP;
        }
        bool oom = service_exited(&service, status);
        /* before our own messages: the container's last output, then the terminal in its mode again */
        launch_terminal_exited(&terminal);

        /* Under systemd, a stop that was asked for (systemctl stop) is a clean end, whether the workload went on
         * StopSignal= or was killed after StopTimeoutSec=; a workload that failed on its own way out still
         * fails. On a terminal (--no-scope) the status stays what a shell would report. */
        if (!arg_no_scope && stop_requested && !oom && (status == 128 + stop_signal || status == 128 + SIGKILL)) {
                log_debug("Container '%s' stopped on request (status %i).", c->name, status);
                status = EXIT_SUCCESS;
        }

        /* An error record if the set-up failed (the status then says what kind: 125, 126, 127), nothing if the
         * workload was executed. Every writer is gone by now: the init's exit waited for its PID namespace. */
        r = sync_receive_result(pair[0], &e);
        if (r > 0) {
                log_error_errno(e.error, "%s: %m", e.message);
                if (status == 0)
                        status = EXIT_SETUP;
        } else if (r < 0 && r != -EAGAIN)
                log_warning_errno(r, "Failed to read the container's start result: %m");

finish:
        network_bridge_done(&net);
        service_done(&service);
        launch_terminal_done(&terminal);
        container_exec_prepared_done();
        netns_fd = safe_close(netns_fd);
        if (lock_fd >= 0)
                (void) runtime_state_remove(c->name);
        safe_close(pair[0]);
        safe_close(pair[1]);
        return status;
}

int main(int argc, char *argv[]) {
        int r;

        /* 0, 1 and 2 open whatever we were given: no socket or lock of ours may land on them and then be
         * passed to the workload as its stdio (or be closed as if it were). */
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
                        return EXIT_FAILURE;

        log_set_program_name("ctr-launch");
        log_parse_environment();
        saved_argv = argv;
        if (getenv(CHILD_FD_ENV))
                return run_child(argc, argv);
        r = run(argc, argv);
        arg_config_path = strv_free(arg_config_path);
        return r;
}
