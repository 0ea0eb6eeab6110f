/* sl-udp-relay.c - a UDP relay that loses, doubles, reorders and delays
 * datagrams on purpose. Each client address gets a socket of its own to the
 * server, so replies find their way back. The fate of the k-th datagram a
 * client sends (and of the k-th reply it is sent) depends only on the seed,
 * the client's number and k, not on how clients interleave. */
#include "fault.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: sl-udp-relay [-b ADDR] [-p PORT] --to HOST:PORT [--drop P] [--dup P]\n"
    "                    [--reorder P] [--delay-ms MAX] [--seed N]\n"
    "                    [--max-datagrams N] [--max-seconds N]\n"
    "Relays UDP datagrams between clients and a server on loopback, in both\n"
    "directions, and with a seeded chance drops each, sends it twice, holds it\n"
    "back to send it after the next one (or after 300 ms if none comes), and\n"
    "delays it by 0..MAX ms.\n"
    "  -b ADDR             address to listen on (default 127.0.0.1)\n"
    "  -p PORT             port to listen on (default 0: a free one)\n"
    "  --to HOST:PORT      the server ([::1]:PORT for IPv6)\n"
    "  --drop P            chance a datagram is lost (0 to 1, default 0)\n"
    "  --dup P             chance it is sent twice (default 0)\n"
    "  --reorder P         chance it is held back until the next one (default 0)\n"
    "  --delay-ms MAX      delay each by 0..MAX ms (default 0)\n"
    "  --seed N            seed of the chances (default: from the time; printed)\n"
    "  --max-datagrams N   datagrams to take in all, then exit (default 10000)\n"
    "  --max-seconds N     exit after N seconds (default 30)\n"
    "Prints 'listening on ADDR:PORT' when ready, and at the end a line of counts:\n"
    "'datagrams: N in, N out, N dropped, N duplicated, N reordered, N delayed, ...'.\n"
    "SIGTERM or SIGINT: exit 0.\n";

#define UR_CLIENTS 64    /* client addresses served */
#define UR_QUEUE 256     /* datagrams waiting for their time */
#define UR_HOLD_MS 300   /* longest a held-back datagram waits for the next */
#define UR_MAX 65536     /* largest datagram */

/* A datagram on its way: to the server (up) or to a client (down). */
typedef struct ur_dgram {
    unsigned char *data; /* NULL: a free slot */
    size_t len;
    int client, up;
    double at;           /* when it goes */
    unsigned long seq;   /* order among those due at once */
} ur_dgram_t;

/* A client address and its socket to the server. dir 0 is up, 1 down. */
typedef struct ur_client {
    int used, fd;
    struct sockaddr_storage addr;
    socklen_t len;
    fault_rng_t rng[2];
    ur_dgram_t held[2]; /* held back until the next one */
} ur_client_t;

typedef struct ur {
    fault_addr_t bind, to;
    double drop, dup, reorder;
    long delay_ms, max_dgrams;
    uint64_t seed;
    int fd; /* the relay's own socket, facing the clients */
    ur_client_t clients[UR_CLIENTS];
    ur_dgram_t queue[UR_QUEUE];
    unsigned long seq;
    long taken, relayed, dropped, doubled, reordered, delayed, lost; /* lost: no room */
} ur_t;

static ur_t ur;

static void parse_args(int argc, char **argv)
{
    static const struct option longs[] = {
        {"to", required_argument, NULL, 't'},
        {"drop", required_argument, NULL, 'D'},
        {"dup", required_argument, NULL, 'U'},
        {"reorder", required_argument, NULL, 'R'},
        {"delay-ms", required_argument, NULL, 'L'},
        {"max-datagrams", required_argument, NULL, 'N'},
        {0, 0, 0, 0},
    };
    const char *host = "127.0.0.1", *port = "0";
    const char *to = NULL;
    int opt;
    ur.max_dgrams = 10000;
    while ((opt = fault_getopt(argc, argv, "b:p:", longs)) != -1) {
        if (opt == 'b')
            host = optarg;
        else if (opt == 'p')
            port = optarg;
        else if (opt == 't')
            to = optarg;
        else if (opt == 'D')
            ur.drop = fault_opt_prob("--drop", optarg);
        else if (opt == 'U')
            ur.dup = fault_opt_prob("--dup", optarg);
        else if (opt == 'R')
            ur.reorder = fault_opt_prob("--reorder", optarg);
        else if (opt == 'L')
            ur.delay_ms = (long)fault_opt_num("--delay-ms", optarg, 0, 10000, 0);
        else if (opt == 'N')
            ur.max_dgrams = (long)fault_opt_num("--max-datagrams", optarg, 1, 10000000, 0);
    }
    if (!to)
        fault_bad_usage("--to HOST:PORT is required: the server to relay to");
    fault_opt_addr("--to", to, &ur.to);
    fault_opt_bind(host, port, &ur.bind);
}

