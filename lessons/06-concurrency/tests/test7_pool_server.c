/* Task 7: pool-echo-server, driven over sockets; the bound of its queue
 * seen in its descriptors. */
#include "servertests.h"

SL_TASK_PROGRAMS(7, "A thread pool");

#define NAME "pool-echo-server"

SL_NET_TEST(pool_echo_serves_100_clients_at_once, 2, 10000,
            "A pool of 4 threads and a queue of 16: 100 clients at once are served 4 at a time, "
            "the others waiting in the queue or in the kernel's backlog; each gets its own echo.")
{
    st_burst(NAME, host, NULL);
}

#define IDLE 30

SL_TEST_TIMEOUT(pool_echo_bound_holds_under_a_burst, 4, 10000,
                "With -t 2 -q 4, at most 2 clients run and 4 wait accepted; the acceptor then "
                "waits in ss_process_pool() for a slot, accepting nothing: the other clients "
                "wait in the listen backlog. An unbounded queue accepts all 30 at once.")
{
    const char *args[] = {"-t", "2", "-q", "4", NULL};
    sl_server_t s;
    cu_peer_t *p;
    int base, held, good;

    CU_START(&s, NAME, "127.0.0.1", args);
    base = sl_prog_fd_count(&s.prog);
    p = cu_peers_connect("127.0.0.1", s.port, IDLE);
    sl_sleep_ms(300);
    held = sl_prog_fd_count(&s.prog) - base;
    sl_note("30 idle clients: the server holds %d more descriptors", held);
    if (held > 2 + 4 + 1)
        SL_FAIL_FATAL("unbounded queue: with -t 2 -q 4 and 30 clients that say nothing, the "
                      "server accepted %d of them: at most 2 running, 4 queued and 1 held by "
                      "the acceptor waiting for a slot", held);
    if (held < 6)
        SL_FAIL_FATAL("with -t 2 -q 4 and 30 clients waiting, the server accepted only %d: 2 "
                      "run and 4 wait in the queue", held);
    good = cu_peers_echo(p, IDLE, 6000);
    if (good < IDLE)
        SL_FAIL_FATAL("once the clients spoke, %d of 30 got their echo: %s", good,
                      cu_peers_first_bad(p, IDLE));
    cu_peers_free(p, IDLE);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(pool_echo_threads_stay_fixed, 2, 10000,
                "A pool's threads are made once, at the start: -t 3 gives the server 3 threads "
                "more than its main one, whatever the number of clients.")
{
    const char *args[] = {"-t", "3", NULL};
    sl_server_t s;
    int before, after;

    CU_START(&s, NAME, "127.0.0.1", args);
    sl_sleep_ms(100);
    before = cu_threads(s.prog.pid);
    st_cycles(&s, 200);
    after = cu_threads(s.prog.pid);
    /* 4: the main thread and 3 in the pool; a sanitizer may add one of its own */
    if (before >= 4 && before <= 5 && after < before)
        SL_FAIL("with -t 3 the server had %d threads at the start and %d after 200 clients: "
                "%d of the pool's threads ended. A worker loops on cc_queue_pop() until the "
                "queue is closed; it does not return (or pthread_exit()) after a request, nor "
                "when one request fails", before, after, before - after);
    else if (before < 4 || before > 5 || after != before)
        SL_FAIL("with -t 3 the server had %d threads at the start and %d after 200 clients: "
                "expected 4 both times (the main thread and 3 in the pool; 5 when a "
                "sanitizer adds a thread of its own)%s", before, after,
                after > before ? ": the pool makes its threads once, not one per client" : "");
    SL_SERVER_STOP(&s);
}

SL_TEST(pool_echo_verify_request_refuses_a_peer, 1,
        "verify_request() runs in the acceptor, before the request is queued: a refused client "
        "is closed at once.")
{
    st_refuses(NAME, NULL);
}
