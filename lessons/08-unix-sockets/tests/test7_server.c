/* Task 7: the echo server, driven over Unix-domain sockets as clients
 * would: no student code runs in these tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The echo server");

#define RECORD_TEST_MAX 65536   /* the server's RECORD_MAX: the longest record it echoes */

SL_TEST(echo_over_a_path, 3,
        "worker(): for each client ux_recv_fds() brings, serve(fd, type), then close(fd). "
        "serve(): recv() into a buffer and srv_send_all() exactly the bytes received, "
        "again and again, until recv() returns 0.")
{
    const char *path = nm_path("echo.sock");
    pu_srv_t s;
    const char *nl;

    PU_SERVER_START(&s, path);
    PU_ECHO_ONCE(&s, "hello over a path\n");
    SL_HINT("stdout holds the \"listening on\" line and nothing else: print what you like "
            "about clients on stderr.")
    {
        sl_prog_read(&s.prog, NULL, sl_deadline(0));
        nl = strchr(s.prog.out.data, '\n');
        if (nl && nl[1] != '\0')
            SL_FAIL(PU_SERVER " printed more than its listening line on stdout: %s",
                    sl_bytes(s.prog.out.data, s.prog.out.len));
    }
    PU_STOP(&s);
    SL_HINT("server.c removes its socket file when it stops (if it is still its own): a "
            "file left there would be stale for the next server.")
    {
        if (nm_inode(path) != 0)
            SL_FAIL("after " PU_SERVER " stopped, its socket file %s is still there", path);
    }
}

SL_TEST(echo_over_an_abstract_name, 3,
        "-u @NAME listens on an abstract name: ux_listen() binds with the length ux_addr() "
        "gives (offsetof + 1 + strlen(NAME)), and ux_local_name() writes it back as @NAME "
        "for the listening line.")
{
    const char *name = nm_abstract("echo");
    pu_srv_t s;

    PU_SERVER_START(&s, name);
    PU_ECHO_ONCE(&s, "hello over an abstract name\n");
    PU_STOP(&s);
}

