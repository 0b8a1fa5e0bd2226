/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oci-json.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

/* Deep enough for any real document (a manifest is 4 levels), shallow enough that json-c's recursion on
 * free stays small. */
#define OCI_JSON_DEPTH 16
/* Layers of one image, entries of one index: real ones have tens, Docker refuses more than 127 layers. */
#define OCI_ENTRIES_MAX 4096U

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);
#define _cleanup_json_ _cleanup_(json_object_putp)

static int fail(char **ret_error, int r, const char *fmt, ...) _printf_(3, 4);
static int fail(char **ret_error, int r, const char *fmt, ...) {
        va_list ap;

        if (ret_error) {
                free(*ret_error);
                va_start(ap, fmt);
                if (vasprintf(ret_error, fmt, ap) < 0)
                        *ret_error = NULL;
                va_end(ap);
        }
        return r;
}

OciMediaKind oci_media_kind(const char *t) {
        static const struct {
                const char *type;
                OciMediaKind kind;
        } table[] = {
                { OCI_MEDIA_INDEX,                      OCI_KIND_INDEX },
                { DOCKER_MEDIA_LIST,                    OCI_KIND_INDEX },
                { OCI_MEDIA_MANIFEST,                   OCI_KIND_MANIFEST },
                { DOCKER_MEDIA_MANIFEST,                OCI_KIND_MANIFEST },
                { OCI_MEDIA_CONFIG,                     OCI_KIND_CONFIG },
                { DOCKER_MEDIA_CONFIG,                  OCI_KIND_CONFIG },
                { OCI_MEDIA_LAYER,                      OCI_KIND_LAYER },
                { OCI_MEDIA_LAYER_GZIP,                 OCI_KIND_LAYER },
                { OCI_MEDIA_LAYER_ZSTD,                 OCI_KIND_LAYER },
                { "application/vnd.oci.image.layer.nondistributable.v1.tar",      OCI_KIND_LAYER },
                { "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", OCI_KIND_LAYER },
                { "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", OCI_KIND_LAYER },
                { DOCKER_MEDIA_LAYER_GZIP,              OCI_KIND_LAYER },
                { "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",    OCI_KIND_LAYER },
        };

        if (!t)
                return OCI_KIND_UNKNOWN;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(t, table[i].type))
                        return table[i].kind;
        return OCI_KIND_UNKNOWN;
}

/* The whole of |json| as one value of |type|: nothing but whitespace after it, no NUL inside. |json| need
 * not be NUL-terminated. */
static int parse_value(const char *json, size_t size, json_type type, const char *what, json_object **ret,
                       char **ret_error) {
        struct json_tokener *tok;
        json_object *o;
        size_t end;

        if (size > OCI_JSON_MAX)
                return fail(ret_error, -EFBIG, "The %s is %zu bytes, more than the %u allowed.", what, size,
                            OCI_JSON_MAX);
        if (memchr(json, '\0', size))
                return fail(ret_error, -EBADMSG, "The %s is not JSON (a NUL byte).", what);
        tok = json_tokener_new_ex(OCI_JSON_DEPTH);
        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        o = json_tokener_parse_ex(tok, json, (int) size);
        if (!o || json_tokener_get_error(tok) != json_tokener_success) {
                enum json_tokener_error e = json_tokener_get_error(tok);

                json_object_put(o);
                json_tokener_free(tok);
                return fail(ret_error, -EBADMSG, "The %s is not valid JSON: %s.", what,
                            e == json_tokener_continue ? "unexpected end" : json_tokener_error_desc(e));
        }
        end = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        for (; end < size; end++)
                if (!strchr(WHITESPACE, json[end])) {
                        json_object_put(o);
                        return fail(ret_error, -EBADMSG, "The %s has data after its JSON value.", what);
                }
        if (!json_object_is_type(o, type)) {
                json_object_put(o);
                return fail(ret_error, -EBADMSG, "The %s is not a JSON %s.", what,
                            type == json_type_array ? "array" : "object");
        }
        *ret = o;
        return 0;
}

