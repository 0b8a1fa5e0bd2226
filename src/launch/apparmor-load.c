/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor-load.h"
#include "apparmor.h"
#include "log.h"
#include "macro.h"
#include "path-util.h"
#include "string-util.h"

extern char **environ;

static int run_parser(const char *parser, const char *file) {
        const char *argv[] = { "apparmor_parser", "-Kr", file, NULL };
        posix_spawn_file_actions_t fa;
        int r, status;
        pid_t pid;

        r = posix_spawn_file_actions_init(&fa);
        if (r != 0)
                return -r;
        r = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (r == 0)
                r = posix_spawn(&pid, parser, &fa, NULL, (char *const *) argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return -r;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int launch_apparmor_prepare(const Plan *p) {
        _cleanup_free_ char *parser = NULL;
        int r;

        if (!p->apparmor) {
                log_debug("AppArmor is not enabled on this machine: the container runs without an AppArmor profile.");
                return 0;
        }
        if (!p->apparmor_profile || !streq(p->apparmor_profile, APPARMOR_DEFAULT_PROFILE))
                return 0;       /* none, or the operator's own, which must be loaded already */

        r = apparmor_profile_loaded(APPARMOR_DEFAULT_PROFILE);
        if (r > 0)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Failed to read the loaded AppArmor profiles: %m");

        r = find_executable("apparmor_parser", NULL, &parser);
        if (r < 0) {
                log_notice("AppArmor is enabled, but apparmor_parser is not installed to load profile '%s' (%s): "
                           "the container runs without an AppArmor profile.", APPARMOR_DEFAULT_PROFILE,
                           CTR_APPARMOR_PROFILE_PATH);
                return 0;
        }
        r = run_parser(parser, CTR_APPARMOR_PROFILE_PATH);
        if (r < 0)
                return log_error_errno(r, "Failed to run %s: %m", parser);
        if (r > 0)
                return log_error_errno(SYNTHETIC_ERRNO(EBADMSG),
                                       "Failed to load AppArmor profile '%s': '%s -Kr %s' exited with status %i.",
                                       APPARMOR_DEFAULT_PROFILE, parser, CTR_APPARMOR_PROFILE_PATH, r);
        log_debug("Loaded AppArmor profile '%s' from %s.", APPARMOR_DEFAULT_PROFILE, CTR_APPARMOR_PROFILE_PATH);
        return 0;
}
