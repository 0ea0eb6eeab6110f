/* Task 5: select-echo-server, driven over sockets as clients would: no
 * student code runs in these tests' process. The bodies are shared with
 * Task 6 (echotests.h); the FD_SETSIZE guard is this server's own. */
#include "echotests.h"

SL_TASK_PROGRAMS(5, "The select echo server");

#define NAME "select-echo-server"

SL_NET_TEST(sel_echo_one_line, 2, 0,
            "Watch srv->sigfd and srv->lfd with mux_sel_add(); each round mux_sel_wait(), "
            "accept the waiting clients when lfd is readable, then serve every client that "
            "mux_sel_ready() names: mux_recv() into its queue, mux_flush() it.")
{
    et_one_line(NAME, host);
}

SL_NET_TEST(sel_echo_serves_clients_at_once, 3, 0,
            "Many clients at once, in one process: all of them in the sets, and each round "
            "serve those that are ready. A client that is connected and quiet, or that has "
            "sent half a line, holds no one up.")
{
    et_clients_at_once(NAME, host);
}

SL_NET_TEST(sel_echo_half_close_flushes_the_queue, 2, 8000,
            ET_FLUSH_FIRST)
{
    et_half_close_flushes(NAME, host);
}

SL_NET_TEST(sel_echo_100_clients_through_proxies, 3, 8000,
            "100 clients at once, each byte of theirs in a segment of its own (sl-split-proxy): "
            "every recv() brings a byte or so of one client, between those of the others. "
            "Echo what came to the client it came from, at once, whatever its size.")
{
    et_through_proxies(NAME, host);
}

SL_NET_TEST(sel_echo_client_that_never_reads, 3, 8000,
            "sl-stuck-reader sends and never reads. Its echo queues up: stop watching it for "
            "reading while MUX_QUEUE_MAX bytes wait (watch it for writing instead), and the "
            "other clients are served as if it were not there.")
{
    et_never_reader(NAME, host);
}

SL_NET_TEST(sel_echo_survives_junk_and_resets, 3, 8000,
            "Any byte is fine to an echo server; a client that resets (ECONNRESET, EPIPE from "
            "mux_recv() or mux_flush()) is dropped: out of the sets, closed, freed. One bad "
            "client never stops the server.")
{
    et_junk_and_resets(NAME, host);
}

SL_NET_TEST(sel_echo_no_descriptor_left_after_1000_clients, 2, 8000,
            "Every client that goes, however it goes, is taken out of the sets, closed and "
            "freed: after 1000 clients the server holds the descriptors it held before.")
{
    et_no_fd_leak(NAME, host);
}

SL_NET_TEST(sel_echo_sleeps_while_idle, 1, 5000,
            "With nothing to do the server waits in select() (timeout -1), using no CPU. A "
            "loop that spins has a descriptor that is always ready: a client in want_write "
            "whose queue is empty (a socket is nearly always writable), or the listener of a "
            "client never accepted.")
{
    et_sleeps_while_idle(NAME, host);
}

SL_NET_TEST(sel_echo_stops_on_sigterm_and_sigint, 1, 0,
            "SIGTERM and SIGINT make srv->sigfd readable: leave the loop, close every client, "
            "return 0.")
{
    et_stops(NAME, host);
}

/* ---- the FD_SETSIZE guard ---------------------------------------------------------- */

#define GUARD_PEERS 1100   /* more than an fd_set holds */
#define GUARD_WAVE 100     /* connections made at once: less than the listen backlog */

/* Sorts out how peers [0, n) ended: *served got their echo, *refused were
 * closed with nothing sent back; the others neither. */
static void sort_out(const pu_peer_t *p, int n, int *served, int *refused)
{
    *served = *refused = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].in_len == p[i].out_len && memcmp(p[i].in, p[i].out, p[i].out_len) == 0)
            ++*served;
        else if (p[i].ended != PU_OPEN && p[i].in_len == 0)
            ++*refused;
    }
}

/* The first peer that was neither served nor refused, or -1. */
static int first_unsettled(const pu_peer_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (!(p[i].in_len == p[i].out_len && memcmp(p[i].in, p[i].out, p[i].out_len) == 0) &&
            !(p[i].ended != PU_OPEN && p[i].in_len == 0))
            return i;
    return -1;
}

/* Connects peers [from, to) to s, each sending its number, and waits until
 * each is echoed or closed. */
static void wave(pu_peer_t *p, int from, int to, sl_server_t *s)
{
    char text[32];

    pu_peers_connect(p, from, to, s, s);
    for (int i = from; i < to; i++) {
        int len = snprintf(text, sizeof text, "peer %04d\n", i);

        pu_peer_queue(&p[i], text, (size_t)len);
        p[i].want = (size_t)len;
    }
    pu_peers_pump(p + from, to - from, s, 3000, 0);
}

