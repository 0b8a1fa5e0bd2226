/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply-plan.h"
#include "config-hash.h"
#include "ctr-file.h"
#include "fileio.h"
#include "launch-check.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

static const char *const file_action_table[_FILE_ACTION_MAX] = {
        [FILE_UNCHANGED] = "unchanged",
        [FILE_CREATE] = "create",
        [FILE_UPDATE] = "update",
        [FILE_REMOVE] = "remove",
};

static const char *const apply_state_table[_APPLY_STATE_MAX] = {
        [APPLY_UNCHANGED] = "unchanged",
        [APPLY_CREATED] = "created",
        [APPLY_UPDATED] = "updated",
        [APPLY_REMOVED] = "removed",
        [APPLY_RESTARTED] = "restarted",
        [APPLY_STARTED] = "started",
};

static const char *const apply_job_table[_APPLY_JOB_MAX] = {
        [APPLY_JOB_NONE] = NULL,
        [APPLY_JOB_START] = "start",
        [APPLY_JOB_RESTART] = "restart",
        [APPLY_JOB_STOP] = "stop",
};

const char *file_action_to_string(FileAction a) {
        return a >= 0 && a < _FILE_ACTION_MAX ? file_action_table[a] : NULL;
}

const char *apply_state_to_string(ApplyState s) {
        return s >= 0 && s < _APPLY_STATE_MAX ? apply_state_table[s] : NULL;
}

const char *apply_job_to_string(ApplyJob j) {
        return j >= 0 && j < _APPLY_JOB_MAX ? apply_job_table[j] : NULL;
}

static void apply_container_done(ApplyContainer *c) {
        for (size_t i = 0; i < c->n_files; i++) {
                free(c->files[i].name);
                free(c->files[i].old);
                free(c->files[i].new);
        }
        free(c->files);
        free(c->name);
        free(c->result);
        free(c->error);
}

void apply_plan_done(ApplyPlan *p) {
        for (size_t i = 0; i < p->n_containers; i++)
                apply_container_done(&p->containers[i]);
        free(p->containers);
        free(p->target);
        strv_free(p->lower);
        *p = (ApplyPlan) {};
}

ApplyContainer *apply_plan_find(ApplyPlan *p, const char *name) {
        for (size_t i = 0; i < p->n_containers; i++)
                if (streq(p->containers[i].name, name))
                        return &p->containers[i];
        return NULL;
}

static int plan_add(ApplyPlan *p, const char *name, ApplyContainer **ret) {
        ApplyContainer *a = reallocarray(p->containers, p->n_containers + 1, sizeof(ApplyContainer));

        if (!a)
                return -ENOMEM;
        p->containers = a;
        a += p->n_containers;
        *a = (ApplyContainer) { .name = strdup(name), .running = -1 };
        if (!a->name)
                return -ENOMEM;
        p->n_containers++;
        *ret = a;
        return 0;
}

static FileChange *container_file(ApplyContainer *c, const char *name) {
        for (size_t i = 0; i < c->n_files; i++)
                if (streq(c->files[i].name, name))
                        return &c->files[i];
        return NULL;
}

static int container_add_file(ApplyContainer *c, const char *name, FileChange **ret) {
        FileChange *f = reallocarray(c->files, c->n_files + 1, sizeof(FileChange));

        if (!f)
                return -ENOMEM;
        c->files = f;
        f += c->n_files;
        *f = (FileChange) { .name = strdup(name) };
        if (!f->name)
                return -ENOMEM;
        c->n_files++;
        *ret = f;
        return 0;
}

/* A SOURCE file's contents: a regular file only (apply installs files, not links or masks). */
static int read_source(const char *path, char **ret, size_t *ret_size, Diagnostics *diag) {
        struct stat st;
        int r;

        if (lstat(path, &st) < 0)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, errno, path, 0, NULL, NULL, NULL,
                                       "Cannot read: %s.", strerror(errno)) < 0 ? -ENOMEM : -EBADMSG;
        if (!S_ISREG(st.st_mode))
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, EBADFD, path, 0, NULL, NULL, NULL,
                                       "Not a regular file: apply installs regular files only (no links, no "
                                       "masks).") < 0 ? -ENOMEM : -EBADMSG;
        r = read_full_file_at(AT_FDCWD, path, CTR_FILE_SIZE_MAX, ret, ret_size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, path, 0, NULL, NULL, NULL, "Cannot read: %s.",
                                       strerror(-r)) < 0 ? -ENOMEM : -EBADMSG;
        return 0;
}

