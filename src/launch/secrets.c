/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The service's credentials on the launcher's side (secrets.h): listed, checked against Secret=, opened. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "name-util.h"
#include "secrets.h"
#include "string-util.h"
#include "strv.h"

/* systemd sets it for a service with credentials; it is the only place they are read from */
static const char *credentials_directory(void) {
        const char *d = getenv("CREDENTIALS_DIRECTORY");
        return isempty(d) ? NULL : d;
}

int launch_credentials_list(char ***ret) {
        _cleanup_strv_free_ char **names = NULL, **valid = NULL;
        const char *dir = credentials_directory();
        int r;

        if (!dir) {
                *ret = NULL;
                return 0;
        }
        r = dir_list_names(AT_FDCWD, dir, &names);
        if (r < 0)
                return log_error_errno(r, "Failed to list the service's credentials in '%s': %m", dir);
        STRV_FOREACH(n, names) {
                if (!credential_name_is_valid(*n)) {
                        log_debug("Skipping '%s' in '%s': not a credential name.", *n, dir);
                        continue;
                }
                if (strv_extend(&valid, *n) < 0)
                        return log_oom();
        }
        *ret = TAKE_PTR(valid);
        return 0;
}

int launch_secrets_check(const Container *c, char *const *credentials) {
        int r = 0;

        for (size_t i = 0; i < c->n_secrets; i++) {
                const Secret *s = c->secrets + i;

                if (strv_contains(credentials, s->name))
                        continue;
                r = log_error_errno(SYNTHETIC_ERRNO(ENOENT),
                                    "%s:%u: Secret=%s: ctr@%s.service was given no credential '%s'; give it with "
                                    "LoadCredential=, LoadCredentialEncrypted= or SetCredential= in [Service].",
                                    s->file, s->line, s->name, c->name, s->name);
        }
        return r;
}

int *launch_secrets_close(const Plan *p, int *fds) {
        if (!fds)
                return NULL;
        for (size_t i = 0; i < p->n_ops; i++)
                safe_close(fds[i]);
        free(fds);
        return NULL;
}

static int secret_open(int dir_fd, const char *dir, const char *name, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open credential '%s' in '%s': %m", name, dir);
        if (fstat(fd, &st) < 0)
                return log_error_errno(errno, "Failed to stat credential '%s' in '%s': %m", name, dir);
        if (!S_ISREG(st.st_mode))
                return log_error_errno(SYNTHETIC_ERRNO(EBADFD), "Credential '%s' in '%s' is not a regular file.",
                                       name, dir);
        if ((uint64_t) st.st_size > CTR_CREDENTIAL_SIZE_MAX)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG), "Credential '%s' in '%s' is larger than %u bytes.",
                                       name, dir, CTR_CREDENTIAL_SIZE_MAX);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int launch_secrets_open(const Plan *p, int **ret_fds) {
        _cleanup_close_ int dir_fd = -EBADF;
        const char *dir = credentials_directory();
        size_t n = 0;
        int *fds, r;

        for (size_t i = 0; i < p->n_ops; i++)
                n += p->ops[i].type == PLAN_SECRET;
        if (n == 0) {
                *ret_fds = NULL;
                return 0;
        }
        if (n > CTR_SECRETS_MAX)
                return log_error_errno(SYNTHETIC_ERRNO(E2BIG), "The container would get %zu credentials, at most %u "
                                       "are supported; pick them with Secret=.", n, CTR_SECRETS_MAX);
        /* the plan names credentials only when some were passed, or when Secret= does: checked before */
        if (!dir)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "The service was given no credentials "
                                       "($CREDENTIALS_DIRECTORY is not set).");
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return log_error_errno(errno, "Failed to open the service's credentials in '%s': %m", dir);

        fds = malloc(p->n_ops * sizeof(int));
        if (!fds)
                return log_oom();
        for (size_t i = 0; i < p->n_ops; i++)
                fds[i] = -EBADF;
        for (size_t i = 0; i < p->n_ops; i++) {
                if (p->ops[i].type != PLAN_SECRET)
                        continue;
                r = secret_open(dir_fd, dir, p->ops[i].source, fds + i);
                if (r < 0) {
                        launch_secrets_close(p, fds);
                        return r;
                }
        }
        *ret_fds = fds;
        return 0;
}
