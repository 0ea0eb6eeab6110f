/* Task 6: the greet server, driven over sockets as a client would: no
 * student code runs in these tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(6, "The greet server");

SL_NET_TEST(greet_says_thank_you_and_closes, 3, 0,
            "For each client (server.c calls greet(fd, peer)): tcp_send_all() the 25 bytes "
            "\"Thank you for connecting\\n\" and return; server.c closes the connection. "
            "SIGTERM must end the server with exit status 0.")
{
    sl_server_t s;

    /* Started with its stdout held: it must listen before it says so. */
    PU_SERVER_START_HELD(&s, "greet-server", host);
    PU_GREETED(&s);
    SL_HINT("The server must still run after a client, and exit with status 0 on SIGTERM "
            "(server.c does that: keep it).")
    {
        PU_STOP(&s);
    }
}

SL_NET_TEST(greet_every_client, 2, 0,
            "Serve clients one after the other, forever: return from greet() and server.c "
            "accepts the next. Two clients that connect at once wait in the listen backlog "
            "and are greeted in turn.")
{
    sl_server_t s;
    sl_conn_t a, b;

    PU_SERVER_START(&s, "greet-server", host);
    for (int i = 0; i < 3; i++)
        PU_GREETED(&s);
    PU_CONNECT(&a, &s);
    PU_CONNECT(&b, &s);
    PU_EXPECT(&b, &s, GREETING, 2000);
    PU_EXPECT(&a, &s, GREETING, 2000);
    PU_EXPECT_EOF(&a, &s, 2000);
    PU_EXPECT_EOF(&b, &s, 2000);
    sl_conn_close(&a);
    sl_conn_close(&b);
    PU_STOP(&s);
}

SL_NET_TEST(greet_survives_a_client_that_resets, 2, 0,
            "A client may reset the connection before the greeting goes: tcp_send_all() "
            "then fails (ECONNRESET). Say so on stderr and return: never exit, never die of "
            "SIGPIPE.")
{
    sl_server_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, "greet-server", host);
    for (int i = 0; i < 3; i++) {
        PU_CONNECT(&c, &s);
        sl_conn_reset(&c);
    }
    sl_sleep_ms(50);
    PU_STILL_SERVING(&s, "three clients that reset at once");
    PU_STOP(&s);
}

SL_NET_TEST(greet_survives_a_client_that_left, 2, 0,
            "A client may half-close, then reset, before the server gets to it: the send "
            "of the greeting then fails with EPIPE, and a send() without MSG_NOSIGNAL "
            "raises SIGPIPE, which kills the server. Send with tcp_send_all() (it passes "
            "MSG_NOSIGNAL), say so on stderr, return.")
{
    sl_server_t s;
    sl_conn_t c;

    PU_SERVER_START(&s, "greet-server", host);
    PU_GREETED(&s);
    /* While the server is stopped (SIGSTOP), a client connects (the
     * kernel completes the handshake), half-closes and resets: when the
     * server goes on, accept() returns that connection (on Linux), and
     * its first send() fails with EPIPE, as the FIN came before the RST. */
    kill(s.prog.pid, SIGSTOP);
    if (pu_wait_stopped(s.prog.pid, 2000) < 0)
        SL_FAIL_FATAL("test setup: greet-server did not stop on SIGSTOP");
    sl_note("greet-server is stopped (SIGSTOP)");
    PU_CONNECT(&c, &s);
    if (sl_conn_shutdown(&c) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    sl_sleep_ms(20);
    sl_conn_reset(&c);
    sl_sleep_ms(20);
    kill(s.prog.pid, SIGCONT);
    sl_note("greet-server goes on (SIGCONT)");
    PU_STILL_SERVING(&s, "a client that half-closed and reset before its greeting");
    PU_STOP(&s);
}

SL_TEST(greet_leaves_no_descriptor_open, 1,
        "server.c closes each client's socket when greet() returns: greet() must not keep "
        "one of its own (a dup(), an fdopen() never closed). A server that leaks one per "
        "client runs out of descriptors (EMFILE) after about a thousand clients.")
{
    sl_server_t s;
    sl_conn_t c;
    int base, now = -1;

    PU_SERVER_START(&s, "greet-server", "127.0.0.1");
    PU_GREETED(&s);
    base = sl_fd_count(s.prog.pid);
    if (base < 0)
        SL_FAIL_FATAL("test: cannot count the descriptors of greet-server (/proc)");
    for (int i = 0; i < 10; i++) {
        PU_GREETED(&s);
        PU_CONNECT(&c, &s);
        sl_conn_reset(&c);
    }
    PU_GREETED(&s);
    for (int i = 0; i < 50 && (now = sl_fd_count(s.prog.pid)) != base; i++)
        sl_sleep_ms(10);
    if (now != base)
        SL_FAIL("greet-server had %d descriptors open after its first client and %d after 21 "
                "more (11 greeted, 10 that reset): %d left open", base, now, now - base);
    PU_STOP(&s);
}

SL_TEST(greet_command_line, 1,
        "greet-server [-b ADDR] [-p PORT]: a bad option or port (not a number from 0 to "
        "65535) is bad usage, exit status 2 with the usage on stderr; a socket that "
        "cannot listen is an error, one line \"greet-server: what failed: reason\" and "
        "exit status 1. server.c does both: keep it.")
{
    static const char *const unknown[] = {"-x", NULL}, *const big[] = {"-p", "65536", NULL},
                            *const word[] = {"-p", "http", NULL},
                            *const extra[] = {"-p", "0", "more", NULL},
                            *const foreign[] = {"-b", "192.0.2.1", "-p", "0", NULL};
    sl_server_t s;
    sl_run_t r;

    /* First the program must work at all: a stub gets no points here. */
    PU_SERVER_START(&s, "greet-server", "127.0.0.1");
    PU_STOP(&s);
    sl_check_bad_usage("greet-server", unknown, "-x (an unknown option)");
    sl_check_bad_usage("greet-server", big, "-p 65536 (a port too large)");
    sl_check_bad_usage("greet-server", word, "-p http (a port that is not a number)");
    sl_check_bad_usage("greet-server", extra, "-p 0 more (an argument too many)");
    SL_HINT("192.0.2.1 is no address of this machine: bind() fails with EADDRNOTAVAIL. "
            "Print one line, \"greet-server: what failed: reason\" (strerror(errno)), and "
            "exit with status 1.")
    {
        SL_RUN(&r, "greet-server", foreign, NULL, 0, 3000);
        if (sl_check_exit(&r, "greet-server -b 192.0.2.1 (not an address of this host)", 1))
            sl_check_error_line(&r, "greet-server -b 192.0.2.1", strerror(EADDRNOTAVAIL));
        sl_run_free(&r);
    }
}
