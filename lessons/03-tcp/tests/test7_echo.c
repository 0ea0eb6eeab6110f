/* Task 7: the echo server, driven over sockets as clients would: no
 * student code runs in these tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The echo server");

SL_NET_TEST(echo_one_line, 3, 0,
            "For each client (server.c calls serve(fd, peer)): recv() into a buffer and "
            "tcp_send_all() exactly the bytes received, again and again, until recv() "
            "returns 0; then return (server.c closes the socket and accepts the next).")
{
    sl_server_t s;
    const char *nl;

    /* Started with its stdout held: it must listen before it says so. */
    PU_SERVER_START_HELD(&s, "echo-server", host);
    PU_ECHO_ONCE(&s, "hello\n");
    SL_HINT("stdout holds the \"listening on\" line and nothing else: print what you "
            "like about clients on stderr.")
    {
        sl_prog_read(&s.prog, NULL, sl_deadline(0));
        nl = strchr(s.prog.out.data, '\n');
        if (nl && nl[1] != '\0')
            SL_FAIL("echo-server printed more than its listening line on stdout: %s",
                    sl_bytes(s.prog.out.data, s.prog.out.len));
    }
    PU_STOP(&s);
}

SL_NET_TEST(echo_serves_a_whole_conversation, 3, 0,
            "A client (nc, a person typing) sends a line, reads its echo, sends another, "
            "on one connection, for as long as it likes: loop recv() and tcp_send_all() "
            "until recv() returns 0. A server that returns after one recv() serves one "
            "line only.")
{
    sl_server_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, "echo-server", host);
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "one\n");
    sl_sleep_ms(20);   /* the client thinks */
    PU_EXCHANGE(&c, &s, "two, a little later\n");
    sl_sleep_ms(20);
    PU_EXCHANGE(&c, &s, "three\n");
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_EOF(&c, &s, 2000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_NET_TEST(echo_many_lines_at_once, 2, 0,
            "200 lines in one send() arrive in recv() calls of any size, several lines in "
            "one: an echo server does not look for lines at all. It sends back what each "
            "recv() returned, byte for byte, with tcp_send_all().")
{
    static char text[200 * 32];
    size_t len = 0;
    sl_server_t s;
    sl_conn_t c;

    for (int i = 0; i < 200; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "line %d of the many lines\n", i);
    PU_SERVER_START(&s, "echo-server", host);
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "first, a line alone\n");
    PU_SEND_BYTES(&c, &s, text, len);
    PU_EXPECT_BYTES(&c, &s, text, len, 3000);
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_EOF(&c, &s, 2000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_NET_TEST(echo_any_byte, 2, 0,
            "Echo bytes, not strings: every byte value from 0 to 255 must come back, NUL "
            "included. Use the count recv() returns, never strlen(), and send with "
            "tcp_send_all(fd, buf, n).")
{
    unsigned char bytes[1024];
    sl_server_t s;
    sl_conn_t c;

    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + i / 256);
    PU_SERVER_START(&s, "echo-server", host);
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "first, some text\n");
    PU_SEND_BYTES(&c, &s, bytes, sizeof bytes);
    PU_EXPECT_BYTES(&c, &s, bytes, sizeof bytes, 3000);
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_EOF(&c, &s, 2000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_NET_TEST(echo_half_close_gets_the_rest, 3, 0,
            "When the client half-closes (shutdown(SHUT_WR)) recv() returns 0: the client "
            "sends nothing more, but still reads. Until then, keep echoing; then send back "
            "all it sent (a last line without a newline too) and return, so that the "
            "connection closes and the client sees the end.")
{
    static const char text[] = "the last words, with no newline";
    sl_server_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, "echo-server", host);
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "a first line, echoed at once\n");
    PU_STILL_OPEN(&c, &s, 30);
    PU_SEND(&c, &s, text);
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_REST(&c, &s, text, 2000);
    SL_HINT("After the client's half-close and the echo of all it sent, the server must "
            "close the connection: the client reads to the end of the stream, and waits "
            "for it.")
    {
        PU_EXPECT_EOF(&c, &s, 2000);
    }
    sl_conn_close(&c);
    PU_STOP(&s);
}

