/* Task 1: listening and connecting (tcp_listen, tcp_accept, tcp_connect).
 * The other end of every connection is the test's own, made with plain
 * system calls; every client-server test runs over IPv4 and IPv6. */
#include "testutil.h"

SL_TASK(1, "Listening and connecting");

/* ---- helpers ------------------------------------------------------------- */

/* The family, address and port fd is bound to, in words: "[::1]:40123". */
static const char *bound_to(int fd)
{
    static char out[4][80];
    static unsigned next;
    char *o = out[next++ % 4], host[64], serv[16];
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(o, sizeof out[0], "(no address: %s)", strerror(errno));
    else
        snprintf(o, sizeof out[0], ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
    return o;
}

static int sock_option(int fd, int option)
{
    int v = -1;
    socklen_t len = sizeof v;

    if (getsockopt(fd, SOL_SOCKET, option, &v, &len) < 0)
        return -1;
    return v;
}

/* tcp_listen(host, port, backlog) must return a descriptor, or the test ends. */
static int listen_ok(const char *host, const char *port, int backlog)
{
    char what[128];
    int fd, err;

    snprintf(what, sizeof what, "tcp_listen(\"%s\", \"%s\", %d)", host, port, backlog);
    errno = 0;
    fd = tcp_listen(host, port, backlog);
    err = errno;
    if (fd < 0) {
        SL_HINT(tu_lookup_hint(host, err))
        {
            SL_FAIL_FATAL("%s returned -1 with errno %s: expected a listening socket", what,
                          sl_errno_text(err));
        }
    }
    return fd;
}

/* ---- tcp_listen ------------------------------------------------------------ */

SL_NET_TEST(listen_makes_a_listening_socket, 2, 0,
            "tcp_listen() resolves host and port with getaddrinfo(AI_PASSIVE) and, for "
            "an address it returns, calls socket() with that address's ai_family (not "
            "a hard-coded AF_INET), bind() and listen(). Return the socket.")
{
    int fd = listen_ok(host, "0", 8), port, c, a;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char what[96];

    snprintf(what, sizeof what, "the socket of tcp_listen(\"%s\", \"0\", 8)", host);
    SL_CHECK_INT(tu_of_words(what, "SO_ACCEPTCONN (1: it listens)"), sock_option(fd, SO_ACCEPTCONN), 1);
    SL_CHECK_INT(tu_of_words(what, "SO_TYPE (SOCK_STREAM)"), sock_option(fd, SO_TYPE), SOCK_STREAM);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    SL_HINT("The socket is bound to another address than the one asked for: bind() the "
            "ai_addr that getaddrinfo() returned for the host, with its ai_addrlen.")
    {
        if (ss.ss_family != sl_family(host))
            SL_FAIL("%s is bound to %s: expected an %s address on %s", what, bound_to(fd),
                    sl_family_name(host), host);
    }
    port = sl_port_of(fd);
    if (port <= 0)
        SL_FAIL_FATAL("%s is bound to %s: port \"0\" asks for a free port, which bind() "
                      "then gives it", what, bound_to(fd));
    c = tu_connect(host, port);
    if (c < 0)
        SL_FAIL("a client cannot connect to %s (where %s says it is bound): %s", bound_to(fd),
                what, strerror(errno));
    a = c < 0 ? -1 : sl_accept_within(fd, 1000);
    if (c >= 0 && a < 0)
        SL_FAIL("a client connected to %s, but accept() on it got no connection", bound_to(fd));
    if (a >= 0)
        close(a);
    if (c >= 0)
        close(c);
    close(fd);
}

SL_NET_TEST(listen_on_the_given_port, 2, 0,
            "getaddrinfo() turns the port text into the port in network byte order: "
            "pass its ai_addr to bind() as it is. If you build the address yourself, "
            "the port goes through htons().")
{
    int fd = -1, want = 0;

    for (int attempt = 0; attempt < 3 && fd < 0; attempt++) {
        want = sl_closed_port(host, SOCK_STREAM);
        errno = 0;
        fd = tcp_listen(host, sl_port_text(want), 8);
        if (fd < 0 && errno != EADDRINUSE)
            break;   /* EADDRINUSE: another test took the port first */
    }
    if (fd < 0) {
        int err = errno;

        SL_HINT(tu_lookup_hint(host, err))
        {
            SL_FAIL_FATAL("tcp_listen(\"%s\", \"%d\", 8) returned -1 with errno %s: expected "
                          "a socket listening on port %d", host, want, sl_errno_text(err), want);
        }
    }
    if (sl_port_of(fd) == ntohs((uint16_t)want) && ntohs((uint16_t)want) != want) {
        SL_FAIL("tcp_listen(\"%s\", \"%d\", 8) listens on %s: expected port %d (its two "
                "bytes are swapped: htons() is missing, or applied twice)", host, want,
                bound_to(fd), want);
    } else if (sl_port_of(fd) != want) {
        SL_HINT("The socket is bound to another port than the one asked for: pass the port "
                "text to getaddrinfo() and bind() the ai_addr it returns as it is.")
        {
            SL_FAIL("tcp_listen(\"%s\", \"%d\", 8) listens on %s: expected port %d", host,
                    want, bound_to(fd), want);
        }
    }
    close(fd);
}

SL_NET_TEST(listen_again_at_once_while_in_time_wait, 3, 0,
            "Set SO_REUSEADDR (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)) "
            "after socket() and before bind(), on every listening socket: on Linux a "
            "restarted server binds its port while an old connection sits in TIME_WAIT (a "
            "minute) only when the old socket and the new one both set it.")
{
    int fd = listen_ok(host, "0", 8), port = sl_port_of(fd), c, a, fd2;
    char byte;

    SL_HINT("SO_REUSEADDR must be set on the listening socket: getsockopt() reads it "
            "as 0 on the socket tcp_listen() returned.")
    {
        SL_CHECK_INT("SO_REUSEADDR of the socket of tcp_listen()", sock_option(fd, SO_REUSEADDR) != 0, 1);
    }
    /* A connection whose server side closes first: that side goes to TIME_WAIT. */
    c = tu_connect(host, port);
    a = c < 0 ? -1 : sl_accept_within(fd, 1000);
    if (a < 0)
        SL_FAIL_FATAL("test setup: no connection to the socket of tcp_listen(\"%s\", \"0\", 8)", host);
    close(a);
    sl_read_within(c, &byte, 1, 1000);   /* the server's FIN */
    close(c);
    close(fd);
    sl_sleep_ms(20);
    errno = 0;
    fd2 = tcp_listen(host, sl_port_text(port), 8);
    if (fd2 < 0)
        SL_FAIL("a second tcp_listen(\"%s\", \"%d\", 8), right after the first socket closed "
                "with a connection of its port in TIME_WAIT, returned -1 with errno %s: "
                "expected a socket", host, port, sl_errno_text(errno));
    else
        close(fd2);
}

SL_NET_TEST(listen_fails_on_a_port_in_use, 1, 0,
            "When bind() fails, return -1 with its errno (EADDRINUSE here) and close the "
            "socket you made. SO_REUSEADDR does not let two sockets listen on one port.")
{
    int port, lfd, before;

    close(listen_ok(host, "0", 8));   /* it works at all: else failing proves nothing */
    lfd = tu_listener(host, 4, &port);
    before = sl_fd_count(0);
    TU_FAILS_WITH(tcp_listen(host, sl_port_text(port), 8), EADDRINUSE);
    SL_NO_FD_LEAK(before, "tcp_listen() on a port in use");
    close(lfd);
}

SL_TEST(listen_rejects_bad_input, 2,
        "Check the arguments first (a NULL port, a negative backlog: EINVAL). A port that "
        "does not resolve is ENXIO (map getaddrinfo()'s EAI_ code to errno, see tcp.h); "
        "a failed bind() leaves its own errno. Close every socket that failed.")
{
    int before;

    close(listen_ok("127.0.0.1", "0", 8));   /* it works at all */
    before = sl_fd_count(0);
    TU_FAILS_WITH(tcp_listen("127.0.0.1", NULL, 8), EINVAL);
    TU_FAILS_WITH(tcp_listen("127.0.0.1", "0", -1), EINVAL);
    SL_HINT("getaddrinfo() returns an EAI_ code (EAI_SERVICE for an unknown service), "
            "not -1 with errno: turn it into errno ENXIO as tcp.h says.")
    {
        TU_FAILS_WITH(tcp_listen("127.0.0.1", "no-such-service", 8), ENXIO);
    }
    SL_HINT("192.0.2.1 is no address of this host: bind() fails with EADDRNOTAVAIL. "
            "Return -1 with that errno (close the socket first without losing it).")
    {
        TU_FAILS_WITH(tcp_listen("192.0.2.1", "0", 8), EADDRNOTAVAIL);
    }
    SL_NO_FD_LEAK(before, "tcp_listen() with bad input");
}

SL_TEST(listen_by_name, 1,
        "tcp_listen() takes a host name too: getaddrinfo() resolves \"localhost\" to this "
        "host's loopback address.")
{
    int fd = listen_ok("localhost", "0", 8);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int loopback = 0;

    getsockname(fd, (struct sockaddr *)&ss, &len);
    if (ss.ss_family == AF_INET)
        loopback = ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24 == 127;
    else if (ss.ss_family == AF_INET6)
        loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr);
    if (!loopback)
        SL_FAIL("tcp_listen(\"localhost\", \"0\", 8) listens on %s: expected a loopback address",
                bound_to(fd));
    close(fd);
}

