/* Task 4: non-blocking reads and writes (mux_set_nonblocking, mux_recv,
 * mux_flush).
 *
 * The peer is the test's own socket, read and written with plain system
 * calls. Small socket buffers make a send buffer fill up quickly; a peer
 * that closes with bytes unread resets the connection. The test process
 * keeps SIGPIPE's default action: a send() without MSG_NOSIGNAL to a peer
 * that has gone ends the test as a crash. */
#include "testutil.h"

SL_TASK(4, "Non-blocking reads and writes");

SL_TEST(nonblocking_keeps_the_other_flags, 1,
        "mux_set_nonblocking(): flags = fcntl(fd, F_GETFL), then fcntl(fd, F_SETFL, flags | "
        "O_NONBLOCK). Setting O_NONBLOCK alone would clear every other flag (O_APPEND here).")
{
    int a, b, fd = open("/dev/null", O_WRONLY | O_APPEND);
    char c;

    if (fd < 0)
        SL_FAIL_FATAL("test setup: open /dev/null: %s", strerror(errno));
    SL_REQUIRE_OK(mux_set_nonblocking(fd));
    SL_CHECK_INT("O_NONBLOCK after mux_set_nonblocking()", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, 1);
    SL_CHECK_INT("O_APPEND after mux_set_nonblocking() (it was set before)",
                 (fcntl(fd, F_GETFL) & O_APPEND) != 0, 1);
    SL_REQUIRE_OK(mux_set_nonblocking(fd));
    close(fd);
    tu_pair(&a, &b);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    SL_HINT("On a non-blocking socket with nothing to read, recv() fails at once with EAGAIN.")
    {
        SL_ASSERT_FAILS_WITH(recv(a, &c, 1, 0), EAGAIN);
    }
    SL_ASSERT_FAILS_WITH(mux_set_nonblocking(-1), EBADF);
    close(a);
    close(b);
}

SL_TEST(recv_appends_what_came, 2,
        "mux_recv(fd, b, max): make room for max bytes at the end of b (as mux_buf_append() "
        "does), then one recv(fd, b->data + b->end, max, 0), and add what came to end. "
        "Nothing to read: -1 with EAGAIN, the buffer unchanged; the end of the stream: 0.")
{
    static char big[20000];
    mux_buf_t b;
    int a, p;

    tu_pair(&a, &p);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    mux_buf_init(&b);
    SL_REQUIRE_OK(mux_buf_append(&b, "xy", 2, 100));
    SL_ASSERT_FAILS_WITH(mux_recv(a, &b, 100), EAGAIN);
    SL_CHECK_BYTES("the buffer after a recv with nothing to read", b.data + b.start, tu_len(&b),
                   "xy", 2);
    sl_sock_send(p, "hello", 5);
    tu_wait_readable(a, 1000);
    SL_CHECK_INT("mux_recv(fd, b, 100) with \"hello\" waiting", mux_recv(a, &b, 100), 5);
    SL_CHECK_BYTES("the buffer after mux_recv()", b.data + b.start, tu_len(&b), "xyhello", 7);
    SL_HINT("recv() may write up to max bytes: make that much room first (the test sends "
            "20000 bytes and reads them with max 16384, under AddressSanitizer), and read no "
            "more than max.")
    {
        sl_pattern(big, sizeof big, 4);
        sl_sock_send(p, big, sizeof big);
        mux_buf_consume(&b, 7);
        while (tu_len(&b) < sizeof big && tu_wait_readable(a, 1000)) {
            size_t before = tu_len(&b);
            ssize_t n = mux_recv(a, &b, 16384);

            if (n <= 0 || n > 16384 || tu_len(&b) != before + (size_t)n)
                SL_FAIL_FATAL("mux_recv(fd, b, 16384) returned %zd, and the buffer went from "
                              "%zu to %zu bytes", n, before, tu_len(&b));
        }
        SL_CHECK_BYTES("20000 bytes read by mux_recv()", b.data + b.start, tu_len(&b), big,
                       sizeof big);
    }
    close(p);
    tu_wait_readable(a, 1000);
    {
        ssize_t n;

        SL_QUIET_CALL(n, mux_recv(a, &b, 100));
        SL_CHECK_INT("mux_recv() at the end of the stream", n, 0);
    }
    SL_CHECK_INT("bytes in the buffer after the end of the stream", tu_len(&b), sizeof big);
    SL_ASSERT_FAILS_WITH(mux_recv(a, NULL, 100), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_recv(a, &b, 0), EINVAL);
    mux_buf_free(&b);
    close(a);
}

SL_TEST(recv_reports_a_reset, 1,
        "A peer that resets the connection: recv() fails with ECONNRESET, and so does "
        "mux_recv(), appending nothing.")
{
    mux_buf_t b;
    int a, p;

    tu_pair(&a, &p);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    mux_buf_init(&b);
    sl_sock_reset(p);
    tu_wait_readable(a, 1000);
    {
        ssize_t n;

        SL_QUIET_CALL(n, mux_recv(a, &b, 100));
        SL_CHECK_FAILS("mux_recv(fd, b, 100) from a peer that reset", n, errno, ECONNRESET);
    }
    SL_CHECK_INT("bytes in the buffer after a reset", tu_len(&b), 0);
    mux_buf_free(&b);
    close(a);
}

