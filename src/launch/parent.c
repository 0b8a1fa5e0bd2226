/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-launch's parent: everything on the host side of one container's run, once it is planned. It takes the
 * container's lock, prepares the seccomp filter, the service's streams and the caller's terminal, clone3()s
 * the child into new namespaces (child.h) paused on the sync socket, places it in ctr-NAME.scope, sets up
 * Network=bridge, releases it, writes the runtime state once the workload runs and stays as the monitor
 * (monitor.h) until the container exits, whose status it returns. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-login.h>

#include "apparmor-load.h"
#include "bus-util.h"
#include "child.h"
#include "container-exec.h"
#include "fd-util.h"
#include "fileio.h"
#include "health.h"
#include "join.h"
#include "libsystemd-dl.h"
#include "log.h"
#include "mkdir-util.h"
#include "monitor.h"
#include "namespaces.h"
#include "network-names.h"
#include "network.h"
#include "parent.h"
#include "paths.h"
#include "proc-util.h"
#include "runtime-state.h"
#include "scope.h"
#include "secrets.h"
#include "service.h"
#include "string-util.h"
#include "sync.h"
#include "terminal.h"
#include "time-util.h"
#include "userns-mount.h"
#include "version.h"

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

void launch_log_phase(const char *name, const char *phase) {
        uint64_t t;

        if (log_get_max_level() < LOG_DEBUG)
                return;
        t = now_monotonic_usec();
        log_debug("Container '%s': %s at monotonic %" PRIu64 ".%06" PRIu64 ".", name, phase, t / USEC_PER_SEC,
                  t % USEC_PER_SEC);
}

typedef struct StartedContext {
        const Container *container;
        bool in_scope;          /* in ctr-NAME.scope (not --no-scope) */
        pid_t pid;
        Service *service;
        LaunchTerminal *terminal;
        Health *health;
        Names *names;
        int pidfd;              /* the init's */
        uint32_t address;       /* Network=bridge */
        const struct in6_addr *address6; /* … when ctr0 has IPv6 */
        const char *image_digest; /* Image=REF: the manifest digest it runs */
        /* the service's pollfds, then the health check's, the names socket, then the terminal's */
        struct pollfd pollfds[_SERVICE_FD_MAX + _HEALTH_FD_MAX + 1 + TERMINAL_RELAY_CHANNELS_MAX];
        size_t n_service;
} StartedContext;

static void write_runtime_state(const StartedContext *ctx);

static void on_health_changed(void *userdata) {
        write_runtime_state(userdata);
}

static void on_started(void *userdata) {
        StartedContext *ctx = userdata;
        launch_log_phase(ctx->container->name, "the workload runs");
        write_runtime_state(ctx);
        service_started(ctx->service);
        (void) health_start(ctx->health, ctx->container, ctx->pid, ctx->pidfd);
        /* Only Network=bridge loads libsystemd in the monitor (the scope is asked for from a child): unloaded,
         * systemd 252's and its six libraries give back ~130 KiB of relocated data; systemd 257's is NODELETE
         * and stays (libsystemd-calls.c). */
        libsystemd_release();
        /* The monitor lives as long as the container: what the set-up allocated and freed (the plan, the
         * seccomp filter's compilation, the bus and netlink replies) goes back to the kernel now rather than
         * staying in its heap, and so does the stack the set-up grew (~80 KiB) below the monitor's frames.
         * One page is kept for the idle loop: a deeper call later (a health check, a log line, the state)
         * takes its pages back as it goes, so an idle container's monitor holds 8 KiB less than with the 16
         * KiB kept before (bench/README.md "The monitor's memory on the host"). */
        (void) malloc_trim(0);
        (void) stack_trim(4U << 10);
}

static void on_stopping(void *userdata) {
        StartedContext *ctx = userdata;
        health_stopping(ctx->health);
        service_stopping(ctx->service);
}

