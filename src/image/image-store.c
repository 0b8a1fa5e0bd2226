/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The store: opening it, blobs (verified when written and when read), references, resolving a reference
 * to an Image. Layers and temporary directories: image-store-layer.c; prune: image-store-prune.c. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "image-ref.h"
#include "image-store-internal.h"
#include "mkdir-util.h"
#include "oci-json.h"
#include "parse-util.h"
#include "paths.h"
#include "string-util.h"
#include "strv.h"

/* a ref file: a digest and a newline */
#define REF_FILE_MAX 256U
/* refs/ nesting: a name has at most a few components (image_reference_is_valid() bounds it at 255 bytes) */
#define REFS_DEPTH_MAX 128U

int image_store_open(const char *state, bool create, ImageStore **ret) {
        static const char *const subdirs[] = {
                "blobs", STORE_BLOBS, "layers", STORE_LAYERS, "compressed", STORE_COMPRESSED, STORE_REFS,
                STORE_TMP,
        };
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        ImageStore *s;
        int r;

        path = strprintf("%s/images", state ?: state_dir());
        if (!path)
                return -ENOMEM;
        if (create) {
                r = mkdir_p(path, 0700, 0700);
                if (r < 0)
                        return r;
        }
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (create)
                for (size_t i = 0; i < ELEMENTSOF(subdirs); i++)
                        if (mkdirat(fd, subdirs[i], 0700) < 0 && errno != EEXIST)
                                return negative_errno();

        s = calloc(1, sizeof(ImageStore));
        if (!s)
                return -ENOMEM;
        s->path = TAKE_PTR(path);
        s->fd = TAKE_FD(fd);
        *ret = s;
        return 0;
}

ImageStore *image_store_free(ImageStore *s) {
        if (!s)
                return NULL;
        safe_close(s->fd);
        free(s->path);
        free(s);
        return NULL;
}

const char *image_store_path(ImageStore *s) {
        return s->path;
}

int image_store_lock(ImageStore *s, int operation, int *ret_fd) {
        return lock_file_at(s->fd, STORE_LOCK, operation, ret_fd);
}

