/* Task 2: sending and receiving datagrams (udp_send_to, udp_recv_from).
 * The sockets are the test's own, made with plain system calls; the
 * student's functions send and receive on them. */
#include "testutil.h"

SL_TASK(2, "Sending and receiving datagrams");

/* udp_send_to() from fd to the socket `to`: what it returned, errno in *err. */
static ssize_t send_to_socket(int fd, const void *buf, size_t len, int to, int *err)
{
    struct sockaddr_storage ss;
    socklen_t sl = tu_name_of(to, &ss);
    ssize_t n;

    errno = 0;
    n = udp_send_to(fd, buf, len, (struct sockaddr *)&ss, sl);
    *err = errno;
    return n;
}

/* ---- udp_send_to ------------------------------------------------------------------ */

SL_NET_TEST(send_to_sends_one_datagram, 2, 0,
            "udp_send_to() is one sendto(fd, buf, len, 0, to, tolen): it returns len, and "
            "the datagram arrives whole, from the socket's own address. An empty datagram "
            "(len 0, buf may be NULL) is sent like any other.")
{
    int fd = tu_udp(host), rx = tu_udp(host), err;
    struct sockaddr_storage from, me;
    char got[64];
    long n;

    tu_name_of(fd, &me);
    ssize_t rc = send_to_socket(fd, "hello", 5, rx, &err);
    if (rc != 5)
        SL_FAIL_FATAL("udp_send_to(\"hello\", 5 bytes, to %s) returned %s: expected 5",
                      tu_where(rx), tu_result(rc, err));
    n = tu_recv(rx, got, sizeof got, 1000, &from);
    if (n < 0)
        SL_FAIL_FATAL("udp_send_to() returned 5, but no datagram came to %s within 1 s",
                      tu_where(rx));
    SL_CHECK_BYTES("the datagram udp_send_to() sent", got, (size_t)n, "hello", 5);
    if (!tu_same_addr(&from, &me))
        SL_FAIL("the datagram came from %s: expected it from the socket given to udp_send_to() "
                "(%s)", tu_text(&from, sizeof from), tu_where(fd));
    SL_HINT("An empty datagram is a datagram: sendto() with len 0 sends one, and the peer "
            "receives a datagram of 0 bytes. Do not skip the call, nor treat NULL with "
            "len 0 as an error.")
    {
        rc = send_to_socket(fd, NULL, 0, rx, &err);
        if (rc != 0)
            SL_FAIL("udp_send_to(NULL, 0 bytes) returned %s: expected 0", tu_result(rc, err));
        else if ((n = tu_recv(rx, got, sizeof got, 1000, NULL)) != 0)
            SL_FAIL("after udp_send_to() of an empty datagram the peer got %s: expected a "
                    "datagram of 0 bytes", n < 0 ? "nothing" : "a datagram with bytes in it");
    }
    close(fd);
    close(rx);
}