static void on_received_fd(void *userdata, int fd) {
        StartedContext *ctx = userdata;
        launch_terminal_received(ctx->terminal, fd);
}

static void on_received_hosts(void *userdata, int fd) {
        StartedContext *ctx = userdata;
        names_received(ctx->names, fd);
}

static bool on_signal(void *userdata, int sig) {
        StartedContext *ctx = userdata;
        return launch_terminal_signal(ctx->terminal, sig);
}

static struct pollfd *on_pollfds(void *userdata, size_t *ret_n) {
        StartedContext *ctx = userdata;
        struct pollfd *s, *h, *t;
        size_t n_health, n_names, n_terminal;

        s = service_pollfds(ctx->service, &ctx->n_service);
        h = health_pollfds(ctx->health, &n_health);
        t = launch_terminal_pollfds(ctx->terminal, &n_terminal);
        ctx->n_service = MIN(ctx->n_service, (size_t) _SERVICE_FD_MAX);
        n_terminal = MIN(n_terminal, (size_t) TERMINAL_RELAY_CHANNELS_MAX);
        memcpy(ctx->pollfds, s, ctx->n_service * sizeof(struct pollfd));
        memcpy(ctx->pollfds + ctx->n_service, h, _HEALTH_FD_MAX * sizeof(struct pollfd));
        memcpy(ctx->pollfds + ctx->n_service + _HEALTH_FD_MAX, names_pollfds(ctx->names, &n_names),
               sizeof(struct pollfd));
        memcpy(ctx->pollfds + ctx->n_service + _HEALTH_FD_MAX + 1, t, n_terminal * sizeof(struct pollfd));
        *ret_n = ctx->n_service + _HEALTH_FD_MAX + 1 + n_terminal;
        return ctx->pollfds;
}

static void on_ready(void *userdata, size_t index, short revents) {
        StartedContext *ctx = userdata;
        size_t names = ctx->n_service + _HEALTH_FD_MAX;

        if (index < ctx->n_service)
                service_handle(ctx->service, index, revents);
        else if (index < names)
                health_handle(ctx->health, index - ctx->n_service, revents);
        else if (index == names)
                names_handle(ctx->names);
        else
                launch_terminal_ready(ctx->terminal, index - names - 1, revents);
}

static void write_runtime_state(const StartedContext *ctx) {
        const Container *c = ctx->container;
        _cleanup_free_ char *scope = NULL, *binary = NULL;
        char a[INET_ADDRSTRLEN] = "", a6[INET6_ADDRSTRLEN] = "";
        unsigned long long start = 0;
        int r;

        if (ctx->in_scope)
                (void) container_scope_name(c->name, &scope);
        /* which launcher this is, so that ctrctl status can tell when a package upgrade installed another */
        (void) launcher_binary_id("/proc/self/exe", &binary);
        /* our child until we reap it, so this is its start time even if it has exited already */
        (void) pid_stat_field(ctx->pid, 22, &start);

        RuntimeState st = {
                .name = c->name,
                .init_pid = ctx->pid,
                .monitor_pid = getpid(),
                .init_start = start,
                .scope = scope,
                .config_stamp = c->config_stamp,
                .config = c->config,
                .config_size = c->config_size,
                .source_path = c->source_path,
                .address = ctx->address ? (char *) network_address_format(ctx->address, a) : NULL,
                .address6 = ctx->address6 ? (char *) network_address6_format(ctx->address6, a6) : NULL,
                .image_digest = (char *) ctx->image_digest,
                .started_usec = now_realtime_usec(),
                .launcher_version = (char *) PACKAGE_VERSION,
                .launcher_binary = binary,
                .health = ctx->health->enabled ? (char *) health_state_to_string(ctx->health->state) : NULL,
                .health_failing_streak = ctx->health->streak,
        };
        r = runtime_state_write(&st);
        if (r < 0)
                log_warning_errno(r, "Failed to write the runtime state of '%s', continuing: %m", c->name);
}

