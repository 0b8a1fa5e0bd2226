/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/reboot.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor.h"
#include "caps-util.h"
#include "fileio.h"
#include "seccomp-default-table.h"
#include "seccomp-util.h"
#include "test.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define CHILD_CHECK(expr)                                                                       \
        do {                                                                                    \
                if (!(expr)) {                                                                  \
                        fprintf(stderr, "%s:%d: check failed in child: %s (errno %d %s)\n", __FILE__, \
                                __LINE__, #expr, errno, strerror(errno));                       \
                        failed++;                                                               \
                }                                                                               \
        } while (0)

/* Valgrind answers syscalls it does not know (clone3, userfaultfd, …) with ENOSYS itself, before the
 * kernel and its filter see them. */
static bool under_valgrind(void) {
        const char *p = getenv("LD_PRELOAD");

        return p && strstr(p, "vgpreload");
}

/* -1 with this errno (or ENOSYS from valgrind) */
#define FAILS_WITH(call, e) ((call) < 0 && (errno == (e) || (errno == ENOSYS && under_valgrind())))
/* the filter let it through: success or any error but EPERM */
#define NOT_BLOCKED(call) ((call) >= 0 || errno != EPERM)

static int status_field(const char *field) {
        char line[256];
        int v = -1;
        size_t n = strlen(field);
        _cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, field, n) == 0 && line[n] == ':')
                        v = (int) strtol(line + n + 1, NULL, 10);
        return v;
}

/* Runs |f(arg)| in a child; its exit status is the number of failed checks. */
static int run_in_child(int (*f)(uint64_t), uint64_t arg) {
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();

        if (pid < 0)
                return -1;
        if (pid == 0)
                _exit(f(arg));
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static bool fork_works(void) {
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return false;
        if (pid == 0)
                _exit(42);
        if (waitpid(pid, &status, 0) != pid)
                return false;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 42) {
                fprintf(stderr, "  fork child: status %#x\n", (unsigned) status);
                return false;
        }
        return true;
}

#if defined(__x86_64__)
/* A 32-bit syscall through int 0x80; returns the raw kernel result (-errno on failure). */
static long syscall_int80(long nr, long a, long b) {
        long ret;

        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
        return ret;
}
#define IA32_GETPID 20
#define IA32_IOCTL 54
#define IA32_KEYCTL 288
#define IA32_UNSHARE 310
#endif

/* Syscalls newer than the default filter's list (Linux 6.8–6.15), by number: the filter must answer them
 * with its default errno, whatever libseccomp or the libc headers know. */
#define NR_STATMOUNT 457
#define NR_LISTMOUNT 458
#define NR_MSEAL 462
#define NR_OPEN_TREE_ATTR 467

/* What every filter must refuse whatever the capabilities: terminal injection. On a file that is no
 * terminal the kernel would answer ENOTTY; EPERM is the filter's. The kernel takes cmd as an unsigned int,
 * so high bits in the register must not get past it either. */
static int check_tty_injection(void) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), failed = 0;
        /* TIOCLINUX reads a subcode and its data: a whole initialised buffer, for memory checkers */
        char c[64] = "x";

        CHILD_CHECK(fd >= 0);
        CHILD_CHECK(FAILS_WITH(ioctl(fd, TIOCSTI, c), EPERM));
        CHILD_CHECK(FAILS_WITH(ioctl(fd, TIOCLINUX, c), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_ioctl, fd, UINT64_C(0xffffffff00000000) | TIOCSTI, c), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_ioctl, fd, UINT64_C(0x100000000) | TIOCLINUX, c), EPERM));
        /* the neighbours go through to the kernel */
        CHILD_CHECK(FAILS_WITH(ioctl(fd, TIOCSTI + 1, c), ENOTTY));
        CHILD_CHECK(FAILS_WITH(ioctl(fd, TIOCLINUX - 1, c), ENOTTY));
        CHILD_CHECK(FAILS_WITH(ioctl(fd, TIOCLINUX + 1, c), ENOTTY));
        close(fd);
        return failed;
}

