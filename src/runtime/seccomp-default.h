/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The default seccomp filter of a container, built with libseccomp. Library code: returns -errno, never
 * logs. The plain rules are the table in seccomp-default-table.c, the argument rules in seccomp-default.c.
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
 * The filter covers the native architecture and its compat ones (seccomp-filter.h). */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp-filter.h"

/* What the default filter returns for a syscall it does not know: ENOSYS, so that libc falls back to an older
 * call where it has one (clone3 → clone, fchmodat2 → fchmodat…) as it would on an older kernel. */
#define SECCOMP_DEFAULT_ACTION SCMP_ACT_ERRNO(ENOSYS)

/* Builds (does not load) the default filter for a container whose bounding set is |capabilities|.
 * |set_no_new_privs|: whether seccomp_load() also sets no_new_privs (without it, loading needs
 * CAP_SYS_ADMIN). */
int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret);

/* A filter with |default_action| holding the default rules for |capabilities|, except the plain rules (allow
 * or EPERM) of the syscalls in |keep_out|: a custom profile's own rules replace them. */
int seccomp_default_filter_build(uint32_t default_action, bool set_no_new_privs, uint64_t capabilities,
                                 const int *keep_out, size_t n_keep_out, scmp_filter_ctx *ret);

/* Whether the default filter has rules on the arguments of syscall |nr| (the native number): ioctl,
 * socket, personality, clone, clone3, unshare. A custom profile cannot replace those. */
bool seccomp_default_inspects(int nr);

/* A hash of everything that goes into the default filter for |capabilities|: the rules, the capabilities,
 * the architecture, libseccomp's version and API level. */
uint64_t seccomp_default_filter_key(uint64_t capabilities);
