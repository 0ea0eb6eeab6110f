/* Task 3: short counts (tcp_send_all, tcp_read_exact).
 *
 * Short counts and EINTR are made to happen, not hoped for: the peer is a
 * child process that waits before it reads or writes, and then goes
 * slowly; the socket buffers are small; and an interval timer sends
 * SIGALRM every millisecond to a handler installed without SA_RESTART. A
 * blocking send() or recv() that the signal interrupts fails with EINTR if
 * it moved nothing yet, or returns a short count if it moved some bytes.
 * The peer starts only after the first signals, so both happen in every
 * run. */
#include "testutil.h"

SL_TASK(3, "Short counts: send all, read exact");

#define BIG (512 * 1024)   /* bytes that cannot fit in the small buffers */

/* ---- helpers ------------------------------------------------------------- */

/* A connection over 127.0.0.1 whose sending side (*client) has a small
 * send buffer and whose receiving side (*server) a small receive buffer
 * (set on the listener, so the accepted socket has it from the start). */
static void small_pair(int *client, int *server)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, "127.0.0.1", 0);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);

    if (lfd < 0)
        SL_FAIL_FATAL("test setup: socket: %s", strerror(errno));
    sl_sock_buffer(lfd, SO_RCVBUF, 4096);
    if (bind(lfd, (struct sockaddr *)&ss, len) < 0 || listen(lfd, 1) < 0)
        SL_FAIL_FATAL("test setup: listen: %s", strerror(errno));
    *client = socket(AF_INET, SOCK_STREAM, 0);
    sl_sock_buffer(*client, SO_SNDBUF, 4096);
    len = sl_addr(&ss, "127.0.0.1", sl_port_of(lfd));
    if (connect(*client, (struct sockaddr *)&ss, len) < 0)
        SL_FAIL_FATAL("test setup: connect: %s", strerror(errno));
    *server = sl_accept_within(lfd, 2000);
    close(lfd);
    if (*server < 0)
        SL_FAIL_FATAL("test setup: accept: %s", strerror(errno));
}

/* What the slow reader saw. */
struct seen {
    uint64_t count;
    uint32_t hash;
};

/* The child's part: waits 30 ms, then reads fd slowly (1 KiB at a time,
 * a pause after each) until the end of the stream, and writes what it
 * saw to the pipe whose write end is `arg`. */
static void slow_reader(int fd, long pipe_fd)
{
    char buf[1024];
    struct seen seen = {0, 2166136261u};
    ssize_t n;

    sl_sleep_ms(30);
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0 || (n < 0 && errno == EINTR)) {
        if (n < 0)
            continue;
        seen.count += (uint64_t)n;
        seen.hash = tu_hash(seen.hash, buf, (size_t)n);
        usleep(100);
    }
    if (write((int)pipe_fd, &seen, sizeof seen) != (ssize_t)sizeof seen)
        _exit(1);
}

/* The child's part: waits 30 ms, then writes `arg` bytes of the pattern of
 * seed 3 to fd in pieces of 700 bytes, a pause after each. */
static void slow_writer(int fd, long len)
{
    char *data = malloc((size_t)len);
    long off = 0;

    if (data == NULL)
        _exit(1);
    sl_pattern(data, (size_t)len, 3);
    sl_sleep_ms(30);
    while (off < len) {
        size_t piece = len - off < 700 ? (size_t)(len - off) : 700;
        ssize_t n = send(fd, data + off, piece, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        off += n;
        usleep(200);
    }
    free(data);
}

/* A record of SIGPIPE, so that a test can tell that it came. */
static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
    (void)sig;
    sigpipes++;
}

static void catch_sigpipe(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigpipe;
    sigemptyset(&sa.sa_mask);
    sigpipes = 0;
    sigaction(SIGPIPE, &sa, NULL);
}

/* Waits until the connection fd has an error or a hang-up pending (the
 * peer's RST has arrived). */
static void wait_for_error(int fd)
{
    struct pollfd p = {.fd = fd, .events = 0};

    if (poll(&p, 1, sl_scaled_ms(2000)) <= 0 || !(p.revents & (POLLERR | POLLHUP)))
        SL_FAIL_FATAL("test setup: the peer's reset did not arrive");
}

/* tcp_send_all() of a few bytes on a connection whose peer reads must
 * return 0 and deliver them: a test of its failures first requires that. */
static void send_all_works(int client, int server)
{
    char buf[5];

    SL_MUST_RETURN(tcp_send_all(client, "first", 5), 0);
    if (sl_read_within(server, buf, 5, 1000) != 5 || memcmp(buf, "first", 5) != 0)
        SL_FAIL_FATAL("tcp_send_all(\"first\") returned 0, but the peer did not receive "
                      "\"first\": send the bytes of buf, len of them");
}

/* ---- tcp_send_all ---------------------------------------------------------- */

