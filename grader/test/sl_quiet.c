/* sl_quiet.c - a library function prints nothing: the test's stderr
 * captured around one call (see sl_test.h, SL_QUIET_CALL()). */
#include "sl_test.h"
#include "report_fd.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define QUIET_SHOWN 300 /* bytes of what it printed shown in the failure */

static int quiet_saved = -1; /* the real stderr while a capture runs */
static int quiet_pipe = -1;  /* the read end of the capture */

/* Reads what the capture holds: into keep (up to cap bytes) when keep is
 * given, else through to the real stderr. Returns the bytes kept. */
static size_t quiet_drain(char *keep, size_t cap)
{
    char buf[4096];
    size_t kept = 0;
    ssize_t n;
    while (quiet_pipe >= 0 && (n = read(quiet_pipe, buf, sizeof buf)) > 0) {
        if (keep && kept < cap) {
            size_t k = (size_t)n < cap - kept ? (size_t)n : cap - kept;
            memcpy(keep + kept, buf, k);
            kept += k;
        }
        if (!keep && write(quiet_saved, buf, (size_t)n) < 0)
            break;
    }
    return kept;
}

/* Ends a capture: the real stderr back on descriptor 2. */
static void quiet_close(void)
{
    dup2(quiet_saved, STDERR_FILENO);
    close(quiet_saved);
    close(quiet_pipe);
    quiet_saved = quiet_pipe = -1;
}

void sl_stderr_capture_release(void)
{
    if (quiet_pipe < 0)
        return;
    fflush(stderr);
    quiet_drain(NULL, 0);
    quiet_close();
}

int sl_stderr_capture_begin(void)
{
    int p[2];
    if (quiet_pipe >= 0)
        return -1; /* one at a time */
    fflush(stderr);
    if (pipe(p) < 0)
        return -1;
    fcntl(p[0], F_SETFL, O_NONBLOCK | O_CLOEXEC);
    fcntl(p[1], F_SETFL, O_NONBLOCK); /* a flood is cut, never a hang */
    quiet_saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (quiet_saved < 0 || dup2(p[1], STDERR_FILENO) < 0) {
        close(p[0]), close(p[1]);
        if (quiet_saved >= 0)
            close(quiet_saved);
        quiet_saved = -1;
        return -1;
    }
    close(p[1]);
    quiet_pipe = p[0];
    return 0;
}

/* Is what was printed a sanitizer's report (then it is the sanitizer's
 * to tell, on the real stderr)? */
static int sanitizer_said(const char *got)
{
    return strstr(got, "Sanitizer") || strstr(got, "runtime error: ");
}

/* Records that func printed got (n bytes), shown quoted and bounded. */
static void quiet_fail(const char *file, int line, const char *func, const char *got, size_t n)
{
    char shown[4 * QUIET_SHOWN + 64];
    size_t k = txt_escape(got, n < QUIET_SHOWN ? n : QUIET_SHOWN, shown, sizeof shown);
    const char *prev = sl_hint_set(
        "Take the perror() or fprintf(stderr, ...) out of the function: it returns -1 "
        "with errno set, and the program that called it prints one line with "
        "strerror(errno). A library function never prints.");
    sl_fail_at(file, line, 0, "%s printed to stderr: a library function returns -1 with "
               "errno and prints nothing (it printed \"%s%s\")", func, shown,
               k < n ? "\u2026" : "");
    sl_hint_set(prev);
}

int sl_stderr_capture_end(const char *file, int line, const char *func)
{
    char got[4096];
    int saved = errno;
    if (quiet_pipe < 0)
        return 1;
    fflush(stderr);
    size_t n = quiet_drain(got, sizeof got - 1);
    got[n] = '\0';
    int sanitizer = n > 0 && sanitizer_said(got);
    if (sanitizer && write(quiet_saved, got, n) < 0)
        sanitizer = 1; /* passed through: the sanitizer's to tell */
    quiet_close();
    if (n > 0 && !sanitizer)
        quiet_fail(file, line, func, got, n);
    errno = saved;
    return n == 0 || sanitizer;
}
