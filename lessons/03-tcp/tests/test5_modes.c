/* Task 5: blocking, non-blocking and timeouts (tcp_set_nonblocking,
 * tcp_set_timeout, tcp_connect_timeout). The silent server of the connect
 * timeout is on loopback: a listener whose backlog is full, so the kernel
 * drops the SYN of the next client and its connect() waits. Never an
 * address off this machine. */
#include "testutil.h"

SL_TASK(5, "Blocking, non-blocking and timeouts");

/* ---- helpers ------------------------------------------------------------- */

static int is_nonblocking(int fd)
{
    return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

/* A timeout of a socket in milliseconds (SO_RCVTIMEO or SO_SNDTIMEO). */
static long timeout_ms(int fd, int option)
{
    struct timeval tv;
    socklen_t len = sizeof tv;

    if (getsockopt(fd, SOL_SOCKET, option, &tv, &len) < 0)
        return -1;
    return tv.tv_sec * 1000L + (tv.tv_usec + 500) / 1000;
}

/* Is got within a few milliseconds (the kernel keeps timeouts in ticks)
 * of want? */
static int about(long got, long want)
{
    return got >= want - 4 && got <= want + 4;
}

/* The first two loopback addresses that getaddrinfo(NULL) gives, as text
 * (::1 and 127.0.0.1, in its order); the test ends if there are not two. */
static void two_loopbacks(char first[64], char second[64])
{
    struct addrinfo hints, *res = NULL;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(NULL, "0", &hints, &res) != 0 || res == NULL || res->ai_next == NULL)
        SL_FAIL_FATAL("test setup: getaddrinfo(NULL) gives fewer than two loopback addresses "
                      "(this test needs IPv4 and IPv6 on loopback)");
    getnameinfo(res->ai_addr, res->ai_addrlen, first, 64, NULL, 0, NI_NUMERICHOST);
    getnameinfo(res->ai_next->ai_addr, res->ai_next->ai_addrlen, second, 64, NULL, 0,
                NI_NUMERICHOST);
    freeaddrinfo(res);
}

/* ---- tcp_set_nonblocking ---------------------------------------------------- */

SL_TEST(nonblocking_on_and_off, 2,
        "Read the flags with fcntl(fd, F_GETFL), set or clear O_NONBLOCK in them, write "
        "them back with F_SETFL. Setting O_NONBLOCK alone would clear the other flags.")
{
    int client, server, flags;
    char buf[4];

    tu_pair("127.0.0.1", &client, &server);
    fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_APPEND);
    SL_RETURNS(tcp_set_nonblocking(client, 1), 0);
    flags = fcntl(client, F_GETFL);
    SL_CHECK_INT("O_NONBLOCK after tcp_set_nonblocking(fd, 1)", (flags & O_NONBLOCK) != 0, 1);
    SL_HINT("Keep the other flags: here O_APPEND was set before, and is gone. Read them "
            "with F_GETFL, change O_NONBLOCK alone, write them back.")
    {
        SL_CHECK_INT("O_APPEND (set before) after tcp_set_nonblocking(fd, 1)",
                     (flags & O_APPEND) != 0, 1);
    }
    SL_HINT("A non-blocking recv() with nothing to read fails at once with EAGAIN.")
    {
        ssize_t n;

        errno = 0;
        n = recv(client, buf, sizeof buf, 0);
        if (n != -1 || errno != EAGAIN)
            SL_FAIL("recv() on the socket after tcp_set_nonblocking(fd, 1): expected -1 with "
                    "errno %s, got %s", sl_errno_text(EAGAIN), sl_returned(n, errno));
    }
    SL_RETURNS(tcp_set_nonblocking(client, 0), 0);
    flags = fcntl(client, F_GETFL);
    SL_CHECK_INT("O_NONBLOCK after tcp_set_nonblocking(fd, 0)", (flags & O_NONBLOCK) != 0, 0);
    SL_CHECK_INT("O_APPEND (set before) after tcp_set_nonblocking(fd, 0)", (flags & O_APPEND) != 0, 1);
    SL_RETURNS(tcp_set_nonblocking(client, 7), 0);
    SL_CHECK_INT("O_NONBLOCK after tcp_set_nonblocking(fd, 7) (any non-zero is on)",
                 is_nonblocking(client), 1);
    close(server);
    TU_FAILS_WITH(tcp_set_nonblocking(server, 1), EBADF);
    close(client);
}

/* ---- tcp_set_timeout ------------------------------------------------------------ */

