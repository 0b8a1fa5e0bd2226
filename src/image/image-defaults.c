/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The image config's defaults applied to a Container (image-defaults.h), with where each setting came from.
 * Docker's rules: an explicit entrypoint drops the image's Cmd; a command replaces Cmd only; Env is merged
 * (the container's wins, by name, which container_build_environment() does by layering); User "u:g" names
 * a user and a group; a Volumes path covered by an explicit mount is that mount's. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image-defaults.h"
#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"

static const char *const origin_names[_SETTING_ORIGIN_MAX] = {
        [SETTING_DEFAULT] = "default",
        [SETTING_CTR] = ".ctr",
        [SETTING_IMAGE] = "image",
};

const char *setting_origin_to_string(SettingOrigin o) {
        if (o < 0 || o >= _SETTING_ORIGIN_MAX)
                return NULL;
        return origin_names[o];
}

void image_defaults_done(ImageDefaults *d) {
        strv_free(d->entrypoint);
        strv_free(d->command);
        strv_free(d->environment);
        strv_free(d->volumes);
        *d = (ImageDefaults) {};
}

static int set_error(char **ret_error, int r, const char *fmt, ...) _printf_(3, 4);
static int set_error(char **ret_error, int r, const char *fmt, ...) {
        va_list ap;

        if (ret_error) {
                va_start(ap, fmt);
                if (vasprintf(ret_error, fmt, ap) < 0)
                        *ret_error = NULL;
                va_end(ap);
        }
        return r;
}

static int apply_command(Container *c, const ImageConfig *config, ImageDefaults *d, char **ret_error) {
        _cleanup_strv_free_ char **argv = NULL;
        int r;

        if (c->entrypoint_set) {
                r = strv_copy(c->entrypoint, &d->entrypoint);
                d->entrypoint_origin = SETTING_CTR;
        } else if (config && !strv_isempty(config->entrypoint)) {
                r = strv_copy(config->entrypoint, &d->entrypoint);
                d->entrypoint_origin = SETTING_IMAGE;
        } else
                r = 0;
        if (r < 0)
                return r;

        /* docker run --entrypoint X IMAGE: the image's Cmd was written for the image's entrypoint, not X */
        if (c->exec) {
                r = strv_copy(c->exec, &d->command);
                d->command_origin = SETTING_CTR;
        } else if (config && !c->entrypoint_set && !strv_isempty(config->cmd)) {
                r = strv_copy(config->cmd, &d->command);
                d->command_origin = SETTING_IMAGE;
        }
        if (r < 0)
                return r;

        if (strv_extend_strv(&argv, d->entrypoint) < 0 || strv_extend_strv(&argv, d->command) < 0)
                return -ENOMEM;
        if (strv_isempty(argv)) {
                if (config)
                        return set_error(ret_error, -ENOEXEC, "the image has neither Entrypoint nor Cmd and the "
                                         ".ctr no Exec=: nothing to run");
                argv = strv_free(argv);         /* no image: ctr's default, /bin/sh */
        } else if (isempty(argv[0]))
                return set_error(ret_error, -ENOEXEC, "the command line starts with an empty program name");
        strv_free(c->exec);
        c->exec = TAKE_PTR(argv);
        c->entrypoint = strv_free(c->entrypoint);
        c->entrypoint_set = false;
        return 0;
}

/* User "name", "uid", "name:group", "uid:gid": the user part is User=, the group part the default of Group= */
static int apply_user(Container *c, const char *spec, ImageDefaults *d, char **ret_error) {
        _cleanup_free_ char *user = NULL;
        const char *colon;

        if (c->user) {
                d->user_origin = SETTING_CTR;
                return 0;
        }
        if (isempty(spec))
                return 0;
        colon = strchr(spec, ':');
        user = colon ? strndup(spec, (size_t) (colon - spec)) : strdup(spec);
        if (!user)
                return -ENOMEM;
        if (!user_group_is_valid(user) || (colon && !user_group_is_valid(colon + 1)))
                return set_error(ret_error, -EINVAL, "the image's User '%s' is not a user name or number", spec);
        if (colon && !c->group && free_and_strdup(&c->group, colon + 1) < 0)
                return -ENOMEM;
        c->user = TAKE_PTR(user);
        d->user_origin = SETTING_IMAGE;
        return 0;
}

static int apply_working_directory(Container *c, const char *dir, ImageDefaults *d, char **ret_error) {
        _cleanup_free_ char *abs = NULL, *p = NULL;

        if (c->working_directory) {
                d->working_directory_origin = SETTING_CTR;
                return 0;
        }
        if (isempty(dir))
                return 0;
        /* Docker takes a relative WorkingDir from / */
        abs = dir[0] == '/' ? strdup(dir) : strprintf("/%s", dir);
        if (!abs)
                return -ENOMEM;
        if (path_normalize_absolute(abs, &p) < 0)
                return set_error(ret_error, -EINVAL, "the image's WorkingDir '%s' is not a usable path", dir);
        c->working_directory = TAKE_PTR(p);
        d->working_directory_origin = SETTING_IMAGE;
        d->make_working_directory = true;
        return 0;
}

static int apply_stop_signal(Container *c, const char *sig, ImageDefaults *d, char **ret_error) {
        int s;

        if (c->stop_signal_set) {
                d->stop_signal_origin = SETTING_CTR;
                return 0;
        }
        if (isempty(sig))
                return 0;
        s = parse_signal(sig);
        if (s < 0)
                return set_error(ret_error, -EINVAL, "the image's StopSignal '%s' is not a signal", sig);
        c->stop_signal = s;
        d->stop_signal_origin = SETTING_IMAGE;
        return 0;
}

static bool destination_is_mounted(const Container *c, const char *path) {
        for (size_t i = 0; i < c->n_volumes; i++)
                if (streq(c->volumes[i].destination, path))
                        return true;
        for (size_t i = 0; i < c->n_tmpfs; i++)
                if (streq(c->tmpfs[i].destination, path))
                        return true;
        return false;
}

static int apply_volumes(const Container *c, char *const *volumes, ImageDefaults *d, char **ret_error) {
        STRV_FOREACH(v, volumes) {
                _cleanup_free_ char *p = NULL;

                if (path_normalize_absolute(*v, &p) < 0 || streq(p, "/"))
                        return set_error(ret_error, -EINVAL, "the image's volume '%s' is not a usable path", *v);
                if (!plan_destination_is_allowed(p))
                        return set_error(ret_error, -EPERM, "the image's volume '%s' would undo the container's "
                                         "masked and read-only paths in /proc and /sys", *v);
                if (destination_is_mounted(c, p) || strv_contains(d->volumes, p))
                        continue;
                if (strv_consume(&d->volumes, TAKE_PTR(p)) < 0)
                        return -ENOMEM;
        }
        strv_sort(d->volumes);
        return 0;
}

/* Docker's Healthcheck.Test: ["NONE"] none, ["CMD", ARG…] the command as given, ["CMD-SHELL", COMMAND]
 * through /bin/sh -c; [] or none at all: no check from the image. buildah splits a CMD-SHELL command into
 * words (["CMD-SHELL", "test", "-e", "/x"]): they are joined with spaces again, as podman does. */
static int health_command(char *const *test, char ***ret, char **ret_error) {
        _cleanup_free_ char *shell = NULL;

        *ret = NULL;
        if (strv_isempty(test) || streq(test[0], "NONE"))
                return 0;
        if (streq(test[0], "CMD")) {
                if (strv_isempty(test + 1) || isempty(test[1]))
                        return set_error(ret_error, -EINVAL, "the image's Healthcheck is CMD without a command");
                return strv_copy(test + 1, ret);
        }
        if (streq(test[0], "CMD-SHELL")) {
                if (!strv_isempty(test + 1) && strv_join(test + 1, " ", &shell) < 0)
                        return -ENOMEM;
                if (isempty(shell))
                        return set_error(ret_error, -EINVAL, "the image's Healthcheck is CMD-SHELL without a "
                                         "command");
                if (strv_extend(ret, "/bin/sh") < 0 || strv_extend(ret, "-c") < 0 || strv_extend(ret, shell) < 0) {
                        *ret = strv_free(*ret);
                        return -ENOMEM;
                }
                return 0;
        }
        return set_error(ret_error, -EINVAL, "the image's Healthcheck test '%s' is not NONE, CMD or CMD-SHELL",
                         test[0]);
}

/* A Healthcheck duration (ns, 0 = not given) where the .ctr set none; Docker rounds nothing below 1 µs. */
static void health_duration(uint64_t nsec, bool set, uint64_t *field) {
        if (!set && nsec >= 1000)
                *field = nsec / 1000;
}

static int apply_health(Container *c, const ImageHealthcheck *h, ImageDefaults *d, char **ret_error) {
        _cleanup_strv_free_ char **cmd = NULL;
        int r;

        if (c->health_cmd) {
                d->health_origin = SETTING_CTR;
                return 0;
        }
        if (c->health_cmd_none)
                return 0;
        r = health_command(h->test, &cmd, ret_error);
        if (r < 0 || !cmd)
                return r;
        c->health_cmd = TAKE_PTR(cmd);
        d->health_origin = SETTING_IMAGE;
        health_duration(h->interval_nsec, c->health_interval_set, &c->health_interval_usec);
        health_duration(h->timeout_nsec, c->health_timeout_set, &c->health_timeout_usec);
        health_duration(h->start_period_nsec, c->health_start_period_set, &c->health_start_period_usec);
        if (!c->health_retries_set && h->retries > 0)
                c->health_retries = MIN(h->retries, CTR_HEALTH_RETRIES_MAX);
        return 0;
}

int image_defaults_apply(Container *c, const ImageConfig *config, ImageDefaults *ret, char **ret_error) {
        _cleanup_(image_defaults_done) ImageDefaults d = {};
        int r;

        if (!c || !ret)
                return -EINVAL;

        r = apply_command(c, config, &d, ret_error);
        if (r < 0)
                return r;
        if (c->user)
                d.user_origin = SETTING_CTR;
        if (c->working_directory)
                d.working_directory_origin = SETTING_CTR;
        if (c->stop_signal_set)
                d.stop_signal_origin = SETTING_CTR;
        if (c->health_cmd)
                d.health_origin = SETTING_CTR;
        if (config) {
                r = apply_user(c, config->user, &d, ret_error);
                if (r >= 0)
                        r = apply_working_directory(c, config->working_dir, &d, ret_error);
                if (r >= 0)
                        r = apply_stop_signal(c, config->stop_signal, &d, ret_error);
                if (r >= 0)
                        r = apply_volumes(c, config->volumes, &d, ret_error);
                if (r >= 0)
                        r = apply_health(c, &config->healthcheck, &d, ret_error);
                if (r < 0)
                        return r;
                STRV_FOREACH(e, config->env)
                        if (env_assignment_is_valid(*e) && strv_extend(&d.environment, *e) < 0)
                                return -ENOMEM;
        }
        *ret = d;
        d = (ImageDefaults) {};
        return 0;
}