/* One desired container: |main| (NULL: drop-ins only) and the *.conf of |dropin_dir| (may not exist). Its
 * files go into |p|, and it is loaded as it will be once installed: the lower directories' files below it. */
static int add_desired(ApplyPlan *p, const char *name, const char *main, const char *dropin_dir, Diagnostics *diag) {
        _cleanup_strv_free_ char **names = NULL, **dropins = NULL, **effective = NULL;
        _cleanup_container_free_ Container *c = NULL;
        ContainerSource *lower = NULL;
        size_t n_lower = 0;
        ApplyContainer *a;
        FileChange *f;
        bool bad = false;
        int r;

        if (apply_plan_find(p, name))
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, EEXIST, main ?: dropin_dir, 0, NULL, NULL, name,
                                       "Container '%s' is described by more than one SOURCE.", name) < 0 ?
                       -ENOMEM : -EBADMSG;
        r = plan_add(p, name, &a);
        if (r < 0)
                return r;

        if (main) {
                _cleanup_free_ char *rel = strprintf("%s.ctr", name);
                if (!rel)
                        return -ENOMEM;
                r = container_add_file(a, rel, &f);
                if (r >= 0)
                        r = read_source(main, &f->new, &f->new_size, diag);
                if (r == -ENOMEM)
                        return r;
                bad = bad || r < 0;
        }

        r = dir_list_names(AT_FDCWD, dropin_dir, &names);
        if (r < 0 && r != -ENOENT && r != -ENOTDIR)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, dropin_dir, 0, NULL, NULL, NULL,
                                       "Cannot read the drop-in directory: %s.", strerror(-r)) < 0 ? -ENOMEM : -EBADMSG;
        STRV_FOREACH(d, names) {
                _cleanup_free_ char *path = NULL, *rel = NULL;

                if (ctr_file_name_is_temporary(*d) || !endswith(*d, ".conf"))
                        continue;
                if (path_join(dropin_dir, *d, &path) < 0 || !(rel = strprintf("%s.ctr.d/%s", name, *d)) ||
                    strv_extend(&dropins, path) < 0)
                        return -ENOMEM;
                r = container_add_file(a, rel, &f);
                if (r >= 0)
                        r = read_source(path, &f->new, &f->new_size, diag);
                if (r == -ENOMEM)
                        return r;
                bad = bad || r < 0;
        }
        if (bad)
                return -EBADMSG;

        /* validated as the generator will see it: the lower directories' drop-ins below these */
        r = container_enumerate_one(p->lower, name, &lower, &n_lower);
        if (r < 0)
                return r;
        r = container_dropins_add_dir(n_lower > 0 ? lower[0].dropins : NULL, dropin_dir, &effective);
        if (r >= 0) {
                ContainerSource s = {
                        .name = (char *) name,
                        .path = (char *) (main ?: (n_lower > 0 ? lower[0].path : NULL)),
                        .dropins = effective,
                };
                r = container_load_source(&s, diag, &c);
        }
        container_source_free_many(lower, n_lower);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (!diagnostics_has_errors(diag))
                        (void) diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, main ?: dropin_dir, 0, NULL, NULL, name,
                                               "Container '%s' cannot be loaded: %s.", name, strerror(-r));
                return -EBADMSG;
        }
        /* what ctr-launch would refuse at start counts as invalid, as it does for validate */
        r = container_check_launch(c, diag);
        if (r < 0)
                return r;
        if (diagnostics_has_errors(diag))
                return -EBADMSG;
        return container_config_hash(c, a->hash);
}