/* ---- tcp_accept -------------------------------------------------------------- */

SL_NET_TEST(accept_gives_the_connection, 2, 0,
            "tcp_accept() returns what accept() returns: a new socket, connected to the "
            "client. The listening socket stays open for the next one.")
{
    int port, lfd = tu_listener(host, 4, &port), c = tu_connect(host, port), a;
    char buf[8];

    if (c < 0)
        SL_FAIL_FATAL("test setup: cannot connect: %s", strerror(errno));
    errno = 0;
    a = tcp_accept(lfd);
    if (a < 0)
        SL_FAIL_FATAL("tcp_accept() on a listening socket with a client waiting returned -1 "
                      "with errno %s", sl_errno_text(errno));
    SL_CHECK_INT("the peer port of the socket of tcp_accept() (the client's port)",
                 tu_peer_port(a),
                 sl_port_of(c));
    sl_sock_send(c, "ping", 4);
    SL_CHECK_BYTES("what the accepted socket received from the client",
                   buf, sl_read_within(a, buf, 4, 1000), "ping", 4);
    SL_CHECK_INT("SO_ACCEPTCONN of the listening socket after tcp_accept() (still listening)",
                 sock_option(lfd, SO_ACCEPTCONN), 1);
    close(a);
    close(c);
    close(lfd);
}

