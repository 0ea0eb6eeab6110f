/* Task 5: passing descriptors (ux_send_fds, ux_recv_fds). The other end
 * sends or receives with the test's own sendmsg() and recvmsg(), in the
 * test's process or in a child of it; the descriptors are pipes, whose
 * far end the test keeps, so that it can tell whether one works. */
#include "testutil.h"

SL_TASK(5, "Passing descriptors");

/* ux_send_fds() must return 0, or the test ends. */
#define SEND_OK(sock, buf, len, fds, n)                                       \
    do {                                                                      \
        errno = 0;                                                            \
        int rc_ = ux_send_fds((sock), (buf), (len), (fds), (n));              \
        if (rc_ != 0)                                                         \
            SL_FAIL_FATAL("ux_send_fds() of %zu bytes and %zu descriptors "    \
                          "returned %s: expected 0%s", (size_t)(len),         \
                          (size_t)(n), sl_returned(rc_, errno),               \
                          errno == EINVAL ? " (sendmsg() says EINVAL when "   \
                          "cmsg_len is more than msg_controllen: is the "     \
                          "control buffer CMSG_SPACE(nfds * sizeof(int)) "    \
                          "bytes, for all of them?)" : "");                   \
    } while (0)

/* A child that sends "d" and its write end of a fresh pipe over sock, then
 * exits: the descriptor crosses from one process to another. The test
 * keeps the read end, made before the fork. */
static void send_from_child(int sock, long wfd)
{
    int fd = (int)wfd;

    if (tu_send_fds(sock, "d", 1, &fd, 1) != 1)
        _exit(1);
    close(fd);
    _exit(0);
}

SL_TEST(pass_a_descriptor_to_another_process, 4,
        "ux_recv_fds(): recvmsg() with a control buffer of CMSG_SPACE(maxfds * sizeof(int)) "
        "bytes (a union with a struct cmsghdr, for its alignment); for each cmsghdr "
        "(CMSG_FIRSTHDR(), CMSG_NXTHDR()) of SOL_SOCKET and SCM_RIGHTS, the descriptors are "
        "at CMSG_DATA(). They are new descriptors of this process, for the same pipe.")
{
    int sv[2], p[2], fd = -1, before;
    size_t n = 99;
    char byte = 0;
    ssize_t got;
    pid_t pid;

    tu_socketpair(SOCK_STREAM, sv);
    tu_pipe(p);
    pid = sl_child(send_from_child, sv[1], p[1]);
    close(p[1]);   /* only the child's copy, sent over, leads to the pipe now */
    sl_reap(pid, 2000);
    before = sl_fd_count(0);
    errno = 0;
    got = ux_recv_fds(sv[0], &byte, 1, &fd, 1, &n);
    if (got != 1)
        SL_FAIL_FATAL("ux_recv_fds() of a byte and a descriptor from another process "
                      "returned %s: expected 1 (the byte)", sl_returned(got, errno));
    SL_CHECK_INT("the byte that came with the descriptor", byte, 'd');
    SL_HINT("*nfds counts the descriptors of every SCM_RIGHTS message: (cmsg_len - "
            "CMSG_LEN(0)) / sizeof(int) in each.")
    {
        SL_CHECK_INT("*nfds after ux_recv_fds() of one descriptor", n, 1);
    }
    if (n == 1) {
        SL_CHECK_INT("descriptors of the test after ux_recv_fds() of one (one more)",
                     sl_fd_count(0), before + 1);
        if (!tu_writes_to(fd, p[0], "through the passed descriptor"))
            SL_FAIL("the descriptor ux_recv_fds() gave (%d) does not lead to the pipe the "
                    "other process sent: copy it out of CMSG_DATA() with memcpy()", fd);
        SL_HINT("Pass MSG_CMSG_CLOEXEC to recvmsg(): a received descriptor then has "
                "FD_CLOEXEC, and no program this process runs later inherits it by "
                "accident.")
        {
            if (!nm_is_cloexec(fd))
                SL_FAIL("the descriptor ux_recv_fds() gave is not close-on-exec");
        }
        close(fd);
    }
    close(p[0]);
    close(sv[0]);
    close(sv[1]);
}

