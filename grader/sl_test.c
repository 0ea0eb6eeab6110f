/* sl_test.c - the test registry and the assertions that explain themselves. */
#include "sl_test.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SL_MSG_MAX 1024   /* longest failure message */
#define SL_CONTEXT 24     /* bytes shown on each side of a difference */

static sl_test_t *registry;
static size_t registry_len;

void sl_register(sl_test_t *t)
{
    t->next = registry;
    registry = t;
    registry_len++;
}

static int by_place(const void *a, const void *b)
{
    const sl_test_t *x = *(const sl_test_t *const *)a;
    const sl_test_t *y = *(const sl_test_t *const *)b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

sl_test_t **sl_tests(size_t *count)
{
    static sl_test_t **sorted;
    if (!sorted && registry_len) {
        sorted = calloc(registry_len, sizeof *sorted);
        if (!sorted) {
            *count = 0;
            return NULL;
        }
        size_t i = 0;
        for (sl_test_t *t = registry; t; t = t->next)
            sorted[i++] = t;
        qsort(sorted, registry_len, sizeof *sorted, by_place);
    }
    *count = registry_len;
    return sorted;
}

int sl_check_str(const char *file, int line, int fatal, const char *what,
                 const char *got, const char *want)
{
    return sl_check_bytes(file, line, fatal, what, got,
                          got ? strlen(got) : (size_t)-1, want,
                          want ? strlen(want) : (size_t)-1);
}

static void record(const char *file, int line, int fatal, const char *msg)
{
    CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "",
                            fatal ? CU_TRUE : CU_FALSE);
}

void sl_fail_at(const char *file, int line, int fatal, const char *fmt, ...)
{
    char msg[SL_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    record(file, line, fatal, msg);
}

/* Escapes buf[from, from+len) into out with "..." around it and ellipses
 * where it is cut from a longer whole of size total. */
static void show_window(char *out, size_t outsz, const unsigned char *buf,
                        size_t total, size_t from, size_t len)
{
    char esc[4 * 2 * SL_CONTEXT + 8];
    if (from > total)
        from = total;
    if (len > total - from)
        len = total - from;
    txt_escape(buf + from, len, esc, sizeof esc);
    snprintf(out, outsz, "%s\"%s\"%s", from > 0 ? "..." : "", esc,
             from + len < total ? "..." : "");
}

static size_t first_difference(const unsigned char *a, size_t alen,
                               const unsigned char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen, i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

int sl_check_bytes(const char *file, int line, int fatal, const char *what,
                   const void *got, size_t got_len,
                   const void *want, size_t want_len)
{
    if (!got || !want || got_len == (size_t)-1 || want_len == (size_t)-1) {
        if (!got && !want)
            return 1;
        sl_fail_at(file, line, fatal, "%s: expected %s, got %s", what,
                   want ? "a string" : "NULL", got ? "a string" : "NULL");
        return 0;
    }
    if (got_len == want_len && memcmp(got, want, got_len) == 0)
        return 1;
    size_t at = first_difference(got, got_len, want, want_len);
    size_t from = at > SL_CONTEXT ? at - SL_CONTEXT : 0;
    char g[SL_MSG_MAX / 3], w[SL_MSG_MAX / 3];
    show_window(w, sizeof w, want, want_len, from, 2 * SL_CONTEXT);
    show_window(g, sizeof g, got, got_len, from, 2 * SL_CONTEXT);
    sl_fail_at(file, line, fatal,
               "%s: bytes differ at offset %zu (expected %zu bytes, got %zu)\n"
               "expected: %s\n     got: %s",
               what, at, want_len, got_len, w, g);
    return 0;
}

int sl_check_int(const char *file, int line, int fatal, const char *what,
                 long long got, long long want)
{
    if (got == want)
        return 1;
    if (got >= 0 && want >= 0 && (got > 9 || want > 9))
        sl_fail_at(file, line, fatal, "%s: expected %lld (0x%llx), got %lld (0x%llx)",
                   what, want, want, got, got);
    else
        sl_fail_at(file, line, fatal, "%s: expected %lld, got %lld", what, want, got);
    return 0;
}

static const char *errno_name(int err)
{
    static const struct { int code; const char *name; } names[] = {
        {0, "0"}, {EINVAL, "EINVAL"}, {ENOSPC, "ENOSPC"},
        {ENAMETOOLONG, "ENAMETOOLONG"}, {EAFNOSUPPORT, "EAFNOSUPPORT"},
        {ERANGE, "ERANGE"}, {ENOMEM, "ENOMEM"}, {ENOENT, "ENOENT"},
        {ENOSYS, "ENOSYS"}, {EAGAIN, "EAGAIN"}, {EINTR, "EINTR"},
        {ECONNREFUSED, "ECONNREFUSED"}, {ECONNRESET, "ECONNRESET"},
        {ETIMEDOUT, "ETIMEDOUT"}, {EPIPE, "EPIPE"}, {EBADF, "EBADF"},
        {EADDRINUSE, "EADDRINUSE"}, {EMSGSIZE, "EMSGSIZE"}, {ENXIO, "ENXIO"},
        {ENODEV, "ENODEV"}, {EPROTO, "EPROTO"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == err)
            return names[i].name;
    return NULL;
}

static void describe_errno(char *out, size_t outsz, int err)
{
    const char *name = errno_name(err);
    if (name)
        snprintf(out, outsz, "%s", name);
    else
        snprintf(out, outsz, "%d (%s)", err, strerror(err));
}

int sl_check_fails(const char *file, int line, int fatal, const char *what,
                   long long ret, int err, int want_err)
{
    if (ret == -1 && err == want_err)
        return 1;
    char w[64], g[64];
    describe_errno(w, sizeof w, want_err);
    describe_errno(g, sizeof g, err);
    if (ret != -1)
        sl_fail_at(file, line, fatal, "%s: expected -1 with errno %s, got %lld",
                   what, w, ret);
    else
        sl_fail_at(file, line, fatal, "%s: expected errno %s, got errno %s",
                   what, w, g);
    return 0;
}
