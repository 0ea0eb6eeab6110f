/* Task 3: the response's head (http_read_head, http_header): the status
 * line, field lines with their limits, interim responses, the framing. */
#include "testutil.h"

SL_TASK(3, "The response's head");

SL_LESSON_SANITIZER_HINT("overflow",
                         "A write past a buffer: the server chose that length, not you. "
                         "Check each one before you copy: a line against HTTP_LINE_MAX, a "
                         "name or value against the room left in res->store, the count "
                         "against HTTP_HEADERS_MAX before res->field[count].");
SL_LESSON_SANITIZER_HINT("undefined",
                         "An index past an array, or an arithmetic overflow: check "
                         "res->count against HTTP_HEADERS_MAX before you write "
                         "res->field[count] (the 101st field line is E2BIG), and check a "
                         "size before you multiply it by 10 or 16 (past 2^63 - 1 is EPROTO).");

/* http_read_head() of text must succeed; h is left open for more checks. */
static int head_ok(tu_http_t *h, const char *text, const char *words)
{
    int err, rc = tu_head(h, text, strlen(text), &err);

    if (rc != 0)
        SL_FAIL("http_read_head() of %s %s returned %s: expected 0", words,
                sl_bytes(text, strlen(text)), tu_ret(rc, err));
    return rc == 0;
}

/* http_read_head() of text must fail with want. */
static void head_fails(const char *text, size_t len, int want, const char *words)
{
    tu_http_t h;
    int err, rc = tu_head(&h, text, len, &err);
    char what[300];

    snprintf(what, sizeof what, "http_read_head() of %s %s", words, sl_bytes(text, len));
    SL_CHECK_FAILS(what, rc, err, want);
    tu_http_close(&h);
}

/* Field `name` of h must be want (NULL: absent). */
static void field_is(tu_http_t *h, const char *name, const char *want)
{
    char what[100];
    const char *got;

    snprintf(what, sizeof what, "http_header(res, \"%s\")", name);
    SL_QUIET_CALL(got, http_header(h->res, name));
    SL_CHECK_STR(what, got, want);
}

static const char ok_head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 5\r\n\r\nhello";

SL_TEST(head_status_and_fields, 3,
        "The status line is \"HTTP/1.1 200 OK\": the version, a space, three digits, a "
        "space, the reason. Each field line up to the empty line goes into res: its "
        "name and value copied into res->store with a NUL each, their offsets in "
        "res->field[]. http_header() compares names without case (strcasecmp).")
{
    tu_http_t h;

    if (head_ok(&h, ok_head, "a plain response")) {
        SL_CHECK_INT("res->status", h.res->status, 200);
        SL_CHECK_INT("res->minor", h.res->minor, 1);
        SL_CHECK_STR("res->reason", h.res->reason, "OK");
        SL_CHECK_INT("res->count", h.res->count, 2);
        field_is(&h, "Content-Type", "text/plain");
        field_is(&h, "content-type", "text/plain");
        field_is(&h, "CONTENT-LENGTH", "5");
        field_is(&h, "Location", NULL);
        if (h.res->count == 2)
            SL_CHECK_STR("the name of res->field[0], as the server wrote it",
                         h.res->store + h.res->field[0].name, "Content-Type");
    }
    tu_http_close(&h);
    if (head_ok(&h, "HTTP/1.0 404 Not Found Here\r\n\r\n", "a reason with spaces")) {
        SL_CHECK_INT("res->status", h.res->status, 404);
        SL_CHECK_INT("res->minor", h.res->minor, 0);
        SL_CHECK_STR("res->reason", h.res->reason, "Not Found Here");
        SL_CHECK_INT("res->count", h.res->count, 0);
    }
    tu_http_close(&h);
    if (head_ok(&h, "HTTP/1.1 200\r\n\r\n", "a status line without a reason"))
        SL_CHECK_STR("res->reason", h.res->reason, "");
    tu_http_close(&h);
}