SL_TEST(send_a_descriptor_the_receiver_can_use, 3,
        "ux_send_fds(): one sendmsg() with msg_iov the bytes and msg_control a buffer of "
        "CMSG_SPACE(nfds * sizeof(int)) bytes holding one cmsghdr: SOL_SOCKET, SCM_RIGHTS, "
        "cmsg_len CMSG_LEN(nfds * sizeof(int)), the descriptors memcpy()'d to CMSG_DATA().")
{
    int sv[2], p[2], got[4];
    size_t n;
    int flags;
    char buf[8];

    tu_socketpair(SOCK_STREAM, sv);
    tu_pipe(p);
    SEND_OK(sv[0], "w", 1, &p[1], 1);
    SL_HINT("The sender keeps its own descriptor: sendmsg() sends a copy. Close it only "
            "when it is no longer yours to use; ux_send_fds() does not.")
    {
        if (!sl_fd_is_open(p[1]))
            SL_FAIL("ux_send_fds() closed the descriptor it sent: the caller owns it");
    }
    close(p[1]);
    if (tu_recv_fds(sv[1], buf, sizeof buf, got, 4, &n, &flags, 1000) != 1)
        SL_FAIL_FATAL("the test's recvmsg() got no byte from ux_send_fds()");
    if (n != 1)
        SL_FAIL_FATAL("the test's recvmsg() got %zu descriptors from ux_send_fds(..., 1): "
                      "expected 1 (flags 0x%x%s)", n, (unsigned)flags,
                      flags & MSG_CTRUNC ? ", MSG_CTRUNC" : "");
    if (!tu_writes_to(got[0], p[0], "sent by ux_send_fds"))
        SL_FAIL("the descriptor that came does not lead to the pipe that was sent");
    close(got[0]);
    close(p[0]);
    close(sv[0]);
    close(sv[1]);
}

SL_TEST(pass_three_descriptors_at_once, 4,
        "Size the control buffer for all of them: CMSG_SPACE(n * sizeof(int)) bytes, "
        "cmsg_len CMSG_LEN(n * sizeof(int)). A buffer for one (CMSG_SPACE(sizeof(int)) has "
        "room for two on x86-64) makes the kernel close the others and set MSG_CTRUNC.")
{
    int sv[2], p[3][2], ends[3], got[3], more[4];
    size_t n = 0;
    int flags;
    char buf[8];
    ssize_t r;

    tu_socketpair(SOCK_STREAM, sv);
    for (int i = 0; i < 3; i++) {
        tu_pipe(p[i]);
        ends[i] = p[i][1];
    }
    SEND_OK(sv[0], "3", 1, ends, 3);
    if (tu_recv_fds(sv[1], buf, sizeof buf, more, 4, &n, &flags, 1000) != 1)
        SL_FAIL_FATAL("the test's recvmsg() got no byte from ux_send_fds()");
    if (n != 3)
        SL_FAIL_FATAL("ux_send_fds() of 3 descriptors: the test's recvmsg() got %zu (a "
                      "control buffer, or cmsg_len, for fewer than 3?)", n);
    for (size_t i = 0; i < n; i++)
        close(more[i]);
    /* The other way: the test sends 3, ux_recv_fds() with room for 3. */
    if (tu_send_fds(sv[0], "3", 1, ends, 3) != 1)
        SL_FAIL_FATAL("test: sendmsg of 3 descriptors: %s", strerror(errno));
    errno = 0;
    r = ux_recv_fds(sv[1], buf, sizeof buf, got, 3, &n);
    if (r < 0 && errno == EMSGSIZE)
        SL_FAIL_FATAL("ux_recv_fds(..., 3, ...) of 3 descriptors failed with EMSGSIZE: the "
                      "control buffer had room for fewer than 3 (msg_controllen "
                      "CMSG_SPACE(3 * sizeof(int)) = %zu bytes)", (size_t)CMSG_SPACE(3 * sizeof(int)));
    if (r != 1)
        SL_FAIL_FATAL("ux_recv_fds() of a byte and 3 descriptors returned %s: expected 1",
                      sl_returned(r, errno));
    SL_CHECK_INT("*nfds after ux_recv_fds() of 3 descriptors", n, 3);
    for (size_t i = 0; i < n && i < 3; i++) {
        char word[16];

        snprintf(word, sizeof word, "pipe %zu", i);
        if (!tu_writes_to(got[i], p[i][0], word))
            SL_FAIL("descriptor %zu that ux_recv_fds() gave does not lead to pipe %zu, sent "
                    "in that place: keep their order", i, i);
        close(got[i]);
    }
    for (int i = 0; i < 3; i++) {
        close(p[i][0]);
        close(p[i][1]);
    }
    close(sv[0]);
    close(sv[1]);
}

