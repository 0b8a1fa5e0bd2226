/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "libsystemd-dl.h"
#include "log.h"

/* one message, as formatted */
#define LOG_LINE_MAX 2048

static LogTarget log_target = LOG_TARGET_STDERR;
static int log_max_level = LOG_INFO;
static const char *log_program = NULL;
static int kmsg_fd = -EBADF;

void log_set_target(LogTarget target) {
        log_target = target;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

void log_set_program_name(const char *name) {
        log_program = name;
}

static int log_level_from_string(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };

        if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
                return s[0] - '0';
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(s, names[i]) == 0)
                        return (int) i;
        if (strcasecmp(s, "error") == 0)
                return LOG_ERR;
        return -EINVAL;
}

void log_parse_environment(void) {
        const char *e = getenv("CTR_LOG_LEVEL");
        int level;

        if (!e)
                return;
        level = log_level_from_string(e);
        if (level >= 0)
                log_max_level = level;
}

static const char *program_name(void) {
        return log_program ?: program_invocation_short_name;
}

static void write_stderr(const char *buf) {
        dprintf(STDERR_FILENO, "%s: %s\n", program_name(), buf);
}

static bool write_kmsg(int level, const char *buf) {
        char line[2048];
        int n;

        if (kmsg_fd == -EBADF) {
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
                if (kmsg_fd < 0)
                        kmsg_fd = -ENODEV;
        }
        if (kmsg_fd < 0)
                return false;

        n = snprintf(line, sizeof(line), "<%i>%s[%i]: %s\n", level, program_name(), (int) getpid(), buf);
        if (n < 0)
                return false;
        return write(kmsg_fd, line, MIN((size_t) n, sizeof(line) - 1)) >= 0;
}

/* "KEY=value" into |buf|, cut at its size. */
_printf_(3, 4) static struct iovec journal_field(char *buf, size_t size, const char *format, ...) {
        va_list ap;
        int n;

        va_start(ap, format);
        n = vsnprintf(buf, size, format, ap);
        va_end(ap);
        return (struct iovec) { buf, n < 0 ? 0 : MIN((size_t) n, size - 1) };
}

/* The journal through libsystemd's sd_journal_sendv(), loaded on first use rather than linked
 * (libsystemd-dl.h): ctr-generator needs it only where systemd asks its generators to log to the journal, and
 * loading it with its six libraries was 2.3 ms of every generator run (an empty one: 5.1 -> 2.8 ms), 4% of one
 * with 1,000 containers. Looked up for each message, as ctr-launch unloads the library once its container
 * runs. Not loadable: false, and the caller writes to stderr. */
static bool write_journal(int level, int error, const char *file, int line, const char *func, const char *buf) {
        char message[LOG_LINE_MAX + 16], priority[16], code_file[512], code_line[32], code_func[256],
                errno_field[32];
        struct iovec iov[6];
        int n = 0;

        typeof(sd_journal_sendv) *journal_sendv = libsystemd_symbol("sd_journal_sendv");

        if (!journal_sendv)
                return false;

        iov[n++] = journal_field(message, sizeof(message), "MESSAGE=%s", buf);
        iov[n++] = journal_field(priority, sizeof(priority), "PRIORITY=%i", level);
        iov[n++] = journal_field(code_file, sizeof(code_file), "CODE_FILE=%s", file);
        iov[n++] = journal_field(code_line, sizeof(code_line), "CODE_LINE=%i", line);
        iov[n++] = journal_field(code_func, sizeof(code_func), "CODE_FUNC=%s", func);
        if (error > 0)
                iov[n++] = journal_field(errno_field, sizeof(errno_field), "ERRNO=%i", error);
        return journal_sendv(iov, n) >= 0;
}

int log_internal(int level, int error, const char *file, int line, const char *func, const char *format, ...) {
        char buf[LOG_LINE_MAX];
        va_list ap;
        int saved = errno;

        if (error < 0)
                error = -error;

        if (level > log_max_level)
                goto finish;

        /* Make %m print |error| */
        errno = error;
        va_start(ap, format);
        vsnprintf(buf, sizeof(buf), format, ap);
        va_end(ap);

        switch (log_target) {
        case LOG_TARGET_KMSG:
                if (write_kmsg(level, buf))
                        break;
                write_stderr(buf);
                break;
        case LOG_TARGET_JOURNAL:
                if (write_journal(level, error, file, line, func, buf))
                        break;
                write_stderr(buf);
                break;
        case LOG_TARGET_STDERR:
        default:
                write_stderr(buf);
                break;
        }

finish:
        errno = saved;
        return -error;
}
