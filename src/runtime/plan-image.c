/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plan of an Image=REF container's root (plan-internal.h): the image's layers from its mstack directory
 * (docs/images.md) as the overlay's lower layers, Layer= above them, the writable layer on top; and the
 * image's Volumes. The launcher resolved the image and laid out the directory (src/image); what the plan
 * needs of it comes as PlanImage. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "plan-internal.h"
#include "string-util.h"

int plan_volume_name(const char *path, char **ret) {
        char *s, *t;

        if (!path || path[0] != '/')
                return -EINVAL;
        while (*path == '/')
                path++;
        if (*path == '\0') {
                s = strdup("-");
                if (!s)
                        return -ENOMEM;
                *ret = s;
                return 0;
        }
        /* systemd-escape --path: '/' → '-', anything but [A-Za-z0-9:_.] (and a leading '.') → \xNN, so two
         * paths never share a directory ("/a-b" and "/a/b") */
        s = t = malloc(strlen(path) * 4 + 1);
        if (!s)
                return -ENOMEM;
        for (const char *i = path; *i; i++) {
                unsigned char ch = (unsigned char) *i;
                if (ch == '/')
                        *t++ = '-';
                else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                         ch == '_' || ch == ':' || (ch == '.' && i != path))
                        *t++ = (char) ch;
                else
                        t += sprintf(t, "\\x%02x", ch);
        }
        *t = '\0';
        if (t - s > NAME_MAX) {
                free(s);
                return -ENAMETOOLONG;
        }
        *ret = s;
        return 0;
}

int plan_image_root(Plan *p, const Container *c, const PlanOptions *o) {
        const PlanImage *img = o->image;
        _cleanup_free_ char *upper = NULL, *work = NULL;
        size_t n_layers = 0, n, k = 0;
        PlanOp *op;

        for (char **l = c->layers; l && *l; l++)
                n_layers++;
        n = n_layers + img->n_layers;

        if ((c->ephemeral || c->read_only) && o->userns) {
                /* the launcher's tmpfs (PlanOp.tmpfs_upper) */
        } else if (c->ephemeral || c->read_only) {
                /* as for any root: a tmpfs upper layer (plan_root() in plan.c) */
                upper = strprintf("%s/rw/upper", p->staging);
                work = strprintf("%s/rw/work", p->staging);
                if (!upper || !work)
                        return -ENOMEM;
        } else {
                upper = strprintf("%s/rw/data", img->mstack);
                work = strprintf("%s/rw/work", img->mstack);
                if (!upper || !work)
                        return -ENOMEM;
        }
        if (upper && (!plan_add(p, PLAN_MKDIR, false, upper, NULL, NULL, 0) ||
                      !plan_add(p, PLAN_MKDIR, false, work, NULL, NULL, 0)))
                return -ENOMEM;
        /* an image of no layers at all (FROM scratch, nothing added): overlayfs needs one lower layer */
        if (n == 0) {
                _cleanup_free_ char *empty = strprintf("%s/empty", p->staging);
                if (!empty || !plan_add(p, PLAN_MKDIR, false, empty, NULL, NULL, 0))
                        return -ENOMEM;
                op = plan_add(p, PLAN_OVERLAY, false, p->root, NULL, NULL, MOUNT_ATTR_NODEV);
                if (!op || !(op->lowerdirs = calloc(2, sizeof(char *))) || !(op->lowerdirs[0] = TAKE_PTR(empty)))
                        return -ENOMEM;
        } else {
                /* nodev: as for any root (plan.c) */
                op = plan_add(p, PLAN_OVERLAY, false, p->root, NULL, NULL, MOUNT_ATTR_NODEV);
                if (!op || !(op->lowerdirs = calloc(n + 1, sizeof(char *))) ||
                    !(op->lowerdir_base = strdup(img->mstack)))
                        return -ENOMEM;
                /* lowerdir= lists the top layer first: the last Layer= on top, then the image's top layer
                 * (layer@N-1) down to its bottom one (layer@0) */
                for (size_t i = n_layers; i > 0; i--)
                        if (!(op->lowerdirs[k++] = strdup(c->layers[i - 1])))
                                return -ENOMEM;
                for (size_t i = img->n_layers; i > 0; i--)
                        if (!(op->lowerdirs[k++] = strprintf("layer@%zu", i - 1)))
                                return -ENOMEM;
        }
        op->upperdir = TAKE_PTR(upper);
        op->workdir = TAKE_PTR(work);
        op->tmpfs_upper = !op->upperdir;

        /* Docker makes a WorkingDir the image names but does not have */
        if (img->make_working_directory && c->working_directory &&
            !plan_add(p, PLAN_MKDIR, true, c->working_directory, NULL, NULL, 0))
                return -ENOMEM;
        return 0;
}

int plan_image_volumes(Plan *p, const Container *c, const PlanOptions *o) {
        _cleanup_free_ char *dir = NULL;
        PlanOp *op;
        int r;

        if (!o->image || !o->image->volumes)
                return 0;
        /* Ephemeral=yes keeps nothing, its volumes neither: they are filled afresh on the staging tmpfs */
        if (c->ephemeral)
                dir = strprintf("%s/volumes", p->staging);
        else
                dir = strprintf("%s/containers/%s.volumes", o->state_dir, c->name);
        if (!dir || !plan_add(p, PLAN_MKDIR, false, dir, NULL, NULL, 0))
                return -ENOMEM;
        op = p->ops + p->n_ops - 1;
        op->mode = 0700;
        if (o->userns && !c->ephemeral) {
                /* root in the user namespace fills and binds them through an id-mapped view of the
                 * directory on the staging tmpfs: on disk they keep the image's ids */
                _cleanup_free_ char *view = strprintf("%s/volumes", p->staging);
                if (!view || !plan_add(p, PLAN_MKDIR, false, view, NULL, NULL, 0) ||
                    !(op = plan_add(p, PLAN_BIND, false, view, dir, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)))
                        return -ENOMEM;
                op->idmap = true;
                free(dir);
                dir = TAKE_PTR(view);
        }

        for (char **v = o->image->volumes; *v; v++) {
                _cleanup_free_ char *name = NULL, *src = NULL;

                r = plan_volume_name(*v, &name);
                if (r < 0)
                        return r;
                src = strprintf("%s/%s", dir, name);
                if (!src)
                        return -ENOMEM;
                op = plan_add(p, PLAN_BIND, true, *v, src, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
                if (!op)
                        return -ENOMEM;
                op->check_destination = true;
                op->populate = true;
        }
        return 0;
}
