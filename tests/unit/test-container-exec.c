/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps-util.h"
#include "container-exec.h"
#include "test.h"

static char *base;
static int root_fd = -EBADF;
/* run() hides /proc from the child before it applies anything */
static bool hide_proc;
static uint64_t host_permitted;

#define CAT "/bin/cat"

/* What the workload saw: /proc/self/status of the exec'd process, and the parent death signal before
 * execve. */
typedef struct Result {
        int apply_error;        /* 0, or the errno container_exec_apply() returned */
        char message[512];
        char status[8192];
} Result;

/* Forks; the child resolves the credentials below the fixture root, applies |c| and execs "cat
 * /proc/self/status" into a pipe. */
static int run(const Container *c, Result *ret) {
        int out[2], errp[2], status;
        pid_t pid;
        size_t n = 0;

        memset(ret, 0, sizeof(*ret));
        if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
                return -errno;

        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                ExecCredentials cred = {};
                ExecError err = {};
                int r, proc_fd = -EBADF;

                if (hide_proc) {
                        /* as "ctrctl exec" may find itself: no /proc for our pid. Keep a handle on it to
                         * report the result. */
                        proc_fd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (proc_fd < 0 || unshare(CLONE_NEWNS) < 0 ||
                            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                            umount2("/proc", MNT_DETACH) < 0 || access("/proc/self/status", F_OK) == 0) {
                                dprintf(errp[1], "%d failed to hide /proc", errno);
                                _exit(1);
                        }
                }

                r = exec_credentials_resolve(c, root_fd, &cred, &err);
                if (r >= 0)
                        r = container_exec_apply(c, &cred, SIGKILL, &err);
                if (r < 0) {
                        dprintf(errp[1], "%d %s", -r, err.message);
                        _exit(1);
                }
                /* the filter is there exactly when it should be */
                bool want_filter = !c->seccomp_profile || !streq(c->seccomp_profile, "unconfined");
                long k = syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0);
                if (want_filter != (k < 0 && errno == EPERM)) {
                        dprintf(errp[1], "%d keyctl() %s filtered", EIO, want_filter ? "not" : "unexpectedly");
                        _exit(1);
                }
                if (prctl(PR_GET_PDEATHSIG, &r, 0, 0, 0) < 0 || r != SIGKILL) {
                        dprintf(errp[1], "%d pdeath signal not armed", EIO);
                        _exit(1);
                }
                /* steps 0 and 3: nothing of the container may ptrace us or open our /proc/PID/exe before
                 * execve(), whatever the uid change did */
                if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
                        dprintf(errp[1], "%d still dumpable", EIO);
                        _exit(1);
                }
                if (proc_fd >= 0) {
                        char buf[8192];
                        int fd = openat(proc_fd, "status", O_RDONLY | O_CLOEXEC);
                        ssize_t n_read = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

                        if (n_read <= 0 || write(out[1], buf, (size_t) n_read) != n_read)
                                _exit(2);
                        _exit(0);
                }
                if (dup2(out[1], STDOUT_FILENO) < 0)
                        _exit(2);
                execl(CAT, CAT, "/proc/self/status", (char *) NULL);
                dprintf(errp[1], "%d exec failed", errno);
                _exit(3);
        }

        close(out[1]);
        close(errp[1]);
        for (;;) {
                ssize_t k = read(out[0], ret->status + n, sizeof(ret->status) - 1 - n);
                if (k <= 0)
                        break;
                n += (size_t) k;
        }
        ret->status[n] = '\0';
        {
                char e[600] = {};
                ssize_t k = read(errp[0], e, sizeof(e) - 1);
                if (k > 0) {
                        char *space = strchr(e, ' ');
                        ret->apply_error = (int) strtol(e, NULL, 10);
                        snprintf(ret->message, sizeof(ret->message), "%s", space ? space + 1 : "");
                }
        }
        close(out[0]);
        close(errp[0]);
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static bool field(const Result *r, const char *name, char *buf, size_t size) {
        size_t n = strlen(name);

        for (const char *l = r->status; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, name, n) == 0 && l[n] == ':') {
                        const char *v = l + n + 1;
                        size_t len;

                        v += strspn(v, " \t");
                        len = strcspn(v, "\n");
                        snprintf(buf, size, "%.*s", (int) len, v);
                        return true;
                }
        return false;
}

static uint64_t field_mask(const Result *r, const char *name) {
        char buf[64];

        if (!field(r, name, buf, sizeof(buf)))
                return UINT64_MAX;
        return strtoull(buf, NULL, 16);
}

