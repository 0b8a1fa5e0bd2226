/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "image-import-source.h"
#include "string-util.h"
#include "strv.h"

/* An image archive has a few files per image: anything near this is not one. */
#define ARCHIVE_MEMBERS_MAX 65536U
/* links followed from one name: podman's are one deep */
#define ARCHIVE_LINKS_MAX 16U

struct ArchiveMember {
        char *name;             /* normalised */
        char *link;             /* symlink: its target, normalised against the member's directory */
        size_t file;            /* regular member or hardlink: the index of the copy (m.N) */
};

void import_source_done(ImportSource *s) {
        for (size_t i = 0; i < s->n_members; i++) {
                free(s->members[i].name);
                free(s->members[i].link);
        }
        free(s->members);
        /* an archive's directory is the import's (ImageStoreWork's) */
        if (!s->members)
                safe_close(s->dir_fd);
        *s = (ImportSource) { .dir_fd = -EBADF };
}

/* "./a//b/../c" → "a/c", relative to |base| (a member's directory, for a symlink's target; "" for none);
 * -EINVAL for a name that leaves the archive's top. */
static int name_normalize(const char *base, const char *name, char **ret) {
        _cleanup_strv_free_ char **parts = NULL, **out = NULL;
        _cleanup_free_ char *joined = NULL;

        joined = strprintf("%s/%s", name[0] == '/' ? "" : base, name);
        if (!joined)
                return -ENOMEM;
        if (strv_split(joined, "/", &parts) < 0)
                return -ENOMEM;
        STRV_FOREACH(p, parts) {
                if (streq(*p, "."))
                        continue;
                if (streq(*p, "..")) {
                        size_t n = strv_length(out);

                        if (n == 0)
                                return -EINVAL;
                        out[n - 1] = mfree(out[n - 1]);
                        continue;
                }
                if (strv_extend(&out, *p) < 0)
                        return -ENOMEM;
        }
        if (strv_isempty(out))
                return -EINVAL;
        return strv_join(out, "/", ret);
}

static ArchiveMember *member_find(ImportSource *s, const char *name) {
        /* the last of a name wins, as when a tar is unpacked */
        for (size_t i = s->n_members; i > 0; i--)
                if (streq(s->members[i - 1].name, name))
                        return &s->members[i - 1];
        return NULL;
}