/* ---- clients -------------------------------------------------------------- */

/* The client of address ss, made on its first datagram; -1 if no room. */
static int client_of(const struct sockaddr_storage *ss, socklen_t len)
{
    char err[FAULT_ERR_LEN];
    int free_slot = -1;
    for (int i = 0; i < UR_CLIENTS; i++) {
        ur_client_t *c = &ur.clients[i];
        if (c->used && c->len == len && memcmp(&c->addr, ss, len) == 0)
            return i;
        if (!c->used && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return -1;
    int fd = fault_connect(err, &ur.to, SOCK_DGRAM, 0, 0);
    if (fd < 0) {
        fault_note("to the server: %s", err);
        return -1;
    }
    ur_client_t *c = &ur.clients[free_slot];
    *c = (ur_client_t){.used = 1, .fd = fd, .len = len};
    memcpy(&c->addr, ss, len);
    for (int d = 0; d < 2; d++)
        fault_rng_init(&c->rng[d], ur.seed, (uint64_t)free_slot * 2 + (uint64_t)d);
    return free_slot;
}

/* ---- the queue ------------------------------------------------------------ */

/* Queues a copy of g to go at time at. */
static void enqueue(const ur_dgram_t *g, double at)
{
    for (int i = 0; i < UR_QUEUE; i++) {
        ur_dgram_t *q = &ur.queue[i];
        if (q->data)
            continue;
        *q = *g;
        q->data = malloc(g->len ? g->len : 1);
        if (!q->data)
            break;
        memcpy(q->data, g->data, g->len);
        q->at = at;
        q->seq = ur.seq++;
        return;
    }
    ur.lost++;
}

static void transmit(const ur_dgram_t *g)
{
    ur_client_t *c = &ur.clients[g->client];
    if (g->up)
        send(c->fd, g->data, g->len, 0);
    else
        sendto(ur.fd, g->data, g->len, 0, (struct sockaddr *)&c->addr, c->len);
    ur.relayed++;
}

/* Sends what is due, earliest first; returns ms until the next is due. */
static int send_due(void)
{
    for (;;) {
        double now = fault_now(), next = now + 3600;
        ur_dgram_t *first = NULL;
        for (int i = 0; i < UR_QUEUE; i++) {
            ur_dgram_t *q = &ur.queue[i];
            if (q->data && (!first || q->at < first->at ||
                            (q->at == first->at && q->seq < first->seq)))
                first = q;
        }
        if (first)
            next = first->at;
        if (!first || next > now)
            return (int)((next - now) * 1000) + 1;
        transmit(first);
        free(first->data);
        first->data = NULL;
    }
}

/* Releases held-back datagrams that waited UR_HOLD_MS for a next one. */
static void release_stale(void)
{
    double now = fault_now();
    for (int i = 0; i < UR_CLIENTS; i++)
        for (int d = 0; d < 2; d++) {
            ur_dgram_t *h = &ur.clients[i].held[d];
            if (ur.clients[i].used && h->data && now - h->at >= UR_HOLD_MS / 1000.0) {
                enqueue(h, now);
                free(h->data);
                h->data = NULL;
            }
        }
}

/* ---- a datagram's fate ---------------------------------------------------- */

/* The four draws of one datagram, always all four, so the k-th datagram's
 * fate depends on k alone. */
typedef struct ur_fate {
    int drop, dup, hold;
    long delay_ms;
} ur_fate_t;

static ur_fate_t fate_of(fault_rng_t *r)
{
    ur_fate_t f;
    f.drop = fault_rng_chance(r, ur.drop);
    f.dup = fault_rng_chance(r, ur.dup);
    f.hold = fault_rng_chance(r, ur.reorder);
    f.delay_ms = (long)fault_rng_below(r, (uint64_t)ur.delay_ms + 1);
    return f;
}

/* Hold g back until the next one: copies it into the slot. */
static void hold(ur_dgram_t *slot, const ur_dgram_t *g)
{
    *slot = *g;
    slot->data = malloc(g->len ? g->len : 1);
    if (!slot->data) {
        ur.lost++;
        return;
    }
    memcpy(slot->data, g->data, g->len);
    slot->at = fault_now();
    ur.reordered++;
}

/* A datagram came from a client (up) or from the server (down). */
static void arrived(int client, int up, unsigned char *data, size_t len)
{
    ur_client_t *c = &ur.clients[client];
    ur_dgram_t g = {.data = data, .len = len, .client = client, .up = up};
    ur_dgram_t *held = &c->held[up ? 0 : 1];
    ur_fate_t f = fate_of(&c->rng[up ? 0 : 1]);
    ur.taken++;
    if (f.drop) {
        ur.dropped++;
        return;
    }
    if (f.hold && !held->data) {
        hold(held, &g);
        return;
    }
    double at = fault_now() + f.delay_ms / 1000.0;
    ur.delayed += f.delay_ms > 0;
    enqueue(&g, at);
    if (f.dup) {
        enqueue(&g, at);
        ur.doubled++;
    }
    if (held->data) {
        enqueue(held, at); /* after this one: same time, later in line */
        free(held->data);
        held->data = NULL;
    }
}

/* ---- the loop ------------------------------------------------------------- */

static void from_clients(unsigned char *buf)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    ssize_t n = recvfrom(ur.fd, buf, UR_MAX, MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
    if (n < 0)
        return;
    int c = client_of(&ss, len);
    if (c < 0) {
        ur.lost++;
        return;
    }
    arrived(c, 1, buf, (size_t)n);
}

static void from_server(int client, unsigned char *buf)
{
    ssize_t n = recv(ur.clients[client].fd, buf, UR_MAX, MSG_DONTWAIT);
    if (n >= 0) /* errors: ECONNREFUSED while the server is not there */
        arrived(client, 0, buf, (size_t)n);
}

static void run(void)
{
    static unsigned char buf[UR_MAX];
    struct pollfd f[UR_CLIENTS + 1];
    while (!fault_stopping() && ur.taken < ur.max_dgrams) {
        release_stale();
        int wait = send_due();
        for (int i = 0; i < UR_CLIENTS; i++)
            f[i] = (struct pollfd){ur.clients[i].used ? ur.clients[i].fd : -1, POLLIN, 0};
        f[UR_CLIENTS] = (struct pollfd){ur.fd, POLLIN, 0};
        if (poll(f, UR_CLIENTS + 1, fault_poll_ms(wait)) <= 0)
            continue;
        for (int i = 0; i < UR_CLIENTS; i++)
            if (f[i].revents)
                from_server(i, buf);
        if (f[UR_CLIENTS].revents)
            from_clients(buf);
    }
}

int main(int argc, char **argv)
{
    char err[FAULT_ERR_LEN], where[96];
    fault_start("sl-udp-relay", usage);
    parse_args(argc, argv);
    ur.seed = fault_seed();
    ur.fd = fault_listen(err, &ur.bind, SOCK_DGRAM);
    if (ur.fd < 0)
        fault_die(fault_addr_str((struct sockaddr *)&ur.bind.ss, ur.bind.len, where,
                                 sizeof where), err);
    if (fault_announce(err, ur.fd) < 0)
        fault_die("announce", err);
    fault_arm_timer();
    run();
    if (fault_out_of_time())
        fault_note("stopping: --max-seconds %d reached", fault_max_seconds());
    else if (ur.taken >= ur.max_dgrams)
        fault_note("stopping: --max-datagrams %ld reached", ur.max_dgrams);
    printf("datagrams: %ld in, %ld out, %ld dropped, %ld duplicated, %ld reordered, "
           "%ld delayed, %ld lost for want of room\n", ur.taken, ur.relayed, ur.dropped,
           ur.doubled, ur.reordered, ur.delayed, ur.lost);
    return 0;
}
