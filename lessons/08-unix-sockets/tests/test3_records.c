/* Task 3: datagrams and records (ux_dgram, ux_recv_record). The senders
 * are the test's own sockets. */
#include "testutil.h"

SL_TASK(3, "Datagrams and records");

/* A datagram socket of the test's, bound to name (NULL: unbound). */
static int sender(const char *name)
{
    int fd = name ? nm_listener(name, SOCK_DGRAM, 0) : socket(AF_UNIX, SOCK_DGRAM, 0);

    if (fd < 0)
        SL_FAIL_FATAL("test setup: socket: %s", strerror(errno));
    return fd;
}

/* sendto() name from fd, or the test ends. */
static void send_to(int fd, const char *name, const void *buf, size_t len)
{
    struct sockaddr_un sun;
    socklen_t sl = nm_sun(&sun, name);

    if (sendto(fd, buf, len, 0, (struct sockaddr *)&sun, sl) != (ssize_t)len)
        SL_FAIL_FATAL("test: sendto(%s) of %zu bytes: %s", name, len, strerror(errno));
}

SL_TEST(dgram_bound_to_a_name, 2,
        "ux_dgram(name): socket(AF_UNIX, SOCK_DGRAM, 0) and bind() to the name, with the "
        "length ux_addr() gives, stale socket files replaced as ux_listen() does. Datagrams "
        "sent to the name then arrive on it.")
{
    const char *path = nm_path("dgram.sock"), *name = nm_abstract("dgram");
    int fd, s = sender(NULL);
    char buf[16];

    nm_stale(path, SOCK_DGRAM);
    TU_REQUIRE_FD(fd, ux_dgram(path));
    SL_CHECK_INT("SO_TYPE of ux_dgram()", tu_option(fd, SO_TYPE), SOCK_DGRAM);
    SL_CHECK_STR("the name ux_dgram(path) is bound to (a stale file was there)", nm_bound(fd),
                 path);
    send_to(s, path, "to a path", 9);
    SL_CHECK_INT("bytes of a datagram sent to ux_dgram(path)'s name",
                 recv(fd, buf, sizeof buf, MSG_DONTWAIT), 9);
    close(fd);
    TU_REQUIRE_FD(fd, ux_dgram(name));
    SL_CHECK_STR("the name ux_dgram(\"@...\") is bound to", nm_bound(fd), name);
    send_to(s, name, "to a name", 9);
    SL_CHECK_INT("bytes of a datagram sent to ux_dgram(\"@...\")'s name",
                 recv(fd, buf, sizeof buf, MSG_DONTWAIT), 9);
    close(fd);
    nm_regular(nm_path("file.txt"), "mine\n");
    TU_FAILS_WITH(ux_dgram(nm_path("file.txt")), EADDRINUSE);
    SL_CHECK_STR("a regular file after ux_dgram() on its path", nm_contents(nm_path("file.txt")),
                 "mine\n");
    close(s);
}

SL_TEST(dgram_without_a_name_gets_one, 2,
        "An unbound datagram socket has no name: whoever it writes to cannot answer. With "
        "NULL, bind() all the same, to an address of sizeof(sa_family_t) bytes (the family "
        "alone): Linux's autobind gives it an abstract name of 5 hex digits.")
{
    const char *peer = nm_abstract("peer"), *bound;
    int fd, s = sender(peer);
    struct sockaddr_un from;
    socklen_t fl = sizeof from;
    char buf[16];

    TU_REQUIRE_FD(fd, ux_dgram(NULL));
    bound = nm_bound(fd);
    if (strcmp(bound, "(unnamed)") == 0)
        SL_FAIL_FATAL("ux_dgram(NULL) returned a socket with no name: bind() it to an "
                      "address of sizeof(sa_family_t) bytes, and the kernel names it");
    if (bound[0] != '@' || strlen(bound) != 6 || strspn(bound + 1, "0123456789abcdef") != 5)
        SL_FAIL("ux_dgram(NULL) is bound to %s: expected a name the kernel picks, @ and 5 "
                "hex digits", bound);
    /* It asks, the test answers to the name the question came from. */
    send_to(fd, peer, "ping", 4);
    if (recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl) != 4)
        SL_FAIL_FATAL("the test's socket got no datagram from the socket of ux_dgram(NULL)");
    if (sendto(s, "pong", 4, 0, (struct sockaddr *)&from, fl) != 4)
        SL_FAIL("the test cannot answer the socket of ux_dgram(NULL): sendto() its address "
                "%s: %s", nm_text(&from, fl), strerror(errno));
    else
        SL_CHECK_INT("bytes of the answer to the socket of ux_dgram(NULL)",
                     recv(fd, buf, sizeof buf, MSG_DONTWAIT), 4);
    close(fd);
    close(s);
}

/* ux_recv_record() on fd must return want, or the test ends. */
static void record_is(int fd, const void *want, size_t len, const char *from, const char *what)
{
    static char buf[70000];
    char name[UX_NAMESTRLEN + 8];
    ssize_t n;

    memset(name, 'x', sizeof name);
    errno = 0;
    n = ux_recv_record(fd, buf, sizeof buf, from ? name : NULL, sizeof name);
    if (n < 0)
        SL_FAIL_FATAL("ux_recv_record() of %s returned %s: expected %zu bytes", what,
                      sl_returned(n, errno), len);
    if ((size_t)n != len)
        SL_FAIL_FATAL("ux_recv_record() of %s returned %zd: expected %zu, the whole %s and "
                      "no more (one recvmsg(), one message)", what, n, len, what);
    SL_CHECK_BYTES(what, buf, (size_t)n, want, len);
    if (from)
        SL_CHECK_STR("the sender's name ux_recv_record() wrote", name, from);
}

