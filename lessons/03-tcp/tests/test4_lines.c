/* Task 4: reading lines (tcp_reader_init, tcp_read_line, tcp_peek).
 * Lines come as a real stream brings them: split across recv() calls,
 * several in one, in pieces of every size, with signals in between. */
#include "testutil.h"

SL_TASK(4, "Reading lines");

/* ---- helpers ------------------------------------------------------------- */

/* What a writing child sends: pieces, with a pause before each. */
struct script {
    const char *data;   /* all the bytes */
    size_t len;
    const size_t *pieces;   /* sizes of the pieces, 0-terminated; NULL: all at once */
    int pause_ms;       /* before each piece */
    int close_after;    /* close at the end (else stay until killed) */
};

/* The child's part: sends the script's pieces on fd. */
static void play(int fd, long arg)
{
    const struct script *s = (const struct script *)(intptr_t)arg;
    size_t off = 0;

    for (size_t i = 0; off < s->len; i++) {
        size_t n = s->pieces && s->pieces[i] ? s->pieces[i] : s->len - off;

        if (n > s->len - off)
            n = s->len - off;
        sl_sleep_ms(s->pause_ms);
        tu_child_send(fd, s->data + off, n);
        off += n;
    }
    if (!s->close_after)
        sl_sleep_ms(10000);
}

/* A connection over host whose far end plays script s in a child. The
 * near end gets a receive timeout, so a reader that waits for bytes that
 * never come fails instead of hanging. Returns the child. */