static bool field_is(const Result *r, const char *name, const char *expected) {
        char buf[256];

        if (!field(r, name, buf, sizeof(buf))) {
                fprintf(stderr, "  %s: missing\n", name);
                return false;
        }
        /* Uid:/Gid: are tab-separated, Groups: ends in a space */
        for (char *p = buf; *p; p++)
                if (*p == '\t')
                        *p = ' ';
        size_t l = strlen(buf);
        while (l > 0 && buf[l - 1] == ' ')
                buf[--l] = '\0';
        if (!streq(buf, expected)) {
                fprintf(stderr, "  %s: expected '%s', got '%s'\n", name, expected, buf);
                return false;
        }
        return true;
}

static bool mask_is(const Result *r, const char *name, uint64_t expected) {
        uint64_t v = field_mask(r, name);

        if (v != expected) {
                fprintf(stderr, "  %s: expected %016" PRIx64 ", got %016" PRIx64 "\n", name, expected, v);
                return false;
        }
        return true;
}

/* The fixture root with passwd and group, and whether we can run the cases at all. */
static bool can_apply;

__attribute__((constructor)) static void fixture(void) {
        if (geteuid() != 0 || access(CAT, X_OK) < 0 || capability_get_current(&host_permitted, NULL) < 0)
                return;

        base = test_mkdtemp();
        if (!base ||
            test_write(base, "etc/passwd",
                       "root:x:0:0:root:/root:/bin/sh\n"
                       "app:x:1001:1001::/home/app:/bin/sh\n"
                       "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n") < 0 ||
            test_write(base, "etc/group",
                       "root:x:0:\n"
                       "wheel:x:10:app\n"
                       "app:x:1001:\n"
                       "extra:x:2000:app\n"
                       "nogroup:x:65534:\n") < 0)
                abort();
        root_fd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                abort();
        can_apply = true;
}

__attribute__((destructor)) static void fixture_cleanup(void) {
        root_fd = safe_close(root_fd);
        test_rm_rf(base);
        free(base);
}

#define REQUIRE_APPLY()                                                                         \
        do {                                                                                    \
                if (!can_apply)                                                                 \
                        TEST_SKIP("container_exec_apply() needs root and " CAT);               \
        } while (0)

static Container new_container(void) {
        return (Container) { .name = (char *) "test", .no_new_privileges = true };
}

TEST(non_root_with_added_capability) {
        REQUIRE_APPLY();

        Container c = new_container();
        uint64_t net_admin = CAP_MASK(CAP_NET_ADMIN);
        Result r;

        c.user = (char *) "65534";
        c.add_capabilities = net_admin;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(r.apply_error == 0);
        ASSERT_TRUE(field_is(&r, "Uid", "65534 65534 65534 65534"));
        ASSERT_TRUE(field_is(&r, "Gid", "65534 65534 65534 65534"));
        ASSERT_TRUE(field_is(&r, "Groups", ""));
        ASSERT_TRUE(mask_is(&r, "CapBnd", (CAPABILITY_SET_DEFAULT | net_admin) & host_permitted));
        /* only what was added explicitly, and it survives execve as an ambient capability */
        ASSERT_TRUE(mask_is(&r, "CapPrm", net_admin));
        ASSERT_TRUE(mask_is(&r, "CapEff", net_admin));
        ASSERT_TRUE(mask_is(&r, "CapInh", net_admin));
        ASSERT_TRUE(mask_is(&r, "CapAmb", net_admin));
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "1"));
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));
}

TEST(non_root_default) {
        REQUIRE_APPLY();

        Container c = new_container();
        Result r;

        c.user = (char *) "app";
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Uid", "1001 1001 1001 1001"));
        ASSERT_TRUE(field_is(&r, "Gid", "1001 1001 1001 1001"));
        ASSERT_TRUE(field_is(&r, "Groups", "10 2000"));
        ASSERT_TRUE(mask_is(&r, "CapBnd", CAPABILITY_SET_DEFAULT & host_permitted));
        ASSERT_TRUE(mask_is(&r, "CapPrm", 0));
        ASSERT_TRUE(mask_is(&r, "CapEff", 0));
        ASSERT_TRUE(mask_is(&r, "CapInh", 0));
        ASSERT_TRUE(mask_is(&r, "CapAmb", 0));
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "1"));
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));
}