/* 16 MiB through the echo server and back, sent and read at once. */
static void bulk(const char *host)
{
    static unsigned char data[16u << 20];
    const size_t len = sizeof data;
    sl_server_t s;
    sl_conn_t c;

    sl_pattern(data, len, 16);
    PU_SERVER_START(&s, "echo-server", host);
    PU_CONNECT(&c, &s);
    PU_ECHO_BULK(&c, &s, "16 MiB of every byte value through echo-server", data, len, 25000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

SL_TEST_SOLO(echo_16_mib_ipv4, 3, 30000,
             "16 MiB come back byte for byte: the sends of a big stream come in pieces, "
             "and each recv() gives some of them. Send back exactly what each recv() "
             "gave, in order, with tcp_send_all(): never fewer bytes, never the whole "
             "buffer.")
{
    bulk("127.0.0.1");
}

SL_TEST_SOLO(echo_16_mib_ipv6, 3, 30000,
             "16 MiB come back byte for byte over IPv6: send back exactly what each "
             "recv() gave, in order, with tcp_send_all().")
{
    bulk("::1");
}

SL_NET_TEST(echo_serves_one_client_after_another, 2, 0,
            "The server is iterative: one client at a time. A second client that connects "
            "meanwhile waits in the listen backlog; once the first has gone, accept it and "
            "echo what it sent while it waited.")
{
    sl_server_t s;
    sl_conn_t first, second;
    char text[32];

    PU_SERVER_START(&s, "echo-server", host);
    for (int i = 0; i < 4; i++) {
        snprintf(text, sizeof text, "client %d\n", i);
        PU_ECHO_ONCE(&s, text);
    }
    PU_CONNECT(&first, &s);
    PU_SEND(&first, &s, "first\n");
    PU_EXPECT(&first, &s, "first\n", 2000);
    PU_CONNECT(&second, &s);
    PU_SEND(&second, &s, "second, waiting\n");
    sl_conn_close(&first);
    PU_EXPECT(&second, &s, "second, waiting\n", 3000);
    sl_conn_close(&second);
    PU_STOP(&s);
}

SL_NET_TEST(echo_survives_a_client_that_resets, 3, 0,
            "A client may reset the connection (RST) at any moment: recv() or send() then "
            "fails with ECONNRESET (or EPIPE). Drop that client (close its socket) and go "
            "back to accept(): one bad client never stops the server.")
{
    static char junk[65536];
    sl_server_t s;
    sl_conn_t c;

    sl_pattern(junk, sizeof junk, 5);
    PU_SERVER_START(&s, "echo-server", host);
    for (int i = 0; i < 3; i++) {
        PU_CONNECT(&c, &s);
        PU_SEND(&c, &s, "abc");
        PU_EXPECT(&c, &s, "abc", 2000);
        /* the reset comes while the server echoes: its sends then fail */
        PU_SEND_BYTES(&c, &s, junk, sizeof junk);
        sl_conn_reset(&c);
    }
    sl_sleep_ms(50);
    PU_STILL_SERVING(&s, "three clients that sent 64 KiB and reset the connection");
    PU_ECHO_ONCE(&s, "still there?\n");
    PU_STOP(&s);
}

SL_NET_TEST(echo_survives_a_client_that_leaves_before_its_echo, 3, 0,
            "A send() on a connection the client has closed raises SIGPIPE, which kills a "
            "process by default: send with MSG_NOSIGNAL (tcp_send_all() does), take the "
            "EPIPE (or ECONNRESET) and drop that client.")
{
    static char junk[8192];
    sl_server_t s;
    sl_conn_t busy, gone;

    sl_pattern(junk, sizeof junk, 9);
    PU_SERVER_START(&s, "echo-server", host);
    /* While the server serves `busy`, `gone` connects, sends, half-closes
     * and then resets: when the server gets to it, the bytes are there to
     * echo, but the connection is closed, and the first send() of their
     * echo fails with EPIPE, or raises SIGPIPE. */
    PU_CONNECT(&busy, &s);
    PU_EXCHANGE(&busy, &s, "hold on\n");
    PU_EXCHANGE(&busy, &s, "still holding\n");
    PU_CONNECT(&gone, &s);
    PU_SEND_BYTES(&gone, &s, junk, sizeof junk);
    shutdown(gone.fd, SHUT_WR);   /* the test's own step: it cannot fail here */
    sl_note("%s: half-closed (shutdown SHUT_WR)", gone.label);
    sl_sleep_ms(50);
    sl_conn_reset(&gone);
    sl_conn_close(&busy);
    PU_STILL_SERVING(&s, "a client that sent 8 KiB and left before their echo");
    PU_ECHO_ONCE(&s, "next client\n");
    PU_STOP(&s);
}

SL_NET_TEST(echo_listens_on_the_given_port, 1, 0,
            "-p PORT is the port to listen on: pass the text to tcp_listen(), and print "
            "the port tcp_local_text() reads back (in host byte order).")
{
    sl_server_t probe, s;
    int port;
    const char *args[3] = {"-p", NULL, NULL};

    /* A free port: one the kernel gave a server that has stopped. */
    PU_SERVER_START(&probe, "echo-server", host);
    port = probe.port;
    SL_SERVER_STOP(&probe);
    args[1] = sl_port_text(port);
    PU_SERVER_START_ARGS(&s, "echo-server", host, args);
    if (s.port != port)
        SL_FAIL("echo-server -p %d says it listens on %s: expected port %d", port, s.where, port);
    PU_ECHO_ONCE(&s, "on my port\n");
    PU_STOP(&s);
}

SL_NET_TEST(echo_stops_on_sigterm_and_sigint, 2, 0,
            "SIGTERM and SIGINT end the server with exit status 0, also while a client is "
            "connected and quiet: srv_wait_readable(fd) (server.c) returns -1 once a signal "
            "came; return from serve() then, and server.c closes everything.")
{
    sl_server_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, "echo-server", host);
    PU_ECHO_ONCE(&s, "one\n");
    PU_CONNECT(&c, &s);
    PU_EXCHANGE(&c, &s, "quiet now\n");
    PU_EXCHANGE(&c, &s, "and still connected\n");
    SL_HINT("SIGTERM came while a client was connected (and sent nothing): the server must "
            "stop waiting for it, close everything and exit with status 0 within 2 s. Wait "
            "with srv_wait_readable(fd) before each recv(): it returns -1 once a signal came.")
    {
        if (sl_prog_stop(&s.prog, SIGTERM, SL_STOP_MS) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    sl_conn_close(&c);
    sl_prog_free(&s.prog);
    PU_SERVER_START(&s, "echo-server", host);
    PU_ECHO_ONCE(&s, "two\n");
    SL_HINT("SIGINT (Ctrl-C) ends the server like SIGTERM: exit status 0.")
    {
        if (sl_prog_stop(&s.prog, SIGINT, SL_STOP_MS) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    sl_prog_free(&s.prog);
}

SL_TEST(echo_leaves_no_descriptor_open, 2,
        "server.c closes each client's socket when serve() returns, whatever happened (the "
        "end of the stream, a reset, a failed send): serve() must not keep one of its own "
        "(a dup(), an fdopen() never closed). A server that leaks one per client runs out "
        "of descriptors (EMFILE) after about a thousand clients.")
{
    sl_server_t s;
    sl_conn_t c;
    int base, now = -1;

    PU_SERVER_START(&s, "echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "first\n");
    base = sl_fd_count(s.prog.pid);
    if (base < 0)
        SL_FAIL_FATAL("test: cannot count the descriptors of echo-server (/proc)");
    for (int i = 0; i < 10; i++) {
        PU_ECHO_ONCE(&s, "again\n");
        PU_CONNECT(&c, &s);
        PU_SEND(&c, &s, "and reset\n");
        sl_conn_reset(&c);
        PU_CONNECT(&c, &s);
        sl_conn_close(&c);
    }
    PU_ECHO_ONCE(&s, "last\n");
    for (int i = 0; i < 50 && (now = sl_fd_count(s.prog.pid)) != base; i++)
        sl_sleep_ms(10);
    if (now != base)
        SL_FAIL("echo-server had %d descriptors open after its first client and %d after 30 "
                "more (10 normal, 10 that reset, 10 that sent nothing): %d left open",
                base, now, now - base);
    PU_STOP(&s);
}

SL_TEST(echo_command_line, 1,
        "echo-server [-b ADDR] [-p PORT]: a bad option or port is bad usage (exit status 2, "
        "the usage on stderr, nothing on stdout).")
{
    static const char *const unknown[] = {"-q", NULL}, *const missing[] = {"-p", NULL},
                            *const letters[] = {"-p", "abc", NULL},
                            *const big[] = {"-p", "65536", NULL},
                            *const negative[] = {"-p", "-1", NULL},
                            *const extra[] = {"extra", NULL};
    sl_server_t s;

    PU_SERVER_START(&s, "echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "works\n");
    PU_STOP(&s);
    sl_check_bad_usage("echo-server", unknown, "-q (an unknown option)");
    sl_check_bad_usage("echo-server", missing, "-p (no port after it)");
    sl_check_bad_usage("echo-server", letters, "-p abc (a port that is not a number)");
    sl_check_bad_usage("echo-server", big, "-p 65536 (a port too large)");
    sl_check_bad_usage("echo-server", negative, "-p -1 (a negative port)");
    sl_check_bad_usage("echo-server", extra, "extra (an argument it does not take)");
}

SL_NET_TEST(echo_says_why_it_cannot_listen, 2, 0,
            "When tcp_listen() fails, print one line on stderr, \"echo-server: what failed: "
            "reason\" with strerror(errno) as the reason, and exit with status 1.")
{
    sl_server_t s;
    sl_run_t r;
    char what[96];
    const char *in_use[] = {"-b", host, "-p", NULL, NULL};

    PU_SERVER_START(&s, "echo-server", host);
    in_use[3] = sl_port_text(s.port);
    snprintf(what, sizeof what, "echo-server -b %s -p %d (a port in use)", host, s.port);
    SL_RUN(&r, "echo-server", in_use, NULL, 0, 3000);
    if (sl_check_exit(&r, what, 1))
        sl_check_error_line(&r, what, strerror(EADDRINUSE));
    sl_run_free(&r);
    PU_STILL_SERVING(&s, "a second server tried its port");
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(echo_says_why_it_cannot_resolve, 1, 15000,
                "A host that does not resolve (tcp_listen() fails, errno ENXIO, or EAGAIN "
                "when no name server answers) is an error too: one line \"echo-server: "
                "what failed: reason\", exit status 1.")
{
    static const char *const unknown[] = {"-b", "no-such-host.invalid", "-p", "0", NULL},
                            *const foreign[] = {"-b", "192.0.2.1", "-p", "0", NULL};
    sl_server_t s;
    sl_run_t r;

    PU_SERVER_START(&s, "echo-server", "127.0.0.1");
    SL_SERVER_STOP(&s);
    SL_RUN(&r, "echo-server", foreign, NULL, 0, 3000);
    if (sl_check_exit(&r, "echo-server -b 192.0.2.1 (not an address of this host)", 1))
        sl_check_error_line(&r, "echo-server -b 192.0.2.1", strerror(EADDRNOTAVAIL));
    sl_run_free(&r);
    SL_RUN(&r, "echo-server", unknown, NULL, 0, 12000);
    if (sl_check_exit(&r, "echo-server -b no-such-host.invalid (a name that never resolves)", 1))
        sl_check_error_line(&r, "echo-server -b no-such-host.invalid", NULL);
    sl_run_free(&r);
}
