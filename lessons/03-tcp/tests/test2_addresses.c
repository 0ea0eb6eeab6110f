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

/* The hint for a text that came wrong: got where want was expected. */
static const char *text_hint(const char *got, const char *want)
{
    char swapped[80], bare[80];
    const char *colon = strrchr(want, ':');
    int port = colon ? atoi(colon + 1) : 0;

    /* the same address with the port's two bytes swapped */
    snprintf(swapped, sizeof swapped, "%.*s:%d", colon ? (int)(colon - want) : 0, want,
             ntohs((uint16_t)port));
    /* an IPv6 address without its brackets */
    snprintf(bare, sizeof bare, "%.*s%s", want[0] == '[' && colon ? (int)(colon - want) - 2 : 0,
             want + 1, colon ? colon : "");
    if (strcmp(got, swapped) == 0)
        return "The port is in network byte order: getsockname() gives it so. "
               "getnameinfo(NI_NUMERICSERV) writes it as a number, or ntohs() turns it into one.";
    if (want[0] == '[' && strcmp(got, bare) == 0)
        return "An IPv6 address goes in brackets, \"[::1]:8080\": its own colons would "
               "make the port ambiguous. Look at ss_family: AF_INET6 takes that form.";
    return "Write the numeric address and the port as getnameinfo() with NI_NUMERICHOST | "
           "NI_NUMERICSERV gives them, as \"ADDR:PORT\" (\"[ADDR]:PORT\" for IPv6), "
           "for the address of getsockname() (local) or getpeername() (peer).";
}

/* The hint for a call that should have written its text but failed with err. */
static const char *failed_hint(int err)
{
    switch (err) {
    case ENOSPC:
        return "TCP_ADDRSTRLEN bytes are always enough: the size check is off. snprintf() "
               "returns the length without the NUL; the text fits when that is below size.";
    case EAFNOSUPPORT:
        return "The socket is IPv4 or IPv6: check ss_family for AF_INET and AF_INET6, and "
               "fail with EAFNOSUPPORT for any other family only.";
    case EINVAL:
        return "Pass getnameinfo() the address and the length that getsockname() or "
               "getpeername() filled in (socklen_t len = sizeof ss before the call).";
    default:
        return NULL;
    }
}

/* The text f(fd) writes into a buffer of TCP_ADDRSTRLEN bytes must be
 * want; `what` names the call. */
static void text_is(int (*f)(int, char *, size_t), int fd, const char *what, const char *want)
{
    char buf[TCP_ADDRSTRLEN];
    int ret, err;

    memset(buf, 'Z', sizeof buf);
    errno = 0;
    ret = f(fd, buf, sizeof buf);
    err = errno;
    if (ret != 0) {
        SL_HINT(failed_hint(err))
        {
            SL_FAIL("%s returned %s: expected 0 and \"%s\"", what, sl_returned(ret, err),
                    want);
        }
        return;
    }
    if (memchr(buf, '\0', sizeof buf) == NULL) {
        SL_HINT("The text ends with a NUL, inside the buffer: snprintf() writes one.")
        {
            SL_FAIL("%s wrote no NUL in its %d-byte buffer: expected \"%s\"", what,
                    TCP_ADDRSTRLEN, want);
        }
        return;
    }
    if (strcmp(buf, want) != 0) {
        SL_HINT(text_hint(buf, want))
        {
            SL_CHECK_STR(what, buf, want);
        }
    }
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
    text_is(tcp_local_text, lfd, what, expected(host, port));
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
    cport = sl_port_of(client);
    sport = sl_port_of(server);
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
        socklen_t len = sl_addr(&ss, hosts[i], 0);
        int fd = socket(ss.ss_family, SOCK_STREAM, 0);
        char what[96];

        /* Bound, not listening: nothing can connect to it. */
        if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0)
            SL_FAIL_FATAL("test setup: cannot bind %s: %s", hosts[i], strerror(errno));
        snprintf(what, sizeof what, "tcp_local_text() of a socket bound to %s",
                 expected(hosts[i], sl_port_of(fd)));
        text_is(tcp_local_text, fd, what, expected(hosts[i], sl_port_of(fd)));
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
    char *exact = sl_alloc(need), *short_by_one = sl_alloc(need - 1);
    int ret;

    memset(exact, 'Z', need);
    errno = 0;
    ret = tcp_local_text(lfd, exact, need);
    if (ret != 0) {
        SL_HINT("The text and its NUL fit exactly: snprintf() returns the length without the "
                "NUL, so it fits when that is less than size (not less than size - 1).")
        {
            SL_FAIL("tcp_local_text() into a buffer of exactly %zu bytes (the %zu of \"%s\" "
                    "and its NUL) returned %s: expected 0", need, need - 1, want,
                    sl_returned(ret, errno));
        }
    } else
        SL_CHECK_BYTES("the text in a buffer of exactly its size", exact, strnlen(exact, need),
                       want, strlen(want));
    memset(short_by_one, 'Z', need - 1);
    errno = 0;
    ret = tcp_local_text(lfd, short_by_one, need - 1);
    if (ret != -1 || errno != ENOSPC)
        SL_FAIL("tcp_local_text() into a buffer one byte too short: expected -1 with errno "
                "%s, got %s", sl_errno_text(ENOSPC), sl_returned(ret, errno));
    SL_HINT("On ENOSPC write buf[0] = '\\0', so that a caller that prints buf prints "
            "nothing rather than part of an address.")
    {
        SL_CHECK_INT("buf[0] after ENOSPC", short_by_one[0], '\0');
    }
    sl_free(exact);
    sl_free(short_by_one);
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
    SL_MUST_RETURN(tcp_local_text(lfd, buf, sizeof buf), 0);
    TU_FAILS_WITH(tcp_peer_text(lfd, buf, sizeof buf), ENOTCONN);
    TU_FAILS_WITH(tcp_local_text(lfd, NULL, sizeof buf), EINVAL);
    closed = dup(lfd);
    close(closed);
    TU_FAILS_WITH(tcp_local_text(closed, buf, sizeof buf), EBADF);
    if (pipe(p) == 0) {
        TU_FAILS_WITH(tcp_local_text(p[0], buf, sizeof buf), ENOTSOCK);
        close(p[0]);
        close(p[1]);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, un) == 0) {
        SL_HINT("A socketpair() is AF_UNIX: it has no address and port to write. Look at "
                "ss_family before anything else: EAFNOSUPPORT.")
        {
            TU_FAILS_WITH(tcp_local_text(un[0], buf, sizeof buf), EAFNOSUPPORT);
            TU_FAILS_WITH(tcp_peer_text(un[0], buf, sizeof buf), EAFNOSUPPORT);
        }
        close(un[0]);
        close(un[1]);
    }
    close(lfd);
}
