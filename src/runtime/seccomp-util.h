/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The default seccomp filter of a container, built with libseccomp. Library code: returns -errno, never
 * logs. The rules themselves are in seccomp-default.c.
 *
 * Style: an allow list, as Docker's default profile. A syscall the filter does not name fails, so a syscall
 * the kernel adds (listmount, statmount, mseal, open_tree_attr…) stays out of a container until it is
 * added here after a look at what it exposes. The list is Docker's (moby profiles/seccomp/default.json)
 * plus what current libcs and runtimes call, and the syscalls we know and refuse are named too:
 *
 *   unknown to the filter → ENOSYS (the default action). Not Docker's EPERM: libc treats ENOSYS as "older
 *           kernel" and falls back (clone3 → clone, fchmodat2 → fchmodat, faccessat2 → faccessat,
 *           close_range → a loop), where EPERM broke workloads for years (Docker's faccessat2). The same
 *           choice as crun and systemd.
 *   known and refused → EPERM, as a kernel refusing the caller would say.
 *
 * Allowed beyond Docker's list: ptrace (confined by the PID namespace and no_new_privs, safe since Linux
 * 4.8; Docker allows it there too), sethostname/setdomainname (checked against the container's UTS
 * namespace), get_mempolicy (read only); and the newer fchmodat2, cachestat, map_shadow_stack, futex_wake,
 * futex_wait, futex_requeue (forms of calls already allowed). From Docker's list: close_range, faccessat2,
 * epoll_pwait2, openat2, pidfd_open, pidfd_send_signal, process_mrelease (a dying process only),
 * futex_waitv, landlock_* (unprivileged self-sandboxing), memfd_secret (mlock-like, off unless booted on),
 * seccomp, rseq. Left out of Docker's list: io_uring_* (refused, as Docker since 25.0), adjtimex and
 * clock_adjtime (gated below), name_to_handle_at (gated).
 *
 * Refused (EPERM); as in Docker, a syscall group is allowed when the bounding set holds the capability named
 * in brackets, i.e. when AddCapability= granted it:
 *   kernel modules: init_module finit_module delete_module create_module get_kernel_syms query_module
 *                   [SYS_MODULE]
 *   boot: reboot kexec_load kexec_file_load [SYS_BOOT]
 *   clock: settimeofday stime clock_settime clock_adjtime adjtimex [SYS_TIME]
 *   keyring: add_key request_key keyctl (always: keys are not namespaced)
 *   bpf [SYS_ADMIN or BPF], perf_event_open [SYS_ADMIN or PERFMON], userfaultfd (always),
 *   io_uring_setup io_uring_enter io_uring_register (always, as Docker since 25.0)
 *   file handles: open_by_handle_at [DAC_READ_SEARCH], name_to_handle_at [SYS_ADMIN]
 *   mounts: mount umount umount2 pivot_root move_mount open_tree fsopen fsmount fsconfig fspick
 *           mount_setattr [SYS_ADMIN], chroot [SYS_CHROOT]
 *   namespaces: setns, unshare/clone with CLONE_NEWUSER [SYS_ADMIN]; clone3 fails with ENOSYS so libc falls
 *           back to clone, whose flags a filter can inspect [SYS_ADMIN]
 *   misc admin: swapon swapoff acct [SYS_PACCT for acct] quotactl quotactl_fd lookup_dcookie fanotify_init
 *           nfsservctl [SYS_ADMIN], syslog [SYSLOG], vhangup [SYS_TTY_CONFIG], iopl ioperm [SYS_RAWIO]
 *   obsolete: uselib ustat sysfs _sysctl vm86 vm86old (always)
 *   other processes: process_vm_readv process_vm_writev kcmp pidfd_getfd process_madvise [SYS_PTRACE]
 *   NUMA: mbind set_mempolicy move_pages migrate_pages set_mempolicy_home_node [SYS_NICE]
 *   personality: any persona but 0, PER_LINUX32 (8), UNAME26 (0x20000), their combination (0x20008) and the
 *           query 0xffffffff (always)
 *   terminal injection: ioctl TIOCSTI and TIOCLINUX (always, whatever the capabilities: a container on
 *           its caller's terminal must not type into the caller's shell); compared on the low 32 bits, as
 *           the kernel reads cmd
 *   sockets: socket(AF_VSOCK) fails with EAFNOSUPPORT (always): vsock reaches the hypervisor's and the
 *           host's services and is not network-namespaced. On the x86-32 entry the direct socket call gets
 *           ENOSYS for it, but socketcall(SYS_SOCKET), which 32-bit glibc uses for every socket, keeps its
 *           arguments in memory a filter cannot read: there AF_VSOCK is not caught (as in Docker), nor
 *           does a custom profile's rule for bind, connect… reach it.
 * Argument rules compare masked values: a rule allowing "anything but these values" is a set of allowing
 * rules over aligned blocks (libseccomp cannot negate, and an unconditional rule would shadow the others).
 * The filter covers the native architecture and its compat ones (x86 32-bit and x32 on x86-64, arm on
 * aarch64), so "int 0x80" cannot bypass it; other architectures are killed. */

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