/* How the child loads the default filter: built in place, or a precompiled program. */
static SeccompProgram program;
/* Whether int 0x80 works here, probed before the cases run (see ia32_probe()). */
static bool ia32_available;

static int child_default_filter(uint64_t caps) {
        char perf_attr[128] = {};       /* valgrind reads these */
        struct file_handle handle = {};
        struct timespec ts = {};
        struct timeval tv = {};
        int ns_fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
        int failed = 0;

        if (program.insns)
                CHILD_CHECK(seccomp_program_load(&program, true) == 0);
        else
                CHILD_CHECK(seccomp_apply_profile(NULL, caps, true) == 0);
        CHILD_CHECK(status_field("Seccomp") == 2);
        CHILD_CHECK(status_field("NoNewPrivs") == 1);

        CHILD_CHECK(FAILS_WITH(syscall(SYS_init_module, NULL, 0, ""), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_finit_module, -1, "", 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_delete_module, "nosuchmodule", 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM));
        /* an invalid magic would give EINVAL if the call got through */
        CHILD_CHECK(FAILS_WITH(syscall(SYS_reboot, 0, 0, LINUX_REBOOT_CMD_CAD_ON, NULL), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_add_key, "user", "x", "", 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_bpf, -1, NULL, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_perf_event_open, perf_attr, 0, -1, -1, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_userfaultfd, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_io_uring_setup, 1, NULL), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_open_by_handle_at, -1, &handle, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_settimeofday, &tv, NULL), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_swapoff, "/nonexistent"), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_acct, "/nonexistent"), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_iopl, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(mount("none", "/nonexistent", "tmpfs", 0, NULL), EPERM));
        CHILD_CHECK(FAILS_WITH(umount2("/nonexistent", 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_fsopen, "tmpfs", 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_open_tree, -1, "/", 0), EPERM));
        CHILD_CHECK(ns_fd >= 0 && FAILS_WITH(syscall(SYS_setns, ns_fd, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(unshare(CLONE_NEWUSER), EPERM));
        CHILD_CHECK(FAILS_WITH(unshare(CLONE_NEWUSER | CLONE_NEWNS), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_clone3, NULL, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(personality(ADDR_NO_RANDOMIZE), EPERM));
        CHILD_CHECK(FAILS_WITH(personality(READ_IMPLIES_EXEC | PER_LINUX32), EPERM));
        CHILD_CHECK(FAILS_WITH(personality(0xfffffffe), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_syslog, 10, NULL, 0), EPERM));

        /* an allow list: what it does not name fails with ENOSYS, as on a kernel without it */
        CHILD_CHECK(FAILS_WITH(syscall(NR_STATMOUNT, NULL, NULL, 0, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(NR_LISTMOUNT, NULL, NULL, 0, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(NR_MSEAL, NULL, 0, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(NR_OPEN_TREE_ATTR, -1, "", 0, NULL, 0), ENOSYS));

        failed += check_tty_injection();

        /* AF_VSOCK reaches the hypervisor and the host; the domain is an int, high bits do not matter */
        CHILD_CHECK(FAILS_WITH(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0), EAFNOSUPPORT));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_socket, UINT64_C(0x100000000) | AF_VSOCK, SOCK_STREAM, 0),
                               EAFNOSUPPORT));

        /* what a workload needs still works */
        {
                int fds[2], fd;
                char buf[4];
                struct stat st;

                CHILD_CHECK((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
                close(fd);
                CHILD_CHECK((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0);
                close(fd);
                CHILD_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
                close(fds[0]);
                close(fds[1]);
                CHILD_CHECK(pipe2(fds, O_CLOEXEC) == 0);
                CHILD_CHECK(write(fds[1], "abc", 3) == 3);
                CHILD_CHECK(ioctl(fds[0], FIONREAD, &fd) == 0 && fd == 3);
                CHILD_CHECK(read(fds[0], buf, sizeof(buf)) == 3);
                close(fds[0]);
                close(fds[1]);
                CHILD_CHECK((fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)) >= 0 && fstat(fd, &st) == 0);
                close(fd);
                CHILD_CHECK(syscall(SYS_faccessat2, AT_FDCWD, "/", F_OK, 0) == 0);
                /* valgrind 3.19 answers pidfd_open() itself, with ENOSYS, before the filter sees it */
                fd = (int) syscall(SYS_pidfd_open, getpid(), 0);
                CHILD_CHECK(fd >= 0 || (RUNNING_ON_VALGRIND && errno == ENOSYS));
                if (fd >= 0)
                        CHILD_CHECK(syscall(SYS_close_range, fd, fd, 0) == 0);
                CHILD_CHECK(getrandom(buf, sizeof(buf), 0) == sizeof(buf));
        }
        CHILD_CHECK(syscall(SYS_getpid) == getpid());
        CHILD_CHECK(syscall(SYS_getpid) == getpid());
        CHILD_CHECK(write(STDERR_FILENO, "", 0) == 0);
        CHILD_CHECK(fork_works());      /* glibc's fork() is clone() without namespace flags */
        CHILD_CHECK(unshare(CLONE_FS) == 0);
        CHILD_CHECK(personality(0xffffffff) >= 0);
        CHILD_CHECK(personality(PER_LINUX) >= 0);
        CHILD_CHECK(personality(PER_LINUX32) >= 0);
        CHILD_CHECK(personality(PER_LINUX) >= 0);
        CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);

#if defined(__x86_64__)
        /* x32 syscalls (number | 0x40000000) are filtered as well; without the x32 arch in the filter a
         * kernel with CONFIG_X86_X32_ABI would run them unfiltered. Unfiltered, a kernel without x32 says
         * ENOSYS. */
        CHILD_CHECK(FAILS_WITH(syscall(0x40000000 | 250 /* keyctl */, 0x7fff, 0, 0, 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(0x40000000 | 272 /* unshare */, CLONE_NEWUSER), EPERM));

        /* The 32-bit entry point is filtered too. Only meaningful if the kernel has IA32 emulation, which
         * the parent checked (an unfiltered int 0x80 getpid() returns our pid). */
        if (ia32_available) {
                CHILD_CHECK(syscall_int80(IA32_GETPID, 0, 0) == getpid());
                CHILD_CHECK(syscall_int80(IA32_KEYCTL, 0x7fff, 0) == -EPERM);
                CHILD_CHECK(syscall_int80(IA32_UNSHARE, CLONE_NEWUSER, 0) == -EPERM);
                CHILD_CHECK(syscall_int80(IA32_IOCTL, 0, TIOCSTI) == -EPERM);
                CHILD_CHECK(syscall_int80(NR_LISTMOUNT /* the same on i386 */, 0, 0) == -ENOSYS);
        }
        /* x32 too */
        CHILD_CHECK(FAILS_WITH(syscall(0x40000000 | 514 /* x32 ioctl */, 0, TIOCSTI, NULL), EPERM));
#endif
        return failed;
}

/* With CAP_SYS_ADMIN and friends in the bounding set, their syscalls are not filtered (the kernel checks
 * the capability itself). */
static int child_gated(uint64_t caps) {
        int failed = 0;

        CHILD_CHECK(seccomp_apply_profile("default", caps, true) == 0);
        CHILD_CHECK(status_field("Seccomp") == 2);
        /* allowed through: the kernel answers, with anything but our EPERM */
        CHILD_CHECK(NOT_BLOCKED(syscall(SYS_bpf, -1, NULL, 0)));
        CHILD_CHECK(NOT_BLOCKED(umount2("/nonexistent-ctr-test", 0)));
        CHILD_CHECK(FAILS_WITH(umount2("/nonexistent-ctr-test", 0), ENOENT));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_clone3, NULL, 0), EINVAL));
        CHILD_CHECK(NOT_BLOCKED(syscall(SYS_process_vm_readv, 0, NULL, 0, NULL, 0, 0)));
        /* still blocked whatever the capabilities */
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_userfaultfd, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(NR_LISTMOUNT, NULL, NULL, 0, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0), EAFNOSUPPORT));
        failed += check_tty_injection();
        return failed;
}

