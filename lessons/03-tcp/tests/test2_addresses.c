/* Task 2: the addresses of a connection (tcp_local_text, tcp_peer_text).
 * The sockets are the test's own, bound and connected with plain system
 * calls, so the expected text is known before the call. */
#include "testutil.h"

SL_TASK(2, "The addresses of a connection");

/* "127.0.0.1:80" or "[::1]:80": what the functions must write. */
static const char *expected(const char *host, int port)
{
    static char out[4][80];
    static unsigned next;
    char *o = out[next++ % 4];

    snprintf(o, sizeof out[0], strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    return o;
}

/* The text f(fd) writes into a buffer of TCP_ADDRSTRLEN bytes must be
 * want; `what` names the call. */
static void text_is(int (*f)(int, char *, size_t), int fd, const char *what, const char *want)
{
    char buf[TCP_ADDRSTRLEN];
    int ret;

    memset(buf, 'Z', sizeof buf);
    errno = 0;
    ret = f(fd, buf, sizeof buf);
    if (ret != 0) {
        SL_FAIL("%s returned %d with errno %s (%s): expected 0 and \"%s\"", what, ret,
                sl_errno_name(errno) ? sl_errno_name(errno) : "?", strerror(errno), want);
        return;
    }
    if (memchr(buf, '\0', sizeof buf) == NULL) {
        SL_FAIL("%s wrote no NUL in its %d-byte buffer: expected \"%s\"", what, TCP_ADDRSTRLEN,
                want);
        return;
    }
    SL_CHECK_STR(what, buf, want);
}

SL_NET_TEST(local_text_of_a_listener, 2, 0,
            "getsockname() into a struct sockaddr_storage, then getnameinfo() with "
            "NI_NUMERICHOST | NI_NUMERICSERV gives the address and port as text (the port "
            "in host order: read sin_port yourself and you need ntohs()). Write "
            "\"ADDR:PORT\", with brackets around an IPv6 address.")
{
    int port, lfd = tu_listener(host, 4, &port);
    char what[64];

    snprintf(what, sizeof what, "tcp_local_text() of a socket listening on %s", expected(host, port));
    SL_HINT("The port is wrong in the text: getsockname() gives it in network byte order; "
            "getnameinfo(NI_NUMERICSERV) or ntohs() turns it into a number to print.")
    {
        text_is(tcp_local_text, lfd, what, expected(host, port));
    }
    close(lfd);
}

SL_NET_TEST(addresses_of_a_connection, 2, 0,
            "A connected socket has two addresses: its own (getsockname(): the client's "
            "port is one the kernel picked) and its peer's (getpeername()). Both in the "
            "same form as tcp_local_text().")
{
    int client, server, cport, sport;
    char what[96];

    tu_pair(host, &client, &server);
    cport = tu_port_of(client);
    sport = tu_port_of(server);
    snprintf(what, sizeof what, "tcp_peer_text() of a client connected to %s", expected(host, sport));
    text_is(tcp_peer_text, client, what, expected(host, sport));
    snprintf(what, sizeof what, "tcp_peer_text() of the server's side, whose client is %s",
             expected(host, cport));
    text_is(tcp_peer_text, server, what, expected(host, cport));
    snprintf(what, sizeof what, "tcp_local_text() of a client bound to %s", expected(host, cport));
    text_is(tcp_local_text, client, what, expected(host, cport));
    close(client);
    close(server);
}

SL_TEST(local_text_of_every_address, 1,
        "A socket bound to every address (0.0.0.0, or :: for IPv6) has that as its local "
        "address: \"0.0.0.0:PORT\", \"[::]:PORT\".")
{
    const char *hosts[] = {"0.0.0.0", "::"};

    for (size_t i = 0; i < SL_COUNT(hosts); i++) {
        struct sockaddr_storage ss;
        socklen_t len = tu_addr(&ss, hosts[i], 0);
        int fd = socket(ss.ss_family, SOCK_STREAM, 0);
        char what[96];

        /* Bound, not listening: nothing can connect to it. */
        if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0)
            SL_FAIL_FATAL("test setup: cannot bind %s: %s", hosts[i], strerror(errno));
        snprintf(what, sizeof what, "tcp_local_text() of a socket bound to %s",
                 expected(hosts[i], tu_port_of(fd)));
        text_is(tcp_local_text, fd, what, expected(hosts[i], tu_port_of(fd)));
        close(fd);
    }
}

