/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "container-exec.h"
#include "env-util.h"
#include "name-util.h"
#include "test.h"

static char *base;

/* One scratch directory for the whole program. */
__attribute__((constructor)) static void base_setup(void) {
        base = test_mkdtemp();
        if (!base)
                abort();
}

__attribute__((destructor)) static void base_cleanup(void) {
        test_rm_rf(base);
        free(base);
}

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

TEST(names) {
        ASSERT_TRUE(env_name_is_valid("PATH"));
        ASSERT_TRUE(env_name_is_valid("_x1"));
        ASSERT_TRUE(env_name_is_valid("a"));
        ASSERT_TRUE(!env_name_is_valid(""));
        ASSERT_TRUE(!env_name_is_valid(NULL));
        ASSERT_TRUE(!env_name_is_valid("1A"));
        ASSERT_TRUE(!env_name_is_valid("A-B"));
        ASSERT_TRUE(!env_name_is_valid("A B"));
        ASSERT_TRUE(!env_name_is_valid("export A"));
        ASSERT_TRUE(!env_name_is_valid("Ä"));

        ASSERT_TRUE(env_assignment_is_valid("A="));
        ASSERT_TRUE(env_assignment_is_valid("A=b=c"));
        ASSERT_TRUE(env_assignment_is_valid("A=ümlaut"));
        ASSERT_TRUE(env_assignment_is_valid("A=line\nbreak"));
        ASSERT_TRUE(!env_assignment_is_valid("A"));
        ASSERT_TRUE(!env_assignment_is_valid("=b"));
        ASSERT_TRUE(!env_assignment_is_valid("A=\xff"));
        ASSERT_TRUE(!env_assignment_is_valid("A=\xc0\x80"));  /* overlong NUL */
        ASSERT_TRUE(!env_assignment_is_valid("A=\xed\xa0\x80"));  /* surrogate */
}

TEST(set) {
        char **env = NULL;

        ASSERT_TRUE(env_set(&env, "A=1") == 0);
        ASSERT_TRUE(env_set(&env, "B=2") == 0);
        ASSERT_TRUE(env_set(&env, "AB=3") == 0);
        ASSERT_TRUE(env_set(&env, "A=4") == 0);
        ASSERT_TRUE(env_set(&env, "bad name=1") == -EINVAL);
        ASSERT_TRUE(env_count(env) == 3);
        ASSERT_TRUE(streq(env[0], "A=4") && streq(env[1], "B=2") && streq(env[2], "AB=3"));
        ASSERT_TRUE(env_get(env, "C") == NULL);
        ASSERT_TRUE(env_get(env, "") == NULL);
        env_free(env);
}

