/* sl-split-proxy.c - a TCP proxy that forwards every byte in a segment of
 * its own (TCP_NODELAY, one send() per byte), after a seeded random delay:
 * a server behind it reads its input one byte at a time, and a client in
 * front of it reads the replies the same way. Half-closes and resets are
 * passed on; several connections are served at once (poll). */
#define _GNU_SOURCE /* ppoll(): delays shorter than a millisecond */
#include "fault.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: sl-split-proxy [-b ADDR] [-p PORT] --to HOST:PORT [--seed N]\n"
    "                      [--max-delay-us N] [--max-conns N] [--max-seconds N]\n"
    "A TCP proxy on loopback that forwards each byte in a TCP segment of its own,\n"
    "waiting a random 0..N microseconds between bytes, in both directions; passes\n"
    "half-closes (shutdown) and resets on.\n"
    "  -b ADDR            address to listen on (default 127.0.0.1)\n"
    "  -p PORT            port to listen on (default 0: a free one)\n"
    "  --to HOST:PORT     the server to forward to ([::1]:PORT for IPv6)\n"
    "  --seed N           seed of the delays (default: from the time; printed)\n"
    "  --max-delay-us N   longest pause between bytes (default 500; up to 1000000)\n"
    "  --max-conns N      connections to serve in all, then exit (default 100)\n"
    "  --max-seconds N    exit after N seconds (default 30)\n"
    "Prints 'listening on ADDR:PORT' when ready; SIGTERM or SIGINT: exit 0.\n";

#define PX_PAIRS 32        /* connections at once */
#define PX_BUF 16384       /* bytes read ahead per direction */
#define PX_CONNECT_MS 2000 /* to reach the server */

/* One direction of a connection: bytes read from one side, waiting to be
 * sent to the other one at a time. */
typedef struct px_dir {
    unsigned char buf[PX_BUF];
    size_t off, len;         /* buf[off, len) still to send */
    int eof;                 /* the sending side half-closed */
    int shut;                /* ... and that was passed on */
    int quiet;               /* its hang-up was seen: poll it no more */
    int blocked;             /* the last send() would block: wait for POLLOUT */
    double next;             /* when the next byte may go */
    fault_rng_t rng;         /* the delays */
    unsigned long long sent; /* bytes passed on */
} px_dir_t;

/* A client and its connection to the server: fd[0] the client, fd[1] the
 * server; dir[i] carries bytes read from fd[i] to fd[1 - i]. */
typedef struct px_pair {
    int used;
    int fd[2];
    px_dir_t dir[2];
} px_pair_t;

typedef struct px {
    fault_addr_t bind, to;
    int listen_fd;
    long max_delay_us;
    long max_conns, accepted, active;
    uint64_t seed;
    unsigned long long up, down; /* bytes to servers, to clients */
    px_pair_t pairs[PX_PAIRS];
} px_t;

static px_t px; /* large: kept off the stack */

static void parse_args(int argc, char **argv)
{
    static const struct option longs[] = {
        {"to", required_argument, NULL, 't'},
        {"max-delay-us", required_argument, NULL, 'd'},
        {"max-conns", required_argument, NULL, 'c'},
        {0, 0, 0, 0},
    };
    const char *host = "127.0.0.1", *port = "0";
    const char *to = NULL;
    int opt;
    px.max_delay_us = 500;
    px.max_conns = 100;
    while ((opt = fault_getopt(argc, argv, "b:p:", longs)) != -1) {
        if (opt == 'b')
            host = optarg;
        else if (opt == 'p')
            port = optarg;
        else if (opt == 't')
            to = optarg;
        else if (opt == 'd')
            px.max_delay_us = (long)fault_opt_num("--max-delay-us", optarg, 0, 1000000, 0);
        else if (opt == 'c')
            px.max_conns = (long)fault_opt_num("--max-conns", optarg, 1, 100000, 0);
    }
    if (!to)
        fault_bad_usage("--to HOST:PORT is required: the server to forward to");
    fault_opt_addr("--to", to, &px.to);
    fault_opt_bind(host, port, &px.bind);
}

