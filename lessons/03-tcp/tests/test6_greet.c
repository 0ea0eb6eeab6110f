/* Task 6: the greet server, driven over sockets as a client would: no
 * student code runs in these tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(6, "The greet server");

/* A client connects, gets the greeting, then the end of the stream. */
static void greeted(sl_server_t *s)
{
    sl_conn_t c;

    PU_CONNECT(&c, s);
    PU_EXPECT(&c, s, GREETING, 2000);
    PU_EXPECT_EOF(&c, s, 2000);
    sl_conn_close(&c);
}

SL_NET_TEST(greet_says_thank_you_and_closes, 3, 0,
            "Listen (tcp_listen(host, port, backlog)), print \"listening on \" and "
            "tcp_local_text(), fflush(stdout); then for each client: tcp_accept(), "
            "tcp_send_all() the 25 bytes \"Thank you for connecting\\n\", close(). "
            "SIGTERM must end it with exit status 0.")
{
    sl_server_t s;

    SL_SERVER_START(&s, "greet-server", host);
    greeted(&s);
    SL_HINT("The server must still run after a client, and exit with status 0 on SIGTERM "
            "(the signal handling of the skeleton does that: keep it).")
    {
        PU_STOP(&s);
    }
}

SL_NET_TEST(greet_every_client, 2, 0,
            "Serve clients one after the other, forever: after closing one connection, go "
            "back to tcp_accept() for the next. Two clients that connect at once wait in "
            "the listen backlog and are greeted in turn.")
{
    sl_server_t s;
    sl_conn_t a, b;

    SL_SERVER_START(&s, "greet-server", host);
    for (int i = 0; i < 3; i++)
        greeted(&s);
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
            "then fails (ECONNRESET, EPIPE). Say so on stderr, close that connection and "
            "serve the next client; never exit, never die of SIGPIPE.")
{
    sl_server_t s;
    sl_conn_t c;

    SL_SERVER_START(&s, "greet-server", host);
    for (int i = 0; i < 3; i++) {
        PU_CONNECT(&c, &s);
        sl_conn_reset(&c);
    }
    pu_sleep_ms(50);
    PU_STILL_SERVING(&s, "three clients that reset at once");
    greeted(&s);
    PU_STOP(&s);
}

SL_TEST(greet_command_line, 1,
        "greet-server [-b ADDR] [-p PORT]: a bad option or port (not a number from 0 to "
        "65535) is bad usage, exit status 2 with the usage on stderr; a socket that "
        "cannot listen is an error, one line \"greet-server: what failed: reason\" and "
        "exit status 1.")
{
    static const char *const unknown[] = {"-x", NULL}, *const big[] = {"-p", "65536", NULL},
                            *const word[] = {"-p", "http", NULL},
                            *const extra[] = {"-p", "0", "more", NULL},
                            *const foreign[] = {"-b", "192.0.2.1", "-p", "0", NULL};
    sl_server_t s;
    sl_run_t r;

    /* First the program must work at all: a stub gets no points here. */
    SL_SERVER_START(&s, "greet-server", "127.0.0.1");
    greeted(&s);
    PU_STOP(&s);
    pu_bad_usage("greet-server", unknown, "-x (an unknown option)");
    pu_bad_usage("greet-server", big, "-p 65536 (a port too large)");
    pu_bad_usage("greet-server", word, "-p http (a port that is not a number)");
    pu_bad_usage("greet-server", extra, "-p 0 more (an argument too many)");
    SL_HINT("192.0.2.1 is no address of this machine: bind() fails with EADDRNOTAVAIL. "
            "Print one line, \"greet-server: what failed: reason\" (strerror(errno)), and "
            "exit with status 1.")
    {
        PU_RUN(&r, "greet-server", foreign, NULL, 0, 3000);
        if (pu_exited(&r, "greet-server -b 192.0.2.1 (not an address of this host)", 1))
            pu_one_error_line(&r, "greet-server -b 192.0.2.1", strerror(EADDRNOTAVAIL));
        sl_run_free(&r);
    }
}