TEST(root) {
        REQUIRE_APPLY();

        Container c = new_container();
        uint64_t d = CAPABILITY_SET_DEFAULT & host_permitted;
        Result r;

        /* Podman's 11: Docker's 14 without NET_RAW, MKNOD and AUDIT_WRITE */
        ASSERT_TRUE(CAPABILITY_SET_DEFAULT == UINT64_C(0x00000000800405fb));
        ASSERT_TRUE(__builtin_popcountll(CAPABILITY_SET_DEFAULT) == 11);
        ASSERT_TRUE(container_capability_set(&c) == (CAPABILITY_SET_DEFAULT & capability_kernel_mask()));
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Uid", "0 0 0 0"));
        ASSERT_TRUE(field_is(&r, "Gid", "0 0 0 0"));
        ASSERT_TRUE(field_is(&r, "Groups", ""));
        ASSERT_TRUE(mask_is(&r, "CapBnd", d));
        ASSERT_TRUE(mask_is(&r, "CapPrm", d));
        ASSERT_TRUE(mask_is(&r, "CapEff", d));
        ASSERT_TRUE(mask_is(&r, "CapInh", 0));
        ASSERT_TRUE(mask_is(&r, "CapAmb", 0));
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "1"));
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));

        /* AddCapability=SYS_ADMIN NET_RAW (one of Docker's, back), DropCapability=KILL MKNOD */
        c.add_capabilities = CAP_MASK(CAP_SYS_ADMIN) | CAP_MASK(CAP_NET_RAW);
        c.drop_capabilities = CAP_MASK(CAP_KILL) | CAP_MASK(CAP_MKNOD);
        d = ((CAPABILITY_SET_DEFAULT & ~c.drop_capabilities) | c.add_capabilities) & host_permitted;
        ASSERT_TRUE(d & CAP_MASK(CAP_NET_RAW));
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(mask_is(&r, "CapBnd", d));
        ASSERT_TRUE(mask_is(&r, "CapEff", d));

        /* DropCapability=ALL */
        c.add_capabilities = 0;
        c.drop_capabilities = UINT64_MAX;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(mask_is(&r, "CapBnd", 0));
        ASSERT_TRUE(mask_is(&r, "CapEff", 0));
        ASSERT_TRUE(mask_is(&r, "CapPrm", 0));

        /* AddCapability=ALL: everything this process holds */
        c.add_capabilities = UINT64_MAX;
        c.drop_capabilities = 0;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(mask_is(&r, "CapBnd", capability_kernel_mask() & host_permitted));
        ASSERT_TRUE(mask_is(&r, "CapEff", capability_kernel_mask() & host_permitted));
}

TEST(options) {
        REQUIRE_APPLY();

        Container c = new_container();
        Result r;

        /* NoNewPrivileges=no for a non-root user: the filter is loaded before the capabilities go */
        c.user = (char *) "app";
        c.no_new_privileges = false;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "0"));
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));
        ASSERT_TRUE(mask_is(&r, "CapEff", 0));

        c.no_new_privileges = true;
        c.seccomp_profile = (char *) "unconfined";
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "0"));
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "1"));

        c.seccomp_profile = (char *) "/etc/ctr/seccomp.json";
        ASSERT_TRUE(run(&c, &r) == 1);
        ASSERT_TRUE(r.apply_error == EOPNOTSUPP);
        ASSERT_TRUE(strstr(r.message, "Failed to load seccomp profile '/etc/ctr/seccomp.json'") != NULL);
        c.seccomp_profile = NULL;

        /* a user that is not in the image */
        c.user = (char *) "ghost";
        ASSERT_TRUE(run(&c, &r) == 1);
        ASSERT_TRUE(r.apply_error == ESRCH);
        ASSERT_TRUE(streq(r.message, "User 'ghost' not found in the container's /etc/passwd"));

        /* AddCapability=ALL for a non-root user: every capability, ambient */
        c.user = (char *) "app";
        c.add_capabilities = UINT64_MAX;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(mask_is(&r, "CapAmb", capability_kernel_mask() & host_permitted));
        ASSERT_TRUE(mask_is(&r, "CapEff", capability_kernel_mask() & host_permitted));
        c.add_capabilities = 0;

        /* SupplementaryGroups= and Group= */
        char *supp[] = { (char *) "3000", NULL };
        c.user = (char *) "app";
        c.group = (char *) "extra";
        c.supplementary_groups = supp;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Gid", "2000 2000 2000 2000"));
        ASSERT_TRUE(field_is(&r, "Groups", "3000"));
}

