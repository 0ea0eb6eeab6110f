/* Task 7: a thread pool (ss_pool_start, ss_process_pool, ss_pool_stop), in
 * the test's process: requests that block until the test lets them go. */
#include "fwutil.h"

SL_TASK(7, "A thread pool");

static int gate[2];

/* Waits for a byte of the gate (one per request), then ends. */
static int gated(ss_request_t *req)
{
    char b;

    (void)req;
    while (read(gate[0], &b, 1) < 0 && errno == EINTR)
        ;
    return 0;
}

static const ss_handler_t gated_handler = {NULL, gated, NULL};

typedef struct pusher { ss_server_t *srv; ss_request_t *req; int rc, done; pthread_mutex_t lock; int err; } pusher_t;

static void *push_one(void *arg)
{
    pusher_t *p = arg;
    int rc = ss_process_pool(p->srv, p->req), err = errno;

    pthread_mutex_lock(&p->lock);
    p->rc = rc;
    p->err = err;
    p->done = 1;
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static int pusher_done(pusher_t *p)
{
    int d;

    pthread_mutex_lock(&p->lock);
    d = p->done;
    pthread_mutex_unlock(&p->lock);
    return d;
}

static ss_request_t *new_request(ss_server_t *srv)
{
    ss_request_t *r = calloc(1, sizeof *r);

    r->server = srv;
    r->fd = socket(AF_INET, SOCK_STREAM, 0);   /* a socket of its own, closed at its end */
    return r;
}

SL_TEST_TIMEOUT(pool_queue_is_bounded_and_applies_back_pressure, 5, 8000,
                "ss_pool_start(): cc_queue_init(queue_cap) and `threads` threads that "
                "cc_queue_pop() and ss_run_request() until the queue closes. "
                "ss_process_pool(): cc_queue_push() with a timeout of 50 ms in a loop: while "
                "the queue is full, the acceptor waits there (back-pressure), never queues more.")
{
    ss_server_t srv;
    pusher_t p = {&srv, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER, 0};
    pthread_t t;
    int queued = 0;

    if (pipe(gate) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    SL_REQUIRE_OK(ss_server_init(&srv, "pool", SOCK_STREAM, SS_POOL, &gated_handler));
    srv.threads = 2;
    srv.queue_cap = 3;
    SL_REQUIRE_OK(ss_pool_start(&srv));
    for (int i = 0; i < 5; i++)
        if (ss_process_pool(&srv, new_request(&srv)) == 0)
            queued++;
    SL_CHECK_INT("requests taken by a pool of 2 threads and 3 slots", queued, 5);
    sl_sleep_ms(50);
    SL_CHECK_INT("cc_queue_len() with 2 requests running and 3 waiting", cc_queue_len(&srv.queue), 3);
    p.req = new_request(&srv);
    pthread_create(&t, NULL, push_one, &p);
    sl_sleep_ms(300);
    SL_HINT("With every thread busy and every slot full, ss_process_pool() waits for a slot: "
            "the server accepts nothing meanwhile, and the kernel's backlog holds the next "
            "clients. Returning at once means the request was dropped, or the queue grew.")
    {
        if (pusher_done(&p))
            SL_FAIL_FATAL("unbounded queue: ss_process_pool() took a 6th request at once (it "
                          "returned %d) into a pool of 2 busy threads and 3 full slots: it "
                          "must wait until a slot frees", p.rc);
    }
    if (write(gate[1], "x", 1) != 1)
        SL_FAIL_FATAL("test setup: write");
    for (int i = 0; i < 50 && !pusher_done(&p); i++)
        sl_sleep_ms(20);
    pthread_join(t, NULL);
    SL_CHECK_INT("ss_process_pool() once a request ended", p.rc, 0);
    if (write(gate[1], "xxxxx", 5) != 5)
        SL_FAIL_FATAL("test setup: write");
    SL_CHECK_INT("ss_pool_stop() once every request can end", ss_pool_stop(&srv, 2000), 0);
    SL_CHECK_INT("served after 6 requests", cc_counter_get(&srv.served), 6);
    if (srv.workers != NULL)
        SL_FAIL("after ss_pool_stop() joined the threads, srv.workers must be freed and NULL");
    close(gate[0]);
    close(gate[1]);
    ss_server_close(&srv);
}

SL_TEST_TIMEOUT(pool_stop_runs_what_waits_then_joins, 2, 8000,
                "ss_pool_stop(): cc_queue_close() (the threads still run what waits, then "
                "cc_queue_pop() fails and they end), cc_counter_wait_zero(&workers_left, "
                "timeout), then pthread_join() each and cc_queue_destroy().")
{
    ss_server_t srv;

    if (pipe(gate) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    SL_REQUIRE_OK(ss_server_init(&srv, "pool", SOCK_STREAM, SS_POOL, &gated_handler));
    srv.threads = 3;
    srv.queue_cap = 4;
    SL_REQUIRE_OK(ss_pool_start(&srv));
    SL_CHECK_INT("workers_left after ss_pool_start() of 3 threads", cc_counter_get(&srv.workers_left), 3);
    for (int i = 0; i < 6; i++)
        SL_REQUIRE_OK(ss_process_pool(&srv, new_request(&srv)));
    if (write(gate[1], "xxxxxx", 6) != 6)
        SL_FAIL_FATAL("test setup: write");
    SL_CHECK_INT("ss_pool_stop() with 6 requests that end", ss_pool_stop(&srv, 2000), 0);
    SL_CHECK_INT("served: the requests that waited ran too", cc_counter_get(&srv.served), 6);
    SL_CHECK_INT("workers_left after ss_pool_stop()", cc_counter_get(&srv.workers_left), 0);
    srv.threads = 0;
    SL_ASSERT_FAILS_WITH(ss_pool_start(&srv), EINVAL);
    close(gate[0]);
    close(gate[1]);
    ss_server_close(&srv);
}

SL_TEST_TIMEOUT(pool_gives_up_a_full_queue_once_stopping, 2, 6000,
                "ss_process_pool() waits for a slot in steps (cc_queue_push() with 50 ms), and "
                "between them looks at srv->stop_fd: once it is readable it ends the request "
                "and returns -1 with EPIPE. A push with timeout -1 waits for ever while every "
                "thread is busy, and the server never stops.")
{
    ss_server_t srv;
    pusher_t p = {&srv, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER, 0};
    pthread_t t;
    int stop[2];
    double t0;

    if (pipe(gate) < 0 || pipe(stop) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    SL_REQUIRE_OK(ss_server_init(&srv, "pool", SOCK_STREAM, SS_POOL, &gated_handler));
    srv.threads = 1;
    srv.queue_cap = 1;
    srv.stop_fd = stop[0];
    SL_REQUIRE_OK(ss_pool_start(&srv));
    SL_REQUIRE_OK(ss_process_pool(&srv, new_request(&srv)));   /* runs, held at the gate */
    sl_sleep_ms(30);
    SL_REQUIRE_OK(ss_process_pool(&srv, new_request(&srv)));   /* waits in the queue */
    p.req = new_request(&srv);
    pthread_create(&t, NULL, push_one, &p);
    sl_sleep_ms(100);
    if (write(stop[1], "x", 1) != 1)
        SL_FAIL_FATAL("test setup: write");
    t0 = sl_now_ms();
    while (!pusher_done(&p) && sl_now_ms() - t0 < sl_scaled_ms(1000))
        sl_sleep_ms(5);
    if (!pusher_done(&p))
        SL_FAIL_FATAL("ss_process_pool() on a full queue did not give up within 1 s of stop_fd "
                      "becoming readable: push with a timeout (50 ms) in a loop, and look at "
                      "stop_fd between the tries (a timeout of -1 waits for ever)");
    pthread_join(t, NULL);
    SL_CHECK_FAILS("ss_process_pool() on a full queue once stopping", p.rc, p.err, EPIPE);
    if (write(gate[1], "xx", 2) != 2)
        SL_FAIL_FATAL("test setup: write");
    SL_CHECK_INT("ss_pool_stop() once the two requests can end", ss_pool_stop(&srv, 2000), 0);
    SL_CHECK_INT("served: the two in the pool, not the one given up", cc_counter_get(&srv.served), 2);
    close(gate[0]);
    close(gate[1]);
    close(stop[0]);
    close(stop[1]);
    ss_server_close(&srv);
}