/* The new mount API under ctr-default (seccomp-mount-api.h): the default filter lets a container with
 * CAP_SYS_ADMIN reach it (the control, |caps| 0), the filter stacked on it (|caps| 1) makes every call of it
 * ENOSYS, and leaves mount(2)'s family to the kernel (and AppArmor). */
static int child_mount_api(uint64_t with_filter) {
        int failed = 0;

        CHILD_CHECK(seccomp_apply_profile(NULL, CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_SYS_ADMIN), true) == 0);
        if (!with_filter) {
                int fd = syscall(SYS_fsopen, "tmpfs", 0);

                CHILD_CHECK(fd >= 0 || under_valgrind());
                if (fd >= 0)
                        close(fd);
                return failed;
        }
        CHILD_CHECK(seccomp_program_load(&program, false) == 0);
        CHILD_CHECK(FAILS_WITH(syscall(SYS_fsopen, "tmpfs", 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_fsmount, -1, 0, 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_fspick, AT_FDCWD, "/", 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_move_mount, -1, "", AT_FDCWD, "/", 0), ENOSYS));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_mount_setattr, AT_FDCWD, "/", 0, NULL, 0), ENOSYS));
        /* the rest goes on as the default filter says */
        CHILD_CHECK(syscall(SYS_getpid) == getpid());
        CHILD_CHECK(fork_works());
        CHILD_CHECK(FAILS_WITH(umount2("/nonexistent-ctr-test", 0), ENOENT));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
        return failed;
}

