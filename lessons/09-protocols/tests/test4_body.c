/* Task 4: the body (http_read_body): framed by Content-Length, by the
 * chunked coding (hexadecimal sizes, extensions, trailers), by the end of
 * the connection, or absent; truncated and malformed bodies. */
#include "testutil.h"

SL_TASK(4, "The body");

/* Reads the head and the whole body of text (fed in pieces of `piece`
 * bytes, 0: at once) with reads of `step` bytes. Returns
 * http_read_body()'s last result: 0 (the end) or -1 with *err; the body
 * in out, its length in *got. */
static int body_of(const void *text, size_t len, size_t piece, size_t step, char *out,
                   size_t cap, size_t *got, int *err)
{
    tu_http_t h;
    int rc;

    tu_http_open(&h, text, len, piece, piece ? 50 : 0, 0);
    errno = 0;
    SL_QUIET_CALL(rc, http_read_head(h.r, h.res));
    if (rc != 0) {
        int e = errno;

        tu_http_close(&h);
        SL_FAIL_FATAL("http_read_head() returned %s on a good head: Task 3 must work first",
                      tu_ret(rc, e));
    }
    rc = tu_body(&h, out, cap, step, got, err);
    if (rc == 0) {
        char one[8];
        ssize_t n;

        SL_QUIET_CALL(n, http_read_body(h.r, h.res, one, sizeof one));
        if (n != 0)
            SL_FAIL("http_read_body() after the body's end returned %s: expected 0 again",
                    tu_ret(n, errno));
    }
    tu_http_close(&h);
    return rc;
}

/* The body of text must be want, ended properly. */
static void body_is(const char *text, size_t len, size_t piece, size_t step, const void *want,
                    size_t want_len, const char *words)
{
    static char out[2 * 1024 * 1024];
    size_t got;
    int err, rc = body_of(text, len, piece, step, out, sizeof out, &got, &err);
    char what[200];

    snprintf(what, sizeof what, "the body of %s", words);
    if (rc < 0)
        SL_FAIL("http_read_body() of %s returned -1 with errno %s after %zu bytes: expected "
                "%zu bytes and then 0", words, tu_errno(err), got, want_len);
    else if (got > sizeof out || got != want_len || memcmp(out, want, want_len) != 0)
        SL_CHECK_BYTES(what, out, got < sizeof out ? got : sizeof out, want, want_len);
}

/* The body of text must fail with want after `after` bytes. */
static void body_fails(const char *text, size_t len, int want, size_t after, const char *words)
{
    static char out[65536];
    size_t got;
    int err, rc = body_of(text, len, 0, 4096, out, sizeof out, &got, &err);
    char what[200];

    snprintf(what, sizeof what, "http_read_body() of %s", words);
    if (rc == 0)
        SL_FAIL("%s gave %zu bytes and then 0, the end of the body: expected -1 with errno "
                "%s after %zu bytes", what, got, tu_errno(want), after);
    else if (err != want)
        SL_CHECK_FAILS(what, rc, err, want);
    else if (got != after)
        SL_FAIL("%s failed with %s, but after %zu bytes: expected %zu", what, tu_errno(want),
                got, after);
}

#define TEXT(s) (s), sizeof(s) - 1

SL_TEST(body_content_length, 3,
        "Content-Length ignored? With HTTP_BODY_LENGTH hand out res->left bytes and no "
        "more: what follows belongs to no body (a keep-alive server sends the next "
        "response there, or nothing at all and waits). Ask http_read() for at most "
        "res->left bytes.")
{
    body_is(TEXT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA BYTES"), 0, 4096,
            "hello", 5, "Content-Length: 5, then 11 bytes more");
    body_is(TEXT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA"), 0, 2, "hello", 5,
            "Content-Length: 5, read 2 bytes at a time");
    body_is(TEXT("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nEXTRA"), 0, 4096, "", 0,
            "Content-Length: 0");
}

SL_TEST(body_content_length_truncated, 2,
        "When the stream ends (http_read() returns 0) while res->left is more than 0, "
        "the body was cut short: return -1 with errno ENODATA, never 0, or a program "
        "would take half a file for a whole one.")
{
    body_fails(TEXT("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"), ENODATA, 5,
               "Content-Length: 10 and 5 bytes");
    body_fails(TEXT("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"), ENODATA, 0,
               "Content-Length: 1 and no byte");
}

