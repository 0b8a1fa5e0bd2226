/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl apply [--check] [--diff] [--json] [--prune] SOURCE…
 *
 * Makes the config directory hold exactly the containers the SOURCEs describe, in one idempotent step, as
 * configuration management wants it: everything is validated first (one invalid file, and nothing is
 * written), then, under a lock (two runs at once take turns), each changed file is replaced atomically (a
 * run killed midway leaves every file old or new, never torn), and each container is reported unchanged,
 * created, updated, restarted, started or removed. The plan is apply-plan.c's, what it asks of systemd
 * apply-units.c's; this file runs them in order and reports.
 *
 * The order: validate everything; take the lock; compare with the config directory; ask systemd what runs;
 * stop what --prune removes; write the files; one daemon-reload when a file changed; start and restart.
 * Without systemd as PID 1 (a build host, a chroot) the files only, and the report says so. */

#include <errno.h>
#include <fcntl.h>
#include <systemd/sd-daemon.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply-plan.h"
#include "apply-units.h"
#include "buffer.h"
#include "bus-util.h"
#include "ctrctl.h"
#include "ctrctl-util.h"
#include "fd-util.h"
#include "fileio.h"
#include "json.h"
#include "log.h"
#include "mkdir-util.h"
#include "path-util.h"
#include "paths.h"
#include "rm-rf.h"
#include "string-util.h"
#include "strv.h"
#include "unified-diff.h"

#define APPLY_LOCK_FILE ".ctr-apply.lock"

static bool arg_check = false;
static bool arg_diff = false;
static bool arg_json = false;
static bool arg_prune = false;
static bool arg_restart = true;
static bool arg_start = false;
static bool arg_remove_data = false;

enum {
        ARG_CHECK = VERB_OPTION_BASE,
        ARG_DIFF,
        ARG_JSON,
        ARG_PRUNE,
        ARG_NO_RESTART,
        ARG_START,
        ARG_REMOVE_DATA,
};

static int handle_option(int c, _unused_ const char *value) {
        switch (c) {
        case ARG_CHECK:
                arg_check = true;
                return 0;
        case ARG_DIFF:
                arg_diff = true;
                return 0;
        case ARG_JSON:
                arg_json = true;
                return 0;
        case ARG_PRUNE:
                arg_prune = true;
                return 0;
        case ARG_NO_RESTART:
                arg_restart = false;
                return 0;
        case ARG_START:
                arg_start = true;
                return 0;
        case ARG_REMOVE_DATA:
                arg_remove_data = true;
                return 0;
        default:
                return -EINVAL;
        }
}

/* TARGET/.ctr-apply.lock, flock()ed for the whole run (a dot file: the search path ignores it). --check
 * reads without it when it cannot have it (TARGET missing or not writable): it changes nothing. */
static int take_lock(const char *target, int *ret) {
        _cleanup_free_ char *path = NULL;

        if (path_join(target, APPLY_LOCK_FILE, &path) < 0)
                return -ENOMEM;
        return lock_file_at(AT_FDCWD, path, LOCK_EX, ret);
}

/* The directories are synced by the callers, once each after their last rename or removal: a file is old or
 * new whole either way, the directory sync makes the renames durable (one per file cost 1,000 of them for
 * 1,000 new containers, most of apply's time on a disk). */