static int add_source(ApplyPlan *p, const char *source, Diagnostics *diag) {
        struct stat st;
        int r;

        if (stat(source, &st) < 0)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, errno, source, 0, NULL, NULL, NULL, "SOURCE: %s.",
                                       strerror(errno)) < 0 ? -ENOMEM : -EBADMSG;

        if (S_ISDIR(st.st_mode)) {
                char *dirs[] = { (char *) source, NULL };
                ContainerSource *s = NULL;
                size_t n = 0;
                int ret = 0;

                r = container_enumerate_full(dirs, diag, &s, &n);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *dd = strprintf("%s/%s.ctr.d", source, s[i].name);

                        if (!dd)
                                r = -ENOMEM;
                        else if (s[i].masked)
                                r = diagnostics_add(diag, DIAGNOSTIC_ERROR, EBADFD, source, 0, NULL, NULL,
                                                    s[i].name, "'%s.ctr' is a link to /dev/null: apply installs "
                                                    "regular files only (no masks).", s[i].name) < 0 ?
                                    -ENOMEM : -EBADMSG;
                        else
                                r = add_desired(p, s[i].name, s[i].path, dd, diag);
                        if (r == -ENOMEM) {
                                container_source_free_many(s, n);
                                return r;
                        }
                        if (r < 0)
                                ret = r;
                }
                container_source_free_many(s, n);
                return ret;
        }

        const char *b = path_basename(source), *e = endswith(b, ".ctr");
        _cleanup_free_ char *name = e ? strndup(b, (size_t) (e - b)) : NULL, *dd = strprintf("%s.d", source);

        if (!e)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, EINVAL, source, 0, NULL, NULL, NULL,
                                       "SOURCE is neither a directory nor a NAME.ctr file.") < 0 ? -ENOMEM : -EBADMSG;
        if (!name || !dd)
                return -ENOMEM;
        if (!container_name_is_valid(name))
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, EINVAL, source, 0, NULL, NULL, name,
                                       "Invalid container name '%s'.", name) < 0 ? -ENOMEM : -EBADMSG;
        return add_desired(p, name, source, dd, diag);
}

int apply_plan_build(char *const *sources, ApplyPlan *p, Diagnostics *diag) {
        _cleanup_strv_free_ char **search = NULL;
        int r, ret = 0;

        r = ctr_search_path(&search);
        if (r < 0)
                return r;
        if (strv_isempty(search))
                return -ENOENT;
        *p = (ApplyPlan) { .target = strdup(search[0]) };
        if (!p->target || strv_copy(search + 1, &p->lower) < 0)
                return -ENOMEM;

        STRV_FOREACH(s, sources) {
                r = add_source(p, *s, diag);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        ret = -EBADMSG;
        }
        return ret < 0 || diagnostics_has_errors(diag) ? -EBADMSG : 0;
}

/* TARGET's copy of |name| (relative): its contents when a regular file; 0 when there is none, 1 when there
 * is one (*ret NULL when it is not a regular file: a mask, a link). */
static int read_target(int dir_fd, const char *name, char **ret, size_t *ret_size) {
        struct stat st;
        int r;

        *ret = NULL;
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : negative_errno();
        if (!S_ISREG(st.st_mode))
                return 1;
        r = read_full_file_at(dir_fd, name, CTR_FILE_SIZE_MAX, ret, ret_size);
        return r < 0 ? r : 1;
}