/* An empty bounding set (DropCapability=all) keeps the allow list, and loses the gated groups. */
static int child_no_capabilities(uint64_t caps) {
        int failed = 0;

        CHILD_CHECK(seccomp_apply_profile(NULL, caps, true) == 0);
        CHILD_CHECK(syscall(SYS_getpid) == getpid());
        CHILD_CHECK(write(STDERR_FILENO, "", 0) == 0);
        CHILD_CHECK(fork_works());
        CHILD_CHECK(FAILS_WITH(umount2("/nonexistent-ctr-test", 0), EPERM));
        CHILD_CHECK(FAILS_WITH(chroot("/"), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
        failed += check_tty_injection();
        return failed;
}

static int child_unconfined(uint64_t caps) {
        int failed = 0;

        CHILD_CHECK(seccomp_apply_profile("unconfined", caps, true) == 0);
        CHILD_CHECK(status_field("Seccomp") == 0);
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EOPNOTSUPP));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_clone3, NULL, 0), EINVAL));
#if defined(__x86_64__)
        CHILD_CHECK(syscall(0x40000000 | 250, 0x7fff, 0, 0, 0, 0) < 0 && errno != EPERM);
#endif
        return failed;
}

static int child_no_nnp(uint64_t caps) {
        int failed = 0;

        /* without no_new_privs the load needs CAP_SYS_ADMIN, which root has here */
        CHILD_CHECK(seccomp_apply_profile(NULL, caps, false) == 0);
        CHILD_CHECK(status_field("Seccomp") == 2);
        CHILD_CHECK(status_field("NoNewPrivs") == 0);
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
        return failed;
}

#if defined(__x86_64__)
static int child_probe_int80(_unused_ uint64_t unused) {
        return syscall_int80(IA32_GETPID, 0, 0) == getpid() ? 0 : 1;
}
#endif

static void test_build_filter(void) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;

        ASSERT_TRUE(seccomp_default_filter_new(CAPABILITY_SET_DOCKER_DEFAULT, true, &ctx) == 0);
        ASSERT_TRUE(ctx != NULL);
        /* the filter covers the compat architectures */
#if defined(__x86_64__)
        ASSERT_TRUE(seccomp_arch_exist(ctx, SCMP_ARCH_X86) == 0);
        ASSERT_TRUE(seccomp_arch_exist(ctx, SCMP_ARCH_X32) == 0);
        ASSERT_TRUE(seccomp_arch_exist(ctx, SCMP_ARCH_X86_64) == 0);
#endif

        ASSERT_TRUE(seccomp_profile_is_unconfined("unconfined"));
        ASSERT_TRUE(!seccomp_profile_is_unconfined(NULL));
        ASSERT_TRUE(!seccomp_profile_is_unconfined("default"));
        ASSERT_TRUE(seccomp_apply_profile("/etc/ctr/profile.json", 0, true) == -EOPNOTSUPP);
}

