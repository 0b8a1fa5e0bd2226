/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The launcher tests' payload: a tiny static multi-call binary put into the container, which reports what the
 * container looks like from inside and tries what a container must (not) be able to do. Commands run in
 * order, separated by a "+" argument:  payload id + caps + try-mount /mnt
 *
 * Output is "key: value" lines, so the runner can grep for exactly what it asserts. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void result(const char *what, int r) {
        if (r < 0)
                printf("%s: error %s\n", what, strerrorname_np(errno) ?: "?");
        else
                printf("%s: ok\n", what);
}

static void cat(const char *path, const char *prefix) {
        char line[4096];
        FILE *f = fopen(path, "re");

        if (!f) {
                printf("cat %s: error %s\n", path, strerrorname_np(errno) ?: "?");
                return;
        }
        while (fgets(line, sizeof(line), f))
                if (!prefix || strncmp(line, prefix, strlen(prefix)) == 0)
                        fputs(line, stdout);
        fclose(f);
}

static int cmp(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void ls(const char *path) {
        char *names[4096];
        size_t n = 0;
        struct dirent *de;
        DIR *d = opendir(path);

        if (!d) {
                printf("ls %s: error %s\n", path, strerrorname_np(errno) ?: "?");
                return;
        }
        while ((de = readdir(d)) && n < 4096)
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        names[n++] = strdup(de->d_name);
        closedir(d);
        qsort(names, n, sizeof(char *), cmp);
        printf("ls %s:", path);
        for (size_t i = 0; i < n; i++) {
                printf(" %s", names[i]);
                free(names[i]);
        }
        printf("\n");
}

static volatile sig_atomic_t got_signal = 0;

static void on_signal(int sig) {
        got_signal = sig;
}

static int count_pids(int *zombies) {
        struct dirent *de;
        DIR *d = opendir("/proc");
        int n = 0;

        *zombies = 0;
        if (!d)
                return -1;
        while ((de = readdir(d))) {
                char path[300], buf[512];
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                n++;
                snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                ssize_t k = read(fd, buf, sizeof(buf) - 1);
                close(fd);
                if (k <= 0)
                        continue;
                buf[k] = '\0';
                char *e = strrchr(buf, ')');
                if (e && e[1] == ' ' && e[2] == 'Z')
                        (*zombies)++;
        }
        closedir(d);
        return n;
}

/* Runs one command starting at argv[0]; returns how many arguments it used, or -1 for an unknown one. */
static int run(char **argv, int argc) {
        const char *cmd = argv[0];
        const char *a1 = argc > 1 ? argv[1] : NULL, *a2 = argc > 2 ? argv[2] : NULL;

        if (strcmp(cmd, "id") == 0) {
                gid_t groups[256];
                int n = getgroups(256, groups);
                printf("id: uid=%u gid=%u euid=%u egid=%u groups=", (unsigned) getuid(), (unsigned) getgid(),
                       (unsigned) geteuid(), (unsigned) getegid());
                for (int i = 0; i < n; i++)
                        printf("%s%u", i ? "," : "", (unsigned) groups[i]);
                printf("\n");
                return 1;
        }
        if (strcmp(cmd, "caps") == 0) {
                cat("/proc/self/status", "Cap");
                return 1;
        }
        if (strcmp(cmd, "status") == 0) { /* status KEY: one line of /proc/self/status */
                char prefix[64];
                snprintf(prefix, sizeof(prefix), "%s:", a1 ?: "");
                cat("/proc/self/status", prefix);
                return 2;
        }
        if (strcmp(cmd, "mounts") == 0) {
                cat("/proc/self/mountinfo", NULL);
                return 1;
        }
        if (strcmp(cmd, "hostname") == 0) {
                struct utsname u;
                uname(&u);
                printf("hostname: %s\n", u.nodename);
                return 1;
        }
        if (strcmp(cmd, "ns") == 0) {
                static const char *const types[] = { "cgroup", "ipc", "mnt", "net", "pid", "user", "uts" };
                for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
                        char path[64], link[128] = "";
                        snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i]);
                        ssize_t k = readlink(path, link, sizeof(link) - 1);
                        printf("ns %s: %s\n", types[i], k > 0 ? link : "?");
                }
                return 1;
        }
        if (strcmp(cmd, "env") == 0) {
                for (char **e = environ; *e; e++)
                        printf("env: %s\n", *e);
                return 1;
        }
        if (strcmp(cmd, "cwd") == 0) {
                char buf[4096];
                printf("cwd: %s\n", getcwd(buf, sizeof(buf)) ?: "?");
                return 1;
        }
        if (strcmp(cmd, "pid") == 0) {
                printf("pid: %d ppid: %d\n", (int) getpid(), (int) getppid());
                return 1;
        }
        if (strcmp(cmd, "pids") == 0) {
                int z;
                printf("pids: %d\n", count_pids(&z));
                return 1;
        }
        if (strcmp(cmd, "fds") == 0) {
                ls("/proc/self/fd");
                return 1;
        }
        if (strcmp(cmd, "fdtypes") == 0 && a1) {
                /* the type of every open fd of process a1, through /proc/PID/fd */
                char dir[64];
                struct dirent *de;
                DIR *d;

                snprintf(dir, sizeof(dir), "/proc/%s/fd", a1);
                d = opendir(dir);
                if (!d) {
                        printf("fdtypes %s: error %s\n", a1, strerrorname_np(errno) ?: "?");
                        return 2;
                }
                printf("fdtypes %s:", a1);
                while ((de = readdir(d))) {
                        char path[512];
                        struct stat st;
                        if (de->d_name[0] == '.')
                                continue;
                        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                        if (stat(path, &st) < 0)
                                continue;
                        printf(" %s", S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" :
                               S_ISCHR(st.st_mode) ? "chr" : S_ISFIFO(st.st_mode) ? "fifo" :
                               S_ISSOCK(st.st_mode) ? "sock" : "other");
                }
                closedir(d);
                printf("\n");
                return 2;
        }
        if (strcmp(cmd, "ls") == 0 && a1) {
                ls(a1);
                return 2;
        }
        if (strcmp(cmd, "cat") == 0 && a1) {
                cat(a1, NULL);
                return 2;
        }
        if (strcmp(cmd, "stat") == 0 && a1) {
                struct stat st;
                if (lstat(a1, &st) < 0)
                        printf("stat %s: error %s\n", a1, strerrorname_np(errno) ?: "?");
                else
                        printf("stat %s: %s mode=%04o uid=%u gid=%u\n", a1,
                               S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" :
                               S_ISLNK(st.st_mode) ? "symlink" : S_ISCHR(st.st_mode) ? "chr" : "other",
                               (unsigned) (st.st_mode & 07777), (unsigned) st.st_uid, (unsigned) st.st_gid);
                return 2;
        }
        if (strcmp(cmd, "write") == 0 && a1) { /* write PATH [TEXT] */
                char what[4200];
                int fd = open(a1, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), r = fd;
                if (fd >= 0) {
                        const char *t = a2 ?: "x";
                        r = write(fd, t, strlen(t)) < 0 ? -1 : 0;
                        close(fd);
                }
                snprintf(what, sizeof(what), "write %s", a1);
                result(what, r);
                return a2 ? 3 : 2;
        }
        if (strcmp(cmd, "open-rw") == 0 && a1) { /* open-rw PATH: opened for reading and writing, nothing more */
                char what[4200];
                int fd = open(a1, O_RDWR | O_NOCTTY | O_CLOEXEC);
                snprintf(what, sizeof(what), "open-rw %s", a1);
                result(what, fd);
                if (fd >= 0)
                        close(fd);
                return 2;
        }
        if (strcmp(cmd, "open") == 0 && a1) {
                char what[4200], buf[64];
                int fd = open(a1, O_RDONLY | O_CLOEXEC), r = fd;
                if (fd >= 0) {
                        r = read(fd, buf, sizeof(buf)) < 0 ? -1 : 0;
                        close(fd);
                }
                snprintf(what, sizeof(what), "open %s", a1);
                result(what, r);
                return 2;
        }
        if (strcmp(cmd, "notify") == 0 && a1) { /* notify TEXT: one datagram to $NOTIFY_SOCKET */
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                const char *e = getenv("NOTIFY_SOCKET");
                int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = fd;
                snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", e ?: "");
                if (fd >= 0) {
                        r = (int) sendto(fd, a1, strlen(a1), 0, (struct sockaddr *) &sa, sizeof(sa));
                        close(fd);
                }
                result("notify", r);
                return 2;
        }
        if (strcmp(cmd, "try-mount") == 0 && a1) {
                result("mount", mount("tmpfs", a1, "tmpfs", 0, NULL));
                return 2;
        }
        if (strcmp(cmd, "try-remount") == 0 && a1) {
                result("remount", mount(NULL, a1, NULL, MS_REMOUNT | MS_BIND, NULL));
                return 2;
        }
        if (strcmp(cmd, "try-unshare-user") == 0) {
                result("unshare-user", unshare(CLONE_NEWUSER));
                return 1;
        }
        if (strcmp(cmd, "try-unshare-mnt") == 0) {
                result("unshare-mnt", unshare(CLONE_NEWNS));
                return 1;
        }
        if (strcmp(cmd, "try-init-module") == 0) {
                result("init-module", (int) syscall(SYS_init_module, NULL, 0, ""));
                return 1;
        }
        if (strcmp(cmd, "try-sethostname") == 0) {
                result("sethostname", sethostname("evil", 4));
                return 1;
        }
        if (strcmp(cmd, "try-chown") == 0 && a1) {
                result("chown", chown(a1, 1234, 1234));
                return 2;
        }
        if (strcmp(cmd, "try-kill") == 0 && a1) { /* try-kill PID */
                result("kill", kill((pid_t) strtol(a1, NULL, 10), 0));
                return 2;
        }
        if (strcmp(cmd, "try-mknod") == 0 && a1) {
                /* a /dev/null node (1:3), then open it: a nodev mount makes the open fail */
                int r = mknod(a1, S_IFCHR | 0666, makedev(1, 3));
                result("mknod", r);
                if (r >= 0) {
                        int fd = open(a1, O_WRONLY | O_CLOEXEC);
                        result("open-node", fd);
                        if (fd >= 0)
                                close(fd);
                }
                return 2;
        }
        if (strcmp(cmd, "exit") == 0 && a1) {
                fflush(stdout);
                _exit((int) strtol(a1, NULL, 10));
        }
        if (strcmp(cmd, "kill-self") == 0 && a1) {
                int sig = (int) strtol(a1, NULL, 10);
                fflush(stdout);
                signal(sig, SIG_DFL);
                raise(sig);
                kill(getpid(), sig);
                _exit(99);
        }
        if (strcmp(cmd, "wait-term") == 0) {
                /* Handles SIGTERM: exits 42 when it comes. "ready" tells the runner it can stop us. */
                struct sigaction sa = { .sa_handler = on_signal };
                sigaction(SIGTERM, &sa, NULL);
                sigaction(SIGINT, &sa, NULL);
                printf("ready\n");
                fflush(stdout);
                while (!got_signal)
                        pause();
                printf("got signal %d\n", (int) got_signal);
                fflush(stdout);
                _exit(42);
        }
        if (strcmp(cmd, "ignore-term") == 0) {
                signal(SIGTERM, SIG_IGN);
                signal(SIGINT, SIG_IGN);
                printf("ready\n");
                fflush(stdout);
                for (;;)
                        pause();
        }
        if (strcmp(cmd, "zombies") == 0 && a1) {
                /* Forks N children that each leave an orphaned grandchild which exits: the grandchildren
                 * are reparented to PID 1, which must reap them. Then waits (bounded) for no zombies. */
                int n = (int) strtol(a1, NULL, 10), z = 0;
                for (int i = 0; i < n; i++) {
                        pid_t p = fork();
                        if (p == 0) {
                                if (fork() == 0)
                                        _exit(0);
                                _exit(0);
                        }
                        if (p > 0)
                                waitpid(p, NULL, 0);
                }
                for (int i = 0; i < 500; i++) {
                        count_pids(&z);
                        if (z == 0)
                                break;
                        struct timespec ts = { 0, 10 * 1000 * 1000 };
                        nanosleep(&ts, NULL);
                }
                printf("zombies: %d\n", z);
                return 2;
        }
        if (strcmp(cmd, "echo") == 0 && a1) {
                printf("%s\n", a1);
                return 2;
        }
        return -1;
}

int main(int argc, char *argv[]) {
        int i = 1;

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc < 2) {
                fprintf(stderr, "usage: payload COMMAND [ARGS] [+ COMMAND [ARGS]]…\n");
                return 2;
        }
        while (i < argc) {
                int n = 0, used;
                while (i + n < argc && strcmp(argv[i + n], "+") != 0)
                        n++;
                if (n > 0) {
                        used = run(argv + i, n);
                        if (used < 0) {
                                fprintf(stderr, "payload: unknown command '%s'\n", argv[i]);
                                return 2;
                        }
                }
                i += n + 1;
        }
        fflush(stdout);
        return 0;
}
