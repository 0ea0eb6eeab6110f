/* Task 6: threading (ss_process_thread), in the test's process: a burst
 * of clients at once, each request in a thread of its own. */
#include "fwutil.h"

SL_TASK(6, "Threading");

SL_LESSON_SANITIZER_HINT("use-after-free",
                         "A request used after it was freed: was it handed to its thread "
                         "through a variable (the address of a loop variable, a static slot) "
                         "that the next accept overwrote, so that two threads ran, and freed, "
                         "the same request? Pass each thread its own request pointer, and let "
                         "only that thread end it.");

#define BURST 60

static int slow_echo(ss_request_t *req)
{
    char buf[128];
    ssize_t n;

    sl_sleep_ms(100);   /* all of the burst run at once */
    while ((n = recv(req->fd, buf, sizeof buf, 0)) > 0)
        if (ss_send(req, buf, (size_t)n) < 0)
            return -1;
    return (int)n;
}

static const ss_handler_t slow_handler = {NULL, slow_echo, NULL};

SL_TEST_TIMEOUT(thread_per_request_each_gets_its_own, 4, 8000,
                "ss_process_thread(): pthread_create() with req itself as the argument (a "
                "pointer to the heap, the request's own), detached, a stack of SS_STACK_SIZE; "
                "srv->active + 1 before, - 1 by the thread at its end. The address of a "
                "variable of the acceptor is overwritten by the next accept.")
{
    fw_server_t f;
    cu_peer_t *p;
    const char *bad;
    int good;

    fw_make(&f, SOCK_STREAM, SS_THREAD, &slow_handler);
    fw_run(&f);
    p = cu_peers_connect("127.0.0.1", f.port, BURST);
    good = cu_peers_echo(p, BURST, 4000);
    bad = cu_peers_first_bad(p, BURST);
    if (cu_peers_crossed(p, BURST))
        SL_FAIL_FATAL("a connection passed to a thread by the address of a variable: %s. Of %d "
                      "clients at once %d got their own line: a thread read the request "
                      "after the next accept had overwritten it; give each thread a request "
                      "of its own, on the heap", bad, BURST, good);
    if (bad != NULL)
        SL_FAIL_FATAL("%d clients at once: %d got their echo; %s", BURST, good, bad);
    if (cc_counter_wait_zero(&f.srv.active, 2000) < 0)
        SL_FAIL("srv->active is %ld after every request ended: each thread takes 1 away at "
                "its end", cc_counter_get(&f.srv.active));
    SL_CHECK_INT("served after the burst", cc_counter_get(&f.srv.served), BURST);
    cu_peers_free(p, BURST);
    fw_end(&f);
    ss_server_close(&f.srv);
}

static int hold(ss_request_t *req)
{
    char b;

    return (int)recv(req->fd, &b, 1, 0);
}

static const ss_handler_t hold_handler = {NULL, hold, NULL};

SL_TEST_TIMEOUT(thread_stop_waits_for_running_requests, 2, 8000,
                "At the end of ss_serve_forever() in SS_THREAD, wait for srv->active to reach 0 "
                "(cc_counter_wait_zero()) at most srv->stop_ms: a request that ends in time "
                "ends whole; one that does not is left to the process's end.")
{
    fw_server_t f;
    int c;
    double t0;
    ss_request_t *req;

    fw_make(&f, SOCK_STREAM, SS_THREAD, &hold_handler);
    f.srv.stop_ms = 300;
    c = cu_connect(f.port);
    sl_sleep_ms(20);
    req = calloc(1, sizeof *req);
    req->server = &f.srv;
    req->fd = accept(f.srv.fd, NULL, NULL);
    SL_CHECK_INT("ss_process_thread()", ss_process_thread(&f.srv, req), 0);
    SL_CHECK_INT("srv.active while the request runs", cc_counter_get(&f.srv.active), 1);
    fw_run(&f);
    sl_sleep_ms(50);
    t0 = sl_now_ms();
    if (fw_stop(&f, 3000) < 0)
        SL_FAIL_FATAL("ss_serve_forever() did not return within 3 s of stop_fd (stop_ms 300)");
    if (sl_now_ms() - t0 < 250)
        SL_FAIL("ss_serve_forever() returned %.0f ms after stop_fd with a request still "
                "running: wait for it up to stop_ms (300)", sl_now_ms() - t0);
    close(c);   /* the request ends now */
    if (cc_counter_wait_zero(&f.srv.active, 2000) < 0)
        SL_FAIL("srv.active stayed at %ld after the request ended", cc_counter_get(&f.srv.active));
    sl_sleep_ms(20);
    fw_end(&f);
    ss_server_close(&f.srv);
}
