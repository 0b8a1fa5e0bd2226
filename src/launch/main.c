/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-launch: runs one container. This file is its command line: the options, loading the .ctr and planning
 * every privileged step (plan.h); --print-plan stops there. The run itself is the parent's (parent.h: clone,
 * scope, release, monitor) and the child's (child.h: what happens in the new namespaces before exec).
 *
 * Exit statuses: the workload's own (128+N when killed by signal N); 125 when the container could not be set
 * up (an Image= not in the store, or a pull that failed, among them); 126 when the command could not be executed; 127 when it was not found; 1 for a bad command line or
 * a bad .ctr file. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor.h"
#include "child.h"
#include "ctr-file.h"
#include "devices.h"
#include "diagnostics.h"
#include "fileio.h"
#include "image-launch.h"
#include "log.h"
#include "network.h"
#include "parent.h"
#include "paths.h"
#include "plan.h"
#include "pull-start.h"
#include "resolv-conf.h"
#include "secrets.h"
#include "string-util.h"
#include "strv.h"
#include "userns-launch.h"
#include "version.h"

static bool arg_no_scope = false;
static bool arg_print_plan = false;
static bool arg_no_pty = false;
static bool arg_restore_network = false;
static char **arg_config_path = NULL;

static void help(void) {
        printf("%s [OPTIONS…] NAME|FILE\n"
               "%s --restore-network\n\n"
               "Run a container: NAME from the .ctr search path, or FILE (any path containing '/').\n\n"
               "  -h --help              Show this help\n"
               "     --version           Show the version\n"
               "     --no-scope          Do not ask systemd for a scope (run without systemd)\n"
               "     --config-path=DIRS  Search the .ctr in these directories (colon-separated)\n"
               "     --print-plan        Print the planned operations and exit\n"
               "     --no-pty            No pty for the container: a terminal on stdio is relayed through pipes\n"
               "     --restore-network   Put back the nftables table and the published ports of the running\n"
               "                         bridged containers (after a flush of the ruleset), then exit\n",
               program_invocation_short_name, program_invocation_short_name);
}

static int parse_argv(int argc, char *argv[]) {
        enum {
                ARG_VERSION = 0x100,
                ARG_NO_SCOPE,
                ARG_CONFIG_PATH,
                ARG_PRINT_PLAN,
                ARG_NO_PTY,
                ARG_RESTORE_NETWORK,
        };
        static const struct option options[] = {
                { "help",        no_argument,       NULL, 'h'             },
                { "version",     no_argument,       NULL, ARG_VERSION     },
                { "no-scope",    no_argument,       NULL, ARG_NO_SCOPE    },
                { "config-path", required_argument, NULL, ARG_CONFIG_PATH },
                { "print-plan",  no_argument,       NULL, ARG_PRINT_PLAN  },
                { "no-pty",      no_argument,       NULL, ARG_NO_PTY      },
                { "restore-network", no_argument,   NULL, ARG_RESTORE_NETWORK },
                {}
        };
        int c, r;

        /* "+": stop at the first non-option, so nothing after NAME is taken for ours */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("ctr-launch %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_NO_SCOPE:
                        arg_no_scope = true;
                        break;
                case ARG_CONFIG_PATH:
                        arg_config_path = strv_free(arg_config_path);
                        r = strv_split(optarg, ":", &arg_config_path);
                        if (r < 0)
                                return log_oom();
                        break;
                case ARG_PRINT_PLAN:
                        arg_print_plan = true;
                        break;
                case ARG_NO_PTY:
                        arg_no_pty = true;
                        break;
                case ARG_RESTORE_NETWORK:
                        arg_restore_network = true;
                        break;
                default:
                        return -EINVAL;
                }

        if (arg_restore_network) {
                if (optind != argc)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "--restore-network takes no NAME or FILE.");
                return 1;
        }
        if (optind != argc - 1)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Expected exactly one NAME or FILE, see --help.");
        return 1;
}

