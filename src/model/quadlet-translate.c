/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Translations of Quadlet's [Container] and [Pod] values other than the file system's (quadlet-mounts.c):
 * the image, the process, users and user namespaces, the network, the health check, security. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "name-util.h"
#include "parse-util.h"
#include "quadlet-translate.h"
#include "string-util.h"
#include "strv.h"

int quadlet_translate_bool(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int b = parse_boolean(v);

        if (b < 0)
                return quadlet_drop(u, k->lost, "not a boolean");
        return quadlet_emit(u, k->ctr, "%s", b ? "yes" : "no");
}

int quadlet_translate_image(QuadletUnit *u, const QuadletKey *k, const char *v) {
        const char *ref = v, *p;

        if (endswith(v, ".image")) {
                ref = u->lookup && u->lookup->image ? u->lookup->image(u->lookup->userdata, v) : NULL;
                if (!ref)
                        return quadlet_drop(u, k->lost, "the .image file was not converted with this one (or has "
                                            "no Image=)");
        } else if (endswith(v, ".build")) {
                int r;

                ref = u->lookup && u->lookup->image ? u->lookup->image(u->lookup->userdata, v) : NULL;
                if (!ref)
                        return quadlet_drop(u, k->lost, "the .build file was not converted with this one (or has "
                                            "no ImageTag=); ctr builds no images: build it (podman build, buildah), "
                                            "then ctrctl image import it and name it in Image=");
                r = quadlet_note(u, false, "ctr builds no images: build %s with podman build or buildah and "
                                 "ctrctl image import it as %s before the container starts", v, ref);
                if (r < 0)
                        return r;
        } else if ((p = startswith(v, "docker://")))
                ref = p;
        else if (startswith(v, "oci:") || startswith(v, "oci-archive:") || startswith(v, "docker-archive:") ||
                 startswith(v, "docker-daemon:") || startswith(v, "dir:") || startswith(v, "containers-storage:") ||
                 startswith(v, "sif:") || startswith(v, "ostree:"))
                return quadlet_drop(u, k->lost, "another transport than a registry: ctrctl image import the "
                                    "image, then name it in Image=");

        if (!image_reference_is_valid(ref))
                return quadlet_drop(u, k->lost, "not an image reference ctr takes");
        u->root_set = true;
        /* A name without a domain: podman asks registries.conf (short-name aliases), ctr docker.io. */
        p = strchr(ref, '/');
        if (!p || (!memchr(ref, '.', (size_t) (p - ref)) && !memchr(ref, ':', (size_t) (p - ref)) &&
                   !strneq(ref, "localhost/", 10))) {
                int r = quadlet_note(u, false, "a short name: ctr pulls it from docker.io (podman resolves it "
                                     "through registries.conf); write the full reference if that differs");
                if (r < 0)
                        return r;
        }
        return quadlet_emit(u, "Image", "%s", ref);
}

int quadlet_translate_auto_update(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (!STR_IN_SET(v, "registry", "local"))
                return quadlet_drop(u, k->lost, "neither registry nor local");
        return quadlet_emit(u, "AutoUpdate", "%s", v);
}

int quadlet_translate_entrypoint(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *line = NULL;
        int r;

        if (v[0] == '[') {
                if (quadlet_json_array(v, &words) < 0)
                        return quadlet_drop(u, k->lost, "not a JSON array of strings");
                r = quadlet_command_line(words, &line);
        } else if (isempty(v))
                r = (line = strdup("")) ? 0 : -ENOMEM;
        else
                /* podman takes a plain value as one program, spaces and all */
                r = quadlet_quote_word(v, &line);
        if (r < 0)
                return r;
        return quadlet_emit(u, "Entrypoint", "%s", line);
}

int quadlet_translate_environment_file(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = quadlet_path(u->source_dir, v, &path);
        if (r < 0)
                return r == -ENOMEM ? r : quadlet_drop(u, k->lost, "not a path");
        return quadlet_emit(u, "EnvironmentFile", "%s", path);
}