SL_TEST(recv_record_one_datagram_each_time, 3,
        "ux_recv_record(): one recvmsg() is one datagram, whole, however many wait. "
        "msg_name points to a struct sockaddr_un, msg_namelen = sizeof it; afterwards "
        "ux_name(&sun, msg.msg_namelen, ...) writes the sender's name.")
{
    const char *me = nm_abstract("rcv"), *them = nm_path("sender.sock");
    static char big[50000];
    int fd = nm_listener(me, SOCK_DGRAM, 0), s = sender(them), anon = sender(NULL);

    sl_pattern(big, sizeof big, 3);
    send_to(s, me, "first", 5);
    send_to(s, me, big, sizeof big);
    send_to(s, me, "", 0);
    send_to(anon, me, "from nobody", 11);
    record_is(fd, "first", 5, them, "the datagram \"first\"");
    record_is(fd, big, sizeof big, them, "a datagram of 50000 bytes");
    record_is(fd, "", 0, them, "an empty datagram");
    SL_HINT("A sender that is not bound has no name: recvmsg() leaves msg_namelen 0, and "
            "ux_name() writes \"\" for it.")
    {
        record_is(fd, "from nobody", 11, "", "a datagram from an unbound socket");
    }
    close(fd);
    close(s);
    close(anon);
}

SL_TEST(recv_record_says_emsgsize_when_cut, 3,
        "A datagram longer than the buffer is cut: recvmsg() returns size bytes and sets "
        "MSG_TRUNC in msg.msg_flags (the rest is gone). Check it: -1 with EMSGSIZE, the "
        "first size bytes in buf; the next call gets the next datagram.")
{
    const char *me = nm_abstract("cut");
    int fd = nm_listener(me, SOCK_DGRAM, 0), s = sender(NULL);
    char *buf = malloc(10);

    if (buf == NULL)
        SL_FAIL_FATAL("test: out of memory");
    send_to(s, me, "0123456789abcdef", 16);
    send_to(s, me, "next", 4);
    TU_FAILS_WITH(ux_recv_record(fd, buf, 10, NULL, 0), EMSGSIZE);
    SL_CHECK_BYTES("buf after ux_recv_record() of 16 bytes into 10", buf, 10, "0123456789", 10);
    SL_HINT("Nothing of a cut datagram is left: the next recvmsg() gets the next one.")
    {
        record_is(fd, "next", 4, NULL, "the datagram after the one that was cut");
    }
    TU_FAILS_WITH(ux_recv_record(fd, NULL, 10, NULL, 0), EINVAL);
    TU_FAILS_WITH(ux_recv_record(fd, buf, 0, NULL, 0), EINVAL);
    {
        char small[8];

        TU_FAILS_WITH(ux_recv_record(fd, buf, 10, small, sizeof small), EINVAL);
    }
    free(buf);
    close(fd);
    close(s);
}

SL_TEST(seqpacket_keeps_record_boundaries, 3,
        "SOCK_SEQPACKET is connected and reliable like a stream, and keeps each send() a "
        "record of its own, like datagrams: ux_recv_record() returns one record per call, "
        "whole. At the end of the connection it returns 0.")
{
    static char big[65536];
    int sv[2], st[2];
    char buf[64];

    sl_pattern(big, sizeof big, 8);
    tu_socketpair(SOCK_SEQPACKET, sv);
    send(sv[0], "one", 3, 0);
    send(sv[0], "two", 3, 0);
    send(sv[0], big, sizeof big, 0);
    send(sv[0], "x", 1, 0);
    close(sv[0]);
    record_is(sv[1], "one", 3, "", "the first record, \"one\"");
    record_is(sv[1], "two", 3, "", "the second record, \"two\"");
    record_is(sv[1], big, sizeof big, "", "a record of 65536 bytes");
    record_is(sv[1], "x", 1, "", "a record of 1 byte");
    SL_RETURNS(ux_recv_record(sv[1], buf, sizeof buf, NULL, 0), 0);
    close(sv[1]);
    /* The same sends on a stream run together: a stream has no records. */
    tu_socketpair(SOCK_STREAM, st);
    send(st[0], "one", 3, 0);
    send(st[0], "two", 3, 0);
    SL_CHECK_INT("recv() on a SOCK_STREAM after sends of \"one\" and \"two\" (the test's, "
                 "to compare: 6, both at once)", recv(st[1], buf, sizeof buf, 0), 6);
    close(st[0]);
    close(st[1]);
}

SL_TEST(recv_record_goes_on_after_a_signal, 2,
        "A signal that interrupts recvmsg() before a message came makes it fail with "
        "EINTR: call it again. The test sends SIGALRM every 5 ms and the record after 60.")
{
    int sv[2], tick;
    pid_t pid;
    char buf[16];
    ssize_t n;

    tu_socketpair(SOCK_SEQPACKET, sv);
    sl_timer_start(0, 0);
    tick = 0;
    pid = fork();
    if (pid == 0) {
        pid_t parent = getppid();

        for (int i = 0; i < 12; i++) {
            sl_sleep_ms(5);
            kill(parent, SIGALRM);
        }
        send(sv[0], "late", 4, 0);
        _exit(0);
    }
    errno = 0;
    n = ux_recv_record(sv[1], buf, sizeof buf, NULL, 0);
    tick = sl_ticks;
    sl_reap(pid, 2000);
    signal(SIGALRM, SIG_IGN);
    if (n < 0 && errno == EINTR)
        SL_FAIL("ux_recv_record() returned -1 with EINTR after %d signals: call recvmsg() "
                "again when a signal interrupts it", tick);
    else
        SL_CHECK_INT("ux_recv_record() while signals come, then the record \"late\"", n, 4);
    close(sv[0]);
    close(sv[1]);
}
