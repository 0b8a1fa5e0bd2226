/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "apparmor.h"
#include "caps-util.h"
#include "container-exec.h"
#include "env-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "paths.h"
#include "runtime-state.h"
#include "seccomp-util.h"
#include "strv.h"
#include "user-record.h"

int exec_error_set(ExecError *err, int error, const char *format, ...) {
        va_list ap;

        if (error < 0)
                error = -error;
        if (error == 0)
                error = EIO;

        if (err) {
                err->error = error;
                va_start(ap, format);
                vsnprintf(err->message, sizeof(err->message), format, ap);
                va_end(ap);
        }
        return -error;
}

void exec_credentials_done(ExecCredentials *cred) {
        if (!cred)
                return;
        cred->supplementary_gids = mfree(cred->supplementary_gids);
        cred->n_supplementary_gids = 0;
        cred->user_name = mfree(cred->user_name);
        cred->home = mfree(cred->home);
        cred->shell = mfree(cred->shell);
}

static void exec_credentials_donep(ExecCredentials *c) {
        exec_credentials_done(c);
}

/* Reads etc/passwd or etc/group once; a missing file is remembered as such (contents NULL, r = -ENOENT). */
typedef struct LazyFile {
        const char *path;
        bool loaded;
        int error;
        char *contents;
} LazyFile;

static void lazy_file_done(LazyFile *f) {
        f->contents = mfree(f->contents);
}

static int lazy_file_get(LazyFile *f, int root_fd, ExecError *err) {
        if (!f->loaded) {
                f->error = user_record_read_file(root_fd, f->path, &f->contents);
                f->loaded = true;
        }
        if (f->error == -EBADFD)
                return exec_error_set(err, f->error, "Failed to read the container's %s: not a regular file "
                                      "(devices, FIFOs and the kernel's filesystems such as /proc are refused)",
                                      f->path);
        if (f->error < 0 && f->error != -ENOENT)
                return exec_error_set(err, f->error, "Failed to read the container's %s", f->path);
        return f->error;
}

static int add_gid(ExecCredentials *cred, gid_t gid) {
        gid_t *a;

        if (gid == cred->gid)
                return 0;
        for (size_t i = 0; i < cred->n_supplementary_gids; i++)
                if (cred->supplementary_gids[i] == gid)
                        return 0;
        if (cred->n_supplementary_gids >= USER_RECORD_GROUPS_MAX)
                return -E2BIG;

        a = reallocarray(cred->supplementary_gids, cred->n_supplementary_gids + 1, sizeof(gid_t));
        if (!a)
                return -ENOMEM;
        cred->supplementary_gids = a;
        cred->supplementary_gids[cred->n_supplementary_gids++] = gid;
        return 0;
}

/* A group by number (no entry needed) or by name (must be in the image's /etc/group). */
static int resolve_group(const char *spec, const char *key, LazyFile *group, int root_fd, gid_t *ret,
                         ExecError *err) {
        GroupRecord g = {};
        int r;

        if (parse_uid(spec, ret) >= 0)
                return 0;

        r = lazy_file_get(group, root_fd, err);
        if (r == -ENOENT)
                return exec_error_set(err, ESRCH,
                                      "%s '%s' not found: the container has no /etc/group", key, spec);
        if (r < 0)
                return r;

        r = group_find(group->contents, spec, 0, &g);
        if (r == -ESRCH)
                return exec_error_set(err, ESRCH, "Group '%s' not found in the container's /etc/group", spec);
        if (r < 0)
                return exec_error_set(err, r, "Failed to parse the container's /etc/group");

        *ret = g.gid;
        group_record_done(&g);
        return 0;
}

