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

/* A listener on host whose backlog is full: connections the test made and
 * never accepted fill its queue, so the kernel drops the SYN of the next
 * client. They are kept in fill[] (up to 8); returns the listener. */
static int silent_server(const char *host, int *port, int *fill, int *nfill)
{
    int lfd = tu_listener(host, 0, port);

    *nfill = 0;
    while (*nfill < 8) {
        struct sockaddr_storage ss;
        socklen_t len = tu_addr(&ss, host, *port);
        struct pollfd p;
        int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

        if (fd < 0)
            break;
        connect(fd, (struct sockaddr *)&ss, len);
        fill[(*nfill)++] = fd;
        p.fd = fd;
        p.events = POLLOUT;
        if (poll(&p, 1, 100) == 0)
            return lfd;   /* this one hangs: the queue is full */
    }
    SL_FAIL_FATAL("test setup: the backlog of a listener on %s never filled up", host);
    return -1;
}

static void close_all(int lfd, const int *fill, int nfill)
{
    for (int i = 0; i < nfill; i++)
        close(fill[i]);
    close(lfd);
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
    SL_ASSERT_INT_EQ(tcp_set_nonblocking(client, 1), 0);
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
        SL_CHECK_FAILS("recv() on the socket after tcp_set_nonblocking(fd, 1)", n, errno, EAGAIN);
    }
    SL_ASSERT_INT_EQ(tcp_set_nonblocking(client, 0), 0);
    flags = fcntl(client, F_GETFL);
    SL_CHECK_INT("O_NONBLOCK after tcp_set_nonblocking(fd, 0)", (flags & O_NONBLOCK) != 0, 0);
    SL_CHECK_INT("O_APPEND (set before) after tcp_set_nonblocking(fd, 0)", (flags & O_APPEND) != 0, 1);
    SL_ASSERT_INT_EQ(tcp_set_nonblocking(client, 7), 0);
    SL_CHECK_INT("O_NONBLOCK after tcp_set_nonblocking(fd, 7) (any non-zero is on)",
                 is_nonblocking(client), 1);
    close(server);
    SL_ASSERT_FAILS_WITH(tcp_set_nonblocking(server, 1), EBADF);
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
    SL_ASSERT_INT_EQ(tcp_set_timeout(client, 1500, 200), 0);
    snprintf(what, sizeof what, "SO_RCVTIMEO in ms after tcp_set_timeout(fd, 1500, 200)");
    if (!about(timeout_ms(client, SO_RCVTIMEO), 1500))
        SL_FAIL("%s is %ld: expected 1500", what, timeout_ms(client, SO_RCVTIMEO));
    snprintf(what, sizeof what, "SO_SNDTIMEO in ms after tcp_set_timeout(fd, 1500, 200)");
    if (!about(timeout_ms(client, SO_SNDTIMEO), 200))
        SL_FAIL("%s is %ld: expected 200", what, timeout_ms(client, SO_SNDTIMEO));
    SL_ASSERT_INT_EQ(tcp_set_timeout(client, 0, 0), 0);
    SL_CHECK_INT("SO_RCVTIMEO in ms after tcp_set_timeout(fd, 0, 0) (none)",
                 timeout_ms(client, SO_RCVTIMEO), 0);
    SL_CHECK_INT("SO_SNDTIMEO in ms after tcp_set_timeout(fd, 0, 0) (none)",
                 timeout_ms(client, SO_SNDTIMEO), 0);
    SL_ASSERT_FAILS_WITH(tcp_set_timeout(client, -1, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(tcp_set_timeout(client, 0, -5), EINVAL);
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
    if (tcp_set_timeout(client, 100, 0) != 0)
        SL_FAIL_FATAL("tcp_set_timeout(fd, 100, 0) failed: %s", strerror(errno));
    if (!about(timeout_ms(client, SO_RCVTIMEO), 100))
        SL_FAIL_FATAL("SO_RCVTIMEO after tcp_set_timeout(fd, 100, 0) is %ld ms: expected 100",
                      timeout_ms(client, SO_RCVTIMEO));
    start = tu_ms();
    errno = 0;
    n = recv(client, buf, sizeof buf, 0);
    err = errno;
    took = tu_ms() - start;
    SL_CHECK_FAILS("recv() with nothing to read, 100 ms receive timeout", n, err, EAGAIN);
    if (took < 70 || took > 1500)
        SL_FAIL("recv() with a 100 ms receive timeout gave up after %.0f ms", took);
    close(server);
    close(client);
}

/* ---- tcp_connect_timeout ------------------------------------------------------- */

SL_NET_TEST(connect_timeout_connects, 2, 0,
            "With a server there, tcp_connect_timeout() is tcp_connect() done "
            "non-blocking: connect() fails with EINPROGRESS, poll() for POLLOUT, then "
            "getsockopt(SO_ERROR) is 0. Make the socket blocking again before you return it.")
{
    int port, lfd = tu_listener(host, 4, &port), fd, a;
    char buf[4];

    errno = 0;
    fd = tcp_connect_timeout(host, tu_port_text(port), 2000);
    if (fd < 0)
        SL_FAIL_FATAL("tcp_connect_timeout(\"%s\", \"%d\", 2000 ms) returned -1 with errno %s "
                      "(%s), with a server listening there", host, port,
                      sl_errno_name(errno) ? sl_errno_name(errno) : "?", strerror(errno));
    a = tu_accept(lfd, 1000);
    if (a < 0)
        SL_FAIL_FATAL("tcp_connect_timeout() returned a socket, but no connection reached the "
                      "server");
    SL_HINT("The socket is returned blocking (as tcp_connect()'s is): clear O_NONBLOCK "
            "once connected.")
    {
        SL_CHECK_INT("O_NONBLOCK of the socket tcp_connect_timeout() returned",
                     is_nonblocking(fd), 0);
    }
    tu_send(a, "pong", 4);
    SL_CHECK_BYTES("what came through the connection of tcp_connect_timeout()", buf,
                   tu_recv(fd, buf, 4, 1000), "pong", 4);
    close(a);
    close(fd);
    close(lfd);
}

SL_NET_TEST(connect_timeout_gives_up_on_a_silent_server, 3, 0,
            "poll() returns 0 when its time is up with no answer: close the socket and fail "
            "with ETIMEDOUT. A blocking connect() here would wait for the kernel's own "
            "retries: more than a minute.")
{
    int port, fill[8], nfill, lfd = silent_server(host, &port, fill, &nfill);
    int before = tu_fd_count(), fd, err;
    double start = tu_ms(), took;

    /* A safety net: a connect() that ignores the timeout is interrupted by
     * a signal after 1.5 s (EINTR) rather than wait for minutes. */
    tu_timer_start(1500000, 0);
    errno = 0;
    fd = tcp_connect_timeout(host, tu_port_text(port), 200);
    err = errno;
    took = tu_ms() - start;
    tu_timer_stop();
    if (fd < 0 && err == EINTR && took >= 1400) {
        SL_FAIL_FATAL("tcp_connect_timeout(\"%s\", \"%d\", 200 ms) to a server that never "
                      "answers was still waiting after %.0f ms (the test interrupted it): "
                      "connect() on a blocking socket waits for the kernel's own timeout; use "
                      "a non-blocking socket and poll() with the time left", host, port, took);
    }
    if (fd >= 0) {
        SL_FAIL("tcp_connect_timeout(\"%s\", \"%d\", 200 ms) to a server that never answers "
                "returned a socket after %.0f ms: expected -1 with errno ETIMEDOUT", host, port,
                took);
        close(fd);
    } else {
        SL_CHECK_FAILS("tcp_connect_timeout(200 ms) to a server that never answers", fd, err,
                       ETIMEDOUT);
    }
    if (took < 150 || took > 1200)
        SL_FAIL("tcp_connect_timeout(200 ms) to a server that never answers returned after "
                "%.0f ms: expected about 200", took);
    TU_NO_FD_LEAK(before, "tcp_connect_timeout() that timed out");
    close_all(lfd, fill, nfill);
}

SL_TEST(connect_timeout_refused_at_once, 2,
        "A refusal comes at once: connect() fails with ECONNREFUSED, or poll() wakes and "
        "SO_ERROR says ECONNREFUSED. Return -1 with that errno, without waiting out the "
        "timeout. ms must be more than 0 (EINVAL).")
{
    int port = tu_closed_port("127.0.0.1"), before = tu_fd_count(), fd, err;
    double start = tu_ms(), took;

    errno = 0;
    fd = tcp_connect_timeout("127.0.0.1", tu_port_text(port), 2000);
    err = errno;
    took = tu_ms() - start;
    SL_CHECK_FAILS("tcp_connect_timeout(2000 ms) to a closed port", fd, err, ECONNREFUSED);
    if (fd >= 0)
        close(fd);
    if (took > 1000)
        SL_FAIL("tcp_connect_timeout(2000 ms) to a closed port took %.0f ms to fail: the "
                "refusal came at once, read it from SO_ERROR", took);
    TU_NO_FD_LEAK(before, "tcp_connect_timeout() to a closed port");
    SL_ASSERT_FAILS_WITH(tcp_connect_timeout("127.0.0.1", tu_port_text(port), 0), EINVAL);
    SL_ASSERT_FAILS_WITH(tcp_connect_timeout("127.0.0.1", tu_port_text(port), -1), EINVAL);
    SL_ASSERT_FAILS_WITH(tcp_connect_timeout("127.0.0.1", NULL, 100), EINVAL);
    SL_ASSERT_FAILS_WITH(tcp_connect_timeout("127.0.0.1", "no-such-service", 100), ENXIO);
}