/* The child's part: connect to the listener at port `arg` after a while,
 * so that a tcp_accept() that ignores EINTR does not wait for ever. */
static void late_client(int unused, long port)
{
    int fd;

    (void)unused;
    sl_sleep_ms(800);
    fd = tu_connect("127.0.0.1", (int)port);
    sl_sleep_ms(500);
    if (fd >= 0)
        close(fd);
}

/* tcp_accept() on lfd, with a client of the test's waiting, must return
 * its connection: a test of tcp_accept()'s failures first requires that. */
static void accept_works(int lfd, int port)
{
    int c = tu_connect("127.0.0.1", port), a;

    if (c < 0)
        SL_FAIL_FATAL("test setup: cannot connect: %s", strerror(errno));
    errno = 0;
    a = tcp_accept(lfd);
    if (a < 0)
        SL_FAIL_FATAL("tcp_accept() with a client waiting must return its connection before "
                      "the rest of this test means anything; it returned %s",
                      sl_returned(a, errno));
    close(a);
    close(c);
}

SL_TEST(accept_returns_on_a_signal, 2,
        "Do not call accept() again on EINTR: return -1 with errno EINTR, so that a server "
        "whose signal handler set a flag (\"stop\") sees it at once. Only the errors of the "
        "new connection (ECONNABORTED, EPROTO, ...) are worth a new accept().")
{
    int port, lfd = tu_listener("127.0.0.1", 4, &port), fd, err;
    pid_t child;
    double start, took;

    accept_works(lfd, port);
    child = sl_child(late_client, -1, port);
    start = sl_now_ms();
    /* SIGALRM every 50 ms: one is enough, the next ones are there in case
     * this process was held up and the first came before the call. */
    sl_timer_start(50000, 50000);
    errno = 0;
    fd = tcp_accept(lfd);
    err = errno;
    took = sl_now_ms() - start;
    sl_timer_stop();
    if (fd >= 0) {
        SL_FAIL("signals came every 50 ms during tcp_accept() (a handler installed without "
                "SA_RESTART), but tcp_accept() went on and returned a connection after "
                "%.0f ms: expected -1 with errno EINTR", took);
        close(fd);
    } else if (err != EINTR) {
        SL_FAIL("tcp_accept() interrupted by a signal: expected -1 with errno %s, got %s",
                sl_errno_text(EINTR), sl_returned(fd, err));
    }
    kill(child, SIGKILL);
    sl_reap(child, 1000);
    close(lfd);
}