int quadlet_translate_group_add(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_buffer_ Buffer out = {};
        const char *p = v;
        bool keep = false;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);
                if (r < 0)
                        return quadlet_drop(u, k->lost, "unbalanced quotes");
                if (r == 0)
                        break;
                if (streq(word, "keep-groups")) {
                        keep = true;
                        continue;
                }
                if ((out.size > 0 && buffer_putc(&out, ' ') < 0) || buffer_puts(&out, word) < 0)
                        return -ENOMEM;
        }
        if (keep) {
                r = quadlet_note(u, false, "keep-groups (rootless podman's own groups) dropped");
                if (r < 0)
                        return r;
        }
        if (out.size == 0)
                return 0;
        return quadlet_emit(u, "SupplementaryGroups", "%s", out.data);
}

int quadlet_translate_health_cmd(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *line = NULL, *quoted = NULL;
        int r;

        if (streq(v, "none"))
                return quadlet_emit(u, "HealthCmd", "none");
        if (v[0] == '[') {
                /* Docker's forms: ["CMD", ARG…], ["CMD-SHELL", COMMAND], ["NONE"], or the words alone */
                if (quadlet_json_array(v, &words) < 0 || strv_isempty(words))
                        return quadlet_drop(u, k->lost, "not a JSON array of strings");
                if (streq(words[0], "NONE"))
                        return quadlet_emit(u, "HealthCmd", "none");
                if (streq(words[0], "CMD-SHELL")) {
                        _cleanup_free_ char *joined = NULL;

                        if (strv_join(words + 1, " ", &joined) < 0 || quadlet_quote_word(joined, &quoted) < 0)
                                return -ENOMEM;
                        return quadlet_emit(u, "HealthCmd", "/bin/sh -c %s", quoted);
                }
                r = quadlet_command_line(streq(words[0], "CMD") ? words + 1 : words, &line);
                if (r < 0)
                        return r;
                return quadlet_emit(u, "HealthCmd", "%s", line);
        }
        if (isempty(v))
                return quadlet_emit(u, "HealthCmd", "%s", "");
        /* A plain command is a shell command to podman (CMD-SHELL); ctr runs HealthCmd= without a shell. */
        if (quadlet_quote_word(v, &quoted) < 0)
                return -ENOMEM;
        return quadlet_emit(u, "HealthCmd", "/bin/sh -c %s", quoted);
}

int quadlet_translate_duration(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *d = NULL;

        if (streq(v, "disable"))
                return quadlet_drop(u, k->lost, "ctr runs the check at HealthInterval= (default 30s), never only "
                                    "on request; HealthCmd=none turns it off");
        if (quadlet_duration(v, &d) < 0)
                return quadlet_drop(u, k->lost, "not a duration");
        return quadlet_emit(u, k->ctr, "%s", d);
}

int quadlet_translate_hostname(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (u->role == QUADLET_POD_MEMBER)
                return quadlet_drop(u, k->lost, "a member of a pod has the pod's hostname (JoinNamespaces=uts)");
        if (!hostname_is_valid(v))
                return quadlet_drop(u, k->lost, "not a host name ctr takes (RFC 1123, at most 64 characters)");
        return quadlet_emit(u, "Hostname", "%s", v);
}

int quadlet_translate_label(QuadletUnit *u, const QuadletKey *k, const char *v) {
        const char *p = v;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL, *quoted = NULL;
                const char *policy;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)      /* podman skips the whole value too, with a warning */
                        return quadlet_drop(u, k->lost, "an unbalanced quote or an escape that is not C's");
                if (r == 0)
                        return 0;
                if ((policy = startswith(word, "io.containers.autoupdate=")) && u->section == QUADLET_CONTAINER &&
                    STR_IN_SET(policy, "registry", "local")) {
                        r = quadlet_emit(u, "AutoUpdate", "%s", policy);
                        if (r < 0)
                                return r;
                }
                r = quadlet_quote_word(word, &quoted);
                if (r < 0)
                        return r;
                r = quadlet_emit(u, "Label", "%s", quoted);
                if (r < 0)
                        return r;
        }
}