SL_TEST(timeout_options_are_set, 2,
        "SO_RCVTIMEO and SO_SNDTIMEO take a struct timeval: whole seconds in tv_sec, the "
        "rest in microseconds in tv_usec (1500 ms is {1, 500000}). 0 ms is {0, 0}: no "
        "timeout. A negative time is EINVAL.")
{
    int client, server;
    char what[96];

    tu_pair("127.0.0.1", &client, &server);
    SL_RETURNS(tcp_set_timeout(client, 1500, 200), 0);
    snprintf(what, sizeof what, "SO_RCVTIMEO in ms after tcp_set_timeout(fd, 1500, 200)");
    if (!about(timeout_ms(client, SO_RCVTIMEO), 1500))
        SL_FAIL("%s is %ld: expected 1500", what, timeout_ms(client, SO_RCVTIMEO));
    snprintf(what, sizeof what, "SO_SNDTIMEO in ms after tcp_set_timeout(fd, 1500, 200)");
    if (!about(timeout_ms(client, SO_SNDTIMEO), 200))
        SL_FAIL("%s is %ld: expected 200", what, timeout_ms(client, SO_SNDTIMEO));
    SL_RETURNS(tcp_set_timeout(client, 0, 0), 0);
    SL_CHECK_INT("SO_RCVTIMEO in ms after tcp_set_timeout(fd, 0, 0) (none)",
                 timeout_ms(client, SO_RCVTIMEO), 0);
    SL_CHECK_INT("SO_SNDTIMEO in ms after tcp_set_timeout(fd, 0, 0) (none)",
                 timeout_ms(client, SO_SNDTIMEO), 0);
    TU_FAILS_WITH(tcp_set_timeout(client, -1, 0), EINVAL);
    TU_FAILS_WITH(tcp_set_timeout(client, 0, -5), EINVAL);
    close(server);
    close(client);
}

SL_NET_TEST(timeout_ends_a_receive, 2, 0,
            "With a receive timeout a blocking recv() that gets nothing fails with EAGAIN "
            "(EWOULDBLOCK) once the time has passed, instead of waiting for ever.")
{
    int client, server, err;
    char buf[4];
    ssize_t n;
    double start, took;

    tu_pair(host, &client, &server);
    SL_MUST_RETURN(tcp_set_timeout(client, 100, 0), 0);
    if (!about(timeout_ms(client, SO_RCVTIMEO), 100))
        SL_FAIL_FATAL("SO_RCVTIMEO after tcp_set_timeout(fd, 100, 0) is %ld ms: expected 100",
                      timeout_ms(client, SO_RCVTIMEO));
    start = sl_now_ms();
    errno = 0;
    n = recv(client, buf, sizeof buf, 0);
    err = errno;
    took = sl_now_ms() - start;
    if (n != -1 || err != EAGAIN)
        SL_FAIL("recv() with nothing to read, 100 ms receive timeout: expected -1 with errno "
                "%s, got %s", sl_errno_text(EAGAIN), sl_returned(n, err));
    if (took < 70 || took > sl_scaled_ms(1500))
        SL_FAIL("recv() with a 100 ms receive timeout gave up after %.0f ms", took);
    close(server);
    close(client);
}

/* ---- tcp_connect_timeout ------------------------------------------------------- */

/* tcp_connect_timeout() to a listener of the test's on host must connect:
 * a test of its failures first requires that. */
static void connect_timeout_works(const char *host)
{
    int port, lfd = tu_listener(host, 4, &port), fd;

    errno = 0;
    fd = tcp_connect_timeout(host, sl_port_text(port), 2000);
    if (fd < 0) {
        int err = errno;

        SL_HINT(tu_lookup_hint(host, err))
        {
            SL_FAIL_FATAL("tcp_connect_timeout(\"%s\", \"%d\", 2000) to a server listening "
                          "there must return a socket before the rest of this test means "
                          "anything; it returned %s", host, port, sl_returned(fd, err));
        }
    }
    close(fd);
    close(lfd);
}

/* When the test's silent servers start to answer (tu_silent_wake()): long
 * after any timeout a test gives, so that only a call that never gives up
 * by itself connects to them. */
#define WAKE_MS 1600

/* Words for a connection that came only once a silent server answered,
 * after took ms; "" for one that came before. */
static const char *woken(double took)
{
    if (took < sl_scaled_ms(WAKE_MS))
        return "";
    return ", and only because the test's server began to answer after 1.6 s: the call "
           "never gave up by itself. Wait with poll() for the time left until the "
           "deadline (never -1, nor the whole timeout again after EINTR), and fail with "
           "ETIMEDOUT once poll() returns 0";
}

