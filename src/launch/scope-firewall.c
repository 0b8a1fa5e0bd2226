/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Whether systemd enforces the container's cgroup firewall. A systemd that knows IPAddressAllow=/Deny= and
 * SocketBindAllow=/Deny= accepts them even when it cannot load their BPF programs: SocketBind*= on a systemd
 * built without BPF_FRAMEWORK (Debian 12's 252 is), IPAddress*= on a kernel without cgroup BPF. It logs that
 * and starts the unit unfiltered. So once the scope is up, the kernel is asked which programs sit on its
 * cgroup, and a container whose firewall is missing is not released. */

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fd-util.h"
#include "scope.h"
#include "string-util.h"

/* How many programs of |type| are attached to the cgroup |cgroup_fd| itself (not inherited ones). */
static int cgroup_programs(int cgroup_fd, enum bpf_attach_type type, uint32_t *ret) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof(attr));
        attr.query.target_fd = (uint32_t) cgroup_fd;
        attr.query.attach_type = type;
        if (syscall(__NR_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0)
                return -errno;
        *ret = attr.query.prog_cnt;
        return 0;
}

/* Whether every one of |types| has a program on the cgroup: 1 yes, 0 no. */
static int cgroup_has_programs(int cgroup_fd, const enum bpf_attach_type *types, size_t n) {
        for (size_t i = 0; i < n; i++) {
                uint32_t count = 0;
                int r = cgroup_programs(cgroup_fd, types[i], &count);

                if (r < 0)
                        return r;
                if (count == 0)
                        return 0;
        }
        return 1;
}

/* The keys, the programs systemd attaches for them, and why they may be missing. */
static const struct {
        const char *keys;
        enum bpf_attach_type types[2];
        const char *missing;
} firewall_parts[] = {
        {
                "IPAddressAllow=/IPAddressDeny=",
                { BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_EGRESS },
                "systemd attached no IP firewall to its cgroup (the kernel needs cgroup BPF, see the journal "
                "of systemd)",
        },
        {
                "SocketBindAllow=/SocketBindDeny=",
                { BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET6_BIND },
                "this systemd attached no bind programs to its cgroup (they need systemd 249 or later built "
                "with BPF_FRAMEWORK, see systemctl --version; Debian 12's 252 is built without)",
        },
};

int scope_firewall_check(sd_bus *bus, const Container *c, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        bool wanted[ELEMENTSOF(firewall_parts)];
        int r;

        if (!bus || !c || !c->name)
                return -EINVAL;
        if (!container_has_cgroup_firewall(c))
                return 0;

        fd = scope_cgroup_open(bus, c->name, NULL, ret_error);
        if (fd < 0)
                return fd;

        wanted[0] = c->n_ip_address_allow > 0 || c->n_ip_address_deny > 0;
        wanted[1] = c->n_socket_bind_allow > 0 || c->n_socket_bind_deny > 0;
        for (size_t i = 0; i < ELEMENTSOF(firewall_parts); i++) {
                if (!wanted[i])
                        continue;
                r = cgroup_has_programs(fd, firewall_parts[i].types, ELEMENTSOF(firewall_parts[i].types));
                if (r < 0) {
                        strprintf_replace(ret_error, "Failed to ask the kernel for the BPF programs of the "
                                          "scope's cgroup, so %s cannot be confirmed: %s",
                                          firewall_parts[i].keys, strerror(-r));
                        return r;
                }
                if (r == 0) {
                        strprintf_replace(ret_error, "%s are not enforced on ctr-%s.scope: %s; refusing to run "
                                          "the container unfiltered", firewall_parts[i].keys, c->name,
                                          firewall_parts[i].missing);
                        return -EOPNOTSUPP;
                }
        }
        return 0;
}