static bool file_exists(const char *dir, uint64_t *ret_size, char *ret_path, size_t path_size) {
        char cmd[PATH_MAX + 64];
        FILE *f;
        bool found = false;

        /* the single default-*.bpf file in |dir| */
        snprintf(cmd, sizeof(cmd), "ls %s/default-*.bpf 2>/dev/null", dir);
        f = popen(cmd, "re");
        if (!f)
                return false;
        if (fgets(ret_path, (int) path_size, f)) {
                struct stat st;

                ret_path[strcspn(ret_path, "\n")] = '\0';
                if (stat(ret_path, &st) == 0) {
                        *ret_size = (uint64_t) st.st_size;
                        found = true;
                }
        }
        pclose(f);
        return found;
}

static void test_program_cache_impl(void) {
        char dir[] = "/tmp/test-seccomp-cache.XXXXXX", cache[PATH_MAX], path[PATH_MAX], cmd[PATH_MAX + 16];
        SeccompProgram a = {}, b = {}, c = {};
        uint64_t size = 0;
        FILE *f;

        if (!mkdtemp(dir)) {
                ASSERT_TRUE(false);
                return;
        }
        snprintf(cache, sizeof(cache), "%s/cache", dir);

        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, cache, &a) == 0);   /* built */
        ASSERT_TRUE(a.n_insns > 10 && a.n_insns <= BPF_MAXINSNS);
        ASSERT_TRUE(file_exists(cache, &size, path, sizeof(path)));
        ASSERT_TRUE(size == a.n_insns * sizeof(struct sock_filter));

        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, cache, &b) == 1);   /* cached */
        ASSERT_TRUE(b.n_insns == a.n_insns && memcmp(a.insns, b.insns, size) == 0);
        seccomp_program_done(&b);

        /* another capability set is another filter */
        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_SYS_ADMIN), NULL, &c) == 0);
        ASSERT_TRUE(c.n_insns != a.n_insns || memcmp(a.insns, c.insns, size) != 0);
        seccomp_program_done(&c);

        /* a damaged entry is rebuilt and replaced */
        f = fopen(path, "we");
        ASSERT_TRUE(f != NULL);
        if (f) {
                fputs("junk!", f);
                fclose(f);
        }
        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, cache, &b) == 0);
        ASSERT_TRUE(b.n_insns == a.n_insns && memcmp(a.insns, b.insns, size) == 0);
        seccomp_program_done(&b);
        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, cache, &b) == 1);
        seccomp_program_done(&b);

        /* an entry others could have written is not used */
        ASSERT_TRUE(chmod(path, 0666) == 0);
        ASSERT_TRUE(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, cache, &b) == 0);
        seccomp_program_done(&b);

        seccomp_program_done(&a);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        ASSERT_TRUE(system(cmd) == 0);
}

static int child_profile(uint64_t with_default) {
        int failed = 0;

        CHILD_CHECK(seccomp_program_load(&program, true) == 0);
        CHILD_CHECK(status_field("Seccomp") == 2);
        CHILD_CHECK(FAILS_WITH(syscall(SYS_getppid), EACCES));
        CHILD_CHECK(FAILS_WITH(sethostname("x", 1), EPERM));
        if (with_default) {
                CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EPERM));
                /* the built-in default action, and the profile's rule for a syscall it does not name */
                CHILD_CHECK(FAILS_WITH(syscall(NR_LISTMOUNT, NULL, NULL, 0, 0), ENOSYS));
                CHILD_CHECK(FAILS_WITH(syscall(SYS_epoll_ctl_old, 0, 0, 0, NULL), EACCES));
                failed += check_tty_injection();
        } else
                CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EOPNOTSUPP));
        CHILD_CHECK(syscall(SYS_getpid) == getpid());
        return failed;
}