SL_TEST(head_values_ows_folds_and_lf, 3,
        "A value is what follows the colon, without the spaces and tabs before and after "
        "it (OWS, RFC 9112 §5.1); it may be empty. A line that starts with a space or a "
        "tab continues the value above (obs-fold, §5.2): join it with one space. Lines "
        "may end with a lone LF (§2.2). A fold of an empty value adds no space before it.")
{
    static const char text[] = "HTTP/1.1 200 OK\n"
                               "X-Spaced:   some value \t\n"
                               "x-empty:\n"
                               "X-Tight:v\r\n"
                               "X-Fold: one\r\n"
                               " \t two\r\n"
                               "\tthree\r\n"
                               "Location:\r\n"
                               "  /next\r\n"
                               "\n";
    tu_http_t h;

    if (head_ok(&h, text, "OWS, an empty value, a fold and LF line ends")) {
        field_is(&h, "x-spaced", "some value");
        field_is(&h, "X-EMPTY", "");
        field_is(&h, "x-tight", "v");
        field_is(&h, "x-fold", "one two three");
        field_is(&h, "location", "/next");
        SL_CHECK_INT("res->count (a continuation is no field of its own)", h.res->count, 5);
    }
    tu_http_close(&h);
}

SL_TEST(head_rejects_malformed, 4,
        "Check the status line character by character (\"HTTP\" in capitals, major "
        "version 1, three digits, then a space or the end) and each field line (a "
        "token, the colon right after it: RFC 9112 §5.1 forbids whitespace before it; "
        "no control characters in the value, nor in a fold, nor in the reason phrase: "
        "RFC 9112 §4 allows HTAB, SP, VCHAR and obs-text, and a program prints it). "
        "Anything else is EPROTO.")
{
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"HTTP/1.1 20 OK\r\n\r\n", "a status of two digits"},
        {"HTTP/1.1 2000 OK\r\n\r\n", "a status of four digits"},
        {"HTTP/1.1 099 Low\r\n\r\n", "a status under 100"},
        {"HTTP/2.0 200 OK\r\n\r\n", "version 2.0"},
        {"HTTP/1 200 OK\r\n\r\n", "a version without its minor"},
        {"http/1.1 200 OK\r\n\r\n", "\"http\" in small letters (RFC 9112 §2.3)"},
        {"HTTP/1.1 200OK\r\n\r\n", "no space after the status"},
        {"HTTP/1.1  200 OK\r\n\r\n", "two spaces"},
        {"ICY 200 OK\r\n\r\n", "not HTTP"},
        {"\r\n", "an empty status line"},
        {"HTTP/1.1 200 OK\r\nName : v\r\n\r\n", "a space before the colon"},
        {"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "a field line without a colon"},
        {"HTTP/1.1 200 OK\r\n: v\r\n\r\n", "an empty field name"},
        {"HTTP/1.1 200 OK\r\nBad(name): v\r\n\r\n", "'(' in a field name"},
        {"HTTP/1.1 200 OK\r\nX: a\x01z\r\n\r\n", "a control character in a value"},
        {"HTTP/1.1 200 OK\r\n folded\r\n\r\n", "a continuation with no field above"},
        {"HTTP/1.1 200 OK\r\nX: a\r\n b\x01z\r\n\r\n", "a control character in a fold"},
        {"HTTP/1.1 404 Not\x1b[2J Found\r\n\r\n", "an escape (0x1B) in the reason"},
        {"HTTP/1.1 200 O\x7fK\r\n\r\n", "a DEL (0x7F) in the reason"},
    };
    tu_http_t h;

    if (head_ok(&h, ok_head, "a plain response"))
        for (size_t i = 0; i < SL_COUNT(bad); i++)
            head_fails(bad[i].text, strlen(bad[i].text), EPROTO, bad[i].why);
    tu_http_close(&h);
}

