/* Task 5: fork-echo-server, driven over sockets; its children counted in
 * /proc (a zombie is state Z). */
#include "servertests.h"

SL_TASK_PROGRAMS(5, "Forking");

#define NAME "fork-echo-server"

SL_NET_TEST(fork_echo_serves_100_clients_at_once, 2, 8000,
            "Each connection in a child of its own: after fork() the child runs the request and "
            "_exit()s, the parent goes back to accept at once. 100 clients at once each get "
            "their own echo.")
{
    st_burst(NAME, host, NULL);
}

SL_TEST(fork_echo_blocked_handler_does_not_stop_others, 2,
        "A handler that waits (a client that says nothing) waits in its own child: the parent "
        "accepts and forks for the next clients meanwhile.")
{
    st_blocked(NAME, "127.0.0.1", NULL);
}

SL_TEST(fork_echo_client_sees_the_end_after_its_child, 3,
        "The parent not closing the connection: the child closes its copy when the request "
        "ends, but the parent's copy keeps the connection open, and the client never reads "
        "the end of the stream. In ss_process_fork() the parent closes req->fd.")
{
    st_eof(NAME, "127.0.0.1", NULL);
}

#define WAVE 100

SL_TEST_TIMEOUT(fork_echo_no_zombie_after_a_burst_of_disconnects, 3, 8000,
                "100 children that end at once raise SIGCHLD only a few times: one waitpid() "
                "per SIGCHLD leaves zombies. The handler calls waitpid(-1, &status, WNOHANG) "
                "in a loop (cc_reap()).")
{
    sl_server_t s;
    cu_peer_t *p;
    int z = 0, all = 0, good;
    double end;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    p = cu_peers_connect("127.0.0.1", s.port, WAVE);
    good = cu_peers_echo(p, WAVE, 4000);   /* all 100 end at once as they half-close */
    if (good < WAVE && cu_peers_no_eof(p, WAVE))
        SL_FAIL_FATAL("the parent not closing the connection: each of %d clients got its echo, "
                      "then no end of the stream: its child has ended, and the parent's copy of "
                      "the socket keeps the connection open", WAVE);
    if (good < WAVE)
        SL_FAIL_FATAL("%d of %d clients got their echo: %s", good, WAVE, cu_peers_first_bad(p, WAVE));
    end = sl_now_ms() + sl_scaled_ms(1000);
    do {
        sl_sleep_ms(50);
        z = cu_zombies(s.prog.pid, &all);
    } while (z > 0 && sl_now_ms() < end);
    cu_still_running(&s, "100 children ended at once");
    if (z > 0)
        SL_FAIL_FATAL("%s", z == all && z >= WAVE ? "no reaping: the 100 children that ended "
                      "are all zombies: catch SIGCHLD (cc_catch_sigchld()) and reap them" :
                      "one waitpid per SIGCHLD: after 100 children ended at once, zombies "
                      "remain: reap in a loop until waitpid() says 0");
    sl_note("100 children ended at once: no zombie left");
    cu_peers_free(p, WAVE);
    SL_SERVER_STOP(&s);
}