int quadlet_translate_log_driver(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (STR_IN_SET(v, "journald", "passthrough", "passthrough-tty", ""))
                return quadlet_comment(u, "LogDriver=%s: the output goes to the journal of ctr@%s.service", v,
                                       u->name);
        return quadlet_drop(u, k->lost, "the output goes to the journal of ctr@%s.service", u->name);
}

int quadlet_translate_memory(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *size = NULL;

        if (quadlet_size(v, &size) < 0)
                return quadlet_drop(u, k->lost, "not a size");
        return quadlet_emit(u, "MemoryMax", "%s", size);
}

int quadlet_translate_name(QuadletUnit *u, const QuadletKey *k, const char *v) {
        return quadlet_comment(u, "%s=%s: the container is %s (ctr@%s.service)", k->name, v, u->name, u->name);
}

/* "systemd-db", "db.container" or a ContainerName= → the ctr name, when converted together. */
static const char *container_reference(QuadletUnit *u, const char *ref) {
        const char *name = u->lookup && u->lookup->container ? u->lookup->container(u->lookup->userdata, ref) : NULL;
        return name ?: ref;
}

int quadlet_translate_network(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *mode = NULL;
        const char *ref, *closed;
        int r;

        if (isempty(v))
                return 0;
        if (u->role == QUADLET_POD_MEMBER)
                return quadlet_drop(u, false, "a member of a pod joins the network of %s", u->pod_owner);
        if (u->network_set)
                return quadlet_drop(u, false, "ctr joins one network: the first Network= is used");

        if ((ref = startswith(v, "container:")) || endswith(v, ".container")) {
                const char *name = container_reference(u, ref ?: v);
                _cleanup_free_ char *base = NULL;

                if (!ref && name == v) {
                        base = strndup(v, strlen(v) - strlen(".container"));
                        if (!base)
                                return -ENOMEM;
                        name = base;
                }
                u->network_set = true;
                return quadlet_emit(u, "Network", "container:%s", name);
        }
        if (startswith(v, "ns:"))
                return quadlet_drop(u, k->lost, "ctr does not join a network namespace by path");

        mode = strndup(v, strcspn(v, ":"));
        if (!mode)
                return -ENOMEM;
        u->network_set = true;
        if (STR_IN_SET(mode, "none", "host"))
                return quadlet_emit(u, "Network", "%s", mode);
        if (STR_IN_SET(mode, "bridge", "podman", "private", "default"))
                return quadlet_emit(u, "Network", "bridge");
        /* A named network: podman's bridge networks reach one another (netavark routes between them) unless
         * one is made with Options=isolate, and an Internal= one has no way out; ctr0 is neither. */
        closed = endswith(mode, ".network") && u->lookup && u->lookup->network ?
                 u->lookup->network(u->lookup->userdata, mode) : NULL;
        if (STR_IN_SET(mode, "pasta", "slirp4netns"))
                r = quadlet_note(u, false, "rootless podman's user-mode network: ctr's bridge, ctr0, with NAT");
        else if (closed && isempty(closed))
                r = quadlet_note(u, false, "the network becomes ctr's bridge, ctr0, which every bridged container "
                                 "shares: %s is not isolated from podman's other networks either (no "
                                 "Options=isolate, no Internal=); its Subnet= and the like are ctr0's own", mode);
        else if (closed)
                r = quadlet_note(u, true, "the network becomes ctr's bridge, ctr0, which every bridged container "
                                 "shares and which has a way out: %s (IPAddressDeny= and IPAddressAllow= can "
                                 "confine it)", closed);
        else
                r = quadlet_note(u, true, "the network becomes ctr's bridge, ctr0, which every bridged container "
                                 "shares: whether podman's %s is isolated (Options=isolate) or internal is not "
                                 "known here (convert its .network with this file; IPAddressDeny= and "
                                 "IPAddressAllow= can confine it)", mode);
        if (r < 0)
                return r;
        return quadlet_emit(u, "Network", "bridge");
}