static int load(const char *arg, Container **ret) {
        _cleanup_strv_free_ char **search = NULL;
        Diagnostics diag = {};
        int r, k;

        if (arg_config_path)
                r = strv_copy(arg_config_path, &search);
        else
                r = ctr_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");

        if (strchr(arg, '/'))
                r = container_load_file(arg, NULL, arg_config_path ? search : NULL, &diag, ret);
        else if (!container_name_is_valid(arg))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Invalid container name '%s'.", arg);
        else
                r = container_load(arg, search, &diag, ret);

        k = diagnostics_log(&diag, 0);
        diagnostics_clear(&diag);
        if (k < 0)
                return k;

        if (r == -ENOENT && !strchr(arg, '/')) {
                _cleanup_free_ char *j = NULL;
                (void) strv_join(search, ":", &j);
                return log_error_errno(r, "No container '%s' on the search path %s.", arg, strna(j));
        }
        if (r == -ERFKILL)
                return log_error_errno(r, "Container '%s' is masked.", arg);
        if (r == -EBADMSG)
                return log_error_errno(r, "Container '%s' rejected, see the errors above.", arg);
        if (r < 0)
                return log_error_errno(r, "Failed to load container '%s': %m", arg);
        return 0;
}

/* JoinNamespaces=uts: the hostname the joined container has, for our /etc/hostname and /etc/hosts: its
 * Hostname= or its name. Its file may have changed since it started; the name is what it most likely has. */
static char *joined_hostname(const Container *c) {
        _cleanup_container_free_ Container *other = NULL;
        _cleanup_strv_free_ char **search = NULL;
        Diagnostics diag = {};

        if (!(c->join_namespaces & JOIN_NAMESPACE_UTS) || !container_joins(c))
                return NULL;
        if (arg_config_path ? strv_copy(arg_config_path, &search) >= 0 : ctr_search_path(&search) >= 0)
                (void) container_load(container_joins(c), search, &diag, &other);
        diagnostics_clear(&diag);
        return strdup(other ? container_hostname(other) : container_joins(c));
}

/* The re-executed child (launch_child_reexecuted()): same arguments, same file, same image (the parent
 * holds the container's lock and laid out its root already). */
static _Noreturn void run_child(int argc, char *argv[]) {
        _cleanup_container_free_ Container *c = NULL;
        LaunchImage li = {};

        log_set_max_level(LOG_ERR); /* the parent printed the warnings already */
        if (parse_argv(argc, argv) <= 0 || load(argv[optind], &c) < 0 ||
            launch_image_resolve(c, state_dir(), &li) < 0)
                _exit(EXIT_SETUP);
        launch_child_run_reexecuted(c, li.image ? &li.plan : NULL);
}