/* "include default" and "allow keyctl": the profile widens the default filter */
static int child_widened(_unused_ uint64_t unused) {
        int failed = 0;

        CHILD_CHECK(seccomp_program_load(&program, true) == 0);
        CHILD_CHECK(FAILS_WITH(syscall(SYS_keyctl, 0x7fff, 0, 0, 0, 0), EOPNOTSUPP));
        CHILD_CHECK(FAILS_WITH(syscall(SYS_add_key, "user", "x", "", 0, 0), EPERM));
        CHILD_CHECK(FAILS_WITH(syscall(NR_LISTMOUNT, NULL, NULL, 0, 0), ENOSYS));
        failed += check_tty_injection();
        return failed;
}

static int parse_error(const char *profile, unsigned *ret_line) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;

        *ret_line = 0;
        return seccomp_profile_parse(profile, CAPABILITY_SET_DOCKER_DEFAULT, &ctx, ret_line);
}

TEST(profile_parse) {
        scmp_filter_ctx ctx = NULL;
        unsigned line;

        ASSERT_EQ(seccomp_profile_parse("# nothing\n\n", 0, &ctx, &line), 0);
        seccomp_release(ctx);
        ASSERT_EQ(seccomp_profile_parse("default errno:EPERM\n"
                                        "allow read write exit_group\n"
                                        "  allow   futex\t brk  \n"
                                        "errno:38 clone3\n"
                                        "errno:EPERM mount\n"   /* the default action: a no-op */
                                        "allow stime\n",        /* not on x86-64: skipped there */
                                        0, &ctx, &line), 0);
        seccomp_release(ctx);

        /* "log" and "kill" (the process) need libseccomp API level 3: not under valgrind, which lacks
         * seccomp(2) for libseccomp's probes */
        if (seccomp_api_get() >= 3) {
                ASSERT_EQ(seccomp_profile_parse("log uname\nkill ptrace\n", 0, &ctx, &line), 0);
                seccomp_release(ctx);
        }

        ASSERT_ERROR(parse_error("allow getpid\nbogus getpid\n", &line), EBADMSG);
        ASSERT_EQ(line, 2u);
        ASSERT_ERROR(parse_error("allow getpid nosuchsyscall\n", &line), ENOENT);
        ASSERT_EQ(line, 1u);
        ASSERT_ERROR(parse_error("errno getpid\n\nerrno:EACCES getpid\n", &line), EEXIST);
        ASSERT_EQ(line, 3u);
        ASSERT_ERROR(parse_error("errno\n", &line), EBADMSG);
        ASSERT_ERROR(parse_error("default allow\ndefault kill\n", &line), EBADMSG);
        ASSERT_EQ(line, 2u);
        ASSERT_ERROR(parse_error("allow getpid\ndefault kill\n", &line), EBADMSG);
        /* the built-in filter is an allow list: an allowing default would open what it leaves out */
        ASSERT_ERROR(parse_error("default allow\ninclude default\n", &line), EBADMSG);
        ASSERT_EQ(line, 2u);
        ASSERT_ERROR(parse_error("default log\ninclude default\n", &line), EBADMSG);
        ASSERT_EQ(parse_error("default errno:EPERM\ninclude default\n", &line), 0);
        ASSERT_EQ(parse_error("include default\nallow epoll_ctl_old\n", &line), 0);
        ASSERT_ERROR(parse_error("include something\n", &line), EBADMSG);
        /* the built-in argument rules cannot be overridden, not even with the default action (the TIOCSTI
         * and AF_VSOCK refusals would go); its plain rules can, to widen or narrow it */
        ASSERT_ERROR(parse_error("include default\nallow getpid\nallow ioctl\n", &line), EEXIST);
        ASSERT_EQ(line, 3u);
        ASSERT_ERROR(parse_error("include default\nallow socket\n", &line), EEXIST);
        ASSERT_ERROR(parse_error("include default\nerrno:ENOSYS personality\n", &line), EEXIST);
        ASSERT_EQ(parse_error("include default\nallow keyctl io_uring_setup\n", &line), 0);
        ASSERT_EQ(parse_error("include default\nerrno:ENOSYS getppid\n", &line), 0);
        ASSERT_ERROR(parse_error("errno:99999 getpid\n", &line), EBADMSG);
        ASSERT_ERROR(parse_error("errno:EWHAT getpid\n", &line), EBADMSG);
        ASSERT_ERROR(parse_error("default allow extra\n", &line), EBADMSG);

        char *long_line = malloc(SECCOMP_PROFILE_LINE_MAX + 16);
        ASSERT_NOT_NULL(long_line);
        memset(long_line, ' ', SECCOMP_PROFILE_LINE_MAX + 10);
        strcpy(long_line + SECCOMP_PROFILE_LINE_MAX, "allow x\n");
        ASSERT_ERROR(parse_error(long_line, &line), E2BIG);
        free(long_line);
}