TEST(prepared) {
        REQUIRE_APPLY();

        char cache[PATH_MAX + 16];
        Container c = new_container();
        ExecError err = {};
        Result r;

        snprintf(cache, sizeof(cache), "%s/seccomp-cache", base);

        /* compiled in the parent, loaded by the child */
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == 0);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));
        ASSERT_TRUE(mask_is(&r, "CapEff", CAPABILITY_SET_DEFAULT & host_permitted));

        /* the default cache lives in the runtime directory, under a name no container can have */
        char runtime[PATH_MAX + 16], expected[PATH_MAX + 32];
        struct stat st;
        snprintf(runtime, sizeof(runtime), "%s/run", base);
        snprintf(expected, sizeof(expected), "%s/.seccomp", runtime);
        ASSERT_TRUE(setenv("CTR_RUNTIME_DIR", runtime, 1) == 0);
        ASSERT_TRUE(container_exec_prepare(&c, NULL, &err) == 0);
        ASSERT_TRUE(unsetenv("CTR_RUNTIME_DIR") == 0);
        ASSERT_TRUE(stat(expected, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700);

        c.user = (char *) "65534";
        c.add_capabilities = CAP_MASK(CAP_NET_ADMIN);
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == 0);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));
        ASSERT_TRUE(field_is(&r, "NoNewPrivs", "1"));
        ASSERT_TRUE(mask_is(&r, "CapAmb", CAP_MASK(CAP_NET_ADMIN)));

        /* prepared for another container: the child builds its own */
        c.add_capabilities = CAP_MASK(CAP_SYS_ADMIN);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));

        c.seccomp_profile = (char *) "unconfined";
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == 0);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "0"));

        c.seccomp_profile = (char *) "/nonexistent/profile";
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == -ENOENT);
        ASSERT_TRUE(err.error == ENOENT && strstr(err.message, "/nonexistent/profile"));

        c.seccomp_profile = (char *) "relative/profile";
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == -EINVAL);
        ASSERT_TRUE(strstr(err.message, "Invalid SeccompProfile= 'relative/profile'") != NULL);

        /* a custom profile, read on the host by prepare */
        char profile[PATH_MAX + 16];
        snprintf(profile, sizeof(profile), "%s/web.seccomp", base);
        ASSERT_TRUE(test_write(base, "web.seccomp", "include default\nerrno:EACCES getppid\n") == 0);
        c.seccomp_profile = profile;
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == 0);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));

        ASSERT_TRUE(test_write(base, "web.seccomp", "include default\nfrobnicate getppid\n") == 0);
        ASSERT_TRUE(container_exec_prepare(&c, cache, &err) == -EBADMSG);
        ASSERT_TRUE(strstr(err.message, "web.seccomp', line 2") != NULL);

        /* without prepare the child cannot read it */
        container_exec_prepared_done();
        ASSERT_TRUE(run(&c, &r) == 1);
        ASSERT_TRUE(r.apply_error == EOPNOTSUPP);
        ASSERT_TRUE(strstr(r.message, "read on the host") != NULL);

        container_exec_prepared_done();
}

/* Nothing in container_exec_apply() may depend on /proc: "ctrctl exec" joins a container whose /proc
 * shows other pids, and a launcher may apply before mounting it. */
TEST(without_proc) {
        REQUIRE_APPLY();

        Container c = new_container();
        Result r;

        /* valgrind itself needs /proc (tools/run-tests excludes this case from its valgrind stage) */
        const char *preload = getenv("LD_PRELOAD");
        if (preload && strstr(preload, "vgpreload"))
                TEST_SKIP("valgrind itself needs /proc");

        hide_proc = true;
        c.user = (char *) "app";
        c.add_capabilities = CAP_MASK(CAP_NET_ADMIN);
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(field_is(&r, "Uid", "1001 1001 1001 1001"));
        ASSERT_TRUE(mask_is(&r, "CapEff", CAP_MASK(CAP_NET_ADMIN)));
        ASSERT_TRUE(mask_is(&r, "CapAmb", CAP_MASK(CAP_NET_ADMIN)));
        ASSERT_TRUE(mask_is(&r, "CapBnd",
                            (CAPABILITY_SET_DEFAULT | CAP_MASK(CAP_NET_ADMIN)) & host_permitted));
        ASSERT_TRUE(field_is(&r, "Seccomp", "2"));

        c.user = NULL;
        c.add_capabilities = 0;
        ASSERT_TRUE(run(&c, &r) == 0);
        ASSERT_TRUE(mask_is(&r, "CapEff", CAPABILITY_SET_DEFAULT & host_permitted));
        hide_proc = false;
}

TEST(exec_error) {
        ExecError err = {};

        ASSERT_TRUE(exec_error_set(&err, -ENOENT, "Failed to open '%s'", "/x") == -ENOENT);
        ASSERT_TRUE(err.error == ENOENT && streq(err.message, "Failed to open '/x'"));
        ASSERT_TRUE(exec_error_set(&err, EPERM, "x") == -EPERM && err.error == EPERM);
        ASSERT_TRUE(exec_error_set(NULL, 0, "x") == -EIO);
}
