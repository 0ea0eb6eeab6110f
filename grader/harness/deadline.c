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

static char last_error[1024];

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
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
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
    const unsigned char *p = buf;
    size_t n = len < max ? len : max, k = 0;
    if (outsz == 0)
        return out;
    if (printable(p, n)) {
        char esc[4 * 256 + 1];
        txt_escape(p, n < 256 ? n : 256, esc, sizeof esc);
        snprintf(out, outsz, "\"%s\"%s", esc, n < len ? "..." : "");
        return out;
    }
    out[0] = '\0';
    for (size_t i = 0; i < n && k + 4 < outsz; i++)
        k += (size_t)snprintf(out + k, outsz - k, "%s%02x", i ? " " : "", p[i]);
    if (n < len && k + 4 < outsz)
        snprintf(out + k, outsz - k, " ...");
    return out;
}

int hn_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

const char *sl_harness_error(void)
{
    return last_error[0] ? last_error : "the harness failed (no reason recorded)";
}

void sl_harness_fail(const char *file, int line)
{
    sl_fail_at(file, line, 1, "%s", sl_harness_error());
}