/* A head of `fields` field lines "X-Field-N: VALUE" (value of vlen bytes). */
static size_t many_fields(char *buf, size_t cap, int fields, size_t vlen)
{
    size_t len = (size_t)snprintf(buf, cap, "HTTP/1.1 200 OK\r\n");

    for (int i = 0; i < fields && len + vlen + 40 < cap; i++) {
        len += (size_t)snprintf(buf + len, cap - len, "X-Field-%d: ", i);
        memset(buf + len, 'v', vlen);
        len += vlen;
        memcpy(buf + len, "\r\n", 2);
        len += 2;
    }
    memcpy(buf + len, "\r\n", 2);
    return len + 2;
}

SL_TEST(head_field_count_limit, 3,
        "HTTP_HEADERS_MAX is 100: a head of exactly 100 field lines is taken, and the "
        "101st is E2BIG. Check the count before you write res->field[count]: the "
        "array has 100 entries, and the 101st write is past its end.")
{
    static char text[8192];
    tu_http_t h;
    int err, rc;
    size_t len = many_fields(text, sizeof text, HTTP_HEADERS_MAX, 4);

    rc = tu_head(&h, text, len, &err);
    if (SL_CHECK_INT("http_read_head() of a head of exactly 100 field lines", rc, 0))
        SL_CHECK_INT("res->count", h.res->count, 100);
    tu_http_close(&h);
    len = many_fields(text, sizeof text, HTTP_HEADERS_MAX + 1, 4);
    head_fails(text, len, E2BIG, "a head of 101 field lines");
}

SL_TEST(head_line_limit, 3,
        "A field line longer than HTTP_LINE_MAX (8192 bytes, CRLF included) is "
        "EMSGSIZE; one of exactly 8192 is taken. http_read_line() does it (Task 2): "
        "read the head's lines with it, into a buffer of HTTP_LINE_MAX.")
{
    static char text[3 * HTTP_LINE_MAX];
    tu_http_t h;
    int err, rc;
    size_t len = (size_t)snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nX-Long: ");

    memset(text + len, 'L', HTTP_LINE_MAX - 8 - 2);   /* "X-Long: ", the value, CRLF */
    len += HTTP_LINE_MAX - 8 - 2;
    memcpy(text + len, "\r\n\r\n", 4);
    len += 4;
    rc = tu_head(&h, text, len, &err);
    SL_CHECK_INT("http_read_head() of a field line of exactly 8192 bytes, CRLF included", rc, 0);
    tu_http_close(&h);
    len = (size_t)snprintf(text, sizeof text, "HTTP/1.1 200 OK\r\nX-Long: ");
    memset(text + len, 'L', HTTP_LINE_MAX);
    len += HTTP_LINE_MAX;
    memcpy(text + len, "\r\n\r\n", 4);
    head_fails(text, len + 4, EMSGSIZE, "a field line of 8202 bytes");
}

SL_TEST(head_store_limit, 2,
        "Names and values go into res->store, HTTP_FIELDS_MAX bytes: before each copy, "
        "check that it and its NUL fit, else EMSGSIZE. 90 fields of 800 bytes do not "
        "fit; ASan catches a copy past the end.")
{
    static char text[90 * 830 + 64];
    tu_http_t h;
    int err, rc;
    size_t len = many_fields(text, sizeof text, 70, 800);

    rc = tu_head(&h, text, len, &err);
    SL_CHECK_INT("http_read_head() of 70 fields of 800 bytes (56 KiB: they fit)", rc, 0);
    tu_http_close(&h);
    len = many_fields(text, sizeof text, 90, 800);
    head_fails(text, len, EMSGSIZE, "90 fields of 800 bytes (72 KiB)");
}