int exec_credentials_resolve(const Container *c, int root_fd, ExecCredentials *ret, ExecError *err) {
        _cleanup_(exec_credentials_donep) ExecCredentials cred = {};
        _cleanup_(lazy_file_done) LazyFile passwd = { .path = "/etc/passwd" }, group = { .path = "/etc/group" };
        _cleanup_(user_record_done) UserRecord u = {};
        bool have_entry = false;
        uid_t uid = 0;
        int r;

        if (!c || root_fd < 0)
                return exec_error_set(err, EINVAL, "Invalid arguments to exec_credentials_resolve()");

        /* Image=host: names are ctr's, from the files it generated. The container's root may have rewritten
         * its /etc/passwd in its persistent layer (nobody as uid 0); that copy is its own business, not ours
         * to trust. */
        if (c->image && streq(c->image, "host")) {
                if (user_record_host_passwd(c->user, c->group, &passwd.contents) < 0 ||
                    user_record_host_group(c->user, c->group, &group.contents) < 0) {
                        return exec_error_set(err, ENOMEM, "Out of memory");
                }
                passwd.loaded = group.loaded = true;
        }

        /* User= */
        if (isempty(c->user) || parse_uid(c->user, &uid) >= 0) {
                r = lazy_file_get(&passwd, root_fd, err);
                if (r < 0 && r != -ENOENT)
                        return r;
                if (r >= 0) {
                        r = passwd_find(passwd.contents, NULL, uid, &u);
                        if (r < 0 && r != -ESRCH)
                                return exec_error_set(err, r, "Failed to parse the container's /etc/passwd");
                        have_entry = r >= 0;
                }
        } else {
                r = lazy_file_get(&passwd, root_fd, err);
                if (r == -ENOENT)
                        return exec_error_set(err, ESRCH,
                                              "User '%s' not found in the container's /etc/passwd (there is none)",
                                              c->user);
                if (r < 0)
                        return r;
                r = passwd_find(passwd.contents, c->user, 0, &u);
                if (r == -ESRCH)
                        return exec_error_set(err, ESRCH, "User '%s' not found in the container's /etc/passwd",
                                              c->user);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to parse the container's /etc/passwd");
                have_entry = true;
        }

        if (have_entry) {
                cred.uid = u.uid;
                cred.gid = u.gid;
                cred.user_name = TAKE_PTR(u.name);
                cred.home = TAKE_PTR(u.home);
                cred.shell = TAKE_PTR(u.shell);
        } else {
                cred.uid = uid;
                cred.gid = 0;
                cred.home = strdup("/");
                cred.shell = strdup("/bin/sh");
                if (!cred.home || !cred.shell)
                        return exec_error_set(err, ENOMEM, "Out of memory");
        }

        /* Group= */
        if (!isempty(c->group)) {
                r = resolve_group(c->group, "Group", &group, root_fd, &cred.gid, err);
                if (r < 0)
                        return r;
        } else if (cred.user_name) {
                /* No explicit group: the user's memberships in the image, like initgroups(). */
                _cleanup_free_ gid_t *gids = NULL;
                size_t n = 0;

                r = lazy_file_get(&group, root_fd, err);
                if (r < 0 && r != -ENOENT)
                        return r;
                if (r >= 0) {
                        r = group_find_memberships(group.contents, cred.user_name, &gids, &n);
                        if (r < 0)
                                return exec_error_set(err, r, "Failed to parse the container's /etc/group");
                        for (size_t i = 0; i < n; i++) {
                                r = add_gid(&cred, gids[i]);
                                if (r < 0)
                                        return exec_error_set(err, r, "Too many supplementary groups");
                        }
                }
        }

        /* SupplementaryGroups= */
        for (char **s = c->supplementary_groups; s && *s; s++) {
                gid_t gid;

                r = resolve_group(*s, "SupplementaryGroups", &group, root_fd, &gid, err);
                if (r < 0)
                        return r;
                r = add_gid(&cred, gid);
                if (r < 0)
                        return exec_error_set(err, r, "Too many supplementary groups");
        }

        *ret = cred;
        cred = (ExecCredentials) {};
        return 0;
}

