/* sl-event-echo.c - an echo server on libevent, as its users write one
 * (libevent's own le-proxy and echo samples), for make bench to set
 * beside the lesson 07 reactor.
 *
 *   sl-event-echo [-b ADDR] [-p PORT]
 *
 * The listening socket of bench_srv.c handed to an evconnlistener; each
 * client a bufferevent, whose read callback moves its input buffer to its
 * output buffer whole (evbuffer chains change hands, no copy). A client
 * whose echo waits unsent past WATERMARK bytes is not read until it takes
 * some (a write watermark and a callback). SIGTERM or SIGINT (evsignal):
 * exit 0. */
#define _GNU_SOURCE
#include "bench_srv.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define NAME "sl-event-echo"
#define WATERMARK (256u << 10)

static void ev_read(struct bufferevent *bev, void *arg)
{
    (void)arg;
    bufferevent_write_buffer(bev, bufferevent_get_input(bev));
    if (evbuffer_get_length(bufferevent_get_output(bev)) > WATERMARK)
        bufferevent_disable(bev, EV_READ);
}

static void ev_written(struct bufferevent *bev, void *arg)
{
    (void)arg;
    bufferevent_enable(bev, EV_READ);   /* the output drained below the watermark */
}

static void ev_event(struct bufferevent *bev, short what, void *arg)
{
    (void)arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        bufferevent_free(bev);
}

static void ev_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                      void *arg)
{
    struct bufferevent *bev;

    (void)sa;
    (void)len;
    (void)arg;
    bev = bufferevent_socket_new(evconnlistener_get_base(l), fd, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        evutil_closesocket(fd);
        return;
    }
    bufferevent_setcb(bev, ev_read, ev_written, ev_event, NULL);
    bufferevent_setwatermark(bev, EV_WRITE, WATERMARK / 2, 0);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void ev_stop(evutil_socket_t sig, short what, void *base)
{
    (void)sig;
    (void)what;
    event_base_loopbreak(base);
}

int main(int argc, char **argv)
{
    struct event_base *base;
    struct evconnlistener *l;
    struct event *term, *intr;
    int fd;

    bsrv_raise_nofile();
    fd = bsrv_listen(NAME, argc, argv);
    base = event_base_new();
    l = base ? evconnlistener_new(base, ev_accept, NULL, LEV_OPT_CLOSE_ON_FREE, SOMAXCONN, fd) : NULL;
    if (l == NULL) {
        fprintf(stderr, NAME ": listen: libevent could not take the socket\n");
        return 1;
    }
    term = evsignal_new(base, SIGTERM, ev_stop, base);
    intr = evsignal_new(base, SIGINT, ev_stop, base);
    if (!term || !intr || event_add(term, NULL) < 0 || event_add(intr, NULL) < 0) {
        fprintf(stderr, NAME ": signals: libevent could not watch them\n");
        return 1;
    }
    if (bsrv_announce(NAME, fd) < 0)
        return 1;
    event_base_dispatch(base);
    event_free(term);
    event_free(intr);
    evconnlistener_free(l);
    event_base_free(base);
    return 0;
}