int quadlet_translate_notify(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int b;

        if (streq(v, "healthy"))
                return quadlet_emit(u, "Notify", "healthy");
        b = parse_boolean(v);
        if (b < 0)
                return quadlet_drop(u, k->lost, "neither a boolean nor healthy");
        return quadlet_emit(u, "Notify", "%s", b ? "yes" : "no");
}

int quadlet_translate_pids_limit(QuadletUnit *u, const QuadletKey *k, const char *v) {
        uint64_t n;

        if (STR_IN_SET(v, "-1", "0"))
                return quadlet_emit(u, "TasksMax", "infinity");
        if (safe_atou64(v, &n) < 0)
                return quadlet_drop(u, k->lost, "not a number");
        return quadlet_emit(u, "TasksMax", "%s", v);
}

int quadlet_translate_pod(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int r;

        switch (u->role) {
        case QUADLET_POD_MEMBER:
                u->network_set = true;
                r = quadlet_emit(u, "Network", "container:%s", u->pod_owner);
                if (r >= 0)
                        r = quadlet_emit(u, "JoinNamespaces", "ipc uts");
                return r;
        case QUADLET_POD_OWNER:
                return quadlet_comment(u, "Pod=%s: this container owns the pod's namespaces; the other members "
                                       "join them", v);
        default:
                return quadlet_drop(u, k->lost, "the .pod file was not converted with this one (convert the pod's "
                                    "directory, or name the .pod and its containers together)");
        }
}

int quadlet_translate_publish_port(QuadletUnit *u, _unused_ const QuadletKey *k, const char *v) {
        const char *ports = v, *last = strrchr(v, ':');
        unsigned colons = 0;

        if (u->role == QUADLET_POD_MEMBER)
                return quadlet_drop(u, false, "publish it in the .pod: the network namespace is %s's",
                                    u->pod_owner);
        if (strstr(v, "/sctp"))
                return quadlet_drop(u, false, "ctr publishes tcp and udp only");
        if (strchr(v, '$'))
                return quadlet_drop(u, false, "systemd expands the variables in podman's command line at every "
                                    "start; ctr's PublishPort= takes the numbers: write them");
        /* ":80:90" is podman's "80:90", every address */
        if (v[0] == ':' && v[1] != ':')
                v++;
        /* "80", "80/udp", "IP::80", "[::1]::80", "[::1]:80": podman picks a free host port at every start */
        if (v[0] == '[' && strchr(v, ']'))
                ports = strchr(v, ']') + 1;
        for (const char *c = ports; (c = strchr(c, ':')); c++)
                colons++;
        if (colons == 0 || (ports != v && colons < 2) || (last > v && last[-1] == ':'))
                return quadlet_drop(u, false, "podman picks a host port at every start; ctr publishes the host port "
                                    "you name, PublishPort=HOSTPORT:%s", last ? last + 1 : v);
        if (startswith(v, "0.0.0.0:"))
                v += strlen("0.0.0.0:");
        return quadlet_emit(u, "PublishPort", "%s", v);
}

int quadlet_translate_pull(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (STR_IN_SET(v, "always", "missing", "never", "newer"))
                return quadlet_emit(u, "Pull", "%s", v);
        if (streq(v, "true"))
                return quadlet_emit(u, "Pull", "always");
        if (streq(v, "false"))
                return quadlet_emit(u, "Pull", "missing");
        return quadlet_drop(u, k->lost, "not a pull policy (always, missing, never, newer)");
}

int quadlet_translate_reload_cmd(QuadletUnit *u, _unused_ const QuadletKey *k, const char *v) {
        int r;

        if (isempty(v))
                return 0;
        /* the template's ExecReload= sends ReloadSignal=; the empty assignment takes it out */
        r = quadlet_emit_section(u, "Service", "ExecReload", "%s", "");
        if (r < 0)
                return r;
        return quadlet_emit_section(u, "Service", "ExecReload", "ctrctl exec %s -- %s", u->name, v);
}