SL_TEST(body_chunked_sizes_are_hex, 4,
        "Chunk sizes read as decimal? They are hexadecimal (RFC 9112 §7.1: chunk-size = "
        "1*HEXDIG), in either case: \"1a\" is 26 bytes, \"A\" is 10, \"10\" is 16. After "
        "each chunk's data comes a CRLF, then the next size; size 0 ends the body.")
{
    static char text[512], want[64];
    size_t len = (size_t)snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n1a\r\n");
    size_t wl = 0;

    for (int i = 0; i < 26; i++)
        want[wl++] = (char)('a' + i);
    memcpy(text + len, want, 26);
    len += 26;
    len += (size_t)snprintf(text + len, sizeof text - len, "\r\nA\r\n0123456789\r\n10\r\n"
                            "ABCDEFGHIJKLMNOP\r\n0\r\n\r\nNOT BODY");
    memcpy(want + wl, "0123456789ABCDEFGHIJKLMNOP", 26);
    wl += 26;
    body_is(text, len, 0, 4096, want, wl, "chunks of 0x1a, 0xA and 0x10 bytes");
    body_is(text, len, 0, 7, want, wl, "chunks of 0x1a, 0xA and 0x10 bytes, read 7 at a time");
}

SL_TEST(body_chunked_extensions_and_trailers, 3,
        "After the size may come extensions (\";name=value\", spaces or tabs before the "
        "';'): ignore them. After the last chunk (size 0) come trailer fields up to an "
        "empty line: read them (checked as field lines, then dropped), and only then is "
        "the body done. Lone LF line ends are taken too.")
{
    static const char text[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5;name=value\r\nhello\r\n"
                               "6 ; quoted=\"a;b\"\r\n world\r\n"
                               "00000001\t;x\r\n!\n"
                               "0;last\r\n"
                               "X-Checksum: 1234\r\n"
                               "X-Other: yes\r\n"
                               "\r\n";

    body_is(TEXT(text), 0, 4096, "hello world!", 12,
            "chunks with extensions, and two trailer fields");
    body_is(TEXT("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"), 0, 4096,
            "abc", 3, "a chunked body with LF line ends");
}

SL_TEST(body_chunked_malformed, 3,
        "A size that is no hexadecimal number (or is empty, or past 2^63 - 1), data not "
        "followed right away by its line end, a bad trailer line: EPROTO. Compare with "
        "overflow before you multiply by 16.")
{
    static const char h[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    static const struct {
        const char *body, *why;
        size_t after;
    } bad[] = {
        {"zz\r\nabc\r\n0\r\n\r\n", "a size of \"zz\"", 0},
        {"\r\nabc\r\n0\r\n\r\n", "an empty size", 0},
        {"-1\r\nabc\r\n0\r\n\r\n", "a size of \"-1\"", 0},
        {"5x\r\nhello\r\n0\r\n\r\n", "a size of \"5x\"", 0},
        {"0x5\r\nhello\r\n0\r\n\r\n", "a size of \"0x5\"", 0},
        {"8000000000000000\r\nabc\r\n0\r\n\r\n", "a size of 2^63", 0},
        {"fffffffffffffffffff\r\nabc\r\n0\r\n\r\n", "a size of 19 hex digits", 0},
        {"3\r\nabcX\r\n0\r\n\r\n", "data with a byte more than its size", 3},
        {"3\r\nabc0\r\n\r\n", "data without its line end", 3},
        {"3\r\nabc\r\n0\r\nBad trailer\r\n\r\n", "a trailer without a colon", 3},
    };
    char text[256];

    body_is(TEXT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), 0,
            4096, "abc", 3, "a good chunked body");
    for (size_t i = 0; i < SL_COUNT(bad); i++) {
        int n = snprintf(text, sizeof text, "%s%s", h, bad[i].body);

        body_fails(text, (size_t)n, EPROTO, bad[i].after, bad[i].why);
    }
}

SL_TEST(body_chunked_truncated, 3,
        "The end of the stream anywhere before the empty line after the last chunk is a "
        "truncated body: ENODATA, in the middle of a chunk's data, before its line end, "
        "before the next size, or within the trailers.")
{
    static const char h[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    static const struct {
        const char *body, *why;
        size_t after;
    } cut[] = {
        {"a\r\nhello", "a chunk of 10 cut after 5 bytes", 5},
        {"5\r\nhello", "a chunk without its line end", 5},
        {"5\r\nhello\r\n", "no last chunk", 5},
        {"5\r\nhello\r\n0\r\n", "no empty line after the last chunk", 5},
        {"5\r\nhello\r\n0\r\nX-T: 1\r\n", "trailers without their empty line", 5},
        {"", "no chunk at all", 0},
    };
    char text[256];

    for (size_t i = 0; i < SL_COUNT(cut); i++) {
        int n = snprintf(text, sizeof text, "%s%s", h, cut[i].body);

        body_fails(text, (size_t)n, ENODATA, cut[i].after, cut[i].why);
    }
}

SL_TEST(body_chunked_limits, 2,
        "A chunk-size line and each trailer line are lines like any other: at most "
        "HTTP_LINE_MAX bytes (EMSGSIZE), and at most HTTP_HEADERS_MAX trailer lines "
        "(E2BIG), a continuation line counted as a line too. Read them with "
        "http_read_line().")
{
    static char text[HTTP_LINE_MAX * 2 + 4096];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;");

    memset(text + len, 'e', HTTP_LINE_MAX);
    len += HTTP_LINE_MAX;
    len += (size_t)snprintf(text + len, sizeof text - len, "\r\nabc\r\n0\r\n\r\n");
    body_fails(text, len, EMSGSIZE, 0, "a chunk-size line of 8196 bytes (long extensions)");
    len = (size_t)snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                           "\r\n\r\n3\r\nabc\r\n0\r\n");
    for (int i = 0; i <= HTTP_HEADERS_MAX; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "T%d: v\r\n", i);
    len += (size_t)snprintf(text + len, sizeof text - len, "\r\n");
    body_fails(text, len, E2BIG, 3, "101 trailer lines");
    len = (size_t)snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                           "\r\n\r\n3\r\nabc\r\n0\r\nT: v\r\n");
    for (int i = 0; i < 300; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, " more\r\n");
    len += (size_t)snprintf(text + len, sizeof text - len, "\r\n");
    body_fails(text, len, E2BIG, 3, "a trailer and then 300 continuation lines \" more\"");
}