/* ---- connections ---------------------------------------------------------- */

static void pair_close(px_pair_t *p)
{
    close(p->fd[0]);
    close(p->fd[1]);
    p->used = 0;
    px.active--;
    px.up += p->dir[0].sent;
    px.down += p->dir[1].sent;
}

/* Side i reset the connection (or failed): reset the other side too. */
static void pair_reset(px_pair_t *p, int i)
{
    fault_reset(p->fd[1 - i]);
    p->fd[1 - i] = -1;
    pair_close(p);
}

static double delay(px_dir_t *d)
{
    return (double)fault_rng_below(&d->rng, (uint64_t)px.max_delay_us + 1) / 1e6;
}

static void tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fault_set_nonblock(fd, 1);
}

/* A free slot, or NULL (accept_one() is only called when there is one). */
static px_pair_t *free_pair(void)
{
    for (int i = 0; i < PX_PAIRS; i++)
        if (!px.pairs[i].used)
            return &px.pairs[i];
    return NULL;
}

static void pair_open(px_pair_t *p, int client, int server)
{
    memset(p, 0, sizeof *p);
    p->used = 1;
    p->fd[0] = client;
    p->fd[1] = server;
    for (int d = 0; d < 2; d++) {
        tune(p->fd[d]);
        fault_rng_init(&p->dir[d].rng, px.seed, (uint64_t)px.accepted * 2 + (uint64_t)d);
        p->dir[d].next = fault_now();
    }
    px.active++;
}

