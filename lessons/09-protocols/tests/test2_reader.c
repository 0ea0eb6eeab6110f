/* Task 2: the buffered reader (http_reader_init, http_read_line,
 * http_read), fed exact bytes through a pipe: all at once, one byte at a
 * time, and without end. */
#include "testutil.h"

SL_TASK(2, "A buffered reader, and lines with a limit");

/* The next line of h must be want. */
static int line_is(tu_http_t *h, const char *want, const char *which)
{
    static char line[HTTP_LINE_MAX + 64];
    char what[160];
    ssize_t n;

    snprintf(what, sizeof what, "http_read_line() of %s", which);
    errno = 0;
    SL_QUIET_CALL(n, http_read_line(h->r, line, HTTP_LINE_MAX));
    if (n < 0) {
        SL_FAIL("%s returned %s: expected %s", what, tu_ret(n, errno),
                sl_bytes(want, strlen(want)));
        return 0;
    }
    if (!SL_CHECK_STR(what, line, want))
        return 0;
    return SL_CHECK_INT(what, n, (long long)strlen(want));
}

/* The next http_read_line() of h must fail with err. */
static void line_fails(tu_http_t *h, int err, const char *which)
{
    static char line[HTTP_LINE_MAX + 64];
    char what[200];
    ssize_t n;

    snprintf(what, sizeof what, "http_read_line() of %s", which);
    errno = 0;
    SL_QUIET_CALL(n, http_read_line(h->r, line, HTTP_LINE_MAX));
    SL_CHECK_FAILS(what, n, errno, err);
}

SL_TEST(read_line_crlf_and_lf, 2,
        "A line ends at '\\n'; a '\\r' right before it is part of the line end, not of "
        "the line (RFC 9112 §2.2 lets a recipient take a lone LF as a line end too). "
        "Keep what follows the '\\n' in the buffer for the next call.")
{
    static const char in[] = "one\r\ntwo\nthree\r\n\r\nlast";
    tu_http_t h;

    tu_http_open(&h, in, sizeof in - 1, 0, 0, 0);
    if (line_is(&h, "one", "\"one\\r\\n\"") && line_is(&h, "two", "\"two\\n\"") &&
        line_is(&h, "three", "\"three\\r\\n\"") && line_is(&h, "", "an empty line \"\\r\\n\""))
        SL_HINT("At the end of the stream before a '\\n', the line is unfinished: the "
                "message was cut short. Return -1 with errno ENODATA.")
            line_fails(&h, ENODATA, "\"last\" and then the end of the stream");
    tu_http_close(&h);
}

