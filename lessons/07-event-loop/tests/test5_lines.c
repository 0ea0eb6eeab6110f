/* Task 5: the line receiver (line.c), fed by hand: its data_received is
 * called with bytes split every way, on a transport of the test's that is
 * not disconnecting. No loop, no socket. */
#include "libutil.h"

SL_TASK(5, "The line receiver");

typedef struct lines {
    pr_line_receiver_t lr;
} lines_t;

static char got[1 << 18];
static size_t got_len;
static int nlines, nlong, nraw;
static int raw_after;   /* switch to raw mode after this many lines (0: never) */

static void on_line(pr_line_receiver_t *lr, const char *line, size_t len)
{
    nlines++;
    if (got_len + len + 2 < sizeof got) {
        memcpy(got + got_len, line, len);
        got_len += len;
        got[got_len++] = '|';
    }
    if (raw_after > 0 && nlines == raw_after)
        pr_line_set_raw(lr, 1);
}

static void on_raw(pr_line_receiver_t *lr, const char *data, size_t len)
{
    (void)lr;
    nraw++;
    if (got_len + len + 2 < sizeof got) {
        got[got_len++] = '<';
        memcpy(got + got_len, data, len);
        got_len += len;
        got[got_len++] = '>';
    }
}

static void on_long(pr_line_receiver_t *lr)
{
    nlong++;
    lr->base.transport->flags |= PR_DOOMED;   /* as pr_abort() would: disconnecting */
}

static pr_line_ops_t ops = {on_line, on_raw, on_long, 0};

/* A line receiver on a transport of the test's own (flags 0; its server
 * one of the test's, never used: a transport whose server is NULL is a
 * free slot, disconnecting). */
static lines_t *receiver(size_t max_line)
{
    static pr_server_t srv;
    static pr_transport_t t;
    static lines_t l;

    pr_line_release(&l.lr);
    memset(&t, 0, sizeof t);
    memset(&l, 0, sizeof l);
    t.server = &srv;
    l.lr.base.transport = &t;
    ops.max_line = max_line;
    l.lr.ops = &ops;
    got_len = 0;
    nlines = nlong = nraw = 0;
    raw_after = 0;
    return &l;
}

static void feed(lines_t *l, const char *data, size_t len)
{
    pr_line_data_received(&l->lr.base, data, len);
}

SL_TEST(line_whole_lines_in_one_call, 3,
        "pr_line_data_received() calls line_received() once per complete line, in order, "
        "each without its '\\n': several lines in one call are several calls.")
{
    lines_t *l = receiver(0);

    feed(l, "one\ntwo\n\nthree\n", 15);
    SL_CHECK_INT("line_received() calls for \"one\\ntwo\\n\\nthree\\n\"", nlines, 4);
    SL_CHECK_BYTES("the lines, each followed by |", got, got_len, "one|two||three|", 15);
    pr_line_release(&l->lr);
}

SL_TEST(line_split_anywhere, 4,
        "Bytes come split anywhere: a line's start waits in the receiver (lr->in, allocated "
        "only then) until its '\\n' comes, however many calls later. Fed one byte at a time, "
        "or in uneven pieces, the lines are the same.")
{
    static const char text[] = "alpha beta\ngamma\ndelta epsilon zeta\n\nend\n";
    static const char want[] = "alpha beta|gamma|delta epsilon zeta||end|";
    size_t len = sizeof text - 1;
    lines_t *l = receiver(0);

    for (size_t i = 0; i < len; i++)
        feed(l, text + i, 1);
    SL_CHECK_BYTES("lines fed one byte at a time", got, got_len, want, sizeof want - 1);
    l = receiver(0);
    for (size_t i = 0, step = 1; i < len; i += step, step = step % 7 + 2)
        feed(l, text + i, i + step > len ? len - i : step);
    SL_CHECK_BYTES("lines fed in pieces of 1 to 8 bytes", got, got_len, want, sizeof want - 1);
    SL_HINT("No buffer for idle connections: once a line is complete and nothing is left, "
            "free the partial-line buffer and set lr->in to NULL.")
    {
        SL_CHECK_INT("lr->in once every line is complete", l->lr.in == NULL, 1);
    }
    feed(l, "half", 4);
    SL_CHECK_INT("line_received() calls for a partial line", nlines, 5);
    pr_line_release(&l->lr);
    SL_CHECK_INT("lr->in after pr_line_release()", l->lr.in == NULL, 1);
}

SL_TEST(line_bytes_pass_unchanged, 2,
        "A line is every byte before the '\\n': a '\\r' (telnet's \"\\r\\n\"), a NUL, any "
        "byte. Count by length (memchr() for the '\\n'), never as a C string.")
{
    static const char text[] = "telnet\r\nNUL\0inside\n\xff\xfe\n";
    static const char want[] = "telnet\r|NUL\0inside|\xff\xfe|";
    lines_t *l = receiver(0);

    feed(l, text, sizeof text - 1);
    SL_CHECK_BYTES("the lines, fed in one call", got, got_len, want, sizeof want - 1);
    l = receiver(0);
    feed(l, text, 6);
    SL_HINT("A partial line must be put in front of the bytes that come next: \"telnet\" came "
            "in one call and \"\\r\\n...\" in the next, and the line is \"telnet\\r\" "
            "(append the bytes before the '\\n' to lr->in, deliver lr->in whole).")
    {
        feed(l, text + 6, sizeof text - 1 - 6);
        SL_CHECK_BYTES("the lines, fed as \"telnet\" then the rest", got, got_len, want,
                       sizeof want - 1);
    }
    pr_line_release(&l->lr);
}

SL_TEST(line_too_long, 3,
        "A line of max_line bytes with its '\\n' is taken; one byte more (or max_line bytes "
        "with no '\\n' yet) calls line_too_long() once, and nothing more is delivered while "
        "the transport is disconnecting.")
{
    static char big[PR_LINE_MAX + 2];
    lines_t *l = receiver(0);

    memset(big, 'x', sizeof big);
    big[PR_LINE_MAX - 1] = '\n';
    feed(l, big, PR_LINE_MAX);
    SL_CHECK_INT("line_received() calls for a line of exactly PR_LINE_MAX with its \\n", nlines,
                 1);
    SL_CHECK_INT("line_too_long() calls for it", nlong, 0);
    l = receiver(0);
    big[PR_LINE_MAX - 1] = 'x';
    big[PR_LINE_MAX] = '\n';
    feed(l, big, 1000);
    feed(l, big + 1000, PR_LINE_MAX + 1 - 1000);
    feed(l, "after\n", 6);
    SL_CHECK_INT("line_too_long() calls for a line of PR_LINE_MAX + 1", nlong, 1);
    SL_CHECK_INT("line_received() calls for it and after", nlines, 0);
    l = receiver(10);
    feed(l, "0123456789", 10);
    SL_CHECK_INT("line_too_long() calls for max_line 10 and 10 bytes without \\n", nlong, 1);
    pr_line_release(&l->lr);
}

SL_TEST(line_raw_mode, 2,
        "pr_line_set_raw(lr, 1) from line_received(): the bytes after that line go to "
        "raw_data_received() at once, in the same call, and every byte after; no more lines.")
{
    lines_t *l = receiver(0);

    raw_after = 1;
    feed(l, "HEADER\nbody bytes\nmore", 22);
    feed(l, "\nlast", 5);
    SL_CHECK_INT("line_received() calls", nlines, 1);
    SL_CHECK_BYTES("lines, and <raw> pieces", got, got_len,
                   "HEADER|<body bytes\nmore><\nlast>", 31);
    pr_line_release(&l->lr);
}