static int parse_object(const char *json, size_t size, const char *what, json_object **ret, char **ret_error) {
        return parse_value(json, size, json_type_object, what, ret, ret_error);
}

/* |key|'s string value: 0 and NULL when absent or null, -EBADMSG when of another type. */
static int get_string(json_object *o, const char *key, const char **ret) {
        json_object *v;

        *ret = NULL;
        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return 0;
        if (!json_object_is_type(v, json_type_string))
                return -EBADMSG;
        *ret = json_object_get_string(v);
        return 0;
}

static int dup_string(json_object *o, const char *key, char **ret) {
        const char *s;

        if (get_string(o, key, &s) < 0)
                return -EBADMSG;
        if (!s)
                return 0;
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

/* An array of strings (null: none). */
static int get_strv(json_object *o, const char *key, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        json_object *v;
        size_t n;

        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return 0;
        if (!json_object_is_type(v, json_type_array))
                return -EBADMSG;
        n = json_object_array_length(v);
        if (n > OCI_ENTRIES_MAX)
                return -E2BIG;
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(v, i);

                if (!json_object_is_type(e, json_type_string))
                        return -EBADMSG;
                if (strv_extend(&l, json_object_get_string(e)) < 0)
                        return -ENOMEM;
        }
        if (!l) {               /* [] is an empty list, not "none" */
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* The keys of an object (Volumes, ExposedPorts), or "KEY=VALUE" for an object of strings (Labels). */
static int get_keys(json_object *o, const char *key, bool with_values, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return 0;
        if (!json_object_is_type(v, json_type_object))
                return -EBADMSG;
        if ((size_t) json_object_object_length(v) > OCI_ENTRIES_MAX)
                return -E2BIG;
        json_object_object_foreach(v, k, val) {
                char *s;

                if (with_values) {
                        if (!json_object_is_type(val, json_type_string))
                                return -EBADMSG;
                        s = strprintf("%s=%s", k, json_object_get_string(val));
                } else
                        s = strdup(k);
                if (!s || strv_consume(&l, s) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

void oci_descriptor_done(OciDescriptor *d) {
        d->media_type = mfree(d->media_type);
        d->os = mfree(d->os);
        d->architecture = mfree(d->architecture);
        d->variant = mfree(d->variant);
        d->ref_name = mfree(d->ref_name);
        d->image_name = mfree(d->image_name);
}

static int descriptor_parse(json_object *o, const char *what, OciDescriptor *ret, char **ret_error) {
        OciDescriptor d = {};
        json_object *v, *p, *a;
        const char *digest;
        int r = -EBADMSG;

        if (!json_object_is_type(o, json_type_object))
                return fail(ret_error, -EBADMSG, "The %s is not a JSON object.", what);
        if (dup_string(o, "mediaType", &d.media_type) < 0 || !d.media_type) {
                fail(ret_error, r, "The %s has no mediaType.", what);
                goto finish;
        }
        if (get_string(o, "digest", &digest) < 0 || !digest_is_valid(digest)) {
                fail(ret_error, r, "The %s has no valid sha256 digest ('%s').", what, strna(digest));
                goto finish;
        }
        strcpy(d.digest, digest);
        /* an int64 (OCI's type): json-c saturates a larger number at UINT64_MAX, a size no one could mean */
        if (!json_object_object_get_ex(o, "size", &v) || !json_object_is_type(v, json_type_int) ||
            json_object_get_int64(v) < 0 || json_object_get_uint64(v) > INT64_MAX) {
                fail(ret_error, r, "The %s %s has no valid size.", what, d.digest);
                goto finish;
        }
        d.size = json_object_get_uint64(v);

        if (json_object_object_get_ex(o, "platform", &p) && json_object_is_type(p, json_type_object) &&
            (dup_string(p, "os", &d.os) < 0 || dup_string(p, "architecture", &d.architecture) < 0 ||
             dup_string(p, "variant", &d.variant) < 0)) {
                fail(ret_error, r, "The %s %s has an invalid platform.", what, d.digest);
                goto finish;
        }
        if (json_object_object_get_ex(o, "annotations", &a) && json_object_is_type(a, json_type_object) &&
            (dup_string(a, OCI_ANNOTATION_REF_NAME, &d.ref_name) < 0 ||
             dup_string(a, CONTAINERD_ANNOTATION_IMAGE_NAME, &d.image_name) < 0)) {
                fail(ret_error, r, "The %s %s has an invalid annotation.", what, d.digest);
                goto finish;
        }
        *ret = d;
        return 0;

finish:
        oci_descriptor_done(&d);
        return r;
}

static void descriptors_free(OciDescriptor *d, size_t n) {
        for (size_t i = 0; i < n; i++)
                oci_descriptor_done(&d[i]);
        free(d);
}

static int descriptors_parse(json_object *o, const char *key, const char *what, OciDescriptor **ret,
                             size_t *ret_n, char **ret_error) {
        OciDescriptor *l;
        json_object *a;
        size_t n;

        if (!json_object_object_get_ex(o, key, &a) || !json_object_is_type(a, json_type_array))
                return fail(ret_error, -EBADMSG, "The %s has no \"%s\" array.", what, key);
        n = json_object_array_length(a);
        if (n > OCI_ENTRIES_MAX)
                return fail(ret_error, -E2BIG, "The %s lists %zu entries, more than the %u allowed.", what,
                            n, OCI_ENTRIES_MAX);
        l = calloc(n + 1, sizeof(OciDescriptor));
        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                int r = descriptor_parse(json_object_array_get_idx(a, i), what, &l[i], ret_error);
                if (r < 0) {
                        descriptors_free(l, i);
                        return r;
                }
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

static int check_header(json_object *o, const char *what, OciMediaKind kind, const char *media_type,
                        char **ret_media_type, char **ret_error) {
        const char *mt;
        json_object *v;

        if (!json_object_object_get_ex(o, "schemaVersion", &v) || !json_object_is_type(v, json_type_int) ||
            json_object_get_int64(v) != 2)
                return fail(ret_error, -EBADMSG, "The %s is not of schemaVersion 2.", what);
        if (get_string(o, "mediaType", &mt) < 0)
                return fail(ret_error, -EBADMSG, "The %s has an invalid mediaType.", what);
        if (mt && oci_media_kind(mt) != kind)
                return fail(ret_error, -EBADMSG, "The %s has mediaType '%s'.", what, mt);
        if (mt && media_type && !streq(mt, media_type))
                return fail(ret_error, -EBADMSG, "The %s says it is '%s', its descriptor '%s'.", what, mt,
                            media_type);
        if (!mt && media_type && oci_media_kind(media_type) != kind)
                return fail(ret_error, -EBADMSG, "The %s was expected as '%s'.", what, media_type);
        /* Docker's documents always say what they are; an OCI one may leave it to its descriptor. */
        mt = mt ?: media_type ?: (kind == OCI_KIND_INDEX ? OCI_MEDIA_INDEX : OCI_MEDIA_MANIFEST);
        if (ret_media_type) {
                *ret_media_type = strdup(mt);
                if (!*ret_media_type)
                        return -ENOMEM;
        }
        return 0;
}

OciMediaKind oci_document_kind(const char *json, size_t size) {
        _cleanup_json_ json_object *o = NULL;
        const char *mt;

        if (parse_object(json, size, "document", &o, NULL) < 0 || get_string(o, "mediaType", &mt) < 0)
                return OCI_KIND_UNKNOWN;
        if (mt)
                return oci_media_kind(mt);
        if (json_object_object_get_ex(o, "manifests", NULL))
                return OCI_KIND_INDEX;
        if (json_object_object_get_ex(o, "layers", NULL))
                return OCI_KIND_MANIFEST;
        return OCI_KIND_UNKNOWN;
}

void oci_index_done(OciIndex *i) {
        descriptors_free(i->manifests, i->n_manifests);
        *i = (OciIndex) {};
}

int oci_index_parse(const char *json, size_t size, const char *media_type, OciIndex *ret, char **ret_error) {
        _cleanup_json_ json_object *o = NULL;
        OciIndex idx = {};
        int r;

        r = parse_object(json, size, "index", &o, ret_error);
        if (r < 0)
                return r;
        r = check_header(o, "index", OCI_KIND_INDEX, media_type, NULL, ret_error);
        if (r < 0)
                return r;
        r = descriptors_parse(o, "manifests", "index entry", &idx.manifests, &idx.n_manifests, ret_error);
        if (r < 0)
                return r;
        *ret = idx;
        return 0;
}

void oci_manifest_done(OciManifest *m) {
        free(m->media_type);
        oci_descriptor_done(&m->config);
        descriptors_free(m->layers, m->n_layers);
        *m = (OciManifest) {};
}

int oci_manifest_parse(const char *json, size_t size, const char *media_type, OciManifest *ret,
                       char **ret_error) {
        _cleanup_json_ json_object *o = NULL;
        OciManifest m = {};
        json_object *c;
        int r;

        r = parse_object(json, size, "manifest", &o, ret_error);
        if (r < 0)
                return r;
        r = check_header(o, "manifest", OCI_KIND_MANIFEST, media_type, &m.media_type, ret_error);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(o, "config", &c)) {
                r = fail(ret_error, -EBADMSG, "The manifest has no config.");
                goto finish;
        }
        r = descriptor_parse(c, "manifest's config", &m.config, ret_error);
        if (r < 0)
                goto finish;
        if (oci_media_kind(m.config.media_type) != OCI_KIND_CONFIG) {
                r = fail(ret_error, -EBADMSG, "The manifest's config %s has mediaType '%s', not an image "
                         "config's.", m.config.digest, m.config.media_type);
                goto finish;
        }
        r = descriptors_parse(o, "layers", "manifest's layer", &m.layers, &m.n_layers, ret_error);
        if (r < 0)
                goto finish;
        for (size_t i = 0; i < m.n_layers; i++)
                if (oci_media_kind(m.layers[i].media_type) != OCI_KIND_LAYER) {
                        r = fail(ret_error, -EBADMSG, "The manifest's layer %s has mediaType '%s', not a "
                                 "layer's this store reads.", m.layers[i].digest, m.layers[i].media_type);
                        goto finish;
                }
        *ret = m;
        return 0;

finish:
        oci_manifest_done(&m);
        return r;
}

int oci_parse_timestamp(const char *s, uint64_t *ret_usec) {
        struct tm tm = {};
        const char *p;
        uint64_t frac = 0, scale = 1000000;
        long offset = 0;
        time_t t;

        if (!s)
                return -EINVAL;
        p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
        if (!p)
                return -EINVAL;
        if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                for (; *p >= '0' && *p <= '9'; p++)
                        if (scale > 1) {
                                scale /= 10;
                                frac += (uint64_t) (*p - '0') * scale;
                        }
        }
        if (*p == 'Z' || *p == 'z')
                p++;
        else if (*p == '+' || *p == '-') {
                unsigned h, m;
                int n = 0;

                if (sscanf(p + 1, "%2u:%2u%n", &h, &m, &n) != 2 || n != 5 || h > 23 || m > 59)
                        return -EINVAL;
                offset = (long) (h * 3600 + m * 60) * (*p == '-' ? -1 : 1);
                p += 6;
        } else
                return -EINVAL;
        if (*p != '\0')
                return -EINVAL;
        t = timegm(&tm);
        if (t == (time_t) -1 || t - offset < 0)
                return -EINVAL;
        *ret_usec = (uint64_t) (t - offset) * USEC_PER_SEC + frac;
        return 0;
}

/* |key|'s non-negative integer value: 0 when absent or null, -EBADMSG for another type or a negative one. */
static int get_u64(json_object *o, const char *key, uint64_t *ret) {
        json_object *v;
        int64_t i;

        *ret = 0;
        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return 0;
        if (!json_object_is_type(v, json_type_int))
                return -EBADMSG;
        i = json_object_get_int64(v);
        if (i < 0)
                return -EBADMSG;
        *ret = (uint64_t) i;
        return 0;
}

/* Docker's Healthcheck: {"Test": [...], "Interval": NS, "Timeout": NS, "StartPeriod": NS, "Retries": N} */
static int healthcheck_parse(json_object *o, ImageHealthcheck *h) {
        json_object *v;
        uint64_t retries;

        if (!json_object_object_get_ex(o, "Healthcheck", &v) || json_object_is_type(v, json_type_null))
                return 0;
        if (!json_object_is_type(v, json_type_object) || get_strv(v, "Test", &h->test) < 0 ||
            get_u64(v, "Interval", &h->interval_nsec) < 0 || get_u64(v, "Timeout", &h->timeout_nsec) < 0 ||
            get_u64(v, "StartPeriod", &h->start_period_nsec) < 0 || get_u64(v, "Retries", &retries) < 0 ||
            retries > UINT_MAX)
                return -EBADMSG;
        h->retries = (unsigned) retries;
        return 0;
}

static int config_fields_parse(json_object *o, ImageConfig *c) {
        if (get_strv(o, "Entrypoint", &c->entrypoint) < 0 || get_strv(o, "Cmd", &c->cmd) < 0 ||
            get_strv(o, "Env", &c->env) < 0 || dup_string(o, "User", &c->user) < 0 ||
            dup_string(o, "WorkingDir", &c->working_dir) < 0 || dup_string(o, "StopSignal", &c->stop_signal) < 0 ||
            get_keys(o, "Volumes", false, &c->volumes) < 0 ||
            get_keys(o, "ExposedPorts", false, &c->exposed_ports) < 0 ||
            get_keys(o, "Labels", true, &c->labels) < 0 || healthcheck_parse(o, &c->healthcheck) < 0)
                return -EBADMSG;
        return 0;
}

int oci_config_parse(const char *json, size_t size, ImageConfig *ret_config, char ***ret_diff_ids,
                     char **ret_error) {
        _cleanup_json_ json_object *o = NULL;
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig c = {};
        json_object *v, *rootfs;
        const char *type, *created;
        int r;

        r = parse_object(json, size, "image config", &o, ret_error);
        if (r < 0)
                return r;

        if (!json_object_object_get_ex(o, "rootfs", &rootfs) || !json_object_is_type(rootfs, json_type_object) ||
            get_string(rootfs, "type", &type) < 0 || !type || !streq(type, "layers"))
                return fail(ret_error, -EBADMSG, "The image config has no rootfs of type \"layers\".");
        r = get_strv(rootfs, "diff_ids", &diff_ids);
        if (r < 0 || !diff_ids)
                return fail(ret_error, r == -E2BIG ? r : -EBADMSG,
                            "The image config's rootfs.diff_ids is not a list of digests.");
        STRV_FOREACH(d, diff_ids)
                if (!digest_is_valid(*d))
                        return fail(ret_error, -EBADMSG, "The image config's diff_id '%s' is not a valid "
                                    "sha256 digest.", *d);

        if (dup_string(o, "os", &c.os) < 0 || dup_string(o, "architecture", &c.architecture) < 0 ||
            get_string(o, "created", &created) < 0) {
                r = fail(ret_error, -EBADMSG, "The image config's os, architecture or created is not a string.");
                goto finish;
        }
        if (created && oci_parse_timestamp(created, &c.created_usec) < 0)
                c.created_usec = 0;
        /* "config" may be absent or null (docker import's images have none). */
        if (json_object_object_get_ex(o, "config", &v) && !json_object_is_type(v, json_type_null)) {
                if (!json_object_is_type(v, json_type_object) || config_fields_parse(v, &c) < 0) {
                        r = fail(ret_error, -EBADMSG, "The image config's \"config\" object has a field of "
                                 "the wrong type.");
                        goto finish;
                }
        }
        *ret_config = c;
        if (ret_diff_ids)
                *ret_diff_ids = TAKE_PTR(diff_ids);
        return 0;

finish:
        image_config_done(&c);
        return r;
}

void docker_archive_images_free(DockerArchiveImage *images, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(images[i].config);
                strv_free(images[i].repo_tags);
                strv_free(images[i].layers);
        }
        free(images);
}

int docker_archive_manifest_parse(const char *json, size_t size, DockerArchiveImage **ret, size_t *ret_n,
                                  char **ret_error) {
        _cleanup_json_ json_object *o = NULL;
        DockerArchiveImage *images;
        size_t n;

        int r;

        r = parse_value(json, size, json_type_array, "manifest.json", &o, ret_error);
        if (r < 0)
                return r;
        n = json_object_array_length(o);
        if (n == 0)
                return fail(ret_error, -EBADMSG, "manifest.json lists no image.");
        if (n > OCI_ENTRIES_MAX)
                return fail(ret_error, -E2BIG, "manifest.json lists %zu images.", n);
        images = calloc(n, sizeof(DockerArchiveImage));
        if (!images)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(o, i);

                r = -EBADMSG;
                if (!json_object_is_type(e, json_type_object) ||
                    (r = dup_string(e, "Config", &images[i].config)) < 0 || !images[i].config ||
                    (r = get_strv(e, "RepoTags", &images[i].repo_tags)) < 0 ||
                    (r = get_strv(e, "Layers", &images[i].layers)) < 0 || !images[i].layers) {
                        docker_archive_images_free(images, n);
                        if (r == -ENOMEM)
                                return r;
                        return fail(ret_error, -EBADMSG, "manifest.json's image %zu has no Config and Layers.",
                                    i);
                }
        }
        *ret = images;
        *ret_n = n;
        return 0;
}

const char *oci_host_architecture(void) {
#if defined(__x86_64__)
        return "amd64";
#elif defined(__i386__)
        return "386";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__arm__)
        return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return "ppc64le";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
        return "riscv64";
#elif defined(__loongarch64)
        return "loong64";
#else
        return "unknown";
#endif
}

const char *oci_host_variant(void) {
#if defined(__arm__) && defined(__ARM_ARCH)
#  if __ARM_ARCH >= 8
        return "v8";
#  elif __ARM_ARCH >= 7
        return "v7";
#  else
        return "v6";
#  endif
#else
        return NULL;
#endif
}

static bool variant_matches(const char *architecture, const char *want, const char *have) {
        if (!want || !have)
                return true;
        if (streq(want, have))
                return true;
        /* arm64 is v8 whether it says so or not */
        return architecture && streq(architecture, "arm64") && streq(want, "v8") && isempty(have);
}

int oci_index_select_platform(const OciIndex *index, const char *architecture, const char *variant,
                              size_t *ret_index) {
        size_t found = SIZE_MAX;

        for (size_t i = 0; i < index->n_manifests; i++) {
                const OciDescriptor *d = &index->manifests[i];

                if (oci_media_kind(d->media_type) != OCI_KIND_MANIFEST && oci_media_kind(d->media_type) !=
                    OCI_KIND_INDEX)
                        continue;
                if (!d->os || !streq(d->os, "linux") || !d->architecture)
                        continue;
                if (architecture && !streq(d->architecture, architecture))
                        continue;
                if (!variant_matches(architecture, variant, d->variant))
                        continue;
                if (found != SIZE_MAX && !streq(index->manifests[found].digest, d->digest))
                        return -ENOTUNIQ;
                if (found == SIZE_MAX)
                        found = i;
        }
        if (found == SIZE_MAX)
                return -ENOENT;
        *ret_index = found;
        return 0;
}
