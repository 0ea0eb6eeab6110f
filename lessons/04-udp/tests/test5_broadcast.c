/* Task 5: broadcast (udp_set_broadcast). Only with loopback's own broadcast
 * address, 127.255.255.255 (Linux routes it to lo): never 255.255.255.255
 * nor any address that leaves this machine. The receivers are bound to
 * 127.255.255.255 itself, which gets broadcasts on lo and nothing else. */
#include "testutil.h"

SL_TASK(5, "Broadcast");

#define BROADCAST "127.255.255.255"

static int broadcast_option(int fd)
{
    int v = -1;
    socklen_t len = sizeof v;

    getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, &len);
    return v;
}

/* A receiver bound to BROADCAST and a free port, with SO_REUSEADDR so that
 * a second one can share its port: a broadcast reaches every socket bound
 * to it. */
static int receiver(int port)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, BROADCAST, port);
    int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0)
        SL_FAIL_FATAL("test setup: cannot bind a UDP socket to %s: %s", BROADCAST, tu_err(errno));
    return fd;
}

/* sendto() of the test's from fd to BROADCAST:port: 0 or errno. */
static int send_broadcast(int fd, int port, const char *text)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, BROADCAST, port);

    return sendto(fd, text, strlen(text), 0, (struct sockaddr *)&ss, len) < 0 ? errno : 0;
}

SL_TEST(broadcast_needs_so_broadcast, 3,
        "setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof v) with v = 1: without it a "
        "sendto() to a broadcast address fails with EACCES; with it the datagram goes to "
        "every socket bound to that port.")
{
    int r1 = receiver(0), port = sl_port_of(r1), r2 = receiver(port), fd = tu_udp("127.0.0.1");
    char buf[32];
    int err;

    err = send_broadcast(fd, port, "without");
    if (err != EACCES)
        SL_FAIL_FATAL("test setup: a sendto() to %s without SO_BROADCAST gave %s, not EACCES",
                      BROADCAST, err ? tu_err(err) : "success");
    sl_note("a sendto() to %s:%d without SO_BROADCAST fails with EACCES", BROADCAST, port);
    errno = 0;
    int rc = udp_set_broadcast(fd, 1);
    if (rc != 0)
        SL_FAIL_FATAL("udp_set_broadcast(fd, 1) returned %s: expected 0", tu_result(rc, errno));
    SL_CHECK_INT("SO_BROADCAST after udp_set_broadcast(fd, 1) (getsockopt() reads 1)",
                 broadcast_option(fd) != 0, 1);
    err = send_broadcast(fd, port, "to all");
    if (err != 0)
        SL_FAIL_FATAL("after udp_set_broadcast(fd, 1) a sendto() to %s:%d failed: %s",
                      BROADCAST, port, tu_err(err));
    if (tu_recv(r1, buf, sizeof buf, 1000, NULL) != 6 ||
        tu_recv(r2, buf, sizeof buf, 1000, NULL) != 6)
        SL_FAIL("the broadcast to %s:%d did not reach both sockets bound there", BROADCAST, port);
    close(fd);
    close(r1);
    close(r2);
}

SL_TEST(broadcast_off_again, 1,
        "udp_set_broadcast(fd, 0) clears SO_BROADCAST (v = 0): a broadcast then fails with "
        "EACCES again. Pass 1 or 0, not on itself, and do not ignore on.")
{
    int r = receiver(0), port = sl_port_of(r), fd = tu_udp("127.0.0.1"), err;

    SL_REQUIRE_OK(udp_set_broadcast(fd, 1));
    if (broadcast_option(fd) == 0)
        SL_FAIL_FATAL("udp_set_broadcast(fd, 1) returned 0 but left SO_BROADCAST off");
    SL_REQUIRE_OK(udp_set_broadcast(fd, 0));
    SL_CHECK_INT("SO_BROADCAST after udp_set_broadcast(fd, 0)", broadcast_option(fd), 0);
    err = send_broadcast(fd, port, "x");
    if (err != EACCES)
        SL_FAIL("after udp_set_broadcast(fd, 0) a sendto() to %s gave %s: expected EACCES",
                BROADCAST, err ? tu_err(err) : "success");
    SL_REQUIRE_OK(udp_set_broadcast(fd, 42));
    SL_CHECK_INT("SO_BROADCAST after udp_set_broadcast(fd, 42) (any value but 0 is on)",
                 broadcast_option(fd) != 0, 1);
    close(fd);
    close(r);
}

SL_TEST(broadcast_rejects_bad_descriptors, 1,
        "setsockopt() fails on a descriptor that is not open (EBADF) or not a socket "
        "(ENOTSOCK): return -1 with its errno.")
{
    int fd = tu_udp("127.0.0.1"), p[2];

    SL_REQUIRE_OK(udp_set_broadcast(fd, 1));
    close(fd);
    SL_ASSERT_FAILS_WITH(udp_set_broadcast(fd, 1), EBADF);
    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", tu_err(errno));
    TU_FAILS_WITH("udp_set_broadcast(the read end of a pipe, 1)", udp_set_broadcast(p[0], 1),
                  ENOTSOCK);
    close(p[0]);
    close(p[1]);
}
