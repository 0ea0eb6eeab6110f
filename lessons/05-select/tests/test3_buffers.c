/* Task 3: buffers and partial lines (mux_buf_init, mux_buf_append,
 * mux_buf_line, mux_buf_consume, mux_buf_free).
 *
 * A buffer's memory comes from realloc(): AddressSanitizer, on when
 * grading, stops at the first byte copied past it; LeakSanitizer checks
 * that mux_buf_free() gave it back. */
#include "testutil.h"

SL_TASK(3, "Buffers and partial lines");

/* Ends the test unless b holds exactly the len bytes of want. */
static void holds(const mux_buf_t *b, const char *what, const void *want, size_t len)
{
    if (tu_len(b) != len || (len && memcmp(b->data + b->start, want, len) != 0))
        SL_FAIL_FATAL("%s: the buffer holds %s (%zu bytes): expected %s (%zu bytes)", what,
                      tu_waiting(b), tu_len(b), sl_bytes_brief(want, len), len);
}

SL_TEST(buf_append_then_consume, 2,
        "mux_buf_append() copies the bytes to data[end, ...) and moves end; "
        "mux_buf_consume(b, n) moves start by n (all, if n is more than it holds) and, once "
        "the buffer is empty, puts start and end back to 0.")
{
    mux_buf_t b;

    memset(&b, 0xab, sizeof b);
    mux_buf_init(&b);
    if (b.data != NULL || b.start != 0 || b.end != 0 || b.cap != 0)
        SL_FAIL_FATAL("after mux_buf_init(): data %p, start %zu, end %zu, cap %zu: expected an "
                      "empty buffer with no memory (NULL and three 0)", (void *)b.data,
                      b.start, b.end, b.cap);
    SL_REQUIRE_OK(mux_buf_append(&b, "hello", 5, 100));
    holds(&b, "after appending \"hello\"", "hello", 5);
    SL_REQUIRE_OK(mux_buf_append(&b, " wor\0ld", 7, 100));
    holds(&b, "after appending \" wor\\0ld\" (7 bytes, a NUL among them)", "hello wor\0ld", 12);
    mux_buf_consume(&b, 6);
    holds(&b, "after consuming 6 bytes", "wor\0ld", 6);
    SL_CHECK_INT("mux_buf_append(b, NULL, 0, 100): nothing to append", mux_buf_append(&b, NULL, 0, 100), 0);
    mux_buf_consume(&b, 100);
    holds(&b, "after consuming more than it held", "", 0);
    if (b.start != 0 || b.end != 0)
        SL_FAIL("an emptied buffer has start %zu and end %zu: put both back to 0, so that the "
                "next bytes go to the front", b.start, b.end);
    mux_buf_free(&b);
}

SL_TEST(buf_append_respects_the_limit, 2,
        "mux_buf_append(b, bytes, len, limit) fails with ENOBUFS, appending nothing, when the "
        "buffer would then hold more than limit bytes: test len > limit - waiting, which "
        "cannot overflow as waiting + len can.")
{
    mux_buf_t b;

    mux_buf_init(&b);
    SL_REQUIRE_OK(mux_buf_append(&b, "123456", 6, 10));
    SL_ASSERT_FAILS_WITH(mux_buf_append(&b, "abcde", 5, 10), ENOBUFS);
    holds(&b, "after an append refused with ENOBUFS", "123456", 6);
    SL_CHECK_INT("mux_buf_append() up to exactly the limit", mux_buf_append(&b, "abcd", 4, 10), 0);
    SL_ASSERT_FAILS_WITH(mux_buf_append(&b, "x", 1, 10), ENOBUFS);
    SL_HINT("waiting + len must not wrap around: 10 + (SIZE_MAX - 5) is far more than any "
            "limit, yet in size_t arithmetic it is 4.")
    {
        SL_ASSERT_FAILS_WITH(mux_buf_append(&b, "x", SIZE_MAX - 5, SIZE_MAX), ENOBUFS);
    }
    holds(&b, "after the refused appends", "123456abcd", 10);
    SL_ASSERT_FAILS_WITH(mux_buf_append(NULL, "x", 1, 10), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_buf_append(&b, NULL, 1, 100), EINVAL);
    mux_buf_free(&b);
}