uint64_t container_capability_set(const Container *c) {
        return capability_set_compute(c->add_capabilities, c->drop_capabilities);
}

static int env_set_pair(char ***env, const char *name, const char *value) {
        _cleanup_free_ char *a = NULL;

        if (asprintf(&a, "%s=%s", name, value) < 0)
                return -ENOMEM;
        return env_set(env, a);
}

static int env_set_list(char ***env, char *const *list, const char *what, ExecError *err) {
        for (char *const *e = list; e && *e; e++) {
                int r = env_set(env, *e);
                if (r == -EINVAL)
                        return exec_error_set(err, EINVAL, "Invalid %s assignment '%.200s'", what, *e);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to set %s '%.200s'", what, *e);
        }
        return 0;
}

int container_build_environment(const Container *c, const ExecCredentials *cred, const char *term,
                                char *const *image_environment, char *const *extra, char ***ret,
                                ExecError *err) {
        _cleanup_strv_free_ char **env = NULL;
        int r;

        if (!c || !cred)
                return exec_error_set(err, EINVAL, "Invalid arguments to container_build_environment()");

        const char *hostname = c->hostname ?: c->name;

        r = env_set_pair(&env, "PATH", DEFAULT_PATH);
        if (r >= 0)
                r = env_set_pair(&env, "HOME", cred->home ?: "/");
        if (r >= 0 && cred->user_name)
                r = env_set_pair(&env, "USER", cred->user_name);
        if (r >= 0 && cred->user_name)
                r = env_set_pair(&env, "LOGNAME", cred->user_name);
        if (r >= 0)
                r = env_set_pair(&env, "SHELL", cred->shell ?: "/bin/sh");
        if (r >= 0)
                r = env_set_pair(&env, "container", "ctr");
        if (r >= 0 && !isempty(hostname))
                r = env_set_pair(&env, "HOSTNAME", hostname);
        if (r >= 0 && !isempty(term))
                r = env_set_pair(&env, "TERM", term);
        if (r < 0)
                return exec_error_set(err, r, "Failed to build the default environment");

        r = env_set_list(&env, image_environment, "image environment", err);
        if (r < 0)
                return r;

        for (char **f = c->environment_files; f && *f; f++) {
                const char *path = *f;
                bool optional = path[0] == '-';
                char **file_env = NULL;

                if (optional)
                        path++;

                r = env_file_load(path, &file_env);
                if (r == -ENOENT && optional)
                        continue;
                if (r < 0)
                        return exec_error_set(err, r, "Failed to read EnvironmentFile= '%.300s'", path);
                r = env_set_list(&env, file_env, "EnvironmentFile=", err);
                env_free(file_env);
                if (r < 0)
                        return r;
        }

        r = env_set_list(&env, c->environment, "Environment=", err);
        if (r < 0)
                return r;

        r = env_set_list(&env, extra, "extra environment", err);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(env);
        return 0;
}

/* The bounding set this process can give: never more than we hold ourselves, so AddCapability=ALL under
 * a launcher that lacks some capability (a restricted CapabilityBoundingSet= of its unit) gives the
 * container what there is. */
static int container_bounding_set(const Container *c, uint64_t *ret, ExecError *err) {
        uint64_t permitted;
        int r;

        r = capability_get_current(&permitted, NULL);
        if (r < 0)
                return exec_error_set(err, r, "Failed to read the capabilities of the process");

        *ret = container_capability_set(c) & permitted;
        return 0;
}

static bool profile_is_default(const char *profile) {
        return !profile || streq(profile, "default");
}

static int check_seccomp_profile(const Container *c, ExecError *err) {
        const char *p = c->seccomp_profile;

        if (profile_is_default(p) || seccomp_profile_is_unconfined(p) || (p[0] == '/' && strlen(p) < PATH_MAX))
                return 0;
        return exec_error_set(err, EINVAL,
                              "Invalid SeccompProfile= '%.300s': expected \"default\", \"unconfined\" or an "
                              "absolute path", p);
}

