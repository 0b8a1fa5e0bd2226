/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The one table of Quadlet's keys (podman-systemd.unit(5), [Container] and [Pod]): what ctr makes of each.
 * `ctrctl convert` translates with it, the loader names a Quadlet key with it, and docs/quadlet-keys.md is
 * generated from it (`ctrctl convert --key-table`), so that the three cannot disagree. */

#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "quadlet-convert.h"
#include "quadlet-translate.h"
#include "string-util.h"
#include "strv.h"

#define C QUADLET_CONTAINER
#define P QUADLET_POD
#define Y_ QUADLET_YES
#define P_ QUADLET_PARTIAL
#define N_ QUADLET_NO

/* Sorted by name (bsearch). A key Quadlet takes in both sections has one entry; its translation looks at
 * u->section where the two differ. */
static const QuadletKey quadlet_keys[] = {
        { "AddCapability", C, Y_, true, "AddCapability", NULL,
          "the same names (with or without CAP_, any case) and ALL" },
        { "AddDevice", C, P_, true, "AddDevice", NULL,
          "the same HOST[:CONTAINER][:PERMISSIONS] and leading -; a CDI name or a container path outside /dev "
          "is not translated" },
        { "AddHost", C|P, P_, false, "AddHost", quadlet_translate_add_host,
          "NAME:ADDRESS; host-gateway and several names joined by ';' are not translated" },
        { "Annotation", C, N_, false, NULL, NULL, "podman-internal: ctr has no OCI runtime to annotate for" },
        { "AppArmor", C, Y_, true, "AppArmorProfile", quadlet_translate_apparmor,
          "the profile by name, or unconfined; unset, ctr-default applies where AppArmor is enabled" },
        { "AutoUpdate", C, Y_, false, "AutoUpdate", quadlet_translate_auto_update,
          "registry and local, as ctrctl auto-update's policies of the same names" },
        { "CgroupsMode", C, N_, false, NULL, NULL,
          "podman-internal: the container always has its own scope, ctr-NAME.scope" },
        { "ContainerName", C, P_, false, NULL, quadlet_translate_name,
          "a container is named after its file (NAME.ctr runs as ctr@NAME.service); references to the name "
          "(Network=container:NAME) are translated" },
        { "ContainersConfModule", C|P, N_, false, NULL, NULL, "podman-internal: containers.conf(5) modules" },
        { "DNS", C|P, P_, false, "DNS", quadlet_translate_dns,
          "addresses; none (no resolv.conf) is not translated" },
        { "DNSOption", C|P, Y_, false, "DNSOption", NULL, "the same resolv.conf(5) options" },
        { "DNSSearch", C|P, Y_, false, "DNSSearch", NULL, "the same domains, and . for none" },
        { "DropCapability", C, Y_, true, "DropCapability", NULL,
          "the same names and ALL; both start from the same eleven default capabilities" },
        { "Entrypoint", C, Y_, false, "Entrypoint", quadlet_translate_entrypoint,
          "a JSON array becomes the words; a plain value is one program, quoted" },
        { "Environment", C, P_, false, "Environment", quadlet_translate_environment,
          "the same syntax (systemd's Environment=); a NAME alone (the host's value in podman) is dropped" },
        { "EnvironmentFile", C, Y_, false, "EnvironmentFile", quadlet_translate_environment_file,
          "relative paths are made absolute against the unit file's directory" },
        { "EnvironmentHost", C, Y_, false, "EnvironmentHost", NULL,
          "the service's environment, without systemd's and ctr's own variables (ctr.ctr(5))" },
        { "Exec", C, Y_, false, "Exec", NULL,
          "the same meaning: with an image, the arguments after the entrypoint (the image's Cmd replaced)" },
        { "ExitPolicy", P, N_, false, NULL, NULL,
          "no pod unit: each member is its own service, stopped with the container whose network it joins" },
        { "ExposeHostPort", C, N_, false, NULL, NULL,
          "metadata only in podman; ports are reached with PublishPort=" },
        { "GIDMap", C|P, P_, true, "PrivateUsers", quadlet_translate_id_map,
          "one range 0:HOSTID:COUNT equal to UIDMap= becomes PrivateUsers=HOSTID:COUNT; other maps are not "
          "translated" },
        { "GlobalArgs", C|P, N_, false, NULL, NULL, "podman-internal: options of the podman command" },
        { "Group", C, Y_, true, "Group", NULL, "a number or a name of the container's /etc/group" },
        { "GroupAdd", C, P_, false, "SupplementaryGroups", quadlet_translate_group_add,
          "group names and numbers; keep-groups (rootless podman) is not translated" },
        { "HealthCmd", C, Y_, false, "HealthCmd", quadlet_translate_health_cmd,
          "a plain command runs with /bin/sh -c as podman runs it; a JSON array as its words; none" },
        { "HealthInterval", C, P_, false, "HealthInterval", quadlet_translate_duration,
          "durations; disable (no automatic checks) is not translated" },
        { "HealthLogDestination", C, N_, false, NULL, NULL,
          "ctr keeps the last check's output (ctrctl status, inspect) and logs changes of state to the journal" },
        { "HealthMaxLogCount", C, N_, false, NULL, NULL, "ctr keeps the last check's output" },
        { "HealthMaxLogSize", C, N_, false, NULL, NULL, "ctr keeps the first 4 KiB of the last check's output" },
        { "HealthOnFailure", C, Y_, false, "HealthOnFailure", NULL, "none, kill, restart and stop" },
        { "HealthRetries", C, Y_, false, "HealthRetries", NULL, "the same number" },
        { "HealthStartPeriod", C, Y_, false, "HealthStartPeriod", quadlet_translate_duration,
          "Go durations become systemd's" },
        { "HealthStartupCmd", C, N_, false, NULL, NULL,
          "no separate startup check: HealthStartPeriod= lets a slow start fail checks uncounted" },
        { "HealthStartupInterval", C, N_, false, NULL, NULL, "no separate startup check" },
        { "HealthStartupRetries", C, N_, false, NULL, NULL, "no separate startup check" },
        { "HealthStartupSuccess", C, N_, false, NULL, NULL, "no separate startup check" },
        { "HealthStartupTimeout", C, N_, false, NULL, NULL, "no separate startup check" },
        { "HealthTimeout", C, Y_, false, "HealthTimeout", quadlet_translate_duration,
          "Go durations become systemd's" },
        { "HostName", C|P, Y_, false, "Hostname", quadlet_translate_hostname,
          "the same; a pod's goes to the member that owns the pod's namespaces" },
        { "HttpProxy", C, N_, false, NULL, NULL,
          "no proxy variables are passed into the container; name them with Environment=" },
        { "IP", C|P, N_, false, NULL, NULL, "addresses on ctr0 are leased, not chosen" },
        { "IP6", C|P, N_, false, NULL, NULL,
          "addresses on ctr0 are leased, not chosen: the IPv6 one follows the IPv4 lease (PREFIX::HOST)" },
        { "Image", C, P_, true, "Image", quadlet_translate_image,
          "references (docker:// dropped), NAME.image (its Image=) and NAME.build (its first ImageTag=, which "
          "you build and import); other transports are not translated" },
        { "Label", C|P, Y_, false, "Label", quadlet_translate_label,
          "the same KEY=VALUE words (ctrctl inspect shows them); io.containers.autoupdate also sets AutoUpdate=" },
        { "LogDriver", C, P_, false, NULL, quadlet_translate_log_driver,
          "journald and passthrough are what ctr does (the journal of ctr@NAME.service); other drivers are "
          "not translated" },
        { "LogOpt", C, N_, false, NULL, NULL, "the output goes to the journal: see journald.conf(5)" },
        { "Mask", C, Y_, true, "Mask", quadlet_translate_mask,
          "the colon-separated paths, whitespace-separated (each masked over ctr's own list)" },
        { "Memory", C, Y_, false, "MemoryMax", quadlet_translate_memory, "sizes, b k m g suffixes" },
        { "Mount", C, P_, true, "Volume=, Tmpfs=", quadlet_translate_mount,
          "type=bind and type=volume become Volume=, type=tmpfs Tmpfs=; image, devpts, glob, ramfs and "
          "artifact mounts are not translated" },
        { "Network", C|P, P_, true, "Network", quadlet_translate_network,
          "none, host, bridge (also podman's default, private, pasta, slirp4netns), container:NAME and "
          "NAME.container; NAME.network shares ctr0 (podman's networks reach one another too), except an "
          "Internal= or Options=isolate one, or a named network whose .network is not converted with it; "
          "ns:PATH is not translated" },
        { "NetworkAlias", C|P, N_, false, NULL, NULL,
          "containers on ctr0 are found by their name and Hostname= only" },
        { "NoNewPrivileges", C, Y_, true, "NoNewPrivileges", quadlet_translate_bool,
          "the same; unset, ctr's default is yes where podman's is no" },
        { "Notify", C, Y_, false, "Notify", quadlet_translate_notify, "true, false and healthy" },
        { "PidsLimit", C, Y_, false, "TasksMax", quadlet_translate_pids_limit, "a number; 0 and -1 are infinity" },
        { "Pod", C, Y_, false, "Network=container:", quadlet_translate_pod,
          "the first member by name owns the pod's network; the others join it (Network=container:, "
          "JoinNamespaces=ipc uts)" },
        { "PodName", P, N_, false, NULL, NULL, "no pod object: the members are containers of their own names" },
        { "PodmanArgs", C|P, N_, true, NULL, NULL,
          "podman command line options: translate them by hand (they may change the isolation)" },
        { "PublishPort", C|P, P_, true, "PublishPort", quadlet_translate_publish_port,
          "[IP:]HOSTPORT:PORT[/tcp|/udp] and ranges; a port without a host port (podman picks one), ports "
          "written with ${VARIABLES} and sctp are not translated" },
        { "Pull", C, Y_, false, "Pull", quadlet_translate_pull, "always, missing, never and newer" },
        { "ReadOnly", C, Y_, true, "ReadOnly", quadlet_translate_read_only,
          "the same; with ReadOnlyTmpfs= (default yes) /tmp, /var/tmp and /run get a Tmpfs=" },
        { "ReadOnlyTmpfs", C, Y_, false, "Tmpfs", quadlet_translate_read_only_tmpfs,
          "with ReadOnly=yes: Tmpfs= on /tmp, /var/tmp and /run (ctr's /dev and /dev/shm are writable)" },
        { "ReloadCmd", C, Y_, false, "[Service] ExecReload=", quadlet_translate_reload_cmd,
          "ExecReload=ctrctl exec NAME -- COMMAND" },
        { "ReloadSignal", C, Y_, false, "ReloadSignal", NULL, "the same signal names and numbers" },
        { "RemapGid", C|P, P_, true, "Group", quadlet_translate_remap_id,
          "deprecated: with RemapUsers=keep-id the group it runs as, with manual as GIDMap=, with auto dropped "
          "(ctr picks the range)" },
        { "RemapUid", C|P, P_, true, "User", quadlet_translate_remap_id,
          "deprecated: with RemapUsers=keep-id the user it runs as, with manual as UIDMap=, with auto dropped "
          "(ctr picks the range)" },
        { "RemapUidSize", C|P, N_, false, NULL, NULL, "deprecated: ctr's ranges have 65536 ids" },
        { "RemapUsers", C|P, P_, true, "PrivateUsers", quadlet_translate_remap_users,
          "deprecated: auto and keep-id as UserNS=; manual takes RemapUid= and RemapGid= as UIDMap= and "
          "GIDMap=" },
        { "Retry", C, N_, false, NULL, NULL, "a failed pull fails the start; Restart= in [Service] retries" },
        { "RetryDelay", C, N_, false, NULL, NULL, "a failed pull fails the start; RestartSec= in [Service]" },
        { "Rootfs", C, P_, true, "RootDirectory", quadlet_translate_rootfs,
          "a directory, kept read-only below the container's writable layer; idmap options are not "
          "translated" },
        { "RunInit", C, Y_, false, "Init", quadlet_translate_bool, "the same" },
        { "SeccompProfile", C, P_, true, "SeccompProfile", quadlet_translate_seccomp,
          "unconfined; a JSON profile is not read (ctr's profiles have their own syntax, ctr.ctr(5))" },
        { "Secret", C, P_, true, "Secret", quadlet_translate_secret,
          "podman's secret NAME (or source=NAME) becomes the systemd credential NAME: Secret=NAME[:TARGET] and "
          "[Service] LoadCredential=NAME (from /etc/credstore/NAME); type=env is a file below /run/secrets instead, "
          "a target outside /run/secrets is not translated" },
        { "SecurityLabelDisable", C, P_, false, NULL, quadlet_translate_security_label,
          "ctr applies no SELinux label, so disabling it is what happens" },
        { "SecurityLabelFileType", C, N_, true, NULL, NULL, "ctr applies no SELinux labels" },
        { "SecurityLabelLevel", C, N_, true, NULL, NULL, "ctr applies no SELinux labels" },
        { "SecurityLabelNested", C, N_, false, NULL, NULL, "ctr applies no SELinux labels" },
        { "SecurityLabelType", C, P_, true, NULL, quadlet_translate_security_label,
          "ctr applies no SELinux labels: spc_t and unconfined_t are what happens, other types are not "
          "translated" },
        { "ServiceName", C|P, P_, false, NULL, quadlet_translate_name,
          "becomes the container's name, so NAME.service becomes ctr@NAME.service" },
        { "ShmSize", C|P, Y_, false, "Tmpfs=/dev/shm", quadlet_translate_shm_size,
          "Tmpfs=/dev/shm:size=SIZE (ctr's default is 64M as podman's)" },
        { "StartWithPod", C, N_, false, NULL, NULL,
          "each member of a pod is its own service: start it (or enable it) as such" },
        { "StopSignal", C, Y_, false, "StopSignal", NULL, "the same signal names and numbers" },
        { "StopTimeout", C|P, Y_, false, "StopTimeoutSec", quadlet_translate_stop_timeout, "seconds" },
        { "SubGIDMap", C|P, P_, false, "PrivateUsers=pick", quadlet_translate_sub_id_map,
          "a user namespace: PrivateUsers=pick, a range from ctr's own pool rather than /etc/subgid's" },
        { "SubUIDMap", C|P, P_, false, "PrivateUsers=pick", quadlet_translate_sub_id_map,
          "a user namespace: PrivateUsers=pick, a range from ctr's own pool rather than /etc/subuid's" },
        { "Sysctl", C, P_, false, "Sysctl", quadlet_translate_sysctl,
          "the sysctls of the container's own network and IPC namespaces (net.*, kernel.msg*, kernel.sem, "
          "kernel.shm*, fs.mqueue.*), as Docker allows; others are not translated" },
        { "Timezone", C, P_, false, "Volume", quadlet_translate_timezone,
          "local and zone names become a read-only Volume= of the host's zone file on /etc/localtime" },
        { "Tmpfs", C, Y_, true, "Tmpfs", quadlet_translate_tmpfs,
          "size, mode, ro, rw, noexec, exec, nosuid, suid, nodev, dev; other options are not translated" },
        { "UIDMap", C|P, P_, true, "PrivateUsers", quadlet_translate_id_map,
          "one range 0:HOSTID:COUNT becomes PrivateUsers=HOSTID:COUNT; other maps are not translated" },
        { "Ulimit", C, Y_, false, "[Service] LimitNOFILE=…", quadlet_translate_ulimit,
          "NAME=SOFT[:HARD] becomes [Service] LimitNAME=, which the container inherits; host is not "
          "translated" },
        { "Unmask", C, N_, false, NULL, NULL,
          "ctr's masked and read-only paths of /proc and /sys stay as they are (ctr.ctr(5), Mask=)" },
        { "User", C, Y_, true, "User", quadlet_translate_user, "a number or a name; USER:GROUP also sets Group=" },
        { "UserNS", C|P, P_, true, "PrivateUsers", quadlet_translate_userns,
          "auto and private become PrivateUsers=pick, host no; keep-id (rootful: the host's ids in a "
          "namespace of their own) PrivateUsers=pick with idmap binds and User=, Group=; nomap, container: "
          "and ns: are not translated" },
        { "VolatileTmp", C, Y_, false, "Tmpfs=/tmp", quadlet_translate_volatile_tmp, "Tmpfs=/tmp" },
        { "Volume", C|P, P_, true, "Volume", quadlet_translate_volume,
          "host paths, names and NAME.volume, ro, rw, nosuid, suid, nodev, dev, noexec, rbind, bind, idmap; "
          "SELinux relabelling (z, Z) is dropped (ctr confines no container with SELinux); overlays (O) and "
          "anonymous volumes are not translated" },
        { "WorkingDir", C, Y_, false, "WorkingDirectory", NULL, "an absolute path" },
};

