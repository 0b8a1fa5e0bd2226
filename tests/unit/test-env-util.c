/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "container-exec.h"
#include "env-util.h"

/* Minimal harness until tests/unit/test.h exists. */
static unsigned n_passed, n_failed;
#define CHECK(expr)                                                                             \
        do {                                                                                    \
                if (expr)                                                                       \
                        n_passed++;                                                             \
                else {                                                                          \
                        n_failed++;                                                             \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                }                                                                               \
        } while (0)

static char base[PATH_MAX];

static size_t env_count(char **env) {
        size_t n = 0;

        while (env && env[n])
                n++;
        return n;
}

static bool env_is(char **env, const char *name, const char *value) {
        const char *v = env_get(env, name);

        if (!v || !streq(v, value)) {
                fprintf(stderr, "  %s: expected '%s', got '%s'\n", name, value, v ?: "(unset)");
                return false;
        }
        return true;
}

static void test_names(void) {
        CHECK(env_name_is_valid("PATH"));
        CHECK(env_name_is_valid("_x1"));
        CHECK(env_name_is_valid("a"));
        CHECK(!env_name_is_valid(""));
        CHECK(!env_name_is_valid(NULL));
        CHECK(!env_name_is_valid("1A"));
        CHECK(!env_name_is_valid("A-B"));
        CHECK(!env_name_is_valid("A B"));
        CHECK(!env_name_is_valid("export A"));
        CHECK(!env_name_is_valid("Ä"));

        CHECK(env_assignment_is_valid("A="));
        CHECK(env_assignment_is_valid("A=b=c"));
        CHECK(env_assignment_is_valid("A=ümlaut"));
        CHECK(env_assignment_is_valid("A=line\nbreak"));
        CHECK(!env_assignment_is_valid("A"));
        CHECK(!env_assignment_is_valid("=b"));
        CHECK(!env_assignment_is_valid("A=\xff"));
        CHECK(!env_assignment_is_valid("A=\xc0\x80"));  /* overlong NUL */
        CHECK(!env_assignment_is_valid("A=\xed\xa0\x80"));  /* surrogate */
}

static void test_set(void) {
        char **env = NULL;

        CHECK(env_set(&env, "A=1") == 0);
        CHECK(env_set(&env, "B=2") == 0);
        CHECK(env_set(&env, "AB=3") == 0);
        CHECK(env_set(&env, "A=4") == 0);
        CHECK(env_set(&env, "bad name=1") == -EINVAL);
        CHECK(env_count(env) == 3);
        CHECK(streq(env[0], "A=4") && streq(env[1], "B=2") && streq(env[2], "AB=3"));
        CHECK(env_get(env, "C") == NULL);
        CHECK(env_get(env, "") == NULL);
        env_free(env);
}

static void test_parse(void) {
        char **env = NULL;

        CHECK(env_file_parse(
                      "# comment\n"
                      "; also a comment\n"
                      "   # indented comment \\\n"
                      "continued comment=yes\n"
                      "\n"
                      "PLAIN=value\n"
                      "  SPACED  =   spaced value   \n"
                      "EMPTY=\n"
                      "SQ='single $HOME \\n \"x\"'\n"
                      "DQ=\"double \\\"q\\\" \\\\ \\$ \\` \\n\"\n"
                      "ESC=a\\ b\\\\c\\#\n"
                      "JOINED=one\\\n"
                      "two\n"
                      "MULTI=\"line1\n"
                      "line2\"\n"
                      "CONCAT='a'\"b\"c\n"
                      "export EXPORTED=ignored\n"
                      "1BAD=ignored\n"
                      "NOEQUALS\n"
                      "HASH=a # not a comment\n"
                      "CRLF=win\r\n"
                      "PLAIN=overridden\n"
                      "LAST=no newline",
                      &env) == 0);

        CHECK(env_is(env, "PLAIN", "overridden"));
        CHECK(env_is(env, "SPACED", "spaced value"));
        CHECK(env_is(env, "EMPTY", ""));
        CHECK(env_is(env, "SQ", "single $HOME \\n \"x\""));
        CHECK(env_is(env, "DQ", "double \"q\" \\ $ ` \\n"));
        CHECK(env_is(env, "ESC", "a b\\c#"));
        CHECK(env_is(env, "JOINED", "onetwo"));
        CHECK(env_is(env, "MULTI", "line1\nline2"));
        CHECK(env_is(env, "CONCAT", "abc"));
        CHECK(env_is(env, "HASH", "a # not a comment"));
        CHECK(env_is(env, "CRLF", "win"));
        CHECK(env_is(env, "LAST", "no newline"));
        CHECK(env_get(env, "EXPORTED") == NULL);
        CHECK(env_get(env, "export EXPORTED") == NULL);
        CHECK(env_get(env, "1BAD") == NULL);
        CHECK(env_get(env, "NOEQUALS") == NULL);
        CHECK(env_get(env, "continued comment") == NULL);
        CHECK(env_count(env) == 12);
        /* first-assignment order */
        CHECK(env && strncmp(env[0], "PLAIN=", 6) == 0);
        env_free(env);

        env = NULL;
        CHECK(env_file_parse("", &env) == 0 && env_count(env) == 0);
        env_free(env);
        env = NULL;
        CHECK(env_file_parse("UNTERMINATED=\"abc", &env) == 0 && env_is(env, "UNTERMINATED", "abc"));
        env_free(env);
        env = NULL;
        CHECK(env_file_parse("BADUTF=\xff\xfe\nOK=1\n", &env) == 0);
        CHECK(env_get(env, "BADUTF") == NULL && env_is(env, "OK", "1"));
        env_free(env);
}