SL_TEST(text_fits_or_fails_with_enospc, 1,
        "Check what snprintf() returns: if it is size or more, the text did not fit. Then "
        "fail with ENOSPC and leave buf[0] = '\\0', never a cut address.")
{
    int port, lfd = tu_listener("::1", 4, &port);
    const char *want = expected("::1", port);
    size_t need = strlen(want) + 1;
    char *exact = tu_alloc(need), *short_by_one = tu_alloc(need - 1);
    int ret;

    memset(exact, 'Z', need);
    errno = 0;
    ret = tcp_local_text(lfd, exact, need);
    if (ret != 0)
        SL_FAIL("tcp_local_text() into a buffer of exactly %zu bytes (the %zu of \"%s\" and "
                "its NUL) returned %d with errno %s: expected 0", need, need - 1, want, ret,
                sl_errno_name(errno) ? sl_errno_name(errno) : "?");
    else
        SL_CHECK_BYTES("the text in a buffer of exactly its size", exact, strnlen(exact, need),
                       want, strlen(want));
    memset(short_by_one, 'Z', need - 1);
    errno = 0;
    ret = tcp_local_text(lfd, short_by_one, need - 1);
    SL_CHECK_FAILS("tcp_local_text() into a buffer one byte too short", ret, errno, ENOSPC);
    SL_HINT("On ENOSPC write buf[0] = '\\0', so that a caller that prints buf prints "
            "nothing rather than part of an address.")
    {
        SL_CHECK_INT("buf[0] after ENOSPC", short_by_one[0], '\0');
    }
    tu_free(exact);
    tu_free(short_by_one);
    close(lfd);
}

SL_TEST(text_errors, 2,
        "Return -1 with the errno of getsockname()/getpeername() (EBADF, ENOTSOCK, "
        "ENOTCONN: a listening socket has no peer), EAFNOSUPPORT for a socket that is "
        "neither IPv4 nor IPv6, EINVAL for a NULL buffer.")
{
    int port, lfd = tu_listener("127.0.0.1", 4, &port), closed, p[2], un[2];
    char buf[TCP_ADDRSTRLEN];

    /* The right answer first: a function that fails every time would
     * otherwise pass the checks of its failures. */
    SL_REQUIRE_OK(tcp_local_text(lfd, buf, sizeof buf));
    SL_ASSERT_FAILS_WITH(tcp_peer_text(lfd, buf, sizeof buf), ENOTCONN);
    SL_ASSERT_FAILS_WITH(tcp_local_text(lfd, NULL, sizeof buf), EINVAL);
    closed = dup(lfd);
    close(closed);
    SL_ASSERT_FAILS_WITH(tcp_local_text(closed, buf, sizeof buf), EBADF);
    if (pipe(p) == 0) {
        SL_ASSERT_FAILS_WITH(tcp_local_text(p[0], buf, sizeof buf), ENOTSOCK);
        close(p[0]);
        close(p[1]);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, un) == 0) {
        SL_HINT("A socketpair() is AF_UNIX: it has no address and port to write. Look at "
                "ss_family before anything else: EAFNOSUPPORT.")
        {
            SL_ASSERT_FAILS_WITH(tcp_local_text(un[0], buf, sizeof buf), EAFNOSUPPORT);
            SL_ASSERT_FAILS_WITH(tcp_peer_text(un[0], buf, sizeof buf), EAFNOSUPPORT);
        }
        close(un[0]);
        close(un[1]);
    }
    close(lfd);
}
