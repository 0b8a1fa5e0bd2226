/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the workload process: what runs (Exec=, Entrypoint=, Init=), as whom (User=, Group=,
 * SupplementaryGroups=), with what environment and where (Environment=, EnvironmentFile=,
 * WorkingDirectory=, Hostname=), and how it is told to reload or stop (Notify=, ReloadSignal=,
 * StopSignal=, StopTimeoutSec=). */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

int key_parse_command(KeyContext *k, const char *v, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (const char *p = v;;) {
                char *w;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid quoting or escape in %s= '%s'", k->key, v);
                if (r == 0)
                        break;
                if (key_check_list_size(k, strv_length(l)) < 0) {
                        free(w);
                        return 0;
                }
                r = strv_consume(&l, w);
                if (r < 0)
                        return r;
        }
        if (strv_isempty(l))
                return key_invalid(k, EINVAL, "%s= '%s' has no command", k->key, v);
        if (isempty(l[0]))
                return key_invalid(k, EINVAL, "%s= '%s' has an empty program name", k->key, v);
        *ret = TAKE_PTR(l);
        return 0;
}

int key_exec(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char **l = NULL;
        int r;

        if (isempty(v)) {
                c->exec = strv_free(c->exec);
                return 0;
        }
        r = key_parse_command(k, v, &l);
        if (r < 0 || !l)
                return r;
        strv_free(c->exec);
        c->exec = l;
        return 0;
}

/* Unlike Exec=, an empty value is a setting of its own: no entrypoint at all, as docker run --entrypoint ''
 * (the image's Cmd, or Exec=, then runs by itself). */
int key_entrypoint(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char **l = NULL;
        int r;

        if (isempty(v)) {
                c->entrypoint = strv_free(c->entrypoint);
                c->entrypoint_set = true;
                return 0;
        }
        r = key_parse_command(k, v, &l);
        if (r < 0 || !l)
                return r;
        strv_free(c->entrypoint);
        c->entrypoint = l;
        c->entrypoint_set = true;
        return 0;
}

/* One NAME=VALUE of Environment=, taken. 0 applied (or refused with a diagnostic), 1 the list is full (the
 * rest of the line is dropped), < 0 an error. */
static int environment_apply(KeyContext *k, char *word) {
        _cleanup_free_ char *w = word;
        Container *c = k->lc->c;
        size_t name_len;
        char **e;

        if (!env_assignment_is_valid(w)) {
                int r = key_invalid(k, EINVAL, "Invalid environment assignment '%s' in Environment=", w);
                return r < 0 ? r : 0;
        }

        /* A later assignment of the same name replaces the earlier one. */
        name_len = (size_t) (strchr(w, '=') - w + 1);
        for (e = c->environment; e && *e; e++)
                if (strncmp(*e, w, name_len) == 0) {
                        free(*e);
                        *e = TAKE_PTR(w);
                        return 0;
                }
        if (key_check_list_size(k, strv_length(c->environment)) < 0)
                return 1;
        return strv_consume(&c->environment, TAKE_PTR(w));
}

int key_environment(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char **words = NULL;
        size_t n = 0;
        int r = 0;

        if (isempty(v)) {
                c->environment = strv_free(c->environment);
                return 0;
        }

        /* All words first, so an unterminated quote does not apply half of the line. */
        for (const char *p = v;;) {
                char *w;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == 0)
                        break;
                if (r > 0)
                        r = strv_consume(&words, w);
                if (r < 0) {
                        strv_free(words);
                        return r == -ENOMEM ? r :
                                key_invalid(k, EINVAL, "Invalid quoting or escape in Environment= '%s'", v);
                }
                n++;
        }

        /* each word is handed over in turn (its slot emptied); when one stops the line, the rest is freed */
        for (size_t i = 0; i < n && r == 0; i++)
                r = environment_apply(k, TAKE_PTR(words[i]));
        for (size_t i = 0; i < n; i++)
                free(words[i]);
        free(words);
        return r < 0 ? r : 0;
}

int key_environment_file(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        _cleanup_free_ char *p = NULL;
        bool optional;
        char *s;

        if (isempty(v)) {
                c->environment_files = strv_free(c->environment_files);
                return 0;
        }
        optional = v[0] == '-';
        if (path_normalize_absolute(v + optional, &p) < 0)
                return key_invalid(k, EINVAL, "EnvironmentFile= must be an absolute path without '..', got '%s'", v);
        if (key_check_list_size(k, strv_length(c->environment_files)) < 0)
                return 0;
        if (asprintf(&s, "%s%s", optional ? "-" : "", p) < 0)
                return -ENOMEM;
        return strv_consume(&c->environment_files, s);
}