static int set_private_users(QuadletUnit *u, const char *value) {
        if (u->users_set)
                return quadlet_drop(u, false, "the user namespace is already set above");
        if (u->role == QUADLET_POD_MEMBER && !streq(value, "no"))
                return quadlet_drop(u, true, "a member of a pod joins the namespaces of %s, which ctr does not "
                                    "do from a user namespace of its own", u->pod_owner);
        u->users_set = true;
        u->private_users_pick = !streq(value, "no");
        return quadlet_emit(u, "PrivateUsers", "%s", value);
}

/* Rootful podman's keep-id is a user namespace that maps the host's ids to themselves, running as uid=,
 * gid= (0 by default). PrivateUsers=pick with idmap on the binds shows the same ids in the container, where
 * root is no host root outside them: the same or more isolation (translate_volume() adds the idmap). */
static int translate_keep_id(QuadletUnit *u, const QuadletKey *k, const char *options) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        if (u->users_set || u->role == QUADLET_POD_MEMBER)
                return set_private_users(u, "pick");    /* dropped, saying why */
        r = strv_split(options, ",", &l);
        if (r < 0)
                return r;
        STRV_FOREACH(o, l) {
                const char *id;
                uid_t n;

                if ((id = startswith(*o, "uid=")) || (id = startswith(*o, "gid="))) {
                        if (parse_uid(id, &n) < 0)
                                return quadlet_drop(u, k->lost, "%s is not a user or group id", *o);
                        r = free_and_strdup((*o)[0] == 'u' ? &u->keep_id_uid : &u->keep_id_gid, id);
                } else if (startswith(*o, "size="))
                        r = quadlet_note(u, false, "%s dropped: rootless podman's; ctr's range has 65536 ids", *o);
                else
                        return quadlet_drop(u, k->lost, "option %s is not uid=, gid= or size=", *o);
                if (r < 0)
                        return -ENOMEM;
        }
        r = quadlet_note(u, false, "rootful podman maps the host's ids to themselves in a namespace of their own: "
                         "PrivateUsers=pick, with the binds idmap so that they show the host's ids as they are, "
                         "and the user keep-id runs as");
        if (r < 0)
                return r;
        u->keep_id = true;
        return set_private_users(u, "pick");
}

int quadlet_translate_userns(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *mode = strndup(v, strcspn(v, ":"));
        int r;

        if (!mode)
                return -ENOMEM;
        if (STR_IN_SET(mode, "", "host"))
                return set_private_users(u, "no");
        if (STR_IN_SET(mode, "auto", "private")) {
                if (strchr(v, ':')) {
                        r = quadlet_note(u, false, "the options dropped: ctr picks a range of 65536 ids from its "
                                         "own pool");
                        if (r < 0)
                                return r;
                }
                return set_private_users(u, "pick");
        }
        if (streq(mode, "keep-id"))
                return translate_keep_id(u, k, v[strlen(mode)] == ':' ? v + strlen(mode) + 1 : "");
        if (streq(mode, "nomap"))
                return quadlet_drop(u, k->lost, "a mode of rootless podman (the user's own id left out of the "
                                    "namespace); PrivateUsers=pick gives the container a user namespace of its own");
        return quadlet_drop(u, k->lost, "ctr does not join another user namespace");
}

int quadlet_translate_remap_users(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (free_and_strdup(&u->remap_users, v) < 0)
                return -ENOMEM;
        if (streq(v, "auto"))
                return set_private_users(u, "pick");
        if (streq(v, "keep-id"))
                return translate_keep_id(u, k, "");
        if (streq(v, "manual"))
                return quadlet_comment(u, "RemapUsers=manual: the ranges are RemapUid= and RemapGid=, below");
        return quadlet_drop(u, k->lost, "neither auto, keep-id nor manual");
}

