/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl logs NAME [-f] [-n N] [--since TIME] [-o short|json|cat]
 *
 * The container's journal through sd-journal (never by running journalctl): the monitor and the workload
 * log as ctr@NAME.service, PID 1 logs about the unit with UNIT=. -f follows with sd_journal_wait(); the
 * matches are by unit name, so following goes on across restarts. What a container wrote is shown escaped on
 * a terminal (escape_non_printable(): no escape sequence of a workload reaches the operator's terminal) and
 * byte for byte into a pipe or file. */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "bus-util.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "json.h"
#include "log.h"
#include "logs.h"
#include "pager.h"
#include "parse-util.h"
#include "string-util.h"

#define FIELD_MAX (64U * 1024U)

static JournalOptions arg_options = { .lines = UINT64_MAX };
static bool arg_lines_set = false;

enum {
        ARG_SINCE = VERB_OPTION_BASE,
};


/* "2026-11-22 16:10:21", "2026-11-22 16:10", "2026-11-22", "today", "yesterday", "now", "-5min", "5min ago",
 * "@UNIX-SECONDS" (local time). */
static int parse_since(const char *s, uint64_t *ret) {
        uint64_t now = now_realtime_usec(), usec;
        struct tm tm = {};
        time_t t;
        const char *e;

        if (streq(s, "now")) {
                *ret = now;
                return 0;
        }
        if (streq(s, "today") || streq(s, "yesterday")) {
                t = (time_t) (now / 1000000);
                if (!localtime_r(&t, &tm))
                        return -EINVAL;
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                if (streq(s, "yesterday"))
                        tm.tm_mday--;
                tm.tm_isdst = -1;
                t = mktime(&tm);
                if (t == (time_t) -1)
                        return -EINVAL;
                *ret = (uint64_t) t * 1000000;
                return 0;
        }
        if (s[0] == '@') {
                uint64_t sec;
                if (safe_atou64(s + 1, &sec) < 0 || sec > UINT64_MAX / 1000000)
                        return -EINVAL;
                *ret = sec * 1000000;
                return 0;
        }
        if (s[0] == '-' || endswith(s, " ago")) {
                _cleanup_free_ char *span = NULL;

                span = s[0] == '-' ? strdup(s + 1) : strndup(s, strlen(s) - 4);
                if (!span)
                        return -ENOMEM;
                if (parse_sec(span, &usec) < 0 || usec > now)
                        return -EINVAL;
                *ret = now - usec;
                return 0;
        }

        e = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
        if (!e || *e) {
                tm = (struct tm) {};
                e = strptime(s, "%Y-%m-%d %H:%M", &tm);
        }
        if (!e || *e) {
                tm = (struct tm) {};
                e = strptime(s, "%Y-%m-%d", &tm);
        }
        if (!e || *e)
                return -EINVAL;
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t) -1 || t < 0)
                return -EINVAL;
        *ret = (uint64_t) t * 1000000;
        return 0;
}

static int handle_option(int c, const char *value) {
        int r;

        switch (c) {
        case 'f':
                arg_options.follow = true;
                return 0;
        case 'n':
                if (streq(value, "all")) {
                        arg_options.lines = UINT64_MAX;
                        arg_lines_set = true;
                        return 0;
                }
                r = safe_atou64(value, &arg_options.lines);
                if (r < 0 || arg_options.lines > 1000000000) {
                        log_error("Invalid number of lines '%s'.", value);
                        return -EINVAL;
                }
                arg_lines_set = true;
                return 0;
        case 'o':
                if (streq(value, "short"))
                        arg_options.mode = OUTPUT_SHORT;
                else if (streq(value, "json"))
                        arg_options.mode = OUTPUT_JSON;
                else if (streq(value, "cat"))
                        arg_options.mode = OUTPUT_CAT;
                else {
                        log_error("Invalid output mode '%s', expected short, json or cat.", value);
                        return -EINVAL;
                }
                return 0;
        case ARG_SINCE:
                if (parse_since(value, &arg_options.since_usec) < 0) {
                        log_error("Invalid time '%s', expected e.g. '2026-11-22 16:10:00', 'today', '-1h' "
                                  "or '10min ago'.", value);
                        return -EINVAL;
                }
                return 0;
        default:
                return -EINVAL;
        }
}

/* A field's value: its bytes (binary data included, not NUL-terminated) and their number; -ENOENT when the
 * entry has no such field. */