int image_store_layer_path(ImageStore *s, const char *diff_id, char **ret) {
        const char *hex = digest_hex(diff_id);
        char *p;

        if (!hex)
                return -EINVAL;
        p = strprintf("%s/" STORE_LAYERS "/%s", s->path, hex);
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

bool image_store_has_layer(ImageStore *s, const char *diff_id) {
        _cleanup_free_ char *p = NULL;
        struct stat st;
        const char *hex = digest_hex(diff_id);

        if (!hex)
                return false;
        p = strprintf(STORE_LAYERS "/%s", hex);
        return p && fstatat(s->fd, p, &st, AT_SYMLINK_NOFOLLOW) >= 0 && S_ISDIR(st.st_mode);
}

uint64_t image_store_layer_size(ImageStore *s, const char *diff_id) {
        _cleanup_free_ char *p = NULL, *text = NULL;
        uint64_t u;
        const char *hex = digest_hex(diff_id);

        if (!hex)
                return 0;
        p = strprintf(STORE_LAYERS "/%s.size", hex);
        if (!p || read_full_file_at(s->fd, p, 64, &text, NULL) < 0)
                return 0;
        text[strcspn(text, "\n")] = '\0';
        return safe_atou64(text, &u) < 0 ? 0 : u;
}

int image_store_get_blob(ImageStore *s, const char *digest, char **ret, size_t *ret_size, char **ret_error) {
        _cleanup_free_ char *p = NULL, *data = NULL;
        const char *hex = digest_hex(digest);
        DigestCheck check;
        size_t size;
        int r;

        if (!hex)
                return -EINVAL;
        p = strprintf(STORE_BLOBS "/%s", hex);
        if (!p)
                return -ENOMEM;
        r = read_full_file_at(s->fd, p, OCI_JSON_MAX, &data, &size);
        if (r == -EFBIG) {
                (void) strprintf_replace(ret_error, "Blob %s is larger than %u bytes.", digest, OCI_JSON_MAX);
                return -EBADMSG;
        }
        if (r < 0)
                return r;
        (void) digest_check_init(&check, digest);
        digest_check_update(&check, data, size);
        if (digest_check_finish(&check, NULL) < 0) {
                (void) strprintf_replace(ret_error, "Blob %s in the store is corrupt: its content has "
                                         "another digest.", digest);
                return -EBADMSG;
        }
        *ret = TAKE_PTR(data);
        if (ret_size)
                *ret_size = size;
        return 0;
}

static int ref_read(ImageStore *s, const char *name, const char *tag, char ret[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *p = NULL, *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = image_store_ref_path(name, tag, &p);
        if (r < 0)
                return r;
        fd = openat(s->fd, p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOTDIR ? -ENOENT : negative_errno();
        r = read_full_fd(fd, NULL, REF_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        text[strcspn(text, "\n")] = '\0';
        if (!digest_is_valid(text))
                return -EBADMSG;
        strcpy(ret, text);
        return 0;
}

int image_store_write_file(ImageStoreWork *w, int dir_fd, const char *name, const void *data, size_t size,
                           bool sync) {
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        tmp = strprintf("file.%u", w->counter++);
        if (!tmp)
                return -ENOMEM;
        fd = openat(w->dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, data, size);
        if (r >= 0 && fchmod(fd, 0644) < 0)
                r = negative_errno();
        if (r >= 0 && sync && fsync(fd) < 0)
                r = negative_errno();
        if (r >= 0 && renameat(w->dir_fd, tmp, dir_fd, name) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlinkat(w->dir_fd, tmp, 0);
        return r;
}

int image_store_put_blob(ImageStoreWork *w, const void *data, size_t size, const char *expected,
                         char ret_digest[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *p = NULL;
        char digest[DIGEST_STRING_MAX];
        DigestCheck check;
        struct stat st;
        int r;

        r = digest_check_init(&check, expected);
        if (r < 0)
                return r;
        digest_check_update(&check, data, size);
        r = digest_check_finish(&check, digest);
        if (r < 0)
                return r;
        p = strprintf(STORE_BLOBS "/%s", digest_hex(digest));
        if (!p)
                return -ENOMEM;
        if (fstatat(w->store->fd, p, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
            (uint64_t) st.st_size != size) {
                r = image_store_write_file(w, w->store->fd, p, data, size, true);
                if (r < 0)
                        return r;
        }
        if (ret_digest)
                strcpy(ret_digest, digest);
        return 0;
}

static int mkdir_parents_at(int dir_fd, const char *path) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                if (mkdirat(dir_fd, p, 0700) < 0 && errno != EEXIST)
                        return negative_errno();
                *s = '/';
        }
        return 0;
}

static int ref_write(ImageStoreWork *w, const char *name, const char *tag, const char *digest) {
        _cleanup_free_ char *p = NULL, *text = NULL, *dir = NULL;
        _cleanup_close_ int dfd = -EBADF;
        int r;

        r = image_store_ref_path(name, tag, &p);
        if (r < 0)
                return r;
        r = mkdir_parents_at(w->store->fd, p);
        if (r < 0)
                return r;
        text = strprintf("%s\n", digest);
        if (!text)
                return -ENOMEM;
        r = image_store_write_file(w, w->store->fd, p, text, strlen(text), true);
        if (r < 0)
                return r;
        /* the rename is durable once the directory is */
        dir = strndup(p, strrchr(p, '/') - p);
        if (!dir)
                return -ENOMEM;
        dfd = openat(w->store->fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dfd < 0 || fsync(dfd) < 0)
                return negative_errno();
        return 0;
}

int image_store_commit_ref(ImageStoreWork *w, const char *name, const char *tag, const char *manifest_digest) {
        if (syncfs(w->store->fd) < 0)
                return negative_errno();
        return ref_write(w, name, tag, manifest_digest);
}

void image_refs_free(ImageRef *refs, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(refs[i].name);
                free(refs[i].tag);
        }
        free(refs);
}

typedef struct RefList {
        ImageRef *refs;
        size_t n;
} RefList;

static int refs_walk(ImageStore *s, const char *dir, unsigned depth, RefList *l) {
        const struct dirent64 *de;
        DirIter it;
        int r;

        if (depth > REFS_DEPTH_MAX)
                return 0;
        r = dir_iter_open(s->fd, dir, &it);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                _cleanup_free_ char *sub = strprintf("%s/%s", dir, de->d_name);
                const char *tag = startswith(de->d_name, STORE_TAG_PREFIX);
                ImageRef *a;

                if (!sub) {
                        r = -ENOMEM;
                        break;
                }
                if (!tag) {
                        if (de->d_type == DT_DIR && (r = refs_walk(s, sub, depth + 1, l)) < 0)
                                break;
                        continue;
                }
                a = realloc(l->refs, (l->n + 1) * sizeof(ImageRef));
                if (!a) {
                        r = -ENOMEM;
                        break;
                }
                l->refs = a;
                a[l->n] = (ImageRef) {
                        .name = strdup(dir + strlen(STORE_REFS "/")),
                        .tag = strdup(tag),
                };
                if (!a[l->n].name || !a[l->n].tag) {
                        free(a[l->n].name);
                        free(a[l->n].tag);
                        r = -ENOMEM;
                        break;
                }
                if (ref_read(s, a[l->n].name, a[l->n].tag, a[l->n].manifest_digest) < 0) {
                        free(a[l->n].name);
                        free(a[l->n].tag);
                        continue;
                }
                l->n++;
        }
        dir_iter_close(&it);
        return r;
}

static int ref_compare(const void *a, const void *b) {
        const ImageRef *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c != 0 ? c : strcmp(x->tag, y->tag);
}

int image_store_list_refs(ImageStore *s, ImageRef **ret, size_t *ret_n) {
        RefList l = {};
        int r;

        r = refs_walk(s, STORE_REFS, 0, &l);
        if (r < 0) {
                image_refs_free(l.refs, l.n);
                return r;
        }
        if (l.n > 0)
                qsort(l.refs, l.n, sizeof(ImageRef), ref_compare);
        *ret = l.refs;
        *ret_n = l.n;
        return 0;
}

/* The manifest digest a hex prefix names among the blobs that are manifests: -ENOENT, -ENOTUNIQ. */
static int resolve_prefix(ImageStore *s, const char *prefix, char ret[DIGEST_STRING_MAX]) {
        const struct dirent64 *de;
        char found[DIGEST_STRING_MAX] = "";
        DirIter it;
        int r;

        r = dir_iter_open(s->fd, STORE_BLOBS, &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                _cleanup_free_ char *data = NULL;
                char digest[DIGEST_STRING_MAX];
                size_t size;

                if (!startswith(de->d_name, prefix) || strlen(de->d_name) != DIGEST_HEX_LENGTH)
                        continue;
                memcpy(digest, DIGEST_PREFIX, strlen(DIGEST_PREFIX));
                memcpy(digest + strlen(DIGEST_PREFIX), de->d_name, DIGEST_HEX_LENGTH + 1);
                if (image_store_get_blob(s, digest, &data, &size, NULL) < 0 ||
                    oci_document_kind(data, size) != OCI_KIND_MANIFEST)
                        continue;
                if (found[0] != '\0') {
                        r = -ENOTUNIQ;
                        break;
                }
                strcpy(found, digest);
        }
        dir_iter_close(&it);
        if (r < 0)
                return r;
        if (found[0] == '\0')
                return -ENOENT;
        strcpy(ret, found);
        return 0;
}

/* The manifest a reference by digest names: its blob, or, for the digest of an index (a manifest list) that
 * a pull followed to this machine's manifest, what NAME:sha256-HEX records (image-pull.h), in
 * |ret_index| (empty otherwise). */
static int resolve_pinned(ImageStore *s, const ImageReference *ref, char ret_digest[DIGEST_STRING_MAX],
                          char ret_index[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *p = strprintf(STORE_BLOBS "/%s", digest_hex(ref->digest)), *tag = NULL;
        struct stat st;
        int r;

        if (!p)
                return -ENOMEM;
        if (fstatat(s->fd, p, &st, AT_SYMLINK_NOFOLLOW) >= 0) {
                strcpy(ret_digest, ref->digest);
                return 0;
        }
        tag = strprintf("sha256-%s", digest_hex(ref->digest));
        if (!tag)
                return -ENOMEM;
        r = ref_read(s, ref->name, tag, ret_digest);
        if (r < 0)
                return r == -ENOTDIR || r == -EINVAL ? -ENOENT : r;
        if (!streq(ret_digest, ref->digest))
                strcpy(ret_index, ref->digest);
        return 0;
}

/* The manifest digest and normalised name |reference| stands for; |ret_index| (may be NULL): the index it
 * was picked from, when the reference names one by digest, else empty. */
static int resolve_reference(ImageStore *s, const char *reference, char ret_digest[DIGEST_STRING_MAX],
                             char **ret_name, char ret_index[DIGEST_STRING_MAX]) {
        char index[DIGEST_STRING_MAX] = "";
        _cleanup_(image_reference_done) ImageReference ref = {};
        const char *prefix = image_reference_digest_prefix(reference);
        int r;

        if (prefix) {
                r = resolve_prefix(s, prefix, ret_digest);
                /* "sha256:…" is only a digest; bare hex may also be a name ("cafe0123abcd") */
                if (r != -ENOENT || startswith(reference, DIGEST_PREFIX)) {
                        if (r >= 0)
                                *ret_name = NULL;
                        return r;
                }
        }
        r = image_reference_parse(reference, &ref);
        if (r < 0)
                return r;
        if (ref.digest[0] != '\0')
                r = resolve_pinned(s, &ref, ret_digest, index);
        else {
                r = ref_read(s, ref.name, ref.tag, ret_digest);
                if (r == -ENOTDIR)
                        r = -ENOENT;
        }
        if (r < 0)
                return r;
        if (ret_index)
                strcpy(ret_index, index);
        return image_reference_format(ref.name, ref.tag, ref.digest, ret_name);
}

/* The image of manifest |digest|: manifest and config read verified, every layer present. */
static int image_load(ImageStore *s, const char *digest, Image *i, char **ret_error) {
        _cleanup_free_ char *manifest_json = NULL, *config_json = NULL;
        _cleanup_(oci_manifest_done) OciManifest m = {};
        size_t size;
        int r;

        r = image_store_get_blob(s, digest, &manifest_json, &size, ret_error);
        if (r < 0)
                return r;
        r = oci_manifest_parse(manifest_json, size, NULL, &m, ret_error);
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        r = image_store_get_blob(s, m.config.digest, &config_json, &size, ret_error);
        if (r == -ENOENT) {
                (void) strprintf_replace(ret_error, "The config %s of image %s is missing.", m.config.digest,
                                         digest);
                return -EBADMSG;
        }
        if (r < 0)
                return r;
        r = oci_config_parse(config_json, size, &i->config, &i->diff_ids, ret_error);
        if (r < 0)
                return r == -ENOMEM ? r : -EBADMSG;
        i->n_layers = strv_length(i->diff_ids);
        if (i->n_layers != m.n_layers) {
                (void) strprintf_replace(ret_error, "Image %s has %zu layers but its config %zu diff_ids.",
                                         digest, m.n_layers, i->n_layers);
                return -EBADMSG;
        }
        strcpy(i->manifest_digest, digest);
        strcpy(i->config_digest, m.config.digest);
        STRV_FOREACH(d, i->diff_ids) {
                if (!image_store_has_layer(s, *d)) {
                        (void) strprintf_replace(ret_error, "Layer %s of image %s is missing from the store.",
                                                 *d, digest);
                        return -ENOLINK;
                }
                i->size += image_store_layer_size(s, *d);
        }
        return 0;
}

int image_store_resolve(ImageStore *s, const char *reference, Image **ret, char **ret_error) {
        _cleanup_image_free_ Image *i = NULL;
        char digest[DIGEST_STRING_MAX];
        int r;

        i = calloc(1, sizeof(Image));
        if (!i)
                return -ENOMEM;
        r = resolve_reference(s, reference, digest, &i->name, i->index_digest);
        if (r == -ENOENT || r == -EINVAL)
                (void) strprintf_replace(ret_error, "No image '%s' in the store.", reference);
        else if (r == -ENOTUNIQ)
                (void) strprintf_replace(ret_error, "'%s' names more than one image.", reference);
        if (r < 0)
                return r == -EINVAL ? -ENOENT : r;
        r = image_load(s, digest, i, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(i);
        return 0;
}

int image_store_tag(ImageStore *s, const char *source, const char *reference, char **ret_error) {
        _cleanup_image_store_work_ ImageStoreWork *w = NULL;
        _cleanup_(image_reference_done) ImageReference ref = {};
        _cleanup_image_free_ Image *i = NULL;
        int r;

        r = image_reference_parse(reference, &ref);
        if (r < 0 || ref.digest[0] != '\0' || !ref.tag) {
                (void) strprintf_replace(ret_error, "'%s' is not a valid NAME[:TAG].", reference);
                return -EINVAL;
        }
        r = image_store_resolve(s, source, &i, ret_error);
        if (r < 0)
                return r;
        r = image_store_work_begin(s, &w);
        if (r < 0)
                return r;
        return ref_write(w, ref.name, ref.tag, i->manifest_digest);
}

static int ref_remove(ImageStore *s, const char *name, const char *tag) {
        _cleanup_free_ char *p = NULL;
        int r;

        r = image_store_ref_path(name, tag, &p);
        if (r < 0)
                return r;
        if (unlinkat(s->fd, p, 0) < 0)
                return errno == ENOTDIR ? -ENOENT : negative_errno();
        /* empty name directories go with their last tag */
        for (char *slash = strrchr(p, '/'); slash && slash > p + strlen(STORE_REFS); slash = strrchr(p, '/')) {
                *slash = '\0';
                if (unlinkat(s->fd, p, AT_REMOVEDIR) < 0)
                        break;
        }
        return 0;
}

int image_store_untag(ImageStore *s, const char *reference, unsigned *ret_removed) {
        _cleanup_(image_reference_done) ImageReference ref = {};
        _cleanup_free_ char *name = NULL;
        char digest[DIGEST_STRING_MAX];
        ImageRef *refs = NULL;
        unsigned removed = 0;
        size_t n = 0;
        int r;

        r = resolve_reference(s, reference, digest, &name, NULL);
        if (r < 0)
                return r == -EINVAL ? -ENOENT : r;
        /* NAME:TAG: that reference; a digest: every reference to it */
        if (name && image_reference_parse(name, &ref) >= 0 && ref.tag && ref.digest[0] == '\0') {
                r = ref_remove(s, ref.name, ref.tag);
                if (r < 0)
                        return r;
                removed = 1;
        } else {
                r = image_store_list_refs(s, &refs, &n);
                if (r < 0)
                        return r;
                for (size_t k = 0; k < n; k++)
                        if (streq(refs[k].manifest_digest, digest) &&
                            (!ref.name || streq(ref.name, refs[k].name)) &&
                            ref_remove(s, refs[k].name, refs[k].tag) >= 0)
                                removed++;
                image_refs_free(refs, n);
        }
        if (ret_removed)
                *ret_removed = removed;
        return removed > 0 ? 0 : -ENOENT;
}
