/* deadline.c - deadlines that end before the test's own timeout, the
 * transcript, and the harness's last error (see sl_harness.h). */
#include "harness.h"
#include "clock.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HN_MARGIN 0.10   /* of the test's time, kept for its own message */
#define HN_MARGIN_MIN 0.2 /* seconds */

static char last_error[HN_LINE_MAX];
static int last_errno; /* the errno that caused last_error, or 0 */

static double scale(void)
{
    const char *s = getenv("SOCKLAB_TIMEOUT_SCALE");
    double d = s && *s ? atof(s) : 1.0;
    return d > 0 ? d : 1.0;
}

int sl_scaled_ms(int ms)
{
    return (int)(ms * scale() + 0.5);
}

double sl_deadline(int ms)
{
    double want = clk_now() + sl_scaled_ms(ms) / 1000.0;
    double end = sl_test_deadline(), start = sl_test_started();
    if (end <= start)
        return want;
    double margin = (end - start) * HN_MARGIN;
    double cap = end - (margin > HN_MARGIN_MIN ? margin : HN_MARGIN_MIN);
    return want < cap ? want : cap;
}

int hn_ms_left(double deadline)
{
    double left = deadline - clk_now();
    return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

void sl_note(const char *fmt, ...)
{
    char line[HN_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    txt_cut(line, sizeof line, n < 0 ? 0 : (size_t)n);
    printf("[%6.3f] %s\n", clk_now() - sl_test_started(), line);
    fflush(stdout);
}

static int printable(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isprint(p[i]) && p[i] != '\n' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

const char *sl_show(const void *buf, size_t len, size_t max, char *out, size_t outsz)
{
    const size_t note = 32; /* room for "…" (N more bytes) */
    const unsigned char *p = buf;
    size_t n = len < max ? len : max, shown = 0, k = 0;
    if (outsz < note + 8) {
        if (outsz > 0)
            out[0] = '\0';
        return out;
    }
    if (printable(p, n)) {
        out[k++] = '"';
        shown = txt_escape(p, n, out + k, outsz - k - note);
        k += strlen(out + k);
        k += (size_t)snprintf(out + k, outsz - k, "%s\"", shown < len ? "\u2026" : "");
    } else {
        k = (size_t)snprintf(out, outsz, "hex"); /* said, so "be be be" reads as bytes */
        n = n < SL_SHOW_HEX_MAX ? n : SL_SHOW_HEX_MAX; /* a few lines, not a wall of hex */
        for (; shown < n && k + 3 + note < outsz; shown++)
            k += (size_t)snprintf(out + k, outsz - k, " %02x", p[shown]);
    }
    if (shown < len)
        snprintf(out + k, outsz - k, " (%zu more byte%s)", len - shown,
                 len - shown == 1 ? "" : "s");
    return out;
}

static void error_v(int err, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void error_v(int err, const char *fmt, va_list ap)
{
    int n = vsnprintf(last_error, sizeof last_error, fmt, ap);
    txt_cut(last_error, sizeof last_error, n < 0 ? 0 : (size_t)n);
    last_errno = err;
}

int hn_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_v(0, fmt, ap);
    va_end(ap);
    return -1;
}

int hn_error_errno(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_v(err, fmt, ap);
    va_end(ap);
    return -1;
}

const char *sl_harness_error(void)
{
    return last_error[0] ? last_error : "the harness failed (no reason recorded)";
}

int sl_harness_errno(void)
{
    return last_errno;
}

void sl_harness_fail(const char *file, int line)
{
    sl_fail_errno_at(file, line, 1, last_errno, "%s", sl_harness_error());
}

const char *sl_show_difference(const void *want, size_t wlen, const void *got, size_t glen,
                               char *out, size_t outsz)
{
    const unsigned char *w = want, *g = got;
    size_t at = 0;
    while (at < wlen && at < glen && w[at] == g[at])
        at++;
    size_t from = at > 8 ? at - 8 : 0;
    char ws[HN_SHOWN], gs[HN_SHOWN];
    if (from < wlen)
        sl_show(w + from, wlen - from, 24, ws, sizeof ws);
    else
        snprintf(ws, sizeof ws, "(the end)");
    if (from < glen)
        sl_show(g + from, glen - from, 24, gs, sizeof gs);
    else
        snprintf(gs, sizeof gs, "(the end)");
    if (from == 0)
        snprintf(out, outsz, "first difference at byte %zu: expected %s, got %s", at, ws, gs);
    else
        snprintf(out, outsz, "first difference at byte %zu; from byte %zu: expected \u2026 %s, "
                 "got \u2026 %s", at, from, ws, gs);
    return out;
}
