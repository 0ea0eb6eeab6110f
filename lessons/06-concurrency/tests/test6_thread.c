/* Task 6: threading (ss_process_thread), in the test's process: a burst
 * of clients at once, each request in a thread of its own. */
#define _GNU_SOURCE   /* pthread_getattr_np() */
#include "fwutil.h"

#include <sys/resource.h>

SL_TASK(6, "Threading");

SL_LESSON_SANITIZER_HINT("use-after-free",
                         "A request used after it was freed: was it handed to its thread "
                         "through a variable (the address of a loop variable, a static slot) "
                         "that the next accept overwrote, so that two threads ran, and freed, "
                         "the same request? Pass each thread its own request pointer, and let "
                         "only that thread end it.");
SL_LESSON_SANITIZER_HINT("overflow",
                         "A read or write past a buffer in a request's thread: was the thread "
                         "handed &req (the address of ss_process_thread()'s own variable, a "
                         "pointer to a pointer) or &something of the acceptor, rather than req "
                         "itself? The thread then reads a request where there is none. Pass the "
                         "request's own pointer: pthread_create(&t, &attr, fn, req).");

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

/* What the request threads saw of their own attributes. */
static struct {
    pthread_mutex_t lock;
    int ran, joinable, failed;
    size_t stack;
} seen = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0};

static int look_at_myself(ss_request_t *req)
{
    pthread_attr_t a;
    int state = PTHREAD_CREATE_DETACHED;
    size_t stack = 0;
    int err = pthread_getattr_np(pthread_self(), &a);

    if (err == 0) {
        pthread_attr_getdetachstate(&a, &state);
        pthread_attr_getstacksize(&a, &stack);
        pthread_attr_destroy(&a);
    }
    pthread_mutex_lock(&seen.lock);
    seen.ran++;
    seen.failed += err != 0;
    seen.joinable += state == PTHREAD_CREATE_JOINABLE;
    if (stack > seen.stack)
        seen.stack = stack;
    pthread_mutex_unlock(&seen.lock);
    return hold(req);
}

static const ss_handler_t look_handler = {NULL, look_at_myself, NULL};

SL_TEST_TIMEOUT(thread_is_detached_with_a_small_stack, 2, 6000,
                "A thread per request is detached (pthread_attr_setdetachstate(&attr, "
                "PTHREAD_CREATE_DETACHED)): nobody joins it, and a joinable thread that nobody "
                "joins keeps its stack for ever. Its stack is SS_STACK_SIZE "
                "(pthread_attr_setstacksize()): the default is 8 MiB, and a hundred of those "
                "fill the address space.")
{
    fw_server_t f;
    int c[3];
    double end;

    fw_make(&f, SOCK_STREAM, SS_THREAD, &look_handler);
    for (int i = 0; i < 3; i++) {
        ss_request_t *req = calloc(1, sizeof *req);

        c[i] = cu_connect(f.port);
        sl_sleep_ms(10);
        req->server = &f.srv;
        req->fd = accept(f.srv.fd, NULL, NULL);
        SL_CHECK_INT("ss_process_thread()", ss_process_thread(&f.srv, req), 0);
    }
    for (int i = 0; i < 3; i++)
        close(c[i]);
    end = sl_now_ms() + sl_scaled_ms(2000);
    while (cc_counter_get(&f.srv.active) > 0 && sl_now_ms() < end)
        sl_sleep_ms(5);
    pthread_mutex_lock(&seen.lock);
    if (seen.ran < 3)
        SL_FAIL("3 requests handed to ss_process_thread(): %d ran", seen.ran);
    if (seen.joinable > 0)
        SL_FAIL("threads neither detached nor joined: %d of %d request threads were joinable, "
                "and nobody joins them: each keeps its stack after it ends (a leak per "
                "client). Create them with PTHREAD_CREATE_DETACHED", seen.joinable, seen.ran);
    /* ThreadSanitizer adds its own room to a thread's stack (about 1 MiB in
     * all for SS_STACK_SIZE): the default, 8 MiB, is far above either */
    if (seen.stack >= (size_t)8 * SS_STACK_SIZE)
        SL_FAIL("no pthread_attr_setstacksize(): a request thread has a stack of %zu KiB (the "
                "default?); give it SS_STACK_SIZE (%d KiB)", seen.stack / 1024,
                SS_STACK_SIZE / 1024);
    pthread_mutex_unlock(&seen.lock);
    fw_end(&f);
    ss_server_close(&f.srv);
}

SL_TEST_TIMEOUT(thread_create_failure_ends_the_request, 2, 6000,
                "pthread_create() can fail (EAGAIN: no more threads for this user; the test sets "
                "RLIMIT_NPROC to 1): ss_process_thread() then returns -1 with its error, takes "
                "back the 1 it added to srv->active, and ends the request (its socket closed).")
{
    fw_server_t f;
    ss_request_t *req = calloc(1, sizeof *req);
    struct rlimit old, one;
    char b;
    int c, rc, err;

    if (getuid() == 0) {
        sl_note("the test runs as root, whom RLIMIT_NPROC does not bind: nothing to check");
        free(req);
        return;
    }
    fw_make(&f, SOCK_STREAM, SS_THREAD, &hold_handler);
    c = cu_connect(f.port);
    sl_sleep_ms(10);
    req->server = &f.srv;
    req->fd = accept(f.srv.fd, NULL, NULL);
    getrlimit(RLIMIT_NPROC, &old);
    one = old;
    one.rlim_cur = 1;
    if (setrlimit(RLIMIT_NPROC, &one) < 0)
        SL_FAIL_FATAL("test setup: setrlimit(RLIMIT_NPROC): %s", strerror(errno));
    errno = 0;
    rc = ss_process_thread(&f.srv, req);
    err = errno;
    setrlimit(RLIMIT_NPROC, &old);
    if (rc == 0)
        SL_FAIL_FATAL("pthread_create()'s error ignored: with RLIMIT_NPROC at 1 no thread can "
                      "start, yet ss_process_thread() returned 0: check what pthread_create() "
                      "returns (an errno value: it does not set errno)");
    CU_CHECK_ERRNO("errno after ss_process_thread() whose pthread_create() failed", err, EAGAIN);
    SL_CHECK_INT("srv.active after a pthread_create() that failed", cc_counter_get(&f.srv.active), 0);
    cu_timeout(c, 1000);
    if (recv(c, &b, 1, 0) < 0)
        SL_FAIL("the request whose thread could not start was not ended: its client's "
                "connection stayed open");
    close(c);
    fw_end(&f);
    ss_server_close(&f.srv);
}
