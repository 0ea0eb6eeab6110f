/* Task 4: connected UDP (udp_connect). The peers are the test's own
 * sockets; what goes through the connected socket is sent and received
 * with plain send() and recv(). */
#include "testutil.h"

SL_TASK(4, "Connected UDP");

/* udp_connect(host, port) must return a socket, or the test ends. */
static int connect_ok(const char *host, int port)
{
    int fd;

    errno = 0;
    fd = udp_connect(host, sl_port_text(port));
    if (fd < 0)
        SL_FAIL_FATAL("udp_connect(\"%s\", \"%d\") returned %s: expected a connected UDP socket "
                      "(a connect() of UDP sends nothing, so it cannot fail for want of a "
                      "peer)%s", host, port, tu_result(fd, errno),
                      strchr(host, ':') ? "; over IPv6: is a family hard-coded? Ask "
                      "getaddrinfo() for AF_UNSPEC, and give socket() the ai_family of each "
                      "address" : "");
    return fd;
}

SL_NET_TEST(connect_fixes_the_peer, 3, 0,
            "udp_connect() resolves host and port (SOCK_DGRAM, any family), makes a socket of "
            "the address's family and connect()s it: getpeername() then names the peer, and "
            "send() without an address goes there.")
{
    int peer = tu_udp(host), fd = connect_ok(host, sl_port_of(peer)), v = -1;
    struct sockaddr_storage ss, want, from, me;
    socklen_t len = sizeof ss, vl = sizeof v;
    char buf[32];
    long n;

    tu_name_of(peer, &want);
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl);
    SL_CHECK_INT("SO_TYPE of the socket of udp_connect() (SOCK_DGRAM is 2)", v, SOCK_DGRAM);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        SL_FAIL_FATAL("getpeername() on the socket of udp_connect() failed with %s: the socket "
                      "is not connected (call connect() with the address getaddrinfo() gave)",
                      tu_err(errno));
    if (!tu_same_addr(&ss, &want))
        SL_FAIL_FATAL("the socket of udp_connect(\"%s\", \"%d\") is connected to %s: expected %s",
                      host, sl_port_of(peer), tu_text(&ss, len), tu_where(peer));
    if (send(fd, "over", 4, 0) != 4)
        SL_FAIL_FATAL("send() on the socket of udp_connect() failed: %s", tu_err(errno));
    n = tu_recv(peer, buf, sizeof buf, 1000, &from);
    tu_name_of(fd, &me);
    if (n != 4)
        SL_FAIL("send() on the socket of udp_connect() returned 4, but the peer got nothing");
    else if (!tu_same_addr(&from, &me))
        SL_FAIL("the peer got the datagram from %s, not from the socket of udp_connect() (%s)",
                tu_text(&from, sizeof from), tu_where(fd));
    tu_send_to(peer, "and back", 8, fd);
    tu_recv_timeout(fd, 1000);
    n = recv(fd, buf, sizeof buf, 0);
    if (n != 8)
        SL_FAIL("the peer's datagram to the socket of udp_connect() did not come (recv(): %s)",
                n < 0 ? tu_err(errno) : "a datagram of another length");
    close(fd);
    close(peer);
}

SL_NET_TEST(connected_socket_hears_its_peer_only, 2, 0,
            "A connected UDP socket receives only from its peer: the kernel drops what "
            "others send to it. That is connect() at work: call it, do not only remember "
            "the address.")
{
    int peer = tu_udp(host), other = tu_udp(host), fd = connect_ok(host, sl_port_of(peer));
    char buf[32];
    ssize_t n;

    tu_send_to(other, "from a stranger", 15, fd);
    tu_send_to(peer, "from the peer", 13, fd);
    tu_recv_timeout(fd, 1000);
    n = recv(fd, buf, sizeof buf, 0);
    if (n == 15)
        SL_FAIL("the socket of udp_connect() received a datagram from %s, which is not its "
                "peer (%s): the socket was not connect()ed", tu_where(other), tu_where(peer));
    else if (n != 13)
        SL_FAIL("the socket of udp_connect() got %s: expected the peer's datagram of 13 bytes",
                n < 0 ? tu_err(errno) : "a datagram of another length");
    sl_sleep_ms(20);
    if (sl_readable(fd))
        SL_FAIL("after the peer's datagram, another waits on the socket of udp_connect(): the "
                "stranger's got through");
    close(fd);
    close(peer);
    close(other);
}

