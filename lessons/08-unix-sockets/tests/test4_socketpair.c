/* Task 4: a socketpair between parent and child (ux_fork_pair). The test
 * is the parent; after ux_fork_pair() returns 0, the child runs the
 * test's own code, plain system calls, and says how it went by its exit
 * status. */
#include "testutil.h"

SL_TASK(4, "A socketpair between parent and child");

/* The child's side of the exchange: reads "ping", answers "pong", then
 * waits for the end of the stream. Exit status: 0 all well, 10 the end
 * never came (the parent's end stayed open in the child), 11 no ping,
 * 12 its end is not close-on-exec, 13 it kept the parent's end too. */
static _Noreturn void child_side(int fd, int type, int fds_before)
{
    char buf[16];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n;

    if (!nm_is_cloexec(fd))
        _exit(12);
    if (sl_fd_count(0) != fds_before + 1)
        _exit(13);
    if (poll(&p, 1, 1000) <= 0 || recv(fd, buf, sizeof buf, 0) != 4 || memcmp(buf, "ping", 4) != 0)
        _exit(11);
    send(fd, "pong", 4, MSG_NOSIGNAL);
    if (type == SOCK_DGRAM)
        _exit(0);   /* a datagram socket has no end of stream */
    p.revents = 0;
    if (poll(&p, 1, 1000) <= 0)
        _exit(10);
    n = recv(fd, buf, sizeof buf, 0);
    _exit(n == 0 ? 0 : 10);
}

/* One run of ux_fork_pair(type): the parent's checks. */
static void pair_talks(int type)
{
    int fd = -1, before = sl_fd_count(0), st;
    pid_t pid;
    char buf[16];
    struct pollfd p;

    errno = 0;
    pid = ux_fork_pair(type, &fd);
    if (pid == 0)
        child_side(fd, type, before);
    if (pid < 0)
        SL_FAIL_FATAL("ux_fork_pair(%s) returned %s: expected the child's pid", tu_type_name(type),
                      sl_returned(pid, errno));
    if (!sl_fd_is_open(fd))
        SL_FAIL_FATAL("ux_fork_pair(%s) set *fd to %d in the parent, which is not open",
                      tu_type_name(type), fd);
    SL_CHECK_INT("SO_TYPE of the parent's end", tu_option(fd, SO_TYPE), type);
    if (!nm_is_cloexec(fd))
        SL_FAIL("the parent's end is not close-on-exec: make the pair with "
                "socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv)");
    if (sl_fd_count(0) != before + 1)
        SL_FAIL("the parent has %d more descriptors after ux_fork_pair(): expected 1, its "
                "end (close the child's end in the parent)", sl_fd_count(0) - before);
    send(fd, "ping", 4, MSG_NOSIGNAL);
    p.fd = fd;
    p.events = POLLIN;
    if (poll(&p, 1, sl_scaled_ms(800)) <= 0 || recv(fd, buf, sizeof buf, 0) != 4 ||
        memcmp(buf, "pong", 4) != 0)
        SL_FAIL("the parent sent \"ping\" on its end and the child's answer \"pong\" never "
                "came back");
    close(fd);   /* the child must see the end now */
    st = sl_reap(pid, 1500);
    if (st == 10)
        SL_FAIL("the parent closed its end, and the child never saw the end of the stream: "
                "the child still held the parent's end (close sv[0] in the child, sv[1] in "
                "the parent)");
    else if (st == 11)
        SL_FAIL("the child got no \"ping\" on its end (*fd in the child must be the other "
                "end of the pair: sv[1] if the parent keeps sv[0])");
    else if (st == 12)
        SL_FAIL("the child's end is not close-on-exec (SOCK_CLOEXEC)");
    else if (st == 13)
        SL_FAIL("the child has more than its own end open: close the parent's end in the "
                "child");
    else if (st != 0)
        SL_FAIL("the child of ux_fork_pair() ended %s", st < 0 ? "by a signal, or was "
                "killed after 1.5 s" : "with an unexpected status");
}