/* What TARGET holds of |a|: each of its files compared, the drop-ins TARGET has beyond them removed. */
static int compare_container(int dir_fd, ApplyContainer *a, bool removed) {
        _cleanup_free_ char *main = strprintf("%s.ctr", a->name), *dd = strprintf("%s.ctr.d", a->name);
        _cleanup_strv_free_ char **names = NULL;
        bool had_any = false, changed = false;
        struct stat st;
        FileChange *f;
        int r;

        if (!main || !dd)
                return -ENOMEM;

        /* what TARGET has that the SOURCE does not: removed */
        if (fstatat(dir_fd, main, &st, AT_SYMLINK_NOFOLLOW) >= 0 && !container_file(a, main) &&
            container_add_file(a, main, &f) < 0)
                return -ENOMEM;
        r = dir_list_names(dir_fd, dd, &names);
        if (r < 0 && r != -ENOENT && r != -ENOTDIR)
                return r;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *rel = NULL;

                if (ctr_file_name_is_temporary(*n) || !endswith(*n, ".conf"))
                        continue;
                rel = strprintf("%s/%s", dd, *n);
                if (!rel)
                        return -ENOMEM;
                if (!container_file(a, rel) && container_add_file(a, rel, &f) < 0)
                        return -ENOMEM;
        }

        for (size_t i = 0; i < a->n_files; i++) {
                f = &a->files[i];
                r = read_target(dir_fd, f->name, &f->old, &f->old_size);
                if (r < 0)
                        return r;
                had_any = had_any || r > 0;
                if (!f->new)
                        f->action = FILE_REMOVE;
                else if (r == 0)
                        f->action = FILE_CREATE;
                else if (f->old && f->old_size == f->new_size && memcmp(f->old, f->new, f->new_size) == 0)
                        f->action = FILE_UNCHANGED;
                else
                        f->action = FILE_UPDATE;
                changed = changed || f->action != FILE_UNCHANGED;
        }

        if (removed)
                a->state = APPLY_REMOVED;
        else
                a->state = !changed ? APPLY_UNCHANGED : had_any ? APPLY_UPDATED : APPLY_CREATED;
        return 0;
}

/* Whether TARGET's NAME.ctr is a mask (a link to /dev/null, or /dev/null's device node itself). */
static bool target_masked(int dir_fd, const char *name) {
        _cleanup_free_ char *main = strprintf("%s.ctr", name);
        struct stat st;

        return main && fstatat(dir_fd, main, &st, 0) >= 0 && stat_is_masked(&st);
}

int apply_plan_compare(ApplyPlan *p, bool prune, Diagnostics *diag) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_strv_free_ char **search = NULL;
        ContainerSource *s = NULL;
        size_t n = 0, n_desired = p->n_containers;
        int r;

        dir_fd = open(p->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0 && errno != ENOENT)
                return negative_errno();

        if (prune && dir_fd >= 0) {
                char *dirs[] = { p->target, NULL };
                ApplyContainer *a;

                r = container_enumerate(dirs, &s, &n);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n && r >= 0; i++)
                        if (!s[i].masked && !apply_plan_find(p, s[i].name))
                                r = plan_add(p, s[i].name, &a);
                container_source_free_many(s, n);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; dir_fd >= 0 && i < n_desired; i++)
                if (target_masked(dir_fd, p->containers[i].name) &&
                    diagnostics_add(diag, DIAGNOSTIC_ERROR, EBADFD, p->target, 0, NULL, NULL, p->containers[i].name,
                                    "Container '%s' is masked (%s/%s.ctr is a link to /dev/null): apply does not "
                                    "unmask it; remove the mask first.", p->containers[i].name, p->target,
                                    p->containers[i].name) < 0)
                        return -ENOMEM;
        if (diagnostics_has_errors(diag))
                return -EBADMSG;

        r = strv_extend(&search, p->target);
        if (r < 0 || strv_extend_strv(&search, p->lower) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_containers; i++) {
                ApplyContainer *a = &p->containers[i];
                _cleanup_container_free_ Container *c = NULL;

                if (dir_fd >= 0) {
                        r = compare_container(dir_fd, a, i >= n_desired);
                        if (r < 0)
                                return r;
                } else {
                        for (size_t k = 0; k < a->n_files; k++)
                                a->files[k].action = FILE_CREATE;
                        a->state = APPLY_CREATED;
                }
                /* what runs (or would start) now: the installed files' effective hash */
                if (container_load(a->name, search, NULL, &c) >= 0)
                        (void) container_config_hash(c, a->previous_hash);
        }
        return 0;
}

bool apply_container_changes(const ApplyContainer *a) {
        for (size_t k = 0; k < a->n_files; k++)
                if (a->files[k].action != FILE_UNCHANGED)
                        return true;
        return false;
}

bool apply_plan_changes(const ApplyPlan *p) {
        for (size_t i = 0; i < p->n_containers; i++)
                if (apply_container_changes(&p->containers[i]))
                        return true;
        return false;
}

bool apply_plan_acts(const ApplyPlan *p) {
        for (size_t i = 0; i < p->n_containers; i++)
                if (p->containers[i].job != APPLY_JOB_NONE)
                        return true;
        return apply_plan_changes(p);
}
