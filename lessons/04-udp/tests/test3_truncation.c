/* Task 3: truncation the portable way, and peeking (udp_recv_msg,
 * udp_peek_size). The datagrams come from the test's own socket. */
#include "testutil.h"

SL_TASK(3, "Truncation the portable way, and peeking");

SL_NET_TEST(recv_msg_says_when_a_datagram_was_cut, 3, 0,
            "recvmsg() with one struct iovec {buf, cap}: it returns the bytes it stored, and "
            "sets MSG_TRUNC in msg.msg_flags when the datagram was longer. Set *truncated "
            "from that flag, 1 or 0, every time.")
{
    char big[100], *buf = sl_alloc(10);
    int fd = tu_udp(host), peer = tu_udp(host), truncated;
    struct sockaddr_storage from, want;
    socklen_t fromlen = 0, wantlen = tu_name_of(peer, &want);
    ssize_t n;

    sl_pattern(big, sizeof big, 7);
    tu_recv_timeout(fd, 1000);
    tu_send_to(peer, big, 10, fd);
    tu_send_to(peer, big, sizeof big, fd);
    SL_HINT("A datagram of exactly cap bytes fits: *truncated is 0. Read MSG_TRUNC from "
            "msg.msg_flags after the call; do not guess from \"it filled the buffer\".")
    {
        truncated = 7;
        errno = 0;
        n = udp_recv_msg(fd, buf, 10, &from, &fromlen, &truncated);
        if (n != 10)
            SL_FAIL_FATAL("udp_recv_msg() of a datagram of 10 bytes into 10 returned %s: "
                          "expected 10", tu_result(n, errno));
        SL_CHECK_INT("*truncated after a datagram of 10 bytes into a buffer of 10", truncated, 0);
    }
    SL_HINT("msg_name and msg_namelen (set to sizeof *from before the call) receive the "
            "sender's address; after the call msg_namelen is its length: copy it to "
            "*fromlen.")
    {
        if (!tu_same_addr(&from, &want))
            SL_FAIL("udp_recv_msg() set from to %s: expected the sender, %s",
                    tu_text(&from, sizeof from), tu_where(peer));
        SL_CHECK_INT("*fromlen after udp_recv_msg()", fromlen, wantlen);
    }
    truncated = 0;
    errno = 0;
    n = udp_recv_msg(fd, buf, 10, NULL, NULL, &truncated);
    if (n != 10)
        SL_FAIL("udp_recv_msg() of a datagram of 100 bytes into 10 returned %s: expected 10, "
                "the bytes that fitted", tu_result(n, errno));
    SL_CHECK_INT("*truncated after a datagram of 100 bytes into a buffer of 10 (1: it was cut)",
                 truncated, 1);
    SL_CHECK_BYTES("the 10 bytes that fitted", buf, 10, big, 10);
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_NET_TEST(recv_msg_keeps_boundaries, 2, 0,
            "One recvmsg(), one datagram: an empty one returns 0 with *truncated 0, and the "
            "next call gets the next datagram.")
{
    int fd = tu_udp(host), peer = tu_udp(host), truncated;
    char *buf = sl_alloc(32);
    ssize_t n;

    tu_recv_timeout(fd, 1000);
    tu_send_to(peer, "", 0, fd);
    tu_send_to(peer, "second", 6, fd);
    truncated = 7;
    errno = 0;
    n = udp_recv_msg(fd, buf, 32, NULL, NULL, &truncated);
    if (n != 0)
        SL_FAIL_FATAL("udp_recv_msg() of an empty datagram returned %s: expected 0 (a datagram "
                      "of 0 bytes is a datagram, not an end)", tu_result(n, errno));
    SL_CHECK_INT("*truncated after an empty datagram", truncated, 0);
    errno = 0;
    n = udp_recv_msg(fd, buf, 32, NULL, NULL, &truncated);
    if (n != 6 || memcmp(buf, "second", 6) != 0)
        SL_FAIL("the next udp_recv_msg() returned %s: expected 6, the datagram \"second\"",
                tu_result(n, errno));
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_TEST(recv_msg_is_not_stopped_by_signals, 1,
        "recvmsg() interrupted by a signal fails with EINTR: call it again (set up the "
        "msghdr again too: msg_namelen and msg_flags are written by each call).")
{
    int fd = tu_udp("127.0.0.1"), peer = tu_udp("127.0.0.1"), truncated = 0, ticks;
    char *buf = sl_alloc(16);
    ssize_t n;

    tu_recv_timeout(fd, 2000);
    tu_timer_start(1000, 30, peer, "late", 4, fd, -1);
    errno = 0;
    n = udp_recv_msg(fd, buf, 16, NULL, NULL, &truncated);
    int err = errno;
    ticks = sl_timer_stop();
    if (n != 4)
        SL_FAIL("udp_recv_msg(), interrupted by a signal before the datagram came (%d came in "
                "all), returned %s: expected 4, the datagram \"late\"", ticks, tu_result(n, err));
    close(fd);
    close(peer);
    sl_free(buf);
}

SL_TEST(recv_msg_rejects_bad_input, 1,
        "truncated is required (EINVAL when NULL), like a buffer when cap is not 0; the "
        "kernel's errors come back as they are (EAGAIN, EBADF).")
{
    int fd = tu_udp("127.0.0.1"), peer = tu_udp("127.0.0.1"), truncated;
    char buf[16];

    tu_recv_timeout(fd, 1000);
    tu_send_to(peer, "ok", 2, fd);
    SL_REQUIRE(udp_recv_msg(fd, buf, sizeof buf, NULL, NULL, &truncated), 2);
    SL_ASSERT_FAILS_WITH(udp_recv_msg(fd, buf, sizeof buf, NULL, NULL, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_recv_msg(fd, NULL, 8, NULL, NULL, &truncated), EINVAL);
    tu_nonblocking(fd);
    SL_ASSERT_FAILS_WITH(udp_recv_msg(fd, buf, sizeof buf, NULL, NULL, &truncated), EAGAIN);
    close(fd);
    close(peer);
    SL_ASSERT_FAILS_WITH(udp_recv_msg(fd, buf, sizeof buf, NULL, NULL, &truncated), EBADF);
}

/* ---- udp_peek_size ------------------------------------------------------------------ */

SL_NET_TEST(peek_size_tells_the_next_length, 3, 0,
            "recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC) returns the whole length of the next "
            "datagram and leaves it queued: asked twice, it says the same, and the next "
            "receive gets that very datagram.")
{
    static const size_t sizes[] = {10, 0, UDP_MAX_DATAGRAM};
    unsigned char *data = sl_alloc(UDP_MAX_DATAGRAM), *got = sl_alloc(UDP_BUFFER_SIZE);
    int fd = tu_udp(host), peer = tu_udp(host);

    sl_pattern(data, UDP_MAX_DATAGRAM, 11);
    tu_recv_timeout(fd, 1000);
    for (size_t i = 0; i < SL_COUNT(sizes); i++)
        tu_send_to(peer, data, sizes[i], fd);
    sl_note("sent datagrams of 10, 0 and 65507 bytes");
    for (size_t i = 0; i < SL_COUNT(sizes); i++) {
        for (int ask = 1; ask <= 2; ask++) {
            errno = 0;
            ssize_t n = udp_peek_size(fd);
            if (n != (ssize_t)sizes[i])
                SL_FAIL_FATAL("udp_peek_size() (asked %s) with a datagram of %zu bytes next "
                              "returned %s: expected %zu%s", ask == 1 ? "once" : "again",
                              sizes[i], tu_result(n, errno), sizes[i],
                              ask == 2 ? " (the first call consumed it: use MSG_PEEK)"
                              : n >= 0 && n < (ssize_t)sizes[i] ? " (use MSG_TRUNC: without it "
                                "recv() returns what fitted in the buffer, 0 bytes for none)" : "");
        }
        long n = tu_recv(fd, got, UDP_BUFFER_SIZE, 1000, NULL);
        if (n != (long)sizes[i] || memcmp(got, data, sizes[i]) != 0)
            SL_FAIL_FATAL("after udp_peek_size() said %zu, the test's recv() got %ld bytes: "
                          "the datagram must still be there, untouched", sizes[i], n);
    }
    close(fd);
    close(peer);
    sl_free(data);
    sl_free(got);
}

SL_TEST(peek_size_waits_and_reports_errors, 2,
        "On a blocking socket udp_peek_size() waits for a datagram (a signal's EINTR: "
        "again); on a non-blocking one with nothing waiting it fails with EAGAIN at once; "
        "on a closed descriptor with EBADF.")
{
    int fd = tu_udp("127.0.0.1"), peer = tu_udp("127.0.0.1"), ticks;
    ssize_t n;

    tu_recv_timeout(fd, 2000);
    tu_timer_start(1000, 30, peer, "late!", 5, fd, -1);
    errno = 0;
    n = udp_peek_size(fd);
    int err = errno;
    ticks = sl_timer_stop();
    if (n != 5)
        SL_FAIL_FATAL("udp_peek_size(), interrupted by a signal before a datagram of 5 bytes "
                      "came (%d came in all), returned %s: expected 5", ticks, tu_result(n, err));
    tu_recv(fd, (char[8]){0}, 8, 100, NULL);
    tu_nonblocking(fd);
    SL_ASSERT_FAILS_WITH(udp_peek_size(fd), EAGAIN);
    close(fd);
    close(peer);
    SL_ASSERT_FAILS_WITH(udp_peek_size(fd), EBADF);
}
