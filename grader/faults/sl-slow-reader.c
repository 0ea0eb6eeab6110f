/* sl-slow-reader.c - a client that sends a known pattern and reads the
 * echo back slowly, a little per tick, so the server meets a full send
 * buffer: short writes, EAGAIN. It checks every byte that comes back, and
 * says which one differed first. */
#include "fault.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage[] =
    "usage: sl-slow-reader --connect HOST:PORT [--send BYTES] [--read-per-tick N]\n"
    "                      [--tick-ms N] [--rcvbuf BYTES] [--max-seconds N]\n"
    "A client of an echo server that reads slowly: it sends BYTES of a known\n"
    "pattern (then half-closes), reads back at most N bytes per tick, and checks\n"
    "that every byte comes back, in order, and nothing more. On loopback a\n"
    "server's send buffer grows to 4 MiB (tcp_wmem): BYTES must be more than that\n"
    "for its sends to come back short.\n"
    "  --connect HOST:PORT  the echo server ([::1]:PORT for IPv6)\n"
    "  --send BYTES         how much to send (default 8M; K and M allowed)\n"
    "  --read-per-tick N    bytes read per tick at most (default 64K)\n"
    "  --tick-ms N          the tick (default 5)\n"
    "  --rcvbuf BYTES       its receive buffer (default 64K; 0: the system's)\n"
    "  --max-seconds N      give up after N seconds (default 30)\n"
    "Exit 0 if all came back exactly; 1 otherwise, saying what differed.\n";

#define SLOW_CONNECT_MS 2000
#define SLOW_EOF_MS 500 /* after the last byte, how long to wait for the close */

typedef struct slow_opts {
    fault_addr_t to;
    long long send, per_tick, tick_ms, rcvbuf;
} slow_opts_t;

/* Where the exchange stands. */
typedef struct slow_state {
    int fd;
    long long sent, got;
    int eof;      /* the server closed */
    double tick;  /* when the next read may happen */
    unsigned char *buf;
} slow_state_t;

static void parse_args(int argc, char **argv, slow_opts_t *o)
{
    static const struct option longs[] = {
        {"connect", required_argument, NULL, 'C'},
        {"send", required_argument, NULL, 's'},
        {"read-per-tick", required_argument, NULL, 'r'},
        {"tick-ms", required_argument, NULL, 't'},
        {"rcvbuf", required_argument, NULL, 'R'},
        {0, 0, 0, 0},
    };
    const char *to = NULL;
    int opt;
    *o = (slow_opts_t){.send = 8 << 20, .per_tick = 64 << 10, .tick_ms = 5, .rcvbuf = 64 << 10};
    while ((opt = fault_getopt(argc, argv, "", longs)) != -1) {
        if (opt == 'C')
            to = optarg;
        else if (opt == 's')
            o->send = fault_opt_num("--send", optarg, 1, 1LL << 32, 1);
        else if (opt == 'r')
            o->per_tick = fault_opt_num("--read-per-tick", optarg, 1, 1 << 20, 1);
        else if (opt == 't')
            o->tick_ms = fault_opt_num("--tick-ms", optarg, 0, 10000, 0);
        else if (opt == 'R')
            o->rcvbuf = fault_opt_num("--rcvbuf", optarg, 0, 64 << 20, 1);
    }
    if (!to)
        fault_bad_usage("--connect HOST:PORT is required: the echo server");
    fault_opt_addr("--connect", to, &o->to);
}

/* Sends what the socket takes now; half-closes once all is sent. */
static void send_some(slow_state_t *st, const slow_opts_t *o)
{
    unsigned char chunk[16384];
    while (st->sent < o->send) {
        size_t want = o->send - st->sent < (long long)sizeof chunk ?
                      (size_t)(o->send - st->sent) : sizeof chunk;
        fault_pattern(chunk, want, (uint64_t)st->sent);
        ssize_t n = send(st->fd, chunk, want, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n < 0)
            fault_die("send", errno == ECONNRESET ? "the server reset the connection" :
                      "the server closed the connection");
        st->sent += n;
    }
    shutdown(st->fd, SHUT_WR);
}

/* Fails at the first byte of buf[0, n) (at offset st->got) that differs. */
static void check(const slow_state_t *st, size_t n, const slow_opts_t *o)
{
    char what[64], why[128];
    for (size_t i = 0; i < n; i++) {
        long long at = st->got + (long long)i;
        if (at >= o->send) {
            snprintf(why, sizeof why, "%zu bytes more than the %lld sent came back", n - i,
                     o->send);
            fault_die("echo", why);
        }
        if (st->buf[i] != fault_pattern_at((uint64_t)at)) {
            snprintf(what, sizeof what, "echo byte %lld", at);
            snprintf(why, sizeof why, "expected 0x%02x, got 0x%02x (bytes lost, doubled or "
                     "out of order before it)", fault_pattern_at((uint64_t)at), st->buf[i]);
            fault_die(what, why);
        }
    }
}

/* Reads this tick's share of the echo, and checks it. */
static void read_some(slow_state_t *st, const slow_opts_t *o)
{
    ssize_t n = recv(st->fd, st->buf, (size_t)o->per_tick, 0);
    if (n > 0) {
        check(st, (size_t)n, o);
        st->got += n;
        st->tick = fault_now() + o->tick_ms / 1000.0;
    } else if (n == 0) {
        st->eof = 1;
    } else if (errno != EAGAIN && errno != EINTR) {
        char why[128];
        snprintf(why, sizeof why, "%s after %lld of %lld bytes", errno == ECONNRESET ?
                 "the server reset the connection" : "failed", st->got, o->send);
        fault_die("recv", why);
    }
}

static void exchange(slow_state_t *st, const slow_opts_t *o)
{
    double last_byte = 0;
    while (!fault_stopping() && !st->eof) {
        if (st->got == o->send && !last_byte)
            last_byte = fault_now();
        if (last_byte && fault_now() - last_byte >= SLOW_EOF_MS / 1000.0)
            return; /* all came back; the server may keep the connection open */
        send_some(st, o);
        double wait = st->tick - fault_now();
        short ev = (st->sent < o->send ? POLLOUT : 0) | (wait <= 0 ? POLLIN : 0);
        struct pollfd p = {st->fd, ev, 0};
        int ms = wait > 0 ? (int)(wait * 1000) + 1 : SLOW_EOF_MS;
        if (poll(&p, 1, fault_poll_ms(ms)) > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)))
            read_some(st, o);
    }
}

int main(int argc, char **argv)
{
    slow_opts_t o;
    char err[FAULT_ERR_LEN], where[96], why[128];
    fault_start("sl-slow-reader", usage);
    parse_args(argc, argv, &o);
    fault_arm_timer();
    fault_addr_str((struct sockaddr *)&o.to.ss, o.to.len, where, sizeof where);
    slow_state_t st = {.fd = -1, .buf = malloc((size_t)o.per_tick)};
    if (!st.buf)
        fault_die("malloc", "out of memory");
    st.fd = fault_connect(err, &o.to, SOCK_STREAM, (int)o.rcvbuf, SLOW_CONNECT_MS);
    if (st.fd < 0)
        fault_die(where, err);
    exchange(&st, &o);
    close(st.fd);
    free(st.buf);
    if (fault_signalled())
        return 0;
    if (st.got < o.send) {
        snprintf(why, sizeof why, "%lld of %lld bytes came back, then %s", st.got, o.send,
                 st.eof ? "the server closed the connection" : fault_out_of_time() ?
                 "nothing until --max-seconds" : "nothing");
        fault_die("echo", why);
    }
    printf("all %lld bytes came back exactly\n", o.send);
    return 0;
}
