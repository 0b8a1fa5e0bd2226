/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-launch's child: the container's init in its new namespaces, from clone() to the workload's execve().
 * It waits for the parent's release (parent.h), then joins a Network=container:NAME namespace, unshares its
 * cgroup namespace, brings up lo, sets the hostname, applies the plan's mounts and pivots into the root,
 * resolves the users and builds the environment, takes a session and pty of its own (terminal.h), drops to
 * the workload's privileges (container-exec.h) and executes the workload, or with Init=yes forks it and stays
 * PID 1 (init.h). Every failure goes to the parent over the sync socket (sync.h) before _exit(): nothing here
 * logs. Also the one way around valgrind, which cannot run the child itself (see CHILD_FD_ENV). */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "chdir-util.h"
#include "child.h"
#include "container-exec.h"
#include "env-host.h"
#include "env-util.h"
#include "init.h"
#include "mount-setup.h"
#include "namespaces.h"
#include "network-names.h"
#include "path-util.h"
#include "secrets.h"
#include "service.h"
#include "signal-util.h"
#include "strv.h"
#include "sync.h"
#include "terminal.h"
#include "userns-mount.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

/* Under valgrind the cloned child is still valgrind's, which knows neither fsopen() nor open_tree(): the child
 * then re-executes the launcher natively (--trace-children=no) with this variable naming the sync socket, and
 * that process redoes the (pure) load and plan and carries on as the child. Only valgrind runs take this path. */
#define CHILD_FD_ENV "CTR_LAUNCH_CHILD_FD"
#define CHILD_FD 3

