/* Task 1: datagram sockets (udp_bind, udp_addr_text, udp_local_text). The
 * other end of every exchange is the test's own socket, made with plain
 * system calls; every test with a socket runs over IPv4 and IPv6. */
#include "testutil.h"

SL_TASK(1, "Datagram sockets");

static int sock_option(int fd, int level, int option)
{
    int v = -1;
    socklen_t len = sizeof v;

    if (getsockopt(fd, level, option, &v, &len) < 0)
        return -1;
    return v;
}

/* udp_bind(host, port) must return a socket, or the test ends. */
static int bind_ok(const char *host, const char *port)
{
    int fd;

    errno = 0;
    fd = udp_bind(host, port);
    if (fd < 0)
        SL_FAIL_FATAL("udp_bind(\"%s\", \"%s\") returned %s: expected a bound UDP socket%s", host,
                      port, tu_result(fd, errno),
                      strchr(host, ':') ? " (over IPv6: is a family hard-coded? Ask getaddrinfo() "
                      "for AF_UNSPEC, and give socket() the ai_family of each address)" : "");
    return fd;
}

/* ---- udp_bind ------------------------------------------------------------------ */

SL_NET_TEST(bind_makes_a_datagram_socket, 2, 0,
            "udp_bind() resolves host and port with getaddrinfo() (AI_PASSIVE, SOCK_DGRAM) "
            "and, for an address it returns, calls socket() with that address's ai_family "
            "(not a hard-coded AF_INET) and ai_socktype, then bind(). Return the socket.")
{
    int fd = bind_ok(host, "0"), peer = tu_udp(host);
    struct sockaddr_storage ss, from;
    socklen_t len = sizeof ss;
    char what[80], got[16];
    long n;

    snprintf(what, sizeof what, "the socket of udp_bind(\"%s\", \"0\")", host);
    SL_HINT("A UDP socket is socket(family, SOCK_DGRAM, 0): SOCK_STREAM is TCP. Take the "
            "type from the address getaddrinfo() gave, with hints.ai_socktype = SOCK_DGRAM.")
    {
        SL_CHECK_INT("SO_TYPE of the socket of udp_bind() (SOCK_DGRAM is 2)",
                     sock_option(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    }
    getsockname(fd, (struct sockaddr *)&ss, &len);
    if (ss.ss_family != sl_family(host))
        SL_FAIL_FATAL("%s is bound to %s: expected an %s address on %s", what, tu_where(fd),
                      sl_family_name(host), host);
    if (sl_port_of(fd) <= 0)
        SL_FAIL_FATAL("%s is bound to %s: port \"0\" asks for a free port, which bind() then "
                      "gives it; was bind() called?", what, tu_where(fd));
    tu_send_to(peer, "ping", 4, fd);
    n = tu_recv(fd, got, sizeof got, 1000, &from);
    if (n != 4 || memcmp(got, "ping", 4) != 0)
        SL_FAIL("a datagram \"ping\" sent to %s (where %s is bound) did not arrive on it",
                tu_where(fd), what);
    close(peer);
    close(fd);
}

SL_NET_TEST(bind_on_the_given_port, 2, 0,
            "getaddrinfo() turns the port text into the port in network byte order: pass "
            "its ai_addr to bind() as it is. If you build the address yourself, the port "
            "goes through htons().")
{
    int fd = -1, want = 0;

    for (int attempt = 0; attempt < 3 && fd < 0; attempt++) {
        want = sl_closed_port(host, SOCK_DGRAM);
        errno = 0;
        fd = udp_bind(host, sl_port_text(want));
        if (fd < 0 && errno != EADDRINUSE)
            break;   /* EADDRINUSE: another test took the port first */
    }
    /* Over IPv6 a failure is rarely the port: a family hard-coded to AF_INET
     * (in hints.ai_family or in socket()) cannot bind "::1" at all. */
    SL_HINT(fd < 0 && strchr(host, ':') ? TU_FAMILY_HINT : NULL)
    {
        if (fd < 0)
            SL_FAIL_FATAL("udp_bind(\"%s\", \"%d\") returned %s: expected a socket bound to "
                          "port %d%s", host, want, tu_result(fd, errno), want,
                          strchr(host, ':') ? " (over IPv6: is a family hard-coded?)" : "");
    }
    if (sl_port_of(fd) != want)
        SL_FAIL("udp_bind(\"%s\", \"%d\") is bound to %s: expected port %d%s", host, want,
                tu_where(fd), want,
                sl_port_of(fd) == ntohs((uint16_t)want) ? " (its two bytes are swapped: "
                "htons() is missing, or applied twice)" : "");
    close(fd);
}

SL_TEST(bind_by_name, 1,
        "udp_bind() takes a host name too: getaddrinfo() resolves \"localhost\" to this "
        "host's loopback address.")
{
    int fd = bind_ok("localhost", "0");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int loopback = 0;

    getsockname(fd, (struct sockaddr *)&ss, &len);
    if (ss.ss_family == AF_INET)
        loopback = ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24 == 127;
    else if (ss.ss_family == AF_INET6)
        loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr);
    if (!loopback)
        SL_FAIL("udp_bind(\"localhost\", \"0\") is bound to %s: expected a loopback address",
                tu_where(fd));
    close(fd);
}

SL_NET_TEST(bind_fails_on_a_port_in_use, 2, 0,
            "When bind() fails, return -1 with its errno (EADDRINUSE here) and close the "
            "socket you made. Do not set SO_REUSEADDR on a UDP socket: on Linux it lets two "
            "sockets that both set it bind one port, and the last one takes the datagrams.")
{
    int plain, shared, one = 1, before, fd, err;
    struct sockaddr_storage ss;
    socklen_t len;
    char what[96];

    close(bind_ok(host, "0"));
    before = sl_fd_count(0);
    plain = tu_udp(host);
    before++;
    snprintf(what, sizeof what, "udp_bind(\"%s\", the port of a socket already bound there)",
             host);
    sl_stderr_capture_begin();
    errno = 0;
    fd = udp_bind(host, sl_port_text(sl_port_of(plain)));
    err = errno;
    sl_stderr_capture_end(__FILE__, __LINE__, "udp_bind");
    SL_CHECK_FAILS(what, fd, err, EADDRINUSE);
    if (fd >= 0)
        close(fd);
    SL_NO_FD_LEAK(before, "udp_bind() on a port in use");
    close(plain);
    before--;
    /* A holder that set SO_REUSEADDR: a second socket that sets it too binds. */
    shared = socket(sl_family(host), SOCK_DGRAM, 0);
    setsockopt(shared, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    len = sl_addr(&ss, host, 0);
    if (shared < 0 || bind(shared, (struct sockaddr *)&ss, len) < 0)
        SL_FAIL_FATAL("test setup: cannot bind a UDP socket: %s", tu_err(errno));
    SL_HINT("udp_bind() bound a port that a socket with SO_REUSEADDR already had: it set "
            "SO_REUSEADDR too. UDP needs no such option (it has no TIME_WAIT); on a UDP "
            "socket it means \"share this port\", and the socket bound last steals the "
            "other's datagrams. Do not set it.")
    {
        errno = 0;
        fd = udp_bind(host, sl_port_text(sl_port_of(shared)));
        SL_CHECK_FAILS("udp_bind() of a port that a socket with SO_REUSEADDR holds", fd, errno,
                       EADDRINUSE);
        if (fd >= 0)
            close(fd);
    }
    close(shared);
}

SL_TEST(bind_rejects_bad_input, 2,
        "Check the arguments first (a NULL port: EINVAL). A port that does not resolve is "
        "ENXIO (map getaddrinfo()'s EAI_ code to errno, see udp.h); a failed bind() leaves "
        "its own errno. Close every socket that failed.")
{
    int before;

    close(bind_ok("127.0.0.1", "0"));
    before = sl_fd_count(0);
    SL_ASSERT_FAILS_WITH(udp_bind("127.0.0.1", NULL), EINVAL);
    SL_HINT("getaddrinfo() returns an EAI_ code (EAI_SERVICE for an unknown service), not "
            "-1 with errno: turn it into errno ENXIO as udp.h says.")
    {
        SL_ASSERT_FAILS_WITH(udp_bind("127.0.0.1", "no-such-service"), ENXIO);
    }
    SL_HINT("192.0.2.1 is no address of this host: bind() fails with EADDRNOTAVAIL. Return "
            "-1 with that errno (close the socket first without losing it).")
    {
        SL_ASSERT_FAILS_WITH(udp_bind("192.0.2.1", "0"), EADDRNOTAVAIL);
    }
    SL_NO_FD_LEAK(before, "udp_bind() with bad input");
}

/* ---- udp_addr_text and udp_local_text -------------------------------------------- */

SL_TEST(addr_text_writes_both_families, 2,
        "getnameinfo(sa, len, host, ..., serv, ..., NI_NUMERICHOST | NI_NUMERICSERV) "
        "writes the address and the port; print \"%s:%s\" for IPv4 and \"[%s]:%s\" for "
        "IPv6.")
{
    static const struct { const char *host; int port; const char *want; } cases[] = {
        {"127.0.0.1", 53, "127.0.0.1:53"},
        {"192.168.1.20", 4660, "192.168.1.20:4660"},   /* 0x1234: a swapped port shows */
        {"::1", 5353, "[::1]:5353"},
        {"2001:db8::7", 65535, "[2001:db8::7]:65535"},
        {"0.0.0.0", 0, "0.0.0.0:0"},
    };
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        struct sockaddr_storage ss;
        socklen_t len = sl_addr(&ss, cases[i].host, cases[i].port);
        char buf[UDP_ADDRSTRLEN], what[96];
        int rc;

        memset(buf, 'x', sizeof buf - 1);
        buf[sizeof buf - 1] = '\0';
        errno = 0;
        rc = udp_addr_text((struct sockaddr *)&ss, len, buf, sizeof buf);
        snprintf(what, sizeof what, "udp_addr_text(%s port %d)", cases[i].host, cases[i].port);
        if (rc != 0)
            SL_FAIL("%s returned %s: expected 0", what, tu_result(rc, errno));
        else
            SL_CHECK_STR(what, buf, cases[i].want);
    }
}

SL_TEST(addr_text_rejects_bad_input, 2,
        "Check the family yourself (getnameinfo() names even an AF_UNIX address): "
        "EAFNOSUPPORT. A buffer too small for the text is ENOSPC, and then holds \"\", "
        "never a cut address. A length too short for the family is EINVAL.")
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, "::1", 5353);
    struct sockaddr_storage un;
    char buf[UDP_ADDRSTRLEN], *small = sl_alloc(10);

    SL_REQUIRE_OK(udp_addr_text((struct sockaddr *)&ss, len, buf, sizeof buf));
    SL_HINT("\"[::1]:5353\" needs 11 bytes and its NUL: in a buffer of 10 it does not fit. "
            "Return -1 with ENOSPC and leave buf[0] = '\\0'; snprintf() tells the length it "
            "needed.")
    {
        memset(small, 'x', 10);
        TU_FAILS_WITH("udp_addr_text([::1]:5353, a buffer of 10 bytes)",
                      udp_addr_text((struct sockaddr *)&ss, len, small, 10), ENOSPC);
        if (small[0] != '\0')
            SL_FAIL("after ENOSPC the buffer of 10 bytes starts %s: expected \"\" (a NUL at "
                    "buf[0]), never a cut address", sl_bytes_brief(small, strnlen(small, 10)));
    }
    memset(&un, 0, sizeof un);
    un.ss_family = AF_UNIX;
    SL_HINT("Only AF_INET and AF_INET6 have an ADDR:PORT form: for any other sa_family "
            "return -1 with EAFNOSUPPORT (getnameinfo() would write \"localhost\" for an "
            "AF_UNIX address).")
    {
        TU_FAILS_WITH("udp_addr_text() of an AF_UNIX address",
                      udp_addr_text((struct sockaddr *)&un, sizeof un, buf, sizeof buf),
                      EAFNOSUPPORT);
    }
    SL_HINT("An IPv6 address is a struct sockaddr_in6 of 28 bytes; a length of 16 cannot "
            "hold it: EINVAL.")
    {
        TU_FAILS_WITH("udp_addr_text() of an IPv6 address with a length of 16",
                      udp_addr_text((struct sockaddr *)&ss, 16, buf, sizeof buf), EINVAL);
    }
    TU_FAILS_WITH("udp_addr_text(NULL, ...)", udp_addr_text(NULL, len, buf, sizeof buf),
                  EINVAL);
    TU_FAILS_WITH("udp_addr_text([::1]:5353, a NULL buffer of 10)",
                  udp_addr_text((struct sockaddr *)&ss, len, NULL, 10), EINVAL);
    sl_free(small);
}

SL_NET_TEST(local_text_of_a_bound_socket, 2, 0,
            "getsockname() into a struct sockaddr_storage (its length in and out), then "
            "write it as udp_addr_text() does: the form of the \"listening on\" line.")
{
    int fd = tu_udp(host), before = sl_fd_count(0);
    char buf[UDP_ADDRSTRLEN], want[UDP_ADDRSTRLEN], small[4];

    snprintf(want, sizeof want, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, sl_port_of(fd));
    errno = 0;
    int rc = udp_local_text(fd, buf, sizeof buf);
    if (rc != 0)
        SL_FAIL_FATAL("udp_local_text() of a socket bound to %s returned %s: expected 0", want,
                      tu_result(rc, errno));
    SL_CHECK_STR("udp_local_text() of the test's socket", buf, want);
    SL_ASSERT_FAILS_WITH(udp_local_text(fd, small, sizeof small), ENOSPC);
    close(fd);
    SL_HINT("A descriptor that is not open: getsockname() fails with EBADF; return -1 and "
            "keep that errno.")
    {
        SL_ASSERT_FAILS_WITH(udp_local_text(fd, buf, sizeof buf), EBADF);
    }
    SL_NO_FD_LEAK(before - 1, "udp_local_text()");
}
