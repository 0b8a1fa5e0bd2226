/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-launch's pull at start (src/launch/pull-start.h): the progress lines of `ctrctl image pull
 * --progress-fd=` turned into what systemd hears. Times are given, not read: EXTEND_TIMEOUT_USEC= only when
 * bytes grew (once a second at most), STATUS= with layers and bytes, a stall reported once per period. */

#include "pull-start.h"
#include "test.h"

#define S USEC_PER_SEC
#define P "STATUS=Pulling 127.0.0.1:5000/app:1: "
#define X "EXTEND_TIMEOUT_USEC=30000000\n"

static char *feed(PullWatch *w, const char *line, uint64_t now) {
        char *m = NULL;

        if (pull_watch_line(w, line, now, &m) < 0)
                abort();
        return m;
}

static char *idle(PullWatch *w, uint64_t now) {
        char *m = NULL;

        if (pull_watch_idle(w, now, &m) < 0)
                abort();
        return m;
}

TEST(flowing_then_stalled) {
        _cleanup_(pull_watch_done) PullWatch w = { .last_growth = 100 * S };
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL,
                            *h = NULL, *i = NULL, *j = NULL;

        /* nothing resolved yet: no stall to tell */
        ASSERT_NULL(idle(&w, 110 * S));
        a = feed(&w, "resolved 127.0.0.1:5000/app:1 3 3000000", 101 * S);
        ASSERT_STREQ(a, P "0/3 layers, 0.0/3.0 MB…");
        b = feed(&w, "progress 0 3 500000 3000000", 102 * S);
        ASSERT_STREQ(b, X P "0/3 layers, 0.5/3.0 MB…");
        /* more bytes within the second: neither an extension nor a status yet */
        ASSERT_NULL(feed(&w, "progress 0 3 600000 3000000", 102 * S + S / 10));
        /* the same bytes again: nothing grew, nothing said */
        ASSERT_NULL(feed(&w, "progress 0 3 600000 3000000", 104 * S));
        c = feed(&w, "layer 2 3 1 1", 104 * S);
        ASSERT_STREQ(c, P "1/3 layers, 0.6/3.0 MB…");
        d = feed(&w, "progress 1 3 1500000 3000000", 105 * S);
        ASSERT_STREQ(d, X P "1/3 layers, 1.5/3.0 MB…");
        /* then nothing: a stall, told once per period and never with an extension */
        ASSERT_NULL(idle(&w, 105 * S + PULL_STALL_USEC - 1));
        e = idle(&w, 105 * S + PULL_STALL_USEC);
        ASSERT_STREQ(e, P "1/3 layers, 1.5/3.0 MB, stalled: no data for 5 s");
        ASSERT_NULL(idle(&w, 105 * S + PULL_STALL_USEC + S));
        f = idle(&w, 105 * S + 2 * PULL_STALL_USEC);
        ASSERT_STREQ(f, P "1/3 layers, 1.5/3.0 MB, stalled: no data for 10 s");
        /* bytes again: extensions again */
        g = feed(&w, "progress 1 3 1600000 3000000", 120 * S);
        ASSERT_STREQ(g, X P "1/3 layers, 1.6/3.0 MB…");
        h = feed(&w, "waiting 3 3", 121 * S);
        ASSERT_STREQ(h, P "waiting for another pull of layer 3/3");
        i = feed(&w, "layer 3 3 3 0", 122 * S);
        ASSERT_STREQ(i, P "3/3 layers, 1.6/3.0 MB…");
        j = feed(&w, "pulled sha256:0123", 123 * S);
        ASSERT_STREQ(j, "STATUS=Pulled 127.0.0.1:5000/app:1 (sha256:0123).");
        ASSERT_STREQ(w.pulled, "sha256:0123");
}

TEST(garbage_ignored) {
        _cleanup_(pull_watch_done) PullWatch w = {};

        ASSERT_NULL(feed(&w, "", S));
        ASSERT_NULL(feed(&w, "progress 1 2", S));
        ASSERT_NULL(feed(&w, "progress 1 2 3 4 5", S));
        ASSERT_NULL(feed(&w, "resolved", S));
        ASSERT_NULL(feed(&w, "pulled a b", S));
        ASSERT_NULL(feed(&w, "Pulled 127.0.0.1:5000/app:1: 3 layers", S));
        ASSERT_NULL(w.name);
        ASSERT_EQ_U64(w.bytes_done, 0);
}