static const char *const default_exec[] = { "/bin/sh", NULL };

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
        signals_reset_to_default();
        sigemptyset(&empty);
        (void) sigprocmask(SIG_SETMASK, &empty, NULL);
        execve(path, argv, env);
        r = -errno;
        launch_error(&err, r, "Failed to execute '%s'", path);
        child_fail(sync_fd, &err, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

_Noreturn void launch_child_main(const Container *c, const Plan *p, const JoinedNamespaces *joined, int *secret_fds,
                                 int sync_fd) {
        ExecCredentials cred = {};
        ExecError err = {};
        char **env = NULL;
        int root_fd = -EBADF, *parent_mounts = NULL, r;
        const char *term, *cwd;
        bool pty;

        /* Nothing the launcher inherited beyond stdio reaches the workload: a stray directory fd would be a way
         * out of the root. (The sync socket is O_CLOEXEC already and stays usable until execve().) */
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                _exit(EXIT_SETUP);

        /* PrivateUsers=: the maps and the mounts root in the user namespace cannot make (userns-mount.h) */
        if (p->private_users && userns_child_receive(p, sync_fd, &parent_mounts, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        /* Wait until the parent has done its part (the scope): nothing is visible before. */
        if (sync_wait_release(sync_fd) < 0)
                _exit(EXIT_SETUP);
        if (p->private_users &&
            (userns_child_enter_runtime_dir(p, &err) < 0 || userns_child_become_root(&err) < 0))
                child_fail(sync_fd, &err, EXIT_SETUP);

        const char *failed = NULL;
        r = joined_namespaces_enter(joined, &failed);
        if (r < 0) {
                launch_error(&err, r, "Failed to join the %s namespace of container '%s'", failed,
                             p->network_container);
                child_fail(sync_fd, &err, EXIT_SETUP);
        }

        /* Only now, inside the final cgroup: its root becomes the container's cgroup root. */
        r = namespaces_unshare_cgroup(&err);
        if (r < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        if (p->network_loopback &&
            (namespaces_loopback_up(&err) < 0 ||
             namespaces_allow_ping(p->private_users ? p->userns.count - 1 : 2147483647U, &err) < 0))
                child_fail(sync_fd, &err, EXIT_SETUP);
        /* JoinNamespaces=uts: the hostname is the other container's, not ours to change */
        if (!(p->join_namespaces & JOIN_NAMESPACE_UTS) && namespaces_set_hostname(p->hostname, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        r = mount_setup_prepare(p, parent_mounts, &root_fd, &err);
        free(parent_mounts);
        if (r < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        /* Network=bridge and its joiners: the monitor keeps /etc/hosts current (network-names.h) */
        if (p->hosts_file && names_child_pass(p->hosts_file, root_fd, sync_fd, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);

        /* Users from the container's /etc; the environment still on the host side, for EnvironmentFile=. */
        if (exec_credentials_resolve(c, root_fd, &cred, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        /* the service's credentials, the workload's own files from the start */
        if (mount_setup_secrets(p, root_fd, secret_fds, cred.uid, cred.gid, &err) < 0)
                child_fail(sync_fd, &err, EXIT_SETUP);
        term = isatty(STDIN_FILENO) ? getenv("TERM") : NULL;
        /* EnvironmentHost=yes: the launcher's own variables (env-host.h) under the image's, as podman layers
         * them; EnvironmentFile= and Environment= override both */
        _cleanup_strv_free_ char **below = NULL;
        if (c->environment_host &&
            (env_host_filter(environ, &below) < 0 || strv_extend_strv(&below, p->image_environment) < 0)) {
                launch_error(&err, ENOMEM, "Out of memory passing the launcher's environment (EnvironmentHost=)");
                child_fail(sync_fd, &err, EXIT_SETUP);
        }
        if (container_build_environment(c, &cred, term, c->environment_host ? below : p->image_environment,
                                        service_child_environment(c), &env, &err) < 0)
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
                if (chdir("/") < 0) {
                        launch_error(&err, -errno, "Failed to change to '/'");
                        child_fail(sync_fd, &err, EXIT_SETUP);
                }
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
                /* PID 1 in the workload's AppArmor profile too (the workload enters it by its execve()): a
                 * failure now has nobody to tell but the exit status */
                if (container_exec_confine_now(c, &err) < 0) {
                        (void) kill(pid, SIGKILL);
                        _exit(EXIT_SETUP);
                }
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

bool launch_child_reexec_wanted(void) {
#ifdef HAVE_VALGRIND_VALGRIND_H
        return RUNNING_ON_VALGRIND;
#else
        return false;
#endif
}

_Noreturn void launch_child_reexec(int sync_fd, const JoinedNamespaces *joined, char **argv) {
        const char *failed;

        if (joined_namespaces_enter(joined, &failed) < 0)
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
        execv(exe, argv);
        _exit(EXIT_SETUP);
}

bool launch_child_reexecuted(void) {
        if (!getenv(CHILD_FD_ENV))
                return false;
        (void) unsetenv(CHILD_FD_ENV);
        return true;
}

/* Same arguments, same file, same plan: the namespaces the parent opened were joined before the re-execution.
 * The credentials' descriptors did not survive it: opened again (not under PrivateUsers=, which valgrind runs
 * refuse). */
_Noreturn void launch_child_run_reexecuted(const Container *c, const PlanImage *image) {
        _cleanup_strv_free_ char **credentials = NULL;
        _cleanup_plan_free_ Plan *p = NULL;
        int *secret_fds = NULL;
        PlanOptions o;
        int r;

        char hostname[HOST_NAME_MAX + 1] = "";

        plan_options_from_environment(&o);
        o.image = image;
        if (launch_credentials_list(&credentials) < 0)
                _exit(EXIT_SETUP);
        o.credentials = credentials;
        /* JoinNamespaces=uts: joined already, so the hostname in use is the one to write */
        if ((c->join_namespaces & JOIN_NAMESPACE_UTS) && gethostname(hostname, sizeof(hostname) - 1) >= 0)
                o.hostname = hostname;
        r = plan_build(c, &o, &p, NULL);
        if (r < 0 || launch_secrets_open(p, &secret_fds) < 0)
                _exit(EXIT_SETUP);
        /* what the parent prepared is gone with the re-execution: the filter and the AppArmor profile decided
         * again, while /sys is still the host's */
        if (container_exec_prepare(c, "", NULL) < 0)
                _exit(EXIT_SETUP);
        launch_child_main(c, p, &(JoinedNamespaces) JOINED_NAMESPACES_INIT, secret_fds, CHILD_FD);
}