static pid_t start_script(const char *host, const struct script *s, int *fd)
{
    int ms = sl_scaled_ms(2000), server;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    pid_t child;

    tu_pair(host, fd, &server);
    setsockopt(*fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    child = sl_child(play, server, (long)(intptr_t)s);
    close(server);
    return child;
}

/* The next line must be want (of want_len bytes): tcp_read_line() into a
 * heap buffer of exactly size bytes must return want_len. `which` names
 * the line in messages ("the 2nd line"). */
static int line_is(tcp_reader_t *r, size_t size, const char *which, const char *want,
                   size_t want_len)
{
    char *line = sl_alloc(size), what[160];
    ssize_t n;
    int ok = 0;

    snprintf(what, sizeof what, "tcp_read_line() of %s (a %zu-byte buffer)", which, size);
    memset(line, 'Z', size);
    errno = 0;
    n = tcp_read_line(r, line, size);
    if (n < 0)
        SL_FAIL("%s returned -1 with errno %s: expected %zu bytes %s", what, sl_errno_text(errno),
                want_len, sl_bytes_brief(want, want_len));
    else if ((size_t)n != want_len || memcmp(line, want, want_len) != 0)
        SL_FAIL("%s returned %zd bytes %s: expected %zu bytes %s", what, n,
                sl_bytes_brief(line, (size_t)n < size ? (size_t)n : size), want_len,
                sl_bytes_brief(want, want_len));
    else if (line[n] != '\0')
        SL_FAIL("%s returned the right %zd bytes, but no NUL after them", what, n);
    else
        ok = 1;
    sl_free(line);
    return ok;
}

/* tcp_read_line() must return 0: the end of the stream. */
static void at_end(tcp_reader_t *r, const char *when)
{
    char line[64];
    ssize_t n;

    errno = 0;
    n = tcp_read_line(r, line, sizeof line);
    if (n != 0)
        SL_FAIL("tcp_read_line() %s returned %s: expected 0, the end of the stream", when,
                sl_returned(n, errno));
}

/* ---- tcp_read_line ----------------------------------------------------------- */

SL_NET_TEST(read_line_two_lines_from_one_recv, 2, 0,
            "One recv() is not one line: here it brings two. Hand out the bytes up to and "
            "including the first '\\n' (memchr() finds it), and keep the rest in the "
            "reader's buffer for the next call.")
{
    static const struct script s = {"one\ntwo\n", 8, NULL, 0, 1};
    tcp_reader_t r;
    int fd;
    pid_t child = start_script(host, &s, &fd);

    sl_sleep_ms(20);   /* both lines are there before the first call */
    tcp_reader_init(&r, fd);
    if (line_is(&r, 64, "\"one\\ntwo\\n\", the 1st line", "one\n", 4))
        line_is(&r, 64, "\"one\\ntwo\\n\", the 2nd line", "two\n", 4);
    at_end(&r, "after the two lines, with the stream closed");
    sl_reap(child, 1000);
    close(fd);
}

SL_NET_TEST(read_line_gathers_a_line_split_across_recvs, 2, 0,
            "A line may come in pieces: \"hel\", then \"lo\\nwor\", then \"ld\\n\". When the "
            "buffer holds no '\\n', copy what it has and recv() more: return only at a "
            "'\\n' (or at the end of the stream).")
{
    static const size_t pieces[] = {3, 6, 3, 0};
    static const struct script s = {"hello\nworld\n", 12, pieces, 40, 1};
    tcp_reader_t r;
    int fd;
    pid_t child = start_script(host, &s, &fd);

    tcp_reader_init(&r, fd);
    if (line_is(&r, 64, "\"hel\" + \"lo\\nwor\" + \"ld\\n\", the 1st line", "hello\n", 6))
        line_is(&r, 64, "\"hel\" + \"lo\\nwor\" + \"ld\\n\", the 2nd line", "world\n", 6);
    at_end(&r, "after the two lines, with the stream closed");
    sl_reap(child, 1000);
    close(fd);
}

/* Lines of a seeded pattern: printable bytes, lengths from 0 to 300 and a
 * few longer than the reader's buffer; stored one after another in text,
 * each ending in '\n'. Returns the total length. */
static size_t make_lines(char *text, size_t cap, int count, size_t *lens)
{
    uint32_t x = 12345;
    size_t off = 0;

    for (int i = 0; i < count; i++) {
        size_t len;

        x = x * 1103515245u + 12345u;
        len = (x >> 8) % 301;
        if (i % 97 == 50)
            len = TCP_READER_SIZE + 1000 + (size_t)i;   /* longer than the buffer */
        if (off + len + 1 > cap)
            break;
        for (size_t k = 0; k < len; k++)
            text[off + k] = (char)(' ' + (x >> 3 ^ k * 7) % 95);
        text[off + len] = '\n';
        lens[i] = len + 1;
        off += len + 1;
    }
    return off;
}

SL_TEST_TIMEOUT(read_line_many_lines_in_pieces_of_every_size, 3, 10000,
                "Lines split anywhere, several in one recv(), some longer than the reader's "
                "buffer, with signals interrupting recv() (EINTR: call it again): keep "
                "copying from the buffer and refilling it until the '\\n'.")
{
    enum { COUNT = 2000, CAP = 800 * 1024 };
    static size_t pieces[4096];
    static size_t lens[COUNT];
    char *text = sl_alloc(CAP), *line = sl_alloc(16384), which[64];
    struct script s = {text, 0, pieces, 0, 1};
    size_t off = 0;
    uint32_t x = 99;
    tcp_reader_t r;
    int fd, i, bad = 0;
    pid_t child;

    memset(lens, 0, sizeof lens);
    s.len = make_lines(text, CAP, COUNT, lens);
    for (size_t k = 0; k + 1 < SL_COUNT(pieces); k++) {
        x = x * 1103515245u + 12345u;
        pieces[k] = 1 + (x >> 8) % ((k % 3 == 0) ? 7 : 5000);
    }
    s.pause_ms = 0;
    child = start_script("127.0.0.1", &s, &fd);
    tcp_reader_init(&r, fd);
    sl_timer_start(1000, 500);
    for (i = 0; i < COUNT && lens[i] > 0 && !bad; i++) {
        ssize_t n;

        errno = 0;
        n = tcp_read_line(&r, line, 16384);
        if (n != (ssize_t)lens[i] || memcmp(line, text + off, lens[i]) != 0) {
            int err = errno;

            sl_timer_stop();
            snprintf(which, sizeof which, "line %d (of %zu bytes, at byte %zu of the stream)",
                     i + 1, lens[i], off);
            if (n < 0 && err == EINTR)
                SL_FAIL("tcp_read_line() of %s returned -1 with errno EINTR: a signal "
                        "interrupted recv(); call it again", which);
            else if (n < 0)
                SL_FAIL("tcp_read_line() of %s returned -1 with errno %s", which, sl_errno_text(err));
            else
                SL_FAIL("tcp_read_line() of %s returned %zd bytes %s: expected %s", which, n,
                        sl_bytes_brief(line, (size_t)n), sl_bytes_brief(text + off, lens[i]));
            bad = 1;
        }
        off += lens[i];
    }
    sl_timer_stop();
    if (!bad)
        at_end(&r, "after the last line, with the stream closed");
    sl_reap(child, 2000);
    close(fd);
    sl_free(text);
    sl_free(line);
}

SL_NET_TEST(read_line_last_line_without_newline, 2, 0,
            "At the end of the stream (recv() returns 0) the bytes gathered so far are the "
            "last line, without '\\n': return them. The call after that returns 0.")
{
    static const struct script s = {"a\nlast", 6, NULL, 0, 1};
    tcp_reader_t r;
    int fd;
    pid_t child = start_script(host, &s, &fd);

    tcp_reader_init(&r, fd);
    if (line_is(&r, 64, "\"a\\nlast\", then the end, the 1st line", "a\n", 2))
        line_is(&r, 64, "\"a\\nlast\", then the end, the last line", "last", 4);
    at_end(&r, "after the last line");
    at_end(&r, "once more after the end");
    sl_reap(child, 1000);
    close(fd);
}

SL_TEST(read_line_exactly_fits_or_fails_with_emsgsize, 3,
        "A line fits when it and a NUL fit in size bytes: \"abcdef\\n\" in 8 bytes does. "
        "\"abcdefg\\n\" does not: once size - 1 bytes came with no '\\n', fail with "
        "EMSGSIZE, those bytes in line with a NUL, and consumed: the next call returns "
        "\"\\n\". Never write line[size] or beyond.")
{
    static char big[2 * TCP_READER_SIZE + 32];
    struct script s = {big, 0, NULL, 0, 1};
    char *line = sl_alloc(8);
    tcp_reader_t r;
    ssize_t n;
    size_t off = 0;
    int fd;
    pid_t child;

    /* "abcdef\n" "abcdefg\n" "x\n", then a line of exactly TCP_READER_SIZE
     * bytes with its '\n', then one of TCP_READER_SIZE + 1. */
    memcpy(big, "abcdef\nabcdefg\nx\n", 17);
    off = 17;
    memset(big + off, 'q', TCP_READER_SIZE - 1);
    big[off + TCP_READER_SIZE - 1] = '\n';
    off += TCP_READER_SIZE;
    memset(big + off, 'r', TCP_READER_SIZE);
    big[off + TCP_READER_SIZE] = '\n';
    s.len = off + TCP_READER_SIZE + 1;
    child = start_script("127.0.0.1", &s, &fd);
    tcp_reader_init(&r, fd);
    line_is(&r, 8, "\"abcdef\\n\" (7 bytes)", "abcdef\n", 7);
    memset(line, 'Z', 8);
    errno = 0;
    n = tcp_read_line(&r, line, 8);
    if (n != -1 || errno != EMSGSIZE)
        SL_FAIL("tcp_read_line() of \"abcdefg\\n\" (8 bytes) into 8 bytes: expected -1 with "
                "errno %s, got %s", sl_errno_text(EMSGSIZE), sl_returned(n, errno));
    SL_HINT("On EMSGSIZE the size - 1 bytes that came are in line, with a NUL after them "
            "(as fgets() leaves them): here \"abcdefg\".")
    {
        SL_CHECK_BYTES("line after EMSGSIZE", line, strnlen(line, 8), "abcdefg", 7);
    }
    SL_HINT("The bytes of the line that did not fit are consumed: the next call goes on "
            "with the rest of the line, here its \"\\n\".")
    {
        line_is(&r, 8, "the rest of \"abcdefg\\n\" after EMSGSIZE", "\n", 1);
    }
    memset(line, 'Z', 8);
    errno = 0;
    n = tcp_read_line(&r, line, 2);
    if (n != -1 || errno != EMSGSIZE)
        SL_FAIL("tcp_read_line() of \"x\\n\" into 2 bytes (room for one byte and the NUL): "
                "expected -1 with errno %s, got %s", sl_errno_text(EMSGSIZE), sl_returned(n, errno));
    line_is(&r, 2, "the rest of \"x\\n\" into 2 bytes", "\n", 1);
    line_is(&r, TCP_READER_SIZE + 1, "a line of TCP_READER_SIZE bytes with its '\\n'", big + 17,
            TCP_READER_SIZE);
    line_is(&r, TCP_READER_SIZE + 2, "a line of TCP_READER_SIZE + 1 bytes with its '\\n'",
            big + 17 + TCP_READER_SIZE, TCP_READER_SIZE + 1);
    sl_reap(child, 1000);
    close(fd);
    sl_free(line);
}

SL_TEST(read_line_reads_ahead, 1,
        "The reader is buffered: one recv() asks for as many bytes as its buffer has room "
        "for, and keeps what follows the line for the next call. A reader that calls "
        "recv() for one byte at a time makes a system call per byte.")
{
    static const struct script s = {"first\nsecond\n", 13, NULL, 0, 0};
    tcp_reader_t r;
    int fd;
    pid_t child = start_script("127.0.0.1", &s, &fd);

    sl_sleep_ms(30);   /* all 13 bytes have come, in one piece */
    tcp_reader_init(&r, fd);
    if (line_is(&r, 64, "\"first\\nsecond\\n\", the 1st line", "first\n", 6)) {
        if (sl_readable(fd))
            SL_FAIL("after tcp_read_line() returned \"first\\n\", \"second\\n\" was still "
                    "waiting on the socket: the reader must take all that one recv() "
                    "gives (up to its buffer's size) and keep it");
        line_is(&r, 64, "\"first\\nsecond\\n\", the 2nd line", "second\n", 7);
    }
    kill(child, SIGKILL);
    sl_reap(child, 1000);
    close(fd);
}

SL_TEST(read_line_any_byte, 1,
        "A line may hold any byte, NUL and 0xff included: copy bytes with memcpy() and "
        "count them, do not use strlen() or string functions.")
{
    static const struct script s = {"a\0b\x01\xff\nnext\n", 11, NULL, 0, 1};
    tcp_reader_t r;
    int fd;
    pid_t child = start_script("127.0.0.1", &s, &fd);

    tcp_reader_init(&r, fd);
    if (line_is(&r, 64, "a line with a NUL and 0xff in it", "a\0b\x01\xff\n", 6))
        line_is(&r, 64, "the line after it", "next\n", 5);
    sl_reap(child, 1000);
    close(fd);
}

SL_TEST(read_line_errors, 1,
        "Check the arguments (a NULL reader or line, a size below 2: EINVAL); when recv() "
        "fails (ECONNRESET), return -1 with its errno.")
{
    int client, server;
    char line[16];
    tcp_reader_t r;

    tu_pair("127.0.0.1", &client, &server);
    tcp_reader_init(&r, client);
    sl_sock_send(server, "ok\n", 3);
    SL_MUST_RETURN(tcp_read_line(&r, line, sizeof line), 3);   /* it works at all */
    TU_FAILS_WITH(tcp_read_line(&r, line, 1), EINVAL);
    TU_FAILS_WITH(tcp_read_line(&r, line, 0), EINVAL);
    TU_FAILS_WITH(tcp_read_line(&r, NULL, sizeof line), EINVAL);
    TU_FAILS_WITH(tcp_read_line(NULL, line, sizeof line), EINVAL);
    sl_sock_reset(server);
    TU_FAILS_WITH(tcp_read_line(&r, line, sizeof line), ECONNRESET);
    close(client);
}

/* ---- tcp_peek ----------------------------------------------------------------- */

SL_NET_TEST(peek_leaves_the_bytes, 2, 0,
            "recv() with MSG_PEEK copies what is waiting without consuming it: the next "
            "recv() gets the same bytes. At the end of the stream it returns 0.")
{
    int client, server;
    char buf[16];
    ssize_t n;

    tu_pair(host, &client, &server);
    sl_sock_send(server, "hello", 5);
    sl_sleep_ms(20);
    n = tcp_peek(client, buf, 3);
    SL_CHECK_INT("tcp_peek(3 bytes) with \"hello\" waiting", n, 3);
    if (n == 3)
        SL_CHECK_BYTES("the bytes tcp_peek(3 bytes) copied", buf, 3, "hel", 3);
    n = tcp_peek(client, buf, sizeof buf);
    SL_CHECK_INT("tcp_peek(16 bytes) again (nothing consumed yet)", n, 5);
    SL_CHECK_BYTES("what recv() reads after two tcp_peek() calls", buf,
                   sl_read_within(client, buf, 5, 1000), "hello", 5);
    close(server);
    SL_CHECK_INT("tcp_peek() at the end of the stream", tcp_peek(client, buf, sizeof buf), 0);
    close(client);
}

/* The child's part: sends "late" on fd after 150 ms. */
static void late_sender(int fd, long unused)
{
    (void)unused;
    sl_sleep_ms(150);
    tu_child_send(fd, "late", 4);
    sl_sleep_ms(2000);
}

SL_TEST(peek_waits_through_signals_and_fails_when_it_must, 1,
        "On a blocking socket tcp_peek() waits for a byte; a signal that interrupts it "
        "(EINTR) is no reason to stop. Non-blocking with nothing there: EAGAIN. A NULL "
        "buffer or a length of 0: EINVAL.")
{
    int client, server, flags;
    char buf[8];
    ssize_t n;
    pid_t child;

    tu_pair("127.0.0.1", &client, &server);
    TU_FAILS_WITH(tcp_peek(client, NULL, sizeof buf), EINVAL);
    TU_FAILS_WITH(tcp_peek(client, buf, 0), EINVAL);
    flags = fcntl(client, F_GETFL);
    fcntl(client, F_SETFL, flags | O_NONBLOCK);
    TU_FAILS_WITH(tcp_peek(client, buf, sizeof buf), EAGAIN);
    fcntl(client, F_SETFL, flags);
    child = sl_child(late_sender, server, 0);
    /* SIGALRM every 50 ms while it waits: even if this process was held up
     * past the first, one comes during the wait. */
    sl_timer_start(50000, 50000);
    errno = 0;
    n = tcp_peek(client, buf, sizeof buf);
    sl_timer_stop();
    if (n < 0 && errno == EINTR)
        SL_FAIL("tcp_peek() returned -1 with errno EINTR when a signal interrupted its "
                "wait: call recv() again");
    else
        SL_CHECK_INT("tcp_peek() that waits for \"late\" (through a signal)", n, 4);
    kill(child, SIGKILL);
    sl_reap(child, 1000);
    close(server);
    close(client);
}