/* RemapUid=, RemapGid=: what they mean depends on RemapUsers= (given first, quadlet_key_first()). */
int quadlet_translate_remap_id(QuadletUnit *u, const QuadletKey *k, const char *v) {
        bool uid = streq(k->name, "RemapUid");
        uid_t id;

        if (streq_ptr(u->remap_users, "keep-id")) {
                if (parse_uid(v, &id) < 0)
                        return quadlet_drop(u, k->lost, "with RemapUsers=keep-id, a number: the %s it runs as",
                                            uid ? "user" : "group");
                return free_and_strdup(uid ? &u->keep_id_uid : &u->keep_id_gid, v) < 0 ? -ENOMEM : 0;
        }
        if (streq_ptr(u->remap_users, "manual")) {
                const QuadletKey *map = quadlet_key_find(uid ? "UIDMap" : "GIDMap");
                return quadlet_translate_id_map(u, map, v);
        }
        if (streq_ptr(u->remap_users, "auto"))
                return quadlet_note(u, false, "dropped: ctr picks a range of 65536 ids from its own pool");
        return quadlet_drop(u, false, "without RemapUsers= podman ignores it");
}

int quadlet_translate_sub_id_map(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (isempty(v) || u->users_set)
                return quadlet_comment(u, "%s=%s: a user namespace of its own, as PrivateUsers= says", k->name, v);
        return set_private_users(u, "pick");
}

int quadlet_translate_id_map(QuadletUnit *u, const QuadletKey *k, const char *v) {
        bool uid = streq(k->name, "UIDMap");
        char **map = uid ? &u->uid_map : &u->gid_map;

        if (*map)
                return quadlet_drop(u, k->lost, "ctr maps one range of ids, not several");
        if (uid) {
                u->uid_map_file = u->file;
                u->uid_map_line = u->line;
        } else {
                u->gid_map_file = u->file;
                u->gid_map_line = u->line;
        }
        *map = strdup(v);
        return *map ? 0 : -ENOMEM;
}

int quadlet_translate_user(QuadletUnit *u, _unused_ const QuadletKey *k, const char *v) {
        const char *colon = strchr(v, ':');
        _cleanup_free_ char *user = NULL;
        int r;

        u->user_set = true;
        if (!colon)
                return quadlet_emit(u, "User", "%s", v);
        user = strndup(v, (size_t) (colon - v));
        if (!user)
                return -ENOMEM;
        r = quadlet_emit(u, "User", "%s", user);
        if (r >= 0 && colon[1])
                r = quadlet_emit(u, "Group", "%s", colon + 1);
        return r;
}

int quadlet_translate_seccomp(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (streq(v, "unconfined"))
                return quadlet_emit(u, "SeccompProfile", "unconfined");
        if (isempty(v))
                return 0;
        return quadlet_drop(u, k->lost, "ctr's default filter applies: a JSON profile is not read (ctr's "
                            "profile syntax: ctr.ctr(5))");
}

int quadlet_translate_apparmor(QuadletUnit *u, const QuadletKey *k, const char *v) {
        (void) k;
        /* empty: podman's default profile, i.e. ctr's (ctr-default where AppArmor is enabled) */
        if (isempty(v))
                return quadlet_comment(u, "AppArmor=: ctr's default profile, ctr-default, applies");
        return quadlet_emit(u, "AppArmorProfile", "%s", v);
}

int quadlet_translate_security_label(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (streq(k->name, "SecurityLabelDisable") ? parse_boolean(v) >= 0 : STR_IN_SET(v, "spc_t", "unconfined_t"))
                return quadlet_comment(u, "%s=%s: ctr applies no SELinux label", k->name, v);
        return quadlet_drop(u, k->lost, "ctr applies no SELinux labels");
}

int quadlet_translate_stop_timeout(QuadletUnit *u, const QuadletKey *k, const char *v) {
        uint64_t n;

        if (safe_atou64(v, &n) < 0)
                return quadlet_drop(u, k->lost, "not a number of seconds");
        return quadlet_emit(u, "StopTimeoutSec", "%s", v);
}

