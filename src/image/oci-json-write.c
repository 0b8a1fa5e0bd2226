/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Writing the documents the importers make where a source has none (oci-json.h): compact JSON, as json-c
 * prints it; its digest is what the store names it by. */

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oci-json.h"
#include "time-util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);
#define _cleanup_json_ _cleanup_(json_object_putp)

static json_object *descriptor_to_json(const OciDescriptor *d) {
        json_object *o = json_object_new_object();

        if (!o ||
            json_object_object_add(o, "mediaType", json_object_new_string(d->media_type)) < 0 ||
            json_object_object_add(o, "digest", json_object_new_string(d->digest)) < 0 ||
            json_object_object_add(o, "size", json_object_new_int64((int64_t) d->size)) < 0) {
                json_object_put(o);
                return NULL;
        }
        return o;
}

static int json_to_string(json_object *o, char **ret) {
        const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        char *copy;

        if (!s)
                return -ENOMEM;
        copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        *ret = copy;
        return 0;
}

int oci_manifest_format(const OciDescriptor *config, const OciDescriptor *layers, size_t n_layers,
                        char **ret) {
        _cleanup_json_ json_object *o = json_object_new_object();
        json_object *a = json_object_new_array(), *c = descriptor_to_json(config);

        if (!o || !a || !c ||
            json_object_object_add(o, "schemaVersion", json_object_new_int(2)) < 0 ||
            json_object_object_add(o, "mediaType", json_object_new_string(OCI_MEDIA_MANIFEST)) < 0 ||
            json_object_object_add(o, "config", c) < 0) {
                json_object_put(a);
                json_object_put(c);
                return -ENOMEM;
        }
        if (json_object_object_add(o, "layers", a) < 0) {
                json_object_put(a);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n_layers; i++) {
                json_object *l = descriptor_to_json(&layers[i]);

                if (!l || json_object_array_add(a, l) < 0) {
                        json_object_put(l);
                        return -ENOMEM;
                }
        }
        return json_to_string(o, ret);
}

int oci_config_format_rootfs(const char *diff_id, uint64_t created_usec, char **ret) {
        _cleanup_json_ json_object *o = json_object_new_object();
        json_object *rootfs = json_object_new_object(), *ids = json_object_new_array();
        char created[64];
        time_t t = (time_t) (created_usec / USEC_PER_SEC);
        struct tm tm;

        if (!gmtime_r(&t, &tm) || strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                strcpy(created, "1970-01-01T00:00:00Z");
        if (!o || !rootfs || !ids ||
            json_object_array_add(ids, json_object_new_string(diff_id)) < 0 ||
            json_object_object_add(rootfs, "type", json_object_new_string("layers")) < 0 ||
            json_object_object_add(rootfs, "diff_ids", ids) < 0) {
                json_object_put(rootfs);
                json_object_put(ids);
                return -ENOMEM;
        }
        if (json_object_object_add(o, "rootfs", rootfs) < 0) {
                json_object_put(rootfs);
                return -ENOMEM;
        }
        if (json_object_object_add(o, "architecture", json_object_new_string(oci_host_architecture())) < 0 ||
            (oci_host_variant() &&
             json_object_object_add(o, "variant", json_object_new_string(oci_host_variant())) < 0) ||
            json_object_object_add(o, "os", json_object_new_string("linux")) < 0 ||
            json_object_object_add(o, "created", json_object_new_string(created)) < 0 ||
            json_object_object_add(o, "config", json_object_new_object()) < 0)
                return -ENOMEM;
        return json_to_string(o, ret);
}