/* Set by container_exec_prepare() in the parent, inherited by the child through clone(). */
static struct {
        bool valid;
        uint64_t capabilities;
        char *profile;          /* NULL for the default filter, else the path of a custom profile */
        SeccompProgram program;
        bool apparmor_valid;
        char *apparmor;         /* the AppArmor profile to enter, NULL for none */
        SeccompProgram mount_api;       /* seccomp-mount-api.h, when wanted: insns set */
} prepared;

void container_exec_prepared_done(void) {
        seccomp_program_done(&prepared.program);
        prepared.profile = mfree(prepared.profile);
        prepared.valid = false;
        prepared.apparmor = mfree(prepared.apparmor);
        prepared.apparmor_valid = false;
        seccomp_program_done(&prepared.mount_api);
}

/* The AppArmor profile a process of |c| enters, NULL for none (apparmor_profile_wanted()): an explicit one
 * must be loaded; ctr-default is used when it is, and otherwise not (the launcher loads it before the start;
 * without apparmor_parser it cannot, and the container runs without, as the launcher said). */
static int apparmor_resolve(const Container *c, char **ret, ExecError *err) {
        const char *p = NULL;
        int r;

        r = apparmor_profile_wanted(c->apparmor_profile, apparmor_enabled(), &p);
        if (r < 0)
                return exec_error_set(err, r, "AppArmorProfile=%.300s, but AppArmor is not enabled on this machine",
                                      c->apparmor_profile);
        if (!p) {
                *ret = NULL;
                return 0;
        }
        r = apparmor_profile_loaded(p);
        if (r < 0)
                return exec_error_set(err, r, "Failed to read the loaded AppArmor profiles");
        if (r == 0 && c->apparmor_profile)
                return exec_error_set(err, ENOENT, "AppArmor profile '%.300s' (AppArmorProfile=) is not loaded; "
                                      "apparmor_parser -r FILE loads it", p);
        if (r == 0) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(p);
        return *ret ? 0 : exec_error_set(err, ENOMEM, "Out of memory");
}

int container_exec_prepare(const Container *c, const char *cache_dir, ExecError *err) {
        uint64_t bounding = 0;
        unsigned line = 0;
        int r;

        if (!c)
                return exec_error_set(err, EINVAL, "Invalid arguments to container_exec_prepare()");

        r = check_seccomp_profile(c, err);
        if (r < 0)
                return r;

        container_exec_prepared_done();

        r = apparmor_resolve(c, &prepared.apparmor, err);
        if (r < 0)
                return r;
        prepared.apparmor_valid = true;

        r = container_bounding_set(c, &bounding, err);
        if (r < 0)
                return r;

        /* whatever SeccompProfile= says: it keeps ctr-default's promise where AppArmor cannot */
        if (seccomp_mount_api_wanted(prepared.apparmor, bounding)) {
                r = seccomp_mount_api_program(&prepared.mount_api);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to build the filter of the new mount API");
        }

        if (seccomp_profile_is_unconfined(c->seccomp_profile))
                return 0;

        if (!profile_is_default(c->seccomp_profile)) {
                /* a custom profile, read on the host; not cached, the file may change */
                r = seccomp_profile_program(c->seccomp_profile, bounding, &prepared.program, &line);
                if (r < 0 && line > 0)
                        return exec_error_set(err, r, "Failed to load seccomp profile '%.300s', line %u",
                                              c->seccomp_profile, line);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to load seccomp profile '%.300s'",
                                              c->seccomp_profile);
                prepared.profile = strdup(c->seccomp_profile);
                if (!prepared.profile) {
                        seccomp_program_done(&prepared.program);
                        return exec_error_set(err, ENOMEM, "Out of memory");
                }
        } else {
                _cleanup_free_ char *dir = NULL;

                if (!cache_dir) {
                        /* a leading dot: never a container's runtime directory (/run/ctr/NAME) */
                        (void) mkdir(runtime_dir(), 0755);
                        if (asprintf(&dir, "%s/.seccomp", runtime_dir()) < 0)
                                return exec_error_set(err, ENOMEM, "Out of memory");
                        cache_dir = dir;
                } else if (isempty(cache_dir))
                        cache_dir = NULL;

                r = seccomp_default_program(bounding, cache_dir, &prepared.program);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to build the seccomp filter");
        }

        prepared.capabilities = bounding;
        prepared.valid = true;
        return 0;
}