SL_TEST(buf_line_finds_whole_lines, 3,
        "mux_buf_line(): memchr() for '\\n' in data + start, among the bytes waiting (at "
        "most max): the line is the bytes up to and with it. No '\\n' yet: 0, the partial "
        "line waits for the rest. Lines hold any byte: '\\r', NUL.")
{
    static const char crlf[] = "telnet\r\nsends\r\n";
    mux_buf_t b;

    mux_buf_init(&b);
    SL_CHECK_INT("mux_buf_line() of an empty buffer", mux_buf_line(&b, 100), 0);
    SL_REQUIRE_OK(mux_buf_append(&b, "hi\nthere", 8, 100));
    SL_CHECK_INT("mux_buf_line() of \"hi\\nthere\"", mux_buf_line(&b, 100), 3);
    SL_CHECK_INT("mux_buf_line() again: it consumes nothing", mux_buf_line(&b, 100), 3);
    mux_buf_consume(&b, 3);
    SL_CHECK_INT("mux_buf_line() of \"there\", a partial line", mux_buf_line(&b, 100), 0);
    SL_REQUIRE_OK(mux_buf_append(&b, "\n\n", 2, 100));
    SL_CHECK_INT("mux_buf_line() of \"there\\n\\n\"", mux_buf_line(&b, 100), 6);
    mux_buf_consume(&b, 6);
    SL_CHECK_INT("mux_buf_line() of \"\\n\", an empty line", mux_buf_line(&b, 100), 1);
    mux_buf_consume(&b, 1);
    SL_REQUIRE_OK(mux_buf_append(&b, crlf, sizeof crlf - 1, 100));
    SL_CHECK_INT("mux_buf_line() of \"telnet\\r\\n...\": the \\r is part of the line",
                 mux_buf_line(&b, 100), 8);
    mux_buf_consume(&b, 15);
    SL_REQUIRE_OK(mux_buf_append(&b, "a\0b\nc", 5, 100));
    SL_CHECK_INT("mux_buf_line() of \"a\\0b\\nc\": a NUL ends nothing", mux_buf_line(&b, 100), 4);
    mux_buf_free(&b);
}

