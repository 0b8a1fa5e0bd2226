/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Docker's normalisation (distribution/reference's ParseNormalizedNamed): the first component is a domain
 * when it has a '.' or a ':', is "localhost", or has an upper-case letter; without one the domain is
 * docker.io, whose single-component names live under "library/"; "index.docker.io" is docker.io; no tag
 * and no digest means ":latest". */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image-ref.h"
#include "image-store-layout.h"
#include "name-util.h"
#include "string-util.h"
#include "strv.h"

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DEFAULT_DOMAIN "index.docker.io"
#define OFFICIAL_PREFIX "library/"
#define DEFAULT_TAG "latest"

void image_reference_done(ImageReference *r) {
        r->name = mfree(r->name);
        r->tag = mfree(r->tag);
        r->digest[0] = '\0';
}

static bool is_domain(const char *s, size_t n) {
        if (memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && strneq(s, "localhost", 9)))
                return true;
        for (size_t i = 0; i < n; i++)
                if (s[i] >= 'A' && s[i] <= 'Z')
                        return true;
        return false;
}

int image_reference_parse(const char *reference, ImageReference *ret) {
        _cleanup_free_ char *copy = NULL, *tag = NULL, *name = NULL;
        const char *remainder, *slash, *domain;
        char *at, *colon, *last_slash;
        size_t domain_len;
        ImageReference r = {};

        if (!image_reference_is_valid(reference))
                return -EINVAL;
        copy = strdup(reference);
        if (!copy)
                return -ENOMEM;

        at = strchr(copy, '@');
        if (at) {
                *at = '\0';
                if (!digest_is_valid(at + 1))
                        return -EINVAL;
                strcpy(r.digest, at + 1);
        }
        last_slash = strrchr(copy, '/');
        colon = strrchr(last_slash ?: copy, ':');
        if (colon) {
                *colon = '\0';
                tag = strdup(colon + 1);
                if (!tag)
                        return -ENOMEM;
        }

        slash = strchr(copy, '/');
        if (slash && is_domain(copy, (size_t) (slash - copy))) {
                domain = copy;
                domain_len = (size_t) (slash - copy);
                remainder = slash + 1;
        } else {
                domain = DEFAULT_DOMAIN;
                domain_len = strlen(DEFAULT_DOMAIN);
                remainder = copy;
        }
        if (domain_len == strlen(LEGACY_DEFAULT_DOMAIN) && strneq(domain, LEGACY_DEFAULT_DOMAIN, domain_len)) {
                domain = DEFAULT_DOMAIN;
                domain_len = strlen(DEFAULT_DOMAIN);
        }
        /* the repository path is lower case (image_reference_is_valid() checked): only a domain has capitals */
        if (domain_len == strlen(DEFAULT_DOMAIN) && strneq(domain, DEFAULT_DOMAIN, domain_len) &&
            !strchr(remainder, '/'))
                name = strprintf("%.*s/%s%s", (int) domain_len, domain, OFFICIAL_PREFIX, remainder);
        else
                name = strprintf("%.*s/%s", (int) domain_len, domain, remainder);
        if (!name)
                return -ENOMEM;
        if (!tag && !at) {
                tag = strdup(DEFAULT_TAG);
                if (!tag)
                        return -ENOMEM;
        }

        r.name = TAKE_PTR(name);
        r.tag = TAKE_PTR(tag);
        *ret = r;
        return 0;
}

int image_reference_format(const char *name, const char *tag, const char *digest, char **ret) {
        char *s;

        s = strprintf("%s%s%s%s%s", name, tag ? ":" : "", strempty(tag), isempty(digest) ? "" : "@",
                      strempty(digest));
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int image_reference_normalize(const char *reference, char **ret) {
        ImageReference r;
        int k;

        k = image_reference_parse(reference, &r);
        if (k < 0)
                return k;
        k = image_reference_format(r.name, r.tag, r.digest, ret);
        image_reference_done(&r);
        return k;
}

const char *image_reference_digest_prefix(const char *s) {
        const char *h = startswith(s, DIGEST_PREFIX) ?: s;
        size_t n = strlen(h);

        if (n < 12 || n > DIGEST_HEX_LENGTH || !in_charset(h, "0123456789abcdef"))
                return NULL;
        /* a bare prefix without "sha256:" would also be a valid image name ("deadbeef0123"): as Docker, an
         * image ID wins only when it is all hex */
        return h;
}

int image_store_ref_path(const char *name, const char *tag, char **ret) {
        _cleanup_strv_free_ char **parts = NULL;

        if (strv_split(name, "/", &parts) < 0)
                return -ENOMEM;
        if (strv_isempty(parts) || strchr(tag, '/') || tag[0] == '.')
                return -EINVAL;
        STRV_FOREACH(c, parts)
                if (streq(*c, ".") || streq(*c, "..") || startswith(*c, STORE_TAG_PREFIX))
                        return -EINVAL;
        *ret = strprintf(STORE_REFS "/%s/" STORE_TAG_PREFIX "%s", name, tag);
        return *ret ? 0 : -ENOMEM;
}

int image_store_dir_open(const char *state) {
        _cleanup_free_ char *store = strprintf("%s/" STORE_DIR, state);
        int fd;

        if (!store)
                return -ENOMEM;
        fd = open(store, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ENODEV : -errno;
        return fd;
}

int image_store_has_reference_at(int store_fd, const char *reference) {
        _cleanup_(image_reference_done) ImageReference ref = {};
        _cleanup_free_ char *file = NULL;
        int r;

        r = image_reference_parse(reference, &ref);
        if (r < 0)
                return r;
        if (ref.tag)
                r = image_store_ref_path(ref.name, ref.tag, &file);
        else
                r = (file = strprintf(STORE_BLOBS "/%s", digest_hex(ref.digest))) ? 0 : -ENOMEM;
        if (r < 0)
                return r;
        if (faccessat(store_fd, file, F_OK, 0) >= 0)
                return 1;
        if (errno != ENOENT && errno != ENOTDIR)
                return -errno;
        if (ref.tag)
                return 0;
        /* an index's digest: the store keeps the manifest a pull picked from it under NAME:sha256-HEX */
        _cleanup_free_ char *index_ref = strprintf("%s:sha256-%s", ref.name, digest_hex(ref.digest));
        if (!index_ref)
                return -ENOMEM;
        return image_store_has_reference_at(store_fd, index_ref);
}