SL_NET_TEST(connect_timeout_connects, 2, 0,
            "With a server there, tcp_connect_timeout() is tcp_connect() done "
            "non-blocking: connect() fails with EINPROGRESS, poll() for POLLOUT, then "
            "getsockopt(SO_ERROR) is 0. Make the socket blocking again before you return it.")
{
    int port, lfd = tu_listener(host, 4, &port), fd, a;
    char buf[4];

    errno = 0;
    fd = tcp_connect_timeout(host, sl_port_text(port), 2000);
    if (fd < 0) {
        int err = errno;

        SL_HINT(tu_lookup_hint(host, err))
        {
            SL_FAIL_FATAL("tcp_connect_timeout(\"%s\", \"%d\", 2000 ms) returned -1 with "
                          "errno %s, with a server listening there", host, port, sl_errno_text(err));
        }
    }
    a = sl_accept_within(lfd, 1000);
    if (a < 0)
        SL_FAIL_FATAL("tcp_connect_timeout() returned a socket, but no connection reached the "
                      "server");
    SL_HINT("The socket is returned blocking (as tcp_connect()'s is): clear O_NONBLOCK "
            "once connected.")
    {
        SL_CHECK_INT("O_NONBLOCK of the socket tcp_connect_timeout() returned",
                     is_nonblocking(fd), 0);
    }
    sl_sock_send(a, "pong", 4);
    SL_CHECK_BYTES("what came through the connection of tcp_connect_timeout()", buf,
                   sl_read_within(fd, buf, 4, 1000), "pong", 4);
    close(a);
    close(fd);
    close(lfd);
}

SL_NET_TEST(connect_timeout_gives_up_on_a_silent_server, 3, 5000,
            "poll() returns 0 when its time is up with no answer: close the socket and fail "
            "with ETIMEDOUT. A blocking connect() here would wait for the kernel's own "
            "retries: more than a minute.")
{
    tu_silent_t silent;
    int port, before, fd, err;
    double start, took;

    connect_timeout_works(host);
    tu_silent_on(&silent, host, 0);
    port = silent.port;
    before = sl_fd_count(0);
    /* Two safety nets, so that a call that ignores its timeout ends and is
     * told why: a signal after 1.5 s interrupts a blocking connect()
     * (EINTR); from 1.6 s on the server answers, so that a wait that goes
     * on after EINTR ends too, once the kernel sends the SYN again. */
    tu_silent_wake(&silent, WAKE_MS);
    start = sl_now_ms();
    sl_timer_start(sl_scaled_ms(1500) * 1000L, 0);
    errno = 0;
    fd = tcp_connect_timeout(host, sl_port_text(port), 200);
    err = errno;
    took = sl_now_ms() - start;
    sl_timer_stop();
    if (fd < 0 && err == EINTR && took >= sl_scaled_ms(1400)) {
        SL_FAIL_FATAL("tcp_connect_timeout(\"%s\", \"%d\", 200 ms) to a server that never "
                      "answers was still waiting after %.0f ms (the test interrupted it): "
                      "connect() on a blocking socket waits for the kernel's own timeout; use "
                      "a non-blocking socket and poll() with the time left", host, port, took);
    }
    if (fd >= 0) {
        SL_FAIL("tcp_connect_timeout(\"%s\", \"%d\", 200 ms) to a server that does not answer "
                "returned a socket after %.0f ms: expected -1 with errno ETIMEDOUT after about "
                "200 ms%s", host, port, took, woken(took));
        close(fd);
    } else if (err != ETIMEDOUT) {
        SL_FAIL("tcp_connect_timeout(200 ms) to a server that never answers: expected -1 "
                "with errno %s, got %s", sl_errno_text(ETIMEDOUT), sl_returned(fd, err));
    }
    if (fd < 0 && (took < 150 || took > sl_scaled_ms(1200)))
        SL_FAIL("tcp_connect_timeout(200 ms) to a server that never answers returned after "
                "%.0f ms: expected about 200", took);
    SL_NO_FD_LEAK(before, "tcp_connect_timeout() that timed out");
    tu_silent_close(&silent);
}

