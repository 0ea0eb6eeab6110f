/* sl-stuck-reader.c - a client that sends and never reads: with a small
 * receive buffer it soon stops taking the server's replies, so an echo
 * server's sends to it block (or return EAGAIN). A server that serves its
 * other clients meanwhile passes; one that waits on this one stalls. */
#include "fault.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

static const char usage[] =
    "usage: sl-stuck-reader --connect HOST:PORT [--rcvbuf BYTES] [--send BYTES]\n"
    "                       [--hold-ms N] [--max-seconds N]\n"
    "A client that never reads: it sets a small SO_RCVBUF, sends BYTES of a known\n"
    "pattern as fast as the server takes them, holds the connection N ms from the\n"
    "connect, then closes it (a reset: what it never read is thrown away).\n"
    "Against an echo server, the server's sends to it block (or return EAGAIN)\n"
    "once the buffers are full.\n"
    "  --connect HOST:PORT  the server ([::1]:PORT for IPv6)\n"
    "  --rcvbuf BYTES       its receive buffer (default 4096; K and M allowed)\n"
    "  --send BYTES         how much to send at most (default 8M)\n"
    "  --hold-ms N          how long to keep the connection (default 2000)\n"
    "  --max-seconds N      exit after N seconds (default 30)\n"
    "Prints 'holding after N bytes: ...' once the server has taken nothing for\n"
    "200 ms ('the server stopped taking them') or all is sent ('all sent'), and\n"
    "'sent N bytes' at the end. SIGTERM or SIGINT: exit 0.\n";

#define SR_CONNECT_MS 2000
#define SR_STALL_MS 200 /* no progress this long: the server has stopped reading */
#define SR_CHUNK 65536

typedef struct sr_opts {
    fault_addr_t to;
    long long rcvbuf, send, hold_ms;
} sr_opts_t;

static void parse_args(int argc, char **argv, sr_opts_t *o)
{
    static const struct option longs[] = {
        {"connect", required_argument, NULL, 'C'},
        {"rcvbuf", required_argument, NULL, 'r'},
        {"send", required_argument, NULL, 's'},
        {"hold-ms", required_argument, NULL, 'H'},
        {0, 0, 0, 0},
    };
    const char *to = NULL;
    int opt;
    o->rcvbuf = 4096;
    o->send = 8 << 20;
    o->hold_ms = 2000;
    while ((opt = fault_getopt(argc, argv, "", longs)) != -1) {
        if (opt == 'C')
            to = optarg;
        else if (opt == 'r')
            o->rcvbuf = fault_opt_num("--rcvbuf", optarg, 1, 64 << 20, 1);
        else if (opt == 's')
            o->send = fault_opt_num("--send", optarg, 0, 1LL << 34, 1);
        else if (opt == 'H')
            o->hold_ms = fault_opt_num("--hold-ms", optarg, 0, 3600000, 0);
    }
    if (!to)
        fault_bad_usage("--connect HOST:PORT is required: the server to be stuck on");
    fault_opt_addr("--connect", to, &o->to);
}

/* Sends what the socket takes now of the pattern, adding to *sent; 0, or
 * -1 once the server has closed or reset the connection (said on stdout). */
static int send_some(int fd, long long *sent, long long total)
{
    static unsigned char chunk[SR_CHUNK];
    while (*sent < total) {
        size_t want = total - *sent < SR_CHUNK ? (size_t)(total - *sent) : SR_CHUNK;
        fault_pattern(chunk, want, (uint64_t)*sent);
        ssize_t n = send(fd, chunk, want, MSG_NOSIGNAL);
        if (n > 0) {
            *sent += n;
            continue;
        }
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        printf("the server %s the connection after %lld bytes\n",
               errno == ECONNRESET ? "reset" : "closed", *sent);
        return -1;
    }
    return 0;
}

/* Sends until all is sent or the hold is over; returns the bytes sent. */
static long long hold(int fd, const sr_opts_t *o)
{
    double end = fault_now() + o->hold_ms / 1000.0, last = fault_now();
    long long sent = 0;
    int holding = 0;
    while (!fault_stopping() && fault_now() < end) {
        long long before = sent;
        if (send_some(fd, &sent, o->send) < 0)
            break;
        if (sent > before)
            last = fault_now();
        int stalled = fault_now() - last >= SR_STALL_MS / 1000.0;
        if (!holding && (sent == o->send || stalled)) {
            printf("holding after %lld bytes: %s\n", sent,
                   sent == o->send ? "all sent" : "the server stopped taking them");
            fflush(stdout);
            holding = 1;
        }
        struct pollfd p = {fd, sent < o->send ? POLLOUT : 0, 0};
        int left = (int)((end - fault_now()) * 1000) + 1;
        poll(&p, 1, fault_poll_ms(left < SR_STALL_MS ? left : SR_STALL_MS));
    }
    return sent;
}

int main(int argc, char **argv)
{
    sr_opts_t o;
    char err[FAULT_ERR_LEN], where[96];
    fault_start("sl-stuck-reader", usage);
    parse_args(argc, argv, &o);
    fault_arm_timer();
    fault_addr_str((struct sockaddr *)&o.to.ss, o.to.len, where, sizeof where);
    int fd = fault_connect(err, &o.to, SOCK_STREAM, (int)o.rcvbuf, SR_CONNECT_MS);
    if (fd < 0)
        fault_die(where, err);
    long long sent = hold(fd, &o);
    close(fd);
    printf("sent %lld bytes\n", sent);
    return 0;
}