SL_TEST(buf_line_too_long, 2,
        "A line may be max bytes long, its '\\n' included. If max bytes (or more) wait and none "
        "of the first max is a '\\n', no line can fit: -1 with EMSGSIZE. Fewer than max and no "
        "'\\n': 0, wait for more.")
{
    mux_buf_t b;

    mux_buf_init(&b);
    SL_REQUIRE_OK(mux_buf_append(&b, "abc", 3, 100));
    SL_CHECK_INT("mux_buf_line(\"abc\", max 4)", mux_buf_line(&b, 4), 0);
    SL_REQUIRE_OK(mux_buf_append(&b, "\n", 1, 100));
    SL_CHECK_INT("mux_buf_line(\"abc\\n\", max 4): a line of exactly max bytes",
                 mux_buf_line(&b, 4), 4);
    mux_buf_consume(&b, 4);
    SL_REQUIRE_OK(mux_buf_append(&b, "abcd", 4, 100));
    SL_ASSERT_FAILS_WITH(mux_buf_line(&b, 4), EMSGSIZE);
    SL_REQUIRE_OK(mux_buf_append(&b, "\n", 1, 100));
    SL_HINT("\"abcd\\n\" is 5 bytes with its newline: too long for max 4, although a '\\n' "
            "is there, after the first max bytes.")
    {
        SL_ASSERT_FAILS_WITH(mux_buf_line(&b, 4), EMSGSIZE);
    }
    mux_buf_consume(&b, 5);
    SL_REQUIRE_OK(mux_buf_append(&b, "ab\ncdefghij", 11, 100));
    SL_CHECK_INT("mux_buf_line(\"ab\\ncdefghij\", max 4): the first line fits",
                 mux_buf_line(&b, 4), 3);
    SL_ASSERT_FAILS_WITH(mux_buf_line(&b, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_buf_line(NULL, 4), EINVAL);
    mux_buf_free(&b);
}

SL_TEST(buf_partial_lines_fed_byte_by_byte, 2,
        "Bytes come as they like: one at a time, or a line of 100 KiB in pieces. After each "
        "piece mux_buf_line() says 0 until the '\\n' is there, then the whole line's length; "
        "the buffer grows as needed.")
{
    static const char text[] = "line one\nline two\n\nthe end\n";
    static char big[100 * 1024 + 1];
    static char got[sizeof text];
    size_t got_len = 0;
    mux_buf_t b;
    ssize_t n;

    mux_buf_init(&b);
    for (size_t i = 0; i < sizeof text - 1; i++) {
        SL_REQUIRE_OK(mux_buf_append(&b, text + i, 1, 64));
        n = mux_buf_line(&b, 64);
        if (n < 0 || (n > 0) != (text[i] == '\n'))
            SL_FAIL_FATAL("after byte %zu (%s) mux_buf_line() returned %zd: expected %s", i,
                          sl_bytes_brief(text + i, 1), n,
                          text[i] == '\n' ? "the length of the line it ends" : "0 (no '\\n' yet)");
        if (n > 0) {
            memcpy(got + got_len, b.data + b.start, (size_t)n);
            got_len += (size_t)n;
            mux_buf_consume(&b, (size_t)n);
        }
    }
    SL_CHECK_BYTES("the lines, fed a byte at a time", got, got_len, text, sizeof text - 1);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\n';
    for (size_t off = 0; off < sizeof big; off += 1000) {
        size_t len = sizeof big - off < 1000 ? sizeof big - off : 1000;

        SL_REQUIRE_OK(mux_buf_append(&b, big + off, len, 1 << 20));
        n = mux_buf_line(&b, 1 << 20);
        if (n != (off + len == sizeof big ? (ssize_t)sizeof big : 0))
            SL_FAIL_FATAL("a 100 KiB line in pieces of 1000 bytes: after %zu bytes "
                          "mux_buf_line() returned %zd", off + len, n);
    }
    holds(&b, "a 100 KiB line, appended in pieces", big, sizeof big);
    mux_buf_free(&b);
}

SL_TEST(buf_stays_small_as_bytes_pass, 2,
        "Bytes keep passing through a client's buffer: appended at the end, consumed at the "
        "start. When the room after end is too small but start is past 0, memmove() the "
        "waiting bytes to the front before you grow: else the buffer grows for ever.")
{
    unsigned char prev[100], cur[100], out[100];
    mux_buf_t b;

    mux_buf_init(&b);
    sl_pattern(prev, sizeof prev, 0);
    SL_REQUIRE_OK(mux_buf_append(&b, prev + 50, 50, 1 << 20));   /* 50 bytes always wait */
    for (uint32_t round = 1; round <= 10000; round++) {
        sl_pattern(cur, sizeof cur, round);
        SL_REQUIRE_OK(mux_buf_append(&b, cur, sizeof cur, 1 << 20));
        memcpy(out, b.data + b.start, sizeof out);
        mux_buf_consume(&b, sizeof out);
        /* out: the last 50 bytes of the round before, then the first 50 of this one */
        if (memcmp(out, prev + 50, 50) != 0 || memcmp(out + 50, cur, 50) != 0)
            SL_FAIL_FATAL("round %u: the bytes that came out are not those that went in: "
                          "moving the waiting bytes to the front lost or mixed some", round);
        memcpy(prev, cur, sizeof prev);
    }
    if (tu_len(&b) != 50)
        SL_FAIL_FATAL("after 10000 rounds of 100 bytes in and 100 out, %zu bytes wait: "
                      "expected 50", tu_len(&b));
    if (b.cap > 4096)
        SL_FAIL("after 10000 rounds the buffer never held more than 150 bytes, yet its memory "
                "grew to %zu bytes: move the waiting bytes to the front before growing", b.cap);
    mux_buf_free(&b);
}

SL_TEST(buf_free_leaves_it_empty, 1,
        "mux_buf_free(): free(data) and leave the buffer as mux_buf_init() does, so that "
        "freeing twice, or appending after, is safe; NULL does nothing (mux_buf_consume() "
        "too). LeakSanitizer checks that no byte is left behind.")
{
    mux_buf_t b;

    mux_buf_init(&b);
    SL_REQUIRE_OK(mux_buf_append(&b, "some bytes", 10, 100));
    mux_buf_free(&b);
    if (b.data != NULL || b.start != 0 || b.end != 0 || b.cap != 0)
        SL_FAIL_FATAL("after mux_buf_free(): data %p, start %zu, end %zu, cap %zu: expected it "
                      "empty, as after mux_buf_init()", (void *)b.data, b.start, b.end, b.cap);
    mux_buf_free(&b);
    mux_buf_free(NULL);
    mux_buf_consume(NULL, 3);
    SL_REQUIRE_OK(mux_buf_append(&b, "again", 5, 100));
    holds(&b, "an append after mux_buf_free()", "again", 5);
    mux_buf_free(&b);
}
