/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl run [OPTIONS…] IMAGE|host [CMD…]         an ad-hoc container, as people use "docker run"
 * ctrctl run [--no-scope] [--config-path=DIRS] FILE|NAME     a declared container in the foreground
 *
 * Ad hoc: the options become .ctr keys (--volume → Volume=, --env → Environment=, --memory → MemoryMax=, …),
 * written to RUNTIME_DIR/N.ctr (/run/ctr is on the search path, so the one parser reads it and it is gone
 * after a reboot), checked with that parser, then:
 *
 * - in the foreground: ctr-launch runs as ctrctl's child on the caller's terminal. As systemd-run --scope
 *   does, ctrctl first asks systemd (StartTransientUnit) for a scope ctrctl-N.scope holding that child, so
 *   the monitor is a unit of its own; the launcher then asks for ctr-N.scope for the container (BindsTo= only
 *   a service, so here the init's parent-death signal ties the container to the monitor). The container never
 *   holds the caller's terminal (the launcher relays it, see src/launch/terminal.h): with -t it gets a pty of
 *   its own, the caller's terminal goes raw and Ctrl-C is SIGINT inside, as with "docker run -t"; without
 *   -t (-i: stdin, and stdout/stderr, through pipes) the terminal's Ctrl-C reaches the launcher, which stops
 *   the container with its StopSignal=. ctrctl waits, exits with the container's status and with --rm removes
 *   the file (and --rm makes the writable layer a tmpfs, Ephemeral=yes, so nothing is left on disk).
 * - with --detach: a daemon-reload over sd-bus (the generator sees the file), then StartUnit
 *   ctr@N.service; from then on it is managed, listed and logged like any declared container.
 * - with --no-scope (no systemd; the host tests): ctr-launch --no-scope as the child, no units at all.
 *
 * An IMAGE the store does not have is pulled first, as "docker run" does (progress on a terminal, as `ctrctl
 * image pull` shows it), so that a detached start does not pull out of sight.
 *
 * A FILE (an existing path with a '/', or an existing *.ctr) or the NAME of a declared container, without
 * ad-hoc options or a command, runs that container in the foreground the same way. $CTR_LAUNCH overrides
 * the launcher's path (tests, a build tree).
 *
 * This file holds the verb and the running; the .ctr is written by run-ctr.c. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bus-util.h"
#include "ctr-file.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "env-util.h"
#include "image-ctl.h"
#include "image-ref.h"
#include "log.h"
#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "paths.h"
#include "run-ctr.h"
#include "runtime-state.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

#define RUN_LIST_MAX 1024U

static bool arg_no_scope = false;
static const char *arg_config_path = NULL;
static bool arg_tty = false;
static bool arg_interactive = false;
static bool arg_detach = false;
static const char *arg_name = NULL;
static RunCtr arg_ctr = {};             /* the options that become keys of the .ctr */
static bool arg_adhoc_options = false;

enum {
        ARG_NO_SCOPE = VERB_OPTION_BASE,
        ARG_CONFIG_PATH,
        ARG_RM,
        ARG_NAME,
        ARG_NETWORK,
};

static int handle_option(int c, const char *value) {
        uint64_t size;

        switch (c) {
        case ARG_NO_SCOPE:
                arg_no_scope = true;
                return 0;
        case ARG_CONFIG_PATH:
                arg_config_path = value;
                return 0;
        case 't':
                arg_tty = true;
                break;
        case 'i':
                arg_interactive = true;
                break;
        case ARG_RM:
                arg_ctr.rm = true;
                break;
        case 'd':
                arg_detach = true;
                break;
        case ARG_NAME:
                if (!container_name_is_valid(value)) {
                        log_error("Invalid container name '%s'.", value);
                        return -EINVAL;
                }
                arg_name = value;
                break;
        case 'v':
                if (run_ctr_check_value("volume", value) < 0)
                        return -EINVAL;
                if (strv_length(arg_ctr.volumes) >= RUN_LIST_MAX || strv_extend(&arg_ctr.volumes, value) < 0)
                        return log_oom();
                break;
        case 'e':
                if (!env_assignment_is_valid(value)) {
                        log_error("Invalid environment assignment '%s', expected KEY=VALUE.", value);
                        return -EINVAL;
                }
                if (strv_length(arg_ctr.env) >= RUN_LIST_MAX || strv_extend(&arg_ctr.env, value) < 0)
                        return log_oom();
                break;
        case 'm':
                if (parse_size_or_infinity(value, &size) < 0) {
                        log_error("Invalid memory limit '%s', expected e.g. 512M or infinity.", value);
                        return -EINVAL;
                }
                arg_ctr.memory = value;
                break;
        case 'u':
                if (!user_group_is_valid(value)) {
                        log_error("Invalid user '%s'.", value);
                        return -EINVAL;
                }
                arg_ctr.user = value;
                break;
        case 'w':
                if (!path_is_absolute(value) || run_ctr_check_value("working directory", value) < 0) {
                        log_error("The working directory must be an absolute path, got '%s'.", value);
                        return -EINVAL;
                }
                arg_ctr.workdir = value;
                break;
        case ARG_NETWORK:
                if (run_ctr_check_value("network", value) < 0)
                        return -EINVAL;
                arg_ctr.network = value;
                break;
        case 'p':
                /* checked by the parser when the file is read, with its line */
                if (run_ctr_check_value("published port", value) < 0)
                        return -EINVAL;
                if (strv_length(arg_ctr.publish) >= RUN_LIST_MAX || strv_extend(&arg_ctr.publish, value) < 0)
                        return log_oom();
                break;
        default:
                return -EINVAL;
        }
        arg_adhoc_options = true;
        return 0;
}

static void free_args(void) {
        arg_ctr.volumes = strv_free(arg_ctr.volumes);
        arg_ctr.env = strv_free(arg_ctr.env);
        arg_ctr.publish = strv_free(arg_ctr.publish);
}

/* The monitor's own scope, as systemd-run --scope: ctrctl-N.scope with |pid| in it. */
static int start_monitor_scope(sd_bus *bus, const char *name, pid_t pid) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        _cleanup_free_ char *unit = NULL, *description = NULL, *text = NULL, *result = NULL;
        int r;

        if (asprintf(&unit, "ctrctl-%s.scope", name) < 0 ||
            asprintf(&description, "ctrctl run %s (the launcher of ctr-%s.scope)", name, name) < 0)
                return log_oom();

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                           "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", unit, "fail");
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sv)", 4,
                                          "Description", "s", description,
                                          "PIDs", "au", 1, (uint32_t) pid,
                                          "Slice", "s", "machine.slice",
                                          "CollectMode", "s", "inactive-or-failed");
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return log_error_errno(r, "Failed to build the StartTransientUnit call: %m");

        r = bus_call_job(bus, m, BUS_JOB_TIMEOUT_USEC, &result, &error);
        if (r < 0)
                return log_error_errno(r, "Failed to start %s: %s", unit, error.message ?: strerror(-r));
        if (!streq(result, "done")) {
                if (bus_job_failure_text(bus, unit, result, &text) >= 0)
                        log_error("%s", text);
                return -EIO;
        }
        return 0;
}