int key_environment_host(KeyContext *k, const char *v) {
        return key_parse_bool(k, v, &k->lc->c->environment_host, false);
}

int key_working_directory(KeyContext *k, const char *v) {
        return key_parse_abs_path(k, v, &k->lc->c->working_directory);
}

int key_user(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->user = mfree(k->lc->c->user);
                return 0;
        }
        if (!user_group_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid user name or number '%s' for User=", v);
        return free_and_strdup(&k->lc->c->user, v);
}

int key_group(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->group = mfree(k->lc->c->group);
                return 0;
        }
        if (!user_group_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid group name or number '%s' for Group=", v);
        return free_and_strdup(&k->lc->c->group, v);
}

int key_supplementary_groups(KeyContext *k, const char *v) {
        _cleanup_strv_free_ char **l = NULL;
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                c->supplementary_groups = strv_free(c->supplementary_groups);
                return 0;
        }
        r = strv_split(v, WHITESPACE, &l);
        if (r < 0)
                return r;
        STRV_FOREACH(g, l)
                if (!user_group_is_valid(*g))
                        return key_invalid(k, EINVAL,
                                           "Invalid group name or number '%s' for SupplementaryGroups=", *g);
        if (key_check_list_size(k, strv_length(c->supplementary_groups) + strv_length(l)) < 0)
                return 0;
        return strv_extend_strv(&c->supplementary_groups, l);
}

int key_hostname(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->hostname = mfree(k->lc->c->hostname);
                return 0;
        }
        if (!hostname_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid host name '%s' for Hostname=", v);
        return free_and_strdup(&k->lc->c->hostname, v);
}

int key_init(KeyContext *k, const char *v) {
        return key_parse_bool(k, v, &k->lc->c->init, false);
}

/* yes, no, or healthy: READY=1 once the first health check passes (keys-health.c) */
int key_notify(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        if (streq(v, "healthy")) {
                c->notify = false;
                c->notify_healthy = true;
                return 0;
        }
        if (!isempty(v) && parse_boolean(v) < 0)
                return key_invalid(k, EINVAL, "Invalid value '%s' for Notify=, expected yes, no or healthy", v);
        c->notify_healthy = false;
        return key_parse_bool(k, v, &c->notify, false);
}

static int parse_signal_field(KeyContext *k, const char *v, int *field, int def) {
        int s;

        if (isempty(v)) {
                *field = def;
                return 0;
        }
        s = parse_signal(v);
        if (s < 0)
                return key_invalid(k, EINVAL, "Invalid signal '%s' for %s=", v, k->key);
        *field = s;
        return 0;
}

int key_stop_signal(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        int s;

        /* empty: back to the default, which an image's StopSignal may supply */
        if (isempty(v)) {
                c->stop_signal = SIGTERM;
                c->stop_signal_set = false;
                return 0;
        }
        s = parse_signal(v);
        if (s < 0)
                return key_invalid(k, EINVAL, "Invalid signal '%s' for %s=", v, k->key);
        c->stop_signal = s;
        c->stop_signal_set = true;
        return 0;
}

int key_reload_signal(KeyContext *k, const char *v) {
        return parse_signal_field(k, v, &k->lc->c->reload_signal, SIGHUP);
}

int key_stop_timeout_sec(KeyContext *k, const char *v) {
        uint64_t u;

        if (isempty(v)) {
                k->lc->c->stop_timeout_usec = CTR_STOP_TIMEOUT_DEFAULT_USEC;
                return 0;
        }
        if (parse_sec(v, &u) < 0)
                return key_invalid(k, EINVAL, "Invalid duration '%s' for StopTimeoutSec=", v);
        /* As systemd's TimeoutStopSec=: 0 disables the timeout. */
        k->lc->c->stop_timeout_usec = u == 0 ? USEC_INFINITY : u;
        return 0;
}

static int check_label(KeyContext *k, const char *word, char **ret) {
        const char *eq = strchr(word, '=');
        size_t n = eq ? (size_t) (eq - word) : 0;

        if (n == 0 || strcspn(word, "\n\t") != strlen(word))
                return key_invalid(k, EINVAL, "Label= takes KEY=VALUE, got '%s'", word);
        /* a later assignment of the same KEY replaces the earlier one */
        for (char **s = k->lc->c->labels; s && *s; s++)
                if (strneq(*s, word, n + 1)) {
                        free(*s);
                        memmove(s, s + 1, (strv_length(s + 1) + 1) * sizeof(char *));
                        break;
                }
        *ret = strdup(word);
        return *ret ? 1 : -ENOMEM;
}

int key_label(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->labels, CTR_LIST_MAX, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE,
                               check_label);
}