SL_NET_TEST(largest_datagram_goes_whole, 3, 0,
            "A UDP datagram over IPv4 holds up to 65507 bytes (65535 less 20 of IP header "
            "and 8 of UDP header), over IPv6 up to 65527: send it in one sendto(), receive "
            "it in one recvfrom() with room for all of it. No fixed 512- or 1500-byte limit "
            "of your own.")
{
    const size_t big = strchr(host, ':') ? 65527 : UDP_MAX_DATAGRAM;
    unsigned char *data = sl_alloc(big), *got = sl_alloc(big + 16), *room = sl_alloc(big);
    int fd = tu_udp(host), rx = tu_udp(host), err;
    char what[96];
    long n;

    sl_pattern(data, big, 65);
    snprintf(what, sizeof what, "udp_send_to() of %zu bytes over %s", big, sl_family_name(host));
    ssize_t rc = send_to_socket(fd, data, big, rx, &err);
    if (rc != (ssize_t)big)
        SL_FAIL_FATAL("%s returned %s: expected %zu, the largest datagram %s carries", what,
                      tu_result(rc, err), big, sl_family_name(host));
    n = tu_recv(rx, got, big + 16, 1000, NULL);
    if (n != (long)big || memcmp(got, data, big) != 0)
        SL_FAIL("%s: the peer got %ld bytes%s: expected the %zu bytes sent", what, n,
                n == (long)big ? " that differ" : "", big);
    /* and the other way: the test sends, udp_recv_from() receives */
    tu_send_to(rx, data, big, fd);
    errno = 0;
    tu_recv_timeout(fd, 1000);
    rc = udp_recv_from(fd, room, big, NULL, NULL);
    err = errno;
    SL_HINT("A datagram of exactly cap bytes fits whole: recvfrom() with MSG_TRUNC returns its "
            "whole length, and only a length above cap means it was cut (n > cap, not "
            "n >= cap). Guessing a cut from n == cap reports this one wrongly.")
    {
        if (rc < 0 && err == EMSGSIZE)
            SL_FAIL_FATAL("udp_recv_from() of a datagram of %zu bytes into a buffer of exactly "
                          "%zu returned %s: expected %zu; it fits, nothing was cut", big, big,
                          tu_result(rc, err), big);
    }
    if (rc != (ssize_t)big)
        SL_FAIL("udp_recv_from() of a datagram of %zu bytes into a buffer of %zu returned %s: "
                "expected %zu%s", big, big, tu_result(rc, err), big,
                rc == 512 || rc == 1500 || rc == 1024 || rc == 4096 || rc == 8192
                    ? " (a fixed buffer of your own is too small)" : "");
    else if (memcmp(room, data, big) != 0)
        SL_FAIL("udp_recv_from() returned %zu, but the bytes in the buffer are not those sent",
                big);
    close(fd);
    close(rx);
    sl_free(data);
    sl_free(got);
    sl_free(room);
}

SL_NET_TEST(past_the_largest_fails_with_emsgsize, 2, 0,
            "One byte past the largest datagram (65508 over IPv4, 65528 over IPv6), "
            "sendto() fails with EMSGSIZE: return -1 with that errno. Never cut the datagram "
            "to make it fit, and do not check a limit of your own: the kernel knows each "
            "family's.")
{
    const size_t max = strchr(host, ':') ? 65527 : UDP_MAX_DATAGRAM;
    unsigned char *data = sl_alloc(max + 1), *got = sl_alloc(max + 16);
    int fd = tu_udp(host), rx = tu_udp(host), err;
    char what[96];

    sl_pattern(data, max + 1, 3);
    snprintf(what, sizeof what, "udp_send_to() of %zu bytes over %s", max, sl_family_name(host));
    ssize_t rc = send_to_socket(fd, data, max, rx, &err);
    if (rc != (ssize_t)max)
        SL_FAIL_FATAL("%s returned %s: expected %zu (the largest datagram goes; only one byte "
                      "more fails)", what, tu_result(rc, err), max);
    tu_recv(rx, got, max + 16, 1000, NULL);
    rc = send_to_socket(fd, data, max + 1, rx, &err);
    snprintf(what, sizeof what, "udp_send_to() of %zu bytes over %s", max + 1,
             sl_family_name(host));
    SL_CHECK_FAILS(what, rc, err, EMSGSIZE);
    sl_sleep_ms(30);
    if (sl_readable(rx))
        SL_FAIL("after %s, a datagram arrived all the same: a datagram that is too large is "
                "not sent at all, never cut", what);
    close(fd);
    close(rx);
    sl_free(data);
    sl_free(got);
}

/* ---- udp_recv_from --------------------------------------------------------------- */