TEST(parse) {
        char **env = NULL;

        ASSERT_TRUE(env_file_parse(
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

        ASSERT_TRUE(env_is(env, "PLAIN", "overridden"));
        ASSERT_TRUE(env_is(env, "SPACED", "spaced value"));
        ASSERT_TRUE(env_is(env, "EMPTY", ""));
        ASSERT_TRUE(env_is(env, "SQ", "single $HOME \\n \"x\""));
        ASSERT_TRUE(env_is(env, "DQ", "double \"q\" \\ $ ` \\n"));
        ASSERT_TRUE(env_is(env, "ESC", "a b\\c#"));
        ASSERT_TRUE(env_is(env, "JOINED", "onetwo"));
        ASSERT_TRUE(env_is(env, "MULTI", "line1\nline2"));
        ASSERT_TRUE(env_is(env, "CONCAT", "abc"));
        ASSERT_TRUE(env_is(env, "HASH", "a # not a comment"));
        ASSERT_TRUE(env_is(env, "CRLF", "win"));
        ASSERT_TRUE(env_is(env, "LAST", "no newline"));
        ASSERT_TRUE(env_get(env, "EXPORTED") == NULL);
        ASSERT_TRUE(env_get(env, "export EXPORTED") == NULL);
        ASSERT_TRUE(env_get(env, "1BAD") == NULL);
        ASSERT_TRUE(env_get(env, "NOEQUALS") == NULL);
        ASSERT_TRUE(env_get(env, "continued comment") == NULL);
        ASSERT_TRUE(env_count(env) == 12);
        /* first-assignment order */
        ASSERT_TRUE(env && strncmp(env[0], "PLAIN=", 6) == 0);
        env_free(env);

        /* a lone CR ends a line, as in systemd; inside quotes it is kept (and then refused as a control
         * character) */
        env = NULL;
        ASSERT_TRUE(env_file_parse("A=b\rB=c\r# x\rC=d\\\re\n", &env) == 0);
        ASSERT_TRUE(env_is(env, "A", "b") && env_is(env, "B", "c") && env_is(env, "C", "de"));
        env_free(env);

        env = NULL;
        ASSERT_TRUE(env_file_parse("", &env) == 0 && env_count(env) == 0);
        env_free(env);
        env = NULL;
        ASSERT_TRUE(env_file_parse("UNTERMINATED=\"abc", &env) == 0 && env_is(env, "UNTERMINATED", "abc"));
        env_free(env);
        env = NULL;
        ASSERT_TRUE(env_file_parse("BADUTF=\xff\xfe\nOK=1\n", &env) == 0);
        ASSERT_TRUE(env_get(env, "BADUTF") == NULL && env_is(env, "OK", "1"));
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

TEST(load) {
        char p[PATH_MAX + 64];
        char **env = NULL;
        int fd;

        write_file("env1", "A=1\nB='two words'\n", p, sizeof(p));
        ASSERT_TRUE(env_file_load(p, &env) == 0 && env_count(env) == 2 && env_is(env, "B", "two words"));
        env_free(env);

        snprintf(p, sizeof(p), "%s/missing", base);
        ASSERT_TRUE(env_file_load(p, &env) == -ENOENT);
        ASSERT_TRUE(env_file_load(base, &env) == -EISDIR);

        snprintf(p, sizeof(p), "%s/big", base);
        fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0 && ftruncate(fd, ENV_FILE_SIZE_MAX + 1) == 0);
        close(fd);
        ASSERT_TRUE(env_file_load(p, &env) == -EFBIG);

        ASSERT_TRUE(env_file_load("/dev/null", &env) == -EBADFD);
}

/* The parser's own bound on a name or a value, for contents that did not come through env_file_load(): a
 * value of ENV_FILE_SIZE_MAX - 1 bytes is read (and skipped: longer than ENV_ASSIGNMENT_MAX), one more
 * byte is -EFBIG. */
TEST(parse_bound) {
        size_t n = 2 + ENV_FILE_SIZE_MAX;
        char *text = malloc(n + 1);
        char **env = NULL;

        ASSERT_TRUE(text != NULL);
        memcpy(text, "K=", 2);
        memset(text + 2, 'a', n - 2);
        text[n - 1] = '\0';
        ASSERT_TRUE(env_file_parse(text, &env) == 0 && env_count(env) == 0);
        env_free(env);
        env = NULL;

        text[n - 1] = 'a';
        text[n] = '\0';
        ASSERT_TRUE(env_file_parse(text, &env) == -EFBIG);
        free(text);
}

TEST(build) {
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
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == 0);
        ASSERT_TRUE(env_is(env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        ASSERT_TRUE(env_is(env, "HOME", "/home/app"));
        ASSERT_TRUE(env_is(env, "USER", "app"));
        ASSERT_TRUE(env_is(env, "LOGNAME", "app"));
        ASSERT_TRUE(env_is(env, "SHELL", "/bin/ash"));
        ASSERT_TRUE(env_is(env, "container", "ctr"));
        ASSERT_TRUE(env_is(env, "HOSTNAME", "web"));
        ASSERT_TRUE(env_get(env, "TERM") == NULL);
        ASSERT_TRUE(env_count(env) == 7);
        env_free(env);

        /* a user without a name: no USER/LOGNAME; TERM; Hostname= */
        ExecCredentials numeric = { .uid = 4242, .home = (char *) "/", .shell = (char *) "/bin/sh" };
        c.hostname = (char *) "box";
        ASSERT_TRUE(container_build_environment(&c, &numeric, "xterm-256color", NULL, NULL, &env, &err) == 0);
        ASSERT_TRUE(env_get(env, "USER") == NULL && env_get(env, "LOGNAME") == NULL);
        ASSERT_TRUE(env_is(env, "HOME", "/") && env_is(env, "TERM", "xterm-256color") && env_is(env, "HOSTNAME", "box"));
        env_free(env);

        /* precedence: defaults < image < files (in order) < Environment= < extra */
        char *image_env[] = { (char *) "PATH=/image/bin", (char *) "IMAGE=1", (char *) "SHARED=image", NULL };
        char *files[] = { f1, optional, f2, NULL };
        char *environment[] = { (char *) "SHARED=env", (char *) "ENV=1", (char *) "EXTRA=env", NULL };
        char *extra[] = { (char *) "EXTRA=extra", NULL };

        c.environment_files = files;
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, image_env, NULL, &env, &err) == 0);
        ASSERT_TRUE(env_is(env, "PATH", "/file/bin"));
        ASSERT_TRUE(env_is(env, "SHARED", "file2"));
        ASSERT_TRUE(env_is(env, "IMAGE", "1") && env_is(env, "FROM_FILE", "1"));
        env_free(env);

        c.environment = environment;
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, image_env, extra, &env, &err) == 0);
        ASSERT_TRUE(env_is(env, "SHARED", "env"));
        ASSERT_TRUE(env_is(env, "EXTRA", "extra"));
        ASSERT_TRUE(env_is(env, "ENV", "1"));
        ASSERT_TRUE(env && streq(env[0], "PATH=/file/bin"));   /* overriding keeps the position */
        env_free(env);

        /* a missing EnvironmentFile= without '-' is an error naming it */
        char *files_missing[] = { missing, NULL };
        c.environment_files = files_missing;
        env = NULL;
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == -ENOENT);
        ASSERT_TRUE(env == NULL && err.error == ENOENT && strstr(err.message, "EnvironmentFile=") &&
              strstr(err.message, missing));
        c.environment_files = NULL;

        /* invalid Environment= is an error */
        char *bad[] = { (char *) "GOOD=1", (char *) "NOT VALID=1", NULL };
        c.environment = bad;
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, NULL, NULL, &env, &err) == -EINVAL);
        ASSERT_TRUE(strstr(err.message, "NOT VALID=1") != NULL);
        c.environment = NULL;

        char *bad_extra[] = { (char *) "=x", NULL };
        ASSERT_TRUE(container_build_environment(&c, &cred, NULL, NULL, bad_extra, &env, &err) == -EINVAL);
}

