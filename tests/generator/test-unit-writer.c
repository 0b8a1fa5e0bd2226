/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The unit writer's escaping, checked by reading every escaped value back the way systemd does: words split
 * with quoting (and C unescaping where the key does it), then specifiers expanded ("%%" → "%"). The word
 * splitter is our copy of systemd's (string-util.h), which the .ctr parser uses for Exec= too. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specifier.h"
#include "string-util.h"
#include "strv.h"
#include "unit-writer.h"

static unsigned n_passed, n_failed;

#define CHECK(cond, ...)                                                        \
        do {                                                                    \
                if (cond)                                                       \
                        n_passed++;                                             \
                else {                                                          \
                        n_failed++;                                             \
                        printf("FAIL %s:%d: ", __FILE__, __LINE__);             \
                        printf(__VA_ARGS__);                                    \
                        printf("\n");                                           \
                }                                                               \
        } while (0)

static const SpecifierContext spec = { .name = "web", .hostname = "host" };

/* What systemd makes of "Key=<escaped>" for a list key: exactly one word, then specifiers. */
static int read_back_word(const char *escaped, ExtractFlags flags, char **ret) {
        _cleanup_free_ char *w = NULL, *extra = NULL;
        const char *p = escaped;
        int r;

        r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | flags);
        if (r <= 0)
                return r < 0 ? r : -ENODATA;
        r = extract_first_word(&p, &extra, NULL, EXTRACT_UNQUOTE | flags);
        if (r != 0)
                return -E2BIG;
        return specifier_expand(w, &spec, ret, NULL);
}

static void test_word(const char *s) {
        static const UnitWordFlags modes[] = { 0, UNIT_WORD_CUNESCAPE };

        for (size_t i = 0; i < ELEMENTSOF(modes); i++) {
                _cleanup_free_ char *e = NULL, *back = NULL;
                int r;

                r = unit_escape_word(s, modes[i], &e);
                if (r == -EINVAL && !(modes[i] & UNIT_WORD_CUNESCAPE) && strpbrk(s, "\n\r")) {
                        n_passed++;     /* a line break cannot be said without C unescaping */
                        continue;
                }
                CHECK(r >= 0, "unit_escape_word(\"%s\", %d) = %d", s, (int) modes[i], r);
                if (r < 0)
                        continue;
                CHECK(!strpbrk(e, "\n\r"), "escaped word \"%s\" contains a line break", e);
                r = read_back_word(e, modes[i] & UNIT_WORD_CUNESCAPE ? EXTRACT_CUNESCAPE : 0, &back);
                CHECK(r >= 0 && streq(back, s), "word \"%s\" escaped as [%s] reads back as [%s] (%d)", s, e,
                      strna(back), r);
        }
}

static void test_value(const char *s, bool representable) {
        _cleanup_free_ char *e = NULL, *back = NULL;
        int r;

        r = unit_escape_value(s, &e);
        if (!representable) {
                CHECK(r == -EINVAL, "unit_escape_value(\"%s\") = %d, expected -EINVAL", s, r);
                return;
        }
        CHECK(r >= 0, "unit_escape_value(\"%s\") = %d", s, r);
        if (r < 0)
                return;
        r = specifier_expand(e, &spec, &back, NULL);
        CHECK(r >= 0 && streq(back, s), "value \"%s\" escaped as [%s] reads back as [%s]", s, e, strna(back));
}

static void test_words(void) {
        static const char *const words[] = {
                "/srv/www",
                "",
                "/srv/100%/data",
                "%i%n%%",
                "/srv/my www",
                "/srv/say \"hi\"",
                "/srv/it's",
                "/srv/back\\slash",
                "trailing\\",
                "tab\there",
                "line\nbreak",
                "cr\rhere",
                "\x01\x1f\x7f",
                "CONTAINER_NAME=foo\\x2dbar",
                "ünïcödé/ß",
                "  leading and trailing  ",
                "#not-a-comment",
                ";neither",
                "a=b=c",
        };

        for (size_t i = 0; i < ELEMENTSOF(words); i++)
                test_word(words[i]);
}

static void test_values(void) {
        test_value("Container web", true);
        test_value("100% done", true);
        test_value("%%%", true);
        test_value("/etc/ctr/web.ctr", true);
        test_value("tab\tinside", true);
        test_value("ünïcödé", true);
        test_value("", true);
        test_value(" leading", false);
        test_value("trailing ", false);
        test_value("ends in a backslash\\", false);
        test_value("line\nbreak", false);
        test_value("bell\a", false);
}

static void test_specific_forms(void) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        /* The forms the generator's tests and man page promise. */
        CHECK(unit_escape_word("/srv/www", 0, &a) >= 0 && streq(a, "/srv/www"), "bare: %s", strna(a));
        CHECK(unit_escape_word("/srv/a b", 0, &b) >= 0 && streq(b, "\"/srv/a b\""), "quoted: %s", strna(b));
        CHECK(unit_escape_word("x\x01", UNIT_WORD_CUNESCAPE, &c) >= 0 && streq(c, "\"x\\x01\""), "cescaped: %s",
              strna(c));
        CHECK(unit_escape_value("50%", &d) >= 0 && streq(d, "50%%"), "percent: %s", strna(d));
}

int main(void) {
        test_words();
        test_values();
        test_specific_forms();

        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