SL_NET_TEST(connect_to_a_closed_port_is_refused_later, 3, 0,
            "connect() of UDP sends nothing, so it succeeds even where nobody listens; the "
            "refusal (an ICMP port unreachable) comes after the first datagram, as "
            "ECONNREFUSED from the next call on the socket. Do not send a probe, and do not "
            "wait, in udp_connect().")
{
    int port = sl_closed_port(host, SOCK_DGRAM), fd = connect_ok(host, port);
    char buf[8];
    ssize_t n;

    sl_note("udp_connect() to port %d, where nobody listens, gave a socket", port);
    if (sl_readable(fd))
        SL_FAIL_FATAL("the socket of udp_connect() has an error or a datagram waiting before "
                      "anything was sent on it: udp_connect() must not send a probe");
    if (send(fd, "anyone?", 7, 0) != 7)
        SL_FAIL_FATAL("the first send() on the socket of udp_connect() failed: %s",
                      tu_err(errno));
    tu_recv_timeout(fd, 1000);
    errno = 0;
    n = recv(fd, buf, sizeof buf, 0);
    SL_CHECK_FAILS("recv() after a datagram to a closed port, on the socket of udp_connect()", n,
                   errno, ECONNREFUSED);
    close(fd);
}

SL_TEST(connect_by_name, 1,
        "udp_connect() takes a name too: getaddrinfo() resolves \"localhost\" to a loopback "
        "address. Try its addresses in turn until a connect() works.")
{
    int peer = tu_udp("127.0.0.1"), fd = -1;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    errno = 0;
    fd = udp_connect("localhost", sl_port_text(sl_port_of(peer)));
    if (fd < 0)
        SL_FAIL_FATAL("udp_connect(\"localhost\", \"%d\") returned %s: expected a connected "
                      "socket", sl_port_of(peer), tu_result(fd, errno));
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        SL_FAIL("the socket of udp_connect(\"localhost\", ...) is not connected: %s",
                tu_err(errno));
    else if (sl_port_in(&ss) != sl_port_of(peer))
        SL_FAIL("udp_connect(\"localhost\", \"%d\") is connected to %s: expected port %d",
                sl_port_of(peer), tu_text(&ss, len), sl_port_of(peer));
    close(fd);
    close(peer);
}

SL_TEST(connect_rejects_bad_input, 2,
        "A NULL port is EINVAL; a port that does not resolve is ENXIO (the EAI_ code mapped "
        "to errno); a connect() that fails leaves its errno: a broadcast address without "
        "SO_BROADCAST is EACCES. Close every socket that failed.")
{
    int peer = tu_udp("127.0.0.1"), before;

    close(connect_ok("127.0.0.1", sl_port_of(peer)));
    before = sl_fd_count(0);
    SL_ASSERT_FAILS_WITH(udp_connect("127.0.0.1", NULL), EINVAL);
    SL_HINT("getaddrinfo() fails with EAI_SERVICE for an unknown service, not -1 with errno: "
            "map it to ENXIO.")
    {
        SL_ASSERT_FAILS_WITH(udp_connect("127.0.0.1", "no-such-service"), ENXIO);
    }
    SL_HINT("connect() to 127.255.255.255, loopback's broadcast address, fails with EACCES "
            "unless SO_BROADCAST is set: return -1 with connect()'s errno, after closing the "
            "socket.")
    {
        sl_stderr_capture_begin();
        errno = 0;
        int fd = udp_connect("127.255.255.255", "7"), err = errno;
        sl_stderr_capture_end(__FILE__, __LINE__, "udp_connect");
        SL_CHECK_FAILS("udp_connect(\"127.255.255.255\", \"7\")", fd, err, EACCES);
        if (fd >= 0)
            close(fd);
    }
    SL_NO_FD_LEAK(before, "udp_connect() with bad input");
    close(peer);
}