SL_TEST(body_to_the_close_and_none, 2,
        "HTTP_BODY_CLOSE: hand out what http_read() gives until it returns 0, which is "
        "then the body's proper end. HTTP_BODY_NONE (204, 304): 0 at once, whatever "
        "bytes follow.")
{
    body_is(TEXT("HTTP/1.0 200 OK\r\n\r\nall of this, up to the close"), 0, 4096,
            "all of this, up to the close", 28, "a response without Content-Length");
    body_is(TEXT("HTTP/1.1 204 No Content\r\n\r\nNOT A BODY"), 0, 4096, "", 0,
            "a 204 response");
}

SL_TEST_TIMEOUT(body_large_and_slow, 3, 8000,
                "A body's bytes come as the network cuts them: a chunk's data in many "
                "read()s, a size line split in two. Keep res->left and res->chunk_state "
                "between calls, and never hand out more than res->left.")
{
    static char text[1200 * 1024], want[1100 * 1024];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    size_t wl = 0, sizes[] = {1, 4095, 4096, 4097, 65536, 100000, 300000, 7};

    tu_pattern(want, sizeof want, 11);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < SL_COUNT(sizes); i++) {
            len += (size_t)snprintf(text + len, sizeof text - len, "%zX\r\n", sizes[i]);
            memcpy(text + len, want + wl, sizes[i]);
            len += sizes[i];
            wl += sizes[i];
            memcpy(text + len, "\r\n", 2);
            len += 2;
        }
    len += (size_t)snprintf(text + len, sizeof text - len, "0\r\n\r\n");
    body_is(text, len, 1000, 65536, want, wl, "1 MiB in chunks, sent 1000 bytes at a time");
    body_is(TEXT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1F;e=1\r\n"
                 "thirty-one bytes, in one chunk.\r\n0\r\nT: x\r\n\r\n"), 1, 4096,
            "thirty-one bytes, in one chunk.", 31, "a chunked response sent one byte at a time");
}