SL_TEST_SOLO(fork_echo_no_zombie_after_1000_connections, 3, 15000,
             "1000 clients one after another, each a child: each child is reaped when it ends, "
             "and the parent closes each connection. Count the server's zombies in /proc and "
             "its descriptors in /proc/PID/fd.")
{
    sl_server_t s;
    int base, z, all, fds;
    double end;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    cu_echo_once(&s, "warm up\n", 2000);
    base = sl_prog_fd_count(&s.prog);
    st_cycles(&s, 1000);
    end = sl_now_ms() + sl_scaled_ms(1000);
    do {
        sl_sleep_ms(50);
        z = cu_zombies(s.prog.pid, &all);
    } while (z > 0 && sl_now_ms() < end);
    if (z > 0)
        SL_FAIL_FATAL("%d zombies after 1000 connections (%d children in all): %s", z, all,
                      z >= 900 ? "no reaping: catch SIGCHLD and waitpid() the children" :
                      "one waitpid per SIGCHLD: reap in a loop");
    fds = st_wait_fds(&s, base);
    if (fds > base)
        SL_FAIL_FATAL("the parent not closing the connection: the server held %d descriptors "
                      "before 1000 connections and %d after", base, fds);
    sl_note("1000 connections: no zombie, %d descriptors before and after", base);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(fork_echo_stops_and_its_port_closes, 2, 6000,
                "SIGTERM: stop accepting, wait up to a second for the children, exit 0. A child "
                "that kept the listening socket keeps the port open after the server has gone: "
                "the child closes srv->fd first thing.")
{
    sl_server_t s;
    sl_conn_t a;
    int fd;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    SL_CONNECT(&a, &s);
    SL_SEND(&a, "still here");
    SL_EXPECT(&a, "still here", 2000);
    SL_SERVER_STOP(&s);
    fd = cu_connect_from("127.0.0.1", s.port, NULL);
    if (fd >= 0) {
        close(fd);
        sl_conn_close(&a);
        SL_FAIL_FATAL("the child did not close the listener: after the server exited, its port "
                      "still takes connections (the child serving a client holds the "
                      "listening socket)");
    }
    sl_conn_close(&a);
}

SL_TEST(fork_echo_verify_request_refuses_a_peer, 2,
        "verify_request() runs in the parent, before fork(): a refused client is closed at "
        "once, and the server goes on to the next.")
{
    st_refuses(NAME, NULL);
}

SL_TEST(fork_echo_takes_no_mode, 1,
        "fork-echo-server is the framework fixed in SS_FORK: it takes no -m (bad usage: exit 2, "
        "the usage on stderr); without it, it serves.")
{
    sl_server_t s;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    cu_echo_once(&s, "no -m needed\n", 2000);
    SL_SERVER_STOP(&s);
    st_bad_usage(NAME, "-m", "thread");
}

/* What echoed() saw: nothing (or not text), text without the end of the
 * stream, or text and the end of the stream. */
enum { ECHO_NONE, ECHO_NO_EOF, ECHO_OK };

/* Sends text on a new connection and half-closes: did exactly text come
 * back, then the end of the stream, within ms? */
static int echoed(const sl_server_t *s, const char *text, int ms)
{
    char got[128];
    int fd = cu_connect_from("127.0.0.1", s->port, NULL), eof;
    size_t n;

    if (fd < 0)
        return ECHO_NONE;
    send(fd, text, strlen(text), MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    n = cu_read_all(fd, got, sizeof got, ms, &eof);
    close(fd);
    if (n != strlen(text) || memcmp(got, text, n) != 0)
        return ECHO_NONE;
    return eof == 1 ? ECHO_OK : ECHO_NO_EOF;
}

SL_TEST_TIMEOUT(fork_echo_sigterm_to_a_child_leaves_the_server, 2, 8000,
                "A child must not keep the parent's handlers: the server's SIGTERM handler writes "
                "into the stop pipe, which the child shares. Block SIGTERM, SIGINT and SIGCHLD "
                "around fork(); in the child put them back to SIG_DFL, close srv->stop_fd, then "
                "unblock. A SIGTERM sent to one child then ends that child alone.")
{
    sl_server_t s;
    sl_conn_t a;
    pid_t child;
    int seen;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    SL_CONNECT(&a, &s);
    SL_SEND(&a, "served by a child");
    SL_EXPECT(&a, "served by a child", 2000);
    if ((child = cu_live_child(s.prog.pid)) < 0)
        SL_FAIL_FATAL("fork-echo-server serves a client, yet has no child in /proc");
    kill(child, SIGTERM);
    sl_note("SIGTERM sent to child %d, which serves client A", (int)child);
    sl_sleep_ms(100);
    seen = echoed(&s, "the server goes on\n", 1500);
    if (seen == ECHO_NO_EOF) {
        cu_drain(&s);
        SL_FAIL_FATAL("the parent not closing the connection: the server still echoes after a "
                      "SIGTERM to one child, but the client got its echo and no end of the "
                      "stream (the parent's copy of the connection keeps it open): close(fd) in "
                      "the parent after fork()");
    }
    if (seen == ECHO_NONE) {
        cu_drain(&s);
        SL_FAIL_FATAL("a SIGTERM sent to one child stopped the whole server (%s): the child kept "
                      "the parent's SIGTERM handler, which wrote into the parent's stop pipe. "
                      "In the child, SIGTERM back to SIG_DFL before anything else (signals "
                      "blocked around fork())", s.prog.ended ? "it exited" :
                      "it accepts no more clients");
    }
    if (sl_conn_expect_eof(&a, 1000) < 0 && sl_conn_expect_reset(&a, 100) < 0)
        SL_FAIL("the child that got SIGTERM still serves its client: in the child, SIGTERM goes "
                "back to its default action (the end of the process)");
    sl_conn_close(&a);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(fork_echo_stop_waits_for_a_running_child, 2, 8000,
                "SIGTERM in SS_FORK: accept nothing more, then wait, up to stop_ms, until every "
                "child forked has been reaped (srv->forked against cc_reaped()): a child whose "
                "client ends in time is waited for, then the server exits 0 at once.")
{
    sl_server_t s;
    sl_conn_t a;
    double t0;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    SL_CONNECT(&a, &s);
    SL_SEND(&a, "one");
    SL_EXPECT(&a, "one", 2000);
    kill(s.prog.pid, SIGTERM);
    t0 = sl_now_ms();
    sl_sleep_ms(200);
    cu_drain(&s);
    if (s.prog.ended)
        SL_FAIL_FATAL("SS_FORK did not wait for its children at stop: fork-echo-server exited "
                      "within 200 ms of SIGTERM while a child still served a client; wait up to "
                      "stop_ms (1 s) for every child to be reaped");
    SL_SEND(&a, " two\n");
    if (sl_conn_shutdown(&a) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_EXPECT(&a, " two\n", 1000);
    SL_EXPECT_EOF(&a, 1000);
    sl_conn_close(&a);
    if (sl_prog_wait(&s.prog, sl_deadline(700)) < 0)
        SL_FAIL_FATAL("fork-echo-server still ran %.0f ms after SIGTERM, though its last child had "
                      "ended: once cc_reaped() reaches srv->forked, stop waiting", sl_now_ms() - t0);
    cu_drain(&s);
    if (!WIFEXITED(s.prog.status) || WEXITSTATUS(s.prog.status) != 0) {
        char how[SL_PROG_HOW_MAX];

        SL_FAIL_FATAL("fork-echo-server %s after SIGTERM: expected exit status 0",
                      sl_prog_how(&s.prog, how, sizeof how));
    }
    sl_prog_free(&s.prog);
}