/* Reads what the peer fd has now (nothing waits for it), hashing it. */
static size_t take(int fd, uint32_t *hash)
{
    static unsigned char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);

    for (ssize_t i = 0; i < n; i++)
        *hash = (*hash ^ buf[i]) * 16777619u;
    return n > 0 ? (size_t)n : 0;
}

SL_TEST(flush_sends_what_fits_and_keeps_the_rest, 3,
        "mux_flush(): send() with MSG_NOSIGNAL while bytes wait, consuming what went; stop at "
        "EAGAIN (the socket's buffer is full: no error) and return how many bytes still wait. "
        "Never wait for room: a server that does waits for one client with all the others.")
{
    static unsigned char data[2 << 20];
    uint32_t want = 2166136261u, got = 2166136261u;
    size_t arrived = 0;
    mux_buf_t b;
    ssize_t left;
    int a, p;

    tu_pair(&a, &p);
    sl_sock_buffer(a, SO_SNDBUF, 16384);
    sl_sock_buffer(p, SO_RCVBUF, 16384);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    sl_pattern(data, sizeof data, 9);
    for (size_t i = 0; i < sizeof data; i++)
        want = (want ^ data[i]) * 16777619u;
    mux_buf_init(&b);
    SL_REQUIRE_OK(mux_buf_append(&b, data, sizeof data, sizeof data));
    left = mux_flush(a, &b);
    if (left <= 0 || left >= (ssize_t)sizeof data)
        SL_FAIL_FATAL("mux_flush() of 2 MiB to a peer that reads nothing returned %zd (errno "
                      "%s): expected the bytes still waiting, more than 0 and fewer than 2 MiB",
                      left, sl_errno_name(errno));
    SL_CHECK_INT("what mux_flush() returned, against the bytes the buffer still holds", left,
                 tu_len(&b));
    SL_HINT("The peer now reads; the test calls mux_flush() each time the socket is writable "
            "until it returns 0: every byte must arrive, in order, once.")
    {
        double end = sl_now_ms() + sl_scaled_ms(2000);

        while ((left > 0 || arrived < sizeof data) && sl_now_ms() < end) {
            struct pollfd w[2] = {{.fd = a, .events = left > 0 ? POLLOUT : 0},
                                  {.fd = p, .events = POLLIN}};

            if (poll(w, 2, 100) <= 0)
                continue;
            if (w[1].revents & POLLIN)
                arrived += take(p, &got);
            if ((w[0].revents & POLLOUT) && (left = mux_flush(a, &b)) < 0)
                SL_FAIL_FATAL("mux_flush() failed with %s while the peer read", sl_errno_name(errno));
        }
        SL_CHECK_INT("bytes that arrived", arrived, sizeof data);
        if (got != want)
            SL_FAIL("the 2 MiB arrived, but not as sent: after a short send, go on from the "
                    "first byte that did not go");
    }
    SL_CHECK_INT("mux_flush() of an empty buffer", mux_flush(a, &b), 0);
    SL_ASSERT_FAILS_WITH(mux_flush(a, NULL), EINVAL);
    mux_buf_free(&b);
    close(a);
    close(p);
}

SL_TEST(flush_to_a_peer_that_left, 2,
        "A peer that has gone: send() fails with EPIPE or ECONNRESET, and mux_flush() returns "
        "-1 with it. Send with MSG_NOSIGNAL: without it, the kernel raises SIGPIPE, which "
        "kills the process (here, the test; in a server, every client at once).")
{
    mux_buf_t b;
    ssize_t left = 0;
    int a, p;

    tu_pair(&a, &p);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    mux_buf_init(&b);
    sl_sock_send(a, "unread", 6);
    sl_sleep_ms(20);
    close(p);   /* with bytes unread: the peer's kernel answers with a reset */
    for (int i = 0; i < 50 && left >= 0; i++) {
        SL_REQUIRE_OK(mux_buf_append(&b, "more\n", 5, 1 << 20));
        SL_QUIET_CALL(left, mux_flush(a, &b));
        sl_sleep_ms(10);
    }
    if (left >= 0)
        SL_FAIL_FATAL("mux_flush() to a peer that closed still succeeds after 50 tries "
                      "(%zd bytes left): expected -1 with EPIPE or ECONNRESET", left);
    if (errno != EPIPE && errno != ECONNRESET)
        SL_FAIL("mux_flush() to a peer that left failed with %s: expected EPIPE or ECONNRESET",
                sl_errno_name(errno));
    close(a);
    tu_pair(&a, &p);
    SL_REQUIRE_OK(mux_set_nonblocking(a));
    shutdown(a, SHUT_WR);
    SL_HINT("This side has shut down its sending half: send() fails with EPIPE, and raises "
            "SIGPIPE unless told not to. Pass MSG_NOSIGNAL to every send().")
    {
        signal(SIGPIPE, SIG_DFL);   /* the default, whatever the test was started with */
        SL_REQUIRE_OK(mux_buf_append(&b, "more\n", 5, 1 << 20));
        SL_ASSERT_FAILS_WITH(mux_flush(a, &b), EPIPE);
    }
    mux_buf_free(&b);
    close(a);
    close(p);
}