SL_TEST(connect_timeout_refused_at_once, 2,
        "A refusal comes at once: connect() fails with ECONNREFUSED, or poll() wakes and "
        "SO_ERROR says ECONNREFUSED. Return -1 with that errno, without waiting out the "
        "timeout. ms must be more than 0 (EINVAL).")
{
    int port, before, fd, err;
    double start, took;

    connect_timeout_works("127.0.0.1");
    port = sl_closed_port("127.0.0.1", SOCK_STREAM);
    before = sl_fd_count(0);
    start = sl_now_ms();
    errno = 0;
    fd = tcp_connect_timeout("127.0.0.1", sl_port_text(port), 2000);
    err = errno;
    took = sl_now_ms() - start;
    if (fd != -1 || err != ECONNREFUSED)
        SL_FAIL("tcp_connect_timeout(2000 ms) to a closed port: expected -1 with errno %s, "
                "got %s", sl_errno_text(ECONNREFUSED), sl_returned(fd, err));
    if (fd >= 0)
        close(fd);
    if (took > sl_scaled_ms(1000))
        SL_FAIL("tcp_connect_timeout(2000 ms) to a closed port took %.0f ms to fail: the "
                "refusal came at once, read it from SO_ERROR", took);
    SL_NO_FD_LEAK(before, "tcp_connect_timeout() to a closed port");
    TU_FAILS_WITH(tcp_connect_timeout("127.0.0.1", sl_port_text(port), 0), EINVAL);
    TU_FAILS_WITH(tcp_connect_timeout("127.0.0.1", sl_port_text(port), -1), EINVAL);
    TU_FAILS_WITH(tcp_connect_timeout("127.0.0.1", NULL, 100), EINVAL);
    TU_FAILS_WITH(tcp_connect_timeout("127.0.0.1", "no-such-service", 100), ENXIO);
}

SL_TEST_TIMEOUT(connect_timeout_through_signals, 2, 5000,
                "A signal that interrupts poll() (EINTR) is no answer from the server: the "
                "handshake goes on. Call poll() again with the time left, recomputed from "
                "the deadline (clock_gettime(CLOCK_MONOTONIC)), not the whole timeout again; "
                "only POLLOUT, then SO_ERROR 0, means connected.")
{
    tu_silent_t silent;
    int fd, err;
    pid_t ticker;
    double start, took;

    connect_timeout_works("127.0.0.1");
    tu_silent_on(&silent, "127.0.0.1", 0);
    /* SIGALRM every 30 ms for 1.5 s, to a handler without SA_RESTART:
     * each interrupts the wait; then they stop, so that a wait that starts
     * over after each one ends too, late. */
    tu_silent_wake(&silent, WAKE_MS);
    sl_timer_start(0, 0);
    ticker = sl_ticker(30, 1500);
    start = sl_now_ms();
    errno = 0;
    fd = tcp_connect_timeout("127.0.0.1", sl_port_text(silent.port), 300);
    err = errno;
    took = sl_now_ms() - start;
    kill(ticker, SIGKILL);
    sl_reap(ticker, 1000);
    sl_timer_stop();
    sl_note("tcp_connect_timeout(300 ms) to a server that never answers, under SIGALRM every "
            "30 ms: returned %s after %.0f ms (%d signals)", sl_returned(fd, err), took,
            (int)sl_ticks);
    if (fd >= 0 && *woken(took)) {
        SL_FAIL("tcp_connect_timeout(\"127.0.0.1\", \"%d\", 300 ms) to a server that does not "
                "answer, under signals every 30 ms for 1.5 s, returned a socket after %.0f ms%s",
                silent.port, took, woken(took));
        close(fd);
    } else if (fd >= 0) {
        SL_FAIL("tcp_connect_timeout(\"127.0.0.1\", \"%d\", 300 ms) to a server that never "
                "answers, under signals every 30 ms, returned a socket after %.0f ms: a poll() "
                "that fails with EINTR says nothing about the connection; expected -1 with "
                "errno ETIMEDOUT", silent.port, took);
        close(fd);
    } else if (err == EINTR) {
        SL_FAIL("tcp_connect_timeout(300 ms) under signals every 30 ms returned -1 with errno "
                "EINTR after %.0f ms: the handshake goes on; poll() again for the time left",
                took);
    } else if (err != ETIMEDOUT) {
        SL_FAIL("tcp_connect_timeout(300 ms) to a server that never answers, under signals: "
                "expected -1 with errno %s, got %s", sl_errno_text(ETIMEDOUT), sl_returned(fd, err));
    } else if (took < 250 || took > 300 + sl_scaled_ms(400)) {
        SL_FAIL("tcp_connect_timeout(300 ms) under signals every 30 ms gave up after %.0f ms: "
                "expected about 300. After EINTR, poll() for the time left until the "
                "deadline, not for the whole timeout again", took);
    }
    tu_silent_close(&silent);
}

/* Silent servers on first and second (two loopback addresses) on one port:
 * both when both_silent, else a listener that accepts on second. Ends the
 * test if no port is free on both. */