SL_NET_TEST(recv_from_gives_the_datagram_and_its_sender, 2, 0,
            "recvfrom(fd, buf, cap, ..., (struct sockaddr *)from, &len), with len set to "
            "sizeof *from first (it is in and out): the datagram's length, its bytes, and "
            "who sent it, which is where a server sends the reply.")
{
    int fd = tu_udp(host), peer = tu_udp(host);
    struct sockaddr_storage from, want;
    socklen_t fromlen = 0, wantlen = tu_name_of(peer, &want);
    char *buf = sl_alloc(16);
    ssize_t n;

    tu_recv_timeout(fd, 1000);
    tu_send_to(peer, "hello", 5, fd);
    memset(&from, 0, sizeof from);
    errno = 0;
    n = udp_recv_from(fd, buf, 16, &from, &fromlen);
    if (n != 5)
        SL_FAIL_FATAL("udp_recv_from() of a datagram \"hello\" returned %s: expected 5",
                      tu_result(n, errno));
    SL_CHECK_BYTES("the datagram udp_recv_from() received", buf, 5, "hello", 5);
    SL_HINT("*fromlen is set by udp_recv_from(), whatever it was: the test passed it as 0. "
            "Give recvfrom() a socklen_t of your own that starts at sizeof *from, then copy "
            "what recvfrom() left in it to *fromlen.")
    {
        if (!tu_same_addr(&from, &want))
            SL_FAIL("udp_recv_from() set from to %s: expected the sender, %s", tu_text(&from,
                    sizeof from), tu_where(peer));
        SL_CHECK_INT("the *fromlen udp_recv_from() set (the size of the sender's address)",
                     fromlen, wantlen);
    }
    SL_HINT("from may be NULL (the caller does not want to know): pass NULL for both the "
            "address and its length to recvfrom().")
    {
        tu_send_to(peer, "again", 5, fd);
        errno = 0;
        n = udp_recv_from(fd, buf, 16, NULL, NULL);
        if (n != 5)
            SL_FAIL("udp_recv_from(from NULL, fromlen NULL) returned %s: expected 5",
                    tu_result(n, errno));
    }
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_NET_TEST(boundaries_are_kept, 3, 0,
            "Each recvfrom() takes exactly one datagram: three sends are three receives, "
            "never merged and never split, whatever the room in the buffer. An empty "
            "datagram returns 0: for UDP that is a datagram of 0 bytes, not the end of "
            "anything (there is no connection to end).")
{
    static const char *const sent[] = {"first", "", "the third one"};
    int fd = tu_udp(host), peer = tu_udp(host);
    char *buf = sl_alloc(64);

    tu_recv_timeout(fd, 500);
    for (size_t i = 0; i < SL_COUNT(sent); i++)
        tu_send_to(peer, sent[i], strlen(sent[i]), fd);
    sl_note("sent three datagrams of 5, 0 and 13 bytes to the socket, at once");
    for (size_t i = 0; i < SL_COUNT(sent); i++) {
        size_t want = strlen(sent[i]);
        ssize_t n;

        errno = 0;
        n = udp_recv_from(fd, buf, 64, NULL, NULL);
        if (n != (ssize_t)want)
            SL_FAIL_FATAL("call %zu of udp_recv_from() (room for 64 bytes) returned %s: expected "
                          "%zu, the length of datagram %zu%s", i + 1, tu_result(n, errno), want,
                          i + 1,
                          want == 0 ? ": an empty datagram is returned as 0, like any other"
                          : n > (ssize_t)want ? ": one call must not gather several datagrams"
                                               : "");
        SL_CHECK_BYTES("a datagram udp_recv_from() returned", buf, (size_t)n, sent[i], want);
    }
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_NET_TEST(recv_from_reports_truncation, 3, 0,
            "Pass MSG_TRUNC to recvfrom(): it then returns the datagram's whole length, "
            "even when only cap bytes fitted. More than cap means the datagram was cut: "
            "return -1 with EMSGSIZE (its first cap bytes in buf, from set), never the cut "
            "bytes as if they were the whole message.")
{
    char big[100], *buf = sl_alloc(10);
    int fd = tu_udp(host), peer = tu_udp(host);
    struct sockaddr_storage from, want;
    socklen_t fromlen;
    ssize_t n;

    tu_name_of(peer, &want);
    sl_pattern(big, sizeof big, 10);
    tu_recv_timeout(fd, 1000);
    SL_HINT("A datagram of exactly cap bytes fits: it is whole, not cut. With MSG_TRUNC the "
            "length recvfrom() returns tells the two apart; a guess from \"it filled the "
            "buffer\" cannot.")
    {
        tu_send_to(peer, big, 10, fd);
        errno = 0;
        n = udp_recv_from(fd, buf, 10, &from, &fromlen);
        if (n != 10)
            SL_FAIL_FATAL("udp_recv_from() of a datagram of 10 bytes into a buffer of 10 "
                          "returned %s: expected 10 (it fits exactly)", tu_result(n, errno));
    }
    tu_send_to(peer, big, sizeof big, fd);
    tu_send_to(peer, "next", 4, fd);
    memset(&from, 0, sizeof from);
    sl_stderr_capture_begin();
    errno = 0;
    n = udp_recv_from(fd, buf, 10, &from, &fromlen);
    int err = errno;
    sl_stderr_capture_end(__FILE__, __LINE__, "udp_recv_from");
    SL_CHECK_FAILS("udp_recv_from() of a datagram of 100 bytes into a buffer of 10", n, err,
                   EMSGSIZE);
    if (n == 10)
        SL_FAIL("it returned 10: the datagram was cut to 10 bytes and passed off as whole; "
                "recvfrom() with MSG_TRUNC would have returned 100");
    SL_CHECK_BYTES("the first 10 bytes of the datagram that did not fit", buf, 10, big, 10);
    if (!tu_same_addr(&from, &want))
        SL_FAIL("after EMSGSIZE, from is %s: expected the sender, %s (the caller may want to "
                "say who sent a datagram too long)", tu_text(&from, sizeof from), tu_where(peer));
    SL_HINT("The datagram that did not fit is gone (the kernel dropped its tail): the next "
            "call gets the next datagram, \"next\".")
    {
        errno = 0;
        n = udp_recv_from(fd, buf, 10, NULL, NULL);
        if (n != 4 || memcmp(buf, "next", 4) != 0)
            SL_FAIL("the call after the EMSGSIZE returned %s%s: expected 4, the datagram "
                    "\"next\"", tu_result(n, errno), n > 0 ? sl_bytes_brief(buf, (size_t)n) : "");
    }
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_TEST(recv_from_is_not_stopped_by_signals, 2,
        "A signal whose handler was installed without SA_RESTART interrupts a blocking "
        "recvfrom(): it fails with EINTR before any datagram came. That is no error of "
        "the socket: call recvfrom() again.")
{
    int fd = tu_udp("127.0.0.1"), peer = tu_udp("127.0.0.1"), ticks;
    char *buf = sl_alloc(16);
    ssize_t n;

    tu_recv_timeout(fd, 2000);
    sl_note("a signal every millisecond; the datagram \"late\" comes at the 30th");
    tu_timer_start(1000, 30, peer, "late", 4, fd, -1);
    errno = 0;
    n = udp_recv_from(fd, buf, 16, NULL, NULL);
    int err = errno;
    ticks = sl_timer_stop();
    if (n != 4)
        SL_FAIL("udp_recv_from(), interrupted by a signal before the datagram came (%d came "
                "in all), returned %s: expected 4, the datagram \"late\"%s", ticks,
                tu_result(n, err),
                err == EINTR ? " (call recvfrom() again when it fails with EINTR)" : "");
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_NET_TEST(recv_from_reports_a_refusal, 2, 0,
            "On a connected socket an ICMP \"port unreachable\" for a datagram it sent comes "
            "back as ECONNREFUSED from the next call: return it (-1, errno ECONNREFUSED), "
            "do not loop on it. udp_send_to() with a NULL address sends to the connected "
            "peer.")
{
    /* a port no socket bound to port 0 may take once it is closed */
    int peer = tu_udp_bound(host, sl_closed_port(host, SOCK_DGRAM));
    int fd = tu_connected_to(host, sl_port_of(peer)), err;
    char *buf = sl_alloc(16);
    ssize_t n;

    tu_recv_timeout(fd, 1000);
    SL_HINT("udp_send_to(fd, buf, len, NULL, 0) on a connected socket is send(): pass the "
            "NULL address on to sendto() (with length 0).")
    {
        errno = 0;
        n = udp_send_to(fd, "to the peer", 11, NULL, 0);
        err = errno;
        if (n != 11)
            SL_FAIL_FATAL("udp_send_to(to NULL) on a connected socket returned %s: expected 11",
                          tu_result(n, err));
        if (tu_recv(peer, buf, 16, 1000, NULL) != 11)
            SL_FAIL_FATAL("udp_send_to(to NULL) on a socket connected to %s returned 11, but "
                          "nothing came there", tu_where(peer));
    }
    tu_send_to(peer, "reply", 5, fd);
    errno = 0;
    n = udp_recv_from(fd, buf, 16, NULL, NULL);
    if (n != 5)
        SL_FAIL_FATAL("udp_recv_from() on a connected socket returned %s: expected 5, the "
                      "peer's \"reply\"", tu_result(n, errno));
    close(peer);   /* nobody listens there now */
    sl_note("closed the peer's socket: its port is closed; a datagram to it is refused");
    errno = 0;
    n = udp_send_to(fd, "anyone?", 7, NULL, 0);
    if (n != 7)
        SL_FAIL_FATAL("udp_send_to() to a closed port returned %s: expected 7 (the send "
                      "succeeds; the refusal comes later)", tu_result(n, errno));
    errno = 0;
    n = udp_recv_from(fd, buf, 16, NULL, NULL);
    SL_CHECK_FAILS("udp_recv_from() after a datagram to a closed port", n, errno, ECONNREFUSED);
    close(fd);
    sl_free(buf);
}

SL_TEST(send_and_recv_reject_bad_input, 2,
        "A NULL buffer with a length is EINVAL (a NULL buffer with length 0 is an empty "
        "datagram); the other errors are the kernel's, returned as they come: EDESTADDRREQ "
        "(no address, not connected), EAGAIN (non-blocking, nothing waiting), EBADF.")
{
    int fd = tu_udp("127.0.0.1"), rx = tu_udp("127.0.0.1"), err;
    struct sockaddr_storage to, from;
    socklen_t tolen = tu_name_of(rx, &to), fromlen;
    char buf[16];
    ssize_t n;

    n = send_to_socket(fd, "ok", 2, rx, &err);
    if (n != 2)
        SL_FAIL_FATAL("udp_send_to() of 2 bytes returned %s: expected 2", tu_result(n, err));
    tu_recv_timeout(rx, 1000);
    SL_REQUIRE(udp_recv_from(rx, buf, sizeof buf, &from, &fromlen), 2);
    TU_FAILS_WITH("udp_send_to(fd, NULL, 5, an address, its length)",
                  udp_send_to(fd, NULL, 5, (struct sockaddr *)&to, tolen), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_recv_from(rx, NULL, 5, NULL, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_recv_from(rx, buf, sizeof buf, &from, NULL), EINVAL);
    SL_HINT("sendto() with no address on a socket that is not connected fails with "
            "EDESTADDRREQ: return -1 with that errno.")
    {
        SL_ASSERT_FAILS_WITH(udp_send_to(fd, "x", 1, NULL, 0), EDESTADDRREQ);
    }
    SL_HINT("On a non-blocking socket with no datagram waiting recvfrom() fails at once with "
            "EAGAIN: return it, do not wait.")
    {
        tu_nonblocking(rx);
        SL_ASSERT_FAILS_WITH(udp_recv_from(rx, buf, sizeof buf, NULL, NULL), EAGAIN);
    }
    close(fd);
    close(rx);
    TU_FAILS_WITH("udp_send_to() on a descriptor that was closed",
                  udp_send_to(fd, "x", 1, (struct sockaddr *)&to, tolen), EBADF);
    SL_ASSERT_FAILS_WITH(udp_recv_from(rx, buf, sizeof buf, NULL, NULL), EBADF);
}