static int write_file(int dir_fd, const FileChange *f) {
        const char *slash = strchr(f->name, '/');
        _cleanup_free_ char *sub = NULL;
        _cleanup_close_ int sub_fd = -EBADF;

        if (!slash)
                return write_file_atomic_at_full(dir_fd, f->name, f->new, f->new_size, 0644, false);

        sub = strndup(f->name, (size_t) (slash - f->name));
        if (!sub)
                return -ENOMEM;
        if (mkdirat(dir_fd, sub, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        sub_fd = openat(dir_fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub_fd < 0)
                return negative_errno();
        return write_file_atomic_at_full(sub_fd, slash + 1, f->new, f->new_size, 0644, false);
}

static int sync_directory_at(int dir_fd, const char *name) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        return fsync(fd) < 0 ? negative_errno() : 0;
}

static int write_container(int dir_fd, const char *target, const ApplyContainer *a) {
        _cleanup_free_ char *dd = strprintf("%s.ctr.d", a->name);
        bool removed = false, dropins = false;
        int r;

        if (!dd)
                return log_oom();
        for (size_t i = 0; i < a->n_files; i++) {
                const FileChange *f = &a->files[i];

                dropins = dropins || (f->action != FILE_UNCHANGED && strchr(f->name, '/'));
                if (f->action == FILE_CREATE || f->action == FILE_UPDATE)
                        r = write_file(dir_fd, f);
                else if (f->action == FILE_REMOVE) {
                        r = unlinkat(dir_fd, f->name, 0) < 0 && errno != ENOENT ? negative_errno() : 0;
                        removed = true;
                } else
                        continue;
                if (r < 0)
                        return log_error_errno(r, "Failed to %s %s/%s: %m", file_action_to_string(f->action),
                                               target, f->name);
        }
        /* the drop-in directory goes with its last drop-in */
        if (removed && unlinkat(dir_fd, dd, AT_REMOVEDIR) < 0 && errno != ENOENT &&
            errno != ENOTEMPTY && errno != ENOTDIR)
                return log_error_errno(errno, "Failed to remove %s/%s: %m", target, dd);
        if (dropins && (r = sync_directory_at(dir_fd, dd)) < 0)
                return log_error_errno(r, "Failed to sync %s/%s: %m", target, dd);
        return 0;
}

/* What a run killed between writing a file and renaming it left in |dir| (see write_file_atomic_at()): the
 * lock says no run is writing now. Only temporaries of .ctr and .conf files: the directory is not ours. */
static void remove_stale_temporaries(int dir_fd, const char *dir) {
        _cleanup_strv_free_ char **names = NULL;

        if (dir_list_names(dir_fd, dir, &names) < 0)
                return;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *path = NULL, *target = NULL;
                const char *t;
                size_t len;

                t = atomic_temporary_target(*n, &len);
                if (!t || !(target = strndup(t, len)) || (!endswith(target, ".ctr") && !endswith(target, ".conf")))
                        continue;
                if (path_join(dir, *n, &path) >= 0 && unlinkat(dir_fd, path, 0) < 0)
                        log_debug_errno(errno, "Failed to remove %s: %m", path);
        }
}

