/* Task 6: thread-echo-server, driven over sockets; its threads counted in
 * /proc/PID/task, its descriptors in /proc/PID/fd. */
#include "servertests.h"

SL_TASK_PROGRAMS(6, "Threading");

#define NAME "thread-echo-server"

SL_NET_TEST(thread_echo_serves_100_clients_at_once, 3, 8000,
            "Each connection in a thread of its own, handed over as a request of its own on the "
            "heap: a thread given &fd (a variable of the loop) reads it after the next accept "
            "changed it, and serves another client's socket.")
{
    st_burst(NAME, host, NULL);
}

SL_TEST(thread_echo_blocked_handler_does_not_stop_others, 2,
        "A handler that waits (a client that says nothing) waits in its own thread: the "
        "acceptor goes on.")
{
    st_blocked(NAME, "127.0.0.1", NULL);
}

SL_TEST_SOLO(thread_echo_no_thread_or_fd_leak_after_1000_connections, 3, 15000,
             "Each thread is detached (or joined) and ends with its request; each request closes "
             "its socket: after 1000 connections, as many threads and descriptors as before.")
{
    sl_server_t s;
    int fds, tasks, fds2, tasks2;
    long maps, maps2;
    double end;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    cu_echo_once(&s, "warm up\n", 2000);
    sl_sleep_ms(50);
    fds = sl_prog_fd_count(&s.prog);
    tasks = cu_threads(s.prog.pid);
    maps = cu_maps(s.prog.pid);
    st_cycles(&s, 1000);
    fds2 = st_wait_fds(&s, fds);
    end = sl_now_ms() + sl_scaled_ms(2000);
    while ((tasks2 = cu_threads(s.prog.pid)) > tasks && sl_now_ms() < end)
        sl_sleep_ms(10);
    maps2 = cu_maps(s.prog.pid);
    sl_note("mappings (/proc/PID/maps) before and after: %ld, %ld", maps, maps2);
    if (maps > 0 && maps2 - maps > 400)
        SL_FAIL_FATAL("threads neither detached nor joined: the server had %ld mappings "
                      "(/proc/PID/maps) before 1000 connections and %ld after: a joinable "
                      "thread that ends keeps its stack until someone joins it. Create them "
                      "detached", maps, maps2);
    if (tasks2 > tasks)
        SL_FAIL_FATAL("thread leak: the server had %d threads before 1000 connections and %d "
                      "after: create them detached (or join them)", tasks, tasks2);
    if (fds2 > fds)
        SL_FAIL_FATAL("descriptor leak: the server held %d descriptors before 1000 connections "
                      "and %d after: each request closes its socket when it ends", fds, fds2);
    sl_note("1000 connections: %d threads and %d descriptors before and after", tasks, fds);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(thread_echo_counts_every_request, 2, 10000,
                "The count of requests served is shared by every thread: an unguarded counter "
                "(srv->served.value++ outside its mutex) loses counts when two threads end at "
                "once. At exit the server says \"served N requests\".")
{
    sl_server_t s;
    long n;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    for (int round = 0; round < 4; round++) {
        cu_peer_t *p = cu_peers_connect("127.0.0.1", s.port, 50);
        int good = cu_peers_echo(p, 50, 4000);

        cu_peers_free(p, 50);
        if (good < 50)
            SL_FAIL_FATAL("round %d: %d of 50 clients got their echo", round + 1, good);
    }
    sl_sleep_ms(100);
    cu_still_running(&s, "200 clients in bursts of 50");
    SL_SERVER_STOP(&s);
    n = st_served(&s);
    if (n != 200)
        SL_FAIL("unguarded counter: 200 clients were served, in bursts of 50, and the server "
                "says %ld (its stderr: %s)", n, sl_bytes(s.prog.err.data, s.prog.err.len));
}

SL_TEST_TIMEOUT(thread_echo_survives_clients_that_reset, 2, 8000,
                "A request that fails (the client resets: ECONNRESET, EPIPE) ends in "
                "handle_error(), in its own thread: one line on stderr, and the server goes on.")
{
    sl_server_t s;
    char big[200000];

    memset(big, 'r', sizeof big);
    CU_START(&s, NAME, "127.0.0.1", NULL);
    for (int i = 0; i < 10; i++) {
        sl_conn_t c;

        SL_CONNECT(&c, &s);
        send(c.fd, big, sizeof big, MSG_NOSIGNAL | MSG_DONTWAIT);
        sl_conn_reset(&c);
    }
    sl_sleep_ms(200);
    cu_still_running(&s, "10 clients that reset");
    cu_echo_once(&s, "after the resets\n", 2000);
    SL_SERVER_STOP(&s);
}