SL_TEST_TIMEOUT(accept_fails_on_a_socket_that_cannot_accept, 1, 1500,
                "accept() on a UDP socket fails with EOPNOTSUPP, every time: on Linux that "
                "errno is also one of a new connection's, but call accept() again only while "
                "the socket listens (getsockopt(SO_ACCEPTCONN) is 1), or tcp_accept() spins "
                "for ever. A TCP socket that does not listen gives EINVAL.")
{
    int port, lfd = tu_listener("127.0.0.1", 4, &port);
    int udp = socket(AF_INET, SOCK_DGRAM, 0), idle = socket(AF_INET, SOCK_STREAM, 0);
    double start;

    accept_works(lfd, port);
    if (udp < 0 || idle < 0)
        SL_FAIL_FATAL("test setup: socket: %s", strerror(errno));
    start = sl_now_ms();
    TU_FAILS_WITH(tcp_accept(udp), EOPNOTSUPP);
    TU_FAILS_WITH(tcp_accept(idle), EINVAL);
    if (sl_now_ms() - start > sl_scaled_ms(500))
        SL_FAIL("tcp_accept() on sockets that cannot accept took %.0f ms to fail: accept() "
                "fails at once there", sl_now_ms() - start);
    close(udp);
    close(idle);
    close(lfd);
}

/* ---- tcp_connect ------------------------------------------------------------ */

/* tcp_connect() to a listener of the test's on host must connect: a test
 * of tcp_connect()'s failures first requires that. */
static void connect_works(const char *host)
{
    int port, lfd = tu_listener(host, 4, &port), fd;

    errno = 0;
    fd = tcp_connect(host, sl_port_text(port));
    if (fd < 0) {
        int err = errno;

        SL_HINT(tu_lookup_hint(host, err))
        {
            SL_FAIL_FATAL("tcp_connect(\"%s\", \"%d\") to a server listening there must "
                          "return a socket before the rest of this test means anything; it "
                          "returned %s", host, port, sl_returned(fd, err));
        }
    }
    close(fd);
    close(lfd);
}

SL_NET_TEST(connect_reaches_the_server, 2, 0,
            "tcp_connect() resolves host and port with getaddrinfo() and calls socket() "
            "with the family of each address it returns (::1 is IPv6: a hard-coded "
            "AF_INET cannot reach it), then connect(). Return the connected socket.")
{
    int port, lfd = tu_listener(host, 4, &port), fd, a;
    char buf[8], what[96];

    snprintf(what, sizeof what, "tcp_connect(\"%s\", \"%d\")", host, port);
    errno = 0;
    fd = tcp_connect(host, sl_port_text(port));
    if (fd < 0) {
        int err = errno;
        const char *hint = tu_lookup_hint(host, err);

        if (err == ECONNREFUSED)
            hint = "A server listens on that port, yet connect() was refused: it went to "
                   "another port or address. Pass ai_addr and ai_addrlen from getaddrinfo() "
                   "as they are; a port you write yourself goes through htons().";
        SL_HINT(hint)
        {
            SL_FAIL_FATAL("%s, with a server listening there, returned -1 with errno %s", what,
                          sl_errno_text(err));
        }
    }
    a = sl_accept_within(lfd, 1000);
    if (a < 0)
        SL_FAIL_FATAL("%s returned %d, but no connection reached the server on %s:%d", what,
                      fd, host, port);
    sl_sock_send(fd, "ping", 4);
    SL_CHECK_BYTES(tu_of_words("what the server received from the socket of", what), buf,
                   sl_read_within(a, buf, 4, 1000), "ping", 4);
    sl_sock_send(a, "pong", 4);
    SL_CHECK_BYTES(tu_of_words("what came from the server to the socket of", what), buf,
                   sl_read_within(fd, buf, 4, 1000), "pong", 4);
    close(a);
    close(fd);
    close(lfd);
}

SL_NET_TEST(connect_refused, 2, 0,
            "Nothing listens on that port, so connect() fails with ECONNREFUSED: close that "
            "socket and return -1 with connect()'s errno (close() may change errno: keep "
            "it first).")
{
    int port, before;

    connect_works(host);
    port = sl_closed_port(host, SOCK_STREAM);
    before = sl_fd_count(0);
    TU_FAILS_WITH(tcp_connect(host, sl_port_text(port)), ECONNREFUSED);
    SL_NO_FD_LEAK(before, "tcp_connect() to a closed port");
}