static int run_launcher(const char *file, const char *name, sd_bus *bus) {
        _cleanup_free_ char *config = NULL;
        const char *launch, *args[7];
        struct termios saved_termios;
        bool termios_saved;
        int pipefd[2], status;
        size_t n = 0;
        sigset_t mask;
        pid_t pid;
        char c = 0;

        launch = ctrctl_launcher_path();

        args[n++] = "ctr-launch";
        if (arg_no_scope)
                args[n++] = "--no-scope";
        /* -i without -t is "docker run -i": stdin through a pipe, no pty, the terminal stays in its mode */
        if (arg_interactive && !arg_tty)
                args[n++] = "--no-pty";
        if (arg_config_path) {
                if (asprintf(&config, "--config-path=%s", arg_config_path) < 0)
                        return log_oom();
                args[n++] = config;
        }
        args[n++] = "--";
        args[n++] = file;
        args[n] = NULL;

        if (arg_tty && !isatty(STDIN_FILENO))
                return log_error_errno(SYNTHETIC_ERRNO(ENOTTY), "-t needs standard input to be a terminal.");

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to create a pipe: %m");
        /* The launcher puts the terminal in raw mode with -t and restores it on its way out; should it be
         * killed, we do. */
        termios_saved = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) >= 0;

        /* Ours are handled below; the terminal's Ctrl-C reaches the launcher directly (same process group). */
        (void) sigset_make(&mask, SIGCHLD, SIGINT, SIGQUIT, SIGTERM, SIGHUP, -1);
        (void) sigprocmask(SIG_BLOCK, &mask, NULL);

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                safe_close(pipefd[0]);
                safe_close(pipefd[1]);
                return log_error_errno(errno, "Failed to fork: %m");
        }
        if (pid == 0) {
                sigset_t empty;

                safe_close(pipefd[1]);
                /* wait until we sit in our scope */
                if (read(pipefd[0], &c, 1) != 1)
                        _exit(EXIT_FAILURE);
                if (!arg_interactive && !arg_tty) {
                        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                        if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
                                _exit(EXIT_FAILURE);
                }
                sigemptyset(&empty);
                (void) sigprocmask(SIG_SETMASK, &empty, NULL);
                execv(launch, (char *const *) args);
                fprintf(stderr, "ctrctl: Failed to execute %s: %m\n", launch);
                _exit(127);
        }
        safe_close(pipefd[0]);

        if (bus && start_monitor_scope(bus, name, pid) < 0) {
                safe_close(pipefd[1]);  /* the child reads EOF and exits */
                (void) waitpid(pid, NULL, 0);
                (void) sigprocmask(SIG_UNBLOCK, &mask, NULL);
                return -EIO;
        }
        if (write(pipefd[1], "x", 1) != 1)
                log_warning_errno(errno, "Failed to release the launcher: %m");
        safe_close(pipefd[1]);

        for (;;) {
                siginfo_t si = {};
                int sig;

                if (waitpid(pid, &status, WNOHANG) == pid)
                        break;
                sig = sigwaitinfo(&mask, &si);
                if (sig < 0 || sig == SIGCHLD)
                        continue;
                if ((sig == SIGINT || sig == SIGQUIT) && si.si_code == SI_KERNEL)
                        continue;
                (void) kill(pid, sig);
        }
        (void) sigprocmask(SIG_UNBLOCK, &mask, NULL);

        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (termios_saved)
                (void) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
        return 128 + WTERMSIG(status);
}

