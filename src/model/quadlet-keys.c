/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "quadlet-keys.h"

/* Sorted by name (bsearch). */
typedef struct QuadletKey {
        const char *name;
        const char *ctr;
} QuadletKey;

static const QuadletKey quadlet_keys[] = {
        { "AddDevice",              NULL               },
        { "AddHost",                NULL               },
        { "Annotation",             NULL               },
        { "AppArmor",               NULL               },
        { "CgroupsMode",            NULL               },
        { "ContainerName",          NULL               },
        { "ContainersConfModule",   NULL               },
        { "DNS",                    NULL               },
        { "DNSOption",              NULL               },
        { "DNSSearch",              NULL               },
        { "Entrypoint",             "Exec"             },
        { "EnvironmentHost",        NULL               },
        { "ExposeHostPort",         NULL               },
        { "GIDMap",                 NULL               },
        { "GlobalArgs",             NULL               },
        { "GroupAdd",               "SupplementaryGroups" },
        { "HealthLogDestination",   NULL               },
        { "HealthMaxLogCount",      NULL               },
        { "HealthMaxLogSize",       NULL               },
        { "HealthStartupCmd",       NULL               },
        { "HealthStartupInterval",  NULL               },
        { "HealthStartupRetries",   NULL               },
        { "HealthStartupSuccess",   NULL               },
        { "HealthStartupTimeout",   NULL               },
        { "HostName",               "Hostname"         },
        { "IP",                     NULL               },
        { "IP6",                    NULL               },
        { "Label",                  NULL               },
        { "LogDriver",              NULL               },
        { "LogOpt",                 NULL               },
        { "Mask",                   NULL               },
        { "Memory",                 "MemoryMax"        },
        { "Mount",                  NULL               },
        { "NetworkAlias",           NULL               },
        { "PidsLimit",              "TasksMax"         },
        { "Pod",                    NULL               },
        { "PodmanArgs",             NULL               },
        { "ReadOnlyTmpfs",          NULL               },
        { "ReloadCmd",              NULL               },
        { "RemapGid",               NULL               },
        { "RemapUid",               NULL               },
        { "RemapUidSize",           NULL               },
        { "RemapUsers",             NULL               },
        { "Retry",                  NULL               },
        { "RetryDelay",             NULL               },
        { "Rootfs",                 "RootDirectory"    },
        { "RunInit",                "Init"             },
        { "SecurityLabelDisable",   NULL               },
        { "SecurityLabelFileType",  NULL               },
        { "SecurityLabelLevel",     NULL               },
        { "SecurityLabelNested",    NULL               },
        { "SecurityLabelType",      NULL               },
        { "ShmSize",                NULL               },
        { "StartWithPod",           NULL               },
        { "StopTimeout",            "StopTimeoutSec"   },
        { "SubGIDMap",              NULL               },
        { "SubUIDMap",              NULL               },
        { "Sysctl",                 NULL               },
        { "Timezone",               NULL               },
        { "UIDMap",                 NULL               },
        { "Ulimit",                 NULL               },
        { "Unmask",                 NULL               },
        { "UserNS",                 NULL               },
        { "WorkingDir",             "WorkingDirectory" },
};

static int quadlet_key_compare(const void *a, const void *b) {
        return strcmp(a, ((const QuadletKey *) b)->name);
}

bool quadlet_key_lookup(const char *key, const char **ret_ctr) {
        const QuadletKey *q;

        q = bsearch(key, quadlet_keys, ELEMENTSOF(quadlet_keys), sizeof(QuadletKey), quadlet_key_compare);
        if (!q)
                return false;
        if (ret_ctr)
                *ret_ctr = q->ctr;
        return true;
}
