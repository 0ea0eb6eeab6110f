/* Task 6: poll-echo-server, driven over sockets as clients would: no
 * student code runs in these tests' process. The bodies are shared with
 * Task 5 (echotests.h); a thousand clients at once are this server's own. */
#include "echotests.h"

SL_TASK_PROGRAMS(6, "The poll echo server");

#define NAME "poll-echo-server"

SL_NET_TEST(poll_echo_one_line, 2, 0,
            "Entry 0 for srv->sigfd, entry 1 for srv->lfd; each round mux_poll_wait(), then "
            "the clients whose mux_poll_ready() is not 0 (mux_recv() into the queue, "
            "mux_flush()), then accept the waiting clients if entry 1 is readable.")
{
    et_one_line(NAME, host);
}

SL_NET_TEST(poll_echo_serves_clients_at_once, 3, 0,
            "Many clients at once, in one process: an entry each, and each round serve "
            "those that are ready. A client that is connected and quiet, or that has sent "
            "half a line, holds no one up.")
{
    et_clients_at_once(NAME, host);
}

SL_NET_TEST(poll_echo_half_close_flushes_the_queue, 2, 8000,
            ET_FLUSH_FIRST)
{
    et_half_close_flushes(NAME, host);
}

SL_NET_TEST(poll_echo_100_clients_through_proxies, 3, 8000,
            "100 clients at once, each byte of theirs in a segment of its own (sl-split-proxy). "
            "Echo what came to the client it came from, at once, whatever its size.")
{
    et_through_proxies(NAME, host);
}

SL_NET_TEST(poll_echo_client_that_never_reads, 3, 8000,
            "sl-stuck-reader sends and never reads. Its echo queues up: while MUX_QUEUE_MAX "
            "bytes wait, set its entry to MUX_WRITE only, and the other clients are served "
            "as if it were not there.")
{
    et_never_reader(NAME, host);
}

SL_NET_TEST(poll_echo_survives_junk_and_resets, 3, 8000,
            "A client that resets (ECONNRESET, EPIPE from mux_recv() or mux_flush()) is "
            "dropped: its entry removed, its socket closed, its client freed. One bad client "
            "never stops the server.")
{
    et_junk_and_resets(NAME, host);
}

SL_NET_TEST(poll_echo_turns_clients_away_out_of_descriptors, 1, 8000,
            "With its descriptors all taken (a low RLIMIT_NOFILE), the server turns new "
            "clients away at once (srv_accept() closes them), uses no CPU meanwhile, and "
            "serves again once clients leave.")
{
    et_out_of_descriptors(NAME, host);
}

SL_NET_TEST(poll_echo_no_descriptor_left_after_1000_clients, 2, 8000,
            "Every client that goes, however it goes, loses its entry and its socket: after "
            "1000 clients the server holds the descriptors it held before.")
{
    et_no_fd_leak(NAME, host);
}

SL_NET_TEST(poll_echo_sleeps_while_idle, 1, 5000,
            "With nothing to do the server waits in poll() (timeout -1), using no CPU. A loop "
            "that spins has an entry that is always ready: POLLOUT asked for a client whose "
            "queue is empty (a socket is nearly always writable), a closed descriptor "
            "(POLLNVAL, MUX_GONE) never removed, or a hang-up never read.")
{
    et_sleeps_while_idle(NAME, host);
}

SL_NET_TEST(poll_echo_stops_on_sigterm_and_sigint, 1, 0,
            "SIGTERM and SIGINT make srv->sigfd readable: leave the loop, close every client, "
            "return 0.")
{
    et_stops(NAME, host);
}

/* ---- a thousand clients at once ------------------------------------------------------ */

#define CROWD 1000
#define WAVE 100   /* connections made at once: less than the listen backlog */

/* Gives each of peers [from, to) one more line to send and echo. */
static void one_more_line(pu_peer_t *p, int from, int to, const char *what)
{
    char text[48];

    for (int i = from; i < to; i++) {
        int len = snprintf(text, sizeof text, "peer %04d, %s\n", i, what);

        pu_peer_queue(&p[i], text, (size_t)len);
        p[i].want = p[i].out_len;
    }
}

/* Ends the test unless each of peers [0, n) got back exactly what it sent. */
static void all_echoed(sl_server_t *s, const pu_peer_t *p, int n, const char *when)
{
    for (int i = 0; i < n; i++)
        if (p[i].in_len != p[i].out_len || memcmp(p[i].in, p[i].out, p[i].out_len) != 0) {
            pu_if_ended(s, when, __FILE__, __LINE__);
            SL_FAIL_FATAL("%s: client %d sent %s and got back %s (%s)", when, i,
                          sl_bytes(p[i].out, p[i].out_len), sl_bytes(p[i].in, p[i].in_len),
                          pu_peer_how(&p[i]));
        }
}

static void thousand(const char *host)
{
    sl_server_t s;
    pu_peer_t *p;
    int base, peak;

    PU_SERVER_START(&s, NAME, host);
    base = pu_fds_of(&s);
    sl_note("%d clients connect, %d at a time, each is echoed a line, and all stay", CROWD, WAVE);
    p = pu_peers_new(CROWD);
    for (int from = 0; from < CROWD; from += WAVE) {
        pu_peers_connect(p, from, from + WAVE, &s, &s);
        one_more_line(p, from, from + WAVE, "first line");
        pu_peers_pump(p + from, WAVE, &s, 3000, 0);
        SL_HINT("poll() has no FD_SETSIZE: with an entry per client, the server holds as many "
                "clients as it has descriptors. Grow the array (mux_poll_add() does), never "
                "refuse a client for its descriptor's value.")
        {
            all_echoed(&s, p, from + WAVE, "while 1000 clients connected");
        }
    }
    peak = pu_fds_of(&s);
    sl_note("%s holds %d descriptors with %d clients", NAME, peak, CROWD);
    if (peak < base + CROWD)
        SL_FAIL_FATAL("with %d clients connected and served, %s holds %d descriptors: "
                      "expected at least %d", CROWD, NAME, peak, base + CROWD);
    sl_note("each of the %d clients sends one more line, all at once", CROWD);
    one_more_line(p, 0, CROWD, "all at once");
    pu_peers_pump(p, CROWD, &s, 5000, 0);
    all_echoed(&s, p, CROWD, "with 1000 clients sending at once");
    for (int i = 0; i < CROWD; i += 2) {
        struct linger l = {1, 0};

        setsockopt(p[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    pu_peers_free(p, CROWD);
    SL_HINT("Every client that goes loses its entry and its socket: 500 closed, 500 reset.")
    {
        int now = pu_wait_fds(&s, base, 3000);

        if (now != base)
            SL_FAIL("%s held %d descriptors before the 1000 clients and %d after they left: "
                    "%d left open", NAME, base, now, now - base);
    }
    PU_ECHO_ONCE(&s, "after the crowd\n");
    PU_STOP(&s);
}

SL_TEST_TIMEOUT(poll_echo_serves_1000_at_once_ipv4, 4, 10000,
                "1000 clients at once, each echoed, then all sending at once: poll() takes any "
                "number of descriptors, of any value. One entry per client, removed when it "
                "goes.")
{
    thousand("127.0.0.1");
}

SL_TEST_TIMEOUT(poll_echo_serves_1000_at_once_ipv6, 4, 10000,
                "1000 clients at once over IPv6, each echoed, then all sending at once.")
{
    thousand("::1");
}
