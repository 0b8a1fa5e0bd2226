/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the Quadlet converter (src/model/quadlet-*.c): the input is a Quadlet unit, parsed as
 * ctrctl convert parses it and translated key by key, as a container of its own, a pod's owner or a pod's
 * member (the input's first byte picks). Whatever it holds, the .ctr text written must be well-formed (ctr's
 * parser finds no syntax error in it: no line can be split or continued by a value) and loading it must not
 * crash. */

#include <string.h>

#include "conf-parser.h"
#include "ctr-file.h"
#include "fuzz-util.h"
#include "quadlet-convert.h"

static int add(const char *file, unsigned line, const char *section, const char *key, const char *value,
               void *userdata) {
        return quadlet_unit_add(userdata, file, line, section, key, value);
}

static int count(_unused_ const char *file, _unused_ unsigned line, _unused_ const char *section,
                 _unused_ const char *key, _unused_ const char *value, _unused_ void *userdata) {
        return 0;
}

static const char *lookup(_unused_ void *userdata, const char *ref) {
        /* every reference resolves to a name, as when the other files are converted too */
        return strlen(ref) > 8 ? "other" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const QuadletLookup lookups = { .container = lookup, .volume = lookup, .image = lookup,
                                               .pod = lookup };
        Diagnostics diag = {}, check = {};
        Container *c = NULL;
        QuadletUnit u;
        QuadletRole role;
        char *text = NULL;
        int r;

        if (size < 1 || size > CTR_FILE_SIZE_MAX)
                return 0;
        role = data[0] % 3 == 0 ? QUADLET_ALONE : data[0] % 3 == 1 ? QUADLET_POD_OWNER : QUADLET_POD_MEMBER;
        quadlet_unit_init(&u, "fuzz", "/etc/containers/systemd", data[0] & 4, role,
                          role == QUADLET_POD_MEMBER ? "owner" : NULL, data[0] & 8 ? &lookups : NULL, &diag);
        r = conf_parse_buffer("fuzz.container", (const char *) data + 1, size - 1, CTR_LINE_MAX, add, &u, &diag);
        if (r != -ENOMEM && quadlet_unit_finish(&u, "# ctr convert: fuzz", &text) >= 0) {
                FUZZ_CHECK(text);
                FUZZ_CHECK(conf_parse_buffer("fuzz.ctr", text, strlen(text), CTR_LINE_MAX, count, NULL,
                                             &check) == 0);
                (void) container_load_texts("fuzz", &(ConfigText) { "fuzz.ctr", text, strlen(text) }, NULL, 0,
                                            &check, &c);
        }
        container_free(c);
        free(text);
        quadlet_unit_done(&u);
        diagnostics_clear(&diag);
        diagnostics_clear(&check);
        return 0;
}