int quadlet_translate_ulimit(QuadletUnit *u, const QuadletKey *k, const char *v) {
        static const char *const names[][2] = {
                { "as", "AS" }, { "core", "CORE" }, { "cpu", "CPU" }, { "data", "DATA" }, { "fsize", "FSIZE" },
                { "locks", "LOCKS" }, { "memlock", "MEMLOCK" }, { "msgqueue", "MSGQUEUE" }, { "nice", "NICE" },
                { "nofile", "NOFILE" }, { "nproc", "NPROC" }, { "rss", "RSS" }, { "rtprio", "RTPRIO" },
                { "rttime", "RTTIME" }, { "sigpending", "SIGPENDING" }, { "stack", "STACK" },
        };
        const char *eq = strchr(v, '=');
        _cleanup_strv_free_ char **limits = NULL;
        _cleanup_free_ char *joined = NULL;

        if (streq(v, "host"))
                return quadlet_drop(u, k->lost, "the container inherits the limits of ctr@%s.service ([Service] "
                                    "Limit…=)", u->name);
        if (!eq)
                return quadlet_drop(u, k->lost, "not NAME=SOFT[:HARD]");
        if (strv_split(eq + 1, ":", &limits) < 0)
                return -ENOMEM;
        if (strv_length(limits) < 1 || strv_length(limits) > 2)
                return quadlet_drop(u, k->lost, "not NAME=SOFT[:HARD]");
        for (char **l = limits; *l; l++) {
                uint64_t n;

                if (streq(*l, "-1")) {
                        if (free_and_strdup(l, "infinity") < 0)
                                return -ENOMEM;
                } else if (safe_atou64(*l, &n) < 0)
                        return quadlet_drop(u, k->lost, "a limit is not a number");
        }
        if (strv_join(limits, ":", &joined) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strlen(names[i][0]) == (size_t) (eq - v) && strneq(v, names[i][0], (size_t) (eq - v))) {
                        _cleanup_free_ char *key = strprintf("Limit%s", names[i][1]);
                        if (!key)
                                return -ENOMEM;
                        return quadlet_emit_section(u, "Service", key, "%s", joined);
                }
        return quadlet_drop(u, k->lost, "not a resource limit systemd knows");
}

int quadlet_translate_sysctl(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_buffer_ Buffer out = {};
        const char *p = v;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL, *name = NULL, *quoted = NULL;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r < 0)
                        return quadlet_drop(u, k->lost, "unbalanced quotes");
                if (r == 0)
                        break;
                name = strndup(word, strcspn(word, "="));
                if (!name)
                        return -ENOMEM;
                if (!strchr(word, '=') || sysctl_namespace(name) == 0) {
                        r = quadlet_note(u, false, "%s dropped: not a sysctl of the container's own network or IPC "
                                         "namespace", word);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (quadlet_quote_word(word, &quoted) < 0 || (out.size > 0 && buffer_putc(&out, ' ') < 0) ||
                    buffer_puts(&out, quoted) < 0)
                        return -ENOMEM;
        }
        if (out.size == 0)
                return 0;
        return quadlet_emit(u, "Sysctl", "%s", out.data);
}

int quadlet_translate_add_host(QuadletUnit *u, const QuadletKey *k, const char *v) {
        const char *colon = strchr(v, ':');

        /* podman's host-gateway is the host's address on the container's network; ';' joins several names */
        if (!colon || strchr(v, ';') || streq(colon + 1, "host-gateway"))
                return quadlet_drop(u, k->lost, "ctr takes one NAME:ADDRESS per word");
        return quadlet_emit(u, "AddHost", "%s", v);
}

int quadlet_translate_dns(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (streq(v, "none"))
                return quadlet_drop(u, k->lost, "the container always has an /etc/resolv.conf (DNS= replaces its "
                                    "nameservers)");
        return quadlet_emit(u, "DNS", "%s", v);
}

