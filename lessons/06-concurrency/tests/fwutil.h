/* fwutil.h - the library tests of the framework (Tasks 4 to 8): a server
 * of the test's own, its socket and stop pipe made with plain system
 * calls, run by ss_serve_forever() in a thread of the test, with handlers
 * that record what the framework called. */
#ifndef FWUTIL_H
#define FWUTIL_H

#include "ccutil.h"

/* What the recording handler saw; guarded by its own mutex. */
typedef struct fw_record {
    pthread_mutex_t lock;
    int setups, handles, finishes, errors, last_err;
    char last_peer[SS_ADDRSTRLEN];
} fw_record_t;

static fw_record_t fw_rec = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, ""};

static inline void fw_count(int *what)
{
    pthread_mutex_lock(&fw_rec.lock);
    (*what)++;
    pthread_mutex_unlock(&fw_rec.lock);
}

static inline int fw_get(const int *what)
{
    int v;

    pthread_mutex_lock(&fw_rec.lock);
    v = *what;
    pthread_mutex_unlock(&fw_rec.lock);
    return v;
}

/* A server of the test: srv on a listener of 127.0.0.1 (or a UDP socket),
 * a stop pipe, and the thread that runs ss_serve_forever(). */
typedef struct fw_server {
    ss_server_t srv;
    int stop[2];
    int done[2];   /* fw_serve() writes a byte once ss_serve_forever() has returned */
    int port;
    pthread_t thread;
    int rc, err, running;
} fw_server_t;

static inline void *fw_serve(void *arg)
{
    fw_server_t *f = arg;

    f->rc = ss_serve_forever(&f->srv);
    f->err = errno;
    if (write(f->done[1], "d", 1) < 0)
        f->err = errno;
    return NULL;
}

/* A UDP socket on 127.0.0.1, non-blocking: *port. */
static inline int fw_udp_socket(int *port)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
        SL_FAIL_FATAL("test setup: cannot bind a UDP socket: %s", strerror(errno));
    *port = ntohs(sin.sin_port);
    return fd;
}

/* Makes the server (ss_server_init()), its socket and stop pipe. */
static inline void fw_make(fw_server_t *f, int type, ss_mode_t mode, const ss_handler_t *h)
{
    memset(f, 0, sizeof *f);
    SL_REQUIRE_OK(ss_server_init(&f->srv, "test-server", type, mode, h));
    f->srv.fd = type == SOCK_STREAM ? cu_listener(&f->port, 1) : fw_udp_socket(&f->port);
    if (pipe(f->stop) < 0 || pipe(f->done) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    f->srv.stop_fd = f->stop[0];
    f->srv.stop_ms = 1000;
}

/* Runs ss_serve_forever() in a thread. */
static inline void fw_run(fw_server_t *f)
{
    pthread_attr_t a;

    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 1 << 20);
    if (pthread_create(&f->thread, &a, fw_serve, f) != 0)
        SL_FAIL_FATAL("test setup: pthread_create failed");
    pthread_attr_destroy(&a);
    f->running = 1;
}

/* Asks the server to stop and waits (up to ms) for ss_serve_forever() to
 * return: 0, or -1 if it did not. */
static inline int fw_stop(fw_server_t *f, int ms)
{
    struct pollfd p = {f->done[0], POLLIN, 0};

    if (write(f->stop[1], "x", 1) < 0)
        SL_FAIL_FATAL("test setup: write: %s", strerror(errno));
    if (poll(&p, 1, sl_scaled_ms(ms)) <= 0)
        return -1;
    pthread_join(f->thread, NULL);
    f->running = 0;
    return 0;
}

/* Stops it (the test ends if ss_serve_forever() does not return) and frees. */
static inline void fw_end(fw_server_t *f)
{
    if (f->running && fw_stop(f, 3000) < 0)
        SL_FAIL_FATAL("ss_serve_forever() did not return within 3 s of stop_fd becoming readable: "
                      "poll() srv->stop_fd beside srv->fd, leave the loop when it is readable");
    close(f->srv.fd);
    close(f->stop[0]);
    close(f->stop[1]);
    close(f->done[0]);
    close(f->done[1]);
}

/* Sends text on a new connection to port, half-closes, reads to EOF into
 * got (cap bytes): how many came; *eof whether the end came. */
static inline size_t fw_exchange(int port, const char *text, char *got, size_t cap, int ms, int *eof)
{
    int fd = cu_connect(port);
    size_t n;

    if (text != NULL && *text != '\0')
        send(fd, text, strlen(text), MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    n = cu_read_all(fd, got, cap, ms, eof);
    close(fd);
    return n;
}

#endif