SL_NET_TEST(send_all_sends_the_bytes, 1, 0,
            "tcp_send_all() calls send(fd, p, left, MSG_NOSIGNAL) until no byte is left, "
            "and returns 0.")
{
    static const char msg[] = "hello, world\n";
    int client, server;
    char buf[sizeof msg];

    tu_pair(host, &client, &server);
    SL_RETURNS(tcp_send_all(client, msg, sizeof msg - 1), 0);
    SL_CHECK_BYTES("what the peer received after tcp_send_all(\"hello, world\\n\")", buf,
                   sl_read_within(server, buf, sizeof msg - 1, 1000), msg, sizeof msg - 1);
    close(client);
    close(server);
}

SL_TEST_TIMEOUT(send_all_survives_short_writes_and_signals, 4, 10000,
                "send() may take fewer bytes than it was given (a short count: go on with "
                "the rest, from buf + sent) or fail with EINTR when a signal interrupts it "
                "before any byte moved (call it again). Loop until every byte is sent.")
{
    char *data = sl_alloc(BIG);
    int client, server, p[2], ret, err, ticks;
    struct seen seen = {0, 0};
    uint32_t want;
    pid_t child;

    sl_pattern(data, BIG, 7);
    want = tu_hash(2166136261u, data, BIG);
    small_pair(&client, &server);
    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    child = sl_child(slow_reader, server, p[1]);
    close(server);
    close(p[1]);
    sl_timer_start(2000, 1000);
    errno = 0;
    ret = tcp_send_all(client, data, BIG);
    err = errno;
    ticks = sl_timer_stop();
    sl_note("tcp_send_all(%d bytes) returned %d (errno %s); SIGALRM came %d times during it",
            BIG, ret, ret < 0 ? sl_errno_text(err) : "-", ticks);
    shutdown(client, SHUT_WR);
    if (sl_read_within(p[0], &seen, sizeof seen, 5000) != sizeof seen)
        SL_FAIL_FATAL("test: the reading peer did not say what it received");
    sl_reap(child, 2000);
    SL_HINT("A signal interrupted send() before it took a byte, so send() failed with "
            "EINTR: that is no error of the connection. Call send() again.")
    {
        if (ret < 0 && err == EINTR)
            SL_FAIL("tcp_send_all() of %d bytes, interrupted by signals, returned -1 with "
                    "errno EINTR: expected 0", BIG);
    }
    if (ret < 0 && err != EINTR)
        SL_FAIL("tcp_send_all() of %d bytes returned -1 with errno %s: expected 0", BIG,
                sl_errno_text(err));
    if (ret == 0 && seen.count != BIG)
        SL_FAIL("tcp_send_all() of %d bytes returned 0, but the peer received %llu bytes "
                "before the end of the stream: a send() returned a short count and the rest "
                "was never sent", BIG, (unsigned long long)seen.count);
    else if (ret == 0 && seen.hash != want)
        SL_FAIL("tcp_send_all() of %d bytes: the peer received %d bytes, but not the same "
                "bytes in the same order (after a short count of n, go on from buf + n)",
                BIG, BIG);
    close(client);
    close(p[0]);
    sl_free(data);
}

SL_TEST(send_all_to_a_closed_peer_fails_with_epipe, 3,
        "Pass MSG_NOSIGNAL to every send(): without it, sending on a connection the peer "
        "has closed raises SIGPIPE, which kills the process (a server with it). With it, "
        "send() fails with EPIPE: return -1 and let the caller drop that connection.")
{
    int client, server, ret, err;

    tu_pair("127.0.0.1", &client, &server);
    send_all_works(client, server);
    close(server);                   /* the peer is gone ... */
    sl_read_within(client, &(char){0}, 1, 1000);
    sl_sock_send(client, "x", 1);         /* ... and answers this with a reset */
    wait_for_error(client);
    catch_sigpipe();
    errno = 0;
    ret = tcp_send_all(client, "hello", 5);
    err = errno;
    signal(SIGPIPE, SIG_DFL);
    if (sigpipes > 0)
        SL_FAIL("tcp_send_all() to a peer that has closed raised SIGPIPE (this test caught "
                "it; a program would have died of it): pass MSG_NOSIGNAL to send()");
    if (ret != -1 || err != EPIPE)
        SL_FAIL("tcp_send_all() to a peer that has closed (and reset the connection, which "
                "was reported already): expected -1 with errno %s, got %s", sl_errno_text(EPIPE),
                sl_returned(ret, err));
    close(client);
}

SL_NET_TEST(send_all_to_a_reset_peer_fails, 1, 0,
            "When send() fails with ECONNRESET (the peer reset the connection), return -1 "
            "and keep that errno: do not retry.")
{
    int client, server;

    tu_pair(host, &client, &server);
    send_all_works(client, server);
    sl_sock_reset(server);
    wait_for_error(client);
    catch_sigpipe();
    TU_FAILS_WITH(tcp_send_all(client, "hello", 5), ECONNRESET);
    signal(SIGPIPE, SIG_DFL);
    close(client);
}