static int field_data(sd_journal *j, const char *name, const char **ret, size_t *ret_len) {
        const void *data;
        size_t len, k = strlen(name);

        if (sd_journal_get_data(j, name, &data, &len) < 0 || len <= k || ((const char *) data)[k] != '=')
                return -ENOENT;
        *ret = (const char *) data + k + 1;
        *ret_len = len - k - 1;
        return 0;
}

/* A field's value as a new string, NULL when missing: for a terminal (|escape|) with its control characters
 * escaped, else its bytes up to an embedded NUL. */
static char *field(sd_journal *j, const char *name, bool escape) {
        const char *data;
        char *s = NULL;
        size_t len;

        if (field_data(j, name, &data, &len) < 0)
                return NULL;
        if (escape)
                return escape_non_printable(data, len, &s) < 0 ? NULL : s;
        return strndup(data, len);
}

static int print_short(sd_journal *j, const JournalOptions *o) {
        _cleanup_free_ char *message = field(j, "MESSAGE", o->escape),
                            *ident = field(j, "SYSLOG_IDENTIFIER", o->escape), *comm = NULL,
                            *pid = field(j, "_PID", o->escape), *host = field(j, "_HOSTNAME", o->escape),
                            *prio = field(j, "PRIORITY", false);
        const char *color = NULL;
        uint64_t usec = 0;
        char ts[64] = "";
        unsigned p = LOG_INFO;
        struct tm tm;
        time_t t;

        if (!ident)
                ident = comm = field(j, "_COMM", o->escape);
        (void) sd_journal_get_realtime_usec(j, &usec);
        t = (time_t) (usec / 1000000);
        if (localtime_r(&t, &tm))
                (void) strftime(ts, sizeof(ts), "%b %d %H:%M:%S", &tm);
        if (prio && safe_atou(prio, &p) >= 0) {
                if (p <= LOG_ERR)
                        color = ANSI_RED;
                else if (p == LOG_WARNING)
                        color = ANSI_YELLOW;
        }

        printf("%s%s %s %s%s%s%s: %s%s%s\n", strempty(o->indent), ts, strna(host), strna(ident),
               pid ? "[" : "", strempty(pid), pid ? "]" : "", color ? ansi(color) : "", strempty(message),
               color ? ansi(ANSI_NORMAL) : "");
        return 0;
}

static int print_json(sd_journal *j) {
        _cleanup_free_ char *cursor = NULL;
        const void *data;
        uint64_t usec = 0;
        size_t len;
        JsonWriter w;
        int r;

        json_writer_init(&w, stdout);
        json_begin_object(&w);
        if (sd_journal_get_cursor(j, &cursor) >= 0)
                json_field_string(&w, "__CURSOR", cursor);
        if (sd_journal_get_realtime_usec(j, &usec) >= 0) {
                /* journalctl writes the timestamps as strings */
                char buf[32];
                snprintf(buf, sizeof(buf), "%" PRIu64, usec);
                json_field_string(&w, "__REALTIME_TIMESTAMP", buf);
        }
        SD_JOURNAL_FOREACH_DATA(j, data, len) {
                const char *eq = memchr(data, '=', len);
                _cleanup_free_ char *key = NULL, *value = NULL;

                if (!eq)
                        continue;
                key = strndup(data, (size_t) (eq - (const char *) data));
                value = strndup(eq + 1, len - (size_t) (eq - (const char *) data) - 1);
                if (!key || !value)
                        return -ENOMEM;
                json_field_string(&w, key, value);
        }
        json_end_object(&w);
        r = ferror(stdout) ? -EIO : 0;
        return r;
}

static int print_entry(sd_journal *j, const JournalOptions *o) {
        switch (o->mode) {
        case OUTPUT_JSON:
                return print_json(j);
        case OUTPUT_CAT: {
                _cleanup_free_ char *message = NULL;
                const char *data = NULL;
                size_t len = 0;

                fputs(strempty(o->indent), stdout);
                if (o->escape) {
                        message = field(j, "MESSAGE", true);
                        fputs(strempty(message), stdout);
                } else if (field_data(j, "MESSAGE", &data, &len) >= 0)
                        /* not a terminal: the bytes as the workload wrote them, for the tools they go to */
                        fwrite(data, 1, len, stdout);
                putchar('\n');
                return 0;
        }
        default:
                return print_short(j, o);
        }
}