SL_TEST(fork_pair_parent_and_child_talk, 4,
        "socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv), then fork(): the parent keeps "
        "sv[0] and closes sv[1], the child keeps sv[1] and closes sv[0]; each gets its own "
        "end in *fd. The parent's return is the child's pid, the child's 0.")
{
    pair_talks(SOCK_STREAM);
    pair_talks(SOCK_SEQPACKET);
    pair_talks(SOCK_DGRAM);
}

SL_TEST(fork_pair_parent_sees_the_end, 3,
        "When the child exits, its end closes, and the parent reads the end of the stream "
        "(recv() returns 0), but only if the parent holds no copy of the child's end: "
        "close it in the parent.")
{
    int fd = -1;
    pid_t pid = ux_fork_pair(SOCK_STREAM, &fd);
    struct pollfd p;
    char c;

    if (pid == 0)
        _exit(0);
    if (pid < 0)
        SL_FAIL_FATAL("ux_fork_pair(SOCK_STREAM) returned %s", sl_returned(pid, errno));
    sl_reap(pid, 2000);
    p.fd = fd;
    p.events = POLLIN;
    if (poll(&p, 1, sl_scaled_ms(1000)) <= 0)
        SL_FAIL("the child exited, and the parent's end saw no end of the stream within "
                "1 s: the parent still holds the child's end (close it after fork())");
    else
        SL_CHECK_INT("recv() on the parent's end after the child exited (0: the end)",
                     recv(fd, &c, 1, 0), 0);
    close(fd);
}

SL_TEST(fork_pair_flushes_before_fork, 1,
        "Output that stdio still holds is copied into the child by fork(), and both write "
        "it out: fflush(NULL) before fork().")
{
    int p[2], fd = -1, saved = dup(STDOUT_FILENO);
    char buf[256];
    ssize_t n, got = 0;
    pid_t pid;

    tu_pipe(p);
    fflush(stdout);
    dup2(p[1], STDOUT_FILENO);
    close(p[1]);
    setvbuf(stdout, NULL, _IOFBF, 4096);
    printf("once");   /* held in stdio's buffer */
    pid = ux_fork_pair(SOCK_STREAM, &fd);
    if (pid == 0) {
        fflush(stdout);   /* what stdio holds in the child, written out */
        _exit(0);
    }
    if (pid > 0)
        close(fd);
    fflush(stdout);
    sl_reap(pid, 2000);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((n = read(p[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
        got += n;
    buf[got] = '\0';
    close(p[0]);
    if (pid < 0)
        SL_FAIL_FATAL("ux_fork_pair(SOCK_STREAM) returned %s", sl_returned(pid, errno));
    SL_CHECK_STR("what parent and child wrote of \"once\", printed before ux_fork_pair()",
                 buf, "once");
}

SL_TEST(fork_pair_rejects_bad_input, 1,
        "A type other than SOCK_STREAM, SOCK_SEQPACKET and SOCK_DGRAM, or a NULL fd, is "
        "EINVAL, before anything is made: no child, no descriptor.")
{
    int fd, before = sl_fd_count(0);
    pid_t pid;

    errno = 0;
    pid = ux_fork_pair(SOCK_RAW, &fd);
    if (pid == 0)
        _exit(0);
    SL_CHECK_FAILS("ux_fork_pair(SOCK_RAW, &fd)", pid, errno, EINVAL);
    errno = 0;
    pid = ux_fork_pair(SOCK_STREAM, NULL);
    if (pid == 0)
        _exit(0);
    SL_CHECK_FAILS("ux_fork_pair(SOCK_STREAM, NULL)", pid, errno, EINVAL);
    TU_NO_FD_LEAK(before, "ux_fork_pair() with bad arguments");
    if (waitpid(-1, NULL, WNOHANG) > 0)
        SL_FAIL("ux_fork_pair() with bad arguments made a child");
}