static int make_staging_dir(const Plan *p) {
        int r;

        /* Created once and kept: an empty directory, shared by all containers (see plan.h). */
        if (access(p->staging_host, F_OK) >= 0)
                return 0;
        r = mkdir_p(p->staging_host, 0755, 0700);
        return r < 0 ? r : 0;
}

/* At most BUS_SLOTS launchers talk to systemd at once. systemd sends every signal (each unit's and each job's
 * change) to every connection on its private socket, unconditionally; 1,000 launchers started together
 * (ctrctl apply of 1,000 new containers) were each connected while they waited for their scope's job, which
 * made that N² messages: systemd then dropped connections (ENOTCONN) or answered after the call's timeout,
 * and 635 of the 1,000 starts failed in bench/apply's guest. A slot is a lock file in RUNTIME_DIR/.bus-slots,
 * held from the connect to the close; the kernel releases it when a launcher dies. Best effort: without the
 * directory, no slot. */
#define BUS_SLOTS 4
/* Connections tried for one scope start: systemd still drops one now and then under a burst of starts
 * (bench/apply: 4 of 1,000 launchers got ENOTCONN with the slots in place). */
#define SCOPE_CONNECT_ATTEMPTS 3

static int bus_slot_take(int *ret_fd) {
        _cleanup_free_ char *dir = strprintf("%s/.bus-slots", runtime_dir());
        _cleanup_close_ int dir_fd = -EBADF;
        char name[16];
        int r;

        *ret_fd = -EBADF;
        if (!dir)
                return -ENOMEM;
        r = mkdir_p(dir, 0755, 0755);
        if (r >= 0) {
                dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                r = dir_fd < 0 ? -errno : 0;
        }
        if (r < 0)
                return log_debug_errno(r, "No launcher slots in %s, talking to systemd without one: %m", dir);
        for (unsigned i = 0; i < BUS_SLOTS; i++) {
                snprintf(name, sizeof(name), "%u", i);
                r = lock_file_at(dir_fd, name, LOCK_EX | LOCK_NB, ret_fd);
                if (r != -EWOULDBLOCK)
                        return r < 0 ? log_debug_errno(r, "Failed to take launcher slot %s/%s: %m", dir, name) : 0;
        }
        /* all taken: wait on one, the waiters spread over them by PID */
        log_debug("All %u launcher slots in %s are taken, waiting for one.", BUS_SLOTS, dir);
        snprintf(name, sizeof(name), "%u", (unsigned) getpid() % BUS_SLOTS);
        r = lock_file_at(dir_fd, name, LOCK_EX, ret_fd);
        return r < 0 ? log_debug_errno(r, "Failed to take launcher slot %s/%s: %m", dir, name) : 0;
}

/* The scope step: the child exists and waits on the sync socket; put it into ctr-NAME.scope before it does
 * anything, so its cgroup namespace (unshared after release) is rooted there. */
