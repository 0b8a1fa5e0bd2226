/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Converting Podman Quadlet units (podman-systemd.unit(5)) into .ctr files: the table of every Quadlet
 * [Container] and [Pod] key with what ctr makes of it (quadlet-table.c), the translations of values
 * (quadlet-translate.c, quadlet-mounts.c) and the conversion of one file's assignments into the text of a
 * .ctr file or drop-in (quadlet-convert.c). `ctrctl convert` reads the files, resolves pods and references
 * between them, and writes the results; the loader names a Quadlet key it meets in a .ctr file through the
 * same table.
 *
 * Library code: nothing here opens a file; returns negative errno, never logs. */

#include <stdbool.h>
#include <stddef.h>

#include "buffer.h"
#include "diagnostics.h"

typedef enum QuadletStatus {
        QUADLET_YES,            /* Y: every value form has a ctr counterpart */
        QUADLET_PARTIAL,        /* P: some value forms do (the note says which) */
        QUADLET_NO,             /* N: none: the key is dropped with a comment saying why */
        _QUADLET_STATUS_MAX,
} QuadletStatus;

typedef enum QuadletSection {
        QUADLET_CONTAINER = 1 << 0,
        QUADLET_POD = 1 << 1,
} QuadletSection;

/* How a converted container relates to a pod (a .pod file and the containers naming it in Pod=). */
typedef enum QuadletRole {
        QUADLET_ALONE,
        QUADLET_POD_OWNER,      /* the first member by name: it owns the pod's network namespace */
        QUADLET_POD_MEMBER,     /* the others: Network=container:OWNER */
} QuadletRole;

typedef struct QuadletKey QuadletKey;
typedef struct QuadletUnit QuadletUnit;

/* Translates one assignment of key |k| into u's output (quadlet_emit(), quadlet_drop(), quadlet_note()).
 * Returns < 0 only when out of memory. */
typedef int (*QuadletTranslate)(QuadletUnit *u, const QuadletKey *k, const char *value);

struct QuadletKey {
        const char *name;
        unsigned sections;      /* QuadletSection: where Quadlet takes the key */
        QuadletStatus status;
        bool lost;              /* a value that is not translated weakens isolation or loses data: convert
                                 * exits with CTRCTL_EXIT_NOT_TRANSLATED */
        const char *ctr;        /* ctr's counterpart ("PrivateUsers=", "[Service] LimitNOFILE=…"), NULL: none */
        QuadletTranslate translate; /* NULL: the value as it is into |ctr| (Y), or dropped (N) */
        const char *note;       /* why N, or which forms P translates: the comment and the docs table */
};

/* The table, sorted by name: lookup, and the |i|th entry in order (NULL past the last). */
const QuadletKey *quadlet_key_find(const char *name);
const QuadletKey *quadlet_key_nth(size_t i);
const char *quadlet_status_to_string(QuadletStatus s) _const_;

/* For the loader: whether |key| is one of Quadlet's [Container] keys, and *ret_ctr (may be NULL) the ctr
 * key with the same setting under another name ("WorkingDir" → "WorkingDirectory"), or NULL. */
bool quadlet_key_lookup(const char *key, const char **ret_ctr);

/* What the conversion of one file may ask about the other files converted with it. Every callback may be
 * NULL (nothing known); each returns a string the caller keeps alive, or NULL. */
typedef struct QuadletLookup {
        void *userdata;
        /* "db.container" or a podman container name ("systemd-db", a ContainerName=) → ctr name "db" */
        const char *(*container)(void *userdata, const char *reference);
        /* "cache.volume" → the podman volume name (VolumeName=, else "systemd-cache") */
        const char *(*volume)(void *userdata, const char *reference);
        /* "app.image" → the image reference of its [Image] Image= (or ImageTag=); "app.build" → its first
         * [Build] ImageTag= */
        const char *(*image)(void *userdata, const char *reference);
        /* "web.pod" → the ctr name of the container owning the pod's network namespace */
        const char *(*pod)(void *userdata, const char *reference);
        /* "backend.network" → "" when it is a bridge network as podman makes one by default (reachable from
         * podman's other networks, as ctr0 is), else why ctr0 would isolate the container less than it does
         * ("Internal=true: …"); NULL when the file was not read */
        const char *(*network)(void *userdata, const char *reference);
} QuadletLookup;

/* The conversion of one file (a .container, its drop-in, or a .pod's keys applied to a member). */
struct QuadletUnit {
        const char *name;               /* the ctr name of the container */
        const char *source_dir;         /* where the Quadlet file is: relative paths are resolved there */
        bool main;                      /* the main file, not a drop-in: the defaults are written (finish) */
        QuadletRole role;
        const char *pod_owner;          /* QUADLET_POD_MEMBER: the container whose namespaces it joins */
        const char *prefix, *instance;  /* an instance of a Quadlet template (PREFIX@INSTANCE.container, named
                                         * PREFIX-INSTANCE here): what %p and %i stand for; NULL otherwise */
        const QuadletLookup *lookup;
        Diagnostics *diag;