static bool prepared_matches(const Container *c, uint64_t bounding) {
        if (!prepared.valid || prepared.capabilities != bounding)
                return false;
        if (profile_is_default(c->seccomp_profile))
                return !prepared.profile;
        return prepared.profile && streq(prepared.profile, c->seccomp_profile);
}

static int load_seccomp(const Container *c, uint64_t bounding, bool set_no_new_privs, ExecError *err) {
        int r;

        if (prepared_matches(c, bounding))
                r = seccomp_program_load(&prepared.program, set_no_new_privs);
        else if (profile_is_default(c->seccomp_profile))
                r = seccomp_apply_profile(NULL, bounding, set_no_new_privs);
        else
                /* the path is a host path; in the container's root it may name another file */
                return exec_error_set(err, EOPNOTSUPP,
                                      "Failed to load seccomp profile '%.300s': it is read on the host, by "
                                      "container_exec_prepare() before the container's root is entered",
                                      c->seccomp_profile);
        if (r < 0)
                return exec_error_set(err, r, "Failed to load seccomp filter");
        return 0;
}

static int load_mount_api(ExecError *err) {
        _cleanup_(seccomp_program_done) SeccompProgram built = {};
        const SeccompProgram *p = &prepared.mount_api;
        int r;

        if (!p->insns) {
                r = seccomp_mount_api_program(&built);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to build the filter of the new mount API");
                p = &built;
        }
        r = seccomp_program_load(p, false);
        if (r < 0)
                return exec_error_set(err, r, "Failed to load the filter of the new mount API");
        return 0;
}

/* Prepared, or decided here from what this process sees of /sys (the host's, in a launcher that did not
 * prepare). */
static int apparmor_profile_get(const Container *c, char **ret, ExecError *err) {
        if (prepared.apparmor_valid) {
                *ret = NULL;
                if (prepared.apparmor && !(*ret = strdup(prepared.apparmor)))
                        return exec_error_set(err, ENOMEM, "Out of memory");
                return 0;
        }
        return apparmor_resolve(c, ret, err);
}

int container_exec_confine_now(const Container *c, ExecError *err) {
        _cleanup_free_ char *profile = NULL;
        int r;

        r = apparmor_profile_get(c, &profile, err);
        if (r < 0 || !profile)
                return r;
        r = apparmor_change_profile(profile);
        if (r < 0)
                return exec_error_set(err, r, "Failed to enter AppArmor profile '%.300s'", profile);
        return 0;
}