static int place_in_scope(const Container *c, const Plan *p, pid_t pid, int pidfd) {
        /* first: released last, after the connection is closed */
        _cleanup_close_ int slot_fd = -EBADF;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *unit = NULL, *error = NULL;
        const char *service = NULL;
        int r;

        (void) bus_slot_take(&slot_fd);
        r = bus_connect(NULL, &bus);
        if (r == -EHOSTDOWN)
                return log_error_errno(r, "systemd is not running on this machine (PID 1 is not systemd); "
                                       "this command needs it.");
        if (r < 0)
                return log_error_errno(r, "Failed to connect to systemd: %m");
        /* BindsTo=/Before= only a service of ours: run from a shell, our unit is the login session's scope. */
        if (sd_pid_get_unit(0, &unit) >= 0 && endswith(unit, ".service"))
                service = unit;
        for (unsigned attempt = 1;; attempt++) {
                r = scope_start(bus, c, pid, pidfd, service, &error);
                if (r >= 0 || (r != -ENOTCONN && r != -ECONNRESET && r != -EPIPE) || attempt >= SCOPE_CONNECT_ATTEMPTS)
                        break;
                /* systemd may have dropped us before or after it took the request: ask on a new connection */
                log_warning("Lost the connection to systemd while starting the scope for container '%s' (%s), "
                            "connecting again.", c->name, strerror(-r));
                bus = sd_bus_flush_close_unref(bus);
                error = mfree(error);
                r = bus_connect(NULL, &bus);
                if (r < 0)
                        return log_error_errno(r, "Failed to connect to systemd again: %m");
                r = scope_adopted(bus, c->name, pid);
                if (r < 0)
                        return log_error_errno(r, "Failed to find out whether systemd started the scope for "
                                               "container '%s': %m", c->name);
                if (r > 0) {
                        log_info("systemd had started the scope for container '%s' before the connection broke.",
                                 c->name);
                        break;
                }
        }
        if (r < 0)
                return log_error_errno(r, "Failed to start the scope for container '%s': %s", c->name,
                                       error ?: strerror(-r));
        r = scope_firewall_check(bus, c, &error);
        if (r < 0)
                return log_error_errno(r, "Container '%s': %s", c->name, error ?: strerror(-r));
        /* before the release: the workload finds its cgroup its own from the start */
        if (p->private_users) {
                r = scope_delegate(bus, c->name, p->userns.base, p->userns.base, &error);
                if (r < 0)
                        return log_error_errno(r, "Container '%s': %s", c->name, error ?: strerror(-r));
        }
        return 0;
}

/* place_in_scope() from a child of ours: libsystemd, its bus and the wait for the job live and die there, and the
 * monitor never maps the library (libsystemd of systemd 257 is linked NODELETE: once loaded, a monitor would keep
 * its relocated data and heap for as long as its container runs, ~100 KiB each). The child logs its own
 * errors. */