int quadlet_translate_environment(QuadletUnit *u, _unused_ const QuadletKey *k, const char *v) {
        _cleanup_buffer_ Buffer out = {};
        const char *p = v;
        bool bare = false;
        int r;

        /* the same words as systemd's Environment=, but a NAME alone, which podman fills from its own
         * environment, would make ctr refuse the whole line: the others are kept */
        for (;;) {
                _cleanup_free_ char *word = NULL, *quoted = NULL;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)      /* ctr's parser has the last word on it */
                        return quadlet_emit(u, "Environment", "%s", v);
                if (r == 0)
                        break;
                if (!strchr(word, '=')) {
                        r = quadlet_note(u, false, "%s dropped: podman passes the host's %s, ctr passes none of "
                                         "the host's variables: give its value", word, word);
                        if (r < 0)
                                return r;
                        bare = true;
                        continue;
                }
                if (quadlet_quote_word(word, &quoted) < 0 || (out.size > 0 && buffer_putc(&out, ' ') < 0) ||
                    buffer_puts(&out, quoted) < 0)
                        return -ENOMEM;
        }
        if (!bare)
                return quadlet_emit(u, "Environment", "%s", v);
        if (out.size == 0)
                return 0;
        return quadlet_emit(u, "Environment", "%s", out.data);
}

int quadlet_translate_secret(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *spec = NULL;
        const char *type = "mount", *target = NULL, *name = NULL, *t;
        bool loaded = false;
        int r;

        /* podman: NAME[,type=mount|env][,target=…][,uid=…,gid=…,mode=…], the name also as source=NAME */
        if (strv_split(v, ",", &fields) < 0)
                return -ENOMEM;
        STRV_FOREACH(f, fields) {
                if ((t = startswith(*f, "source=")) || (f == fields && !strchr(*f, '=')))
                        name = t ?: *f;
                else if ((t = startswith(*f, "type=")))
                        type = t;
                else if ((t = startswith(*f, "target=")))
                        target = t;
                else {
                        r = quadlet_note(u, false, "option %s dropped: the file is the workload's user's, mode 0400",
                                         *f);
                        if (r < 0)
                                return r;
                }
        }
        if (!name || !credential_name_is_valid(name))
                return quadlet_drop(u, k->lost, "not a name a systemd credential can have");
        if (streq(type, "env")) {
                r = quadlet_note(u, false, "not the variable %s: the secret is the file /run/secrets/%s",
                                 strempty(target), name);
                if (r < 0)
                        return r;
                target = NULL;
        } else if (!streq(type, "mount"))
                return quadlet_drop(u, k->lost, "type=%s is neither mount nor env", type);
        if (target && target[0] == '/' && !startswith(target, "/run/secrets/"))
                return quadlet_drop(u, k->lost, "ctr puts secrets below /run/secrets, not at %s", target);
        spec = target ? strprintf("%s:%s", name, startswith(target, "/run/secrets/") ?: target) : strdup(name);
        if (!spec)
                return -ENOMEM;
        /* the same file twice (type=env and type=mount of one secret): ctr takes it once */
        if (strv_contains(u->secrets, spec))
                return quadlet_comment(u, "Secret=%s: the same file as a Secret= above", v);
        STRV_FOREACH(s, u->secrets)
                loaded = loaded || streq(*s, name) || (startswith(*s, name) && (*s)[strlen(name)] == ':');
        if (strv_extend(&u->secrets, spec) < 0)
                return -ENOMEM;
        r = quadlet_comment(u, "Secret=%s: podman's secret is the systemd credential %s: put it in "
                            "/etc/credstore/%s (or encrypted with systemd-creds in /etc/credstore.encrypted/ and "
                            "LoadCredentialEncrypted=)", v, name, name);
        if (r >= 0 && !loaded)
                r = quadlet_emit_section(u, "Service", "LoadCredential", "%s", name);
        if (r < 0)
                return r;
        return quadlet_emit(u, "Secret", "%s", spec);
}