static void write_file(const char *name, const char *contents, char *path, size_t size) {
        FILE *f;

        snprintf(path, size, "%s/%s", base, name);
        f = fopen(path, "we");
        if (!f) {
                perror(path);
                abort();
        }
        fputs(contents, f);
        fclose(f);
}

static void test_load(void) {
        char p[PATH_MAX + 64];
        char **env = NULL;
        int fd;

        write_file("env1", "A=1\nB='two words'\n", p, sizeof(p));
        CHECK(env_file_load(p, &env) == 0 && env_count(env) == 2 && env_is(env, "B", "two words"));
        env_free(env);

        snprintf(p, sizeof(p), "%s/missing", base);
        CHECK(env_file_load(p, &env) == -ENOENT);
        CHECK(env_file_load(base, &env) == -EISDIR);

        snprintf(p, sizeof(p), "%s/big", base);
        fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        CHECK(fd >= 0 && ftruncate(fd, ENV_FILE_SIZE_MAX + 1) == 0);
        close(fd);
        CHECK(env_file_load(p, &env) == -EFBIG);

        CHECK(env_file_load("/dev/null", &env) == -EBADFD);
}

static void test_build(void) {
        char f1[PATH_MAX + 64], f2[PATH_MAX + 64], missing[PATH_MAX + 64], optional[PATH_MAX + 64];
        ExecCredentials cred = {
                .uid = 1001,
                .gid = 1001,
                .user_name = (char *) "app",
                .home = (char *) "/home/app",
                .shell = (char *) "/bin/ash",
        };
        ExecError err = {};
        char **env = NULL;

        write_file("f1", "FROM_FILE=1\nSHARED=file1\nPATH=/file/bin\n", f1, sizeof(f1));
        write_file("f2", "SHARED=file2\n", f2, sizeof(f2));
        snprintf(missing, sizeof(missing), "%s/missing", base);
        snprintf(optional, sizeof(optional), "-%s/missing", base);

        Container c = { .name = (char *) "web" };

        /* defaults only */
        CHECK(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == 0);
        CHECK(env_is(env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        CHECK(env_is(env, "HOME", "/home/app"));
        CHECK(env_is(env, "USER", "app"));
        CHECK(env_is(env, "LOGNAME", "app"));
        CHECK(env_is(env, "SHELL", "/bin/ash"));
        CHECK(env_is(env, "container", "ctr"));
        CHECK(env_is(env, "HOSTNAME", "web"));
        CHECK(env_get(env, "TERM") == NULL);
        CHECK(env_count(env) == 7);
        env_free(env);

        /* a user without a name: no USER/LOGNAME; TERM; Hostname= */
        ExecCredentials numeric = { .uid = 4242, .home = (char *) "/", .shell = (char *) "/bin/sh" };
        c.hostname = (char *) "box";
        CHECK(container_build_environment(&c, &numeric, "xterm-256color", NULL, NULL, &env, &err) == 0);
        CHECK(env_get(env, "USER") == NULL && env_get(env, "LOGNAME") == NULL);
        CHECK(env_is(env, "HOME", "/") && env_is(env, "TERM", "xterm-256color") && env_is(env, "HOSTNAME", "box"));
        env_free(env);

        /* precedence: defaults < image < files (in order) < Environment= < extra */
        char *image_env[] = { (char *) "PATH=/image/bin", (char *) "IMAGE=1", (char *) "SHARED=image", NULL };
        char *files[] = { f1, optional, f2, NULL };
        char *environment[] = { (char *) "SHARED=env", (char *) "ENV=1", (char *) "EXTRA=env", NULL };
        char *extra[] = { (char *) "EXTRA=extra", NULL };

        c.environment_files = files;
        CHECK(container_build_environment(&c, &cred, NULL, image_env, NULL, &env, &err) == 0);
        CHECK(env_is(env, "PATH", "/file/bin"));
        CHECK(env_is(env, "SHARED", "file2"));
        CHECK(env_is(env, "IMAGE", "1") && env_is(env, "FROM_FILE", "1"));
        env_free(env);

        c.environment = environment;
        CHECK(container_build_environment(&c, &cred, NULL, image_env, extra, &env, &err) == 0);
        CHECK(env_is(env, "SHARED", "env"));
        CHECK(env_is(env, "EXTRA", "extra"));
        CHECK(env_is(env, "ENV", "1"));
        CHECK(env && streq(env[0], "PATH=/file/bin"));   /* overriding keeps the position */
        env_free(env);

        /* a missing EnvironmentFile= without '-' is an error naming it */
        char *files_missing[] = { missing, NULL };
        c.environment_files = files_missing;
        env = NULL;
        CHECK(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == -ENOENT);
        CHECK(env == NULL && err.error == ENOENT && strstr(err.message, "EnvironmentFile=") &&
              strstr(err.message, missing));
        c.environment_files = NULL;

        /* invalid Environment= is an error */
        char *bad[] = { (char *) "GOOD=1", (char *) "NOT VALID=1", NULL };
        c.environment = bad;
        CHECK(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == -EINVAL);
        CHECK(strstr(err.message, "NOT VALID=1") != NULL);
        c.environment = NULL;

        char *bad_extra[] = { (char *) "=x", NULL };
        CHECK(container_build_environment(&c, &cred, NULL, NULL, bad_extra, &env, &err) == -EINVAL);
}

int main(void) {
        char cmd[PATH_MAX + 16];

        snprintf(base, sizeof(base), "/tmp/test-env-util.XXXXXX");
        if (!mkdtemp(base)) {
                perror("mkdtemp");
                return 1;
        }

        test_names();
        test_set();
        test_parse();
        test_load();
        test_build();

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
        if (system(cmd) != 0)
                fprintf(stderr, "Failed to remove %s\n", base);

        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed > 0;
}