SL_TEST(read_line_then_bytes, 2,
        "The bytes after the head came in the same read() as the head: http_read() "
        "hands out what waits in the buffer first, and only then calls read() "
        "(straight into the caller's buffer), 0 at the end of the stream.")
{
    static const char in[] = "HTTP/1.1 200 OK\r\n\r\nBODY bytes";
    tu_http_t h;
    char buf[64];
    ssize_t n;
    size_t got = 0;

    tu_http_open(&h, in, sizeof in - 1, 0, 0, 0);
    if (line_is(&h, "HTTP/1.1 200 OK", "a status line") && line_is(&h, "", "the empty line")) {
        while (got < sizeof buf) {
            SL_QUIET_CALL(n, http_read(h.r, buf + got, sizeof buf - got));
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        SL_CHECK_BYTES("the bytes http_read() gave after the head", buf, got, "BODY bytes", 10);
        SL_QUIET_CALL(n, http_read(h.r, buf, sizeof buf));
        SL_CHECK_INT("http_read() at the end of the stream", n, 0);
    }
    tu_http_close(&h);
}

SL_TEST(read_line_one_byte_at_a_time, 2,
        "A line may come in many read()s: here one byte each. When no '\\n' waits, "
        "read() more after what you have, and look again.")
{
    static const char in[] = "first line\r\nsecond\r\n";
    tu_http_t h;

    tu_http_open(&h, in, sizeof in - 1, 1, 300, 0);
    if (line_is(&h, "first line", "\"first line\\r\\n\" sent a byte at a time"))
        line_is(&h, "second", "\"second\\r\\n\" sent a byte at a time");
    tu_http_close(&h);
}

SL_TEST(read_line_limit_exactly, 3,
        "HTTP_LINE_MAX counts the line end: a line of 8192 bytes with its CRLF (8190 "
        "bytes of text) or with a lone LF (8191) is taken; a byte more, with no LF "
        "among the first 8192, is EMSGSIZE.")
{
    static char in[3 * HTTP_LINE_MAX + 16], want[HTTP_LINE_MAX];
    tu_http_t h;
    size_t len = 0;

    memset(in, 'a', sizeof in);
    len = HTTP_LINE_MAX - 2;
    memcpy(in + len, "\r\n", 2);
    len += 2;
    memset(in + len, 'b', HTTP_LINE_MAX - 1);
    len += HTTP_LINE_MAX - 1;
    in[len++] = '\n';
    memset(in + len, 'c', HTTP_LINE_MAX - 1);   /* 8191 'c', then CRLF: 8193 */
    len += HTTP_LINE_MAX - 1;
    memcpy(in + len, "\r\n", 2);
    len += 2;
    tu_http_open(&h, in, len, 0, 0, 0);
    memset(want, 'a', HTTP_LINE_MAX - 2);
    want[HTTP_LINE_MAX - 2] = '\0';
    if (line_is(&h, want, "a line of 8190 bytes and CRLF (8192 in all: the limit)")) {
        memset(want, 'b', HTTP_LINE_MAX - 1);
        want[HTTP_LINE_MAX - 1] = '\0';
        if (line_is(&h, want, "a line of 8191 bytes and LF (8192 in all: the limit)"))
            line_fails(&h, EMSGSIZE, "a line of 8191 bytes and CRLF (8193 in all: one over)");
    }
    tu_http_close(&h);
}

SL_TEST_TIMEOUT(read_line_without_end_is_bounded, 3, 4000,
                "A header line without limit: a server that sends bytes and never a LF "
                "must not make the reader wait (or grow) for ever. Once HTTP_LINE_MAX "
                "bytes wait in the buffer with no '\\n' among them, return -1 with "
                "EMSGSIZE, at once.")
{
    static char in[4096];
    tu_http_t h;
    double t0 = sl_now_ms();

    memset(in, 'x', sizeof in);
    tu_http_open(&h, in, sizeof in, 0, 0, 1);   /* 'x' without end */
    line_fails(&h, EMSGSIZE, "'x' bytes without end, never a LF");
    if (sl_now_ms() - t0 > sl_scaled_ms(1500))
        SL_FAIL("http_read_line() took %.0f ms to give up on a line without end: it must "
                "stop once HTTP_LINE_MAX bytes came", sl_now_ms() - t0);
    tu_http_close(&h);
}

SL_TEST(read_line_rejects_bare_cr_and_nul, 2,
        "RFC 9112 §2.2: a CR that is not right before the LF (a bare CR) makes the "
        "line invalid, and a NUL would cut a C string short: both are EPROTO.")
{
    static const char cr[] = "a\rb\r\n", nul[] = "a\0b\r\n";
    tu_http_t h;

    tu_http_open(&h, "ok\r\n", 4, 0, 0, 0);
    SL_REQUIRE(line_is(&h, "ok", "\"ok\\r\\n\""), 1);
    tu_http_close(&h);
    tu_http_open(&h, cr, sizeof cr - 1, 0, 0, 0);
    line_fails(&h, EPROTO, "\"a\\rb\\r\\n\" (a bare CR)");
    tu_http_close(&h);
    tu_http_open(&h, nul, sizeof nul - 1, 0, 0, 0);
    line_fails(&h, EPROTO, "\"a\\0b\\r\\n\" (a NUL)");
    tu_http_close(&h);
}

SL_TEST(read_line_end_of_stream, 1,
        "read() returning 0 before a '\\n' is the end of the stream in the middle of "
        "a line (or before any): -1 with errno ENODATA. And a buffer smaller than "
        "HTTP_LINE_MAX is EINVAL.")
{
    tu_http_t h;
    char small[16];
    ssize_t n;

    tu_http_open(&h, "", 0, 0, 0, 0);
    line_fails(&h, ENODATA, "an empty stream");
    tu_http_close(&h);
    tu_http_open(&h, "HTTP/1.1 200 O", 14, 0, 0, 0);
    line_fails(&h, ENODATA, "\"HTTP/1.1 200 O\" and the end of the stream");
    tu_http_close(&h);
    tu_http_open(&h, "x\n", 2, 0, 0, 0);
    errno = 0;
    SL_QUIET_CALL(n, http_read_line(h.r, small, sizeof small));
    SL_CHECK_FAILS("http_read_line() with a buffer of 16 bytes", n, errno, EINVAL);
    tu_http_close(&h);
}

SL_TEST(read_bytes_large, 2,
        "http_read() gives the bytes waiting in the buffer, then read()s more: 300 KiB "
        "sent in pieces of 1000 bytes must come out whole, in order, after a line.")
{
    static char in[300 * 1024 + 8], got[300 * 1024];
    size_t len = 300 * 1024, off = 0;
    tu_http_t h;
    ssize_t n;

    memcpy(in, "line\r\n", 6);
    tu_pattern(in + 6, len, 3);
    tu_http_open(&h, in, len + 6, 1000, 0, 0);
    if (line_is(&h, "line", "\"line\\r\\n\" before 300 KiB")) {
        while (off < len) {
            SL_QUIET_CALL(n, http_read(h.r, got + off, 7000 < len - off ? 7000 : len - off));
            if (n <= 0) {
                SL_FAIL("http_read() returned %s after %zu of the %zu bytes", tu_ret(n, errno),
                        off, len);
                break;
            }
            off += (size_t)n;
        }
        if (off == len && memcmp(got, in + 6, len) != 0) {
            char diff[400];

            SL_FAIL("the 300 KiB from http_read() differ from those sent: %s",
                    sl_show_difference(in + 6, len, got, len, diff, sizeof diff));
        }
    }
    tu_http_close(&h);
}