static int place_in_scope_apart(const Container *c, const Plan *p, pid_t pid, int pidfd) {
        pid_t parent = getpid(), helper;
        int status;

        helper = fork();
        if (helper < 0)
                return log_error_errno(errno, "Failed to fork for the scope of container '%s': %m", c->name);
        if (helper == 0) {
                /* not past its monitor: a killed launcher's scope request has nobody to report to */
                if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                        _exit(EXIT_FAILURE);
                _exit(place_in_scope(c, p, pid, pidfd) < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
        }
        while (waitpid(helper, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(errno, "Failed to wait for the scope of container '%s': %m",
                                               c->name);
        /* libsystemd could not be loaded (libsystemd-calls.c): 127, as the launcher itself exited with it before
         * (ctr-launch(8)); the init follows by its parent-death signal */
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                _exit(127);
        return WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SUCCESS ? 0 : -EPROTO;
}

int launch_run(const Container *c, const Plan *p, const LaunchOptions *opts) {
        _cleanup_close_ int pidfd = -EBADF, lock_fd = -EBADF;
        _cleanup_(joined_namespaces_done) JoinedNamespaces joined = JOINED_NAMESPACES_INIT;
        _cleanup_free_ char *runtime = NULL;
        Service service = SERVICE_INIT;
        LaunchTerminal terminal = LAUNCH_TERMINAL_INIT;
        Health health = HEALTH_INIT;
        Names names = NAMES_INIT;
        bool release_early = true, stop_requested = false;
        int pair[2] = { -EBADF, -EBADF }, *secret_fds = NULL;
        NetworkBridge net = {};
        sigset_t mask;
        ExecError e = {};
        int r, status = EXIT_SETUP;
        pid_t pid;

        /* The check sd_booted() makes: without systemd as PID 1 there is nobody to ask for a scope. */
        if (!opts->no_scope && access("/run/systemd/system/", F_OK) < 0) {
                log_error_errno(SYNTHETIC_ERRNO(EHOSTDOWN),
                                "systemd is not running on this machine, so there is no scope to ask for; "
                                "run with --no-scope to start the container without one.");
                return EXIT_SETUP;
        }
        /* The cgroup firewall is the scope's: without one, nothing would enforce it. */
        if (opts->no_scope && container_has_cgroup_firewall(c)) {
                log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                "Container '%s' sets IPAddressAllow=, IPAddressDeny=, SocketBindAllow= or "
                                "SocketBindDeny=, which the scope's cgroup enforces: it cannot run with --no-scope.",
                                c->name);
                return EXIT_SETUP;
        }

        /* ctr-default loaded when it is the container's profile and AppArmor is on (apparmor-load.h), before
         * container_exec_prepare() decides the profile from what is loaded. */
        if (launch_apparmor_prepare(p) < 0)
                return EXIT_SETUP;

        /* The seccomp filter is compiled (or read from its cache, $CTR_RUNTIME_DIR/.seccomp) here, not in the
         * child: libseccomp takes longer than the rest of a container start. It also rejects an unsupported
         * SeccompProfile= early, and decides the AppArmor profile. */
        if (container_exec_prepare(c, NULL, &e) < 0) {
                log_error_errno(e.error, "%s: %m", e.message);
                return EXIT_SETUP;
        }

        r = lock_container(c, &lock_fd);
        if (r < 0)
                goto finish;

        /* under the lock: the writable layer is this container's alone */
        if (opts->image) {
                r = launch_image_prepare(c, state_dir(), opts->image);
                if (r < 0)
                        goto finish;
        }

        r = runtime_state_dir(c->name, false, &runtime);
        if (r < 0) {
                log_oom();
                goto finish;
        }
        r = service_prepare(&service, c, runtime);
        if (r < 0)
                goto finish;
        r = launch_terminal_prepare(&terminal, !opts->no_pty);
        if (r == -EISDIR) {
                log_error_errno(r, "A standard stream (fd 0, 1 or 2) is a directory or a path handle, which would "
                                "hand a place of the host to the container; refusing.");
                goto finish;
        }
        if (r < 0) {
                log_error_errno(r, "Failed to create the pipes for the standard streams: %m");
                goto finish;
        }
        r = joined_namespaces_open(p, &joined);
        if (r < 0)
                goto finish;

        r = make_staging_dir(p);
        if (r < 0) {
                log_error_errno(r, "Failed to create '%s': %m", p->staging_host);
                goto finish;
        }
        /* the service's credentials: the child inherits the descriptors, we close ours after clone() */
        r = launch_secrets_open(p, &secret_fds);
        if (r < 0)
                goto finish;

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
        release_early = opts->no_scope;
        if (p->network_bridge || p->private_users)
                release_early = false;  /* eth0, the user namespace's maps and mounts come before the release */
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
                if (launch_child_reexec_wanted())
                        launch_child_reexec(pair[1], &joined, opts->argv);
                launch_child_main(c, p, &joined, secret_fds, pair[1]);
        }
        pair[1] = safe_close(pair[1]);
        launch_log_phase(c->name, "its init cloned");
        secret_fds = launch_secrets_close(p, secret_fds);
        if (p->private_users && userns_parent_setup(p, pid, pair[0], &e) < 0) {
                log_error_errno(e.error, "Container '%s': %s: %m", c->name, e.message);
                monitor_kill_and_reap(pid, pidfd);
                goto finish;
        }
        container_exec_prepared_done();
        service_after_clone(&service);
        r = launch_terminal_after_clone(&terminal);
        if (r < 0) {
                log_error_errno(r, "Failed to relay the terminal: %m");
                monitor_kill_and_reap(pid, pidfd);
                goto finish;
        }

        /* ---- The child exists and waits on the sync socket. Place it in its scope now. ---- */
        if (!opts->no_scope) {
                r = place_in_scope_apart(c, p, pid, pidfd);
                if (r < 0) {
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
                service_scope_placed(&service, pid);
                launch_log_phase(c->name, "its init in the scope");
        }

        if (p->network_bridge) {
                _cleanup_free_ char *error = NULL;

                r = network_bridge_setup(c, p->hostname, pid, &net, &error);
                if (r < 0) {
                        log_error_errno(r, "Container '%s': Network=bridge: %s", c->name,
                                        error ?: strerror(-r));
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
        }

        /* before the release: the child passes its /etc/hosts once its mounts are made */
        if (p->hosts_file && (p->network_bridge || joined.bridged))
                (void) names_watch(&names, p->hostname, p->add_hosts);

        if (!release_early) {
                r = sync_release(pair[0]);
                if (r < 0) {
                        log_error_errno(r, "Failed to start the container: %m");
                        monitor_kill_and_reap(pid, pidfd);
                        goto finish;
                }
                launch_log_phase(c->name, "its init released");
        }

        /* The runtime state (what "ctrctl exec" joins) is written once the workload runs, never while the
         * child still sees the host's root. A failed set-up ends with the child's exit: the record is read
         * then. */
        int stop_signal = c->stop_signal > 0 ? c->stop_signal : SIGTERM;
        StartedContext ctx = {
                .container = c,
                .in_scope = !opts->no_scope,
                .pid = pid,
                .service = &service,
                .terminal = &terminal,
                .health = &health,
                .names = &names,
                .pidfd = pidfd,
                .address = net.address,
                .address6 = net.has_address6 ? &net.address6 : NULL,
                .image_digest = opts->image && opts->image->image ? opts->image->image->manifest_digest : NULL,
        };
        MonitorHooks hooks = {
                .start_fd = pair[0],
                .started = on_started,
                .received_fd = on_received_fd,
                .received_hosts = on_received_hosts,
                .signal = on_signal,
                .stopping = on_stopping,
                .pollfds = on_pollfds,
                .ready = on_ready,
                .reload_signal = c->reload_signal,
                .userdata = &ctx,
        };
        health.changed = on_health_changed;
        health.userdata = &ctx;
        r = monitor_run(pid, pidfd, &hooks, stop_signal, c->stop_timeout_usec, &status, &stop_requested);
        if (r < 0) {
                monitor_kill_and_reap(pid, pidfd);
                status = EXIT_SETUP;
        }
        /* no check outlives the container, nor writes its state after it */
        health_done(&health);
        bool oom = service_exited(&service, status);
        /* before our own messages: the container's last output, then the terminal in its mode again */
        launch_terminal_exited(&terminal);

        /* Under systemd, a stop that was asked for (systemctl stop) is a clean end, whether the workload went on
         * StopSignal= or was killed after StopTimeoutSec=; a workload that failed on its own way out still
         * fails. On a terminal (--no-scope) the status stays what a shell would report. */
        if (!opts->no_scope && stop_requested && !oom && (status == 128 + stop_signal || status == 128 + SIGKILL)) {
                log_debug("Container '%s' stopped on request (status %i).", c->name, status);
                status = EXIT_SUCCESS;
        }
        /* HealthOnFailure=restart: a status the unit's RestartForceExitStatus= restarts on (unit-writer.c) */
        if (health_restart_requested(&health) && stop_requested) {
                log_info("Container '%s' stopped as unhealthy, exiting with status %i for a restart.", c->name,
                         CTR_EXIT_UNHEALTHY);
                status = CTR_EXIT_UNHEALTHY;
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
        launch_secrets_close(p, secret_fds);
        health_done(&health);
        names_done(&names);
        network_bridge_done(&net);
        service_done(&service);
        launch_terminal_done(&terminal);
        container_exec_prepared_done();
        if (lock_fd >= 0)
                (void) runtime_state_remove(c->name);
        safe_close(pair[0]);
        safe_close(pair[1]);
        return status;
}
