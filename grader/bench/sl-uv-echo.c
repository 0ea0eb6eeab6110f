/* sl-uv-echo.c - an echo server on libuv, as its users write one, for
 * make bench to set beside the lesson 07 reactor.
 *
 *   sl-uv-echo [-b ADDR] [-p PORT]
 *
 * The listening socket of bench_srv.c handed to uv_tcp_open(); each
 * client a uv_tcp_t. Reads land in one buffer reused for every read (a
 * 64 KiB malloc per read, as libuv's own example does, makes glibc shrink
 * and regrow its heap all the time, and costs about a third); the echo
 * goes out at once with uv_try_write(), and only what the socket does not
 * take is copied into a uv_write() request. While a client has such a
 * request pending it is not read (back-pressure). SIGTERM or SIGINT
 * (uv_signal_t): exit 0. */
#define _GNU_SOURCE
#include "bench_srv.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define NAME "sl-uv-echo"
#define READ_SIZE (64u << 10)

static char uv_read_buf[READ_SIZE];

/* A write of what uv_try_write() left, and its bytes. */
typedef struct ue_write {
    uv_write_t req;
    uv_buf_t buf;
    char data[];
} ue_write_t;

static void ue_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h;
    (void)hint;
    *buf = uv_buf_init(uv_read_buf, sizeof uv_read_buf);
}

static void ue_closed(uv_handle_t *h)
{
    free(h);
}

static void ue_close(uv_stream_t *client)
{
    if (!uv_is_closing((uv_handle_t *)client))
        uv_close((uv_handle_t *)client, ue_closed);
}

static void ue_read(uv_stream_t *client, ssize_t n, const uv_buf_t *buf);

static void ue_written(uv_write_t *req, int status)
{
    uv_stream_t *client = req->handle;

    free(req);
    if (status < 0)
        ue_close(client);
    else if (uv_stream_get_write_queue_size(client) == 0)
        uv_read_start(client, ue_alloc, ue_read);
}

/* Queues data[0, len) for client, and stops reading it meanwhile. */
static int ue_queue(uv_stream_t *client, const char *data, size_t len)
{
    ue_write_t *w = malloc(sizeof *w + len);

    if (w == NULL)
        return -1;
    memcpy(w->data, data, len);
    w->buf = uv_buf_init(w->data, (unsigned)len);
    uv_read_stop(client);
    if (uv_write(&w->req, client, &w->buf, 1, ue_written) < 0) {
        free(w);
        return -1;
    }
    return 0;
}

static void ue_read(uv_stream_t *client, ssize_t n, const uv_buf_t *buf)
{
    uv_buf_t out;
    int sent;

    if (n < 0) {
        ue_close(client);   /* UV_EOF, or an error */
        return;
    }
    if (n == 0)
        return;
    out = uv_buf_init(buf->base, (unsigned)n);
    sent = uv_try_write(client, &out, 1);
    if (sent == UV_EAGAIN)
        sent = 0;
    if (sent < 0 || (sent < n && ue_queue(client, buf->base + sent, (size_t)(n - sent)) < 0))
        ue_close(client);
}

static void ue_connection(uv_stream_t *server, int status)
{
    uv_tcp_t *client;

    if (status < 0)
        return;
    client = malloc(sizeof *client);
    if (client == NULL)
        return;
    uv_tcp_init(server->loop, client);
    if (uv_accept(server, (uv_stream_t *)client) < 0 ||
        uv_read_start((uv_stream_t *)client, ue_alloc, ue_read) < 0)
        ue_close((uv_stream_t *)client);
}

static void ue_signal(uv_signal_t *sig, int signum)
{
    (void)signum;
    uv_stop(sig->loop);
}

int main(int argc, char **argv)
{
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t server;
    uv_signal_t term, intr;
    int fd, rc;

    bsrv_raise_nofile();
    fd = bsrv_listen(NAME, argc, argv);
    uv_tcp_init(loop, &server);
    rc = uv_tcp_open(&server, fd);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&server, SOMAXCONN, ue_connection);
    if (rc < 0) {
        fprintf(stderr, NAME ": listen: %s\n", uv_strerror(rc));
        return 1;
    }
    uv_signal_init(loop, &term);
    uv_signal_start(&term, ue_signal, SIGTERM);
    uv_signal_init(loop, &intr);
    uv_signal_start(&intr, ue_signal, SIGINT);
    if (bsrv_announce(NAME, fd) < 0)
        return 1;
    uv_run(loop, UV_RUN_DEFAULT);
    return 0;
}