static void first_silent(tu_silent_t *a, tu_silent_t *b, int *lfd, const char *first,
                         const char *second, int both_silent)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        tu_silent_on(a, first, 0);
        if (both_silent && tu_silent_on(b, second, a->port) == 0)
            return;
        if (!both_silent && (*lfd = tu_listener_on(second, a->port, 4)) >= 0)
            return;
        tu_silent_close(a);   /* the port is taken on second: another one */
    }
    SL_FAIL_FATAL("test setup: found no port free on both %s and %s", first, second);
}

SL_TEST_TIMEOUT(connect_timeout_tries_each_address, 2, 5000,
                "With host NULL, getaddrinfo() gives ::1 and 127.0.0.1: try each in turn. "
                "One that refuses goes on to the next at once; one that never answers "
                "gets only its share of the time left (what is left, divided by the "
                "addresses not tried yet), so that the next one is tried in time.")
{
    char first[64], second[64];
    tu_silent_t a, unused;
    int port, lfd, fd;
    double start, took;

    connect_timeout_works("127.0.0.1");
    two_loopbacks(first, second);
    /* the first address refuses, the second accepts */
    lfd = -1;
    for (int attempt = 0; attempt < 5 && lfd < 0; attempt++) {
        port = sl_closed_port(first, SOCK_STREAM);
        lfd = tu_listener_on(second, port, 4);
    }
    if (lfd < 0)
        SL_FAIL_FATAL("test setup: cannot listen on %s: %s", second, strerror(errno));
    errno = 0;
    fd = tcp_connect_timeout(NULL, sl_port_text(port), 1000);
    if (fd < 0)
        SL_FAIL_FATAL("tcp_connect_timeout(NULL, \"%d\", 1000 ms) returned %s: %s, the first "
                      "address getaddrinfo() gives, refuses, but %s, the second, accepts",
                      port, sl_returned(fd, errno), first, second);
    close(fd);
    close(lfd);
    /* the first address never answers, the second accepts */
    first_silent(&a, &unused, &lfd, first, second, 0);
    tu_silent_wake(&a, WAKE_MS);
    start = sl_now_ms();
    errno = 0;
    fd = tcp_connect_timeout(NULL, sl_port_text(a.port), 400);
    took = sl_now_ms() - start;
    if (fd < 0)
        SL_FAIL("tcp_connect_timeout(NULL, \"%d\", 400 ms) returned %s after %.0f ms: %s, the "
                "first address, never answers, but %s, the second, accepts: give the first "
                "only its share of the time (400 ms / 2 addresses), then try the next", a.port,
                sl_returned(fd, errno), took, first, second);
    else
        close(fd);
    if (fd >= 0 && took > 400 + sl_scaled_ms(300))
        SL_FAIL("tcp_connect_timeout(NULL, \"%d\", 400 ms) connected, but after %.0f ms: "
                "more than the 400 ms it was given%s", a.port, took, woken(took));
    close(lfd);
    tu_silent_close(&a);
}

SL_TEST_TIMEOUT(connect_timeout_counts_all_addresses, 2, 5000,
                "The timeout is for all the addresses together, not for each: keep one "
                "deadline and give each address its share of the time left. Two addresses "
                "that never answer fail with ETIMEDOUT after about ms, not twice that.")
{
    char first[64], second[64];
    tu_silent_t a, b;
    int fd, err, unused;
    double start, took;

    connect_timeout_works("127.0.0.1");
    two_loopbacks(first, second);
    first_silent(&a, &b, &unused, first, second, 1);
    tu_silent_wake(&a, WAKE_MS);
    tu_silent_wake(&b, WAKE_MS);
    start = sl_now_ms();
    errno = 0;
    fd = tcp_connect_timeout(NULL, sl_port_text(a.port), 300);
    err = errno;
    took = sl_now_ms() - start;
    if (fd >= 0) {
        SL_FAIL("tcp_connect_timeout(NULL, \"%d\", 300 ms) returned a socket after %.0f ms, "
                "though neither %s nor %s answers in that time%s", a.port, took, first, second,
                woken(took));
        close(fd);
    } else if (err != ETIMEDOUT) {
        SL_FAIL("tcp_connect_timeout(NULL, \"%d\", 300 ms) where no address answers: expected "
                "-1 with errno %s, got %s", a.port, sl_errno_text(ETIMEDOUT), sl_returned(fd, err));
    }
    if (fd < 0 && (took < 220 || took > 300 + sl_scaled_ms(200)))
        SL_FAIL("tcp_connect_timeout(NULL, \"%d\", 300 ms), where neither %s nor %s answers, "
                "returned after %.0f ms: expected about 300 for both together%s", a.port, first,
                second, took, took > 550 ? " (300 for each is twice that)" : "");
    tu_silent_close(&a);
    tu_silent_close(&b);
}