static int run(int argc, char *argv[]) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(launch_image_done) LaunchImage li = {};
        _cleanup_strv_free_ char **credentials = NULL;
        _cleanup_plan_free_ Plan *p = NULL;
        const char *reason = NULL;
        PlanOptions o = {};
        int r;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        if (arg_restore_network) {
                unsigned leases, elements;

                r = network_restore(&leases, &elements);
                log_info("Put back %u published ports of %u containers on the bridge.", elements, leases);
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }

        launch_log_phase(argv[optind], "the launcher runs");
        r = load(argv[optind], &c);
        if (r < 0)
                return EXIT_FAILURE;
        launch_log_phase(c->name, "its file loaded");

        /* The generated unit carries the stamp of the files the generator read: another stamp now means an
         * edit without daemon-reload, so systemd's view of the unit (limits, [Service]) may be stale. Stamps,
         * not hashes: hashing would load libcrypto into every start (config-hash.h). A unit of a generator
         * before stamps has CTR_CONFIG_HASH= only, and is as stale. */
        const char *stamp = getenv("CTR_CONFIG_STAMP");
        if ((stamp || getenv("CTR_CONFIG_HASH")) && !streq_ptr(stamp, c->config_stamp))
                log_warning("Container '%s' changed since the last 'systemctl daemon-reload'; "
                            "starting the new configuration, the unit's settings may be stale.", c->name);

        if (c->n_ports > 0 && c->network != NETWORK_BRIDGE)
                log_warning("Container '%s': PublishPort= needs Network=bridge, ignoring it.", c->name);

        plan_options_from_environment(&o);
        /* Pull= (pull-start.h): from the registry first when the policy says so; a failed pull fails the start */
        r = arg_print_plan ? 0 : launch_pull(c, o.state_dir);
        if (r < 0 && r != -ENOENT)
                return EXIT_SETUP;
        /* Image=REF: resolved in the store now, its config applied; a missing image fails the start */
        if (launch_image_resolve(c, o.state_dir, &li) < 0)
                return EXIT_SETUP;
        o.image = li.image ? &li.plan : NULL;
        UsernsRange userns;
        if (launch_userns_range(c, arg_print_plan, &userns, &o.userns) < 0)
                return EXIT_SETUP;
        if (c->network == NETWORK_BRIDGE)
                o.resolv_conf = network_resolv_conf_source();
        /* DNS=, DNSSearch=, DNSOption=: the host's file with those replaced */
        _cleanup_free_ char *resolv_host = NULL, *resolv_text = NULL;
        if (resolv_conf_is_custom(c)) {
                r = read_full_file_at(AT_FDCWD, o.resolv_conf ?: "/etc/resolv.conf", 65536, &resolv_host, NULL);
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r, "Failed to read %s, the container's resolv.conf has DNS= alone: %m",
                                          o.resolv_conf ?: "/etc/resolv.conf");
                if (resolv_conf_build(resolv_host, c, &resolv_text) < 0) {
                        log_oom();
                        return EXIT_SETUP;
                }
                o.resolv_conf_text = resolv_text;
        }
        _cleanup_free_ char *hostname = joined_hostname(c);
        o.hostname = hostname;
        /* the service's credentials (secrets.h): a Secret= systemd passed nothing for fails the start, not the
         * plan, which shows what the file asks for */
        if (launch_credentials_list(&credentials) < 0 ||
            (!arg_print_plan && launch_secrets_check(c, credentials) < 0))
                return EXIT_SETUP;
        /* AddDevice=: what each host path leads to now is a device, or the start fails naming the line */
        if (!arg_print_plan) {
                const char *apparmor = NULL;

                /* the profile the container will enter (a refusal of AppArmorProfile= comes later, named);
                 * asked only when there is a device to check, not on every start */
                if (c->n_devices > 0 &&
                    apparmor_profile_wanted(c->apparmor_profile, apparmor_enabled(), &apparmor) < 0)
                        apparmor = NULL;
                if (launch_devices_check(c, apparmor) < 0)
                        return EXIT_SETUP;
        }
        o.credentials = credentials;
        r = plan_build(c, &o, &p, &reason);
        if (r < 0) {
                if (reason)
                        log_error_errno(r, "Container '%s': %s.", c->name, reason);
                else
                        log_error_errno(r, "Failed to plan container '%s': %m", c->name);
                return EXIT_SETUP;
        }

        if (arg_print_plan)
                return plan_dump(p, stdout) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        launch_log_phase(c->name, "planned");

        return launch_run(c, p, &(LaunchOptions) {
                .no_scope = arg_no_scope,
                .no_pty = arg_no_pty,
                .argv = argv,
                .image = &li,
        });
}

int main(int argc, char *argv[]) {
        int r;

        /* 0, 1 and 2 open whatever we were given: no socket or lock of ours may land on them and then be
         * passed to the workload as its stdio (or be closed as if it were). */
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
                        return EXIT_FAILURE;

        log_set_program_name("ctr-launch");
        log_parse_environment();
        if (launch_child_reexecuted())
                run_child(argc, argv);
        r = run(argc, argv);
        arg_config_path = strv_free(arg_config_path);
        return r;
}
