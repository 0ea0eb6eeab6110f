/* Task 4: the framework (ss_server_init, ss_server_close,
 * ss_finish_request, ss_run_request, ss_send, ss_handle_request,
 * ss_process_request, ss_serve_forever), serially, in the test's process:
 * a server of the test runs in a thread of it, with handlers that record
 * what the framework called. */
#include "fwutil.h"

SL_TASK(4, "The framework");

/* ---- a handler that records, and fails when asked ---------------------------- */

static int rec_setup(ss_request_t *req)
{
    fw_count(&fw_rec.setups);
    req->user = malloc(64);
    return req->user == NULL ? -1 : 0;
}

/* Echoes; fails with EPROTO on "fail", with ENOTSUP for "setup fails"
 * (see failing_setup). */
static int rec_handle(ss_request_t *req)
{
    char buf[256];
    ssize_t n;

    fw_count(&fw_rec.handles);
    for (;;) {
        n = recv(req->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (int)n;
        if (n >= 4 && memcmp(buf, "fail", 4) == 0) {
            errno = EPROTO;
            return -1;
        }
        if (ss_send(req, buf, (size_t)n) < 0)
            return -1;
    }
}

static void rec_finish(ss_request_t *req)
{
    fw_count(&fw_rec.finishes);
    free(req->user);
    req->user = NULL;
}

static void rec_error(ss_server_t *srv, const ss_request_t *req, int err)
{
    (void)srv;
    pthread_mutex_lock(&fw_rec.lock);
    fw_rec.errors++;
    fw_rec.last_err = err;
    snprintf(fw_rec.last_peer, sizeof fw_rec.last_peer, "%s", req->peer_text);
    pthread_mutex_unlock(&fw_rec.lock);
    send(req->fd, "error\n", 6, MSG_NOSIGNAL);   /* the socket is still open */
}

static const ss_handler_t rec_handler = {rec_setup, rec_handle, rec_finish};

static int failing_setup(ss_request_t *req)
{
    (void)req;
    fw_count(&fw_rec.setups);
    errno = ENOTSUP;
    return -1;
}

static const ss_handler_t setup_fails = {failing_setup, rec_handle, rec_finish};
static const ss_handler_t handle_only = {NULL, rec_handle, NULL};

SL_TEST(server_init_sets_the_defaults, 1,
        "ss_server_init(): memset the server to 0, then name, type, mode, handler, fd and "
        "stop_fd -1, stop_ms 1000, threads 4, queue_cap 16, and cc_counter_init() of active, "
        "served and workers_left. A bad type or mode, or a handler with no handle(): EINVAL.")
{
    ss_server_t srv;
    static const ss_handler_t none = {NULL, NULL, NULL};

    memset(&srv, 0x5a, sizeof srv);
    SL_REQUIRE_OK(ss_server_init(&srv, "x", SOCK_STREAM, SS_THREAD, &rec_handler));
    SL_CHECK_INT("fd after ss_server_init()", srv.fd, -1);
    SL_CHECK_INT("stop_fd after ss_server_init()", srv.stop_fd, -1);
    SL_CHECK_INT("stop_ms after ss_server_init()", srv.stop_ms, 1000);
    SL_CHECK_INT("threads after ss_server_init()", srv.threads, 4);
    SL_CHECK_INT("queue_cap after ss_server_init()", srv.queue_cap, 16);
    SL_CHECK_INT("mode after ss_server_init()", srv.mode, SS_THREAD);
    if (srv.verify_request != NULL || srv.handle_error != NULL || srv.workers != NULL)
        SL_FAIL("after ss_server_init(), verify_request, handle_error and workers must be NULL");
    SL_CHECK_INT("cc_counter_get(&srv.served) after ss_server_init()", cc_counter_get(&srv.served), 0);
    ss_server_close(&srv);
    SL_ASSERT_FAILS_WITH(ss_server_init(&srv, "x", SOCK_RAW, SS_SERIAL, &rec_handler), EINVAL);
    SL_ASSERT_FAILS_WITH(ss_server_init(&srv, "x", SOCK_STREAM, (ss_mode_t)9, &rec_handler), EINVAL);
    SL_ASSERT_FAILS_WITH(ss_server_init(&srv, "x", SOCK_STREAM, SS_SERIAL, &none), EINVAL);
    SL_ASSERT_FAILS_WITH(ss_server_init(&srv, "x", SOCK_STREAM, SS_SERIAL, NULL), EINVAL);
}

SL_TEST(finish_request_calls_setup_handle_finish, 3,
        "ss_finish_request(): setup() (when there is one; if it fails, stop: no handle(), no "
        "finish()), then handle(), then finish() whatever handle() returned (it frees what "
        "setup() took), and return -1 with handle()'s errno, kept across finish().")
{
    ss_server_t srv;
    ss_request_t req;
    int sv[2];

    SL_REQUIRE_OK(ss_server_init(&srv, "x", SOCK_STREAM, SS_SERIAL, &rec_handler));
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        SL_FAIL_FATAL("test setup: socketpair: %s", strerror(errno));
    memset(&req, 0, sizeof req);
    req.server = &srv;
    req.fd = sv[0];
    send(sv[1], "fail", 4, 0);
    errno = 0;
    SL_CHECK_INT("ss_finish_request() whose handle() fails", ss_finish_request(&srv, &req), -1);
    SL_CHECK_INT("errno after it (handle() failed with EPROTO)", errno, EPROTO);
    SL_CHECK_INT("setup() calls", fw_get(&fw_rec.setups), 1);
    SL_CHECK_INT("handle() calls", fw_get(&fw_rec.handles), 1);
    SL_HINT("finish() runs after handle() even when handle() failed: it frees what setup() took.")
    {
        SL_CHECK_INT("finish() calls after a handle() that failed", fw_get(&fw_rec.finishes), 1);
    }
    srv.handler = &setup_fails;
    errno = 0;
    SL_CHECK_INT("ss_finish_request() whose setup() fails", ss_finish_request(&srv, &req), -1);
    SL_CHECK_INT("errno after it (setup() failed with ENOTSUP)", errno, ENOTSUP);
    SL_HINT("When setup() fails there is nothing to finish: neither handle() nor finish() runs.")
    {
        SL_CHECK_INT("handle() calls after a setup() that failed", fw_get(&fw_rec.handles), 1);
        SL_CHECK_INT("finish() calls after a setup() that failed", fw_get(&fw_rec.finishes), 1);
    }
    srv.handler = &handle_only;
    send(sv[1], "hi", 2, 0);
    shutdown(sv[1], SHUT_WR);
    SL_CHECK_INT("ss_finish_request() of a handler with handle() alone", ss_finish_request(&srv, &req), 0);
    close(sv[0]);
    close(sv[1]);
    ss_server_close(&srv);
}

SL_TEST_TIMEOUT(serial_server_serves_one_after_another, 3, 6000,
                "ss_serve_forever(): poll() srv->fd and srv->stop_fd; srv->fd readable: "
                "ss_handle_request(): cc_accept() into a request on the heap, "
                "srv_format_addr() into peer_text, ss_process_request() (SS_SERIAL: "
                "ss_run_request() here), which closes the connection and frees the request.")
{
    fw_server_t f;
    char got[256];
    int eof;
    size_t n;

    fw_make(&f, SOCK_STREAM, SS_SERIAL, &rec_handler);
    fw_run(&f);
    for (int i = 0; i < 5; i++) {
        char text[32];

        snprintf(text, sizeof text, "request %d\n", i);
        n = fw_exchange(f.port, text, got, sizeof got, 2000, &eof);
        if (n != strlen(text) || memcmp(got, text, n) != 0 || !eof)
            SL_FAIL_FATAL("client %d sent %s and got %s%s: each connection is a request, run "
                          "to its end, then closed", i, sl_bytes(text, strlen(text)),
                          sl_bytes(got, n), eof ? ", then the end" : " and no end of the stream");
    }
    if (fw_stop(&f, 2500) < 0)
        SL_FAIL_FATAL("ss_serve_forever() did not return once stop_fd was readable");
    SL_CHECK_INT("cc_counter_get(&srv.served) after 5 requests", cc_counter_get(&f.srv.served), 5);
    SL_CHECK_INT("setup() calls", fw_get(&fw_rec.setups), 5);
    SL_CHECK_INT("finish() calls", fw_get(&fw_rec.finishes), 5);
    SL_CHECK_INT("ss_serve_forever()'s return once asked to stop", f.rc, 0);
    fw_end(&f);
    ss_server_close(&f.srv);
}

/* Refuses every other request: the 1st, 3rd, ... */
static int every_other(ss_server_t *srv, const ss_request_t *req)
{
    static int calls;

    (void)srv;
    if (strncmp(req->peer_text, "127.0.0.1:", 10) != 0)
        return 1;   /* peer_text not set: served, and the test says so */
    return calls++ % 2 == 1;
}

SL_TEST_TIMEOUT(verify_request_refuses_a_peer_and_goes_on, 3, 6000,
                "Before a request is processed, ask srv->verify_request(srv, req) (when not "
                "NULL): 0 drops it (its connection closed at once, no setup(), no handle()), "
                "and the server goes on to the next. peer_text is set before it is asked.")
{
    fw_server_t f;
    char got[64];
    int eof;
    size_t n;

    fw_make(&f, SOCK_STREAM, SS_SERIAL, &rec_handler);
    f.srv.verify_request = every_other;
    fw_run(&f);
    for (int i = 0; i < 4; i++) {
        n = fw_exchange(f.port, "hello\n", got, sizeof got, 2000, &eof);
        if (i % 2 == 0 && (n != 0 || !eof))
            SL_FAIL_FATAL("verify_request() refused client %d, which then got %s%s: a refused "
                          "request is closed at once, never handled", i + 1, sl_bytes(got, n),
                          eof ? " and the end" : " and no end of the stream within 2 s");
        if (i % 2 == 1 && (n != 6 || eof != 1))
            SL_FAIL_FATAL("after a refused client, client %d got %s%s: the server goes on",
                          i + 1, sl_bytes(got, n), eof ? " and the end" : "");
    }
    fw_end(&f);
    SL_CHECK_INT("handle() calls for 2 served and 2 refused", fw_get(&fw_rec.handles), 2);
    SL_CHECK_INT("served after 2 served and 2 refused", cc_counter_get(&f.srv.served), 2);
    ss_server_close(&f.srv);
}

SL_TEST_TIMEOUT(handle_error_is_called_and_the_server_goes_on, 3, 6000,
                "ss_run_request(): when ss_finish_request() fails, call srv->handle_error(srv, "
                "req, errno) (srv_default_error() when NULL) before the connection closes, then "
                "end the request as always: one request that fails never stops the server.")
{
    fw_server_t f;
    char got[64];
    int eof;
    size_t n;

    fw_make(&f, SOCK_STREAM, SS_SERIAL, &rec_handler);
    f.srv.handle_error = rec_error;
    fw_run(&f);
    n = fw_exchange(f.port, "fail now", got, sizeof got, 2000, &eof);
    SL_CHECK_BYTES("what a client whose handle() failed got (handle_error() sends \"error\\n\")",
                   got, n, "error\n", 6);
    SL_CHECK_INT("handle_error() calls", fw_get(&fw_rec.errors), 1);
    SL_CHECK_INT("handle_error()'s err (handle() failed with EPROTO)", fw_rec.last_err, EPROTO);
    if (strncmp(fw_rec.last_peer, "127.0.0.1:", 10) != 0)
        SL_FAIL("handle_error() got req->peer_text %s: expected \"127.0.0.1:PORT\" "
                "(srv_format_addr() of req->peer)", sl_bytes(fw_rec.last_peer, strlen(fw_rec.last_peer)));
    SL_CHECK_INT("finish() calls after the failed handle()", fw_get(&fw_rec.finishes), 1);
    n = fw_exchange(f.port, "after\n", got, sizeof got, 2000, &eof);
    SL_CHECK_BYTES("the echo of the next client", got, n, "after\n", 6);
    fw_end(&f);
    ss_server_close(&f.srv);
}

SL_TEST_TIMEOUT(handle_request_runs_one_request, 2, 6000,
                "ss_handle_request() gets one request (cc_accept()), and in SS_SERIAL "
                "ss_process_request() runs it at once with ss_run_request(), which closes the "
                "connection and frees the request: call them in that order.")
{
    fw_server_t f;
    ss_request_t *req;
    char got[64];
    int c, eof;
    size_t n;

    fw_make(&f, SOCK_STREAM, SS_SERIAL, &rec_handler);
    SL_CHECK_INT("ss_handle_request() with no client waiting (EAGAIN is no error)",
                 ss_handle_request(&f.srv), 0);
    c = cu_connect(f.port);
    send(c, "by hand\n", 8, MSG_NOSIGNAL);
    shutdown(c, SHUT_WR);
    sl_sleep_ms(20);
    SL_CHECK_INT("ss_handle_request() with a client waiting", ss_handle_request(&f.srv), 0);
    n = cu_read_all(c, got, sizeof got, 2000, &eof);
    SL_CHECK_BYTES("the echo", got, n, "by hand\n", 8);
    SL_CHECK_INT("the end of the stream after it (1)", eof, 1);
    close(c);
    for (int i = 0; i < 2; i++) {
        c = cu_connect(f.port);
        send(c, "fail", 4, MSG_NOSIGNAL);
        shutdown(c, SHUT_WR);
        req = calloc(1, sizeof *req);
        req->server = &f.srv;
        req->fd = accept(f.srv.fd, NULL, NULL);
        f.srv.handle_error = rec_error;
        if (i == 0)
            SL_CHECK_INT("ss_process_request() in SS_SERIAL", ss_process_request(&f.srv, req), 0);
        else
            SL_CHECK_INT("ss_run_request() of a request whose handle() fails",
                         ss_run_request(&f.srv, req), -1);
        n = cu_read_all(c, got, sizeof got, 2000, &eof);
        SL_CHECK_BYTES("what the client got (handle_error() says \"error\\n\")", got, n, "error\n", 6);
        close(c);
    }
    SL_CHECK_INT("served after 3 requests", cc_counter_get(&f.srv.served), 3);
    close(f.srv.fd);
    ss_server_close(&f.srv);
}