/* Builds (does not load) the default filter for a container whose bounding set is |capabilities|.
 * |set_no_new_privs|: whether seccomp_load() also sets no_new_privs (without it, loading needs
 * CAP_SYS_ADMIN). */
int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret);

/* SeccompProfile=: NULL or "default" = the default filter, "unconfined" = none. */
bool seccomp_profile_is_unconfined(const char *profile);

/* Builds and loads the filter named by |profile|: NULL/"default" the default filter, "unconfined" nothing
 * (returns 0). A custom profile (a path) is -EOPNOTSUPP here: it is compiled ahead with
 * seccomp_profile_program() and loaded with seccomp_program_load(). */
int seccomp_apply_profile(const char *profile, uint64_t capabilities, bool set_no_new_privs);

/* A compiled filter. libseccomp needs ~50 ms of CPU to generate the default filter (~1000 rules over three
 * architectures, ~2000 BPF instructions), far more than the rest of a container start; so the launcher
 * compiles it in the parent
 * and caches the BPF by a hash of everything that goes into it (the rule table, the capabilities, the
 * architecture, libseccomp's version and API level). The child then only loads it. */
typedef struct SeccompProgram {
        struct sock_filter *insns;
        size_t n_insns;
} SeccompProgram;

void seccomp_program_done(SeccompProgram *p);

/* The default filter for |capabilities| as BPF. With |cache_dir| (created 0700 if missing; NULL = no cache)
 * a program cached there is used when it is valid (a regular file owned by us, not writable by others,
 * whole instructions, at most BPF_MAXINSNS); otherwise it is built and written there atomically. A cache
 * that cannot be read or written is not an error. Returns 1 when it came from the cache, 0 when built. */
int seccomp_default_program(uint64_t capabilities, const char *cache_dir, SeccompProgram *ret);

/* Loads |p| into the calling process: sets no_new_privs first when |set_no_new_privs| (else the load needs
 * CAP_SYS_ADMIN). */
int seccomp_program_load(const SeccompProgram *p, bool set_no_new_privs);

/* A custom profile, SeccompProfile=/PATH: a small line-based text format (not Docker's JSON):
 *
 *     # comments and empty lines are ignored
 *     default errno:EPERM            the action for every syscall no rule names; optional, before any rule;
 *                                    "allow" when missing, the built-in's (errno:ENOSYS) with "include"
 *     include default                the built-in filter above (for the container's capabilities); its
 *                                    default cannot be allow or log (that would open what the allow list
 *                                    leaves out); a syscall with argument rules in it (ioctl socket
 *                                    personality clone clone3 unshare) cannot be named again, any other can:
 *                                    the profile's rule replaces the built-in one (allow io_uring_setup…),
 *                                    the way to widen the default filter
 *     allow read write exit_group    ACTION SYSCALL…: one action for the named syscalls
 *     errno:ENOSYS clone3
 *
 * ACTION is allow, errno (EPERM), errno:NAME (EPERM ENOSYS EACCES EINVAL ENOENT EOPNOTSUPP ENOTSUP
 * EAFNOSUPPORT EPROTONOSUPPORT), errno:NUMBER (1–4095), kill (the process) or log (allow and log). Names
 * are libseccomp's; an unknown name is an error (so a typo never leaves a syscall open); a name that does
 * not exist on an architecture is skipped there; the same syscall with two different actions is an
 * error. Rules cannot inspect arguments. The filter covers the same architectures as the default one. */
#define SECCOMP_PROFILE_SIZE_MAX (1024 * 1024)
#define SECCOMP_PROFILE_LINE_MAX 4096
#define SECCOMP_PROFILE_RULES_MAX 4096U

/* Parses |contents|. On failure *ret_line (if non-NULL) is the line at fault, 0 for none: -EBADMSG for a
 * malformed line, -ENOENT for an unknown syscall, -EEXIST for a syscall with two actions, -E2BIG for a too
 * long line or too many rules. */
int seccomp_profile_parse(const char *contents, uint64_t capabilities, scmp_filter_ctx *ret,
                          unsigned *ret_line);
/* Reads |path| (at most SECCOMP_PROFILE_SIZE_MAX) and compiles it. */
int seccomp_profile_program(const char *path, uint64_t capabilities, SeccompProgram *ret, unsigned *ret_line);
