/* framework.c - lesson 06, reference solution: a small server framework
 * after Python's socketserver. One handler (setup, handle, finish); a
 * server that gets each request, verifies it and runs it serially, in a
 * child, in a thread of its own or in a pool, over streams or datagrams;
 * and a graceful stop. concurrency.h is the contract. */
#include "concurrency.h"
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- Task 4: the framework -------------------------------------------------- */

int ss_server_init(ss_server_t *srv, const char *name, int type, ss_mode_t mode,
                   const ss_handler_t *h)
{
    if (srv == NULL || name == NULL || h == NULL || h->handle == NULL ||
        (type != SOCK_STREAM && type != SOCK_DGRAM) || mode < SS_SERIAL || mode > SS_POOL) {
        errno = EINVAL;
        return -1;
    }
    memset(srv, 0, sizeof *srv);
    srv->name = name;
    srv->type = type;
    srv->mode = mode;
    srv->fd = srv->stop_fd = -1;
    srv->handler = h;
    srv->stop_ms = 1000;
    srv->threads = 4;
    srv->queue_cap = 16;
    if (cc_counter_init(&srv->active) < 0)
        return -1;
    if (cc_counter_init(&srv->served) < 0) {
        cc_counter_destroy(&srv->active);
        return -1;
    }
    if (cc_counter_init(&srv->workers_left) < 0) {
        cc_counter_destroy(&srv->served);
        cc_counter_destroy(&srv->active);
        return -1;
    }
    return 0;
}

void ss_server_close(ss_server_t *srv)
{
    cc_counter_destroy(&srv->workers_left);
    cc_counter_destroy(&srv->served);
    cc_counter_destroy(&srv->active);
}

int ss_finish_request(ss_server_t *srv, ss_request_t *req)
{
    const ss_handler_t *h = srv->handler;
    int rc, err;

    if (h->setup != NULL && h->setup(req) < 0)
        return -1;   /* nothing to finish: setup() took nothing */
    rc = h->handle(req);
    err = errno;
    if (h->finish != NULL)
        h->finish(req);
    errno = err;
    return rc < 0 ? -1 : 0;
}

/* Ends a request without serving it (or after): its socket closed if it
 * has its own, its memory freed. */
static void end_request(ss_server_t *srv, ss_request_t *req)
{
    if (srv->type == SOCK_STREAM && req->fd >= 0)
        close(req->fd);
    free(req->data);
    free(req);
}

int ss_run_request(ss_server_t *srv, ss_request_t *req)
{
    int rc = ss_finish_request(srv, req);

    if (rc < 0) {
        int err = errno;

        if (srv->handle_error != NULL)
            srv->handle_error(srv, req, err);
        else
            srv_default_error(srv, req, err);
    }
    end_request(srv, req);
    cc_counter_add(&srv->served, 1);
    return rc;
}