static int quadlet_key_compare(const void *a, const void *b) {
        return strcmp(a, ((const QuadletKey *) b)->name);
}

const QuadletKey *quadlet_key_find(const char *name) {
        if (!name)
                return NULL;
        return bsearch(name, quadlet_keys, ELEMENTSOF(quadlet_keys), sizeof(QuadletKey), quadlet_key_compare);
}

const QuadletKey *quadlet_key_nth(size_t i) {
        return i < ELEMENTSOF(quadlet_keys) ? &quadlet_keys[i] : NULL;
}

const char *quadlet_status_to_string(QuadletStatus s) {
        static const char *const table[_QUADLET_STATUS_MAX] = {
                [QUADLET_YES] = "Y",
                [QUADLET_PARTIAL] = "P",
                [QUADLET_NO] = "N",
        };
        return s >= 0 && s < _QUADLET_STATUS_MAX ? table[s] : NULL;
}

bool quadlet_key_first(const char *key) {
        /* keep-id adds idmap to the Volume= and Mount= binds, and RemapUid= and RemapGid= mean what
         * RemapUsers= says */
        return STR_IN_SET(key, "UserNS", "RemapUsers");
}

bool quadlet_key_lookup(const char *key, const char **ret_ctr) {
        const QuadletKey *k = quadlet_key_find(key);
        const char *ctr = NULL;

        if (!k || !(k->sections & QUADLET_CONTAINER))
                return false;
        /* Only the same setting under a plain key name ("WorkingDirectory") is a suggestion; a partial one
         * (UserNS= and PrivateUsers=), "Tmpfs=/dev/shm" or "[Service] …" are translations that `ctrctl
         * convert` makes. */
        if (k->status == QUADLET_YES && k->ctr && in_charset(k->ctr, LETTERS))
                ctr = k->ctr;
        if (ret_ctr)
                *ret_ctr = ctr;
        return true;
}