SL_TEST_TIMEOUT(head_endless_headers_are_bounded, 3, 4000,
                "A server that sends field lines without end must not keep the client "
                "reading for ever: after HTTP_HEADERS_MAX lines, E2BIG, at once. Count every "
                "line, a continuation (obs-fold) too, even an empty one that adds nothing.")
{
    static const char line[] = "X-Again: and again\r\n";
    tu_http_t h;
    int rc;
    double t0 = sl_now_ms();

    {
        static char start[4096];
        size_t n = (size_t)snprintf(start, sizeof start, "HTTP/1.1 200 OK\r\n");

        while (n + sizeof line < sizeof start) {
            memcpy(start + n, line, sizeof line - 1);
            n += sizeof line - 1;
        }
        /* 4 KiB of field lines (about 200), sent again and again: the
         * 101st line must stop the reader, long before the end */
        tu_http_open(&h, start, n, 0, 0, 1);
        errno = 0;
        SL_QUIET_CALL(rc, http_read_head(h.r, h.res));
        SL_CHECK_FAILS("http_read_head() of a status line and then field lines without end",
                       rc, errno, E2BIG);
        tu_http_close(&h);
    }
    {
        /* a field, then 1000 folds that are empty: each is a line too */
        static char folds[32 + 1000 * 3 + 8];
        size_t n = (size_t)snprintf(folds, sizeof folds, "HTTP/1.1 200 OK\r\nX: a\r\n");
        int err;

        for (int i = 0; i < 1000; i++, n += 3)
            memcpy(folds + n, " \r\n", 3);
        memcpy(folds + n, "\r\n", 2);
        rc = tu_head(&h, folds, n + 2, &err);
        SL_CHECK_FAILS("http_read_head() of a field and then 1000 continuation lines \" \\r\\n\" "
                       "(empty folds: count every line of the head, not only the fields)", rc,
                       err, E2BIG);
        tu_http_close(&h);
    }
    if (sl_now_ms() - t0 > sl_scaled_ms(1500))
        SL_FAIL("http_read_head() took %.0f ms to give up", sl_now_ms() - t0);
}

SL_TEST(head_truncated, 2,
        "The end of the stream within the head (before its empty line) is a truncated "
        "response: http_read_line()'s ENODATA, passed on.")
{
    head_fails("", 0, ENODATA, "an empty stream");
    head_fails("HTTP/1.1 200 OK\r\nContent-Len", 28, ENODATA, "a head cut in a field line");
    head_fails("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", 37, ENODATA,
               "a head without its empty line");
}

SL_TEST(head_skips_interim_responses, 2,
        "A 1xx status (100 Continue, 103 Early Hints) is an interim response: read its "
        "head, forget it, and read the next, until a status of 200 or more (RFC 9110 "
        "§15.2); more than HTTP_INTERIM_MAX of them is EPROTO (exactly that many is fine). "
        "101 Switching Protocols answers an Upgrade this client never sends: EPROTO.")
{
    static const char text[] = "HTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                      up[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"
                             "HTTP/1.1 200 OK\r\n\r\n";
    static char many[4096];
    size_t len = 0;
    tu_http_t h;

    if (head_ok(&h, text, "two interim responses, then 200")) {
        SL_CHECK_INT("res->status", h.res->status, 200);
        SL_CHECK_INT("res->count (only the final head's fields)", h.res->count, 1);
        field_is(&h, "link", NULL);
        field_is(&h, "content-length", "2");
    }
    tu_http_close(&h);
    for (int i = 0; i < HTTP_INTERIM_MAX + 1; i++)
        len += (size_t)snprintf(many + len, sizeof many - len, "HTTP/1.1 100 Continue\r\n\r\n");
    len += (size_t)snprintf(many + len, sizeof many - len, "HTTP/1.1 200 OK\r\n\r\n");
    head_fails(many, len, EPROTO, "11 interim responses");
    len = 0;
    for (int i = 0; i < HTTP_INTERIM_MAX; i++)
        len += (size_t)snprintf(many + len, sizeof many - len, "HTTP/1.1 100 Continue\r\n\r\n");
    len += (size_t)snprintf(many + len, sizeof many - len, "HTTP/1.1 200 OK\r\n\r\n");
    {
        int err, rc = tu_head(&h, many, len, &err);

        if (SL_CHECK_INT("http_read_head() of exactly 10 interim responses (the limit), then 200",
                         rc, 0))
            SL_CHECK_INT("res->status", h.res->status, 200);
        tu_http_close(&h);
    }
    head_fails(up, sizeof up - 1, EPROTO, "101 Switching Protocols, which no Upgrade asked for");
}