int ss_send(ss_request_t *req, const void *buf, size_t len)
{
    const char *p = buf;

    if (req->server->type == SOCK_DGRAM) {
        ssize_t n;

        do
            n = sendto(req->fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&req->peer,
                       req->peerlen);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -1 : 0;
    }
    while (len > 0) {
        ssize_t n = send(req->fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The next connection, as a new request, or NULL with errno. */
static ss_request_t *get_connection(ss_server_t *srv)
{
    ss_request_t *req = calloc(1, sizeof *req);
    int err;

    if (req == NULL)
        return NULL;
    req->server = srv;
    req->peerlen = sizeof req->peer;
    req->fd = cc_accept(srv->fd, (struct sockaddr *)&req->peer, &req->peerlen);
    if (req->fd < 0) {
        err = errno;
        free(req);
        errno = err;
        return NULL;
    }
    return req;
}

int ss_handle_request(ss_server_t *srv)
{
    ss_request_t *req = srv->type == SOCK_DGRAM ? ss_get_datagram(srv) : get_connection(srv);

    if (req == NULL)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    srv_format_addr((struct sockaddr *)&req->peer, req->peerlen, req->peer_text,
                    sizeof req->peer_text);
    if (srv->verify_request != NULL && !srv->verify_request(srv, req)) {
        end_request(srv, req);   /* refused: closed at once, the server goes on */
        return 0;
    }
    return ss_process_request(srv, req);
}

int ss_process_request(ss_server_t *srv, ss_request_t *req)
{
    switch (srv->mode) {
    case SS_FORK:
        return ss_process_fork(srv, req);
    case SS_THREAD:
        return ss_process_thread(srv, req);
    case SS_POOL:
        return ss_process_pool(srv, req);
    default:
        ss_run_request(srv, req);
        return 0;
    }
}

/* Has srv->stop_fd become readable? Looks without waiting. */
static int stopping(const ss_server_t *srv)
{
    struct pollfd p = {srv->stop_fd, POLLIN, 0};

    return srv->stop_fd >= 0 && poll(&p, 1, 0) > 0;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* SS_FORK: waits up to ms for every child started to have been reaped. */
static void wait_children(const ss_server_t *srv, int ms)
{
    double end = now_ms() + ms;
    struct timespec step = {0, 10 * 1000000L};

    while (srv->forked > cc_reaped() && now_ms() < end)
        nanosleep(&step, NULL);   /* a SIGCHLD cuts it short: fine */
}

/* Waits for the requests still running, as the mode keeps them. */
static void wait_for_requests(ss_server_t *srv)
{
    if (srv->mode == SS_FORK)
        wait_children(srv, srv->stop_ms);
    else if (srv->mode == SS_THREAD)
        cc_counter_wait_zero(&srv->active, srv->stop_ms);
    else if (srv->mode == SS_POOL)
        ss_pool_stop(srv, srv->stop_ms);
}

/* After a failure to get a request (out of descriptors, of memory): a
 * pause, rather than a loop that spins on a listener that stays readable. */
static void pause_after_failure(const ss_server_t *srv)
{
    struct pollfd p = {srv->stop_fd, POLLIN, 0};

    poll(&p, srv->stop_fd >= 0 ? 1 : 0, 10);
}

int ss_serve_forever(ss_server_t *srv)
{
    struct pollfd p[2] = {{srv->fd, POLLIN, 0}, {srv->stop_fd, POLLIN, 0}};
    nfds_t n = srv->stop_fd >= 0 ? 2 : 1;
    int rc = 0;

    if (srv->mode == SS_POOL && srv->workers == NULL && ss_pool_start(srv) < 0)
        return -1;
    for (;;) {
        if (poll(p, n, -1) < 0) {
            if (errno == EINTR)
                continue;   /* SIGCHLD, say: look again */
            rc = -1;
            break;
        }
        if (n == 2 && p[1].revents != 0)
            break;
        if (p[0].revents != 0 && ss_handle_request(srv) < 0)
            pause_after_failure(srv);
    }
    {
        int err = errno;

        wait_for_requests(srv);
        errno = err;
    }
    return rc;
}

/* ---- Task 5: forking ---------------------------------------------------------- */

/* Back to the default action: what a handler of the parent's would do in
 * the child (write to the parent's stop pipe, count the parent's children)
 * is wrong there. sigaction() and sigemptyset() are async-signal-safe. */
static void default_action(int sig)
{
    struct sigaction sa = {.sa_handler = SIG_DFL};

    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* The child: serves the one request and ends; never returns. Its signals
 * come blocked (see ss_process_fork()) until they are back to their
 * default, with the mask the parent had. */
static _Noreturn void child(ss_server_t *srv, ss_request_t *req, const sigset_t *mask)
{
    default_action(SIGTERM);
    default_action(SIGINT);
    default_action(SIGCHLD);
    if (srv->stop_fd >= 0)
        close(srv->stop_fd);   /* the parent's to watch */
    pthread_sigmask(SIG_SETMASK, mask, NULL);
    if (srv->type == SOCK_STREAM)
        close(srv->fd);   /* the listener is the parent's: the child serves one client */
    _exit(ss_run_request(srv, req) == 0 ? 0 : 1);
}

int ss_process_fork(ss_server_t *srv, ss_request_t *req)
{
    sigset_t block, old;
    pid_t pid;
    int err;

    /* Blocked from before fork() until the child has reset its handlers:
     * a SIGTERM or a Ctrl-C (which signals the whole process group) in
     * between would run the parent's handler in the child. */
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pid = fork();
    if (pid == 0)
        child(srv, req, &old);
    err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        end_request(srv, req);
        errno = err;
        return -1;
    }
    srv->forked++;
    cc_counter_add(&srv->served, 1);
    end_request(srv, req);   /* the parent's copy: the connection is the child's now */
    return 0;
}

/* ---- Task 6: threading --------------------------------------------------------- */

static void *request_thread(void *arg)
{
    ss_request_t *req = arg;   /* this thread's own request */
    ss_server_t *srv = req->server;

    ss_run_request(srv, req);
    cc_counter_add(&srv->active, -1);
    return NULL;
}

/* Attributes of the framework's threads: a small stack, detached or not. */
static int thread_attr(pthread_attr_t *a, int detached)
{
    int err = pthread_attr_init(a);

    if (err == 0)
        err = pthread_attr_setstacksize(a, SS_STACK_SIZE);
    if (err == 0 && detached)
        err = pthread_attr_setdetachstate(a, PTHREAD_CREATE_DETACHED);
    return err;
}

int ss_process_thread(ss_server_t *srv, ss_request_t *req)
{
    pthread_attr_t a;
    pthread_t t;
    int err = thread_attr(&a, 1);

    cc_counter_add(&srv->active, 1);
    if (err == 0) {
        err = pthread_create(&t, &a, request_thread, req);   /* req: on the heap, its own */
        pthread_attr_destroy(&a);
    }
    if (err != 0) {
        cc_counter_add(&srv->active, -1);
        end_request(srv, req);
        errno = err;
        return -1;
    }
    return 0;
}

/* ---- Task 7: a thread pool -------------------------------------------------------- */

static void *pool_thread(void *arg)
{
    ss_server_t *srv = arg;
    void *req;

    while (cc_queue_pop(&srv->queue, &req) == 0)
        ss_run_request(srv, req);
    cc_counter_add(&srv->workers_left, -1);
    return NULL;
}

/* Stops the first n threads of the pool and frees it (a start that failed). */
static void pool_abandon(ss_server_t *srv, size_t n)
{
    cc_queue_close(&srv->queue);
    for (size_t i = 0; i < n; i++)
        pthread_join(srv->workers[i], NULL);
    free(srv->workers);
    srv->workers = NULL;
    cc_queue_destroy(&srv->queue);
}

int ss_pool_start(ss_server_t *srv)
{
    pthread_attr_t a;
    int err = 0;

    if (srv->threads == 0 || srv->queue_cap == 0) {
        errno = EINVAL;
        return -1;
    }
    if (cc_queue_init(&srv->queue, srv->queue_cap) < 0)
        return -1;
    srv->workers = calloc(srv->threads, sizeof *srv->workers);
    if (srv->workers == NULL || (err = thread_attr(&a, 0)) != 0) {
        err = srv->workers == NULL ? ENOMEM : err;
        pool_abandon(srv, 0);
        errno = err;
        return -1;
    }
    for (size_t i = 0; i < srv->threads; i++) {
        cc_counter_add(&srv->workers_left, 1);
        if ((err = pthread_create(&srv->workers[i], &a, pool_thread, srv)) != 0) {
            cc_counter_add(&srv->workers_left, -1);
            pthread_attr_destroy(&a);
            pool_abandon(srv, i);
            errno = err;
            return -1;
        }
    }
    pthread_attr_destroy(&a);
    return 0;
}

int ss_process_pool(ss_server_t *srv, ss_request_t *req)
{
    int err;

    for (;;) {
        if (cc_queue_push(&srv->queue, req, 50) == 0)
            return 0;
        err = errno;
        if (err != ETIMEDOUT)
            break;
        if (stopping(srv)) {   /* full, and the server is to stop: give up */
            err = EPIPE;
            break;
        }
    }
    end_request(srv, req);
    errno = err;
    return -1;
}

int ss_pool_stop(ss_server_t *srv, int timeout_ms)
{
    if (srv->workers == NULL)
        return 0;
    cc_queue_close(&srv->queue);
    if (cc_counter_wait_zero(&srv->workers_left, timeout_ms) < 0) {
        for (size_t i = 0; i < srv->threads; i++)
            pthread_detach(srv->workers[i]);   /* they end with the process */
        errno = ETIMEDOUT;
        return -1;
    }
    pool_abandon(srv, srv->threads);
    return 0;
}

/* ---- Task 8: datagrams -------------------------------------------------------------- */

ss_request_t *ss_get_datagram(ss_server_t *srv)
{
    static _Thread_local unsigned char buf[SS_DGRAM_MAX];
    ss_request_t *req = calloc(1, sizeof *req);
    ssize_t n;
    int err;

    if (req == NULL)
        return NULL;
    req->server = srv;
    req->fd = srv->fd;
    do {
        req->peerlen = sizeof req->peer;
        n = recvfrom(srv->fd, buf, sizeof buf, 0, (struct sockaddr *)&req->peer, &req->peerlen);
    } while (n < 0 && errno == EINTR);
    if (n < 0 || (req->data = malloc(n > 0 ? (size_t)n : 1)) == NULL) {
        err = errno;
        free(req);
        errno = err;
        return NULL;
    }
    memcpy(req->data, buf, (size_t)n);
    req->len = (size_t)n;
    return req;
}