SL_TEST(echo_a_whole_conversation, 3,
        "A client sends a line, reads its echo, sends another, for as long as it likes; "
        "when it half-closes (shutdown(SHUT_WR)) recv() returns 0: send back what is left "
        "and return, so that the worker closes the connection.")
{
    static const char last[] = "the last words, with no newline";
    pu_srv_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, nm_path("talk.sock"));
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "one\n");
    sl_sleep_ms(20);
    PU_EXCHANGE(&c, &s, "two, a little later\n");
    PU_SEND(&c, &s, last);
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_REST(&c, &s, last, 2000);
    PU_EXPECT_END(&c, &s);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_TEST(echo_any_byte_and_a_mebibyte, 2,
        "Echo bytes, not strings: every byte value, NUL included, and 1 MiB sent while the "
        "echo is read. Send back the count recv() returned, never strlen(), with "
        "srv_send_all().")
{
    static unsigned char data[1 << 20];
    pu_srv_t s;
    sl_conn_t c;

    sl_pattern(data, sizeof data, 8);
    PU_SERVER_START(&s, nm_abstract("bulk"));
    PU_CONNECT(&c, &s);
    PU_ECHO_BULK(&c, &s, data, sizeof data, 8000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_TEST(seqpacket_echoes_records_whole, 3,
        "-t seqpacket: each recv() is one record; send it back with one send() "
        "(srv_send_all() does), and it arrives as one record, as it came. Receive with "
        "ux_recv_record(): a record longer than the buffer is an error, not two records.")
{
    static char big[RECORD_TEST_MAX];
    pu_srv_t s;
    sl_conn_t c;

    sl_pattern(big, sizeof big, 5);
    PU_SERVER_START_ARGS(&s, nm_abstract("seq"), SOCK_SEQPACKET, NULL);
    PU_CONNECT(&c, &s);
    PU_RECORD_SEND(&c, &s, "one", 3);
    PU_RECORD_SEND(&c, &s, "two", 3);
    PU_RECORD_EXPECT(&c, &s, "one", 3, 2000);
    PU_RECORD_EXPECT(&c, &s, "two", 3, 2000);
    PU_RECORD_SEND(&c, &s, big, 1000);
    PU_RECORD_EXPECT(&c, &s, big, 1000, 2000);
    PU_RECORD_SEND(&c, &s, big, sizeof big);
    PU_RECORD_EXPECT(&c, &s, big, sizeof big, 2000);
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_END(&c, &s);
    sl_conn_close(&c);
    PU_CONNECT(&c, &s);
    PU_RECORD_SEND(&c, &s, "next client", 11);
    PU_RECORD_EXPECT(&c, &s, "next client", 11, 2000);
    sl_conn_close(&c);
    PU_SERVER_STOP(&s);
}

SL_TEST(seqpacket_drops_a_record_too_long, 1,
        "A record longer than RECORD_MAX (65536) bytes does not fit: ux_recv_record() fails "
        "with EMSGSIZE. Its echo would be cut: say so on stderr and drop that client; "
        "serve the next.")
{
    static char huge[100000];
    pu_srv_t s;
    sl_conn_t c;
    struct pollfd p;
    ssize_t n;

    sl_pattern(huge, sizeof huge, 6);
    PU_SERVER_START_ARGS(&s, nm_abstract("huge"), SOCK_SEQPACKET, NULL);
    PU_CONNECT(&c, &s);
    PU_RECORD_SEND(&c, &s, huge, sizeof huge);
    p.fd = c.fd;
    p.events = POLLIN;
    n = poll(&p, 1, sl_scaled_ms(2000)) > 0 ? recv(c.fd, huge, sizeof huge, MSG_TRUNC) : -2;
    if (n > 0)
        SL_FAIL(PU_SERVER " sent back a record of %zd bytes for one of 100000: a record "
                "longer than its buffer must drop the client (ux_recv_record() says "
                "EMSGSIZE), not go back cut short", n);
    else if (n == -2)
        SL_FAIL(PU_SERVER " neither answered nor closed within 2 s after a record of 100000 "
                "bytes: drop the client");
    sl_conn_close(&c);
    PU_STILL_SERVING(&s, "a record of 100000 bytes");
    PU_CONNECT(&c, &s);
    PU_RECORD_SEND(&c, &s, "fits", 4);
    PU_RECORD_EXPECT(&c, &s, "fits", 4, 2000);
    sl_conn_close(&c);
    PU_SERVER_STOP(&s);
}

SL_TEST(echo_replaces_a_stale_socket_file, 2,
        "A server that was killed left its socket file behind: ux_listen() proves it stale "
        "(ux_remove_stale()) and binds again, so that the server starts.")
{
    const char *path = nm_path("stale.sock");
    pu_srv_t s;

    nm_stale(path, SOCK_STREAM);
    sl_note("a stale socket file at %s (bound by the test, then closed)", path);
    PU_SERVER_START(&s, path);
    PU_ECHO_ONCE(&s, "over a file that was stale\n");
    PU_SERVER_STOP(&s);
}

SL_TEST(echo_leaves_a_file_that_is_not_a_socket, 3,
        "A regular file at the path is the user's, not a stale socket: ux_listen() fails "
        "with EADDRINUSE and leaves it; the server says \"unix-echo-server: listen on "
        "PATH: Address already in use\" and exits with status 1.")
{
    const char *path = nm_path("notes.txt");
    const char *args[] = {"-u", path, NULL};
    sl_run_t r;

    nm_regular(path, "a file of the user's\n");
    pu_run_server(&r, args, 2000);
    if (nm_inode(path) == 0 || nm_is_socket(path))
        SL_FAIL_FATAL(PU_SERVER " -u %s %s the regular file at that path: never unlink() a "
                      "file that is not a socket (lstat() and S_ISSOCK() first)", path,
                      nm_inode(path) == 0 ? "removed" : "replaced");
    SL_CHECK_STR("the regular file after " PU_SERVER " tried its path", nm_contents(path),
                 "a file of the user's\n");
    if (r.timed_out)
        SL_FAIL(PU_SERVER " -u %s (a regular file) was still running after 2 s (it was "
                "killed): ux_listen() must fail with EADDRINUSE, and the server exit", path);
    else if (sl_check_exit(&r, PU_SERVER " -u PATH (a regular file)", 1))
        sl_check_error_line(&r, PU_SERVER " -u PATH (a regular file)", strerror(EADDRINUSE));
    sl_run_free(&r);
}

SL_TEST(echo_leaves_a_live_server_alone, 3,
        "A second server on the path of a live one must not take it over: the probe's "
        "connect() is accepted, so the file is alive; ux_listen() fails with EADDRINUSE, "
        "the second server exits with status 1, and the first keeps serving.")
{
    const char *path = nm_path("live.sock");
    const char *args[] = {"-u", path, NULL};
    pu_srv_t s;
    sl_run_t r;
    ino_t ino;

    PU_SERVER_START(&s, path);
    ino = nm_inode(path);
    pu_run_server(&r, args, 2000);
    /* The first server's file is still there if a client reaches a server
     * at the path now that the second is gone (an inode may be reused). */
    if (nm_inode(path) != ino || pu_connect_ok(path) == 0) {
        sl_sleep_ms(50);
        pu_if_ended(&s, "after a second " PU_SERVER " on the same path", __FILE__, __LINE__);
    }
    if (nm_inode(path) != ino || pu_connect_ok(path) == 0)
        SL_FAIL_FATAL("a second " PU_SERVER " -u %s replaced the socket file of the live one "
                      "(the path %s): the first server is cut off from every new client. Probe "
                      "the file: a connect() that succeeds says it is alive", path,
                      nm_inode(path) == 0 ? "is gone" : "has another socket now");
    if (r.timed_out)
        SL_FAIL("a second " PU_SERVER " on the path of a live one was still running after "
                "2 s (it was killed): ux_listen() must fail with EADDRINUSE");
    else if (sl_check_exit(&r, "a second " PU_SERVER " on the path of a live one", 1))
        sl_check_error_line(&r, "a second " PU_SERVER " on the path of a live one",
                          strerror(EADDRINUSE));
    sl_run_free(&r);
    PU_STILL_SERVING(&s, "a second server tried its path");
    PU_STOP(&s);
}

SL_TEST(echo_serves_one_client_after_another, 2,
        "The worker serves one client at a time; the others wait, their sockets in flight "
        "on the channel. Once the first has gone, the next is served with what it sent "
        "while it waited.")
{
    pu_srv_t s;
    sl_conn_t first, second;
    char text[32];

    PU_SERVER_START(&s, nm_abstract("serial"));
    for (int i = 0; i < 4; i++) {
        snprintf(text, sizeof text, "client %d\n", i);
        PU_ECHO_ONCE(&s, text);
    }
    PU_CONNECT(&first, &s);
    PU_EXCHANGE(&first, &s, "first\n");
    PU_CONNECT(&second, &s);
    PU_SEND(&second, &s, "second, waiting\n");
    sl_conn_close(&first);
    PU_EXPECT(&second, &s, "second, waiting\n", 3000);
    sl_conn_close(&second);
    PU_STOP(&s);
}

/* A client of s that sends a byte and two descriptors of its own (a pipe),
 * as junk: an echo server takes bytes, and must keep no descriptor. */
static void send_descriptors(pu_srv_t *s, int wait_end)
{
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = "f", .iov_len = 1};
    struct msghdr msg;
    struct cmsghdr *cm;
    sl_conn_t c;
    int p[2];

    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    PU_CONNECT(&c, s);
    memset(&msg, 0, sizeof msg);
    memset(&control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
    memcpy(CMSG_DATA(cm), p, sizeof p);
    if (sendmsg(c.fd, &msg, MSG_NOSIGNAL) != 1)
        SL_FAIL_FATAL("test: sendmsg: %s", strerror(errno));
    sl_note("%s: sent a byte and two descriptors (SCM_RIGHTS)", c.label);
    close(p[0]);
    close(p[1]);
    PU_EXPECT(&c, s, "f", 2000);
    if (wait_end) {
        PU_SHUTDOWN(&c, s);
        PU_EXPECT_END(&c, s);
    }
    sl_conn_close(&c);
}

/* One client that sends text, gets its echo and closes: it does not wait
 * for the server to end the connection. */
static void echo_and_leave(pu_srv_t *s, const char *text)
{
    sl_conn_t c;

    PU_CONNECT(&c, s);
    PU_EXCHANGE(&c, s, text);
    sl_conn_close(&c);
}

/* Thirty clients of s that end in every way: 10 that finish, 10 that
 * reset during their echo, 5 that leave at once, 5 that send descriptors.
 * wait_end: the finishing ones half-close and wait for the end; else they
 * close after their echo. */
static void thirty_clients(pu_srv_t *s, int wait_end)
{
    static char junk[65536];
    sl_conn_t c;

    sl_pattern(junk, sizeof junk, 3);
    for (int i = 0; i < 5; i++) {
        if (wait_end) {
            PU_ECHO_ONCE(s, "again\n");
            PU_ECHO_ONCE(s, "\xff\x00 junk \x01\n");
        } else {
            echo_and_leave(s, "again\n");
            echo_and_leave(s, "\xff\x00 junk \x01\n");
        }
        PU_CONNECT(&c, s);
        pu_conn_reset(&c, junk, sizeof junk);
        PU_CONNECT(&c, s);
        pu_conn_reset(&c, "a short one", 11);
        PU_CONNECT(&c, s);
        sl_conn_close(&c);
        send_descriptors(s, wait_end);
    }
}

SL_TEST(echo_survives_resets_and_junk, 3,
        "A client may reset (close with the echo unread: recv() or send() then fails with "
        "ECONNRESET or EPIPE), leave at once, send any bytes, or even descriptors: drop "
        "that client (return from serve()) and serve the next. Never exit for a client.")
{
    pu_srv_t s;

    PU_SERVER_START(&s, nm_path("junk.sock"));
    thirty_clients(&s, 1);
    PU_STILL_SERVING(&s, "30 clients that reset, left at once, or sent junk and descriptors");
    SL_HINT("What the server says about a client it drops is one line `unix-echo-server: "
            "what failed: reason`, e.g. fprintf(stderr, NAME \": receive from a client: "
            "%s\\n\", strerror(errno)): perror(\"recv\") gives \"recv: ...\", without the "
            "program's name.")
    {
        sl_check_err_lines(&s.prog);
    }
    PU_STOP(&s);
}

SL_TEST(worker_leaves_no_descriptor_open, 3,
        "Each descriptor ux_recv_fds() gives the worker is its own: close it when serve() "
        "returns, whatever happened. A worker that keeps them leaks one per client, and the "
        "clients never see the end of their connection.")
{
    pu_srv_t s;
    pid_t worker;
    int base, base_l, now = -1, now_l = -1;

    PU_SERVER_START(&s, nm_abstract("fds"));
    echo_and_leave(&s, "first\n");   /* these clients do not wait for the end: they count */
    worker = pu_worker(&s);
    if (worker <= 0)
        SL_FAIL_FATAL("test: cannot find the worker of " PU_SERVER " (no child process of "
                      "pid %d)", (int)s.prog.pid);
    sl_sleep_ms(sl_scaled_ms(100));   /* the worker closes the first client's socket */
    base = sl_fd_count(worker);
    base_l = sl_prog_fd_count(&s.prog);
    if (base < 0 || base_l < 0)
        SL_FAIL_FATAL("test: cannot count the descriptors of " PU_SERVER " (/proc)");
    sl_note("the worker, pid %d, has %d descriptors open after its first client", (int)worker,
            base);
    thirty_clients(&s, 0);
    echo_and_leave(&s, "last\n");
    for (int i = 0; i < 50; i++) {
        now = sl_fd_count(worker);
        now_l = sl_prog_fd_count(&s.prog);
        if ((now == base && now_l == base_l) || now < 0 || now_l < 0)
            break;
        sl_sleep_ms(10);
    }
    if (now < 0 || now_l < 0) {
        pu_if_ended(&s, "after 31 clients", __FILE__, __LINE__);
        SL_FAIL_FATAL("could not count the descriptors of the %s after 31 clients: %s",
                      now < 0 ? "worker (it has ended?)" : "listener",
                      now < 0 ? "/proc has no such process" : sl_harness_error());
    }
    if (now != base)
        SL_FAIL("the worker had %d descriptors open after its first client and %d after 30 "
                "more (10 served, 10 that reset, 5 that left at once, 5 that sent "
                "descriptors): %d left open. Close what ux_recv_fds() gave once served.",
                base, now, now - base);
    if (now_l != base_l)
        SL_FAIL("the listener had %d descriptors open after the first client and %d after "
                "30 more", base_l, now_l);
    PU_STOP(&s);
}

/* A child of uid `as` that connects to name, sends a line and reads:
 * exit 0 if the server closed with nothing sent back, 1 if an echo came,
 * 2 if it could not connect, 3 if it could not become that uid, 4 if
 * nothing happened within 2 s. */
static pid_t foreign_client(const char *name, uid_t as)
{
    pid_t pid;

    pid = sl_fork();
    if (pid == 0) {
        struct pollfd p;
        char buf[64];
        ssize_t n;
        int fd;

        if (nm_become(as) < 0)
            _exit(3);
        fd = nm_connect(name, SOCK_STREAM);
        if (fd < 0)
            _exit(2);
        send(fd, "let me in\n", 10, MSG_NOSIGNAL);
        p.fd = fd;
        p.events = POLLIN;
        if (poll(&p, 1, 2000) <= 0)
            _exit(4);
        n = recv(fd, buf, sizeof buf, 0);
        _exit(n > 0 ? 1 : 0);
    }
    return pid;
}

SL_TEST(echo_refuses_a_client_of_another_uid, 3,
        "server.c asks ux_peer_allowed(fd, UID) of each client (-U UID, or the server's "
        "own uid): one of another user is closed at once, with nothing sent back, and the "
        "server goes on. Where the test has a second uid, a real client of it is refused.")
{
    char other[16];
    const char *args[] = {"-U", other, NULL}, *why = NULL;
    pu_srv_t s;
    sl_conn_t c;
    uid_t second;

    snprintf(other, sizeof other, "%u", (unsigned)(geteuid() + 1));
    PU_SERVER_START_ARGS(&s, nm_abstract("guarded"), SOCK_STREAM, args);
    PU_CONNECT(&c, &s);
    (void)sl_conn_send(&c, "let me in\n", 10, sl_deadline(SL_SEND_MS));
    SL_HINT("The client's uid (SO_PEERCRED) is not the one -U allows: ux_peer_allowed() must "
            "fail with EACCES, and server.c then closes the connection at once.")
    {
        /* Closed with the client's line unread, the connection is reset:
         * the end of the stream or ECONNRESET, and no byte before it. */
        struct pollfd p = {.fd = c.fd, .events = POLLIN};
        char buf[64];
        ssize_t n = poll(&p, 1, sl_scaled_ms(2000)) > 0 ? recv(c.fd, buf, sizeof buf, 0) : -2;

        if (n > 0)
            SL_FAIL_FATAL(PU_SERVER " -U %s served a client of uid %u: %s came back", other,
                          (unsigned)geteuid(), sl_bytes(buf, (size_t)n));
        if (n == -2 || (n < 0 && errno != ECONNRESET))
            SL_FAIL_FATAL(PU_SERVER " -U %s neither served nor closed a client of uid %u "
                          "within 2 s", other, (unsigned)geteuid());
        sl_note("%s: the connection %s, nothing sent back: refused", c.label,
                n == 0 ? "ended" : "was reset");
    }
    sl_conn_close(&c);
    PU_STILL_SERVING(&s, "a client of another uid");
    PU_SERVER_STOP(&s);
    PU_SERVER_START(&s, nm_abstract("mine"));
    PU_ECHO_ONCE(&s, "my own uid is served\n");
    if (!nm_second_uid(&second, &why)) {
        sl_note("a client of a real second uid: skipped, as this test has none (%s); -U "
                "with another uid was checked instead", why);
    } else {
        pid_t pid = foreign_client(s.name, second);
        int st = -1;

        sl_note("a child of uid %u connects to %s, of uid %u", (unsigned)second, s.name,
                (unsigned)geteuid());
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (st == 1)
            SL_FAIL(PU_SERVER " echoed to a client of uid %u: only its own uid (%u) may be "
                    "served: ux_peer_allowed() must compare the peer's uid", (unsigned)second,
                    (unsigned)geteuid());
        else if (st != 0)
            SL_FAIL("the client of uid %u %s", (unsigned)second,
                    st == 4 ? "was neither served nor closed within 2 s" : "could not connect");
    }
    PU_STILL_SERVING(&s, "a client of another user");
    PU_STOP(&s);
}

SL_TEST_TIMEOUT(echo_drops_a_client_that_never_reads, 2, 8000,
                "A client that sends and never reads fills the socket buffers, and the "
                "worker's send() blocks for ever: set SO_SNDTIMEO on each client (1 s), so "
                "that the send() fails with EAGAIN; drop the client and serve the next.")
{
    static char flood[1 << 16];
    pu_srv_t s;
    sl_conn_t stuck, next;
    size_t sent = 0;
    double end;

    PU_SERVER_START(&s, nm_abstract("stuck"));
    PU_CONNECT(&stuck, &s);
    end = sl_now_ms() + sl_scaled_ms(500);
    while (sl_now_ms() < end) {   /* send until nothing more is taken */
        ssize_t n = send(stuck.fd, flood, sizeof flood, MSG_NOSIGNAL);

        if (n > 0)
            sent += (size_t)n;
        else if (n < 0 && errno != EAGAIN)
            break;
        else
            poll(&(struct pollfd){.fd = stuck.fd, .events = POLLOUT}, 1, 200);
    }
    sl_note("%s: sent %zu bytes and read none", stuck.label, sent);
    PU_CONNECT(&next, &s);
    PU_SEND(&next, &s, "am I served?\n");
    SL_HINT("setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) with 1 s in serve(): "
            "a send() that waits that long for room fails with EAGAIN (srv_send_all() "
            "returns -1): drop that client.")
    {
        if (sl_conn_expect(&next, "am I served?\n", 13, 4000) < 0) {
            char said[600];

            snprintf(said, sizeof said, "%s", sl_harness_error());
            pu_if_ended(&s, said, __FILE__, __LINE__);
            SL_FAIL_FATAL("a client that sent %zu bytes and read none held the worker: the "
                          "next client was not served within 4 s (%s). Its send() of the "
                          "echo waits for room for ever without a send timeout", sent, said);
        }
    }
    sl_conn_close(&stuck);
    sl_conn_close(&next);
    PU_SERVER_STOP(&s);
}

SL_TEST(echo_stops_on_sigterm_and_sigint, 2,
        "SIGTERM or SIGINT, also while a client is connected and quiet: the worker's "
        "srv_wait_readable() returns -1, serve() returns, worker() returns 0, and the "
        "server exits with status 0, its worker gone too.")
{
    pu_srv_t s;
    sl_conn_t c;
    pid_t worker;

    PU_SERVER_START(&s, nm_path("term.sock"));
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "quiet now\n");
    worker = pu_worker(&s);
    PU_SERVER_STOP(&s);
    if (worker > 0 && kill(worker, 0) == 0 && sl_fd_count(worker) >= 0)
        SL_FAIL("the worker (pid %d) is still running after " PU_SERVER " exited", (int)worker);
    sl_conn_close(&c);
    PU_SERVER_START(&s, nm_abstract("int"));
    PU_ECHO_ONCE(&s, "two\n");
    pu_server_stop_sig(&s, SIGINT, __FILE__, __LINE__);
}

SL_TEST(echo_command_line, 1,
        "unix-echo-server -u NAME [-t stream|seqpacket] [-U UID]: no -u, an unknown option "
        "or type, or an extra argument is bad usage (exit status 2, the usage on stderr); "
        "a name that cannot be bound is an error (status 1, one line).")
{
    static const char *const none[] = {NULL}, *const unknown[] = {"-q", NULL},
                            *const type[] = {"-u", "@x", "-t", "dgram", NULL},
                            *const extra[] = {"-u", "@x", "extra", NULL};
    const char *nodir[] = {"-u", nm_path("no/such/folder.sock"), NULL};
    char longest[200];
    const char *toolong[] = {"-u", longest, NULL};
    pu_srv_t s;
    sl_run_t r;

    PU_SERVER_START(&s, nm_abstract("cli"));
    PU_SERVER_STOP(&s);
    sl_check_bad_usage(PU_SERVER, none, "(no -u)");
    sl_check_bad_usage(PU_SERVER, unknown, "-q (an unknown option)");
    sl_check_bad_usage(PU_SERVER, type, "-u @x -t dgram (a type it does not serve)");
    sl_check_bad_usage(PU_SERVER, extra, "-u @x extra (an argument it does not take)");
    SL_RUN(&r, PU_SERVER, nodir, NULL, 0, 3000);
    if (sl_check_exit(&r, PU_SERVER " -u DIR/no/such/folder.sock", 1))
        sl_check_error_line(&r, PU_SERVER " -u DIR/no/such/folder.sock", strerror(ENOENT));
    sl_run_free(&r);
    memset(longest, 'n', 120);
    longest[0] = '@';
    longest[120] = '\0';
    SL_RUN(&r, PU_SERVER, toolong, NULL, 0, 3000);
    if (sl_check_exit(&r, PU_SERVER " -u @ and 119 bytes", 1))
        sl_check_error_line(&r, PU_SERVER " -u @ and 119 bytes", strerror(ENAMETOOLONG));
    sl_run_free(&r);
}