int import_source_open(ImportSource *s, const char *name, int *ret_fd) {
        _cleanup_free_ char *n = NULL;
        ArchiveMember *m;
        char file[32];
        int fd, r;

        r = name_normalize("", name, &n);
        if (r < 0)
                return r == -EINVAL ? -ENOENT : r;
        if (!s->members) {
                fd = openat(s->dir_fd, n, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return negative_errno();
                *ret_fd = fd;
                return 0;
        }
        for (unsigned k = 0;; k++) {
                m = member_find(s, n);
                if (!m)
                        return -ENOENT;
                if (!m->link)
                        break;
                if (k >= ARCHIVE_LINKS_MAX)
                        return -ELOOP;
                free(n);
                n = strdup(m->link);
                if (!n)
                        return -ENOMEM;
        }
        snprintf(file, sizeof(file), "m.%zu", m->file);
        fd = openat(s->dir_fd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}

int import_source_read(ImportSource *s, const char *name, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = import_source_open(s, name, &fd);
        if (r < 0)
                return r;
        return read_full_fd(fd, NULL, max, ret, ret_size);
}

int import_source_open_dir(const char *path, ImportSource *ret, char **ret_error) {
        int fd;

        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                int r = negative_errno();
                (void) strprintf_replace(ret_error, "Cannot open directory '%s': %s", path, strerror(-r));
                return r;
        }
        *ret = (ImportSource) { .dir_fd = fd };
        return 0;
}

static int member_add(ImportSource *s, ArchiveMember m) {
        ArchiveMember *a;

        if (s->n_members >= ARCHIVE_MEMBERS_MAX)
                return -E2BIG;
        a = realloc(s->members, (s->n_members + 1) * sizeof(ArchiveMember));
        if (!a)
                return -ENOMEM;
        s->members = a;
        a[s->n_members++] = m;
        return 0;
}

/* One entry: a regular file copied out, a link recorded, anything else skipped. */
static int member_read(struct archive *a, struct archive_entry *e, ImportSource *s, size_t *n_files,
                       char **ret_error) {
        _cleanup_free_ char *name = NULL, *link = NULL, *dir = NULL;
        const char *path = archive_entry_pathname(e), *target;
        ArchiveMember m = {};
        int r;

        if (!path || name_normalize("", path, &name) < 0)
                return 0;               /* the top directory, or a name outside: nothing a layout names */
        target = archive_entry_hardlink(e);
        if (target) {
                _cleanup_free_ char *t = NULL;
                ArchiveMember *o;

                if (name_normalize("", target, &t) < 0 || !(o = member_find(s, t)))
                        return 0;       /* a hardlink to nothing: as if absent */
                m = (ArchiveMember) { .name = TAKE_PTR(name), .file = o->file };
                if (o->link && !(m.link = strdup(o->link))) {
                        free(m.name);
                        return -ENOMEM;
                }
                goto add;
        }
        switch (archive_entry_filetype(e)) {
        case AE_IFREG: {
                _cleanup_close_ int fd = -EBADF;
                char file[32];

                snprintf(file, sizeof(file), "m.%zu", *n_files);
                fd = openat(s->dir_fd, file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        return negative_errno();
                if (archive_read_data_into_fd(a, fd) != ARCHIVE_OK) {
                        (void) strprintf_replace(ret_error, "Cannot read member '%s' of the archive: %s", path,
                                                 strna(archive_error_string(a)));
                        return archive_errno(a) > 0 ? -archive_errno(a) : -EBADMSG;
                }
                m = (ArchiveMember) { .name = TAKE_PTR(name), .file = (*n_files)++ };
                break;
        }
        case AE_IFLNK:
                target = archive_entry_symlink(e);
                dir = strdup(name);
                if (!dir)
                        return -ENOMEM;
                *(strrchr(dir, '/') ?: dir) = '\0';
                if (!target || name_normalize(dir, target, &link) < 0)
                        return 0;       /* pointing outside the archive: as if absent */
                m = (ArchiveMember) { .name = TAKE_PTR(name), .link = TAKE_PTR(link) };
                break;
        default:
                return 0;
        }
add:
        r = member_add(s, m);
        if (r < 0) {
                free(m.name);
                free(m.link);
                if (r == -E2BIG)
                        (void) strprintf_replace(ret_error, "The archive has more than %u members.",
                                                 ARCHIVE_MEMBERS_MAX);
        }
        return r;
}

int import_source_open_archive(ImageStoreWork *w, const char *path, const ImageImportOptions *o,
                               ImportSource *ret, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        ImportSource s = { .dir_fd = image_store_work_fd(w) };
        struct archive *a = NULL;
        struct archive_entry *e;
        size_t n_files = 0;
        struct stat st;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = negative_errno();
                (void) strprintf_replace(ret_error, "Cannot open '%s': %s", path, strerror(-r));
                return r;
        }
        if (o->progress)
                o->progress(&(ImportProgress) { .phase = IMPORT_PHASE_READ_ARCHIVE, .fd = fd,
                                                .size = (uint64_t) st.st_size }, o->userdata);

        a = archive_read_new();
        if (!a)
                return -ENOMEM;
        archive_read_support_filter_all(a);
        archive_read_support_format_tar(a);
        if (archive_read_open_fd(a, fd, 256 * 1024) != ARCHIVE_OK) {
                (void) strprintf_replace(ret_error, "'%s' is not a tar archive: %s", path,
                                         strna(archive_error_string(a)));
                r = -EBADMSG;
                goto finish;
        }
        s.members = calloc(1, sizeof(ArchiveMember));   /* non-NULL: this source is an archive */
        if (!s.members) {
                r = -ENOMEM;
                goto finish;
        }
        for (;;) {
                r = archive_read_next_header(a, &e);
                if (r == ARCHIVE_EOF)
                        break;
                if (r < ARCHIVE_WARN) {
                        (void) strprintf_replace(ret_error, "'%s' is not a valid tar archive: %s", path,
                                                 strna(archive_error_string(a)));
                        r = -EBADMSG;
                        goto finish;
                }
                r = member_read(a, e, &s, &n_files, ret_error);
                if (r < 0)
                        goto finish;
        }
        r = 0;
        *ret = s;
        s = (ImportSource) {};
        if (o->progress)
                o->progress(&(ImportProgress) { .phase = IMPORT_PHASE_READ_ARCHIVE_DONE, .fd = -EBADF },
                            o->userdata);

finish:
        archive_read_free(a);
        if (s.members)
                import_source_done(&s);
        return r;
}

int import_source_alias(ImportSource *s, const char *alias, const char *target) {
        _cleanup_free_ char *a = NULL, *t = NULL;
        int r;

        if (!s->members)
                return -EINVAL;
        if (name_normalize("", alias, &a) < 0 || name_normalize("", target, &t) < 0)
                return -EINVAL;
        /* Docker ≥ 25 names its members blobs/sha256/HEX already: an alias of a member to itself would
         * hide it behind a link to itself (ELOOP) */
        if (streq(a, t))
                return 0;
        r = member_add(s, (ArchiveMember) { .name = a, .link = t });
        if (r < 0)
                return r;
        TAKE_PTR(a);
        TAKE_PTR(t);
        return 0;
}