        /* the assignment being translated, for comments and diagnostics */
        const char *file;
        unsigned line;
        unsigned section;               /* QuadletSection, 0 for the others */
        const char *section_name;
        const char *key;
        const char *value;

        Buffer out_unit, out_container, out_service, out_install, out_comments;
        bool lost;                      /* something affecting isolation or data was not translated */
        unsigned n_dropped;

        /* across keys */
        bool root_set, network_set, users_set, read_only, read_only_tmpfs, read_only_tmpfs_set;
        bool private_users_pick;        /* PrivateUsers=pick (or a range) was written */
        bool user_set;                  /* User= was written */
        bool keep_id;                   /* UserNS=keep-id (or RemapUsers=keep-id): host ids shown as they are */
        char *keep_id_uid, *keep_id_gid; /* its uid=, gid= (RemapUid=, RemapGid=): the user it runs as */
        char *remap_users;              /* RemapUsers='s mode, for the RemapUid= and RemapGid= after it */
        char **destinations;            /* of the Volume= and Tmpfs= written, so defaults do not repeat them */
        char **secrets;                 /* the Secret= written (NAME[:TARGET]), so none is written twice */
        char *uid_map, *gid_map;        /* UIDMap=, GIDMap= (one range each), applied by finish */
        const char *uid_map_file, *gid_map_file;
        unsigned uid_map_line, gid_map_line;
};

void quadlet_unit_init(QuadletUnit *u, const char *name, const char *source_dir, bool main, QuadletRole role,
                       const char *pod_owner, const QuadletLookup *lookup, Diagnostics *diag);
void quadlet_unit_done(QuadletUnit *u);

/* Whether the translation of other keys depends on |key| (UserNS=, RemapUsers=): a caller gives these
 * first, then the others in their order. */
bool quadlet_key_first(const char *key);

/* One assignment of the Quadlet file: [Container] and [Pod] keys are translated, [Unit], [Service] and
 * [Install] carried over (Quadlet's own rewrites undone: dependencies on other Quadlet units become the
 * ctr units), [Quadlet] and unknown sections dropped with a comment. |section| NULL: a section header. */
int quadlet_unit_add(QuadletUnit *u, const char *file, unsigned line, const char *section, const char *key,
                     const char *value);
/* Makes u the infra container of a pod no container names (after its [Pod] keys): a container that only
 * holds the pod's namespaces, as podman's infra container does (Image=host, Init=yes, sleep). */
int quadlet_unit_add_infra(QuadletUnit *u);
/* The defaults that differ between Quadlet and ctr and the keys translated together (main file only), then
 * the text of the .ctr file (or drop-in) in *ret, starting with |header| (a comment line, may be NULL). */
int quadlet_unit_finish(QuadletUnit *u, const char *header, char **ret);

/* For the translations (quadlet-translate.c, quadlet-mounts.c): a line "KEY=VALUE" of [Container] (or
 * |section|), a dropped assignment (its comment "# ctr convert: KEY=VALUE not translated: REASON" and a
 * diagnostic; |lost| marks it as weakening isolation or losing data), and a comment on a translated one
 * ("# ctr convert: KEY=VALUE: NOTE", |lost| when what was translated isolates less than the original). */
int quadlet_emit(QuadletUnit *u, const char *key, const char *format, ...) _printf_(3, 4);
int quadlet_emit_section(QuadletUnit *u, const char *section, const char *key, const char *format, ...)
        _printf_(4, 5);
int quadlet_drop(QuadletUnit *u, bool lost, const char *format, ...) _printf_(3, 4);
int quadlet_note(QuadletUnit *u, bool lost, const char *format, ...) _printf_(3, 4);
/* A comment line of its own ("# ctr convert: TEXT") in the current section, without a diagnostic. */
int quadlet_comment(QuadletUnit *u, const char *format, ...) _printf_(2, 3);

/* A Go duration ("1m30s", "500ms", "2h") or a systemd one, as systemd writes it; -EINVAL when neither. */
int quadlet_duration(const char *s, char **ret);
/* A podman size ("512m", "1g", "100") as ctr's sizes take it ("512M"); -EINVAL for another form. */
int quadlet_size(const char *s, char **ret);
/* A JSON array of strings ('["/bin/sh", "-c", "x"]'), -EINVAL when |s| is not one; and words as a command
 * line key takes them (each quoted where it needs to be). */
int quadlet_json_array(const char *s, char ***ret);
int quadlet_command_line(char *const *words, char **ret);
/* |s| as one word of a command line key: quoted and escaped when it needs to be. */
int quadlet_quote_word(const char *s, char **ret);
/* A path of the Quadlet file: absolute as it is, relative ones ("./data", "data/x") below |dir|. */
int quadlet_path(const char *dir, const char *path, char **ret);