/* Writes |text| to |path| and compiles it as a profile for |capabilities| into |program|. */
static int profile_compile(const char *path, const char *text, uint64_t capabilities) {
        unsigned line;
        FILE *f = fopen(path, "we");

        if (!f)
                return -errno;
        fputs(text, f);
        if (fclose(f) != 0)
                return -errno;
        return seccomp_profile_program(path, capabilities, &program, &line);
}

TEST(profile_load) {
        char dir[] = "/tmp/test-seccomp-profile.XXXXXX", path[PATH_MAX];
        unsigned line;

        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/p", dir);
        ASSERT_ERROR(seccomp_profile_program(path, 0, &program, &line), ENOENT);
        ASSERT_ERROR(seccomp_profile_program(dir, 0, &program, &line), EISDIR);

        ASSERT_EQ(profile_compile(path, "# block two syscalls, differently\nerrno:EACCES getppid\nerrno sethostname\n",
                                  0), 0);
        ASSERT_EQ(run_in_child(child_profile, 0), 0);
        seccomp_program_done(&program);

        ASSERT_EQ(profile_compile(path, "include default\nerrno:EACCES getppid\nerrno sethostname\n"
                                        "errno:EACCES epoll_ctl_old\n", CAPABILITY_SET_DOCKER_DEFAULT), 0);
        ASSERT_EQ(run_in_child(child_profile, 1), 0);
        seccomp_program_done(&program);

        ASSERT_EQ(profile_compile(path, "include default\nallow keyctl\n", CAPABILITY_SET_DOCKER_DEFAULT), 0);
        ASSERT_EQ(run_in_child(child_widened, 0), 0);
        seccomp_program_done(&program);

        ASSERT_EQ(unlink(path), 0);
        ASSERT_EQ(rmdir(dir), 0);
}

#if defined(__x86_64__)
/* Probe in a child: without IA32 emulation (or under valgrind) int 0x80 kills the process. */
__attribute__((constructor)) static void ia32_probe(void) {
        ia32_available = !under_valgrind() && run_in_child(child_probe_int80, 0) == 0;
}
#endif

TEST(build) {
        test_build_filter();
}

TEST(program_cache) {
        test_program_cache_impl();
}

/* The program is libseccomp's export of the filter, whole; what is read back must be whole instructions. */
TEST(program_from_fd) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        _cleanup_close_ int fd = -EBADF;
        SeccompProgram exported = {}, built = {}, read_back = {};
        int pipe_fds[2];

        ASSERT_EQ(seccomp_default_filter_new(CAPABILITY_SET_DOCKER_DEFAULT, true, &ctx), 0);
        ASSERT_EQ(seccomp_program_from_filter(ctx, &exported), 0);
        ASSERT_EQ(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, NULL, &built), 0);
        ASSERT_TRUE(exported.n_insns == built.n_insns &&
                    memcmp(exported.insns, built.insns, built.n_insns * sizeof(struct sock_filter)) == 0);

        /* read from the start, whatever the file offset */
        fd = memfd_create("test-seccomp", MFD_CLOEXEC);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, built.insns, built.n_insns * sizeof(struct sock_filter)),
                  (ssize_t) (built.n_insns * sizeof(struct sock_filter)));
        ASSERT_EQ(seccomp_program_from_fd(fd, &read_back), 0);
        ASSERT_TRUE(read_back.n_insns == built.n_insns &&
                    memcmp(read_back.insns, built.insns, built.n_insns * sizeof(struct sock_filter)) == 0);
        seccomp_program_done(&read_back);

        /* a partial instruction, an empty file, too many instructions, not a file */
        ASSERT_EQ(write(fd, "x", 1), 1);
        ASSERT_ERROR(seccomp_program_from_fd(fd, &read_back), EBADMSG);
        ASSERT_EQ(ftruncate(fd, 0), 0);
        ASSERT_ERROR(seccomp_program_from_fd(fd, &read_back), EBADMSG);
        ASSERT_EQ(ftruncate(fd, (off_t) ((BPF_MAXINSNS + 1) * sizeof(struct sock_filter))), 0);
        ASSERT_ERROR(seccomp_program_from_fd(fd, &read_back), EBADMSG);
        ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
        ASSERT_ERROR(seccomp_program_from_fd(pipe_fds[0], &read_back), EBADFD);
        ASSERT_NULL(read_back.insns);
        close(pipe_fds[0]);
        close(pipe_fds[1]);

        seccomp_program_done(&exported);
        seccomp_program_done(&built);
}