static int add_matches(sd_journal *j, const char *name) {
        _cleanup_free_ char *service = NULL, *scope = NULL;
        const char *units[2];
        int r = 0;

        if (container_service_name(name, &service) < 0 || container_scope_name(name, &scope) < 0)
                return -ENOMEM;
        units[0] = service;
        units[1] = scope;

        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                _cleanup_free_ char *m1 = NULL, *m2 = NULL;

                if (asprintf(&m1, "_SYSTEMD_UNIT=%s", units[i]) < 0 || asprintf(&m2, "UNIT=%s", units[i]) < 0)
                        return -ENOMEM;
                /* (A) OR (B AND C) OR …: matches on different fields within one group are ANDed */
                if ((r = sd_journal_add_match(j, m1, 0)) < 0 ||
                    (r = sd_journal_add_disjunction(j)) < 0 ||
                    (r = sd_journal_add_match(j, m2, 0)) < 0 ||
                    (r = sd_journal_add_match(j, "_PID=1", 0)) < 0 ||
                    (r = sd_journal_add_disjunction(j)) < 0)
                        return r;
        }
        return 0;
}

static volatile sig_atomic_t stop_following = 0;

static void on_stop_signal(_unused_ int sig) {
        stop_following = 1;
}

int journal_show(const char *name, const JournalOptions *o) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        uint64_t shown = 0;
        int r;

        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return log_error_errno(r, "Failed to open the journal: %m");
        (void) sd_journal_set_data_threshold(j, FIELD_MAX);
        r = add_matches(j, name);
        if (r < 0)
                return log_error_errno(r, "Failed to add journal matches: %m");

        if (o->lines != UINT64_MAX) {
                if (o->lines == 0) {
                        r = sd_journal_seek_tail(j);
                        if (r >= 0)
                                r = sd_journal_previous(j);   /* positioned on the last: the next is new */
                } else {
                        r = sd_journal_seek_tail(j);
                        if (r >= 0)
                                r = sd_journal_previous_skip(j, o->lines);
                        if (r > 0) {
                                /* on the first entry to show: step back one so the loop's next() lands on it */
                                r = sd_journal_previous(j);
                                if (r == 0)
                                        r = sd_journal_seek_head(j);
                        }
                }
        } else if (o->since_usec > 0)
                r = sd_journal_seek_realtime_usec(j, o->since_usec);
        else
                r = sd_journal_seek_head(j);
        if (r < 0)
                return log_error_errno(r, "Failed to seek in the journal: %m");

        if (o->follow) {
                struct sigaction sa = { .sa_handler = on_stop_signal };
                (void) sigaction(SIGINT, &sa, NULL);
                (void) sigaction(SIGTERM, &sa, NULL);
        }

        for (;;) {
                for (;;) {
                        uint64_t usec = 0;

                        r = sd_journal_next(j);
                        if (r < 0)
                                return log_error_errno(r, "Failed to read the journal: %m");
                        if (r == 0)
                                break;
                        if (o->since_usec > 0 && sd_journal_get_realtime_usec(j, &usec) >= 0 &&
                            usec < o->since_usec)
                                continue;
                        r = print_entry(j, o);
                        if (r < 0)
                                return log_error_errno(r, "Failed to print a journal entry: %m");
                        shown++;
                }
                if (!o->follow || stop_following)
                        break;
                fflush(stdout);
                if (ferror(stdout))
                        break;  /* the reader went away */
                r = sd_journal_wait(j, 1000000);
                if (r < 0 && r != -EINTR)
                        return log_error_errno(r, "Failed to wait for the journal: %m");
                if (stop_following)
                        break;
        }
        fflush(stdout);
        return (int) MIN(shown, (uint64_t) INT32_MAX);
}

int verb_logs(int argc, char *argv[]) {
        static const struct option options[] = {
                { "follow", no_argument,       NULL, 'f'       },
                { "lines",  required_argument, NULL, 'n'       },
                { "output", required_argument, NULL, 'o'       },
                { "since",  required_argument, NULL, ARG_SINCE },
                {}
        };
        int i, r;

        i = verb_parse_options(argc, argv, options, "fn:o:", handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        if (ctrctl_check_name(argv[i]) < 0)
                return CTRCTL_EXIT_USAGE;

        /* as journalctl -f: the last 10 lines, then new ones */
        if (arg_options.follow && !arg_lines_set && arg_options.since_usec == 0)
                arg_options.lines = 10;

        /* decided before the pager takes stdout: a terminal (with or without a pager) gets control characters
         * escaped, a pipe or file gets the bytes as they are */
        arg_options.escape = isatty(STDOUT_FILENO);
        if (!arg_options.follow)
                (void) pager_open(arg_no_pager);

        r = journal_show(argv[i], &arg_options);
        if (r < 0)
                return r;
        if (r == 0 && !arg_options.follow && isatty(STDERR_FILENO))
                log_info("-- No entries --");
        return 0;
}
