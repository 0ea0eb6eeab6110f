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