TEST(default_filter) {
        if (!ia32_available)
                printf("# int 0x80 not available (no IA32 emulation, or valgrind): not testing the 32-bit entry\n");
        /* loading with no_new_privs needs no privileges */
        ASSERT_EQ(run_in_child(child_default_filter, CAPABILITY_SET_DOCKER_DEFAULT), 0);
}

TEST(default_program) {
        /* the same checks with the precompiled program */
        ASSERT_EQ(seccomp_default_program(CAPABILITY_SET_DOCKER_DEFAULT, NULL, &program), 0);
        ASSERT_EQ(run_in_child(child_default_filter, CAPABILITY_SET_DOCKER_DEFAULT), 0);
        seccomp_program_done(&program);
}

TEST(no_capabilities) {
        ASSERT_EQ(run_in_child(child_no_capabilities, 0), 0);
}

TEST(unconfined) {
        ASSERT_EQ(run_in_child(child_unconfined, CAPABILITY_SET_DOCKER_DEFAULT), 0);
}

TEST(capability_gated) {
        if (geteuid() != 0)
                TEST_SKIP("needs root");
        ASSERT_EQ(run_in_child(child_gated, CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_SYS_ADMIN) |
                                                    CAP_MASK(CAP_SYS_PTRACE)), 0);
}

TEST(mount_api_wanted) {
        uint64_t admin = CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_SYS_ADMIN);

        ASSERT_TRUE(seccomp_mount_api_wanted(APPARMOR_DEFAULT_PROFILE, admin));
        /* without CAP_SYS_ADMIN the default filter refuses the calls already */
        ASSERT_FALSE(seccomp_mount_api_wanted(APPARMOR_DEFAULT_PROFILE, CAPABILITY_SET_DOCKER_DEFAULT));
        /* no profile, or one of the operator's: its own business */
        ASSERT_FALSE(seccomp_mount_api_wanted(NULL, admin));
        ASSERT_FALSE(seccomp_mount_api_wanted("my-profile", admin));
}

TEST(mount_api_filter) {
        if (geteuid() != 0)
                TEST_SKIP("needs root");
        ASSERT_EQ(run_in_child(child_mount_api, 0), 0);
        ASSERT_EQ(seccomp_mount_api_program(&program), 0);
        ASSERT_EQ(run_in_child(child_mount_api, 1), 0);
        seccomp_program_done(&program);
}

TEST(without_no_new_privs) {
        if (geteuid() != 0)
                TEST_SKIP("needs root");
        ASSERT_EQ(run_in_child(child_no_nnp, CAPABILITY_SET_DOCKER_DEFAULT), 0);
}

/* every name of the default table fits its entry with its NUL: C lets an initializer fill a char array
 * exactly, without one */
TEST(default_table_names_terminated) {
        ASSERT_TRUE(seccomp_default_rules_n > 300);
        for (size_t i = 0; i < seccomp_default_rules_n; i++) {
                const SeccompSyscallRule *rule = &seccomp_default_rules[i];

                ASSERT_NOT_NULL(memchr(rule->name, 0, sizeof(rule->name)));
                ASSERT_TRUE(rule->name[0] != '\0');
        }
}