SL_TEST_TIMEOUT(connect_goes_on_after_a_signal, 2, 4000,
                "A signal that interrupts connect() (EINTR) does not stop the handshake: it "
                "goes on in the kernel. Wait for it to end, with poll() for POLLOUT (again "
                "after its own EINTR), then getsockopt(SO_ERROR); do not return EINTR, and do "
                "not close the socket and start over.")
{
    tu_silent_t silent;
    int fd, err, before;
    double start, took;

    connect_works("127.0.0.1");
    /* A server whose queue is full drops the first SYN; it makes room after
     * 100 ms, so the SYN the kernel sends again after 1 s is answered. A
     * signal comes in between, at 50 ms. */
    tu_silent_on(&silent, "127.0.0.1", 0);
    tu_silent_wake(&silent, 100);
    before = sl_fd_count(0);
    start = sl_now_ms();
    sl_timer_start(50 * 1000L, 0);
    errno = 0;
    fd = tcp_connect("127.0.0.1", sl_port_text(silent.port));
    err = errno;
    took = sl_now_ms() - start;
    sl_timer_stop();
    sl_note("tcp_connect() to a server that answers only the SYN sent again after 1 s, "
            "with a signal after 50 ms: returned %s after %.0f ms (%d signal)",
            sl_returned(fd, err), took, (int)sl_ticks);
    if (fd < 0 && err == EINTR) {
        SL_FAIL("tcp_connect(\"127.0.0.1\", \"%d\") returned -1 with errno EINTR after %.0f ms, "
                "when a signal interrupted connect(): the handshake goes on in the kernel, "
                "and here it succeeds about 1 s after the start; wait for it (poll() for "
                "POLLOUT, then SO_ERROR)", silent.port, took);
    } else if (fd < 0) {
        SL_FAIL("tcp_connect(\"127.0.0.1\", \"%d\"), interrupted by a signal, returned %s "
                "after %.0f ms: expected a socket once the handshake, which goes on, is done",
                silent.port, sl_returned(fd, err), took);
    } else {
        SL_CHECK_INT("the port of the peer of the socket tcp_connect() returned after a signal",
                     tu_peer_port(fd), silent.port);
        close(fd);
    }
    if (fd < 0)
        SL_NO_FD_LEAK(before, "tcp_connect() that a signal interrupted");
    tu_silent_close(&silent);
}

SL_TEST(connect_tries_each_address, 2,
        "getaddrinfo() may return several addresses (here the loopback addresses, ::1 and "
        "127.0.0.1): when connect() fails on one, close that socket and try the next; "
        "return the errno of the last one only if all fail.")
{
    struct addrinfo hints, *res = NULL, *last;
    char host[64];
    int port, lfd, fd, n = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(NULL, "0", &hints, &res) != 0 || res == NULL)
        SL_FAIL_FATAL("test setup: getaddrinfo(NULL) gives no loopback address");
    for (last = res; last->ai_next != NULL; last = last->ai_next)
        n++;
    getnameinfo(last->ai_addr, last->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    freeaddrinfo(res);
    if (n == 0)
        SL_FAIL_FATAL("test setup: getaddrinfo(NULL) gives one loopback address only "
                      "(this test needs IPv4 and IPv6 on loopback)");
    /* A server on the last address only: the first ones refuse. */
    lfd = tu_listener(host, 4, &port);
    errno = 0;
    fd = tcp_connect(NULL, sl_port_text(port));
    if (fd < 0)
        SL_FAIL("tcp_connect(NULL, \"%d\") returned -1 with errno %s: the first loopback "
                "address refuses, but %s, the last one getaddrinfo() gives, accepts", port,
                sl_errno_text(errno), host);
    else
        close(fd);
    close(lfd);
}

SL_TEST(connect_rejects_bad_input, 1,
        "A NULL port is EINVAL; a port that does not resolve (getaddrinfo() returns "
        "EAI_SERVICE) is ENXIO.")
{
    int before;

    connect_works("127.0.0.1");
    before = sl_fd_count(0);
    TU_FAILS_WITH(tcp_connect("127.0.0.1", NULL), EINVAL);
    TU_FAILS_WITH(tcp_connect("127.0.0.1", "no-such-service"), ENXIO);
    SL_NO_FD_LEAK(before, "tcp_connect() with bad input");
}

SL_TEST(connect_by_name, 1,
        "tcp_connect() takes a host name: \"localhost\" resolves to the loopback "
        "address(es), and one of them accepts.")
{
    int p4, l4 = tu_listener("127.0.0.1", 4, &p4), l6 = -1, fd;
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, "::1", p4);

    /* The same port on ::1 too, where it is free: localhost may be either. */
    l6 = socket(AF_INET6, SOCK_STREAM, 0);
    if (l6 >= 0 && (bind(l6, (struct sockaddr *)&ss, len) < 0 || listen(l6, 4) < 0)) {
        close(l6);
        l6 = -1;
    }

    errno = 0;
    fd = tcp_connect("localhost", sl_port_text(p4));
    if (fd < 0)
        SL_FAIL("tcp_connect(\"localhost\", \"%d\") returned -1 with errno %s, with a server "
                "on 127.0.0.1:%d", p4, sl_errno_text(errno), p4);
    else
        close(fd);
    if (l6 >= 0)
        close(l6);
    close(l4);
}
