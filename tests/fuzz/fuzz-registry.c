/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for what a registry (or anyone on the way to it) sends back that ctr parses itself
 * (src/image): a WWW-Authenticate challenge, a token service's JSON answer, an error body, and the URL of a
 * redirect or a token realm. The first byte picks which, the rest is the text. Whatever comes back is refused
 * with -EBADMSG / -EPROTO (or -ENOMEM), or parsed into values that hold what the grammar allows: a challenge
 * has a scheme without blanks, a URL origin is http(s)://HOST[:PORT] and says which. */

#include <string.h>

#include "fuzz-util.h"
#include "registry-auth.h"
#include "registry-internal.h"

static void fuzz_challenge(const char *s) {
        RegistryChallenge c = {};
        int r = registry_challenge_parse(s, &c);

        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM);
        if (r == 0) {
                FUZZ_CHECK(c.scheme && c.scheme[0] && !strpbrk(c.scheme, " \t"));
                registry_challenge_done(&c);
        }
}

static void fuzz_token(const char *s, size_t size) {
        char *token = NULL;
        int r = registry_token_parse(s, size, &token);

        FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM || r == -E2BIG);
        FUZZ_CHECK((r == 0) == (token != NULL));
        free(token);
}

static void fuzz_error_body(const char *s, size_t size) {
        char *message = NULL;

        (void) registry_error_body_message(s, size, &message);
        free(message);
}

static void fuzz_url(const char *s) {
        char *origin = NULL, *hostport = NULL;
        bool https = false;
        int r = registry_url_origin(s, &origin, &hostport, &https);

        FUZZ_CHECK(r == 0 || r == -EPROTO || r == -ENOMEM);
        if (r == 0) {
                FUZZ_CHECK(strncmp(origin, https ? "https://" : "http://", https ? 8 : 7) == 0);
                FUZZ_CHECK(strcmp(origin + (https ? 8 : 7), hostport) == 0);
                free(origin);
                free(hostport);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s;

        if (size < 1 || size > 64 * 1024)
                return 0;
        s = fuzz_string(data + 1, size - 1);
        if (!s)
                return 0;
        switch (data[0] % 4) {
        case 0:
                fuzz_challenge(s);
                break;
        case 1:
                fuzz_token((const char *) data + 1, size - 1);
                break;
        case 2:
                fuzz_error_body((const char *) data + 1, size - 1);
                break;
        default:
                fuzz_url(s);
        }
        free(s);
        return 0;
}