SL_TEST(recv_fds_too_many_closes_them_all, 4,
        "When more descriptors come than fit, the kernel closes those that do not fit into "
        "the control buffer and sets MSG_CTRUNC in msg_flags; CMSG_SPACE() rounds up, so "
        "more than maxfds may fit. Either way: close every descriptor that came, and fail "
        "with EMSGSIZE. Otherwise they leak.")
{
    int sv[2], p[2], four[4], got[2] = {-1, -1}, before;
    size_t n = 0;
    char buf[8];

    tu_socketpair(SOCK_STREAM, sv);
    tu_pipe(p);
    for (int i = 0; i < 4; i++)
        four[i] = p[1];
    if (tu_send_fds(sv[0], "4", 1, four, 4) != 1 || tu_send_fds(sv[0], "n", 1, NULL, 0) != 1)
        SL_FAIL_FATAL("test: sendmsg: %s", strerror(errno));
    before = sl_fd_count(0);
    SL_HINT("Check msg.msg_flags & MSG_CTRUNC after recvmsg(): the message came cut short, "
            "and the descriptors that did come must not be handed out as if it were whole.")
    {
        ssize_t r;

        errno = 0;
        r = ux_recv_fds(sv[1], buf, sizeof buf, got, 2, &n);
        if (r != -1 || errno != EMSGSIZE)
            SL_FAIL("ux_recv_fds() of 4 descriptors with room for 2 returned %s: expected -1 "
                    "with errno EMSGSIZE. The kernel set MSG_CTRUNC in msg_flags: 2 of the "
                    "descriptors did not fit and it closed them, so the message did not come "
                    "as it was sent. Close the ones that came and fail", sl_returned(r, errno));
        if (r >= 0)
            for (size_t i = 0; i < n && i < 2; i++)
                close(got[i]);
    }
    TU_NO_FD_LEAK(before, "ux_recv_fds() of 4 descriptors with room for 2");
    SL_HINT("With room for none (maxfds 0), any descriptor that comes is too many: EMSGSIZE, "
            "and nothing open.")
    {
        if (tu_send_fds(sv[0], "1", 1, four, 1) != 1)
            SL_FAIL_FATAL("test: sendmsg: %s", strerror(errno));
        /* the "n" sent before: no descriptor, fine with room for none */
        SL_RETURNS(ux_recv_fds(sv[1], buf, 1, NULL, 0, &n), 1);
        TU_FAILS_WITH(ux_recv_fds(sv[1], buf, 1, NULL, 0, &n), EMSGSIZE);
        TU_NO_FD_LEAK(before, "ux_recv_fds() of a descriptor with room for none");
    }
    SL_HINT("CMSG_SPACE() rounds up: the space for one descriptor holds two on x86-64, and "
            "the kernel fills it without MSG_CTRUNC. Count what came: more than maxfds is "
            "too many too; close them all and fail with EMSGSIZE.")
    {
        if (tu_send_fds(sv[0], "2", 1, four, 2) != 1)
            SL_FAIL_FATAL("test: sendmsg: %s", strerror(errno));
        ssize_t r;

        errno = 0;
        r = ux_recv_fds(sv[1], buf, 1, got, 1, &n);
        if (r != -1 || errno != EMSGSIZE) {
            char gave[64] = "";

            if (r >= 0)
                snprintf(gave, sizeof gave, " with *nfds %zu", n);
            SL_FAIL("ux_recv_fds() of 2 descriptors with room for 1 returned %s%s: expected "
                    "-1 with errno EMSGSIZE. A control buffer of CMSG_SPACE(sizeof(int)) (%zu "
                    "bytes) holds both, and the kernel sets no MSG_CTRUNC: count them, more "
                    "than maxfds is too many. A smaller one (CMSG_LEN(sizeof(int)), %zu bytes) "
                    "holds one: the kernel closes the other and sets MSG_CTRUNC, which is an "
                    "error too", sl_returned(r, errno), gave, (size_t)CMSG_SPACE(sizeof(int)),
                    (size_t)CMSG_LEN(sizeof(int)));
        }
        if (r >= 0 && n == 1)
            close(got[0]);
        TU_NO_FD_LEAK(before, "ux_recv_fds() of 2 descriptors with room for 1");
    }
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

SL_TEST(recv_fds_plain_bytes_and_the_end, 2,
        "Bytes that come without descriptors are no error: *nfds 0. At the end of the "
        "stream recvmsg() returns 0: return 0, *nfds 0.")
{
    int sv[2], fd;
    size_t n = 9;
    char buf[16];

    tu_socketpair(SOCK_STREAM, sv);
    send(sv[0], "plain", 5, 0);
    SL_RETURNS(ux_recv_fds(sv[1], buf, sizeof buf, &fd, 1, &n), 5);
    SL_CHECK_INT("*nfds after bytes with no descriptor", n, 0);
    close(sv[0]);
    n = 9;
    SL_RETURNS(ux_recv_fds(sv[1], buf, sizeof buf, &fd, 1, &n), 0);
    SL_CHECK_INT("*nfds at the end of the stream", n, 0);
    close(sv[1]);
}

SL_TEST(send_fds_rejects_bad_input, 2,
        "ux_send_fds(): len 0 is EINVAL (on a stream a sendmsg() of no byte sends nothing, "
        "descriptors included), so are no descriptors, more than UX_MAX_FDS (253), NULL "
        "pointers; a descriptor that is not open makes sendmsg() fail with EBADF, sending "
        "nothing.")
{
    int sv[2], p[2], many[UX_MAX_FDS + 1], bad[2], fd;
    size_t n;
    char buf[8];

    tu_socketpair(SOCK_STREAM, sv);
    tu_pipe(p);
    SEND_OK(sv[0], "k", 1, &p[0], 1);
    SL_RETURNS(ux_recv_fds(sv[1], buf, sizeof buf, &fd, 1, &n), 1);
    if (n == 1)
        close(fd);
    for (size_t i = 0; i < SL_COUNT(many); i++)
        many[i] = p[0];
    TU_FAILS_WITH(ux_send_fds(sv[0], "", 0, &p[0], 1), EINVAL);
    TU_FAILS_WITH(ux_send_fds(sv[0], NULL, 1, &p[0], 1), EINVAL);
    TU_FAILS_WITH(ux_send_fds(sv[0], "x", 1, NULL, 1), EINVAL);
    TU_FAILS_WITH(ux_send_fds(sv[0], "x", 1, &p[0], 0), EINVAL);
    TU_FAILS_WITH(ux_send_fds(sv[0], "x", 1, many, UX_MAX_FDS + 1), EINVAL);
    bad[0] = p[0];
    bad[1] = 1000;   /* not open */
    TU_FAILS_WITH(ux_send_fds(sv[0], "x", 1, bad, 2), EBADF);
    TU_FAILS_WITH(ux_recv_fds(sv[1], NULL, 1, &fd, 1, &n), EINVAL);
    TU_FAILS_WITH(ux_recv_fds(sv[1], buf, 1, &fd, 1, NULL), EINVAL);
    TU_FAILS_WITH(ux_recv_fds(sv[1], buf, 0, &fd, 1, &n), EINVAL);
    TU_FAILS_WITH(ux_recv_fds(sv[1], buf, 1, NULL, 1, &n), EINVAL);
    TU_FAILS_WITH(ux_recv_fds(sv[1], buf, 1, &fd, UX_MAX_FDS + 1, &n), EINVAL);
    if (recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) > 0)
        SL_FAIL("a failed ux_send_fds() sent bytes all the same");
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

SL_TEST(pass_many_times_leaks_nothing, 2,
        "Passed back and forth 100 times, a descriptor must not pile up: the receiver owns "
        "each one it gets and closes it when done; ux_send_fds() and ux_recv_fds() keep "
        "none of their own.")
{
    int sv[2], p[2], before;

    tu_socketpair(SOCK_SEQPACKET, sv);
    tu_pipe(p);
    before = sl_fd_count(0);
    for (int i = 0; i < 100; i++) {
        int fd = -1;
        size_t n = 0;
        char c;

        SEND_OK(sv[0], "r", 1, &p[1], 1);
        if (ux_recv_fds(sv[1], &c, 1, &fd, 1, &n) != 1 || n != 1)
            SL_FAIL_FATAL("round %d: ux_recv_fds() got no descriptor", i);
        close(fd);
    }
    TU_NO_FD_LEAK(before, "100 rounds of ux_send_fds() and ux_recv_fds(), each received "
                          "descriptor closed by the test,");
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}