/* The framing of the head `text` must be want (with left, for LENGTH). */
static void framing_is(const char *text, http_framing_t want, unsigned long long left,
                       const char *words)
{
    static const char *const names[] = {"HTTP_BODY_NONE", "HTTP_BODY_LENGTH",
                                        "HTTP_BODY_CHUNKED", "HTTP_BODY_CLOSE"};
    tu_http_t h;

    if (head_ok(&h, text, words)) {
        if (h.res->framing != want)
            SL_FAIL("http_read_head() of %s: res->framing is %s: expected %s", words,
                    (unsigned)h.res->framing < 4 ? names[h.res->framing] : "not a framing",
                    names[want]);
        else if (want == HTTP_BODY_LENGTH && h.res->left != left)
            SL_FAIL("http_read_head() of %s: res->left is %llu: expected %llu", words,
                    h.res->left, left);
        if (h.res->done != 0)
            SL_FAIL("http_read_head() of %s: res->done is %d: expected 0", words, h.res->done);
    }
    tu_http_close(&h);
}

SL_TEST(head_framing, 4,
        "RFC 9112 §6.3, in order: 204 and 304 have no body; Transfer-Encoding (\"chunked\" "
        "in any case) wins over Content-Length; Content-Length is digits alone, the same "
        "value each time it comes; with neither, the body ends where the connection "
        "does. Ignore Content-Length and a keep-alive server hangs the client.")
{
    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", HTTP_BODY_LENGTH, 42,
               "Content-Length: 42");
    framing_is("HTTP/1.1 200 OK\r\ncontent-length:0\r\n\r\n", HTTP_BODY_LENGTH, 0,
               "content-length:0");
    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 42, 42\r\n\r\n", HTTP_BODY_LENGTH, 42,
               "Content-Length: 42, 42");
    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n",
               HTTP_BODY_LENGTH, 7, "Content-Length 7 twice");
    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n",
               HTTP_BODY_LENGTH, 9223372036854775807ULL, "Content-Length 2^63 - 1");
    framing_is("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP_BODY_CHUNKED, 0,
               "Transfer-Encoding: chunked");
    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTRANSFER-ENCODING: Chunked\r\n\r\n",
               HTTP_BODY_CHUNKED, 0, "Content-Length and Transfer-Encoding: Chunked");
    framing_is("HTTP/1.0 200 OK\r\nServer: old\r\n\r\n", HTTP_BODY_CLOSE, 0,
               "neither Content-Length nor Transfer-Encoding");
    framing_is("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", HTTP_BODY_NONE, 0,
               "204 with a Content-Length");
    framing_is("HTTP/1.1 304 Not Modified\r\n\r\n", HTTP_BODY_NONE, 0, "304");
}

SL_TEST(head_framing_rejects_bad_lengths, 3,
        "A Content-Length that is not digits alone, two that differ, or one past 2^63 - "
        "1 cannot frame a body: EPROTO (RFC 9112 §6.3, item 5). So is a transfer coding "
        "other than chunked, which the request did not ask for, and any Transfer-Encoding "
        "in an HTTP/1.0 response (RFC 9112 §6.1: faulty framing).")
{
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "Content-Length: abc"},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length: -1"},
        {"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "Content-Length: +5"},
        {"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "an empty Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5 5\r\n\r\n", "Content-Length: 5 5"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 8\r\n\r\n",
         "Content-Length 7, then 8"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 42, 43\r\n\r\n", "Content-Length: 42, 43"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n",
         "Content-Length 2^63"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         "Content-Length of 23 digits"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "Transfer-Encoding: gzip"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
         "Transfer-Encoding: gzip, chunked"},
        {"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
         "Transfer-Encoding in an HTTP/1.0 response (RFC 9112 §6.1)"},
    };

    framing_is("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", HTTP_BODY_LENGTH, 3,
               "Content-Length: 3");
    for (size_t i = 0; i < SL_COUNT(bad); i++)
        head_fails(bad[i].text, strlen(bad[i].text), EPROTO, bad[i].why);
}