/* The diff of a container's changed files, labelled with their paths in TARGET (/dev/null when absent). */
static int container_diff(const char *target, const ApplyContainer *a, Buffer *out) {
        for (size_t i = 0; i < a->n_files; i++) {
                const FileChange *f = &a->files[i];
                _cleanup_free_ char *path = NULL;

                if (f->action == FILE_UNCHANGED)
                        continue;
                if (path_join(target, f->name, &path) < 0)
                        return -ENOMEM;
                if (unified_diff(f->action == FILE_CREATE ? "/dev/null" : path, f->old, f->old ? f->old_size : 0,
                                 f->action == FILE_REMOVE ? "/dev/null" : path, f->new, f->new ? f->new_size : 0,
                                 out) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static bool config_changed(const ApplyContainer *a) {
        return !streq(a->hash, a->previous_hash);
}


static int print_json(const ApplyPlan *p, bool systemd, bool reloaded) {
        JsonWriter w;

        json_writer_init(&w, stdout);
        json_begin_object(&w);
        json_field_bool(&w, "check", arg_check);
        json_field_bool(&w, "valid", true);
        json_field_bool(&w, "changed", apply_plan_acts(p));
        json_field_string(&w, "target", p->target);
        json_field_bool(&w, "systemd", systemd);
        json_field_bool(&w, "reloaded", reloaded);
        json_key(&w, "containers");
        json_begin_array(&w);
        for (size_t i = 0; i < p->n_containers; i++) {
                const ApplyContainer *a = &p->containers[i];

                json_begin_object(&w);
                json_field_string(&w, "name", a->name);
                json_field_string(&w, "state", apply_state_to_string(a->state));
                json_field_bool(&w, "config_changed", config_changed(a));
                json_field_string(&w, "hash", a->hash[0] ? a->hash : NULL);
                json_field_string(&w, "previous_hash", a->previous_hash[0] ? a->previous_hash : NULL);
                json_key(&w, "running");
                if (a->running < 0)
                        json_null(&w);
                else
                        json_boolean(&w, a->running > 0);
                json_field_string(&w, "job", apply_job_to_string(a->job));
                json_field_string(&w, "result", a->result);
                json_field_string(&w, "error", a->error);
                json_key(&w, "files");
                json_begin_array(&w);
                for (size_t k = 0; k < a->n_files; k++) {
                        json_begin_object(&w);
                        json_field_string(&w, "path", a->files[k].name);
                        json_field_string(&w, "action", file_action_to_string(a->files[k].action));
                        json_end_object(&w);
                }
                json_end_array(&w);
                if (arg_diff) {
                        _cleanup_(buffer_done) Buffer d = {};

                        if (container_diff(p->target, a, &d) < 0)
                                return log_oom();
                        json_field_string(&w, "diff", d.data ?: "");
                }
                json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        return 0;
}

/* ", started", ", restart failed: …": what became of the container's job. A restart and a --start are in
 * the state itself; under --check only what the state does not say ("would be started"). */
static void print_job(const ApplyContainer *a) {
        static const char *const done[_APPLY_JOB_MAX] = {
                [APPLY_JOB_START] = "started", [APPLY_JOB_RESTART] = "restarted", [APPLY_JOB_STOP] = "stopped",
        };

        if (a->job == APPLY_JOB_NONE)
                return;
        if (a->result && !streq(a->result, "done"))
                printf(", %s failed: %s", apply_job_to_string(a->job), strna(a->error));
        else if (a->state != APPLY_RESTARTED && a->state != APPLY_STARTED)
                printf(", %s%s", arg_check ? "would be " : "", done[a->job]);
}

static int print_text(const ApplyPlan *p, bool systemd) {
        unsigned count[_APPLY_STATE_MAX] = {};

        for (size_t i = 0; i < p->n_containers; i++) {
                const ApplyContainer *a = &p->containers[i];

                count[a->state]++;
                printf("%s: %s", a->name, apply_state_to_string(a->state));
                if (a->state == APPLY_UPDATED && !config_changed(a))
                        fputs(" (the effective configuration is the same)", stdout);
                else if (a->state == APPLY_RESTARTED && !apply_container_changes(a))
                        fputs(" (it ran an older configuration than its files')", stdout);
                print_job(a);
                if (a->state == APPLY_UPDATED && a->running == 0 && config_changed(a))
                        fputs(" (not running: its next start runs it)", stdout);
                fputc('\n', stdout);
                if (arg_diff && apply_container_changes(a)) {
                        _cleanup_(buffer_done) Buffer d = {};

                        if (container_diff(p->target, a, &d) < 0)
                                return log_oom();
                        fputs(d.data ?: "", stdout);
                }
        }
        if (!apply_plan_acts(p))
                printf("Nothing to change: %u unchanged%s.\n", count[APPLY_UNCHANGED],
                       arg_check ? " (--check)" : "");
        else {
                printf("%u created, %u updated, %u removed, %u unchanged",
                       count[APPLY_CREATED], count[APPLY_UPDATED], count[APPLY_REMOVED],
                       count[APPLY_UNCHANGED] + count[APPLY_RESTARTED] + count[APPLY_STARTED]);
                if (count[APPLY_RESTARTED] + count[APPLY_STARTED] > 0)
                        printf(" (%u restarted, %u started)", count[APPLY_RESTARTED], count[APPLY_STARTED]);
                fputs(arg_check ? " (--check: nothing written)" : "", stdout);
                puts(".");
        }
        if (!systemd && apply_plan_changes(p))
                puts("systemd is not running here (not PID 1): nothing was reloaded, started, restarted or "
                     "stopped.");
        return 0;
}

/* --prune --remove-data: the removed containers' persistent writable layers (STATE/containers/NAME and
 * NAME.mstack), once their units are stopped. Volumes are host paths, never touched. */
static int remove_data(const ApplyPlan *p) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *dir = NULL;
        int r, ret = 0;

        if (path_join(state_dir(), "containers", &dir) < 0)
                return log_oom();
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Failed to open %s: %m", dir);
        for (size_t i = 0; i < p->n_containers; i++) {
                const ApplyContainer *a = &p->containers[i];
                _cleanup_free_ char *mstack = strprintf("%s.mstack", a->name);

                if (a->state != APPLY_REMOVED)
                        continue;
                if (!mstack)
                        return log_oom();
                if (a->result && !streq(a->result, "done")) {
                        log_warning("Keeping the data of %s: it did not stop.", a->name);
                        continue;
                }
                r = rm_rf_at(fd, a->name);
                if (r >= 0)
                        r = rm_rf_at(fd, mstack);
                if (r < 0 && r != -ENOENT)
                        ret = log_error_errno(r, "Failed to remove the data of %s in %s: %m", a->name, dir);
        }
        return ret;
}

int verb_apply(int argc, char *argv[]) {
        static const struct option options[] = {
                { "check",       no_argument, NULL, ARG_CHECK },
                { "diff",        no_argument, NULL, ARG_DIFF },
                { "json",        no_argument, NULL, ARG_JSON },
                { "prune",       no_argument, NULL, ARG_PRUNE },
                { "no-restart",  no_argument, NULL, ARG_NO_RESTART },
                { "start",       no_argument, NULL, ARG_START },
                { "remove-data", no_argument, NULL, ARG_REMOVE_DATA },
                {}
        };
        _cleanup_(apply_plan_done) ApplyPlan plan = {};
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_close_ int lock_fd = -EBADF, dir_fd = -EBADF;
        bool systemd, reloaded = false, failed = false;
        Diagnostics diag = {};
        int r, first;

        first = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (first < 0)
                return CTRCTL_EXIT_USAGE;
        if (first == 0)
                return CTRCTL_EXIT_SUCCESS;
        if (arg_remove_data && !arg_prune) {
                log_error("--remove-data removes what --prune removes: give both.");
                return CTRCTL_EXIT_USAGE;
        }
        if (arg_start && !arg_restart) {
                log_error("--start and --no-restart contradict each other.");
                return CTRCTL_EXIT_USAGE;
        }

        /* 1. every SOURCE read and validated: one invalid file, and nothing is touched */
        r = apply_plan_build(argv + first, &plan, &diag);
        if (r >= 0 && !diagnostics_has_errors(&diag)) {
                (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN);   /* warnings */
                diagnostics_clear(&diag);

                /* 2. under the lock: compare with the config directory */
                if (!arg_check) {
                        r = mkdir_p(plan.target, 0755, 0755);
                        if (r < 0)
                                return log_error_errno(r, "Failed to create %s: %m", plan.target);
                }
                r = take_lock(plan.target, &lock_fd);
                if (r < 0 && !(arg_check && (r == -ENOENT || r == -EACCES || r == -EROFS || r == -EPERM)))
                        return log_error_errno(r, "Failed to lock %s/%s: %m", plan.target, APPLY_LOCK_FILE);
                r = apply_plan_compare(&plan, arg_prune, &diag);
        }
        if (r == -EBADMSG || diagnostics_has_errors(&diag)) {
                (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN);
                diagnostics_clear(&diag);
                if (arg_json)
                        printf("{\"check\":%s,\"valid\":false,\"changed\":false,\"containers\":[]}\n",
                               arg_check ? "true" : "false");
                log_error("Invalid configuration, nothing was changed.");
                return CTRCTL_EXIT_FAILURE;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read the sources or %s: %m", plan.target);

        /* 3. what runs now, and what to do about it: systemd's own view, before anything changes */
        systemd = sd_booted() > 0;
        if (systemd) {
                r = bus_connect(NULL, &bus);
                if (r < 0)
                        return bus_log_connect_error(r, NULL);
                r = apply_units_inspect(bus, &plan);
                if (r < 0)
                        return log_error_errno(r, "Failed to ask systemd which containers run: %m");
        }
        apply_units_decide(&plan, systemd && arg_restart, arg_start);

        if (!arg_check) {
                /* 4. what --prune removes stopped while its unit is still loaded; one that does not stop
                 * keeps its files (the reload would leave it running without them) */
                if (systemd) {
                        r = apply_units_run(bus, &plan, true);
                        if (r == -EIO)
                                failed = true;
                        else if (r < 0)
                                return log_error_errno(r, "Failed to stop containers: %m");
                }

                /* 5. the files */
                dir_fd = open(plan.target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dir_fd < 0)
                        return log_error_errno(errno, "Failed to open %s: %m", plan.target);
                remove_stale_temporaries(dir_fd, ".");
                for (size_t i = 0; i < plan.n_containers; i++) {
                        _cleanup_free_ char *dd = strprintf("%s.ctr.d", plan.containers[i].name);
                        if (!dd)
                                return log_oom();
                        remove_stale_temporaries(dir_fd, dd);
                }
                for (size_t i = 0; i < plan.n_containers; i++) {
                        const ApplyContainer *a = &plan.containers[i];

                        if (!apply_container_changes(a) ||
                            (a->job == APPLY_JOB_STOP && !streq_ptr(a->result, "done")))
                                continue;
                        r = write_container(dir_fd, plan.target, a);
                        if (r < 0)
                                return r;
                }
                if (apply_plan_changes(&plan) && fsync(dir_fd) < 0)
                        return log_error_errno(errno, "Failed to sync %s: %m", plan.target);
                if (arg_remove_data && remove_data(&plan) < 0)
                        failed = true;

                /* 6. one reload, then the starts and restarts together */
                if (systemd && apply_plan_changes(&plan)) {
                        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;

                        r = bus_daemon_reload(bus, &error);
                        if (r < 0)
                                return log_error_errno(r, "Failed to reload systemd: %s",
                                                       error.message ?: strerror(-r));
                        reloaded = true;
                }
                if (systemd) {
                        r = apply_units_run(bus, &plan, false);
                        if (r == -EIO)
                                failed = true;
                        else if (r < 0)
                                return log_error_errno(r, "Failed to start containers: %m");
                }
        } else
                reloaded = systemd && apply_plan_changes(&plan);

        r = arg_json ? print_json(&plan, systemd, reloaded) : print_text(&plan, systemd);
        if (r < 0)
                return r;
        if (fflush(stdout) != 0)
                return log_error_errno(EIO, "Failed to write output: %m");
        return failed ? CTRCTL_EXIT_FAILURE : CTRCTL_EXIT_SUCCESS;
}