static int remove_tree(const char *path) {
        /* The writable layer is only ever ours to remove when --rm created it; refuse anything odd. */
        pid_t pid;
        int status;

        if (!path_is_absolute(path) || strstr(path, "/.."))
                return -EINVAL;
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execl("/bin/rm", "rm", "-rf", "--one-file-system", "--", path, (char *) NULL);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* Pulls |image| when it names a registry's image the store does not have. Returns the exit status. */
static int pull_missing(const char *image) {
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_image_free_ Image *found = NULL;
        int r;

        if (streq(image, "host") || image_reference_digest_prefix(image))
                return CTRCTL_EXIT_SUCCESS;
        r = image_store_open(NULL, false, &s);
        /* an image present but unusable is the launcher's to report */
        if (r >= 0 && image_store_resolve(s, image, &found, NULL) != -ENOENT)
                return CTRCTL_EXIT_SUCCESS;
        if (r == -ENOENT)
                r = image_store_open(NULL, true, &s);
        if (r < 0) {
                log_error_errno(r, "Cannot open the image store in %s/images: %m", state_dir());
                return CTRCTL_EXIT_FAILURE;
        }
        return image_pull_show(s, image, false, NULL);
}

static int run_adhoc(const char *image, char **cmd) {
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_free_ char *name = NULL, *path = NULL, *layer = NULL;
        _cleanup_container_free_ Container *existing = NULL;
        _cleanup_strv_free_ char **search = NULL;
        bool layer_existed;
        int r, status;

        if (arg_detach && (arg_tty || arg_interactive)) {
                log_error("--detach cannot be combined with -t or -i: a detached container has no terminal.");
                return CTRCTL_EXIT_USAGE;
        }
        if (arg_detach && arg_ctr.rm) {
                log_error("--detach cannot be combined with --rm: a detached container is a unit; its file is in "
                          "/run and goes at reboot, or remove it with 'ctrctl stop' and rm.");
                return CTRCTL_EXIT_USAGE;
        }
        if (arg_detach && arg_no_scope) {
                log_error("--detach starts ctr@NAME.service and needs systemd; it cannot be combined with --no-scope.");
                return CTRCTL_EXIT_USAGE;
        }
        if (!streq(image, "host") && !image_reference_is_valid(image)) {
                log_error("Invalid image '%s'.", image);
                return CTRCTL_EXIT_USAGE;
        }
        if (run_ctr_check_value("image", image) < 0)
                return CTRCTL_EXIT_USAGE;

        if (arg_name)
                name = strdup(arg_name);
        else
                r = run_ctr_generate_name(&name);
        if (!name)
                return log_oom();

        /* a name that is taken anywhere on the search path or running is refused */
        r = ctr_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");
        {
                Diagnostics diag = {};
                r = container_load(name, search, &diag, &existing);
                diagnostics_clear(&diag);
        }
        if (r != -ENOENT) {
                log_error("A container named '%s' exists already%s; choose another with --name.", name,
                          existing && existing->source_path ? " (see 'ctrctl cat')" : "");
                return CTRCTL_EXIT_FAILURE;
        }
        if (container_init_pid(NULL, name, NULL, &(pid_t) { 0 }) >= 0) {
                log_error("A container named '%s' is running; choose another with --name.", name);
                return CTRCTL_EXIT_FAILURE;
        }

        if (!arg_no_scope) {
                r = bus_connect(NULL, &bus);
                if (r == -EHOSTDOWN)
                        return log_error_errno(r, "systemd is not running on this machine; use --no-scope to run "
                                               "the container without units.");
                if (r < 0)
                        return bus_log_connect_error(r, NULL);
        }

        status = pull_missing(image);
        if (status != CTRCTL_EXIT_SUCCESS)
                return status;

        r = run_ctr_write(&arg_ctr, name, image, cmd, &path);
        if (r < 0)
                return r;

        if (arg_detach) {
                _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_free_ char *unit = NULL, *result = NULL, *msg = NULL;

                r = bus_daemon_reload(bus, &error);
                if (r < 0) {
                        (void) unlink(path);
                        return log_error_errno(r, "Failed to reload systemd: %s", error.message ?: strerror(-r));
                }
                if (container_service_name(name, &unit) < 0)
                        return log_oom();
                r = bus_unit_job(bus, "StartUnit", unit, BUS_JOB_TIMEOUT_USEC, &result, &error);
                if (r < 0) {
                        log_error("Failed to start %s: %s", unit, error.message ?: strerror(-r));
                        log_error("See 'ctrctl status %s'; the file stays in %s.", name, path);
                        return CTRCTL_EXIT_FAILURE;
                }
                if (!streq(result, "done")) {
                        if (bus_job_failure_text(bus, unit, result, &msg) >= 0)
                                log_error("%s", msg);
                        log_error("See 'ctrctl status %s' and 'ctrctl logs %s' for details.", name, name);
                        return CTRCTL_EXIT_FAILURE;
                }
                printf("%s\n", name);
                return 0;
        }

        if (asprintf(&layer, "%s/containers/%s", state_dir(), name) < 0)
                return log_oom();
        layer_existed = access(layer, F_OK) >= 0;

        status = run_launcher(path, name, bus);

        if (arg_ctr.rm) {
                if (unlink(path) < 0 && errno != ENOENT)
                        log_warning_errno(errno, "Failed to remove '%s': %m", path);
                if (!layer_existed && access(layer, F_OK) >= 0 && remove_tree(layer) < 0)
                        log_warning("Failed to remove '%s'.", layer);
                (void) runtime_state_remove(name);
        }
        return status < 0 ? CTRCTL_EXIT_FAILURE : status;
}

static int run_declared(const char *arg) {
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_free_ char *path = NULL, *name = NULL;
        int r;

        /* "web.ctr" in the current directory is a file, as for validate; the launcher wants a '/' for that. */
        if (strchr(arg, '/') || endswith(arg, ".ctr")) {
                path = realpath(arg, NULL);
                if (!path)
                        return log_error_errno(errno, "Failed to resolve '%s': %m", arg);
                name = strdup(path_basename(path));
                if (!name)
                        return log_oom();
                if (endswith(name, ".ctr"))
                        name[strlen(name) - 4] = '\0';
                arg = path;
        } else if (!(name = strdup(arg)))
                return log_oom();

        if (!arg_no_scope) {
                r = bus_connect(NULL, &bus);
                if (r == -EHOSTDOWN)
                        return log_error_errno(r, "systemd is not running on this machine; use --no-scope.");
                if (r < 0)
                        return bus_log_connect_error(r, NULL);
        }
        /* a declared container runs as ctr-launch typed at a shell would: stdin passed on, and a pty of its
         * own when stdin is a terminal */
        arg_interactive = true;
        arg_tty = isatty(STDIN_FILENO);
        r = run_launcher(arg, container_name_is_valid(name) ? name : "file", bus);
        return r < 0 ? CTRCTL_EXIT_FAILURE : r;
}

/* A FILE or a declared NAME (old form) rather than an image. */
static bool is_declared(const char *arg, int n_cmd) {
        _cleanup_strv_free_ char **search = NULL;
        struct stat st;

        if ((strchr(arg, '/') || endswith(arg, ".ctr")) && stat(arg, &st) >= 0 && S_ISREG(st.st_mode))
                return true;
        if (streq(arg, "host") || n_cmd > 0 || arg_adhoc_options || !container_name_is_valid(arg))
                return false;
        if (arg_config_path) {
                if (strv_split(arg_config_path, ":", &search) < 0)
                        return false;
        } else if (ctr_search_path(&search) < 0)
                return false;
        {
                _cleanup_container_free_ Container *c = NULL;
                Diagnostics diag = {};
                int r = container_load(arg, search, &diag, &c);
                diagnostics_clear(&diag);
                return r != -ENOENT;
        }
}

int verb_run(int argc, char *argv[]) {
        static const struct option options[] = {
                { "no-scope",    no_argument,       NULL, ARG_NO_SCOPE    },
                { "config-path", required_argument, NULL, ARG_CONFIG_PATH },
                { "tty",         no_argument,       NULL, 't'             },
                { "interactive", no_argument,       NULL, 'i'             },
                { "rm",          no_argument,       NULL, ARG_RM          },
                { "detach",      no_argument,       NULL, 'd'             },
                { "name",        required_argument, NULL, ARG_NAME        },
                { "volume",      required_argument, NULL, 'v'             },
                { "env",         required_argument, NULL, 'e'             },
                { "memory",      required_argument, NULL, 'm'             },
                { "user",        required_argument, NULL, 'u'             },
                { "workdir",     required_argument, NULL, 'w'             },
                { "network",     required_argument, NULL, ARG_NETWORK     },
                { "publish",     required_argument, NULL, 'p'             },
                {}
        };
        int i, r;
        bool posix = getenv("POSIXLY_CORRECT");

        /* Options end at the image: "ctrctl run host ls -l" runs "ls -l" (getopt would take -l for ours). */
        if (!posix)
                (void) setenv("POSIXLY_CORRECT", "1", 1);
        i = verb_parse_options(argc, argv, options, "tidv:e:m:u:w:p:", handle_option);
        if (!posix)
                (void) unsetenv("POSIXLY_CORRECT");
        if (i <= 0) {
                free_args();
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        }

        if (is_declared(argv[i], argc - i - 1)) {
                if (arg_detach || arg_ctr.rm || arg_tty) {
                        log_error("--detach, --rm and -t are for an IMAGE; a declared container is started with "
                                  "'ctrctl start %s'.", argv[i]);
                        free_args();
                        return CTRCTL_EXIT_USAGE;
                }
                r = run_declared(argv[i]);
        } else {
                char **cmd = argv + i + 1;

                /* "ctrctl run host -- cmd": the separator is not part of the command */
                if (*cmd && streq(*cmd, "--"))
                        cmd++;
                r = run_adhoc(argv[i], cmd);
        }
        free_args();
        return r < 0 ? CTRCTL_EXIT_FAILURE : r;
}