SL_TEST(send_all_edge_cases, 1,
        "Sending 0 bytes sends nothing and succeeds (even with a NULL buffer); a NULL "
        "buffer with bytes to send is EINVAL; a descriptor that is not open is EBADF.")
{
    int client, server, closed;

    tu_pair("127.0.0.1", &client, &server);
    send_all_works(client, server);
    SL_RETURNS(tcp_send_all(client, "abc", 0), 0);
    SL_RETURNS(tcp_send_all(client, NULL, 0), 0);
    TU_FAILS_WITH(tcp_send_all(client, NULL, 5), EINVAL);
    SL_CHECK_INT("bytes waiting at the peer after sending 0 bytes", sl_readable(server), 0);
    closed = dup(client);
    close(closed);
    TU_FAILS_WITH(tcp_send_all(closed, "abc", 3), EBADF);
    close(client);
    close(server);
}

/* ---- tcp_read_exact -------------------------------------------------------- */

SL_TEST_TIMEOUT(read_exact_survives_short_reads_and_signals, 4, 10000,
                "recv() returns what has arrived, often fewer bytes than asked for (go on "
                "reading into buf + got), and fails with EINTR when a signal interrupts it "
                "before a byte came (call it again). Loop until len bytes came.")
{
    const long len = 256 * 1024;
    char *want = sl_alloc((size_t)len), *got = sl_alloc((size_t)len);
    int client, server, err, ticks;
    ssize_t ret;
    pid_t child;

    sl_pattern(want, (size_t)len, 3);
    tu_pair("127.0.0.1", &client, &server);
    child = sl_child(slow_writer, server, len);
    close(server);
    sl_timer_start(2000, 1000);
    errno = 0;
    ret = tcp_read_exact(client, got, (size_t)len);
    err = errno;
    ticks = sl_timer_stop();
    sl_note("tcp_read_exact(%ld bytes) returned %zd (errno %s); SIGALRM came %d times during it",
            len, ret, ret < 0 ? sl_errno_text(err) : "-", ticks);
    sl_reap(child, 2000);
    SL_HINT("A signal interrupted recv() before a byte came, so recv() failed with EINTR: "
            "call it again.")
    {
        if (ret < 0 && err == EINTR)
            SL_FAIL("tcp_read_exact() of %ld bytes, interrupted by signals, returned -1 with "
                    "errno EINTR: expected %ld", len, len);
    }
    if (ret < 0 && err != EINTR)
        SL_FAIL("tcp_read_exact() of %ld bytes returned -1 with errno %s: expected %ld", len,
                sl_errno_text(err), len);
    else if (ret >= 0 && ret < len)
        SL_FAIL("tcp_read_exact() of %ld bytes, sent in pieces of 700, returned %zd: one "
                "recv() gives what has come so far; loop until all %ld bytes are in", len, ret,
                len);
    else if (ret == len)
        SL_CHECK_BYTES("the bytes tcp_read_exact() read", got, (size_t)len, want, (size_t)len);
    close(client);
    sl_free(want);
    sl_free(got);
}

SL_NET_TEST(read_exact_stops_at_the_end_of_the_stream, 2, 0,
            "recv() returns 0 at the end of the stream (the peer closed): stop there and "
            "return how many bytes came (fewer than len); 0 if none did. Do not loop on "
            "0: it would never end.")
{
    int client, server;
    char buf[16];
    ssize_t n;

    tu_pair(host, &client, &server);
    sl_sock_send(server, "hel", 3);
    sl_sleep_ms(30);
    sl_sock_send(server, "lo", 2);
    close(server);
    memset(buf, 'Z', sizeof buf);
    n = tcp_read_exact(client, buf, 10);
    SL_CHECK_INT("tcp_read_exact(10 bytes) of a stream of 5 bytes, then the end", n, 5);
    if (n == 5)
        SL_CHECK_BYTES("the 5 bytes tcp_read_exact() read", buf, 5, "hello", 5);
    SL_CHECK_INT("tcp_read_exact(10 bytes) again, at the end of the stream", tcp_read_exact(client, buf, 10), 0);
    SL_CHECK_INT("tcp_read_exact(0 bytes)", tcp_read_exact(client, buf, 0), 0);
    close(client);
}

SL_TEST(read_exact_errors, 1,
        "A reset connection makes recv() fail with ECONNRESET: return -1 with it. A NULL "
        "buffer with len > 0 is EINVAL; reading 0 bytes returns 0 at once, without waiting.")
{
    int client, server;
    char buf[8];
    double start;

    tu_pair("127.0.0.1", &client, &server);
    sl_sock_send(server, "abc", 3);
    SL_MUST_RETURN(tcp_read_exact(client, buf, 3), 3);   /* it works at all */
    TU_FAILS_WITH(tcp_read_exact(client, NULL, 5), EINVAL);
    start = sl_now_ms();
    SL_RETURNS(tcp_read_exact(client, buf, 0), 0);
    if (sl_now_ms() - start > sl_scaled_ms(500))
        SL_FAIL("tcp_read_exact(0 bytes) waited %.0f ms: it has nothing to read", sl_now_ms() - start);
    sl_sock_reset(server);
    wait_for_error(client);
    TU_FAILS_WITH(tcp_read_exact(client, buf, sizeof buf), ECONNRESET);
    close(client);
}