static void guard(const char *host)
{
    sl_server_t s;
    pu_peer_t *p;
    int served, refused, refused_first, bad, base;

    PU_SERVER_START(&s, NAME, host);
    base = pu_fds_of(&s);
    sl_note("%d clients connect, %d at a time, and stay: the server's descriptors pass "
            "FD_SETSIZE (%d)", GUARD_PEERS, GUARD_WAVE, FD_SETSIZE);
    p = pu_peers_new(GUARD_PEERS);
    for (int from = 0; from < GUARD_PEERS; from += GUARD_WAVE)
        wave(p, from, from + GUARD_WAVE, &s);
    sort_out(p, GUARD_PEERS, &served, &refused);
    refused_first = refused;
    sl_note("%d clients got their echo, %d were closed with nothing back", served, refused);
    pu_if_ended(&s, "with more clients than an fd_set holds", __FILE__, __LINE__);
    bad = first_unsettled(p, GUARD_PEERS);
    SL_HINT("A client whose descriptor is FD_SETSIZE or more cannot be watched by select(): "
            "mux_sel_add() refuses it with ERANGE, and the server must then close it at "
            "once. Left open, it waits for ever for an echo that never comes.")
    {
        if (bad >= 0)
            SL_FAIL_FATAL("client %d of %d sent %s and got %s back (%s): with %d clients "
                          "connected, each must get its echo, or be closed at once if its "
                          "descriptor does not fit in an fd_set", bad, GUARD_PEERS,
                          sl_bytes(p[bad].out, p[bad].out_len), sl_bytes(p[bad].in, p[bad].in_len),
                          pu_peer_how(&p[bad]), GUARD_PEERS);
    }
    SL_HINT("mux_sel_add() must refuse a descriptor of FD_SETSIZE or more (ERANGE), and the "
            "server close that client: an fd_set has no bit for it, so FD_SET() on it "
            "writes past the set.")
    {
        if (served > FD_SETSIZE - 3)
            SL_FAIL_FATAL("%d clients were served at once: a select() server has at most "
                          "FD_SETSIZE - 3 (%d) descriptors for clients (0, 1 and 2 are "
                          "taken), so it watched descriptors past FD_SETSIZE", served,
                          FD_SETSIZE - 3);
    }
    SL_HINT("Refuse a client only when its descriptor does not fit: the server may hold "
            "clients up to descriptor FD_SETSIZE - 1.")
    {
        if (served < FD_SETSIZE - 100)
            SL_FAIL_FATAL("only %d of %d clients were served before the server turned the "
                          "others away: it should hold at least %d (FD_SETSIZE, %d, less "
                          "its own few descriptors, with room to spare)", served, GUARD_PEERS,
                          FD_SETSIZE - 100, FD_SETSIZE);
    }
    sl_note("200 of the served clients leave: their descriptors become free again");
    for (int i = 0, gone = 0; i < GUARD_PEERS && gone < 200; i++)
        if (p[i].in_len == p[i].out_len && p[i].ended == PU_OPEN) {
            pu_peer_close(&p[i]);
            gone++;
        }
    sl_sleep_ms(50);
    for (int i = 0; i < GUARD_PEERS; i++)
        if (p[i].ended != PU_OPEN)
            pu_peer_close(&p[i]);
    if (pu_wait_fds(&s, base + served - 200, 2000) > base + served - 200)
        SL_FAIL_FATAL("200 clients left, but the server did not close their sockets");
    SL_HINT("Once clients have left, their descriptors are free again and below FD_SETSIZE: "
            "new clients must be served.")
    {
        pu_peer_t *q = p;

        p = NULL;
        pu_peers_free(q, GUARD_PEERS);
        p = pu_peers_new(50);
        wave(p, 0, 50, &s);
        sort_out(p, 50, &served, &refused);
        if (served != 50)
            SL_FAIL_FATAL("after 200 clients left, %d of 50 new clients were served", served);
    }
    pu_peers_free(p, 50);
    PU_CHECK_ERR_FORM(&s);
    SL_HINT("When mux_sel_add() refuses a client with ERANGE, say so on stderr once, the "
            "first time, in one line (\"select-echo-server: refusing clients: descriptor "
            "1024: ...\"): a line per client would flood the log under load.")
    {
        if (refused_first > 0 && pu_err_lines(&s.prog) == 0)
            SL_FAIL_FATAL("%d clients were turned away, but the server said nothing on "
                          "stderr: expected one line saying it refuses clients",
                          refused_first);
        if (pu_err_lines(&s.prog) > 3)
            SL_FAIL_FATAL("%d clients were turned away and the server printed %d lines on "
                          "stderr: say it once, not once per client", refused_first,
                          pu_err_lines(&s.prog));
    }
    PU_STOP(&s);
}

SL_TEST_TIMEOUT(sel_echo_guards_fd_setsize_ipv4, 4, 10000,
                "An fd_set has FD_SETSIZE (1024) bits: select() cannot watch a descriptor of "
                "1024 or more. Check what mux_sel_add() says for each new client: ERANGE, "
                "close that client at once, and serve the others.")
{
    guard("127.0.0.1");
}

SL_TEST_TIMEOUT(sel_echo_guards_fd_setsize_ipv6, 4, 10000,
                "The same over IPv6: more clients than an fd_set holds; each one past "
                "FD_SETSIZE is closed at once, the others are served.")
{
    guard("::1");
}