static void accept_one(void)
{
    char err[FAULT_ERR_LEN];
    int client = accept4(px.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (client < 0)
        return; /* EINTR, or the client gave up */
    px_pair_t *p = free_pair();
    int server = p ? fault_connect(err, &px.to, SOCK_STREAM, 0, PX_CONNECT_MS) : -1;
    if (server < 0) {
        fault_note("%s (the client is reset)", p ? err : "no room for another connection");
        fault_reset(client);
    } else {
        pair_open(p, client, server);
    }
    if (++px.accepted == px.max_conns) {
        close(px.listen_fd); /* later clients are refused */
        px.listen_fd = -1;
    }
}

/* ---- moving bytes --------------------------------------------------------- */

/* Reads what side i sent into dir[i]; 0, or -1 if the pair is gone. */
static int pull(px_pair_t *p, int i)
{
    px_dir_t *d = &p->dir[i];
    ssize_t n = recv(p->fd[i], d->buf, sizeof d->buf, 0);
    if (n > 0) {
        d->off = 0;
        d->len = (size_t)n;
        d->next = fault_now() + delay(d);
    } else if (n == 0) {
        d->eof = 1;
    } else if (errno != EAGAIN && errno != EINTR) {
        pair_reset(p, i);
        return -1;
    }
    return 0;
}

/* The hang-up of side i, seen while it is not read: a reset, or a close
 * whose end of file comes once its bytes are through. */
static int hung_up(px_pair_t *p, int i)
{
    int e = 0;
    socklen_t len = sizeof e;
    getsockopt(p->fd[i], SOL_SOCKET, SO_ERROR, &e, &len);
    if (e) {
        pair_reset(p, i);
        return -1;
    }
    p->dir[i].quiet = 1;
    return 0;
}

/* Sends the next byte of dir[i] if it is due; passes a half-close on once
 * all is sent. 0, or -1 if the pair is gone. */
static int push(px_pair_t *p, int i, double now)
{
    px_dir_t *d = &p->dir[i];
    int to = p->fd[1 - i];
    if (d->off < d->len && !d->blocked && now >= d->next) {
        ssize_t n = send(to, d->buf + d->off, 1, MSG_NOSIGNAL);
        if (n == 1) {
            d->off++;
            d->sent++;
            d->next = now + delay(d);
        } else if (errno == EAGAIN) {
            d->blocked = 1;
        } else if (errno != EINTR) {
            pair_reset(p, 1 - i);
            return -1;
        }
    }
    if (d->eof && !d->shut && d->off == d->len) {
        shutdown(to, SHUT_WR);
        d->shut = 1;
    }
    if (p->dir[0].shut && p->dir[1].shut) {
        pair_close(p);
        return -1;
    }
    return 0;
}

static void push_all(void)
{
    double now = fault_now();
    for (int k = 0; k < PX_PAIRS; k++)
        for (int i = 0; i < 2 && px.pairs[k].used; i++)
            push(&px.pairs[k], i, now);
}

/* ---- the loop ------------------------------------------------------------- */

/* What to wait for on side i. */
static short events_of(const px_pair_t *p, int i)
{
    const px_dir_t *in = &p->dir[i], *out = &p->dir[1 - i];
    short ev = 0;
    if (!in->eof && in->off == in->len)
        ev |= POLLIN;
    if (out->off < out->len && out->blocked)
        ev |= POLLOUT;
    return ev;
}

/* Fills f (2 per pair, then the listener); returns the wait in ns. */
static long long prepare(struct pollfd *f)
{
    double now = fault_now(), wait = fault_poll_ms(-1) / 1000.0;
    for (int k = 0; k < PX_PAIRS; k++) {
        px_pair_t *p = &px.pairs[k];
        for (int i = 0; i < 2; i++) {
            short ev = p->used ? events_of(p, i) : 0;
            int watch = p->used && (ev || (!p->dir[i].eof && !p->dir[i].quiet));
            f[2 * k + i] = (struct pollfd){watch ? p->fd[i] : -1, ev, 0};
            const px_dir_t *d = &p->dir[i];
            if (p->used && d->off < d->len && !d->blocked && d->next - now < wait)
                wait = d->next - now;
        }
    }
    int room = px.listen_fd >= 0 && px.active < PX_PAIRS;
    f[2 * PX_PAIRS] = (struct pollfd){room ? px.listen_fd : -1, POLLIN, 0};
    return wait > 0 ? (long long)(wait * 1e9) : 0;
}

static void handle(const struct pollfd *f)
{
    for (int k = 0; k < PX_PAIRS; k++) {
        px_pair_t *p = &px.pairs[k];
        for (int i = 0; i < 2 && p->used; i++) {
            short r = f[2 * k + i].revents;
            if (r & POLLOUT)
                p->dir[1 - i].blocked = 0;
            if ((r & (POLLIN | POLLERR | POLLHUP)) && (f[2 * k + i].events & POLLIN))
                pull(p, i);
            else if (r & (POLLERR | POLLHUP))
                hung_up(p, i);
        }
    }
    if (f[2 * PX_PAIRS].revents & POLLIN)
        accept_one();
}

static void run(void)
{
    struct pollfd f[2 * PX_PAIRS + 1];
    while (!fault_stopping() && (px.listen_fd >= 0 || px.active > 0)) {
        push_all();
        long long ns = prepare(f);
        struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
        if (ppoll(f, 2 * PX_PAIRS + 1, &ts, NULL) > 0)
            handle(f);
    }
}

int main(int argc, char **argv)
{
    char err[FAULT_ERR_LEN], where[96];
    fault_start("sl-split-proxy", usage);
    parse_args(argc, argv);
    px.seed = fault_seed();
    px.listen_fd = fault_listen(err, &px.bind, SOCK_STREAM);
    if (px.listen_fd < 0)
        fault_die(fault_addr_str((struct sockaddr *)&px.bind.ss, px.bind.len, where,
                                 sizeof where), err);
    if (fault_announce(err, px.listen_fd) < 0)
        fault_die("announce", err);
    fault_arm_timer();
    run();
    for (int k = 0; k < PX_PAIRS; k++)
        if (px.pairs[k].used)
            pair_close(&px.pairs[k]);
    if (fault_out_of_time())
        fault_note("stopping: --max-seconds %d reached", fault_max_seconds());
    fault_note("%ld connections, %llu bytes to the server, %llu to clients", px.accepted,
               px.up, px.down);
    return 0;
}