int container_exec_apply(const Container *c, const ExecCredentials *cred, int pdeath_signal, ExecError *err) {
        _cleanup_free_ char *apparmor = NULL;
        uint64_t bounding = 0, keep;
        bool filter, filter_loaded = false;
        int r;

        if (!c || !cred)
                return exec_error_set(err, EINVAL, "Invalid arguments to container_exec_apply()");

        r = container_bounding_set(c, &bounding, err);
        if (r < 0)
                return r;
        /* What a non-root user keeps across execve: only what AddCapability= named explicitly. */
        keep = cred->uid == 0 ? bounding : (c->add_capabilities & bounding);

        filter = !seccomp_profile_is_unconfined(c->seccomp_profile);
        r = check_seccomp_profile(c, err);
        if (r < 0)
                return r;
        r = apparmor_profile_get(c, &apparmor, err);
        if (r < 0)
                return r;

        /* 0. Before anything of the container can see us: no ptrace, no /proc/PID/{exe,fd,mem} for it. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return exec_error_set(err, errno, "Failed to make the process non-dumpable");

        /* 1. The AppArmor profile the execve() enters: written now, while the process can still open its attr
         * file whatever the uid; nothing changes until the execve(). */
        if (apparmor) {
                r = apparmor_exec_profile(apparmor);
                if (r < 0)
                        return exec_error_set(err, r, "Failed to set AppArmor profile '%.300s' for the execve()",
                                              apparmor);
        }

        /* 2. The bounding set, while CAP_SETPCAP is effective. */
        r = capability_bounding_set_apply(bounding);
        if (r < 0)
                return exec_error_set(err, r, "Failed to drop capability bounding set");

        /* 3. Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it now. It denies nothing the
         * remaining steps use. First the one that stands in for AppArmor's mediation of the new mount API
         * (seccomp-mount-api.h), whatever the container's seccomp profile. */
        if (seccomp_mount_api_wanted(apparmor, bounding)) {
                r = load_mount_api(err);
                if (r < 0)
                        return r;
        }
        if (filter && !c->no_new_privileges) {
                r = load_seccomp(c, bounding, false, err);
                if (r < 0)
                        return r;
                filter_loaded = true;
        }

        /* 4. Groups, gid, uid — in this order: once the uid changes we may no longer change groups. */
        if (setgroups(cred->n_supplementary_gids, cred->supplementary_gids) < 0)
                return exec_error_set(err, errno, "Failed to set %zu supplementary groups",
                                      cred->n_supplementary_gids);

        if (setresgid(cred->gid, cred->gid, cred->gid) < 0)
                return exec_error_set(err, errno, "Failed to switch to uid %u gid %u", (unsigned) cred->uid,
                                      (unsigned) cred->gid);

        if (cred->uid != 0) {
                /* Keep the permitted set across the uid change so that we can still set the final sets. */
                if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                        return exec_error_set(err, errno, "Failed to set PR_SET_KEEPCAPS");
                if (setresuid(cred->uid, cred->uid, cred->uid) < 0)
                        return exec_error_set(err, errno, "Failed to switch to uid %u gid %u",
                                              (unsigned) cred->uid, (unsigned) cred->gid);
                if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                        return exec_error_set(err, errno, "Failed to reset PR_SET_KEEPCAPS");
        } else if (setresuid(0, 0, 0) < 0)
                /* a no-op for the host's root, but ctrctl exec joins a user namespace (PrivateUsers=) as an id
                 * that is not mapped there: only this makes it the namespace's root */
                return exec_error_set(err, errno, "Failed to switch to uid 0 gid %u", (unsigned) cred->gid);
        /* A gid or uid change set it to fs.suid_dumpable, and 1 ("debug") is dumpable. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return exec_error_set(err, errno, "Failed to make the process non-dumpable");

        /* 5. Permitted, effective, inheritable, ambient. */
        if (cred->uid == 0)
                r = capability_sets_apply(bounding, bounding, 0, 0);
        else
                r = capability_sets_apply(keep, keep, keep, keep);
        if (r < 0)
                return exec_error_set(err, r, "Failed to set capabilities (permitted, effective, inheritable, "
                                      "ambient)");

        /* 6. */
        if (c->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return exec_error_set(err, errno, "Failed to set no_new_privs");

        /* 7. The uid change cleared it. */
        if (pdeath_signal > 0 && prctl(PR_SET_PDEATHSIG, (unsigned long) pdeath_signal, 0, 0, 0) < 0)
                return exec_error_set(err, errno, "Failed to set the parent death signal");

        /* 8. Last, so nothing above is filtered. */
        if (filter && !filter_loaded) {
                r = load_seccomp(c, bounding, true, err);
                if (r < 0)
                        return r;
        }

        return 0;
}
