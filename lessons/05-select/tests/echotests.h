/* echotests.h - the tests that select-echo-server (Task 5) and
 * poll-echo-server (Task 6) share: both echo many clients at once, and
 * differ only in how they wait. Each et_*() is the body of one test,
 * given the program and the host (127.0.0.1 or ::1); the task's file
 * declares the tests, with their points and hints. */
#ifndef ECHOTESTS_H
#define ECHOTESTS_H

#include <sys/resource.h>
#include <sys/syscall.h>

#include "progutil.h"

/* The hint of a test whose other clients got no echo while one client
 * held the server. */
#define ET_ONE_AT_A_TIME                                                      \
    "The server waited on one client while another was ready: nothing may block in "   \
    "the loop but the wait itself. Make every accepted socket non-blocking "           \
    "(mux_set_nonblocking()), read a client only when the wait says it is readable, "  \
    "and queue what it does not take yet (mux_flush() returns what is left)."

/* The hint of a test whose clients got no echo while a client that never
 * reads was connected. */
#define ET_BLOCKED_WRITE                                                      \
    "sl-stuck-reader reads nothing, and the other clients got no echo: the server blocked " \
    "writing to it. A send() on a blocking socket waits for room, and the whole loop "  \
    "with it: make every accepted socket non-blocking (mux_set_nonblocking()), send with " \
    "mux_flush(), and keep in the client's queue what does not go."

/* The hint of a test whose server ended the connection of a client that
 * had half-closed, before all was echoed. */
#define ET_FLUSH_FIRST                                                        \
    "When recv() returns 0 the client has half-closed: it sends nothing more but still " \
    "reads. Stop reading it, send what is queued (wait for writable as long as needed), " \
    "and close only once the queue is empty."

/* The hint for a client that was not served while another one was
 * connected: the usual causes, for the server's own way of waiting. */
static inline const char *et_served_hint(const char *name)
{
    if (strncmp(name, "select", 6) == 0)
        return "Client A is connected and quiet: client B must be served all the same. If "
               "B got nothing, select() did not look at it: the sets were not made again "
               "before the call (select() overwrites them with its last answer, which held "
               "A or nothing), or nfds was maxfd instead of maxfd + 1 (B, the newest, has "
               "the highest descriptor).";
    return "Client A is connected and quiet: client B must be served all the same. Watch "
           "every client and the listening socket in one poll(), and serve whichever is "
           "ready; never wait for one client to finish.";
}

/* The hint for a first client that got no echo at all. */
static inline const char *et_first_hint(const char *name)
{
    if (strncmp(name, "select", 6) == 0)
        return "The client connected but got no echo: it was accepted but never served. Is "
               "it in want_read (mux_sel_add() after srv_accept())? Does select() look at "
               "it? nfds is maxfd + 1: the newest client has the highest descriptor, and "
               "with nfds = maxfd it is never looked at. (An echo sends back what came at "
               "once: it waits for no newline.)";
    return "The client connected but got no echo: it was accepted but never served. Add an "
           "entry for it (mux_poll_add() after srv_accept()), and after each wait serve the "
           "entries that mux_poll_ready() names.";
}

/* ---- one line, and several clients at once ----------------------------------- */

static inline void et_one_line(const char *name, const char *host)
{
    sl_server_t s;
    const char *nl;

    PU_SERVER_START(&s, name, host);
    SL_HINT(et_first_hint(name))
    {
        PU_ECHO_ONCE(&s, "hello\n");
    }
    SL_HINT("stdout holds the \"listening on\" line and nothing else: say what you like "
            "about clients on stderr.")
    {
        pu_drain(&s);
        nl = strchr(s.prog.out.data, '\n');
        if (nl && nl[1] != '\0')
            SL_FAIL("%s printed more than its listening line on stdout: %s", name,
                    sl_bytes(s.prog.out.data, s.prog.out.len));
    }
    PU_STOP(&s);
}

static inline void et_clients_at_once(const char *name, const char *host)
{
    static const char *const who[3] = {"A", "B", "C"};
    sl_server_t s;
    sl_conn_t c[3];
    char text[64];

    PU_SERVER_START(&s, name, host);
    PU_CONNECT(&c[0], &s);
    PU_SEND(&c[0], &s, "A, with no newline yet");
    SL_HINT(et_first_hint(name))
    {
        PU_EXPECT(&c[0], &s, "A, with no newline yet", 2000);
    }
    PU_CONNECT(&c[1], &s);
    PU_SEND(&c[1], &s, "B, while A is connected\n");
    SL_HINT(et_served_hint(name))
    {
        PU_EXPECT(&c[1], &s, "B, while A is connected\n", 2000);
    }
    PU_CONNECT(&c[2], &s);
    for (int round = 0; round < 3; round++)
        for (int i = 2; i >= 0; i--) {
            snprintf(text, sizeof text, "round %d from %s\n", round, who[i]);
            PU_SEND(&c[i], &s, text);
            PU_EXPECT(&c[i], &s, text, 2000);
        }
    PU_SHUTDOWN(&c[0], &s);
    SL_HINT(ET_FLUSH_FIRST)
    {
        PU_EXPECT_EOF(&c[0], &s, 2000);
    }
    sl_conn_reset(&c[1]);
    PU_SEND(&c[2], &s, "C, after A left and B reset\n");
    PU_EXPECT(&c[2], &s, "C, after A left and B reset\n", 2000);
    sl_conn_close(&c[0]);
    sl_conn_close(&c[2]);
    PU_STILL_SERVING(&s, "a client that half-closed and one that reset");
    PU_STOP(&s);
}

/* ---- bulk: a client that half-closes with much of its echo still queued ---------- */

/* Runs peer p (connected to s): sends its bytes while reading, half-closes
 * once all is sent, then expects the rest of the echo and the end of the
 * stream. Ends the test on a failure. */
static inline void et_bulk_peer(pu_peer_t *p, sl_server_t *s, const char *what, int ms)
{
    double end = sl_deadline(ms) * 1000.0;
    size_t len = p->out_len, i = 0;

    p->want = len;
    while (p->sent < len && p->ended == PU_OPEN && sl_now_ms() < end)
        pu_peers_pump(p, 1, s, 50, 1);
    if (p->sent < len) {
        pu_if_ended(s, what, __FILE__, __LINE__);
        SL_HINT(ET_ONE_AT_A_TIME)
        {
            SL_FAIL_FATAL("%s: the server took %zu of %zu bytes and %zu came back within %d ms "
                          "(%s)", what, p->sent, len, p->in_len, sl_scaled_ms(ms), pu_peer_how(p));
        }
    }
    shutdown(p->fd, SHUT_WR);
    sl_note("%s: all %zu bytes sent, %zu back so far; half-closed", what, len, p->in_len);
    p->want = len + 1;   /* everything, then the end of the stream */
    pu_peers_pump(p, 1, s, ms, 0);
    while (i < p->in_len && i < len && p->in[i] == p->out[i])
        i++;
    if (i < p->in_len)
        SL_FAIL_FATAL("%s: byte %zu came back as 0x%02x, but 0x%02x was sent (from there it "
                      "came back as %s; sent %s)", what, i, p->in[i], p->out[i],
                      sl_bytes(p->in + i, p->in_len - i < 16 ? p->in_len - i : 16),
                      sl_bytes(p->out + i, 16));
    if (p->in_len < len || p->ended != PU_EOF) {
        pu_if_ended(s, what, __FILE__, __LINE__);
        SL_HINT(p->in_len < len ? ET_FLUSH_FIRST : "Once the client has half-closed and all "
                "its echo went, close the connection: the client reads to the end of the "
                "stream.")
        {
            SL_FAIL_FATAL("%s: after the half-close, %zu of %zu bytes came back, then %s", what,
                          p->in_len, len, pu_peer_how(p));
        }
    }
    sl_note("%s: all %zu bytes came back, then the end of the stream", what, len);
}

#define ET_QUEUED (192 * 1024)   /* less than MUX_QUEUE_MAX: the server reads it all */

/* A client that sends ET_QUEUED bytes without reading, then half-closes,
 * then reads: a small receive buffer and a small MSS (536) keep the
 * server's send buffer near 100 KiB, so when the server sees the end of
 * the stream, about 90 KiB of the echo still wait in its own queue. */
static inline void et_queued_at_eof(sl_server_t *s, pu_peer_t *p, const unsigned char *data)
{
    pu_peer_queue(p, data, ET_QUEUED);
    p->deaf = 1;
    pu_peers_pump(p, 1, s, 3000, 0);
    p->deaf = 0;
    if (p->sent < ET_QUEUED) {
        pu_if_ended(s, "while a client sent 192 KiB", __FILE__, __LINE__);
        SL_FAIL_FATAL("the server took %zu of 192 KiB from a client that did not read yet: it "
                      "must read a client until MUX_QUEUE_MAX bytes of its echo wait", p->sent);
    }
    shutdown(p->fd, SHUT_WR);
    sl_sleep_ms(sl_scaled_ms(100));   /* the server reads it all, and the end, meanwhile */
    sl_note("a client sent 192 KiB without reading (small buffers), half-closed, waited, "
            "now reads");
    p->want = ET_QUEUED + 1;   /* all of it, then the end of the stream */
    pu_peers_pump(p, 1, s, 4000, 0);
    if (p->in_len == ET_QUEUED && memcmp(p->in, data, ET_QUEUED) == 0 && p->ended == PU_EOF)
        return;
    pu_if_ended(s, "after a client half-closed", __FILE__, __LINE__);
    SL_HINT(ET_FLUSH_FIRST)
    {
        SL_FAIL_FATAL("a client sent 192 KiB, half-closed, then read: %zu bytes came back, %s, "
                      "then %s; expected all of them, then the end of the stream", p->in_len,
                      p->in_len && memcmp(p->in, data, p->in_len < ET_QUEUED ? p->in_len
                      : ET_QUEUED) ? "not as sent" : "as sent", pu_peer_how(p));
    }
}

static inline void et_half_close_flushes(const char *name, const char *host)
{
    static unsigned char data[2 << 20];
    sl_server_t s;
    pu_peer_t *p;

    sl_pattern(data, sizeof data, 5);
    PU_SERVER_START(&s, name, host);
    p = pu_peers_new(2);
    p[0].rcvbuf = 4096;
    p[0].mss = 536;
    pu_peers_connect(p, 0, 2, &s, &s);
    et_queued_at_eof(&s, &p[0], data);
    sl_note("all 192 KiB came back, then the end of the stream");
    pu_peer_queue(&p[1], data, sizeof data);
    et_bulk_peer(&p[1], &s, "2 MiB of every byte value, sent and read back at once", 8000);
    pu_peers_free(p, 2);
    PU_STOP(&s);
}

/* ---- 100 clients through the proxy that splits bytes ---------------------------- */

#define ET_PROXIES 4
#define ET_PER_PROXY 25
#define ET_CROWD (ET_PROXIES * ET_PER_PROXY)

/* Peer i's text: three lines, each to be sent in three pieces. */
static inline size_t et_text(int i, char *buf, size_t size)
{
    return (size_t)snprintf(buf, size, "peer %03d, line one\npeer %03d says line two\n"
                                       "and %03d ends\n", i, i, i);
}

static inline void et_through_proxies(const char *name, const char *host)
{
    sl_server_t s, px[ET_PROXIES];
    pu_peer_t *p;
    char text[ET_CROWD][96];
    size_t len[ET_CROWD];
    int late;

    PU_SERVER_START(&s, name, host);
    for (int k = 0; k < ET_PROXIES; k++)
        pu_start_proxy(&px[k], host, &s, ET_PER_PROXY);
    sl_note("%d clients, %d through each of %d sl-split-proxy (seed %s): each byte reaches "
            "the server in a segment of its own", ET_CROWD, ET_PER_PROXY, ET_PROXIES, PU_SEED);
    p = pu_peers_new(ET_CROWD);
    for (int k = 0; k < ET_PROXIES; k++)
        pu_peers_connect(p, k * ET_PER_PROXY, (k + 1) * ET_PER_PROXY, &px[k], &s);
    for (int i = 0; i < ET_CROWD; i++) {
        len[i] = et_text(i, text[i], sizeof text[i]);
        p[i].want = len[i];
    }
    /* nine pieces each, sent in turn: piece 0 of every client, then piece 1... */
    for (int piece = 0; piece < 9; piece++) {
        for (int i = 0; i < ET_CROWD; i++) {
            size_t from = len[i] * (size_t)piece / 9, to = len[i] * (size_t)(piece + 1) / 9;

            pu_peer_queue(&p[i], text[i] + from, to - from);
        }
        pu_peers_pump(p, ET_CROWD, &s, 2, 1);
    }
    late = pu_peers_pump(p, ET_CROWD, &s, 8000, 0);
    for (int i = 0; i < ET_CROWD; i++) {
        size_t j = 0;

        while (j < p[i].in_len && j < len[i] && p[i].in[j] == (unsigned char)text[i][j])
            j++;
        if (j < p[i].in_len || p[i].in_len < len[i]) {
            pu_if_ended(&s, "with 100 clients through the proxies", __FILE__, __LINE__);
            SL_HINT(late ? ET_ONE_AT_A_TIME : "Each client must get back exactly its own "
                    "bytes, in order: keep a queue per client (indexed by descriptor, or in "
                    "its entry's data), never one for all.")
            {
                SL_FAIL_FATAL("client %d of %d (through proxy %d) sent %s and got back %s "
                              "(%zu of %zu bytes; %s; %d clients were still waiting)", i,
                              ET_CROWD, i / ET_PER_PROXY, sl_bytes(text[i], len[i]),
                              sl_bytes(p[i].in, p[i].in_len), p[i].in_len, len[i],
                              pu_peer_how(&p[i]), late);
            }
        }
    }
    sl_note("each of the %d clients got its three lines back, whole", ET_CROWD);
    pu_peers_free(p, ET_CROWD);
    for (int k = 0; k < ET_PROXIES; k++)
        SL_SERVER_STOP(&px[k]);
    PU_STILL_SERVING(&s, "100 clients through the proxies");
    PU_STOP(&s);
}

/* ---- a client that never reads --------------------------------------------------- */

static inline void et_never_reader(const char *name, const char *host)
{
    const char *args[] = {"--connect", NULL, "--send", "64M", "--hold-ms", "5000",
                          "--max-seconds", "8", NULL};
    sl_server_t s;
    sl_prog_t stuck;
    sl_conn_t c[3];
    char text[64];

    PU_SERVER_START(&s, name, host);
    args[1] = s.where;
    if (sl_prog_start(&stuck, "sl-stuck-reader", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_prog_read(&stuck, "holding after ", sl_deadline(4000)) != 1) {
        pu_if_ended(&s, "while sl-stuck-reader sent", __FILE__, __LINE__);
        SL_FAIL_FATAL("sl-stuck-reader said nothing within 4 s: %s",
                      sl_bytes(stuck.out.data, stuck.out.len));
    }
    if (!strstr(stuck.out.data, "the server stopped taking them")) {
        SL_HINT("A client that sends and never reads must not make the server queue without "
                "end: once MUX_QUEUE_MAX bytes of its echo wait, stop watching it for "
                "reading (it then stalls itself, no one else) until it takes some.")
        {
            SL_FAIL_FATAL("%s took all 64 MiB from sl-stuck-reader, which read none of its "
                          "echo: the queue of a client is bounded (%s)", name,
                          sl_bytes(stuck.out.data, stuck.out.len));
        }
    }
    sl_note("sl-stuck-reader stalled; it keeps its connection for 5 s");
    for (int i = 0; i < 3; i++) {
        PU_CONNECT(&c[i], &s);
        for (int round = 0; round < 3; round++) {
            snprintf(text, sizeof text, "client %d, round %d: anyone there?\n", i, round);
            PU_SEND(&c[i], &s, text);
            SL_HINT(ET_BLOCKED_WRITE)
            {
                PU_EXPECT(&c[i], &s, text, 1500);
            }
        }
    }
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    sl_prog_free(&stuck);
    PU_STILL_SERVING(&s, "a client that never read");
    PU_STOP(&s);
}

/* ---- junk and resets -------------------------------------------------------------- */

/* Runs sl-reset-peer as a client of s: it sends text, reads `read` bytes of
 * the echo, waits after_ms, then resets. */
static inline void et_reset_client(sl_server_t *s, const char *text, const char *read,
                                   const char *after_ms)
{
    const char *args[] = {"--connect", s->where, "--send", text, "--read", read,
                          "--after-ms", after_ms, "--max-seconds", "3", NULL};
    sl_run_t r;

    if (sl_run(&r, "sl-reset-peer", args, NULL, 0, 4000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    sl_run_free(&r);
}

/* n peers that connect, send what they send, and reset at once. */
static inline void et_crowd_resets(sl_server_t *s, int n, const void *bytes, size_t len)
{
    pu_peer_t *p = pu_peers_new(n);

    pu_peers_connect(p, 0, n, s, s);
    for (int i = 0; i < n; i++)
        pu_peer_queue(&p[i], bytes, len);
    pu_peers_pump(p, n, s, 2000, 0);
    for (int i = 0; i < n; i++) {
        struct linger l = {1, 0};

        setsockopt(p[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    pu_peers_free(p, n);
}

static inline void et_junk_and_resets(const char *name, const char *host)
{
    static unsigned char junk[1 << 20];
    sl_server_t s;
    pu_peer_t *p;

    sl_pattern(junk, sizeof junk, 13);
    PU_SERVER_START(&s, name, host);
    p = pu_peers_new(1);
    pu_peers_connect(p, 0, 1, &s, &s);
    pu_peer_queue(p, junk, 65536);
    et_bulk_peer(p, &s, "64 KiB of junk, every byte value", 4000);
    pu_peers_free(p, 1);
    et_reset_client(&s, "reset before the echo\n", "0", "0");
    et_reset_client(&s, "reset in the middle of the echo\n", "5", "0");
    et_reset_client(&s, "reset after the echo\n", "21", "20");
    PU_STILL_SERVING(&s, "three clients of sl-reset-peer");
    sl_note("20 clients send 1 MiB of junk each, read none of it and reset: the server's "
            "queues for them are full when the resets come");
    et_crowd_resets(&s, 20, junk, sizeof junk);
    PU_STILL_SERVING(&s, "20 clients that reset with their echo queued");
    sl_note("50 clients send half a line and reset at once");
    et_crowd_resets(&s, 50, "half a li", 9);
    PU_STILL_SERVING(&s, "50 clients that reset in the middle of a line");
    PU_ECHO_ONCE(&s, "still there?\n");
    PU_CHECK_ERR_FORM(&s);
    PU_STOP(&s);
}

/* ---- 1000 clients come and go ------------------------------------------------------ */

#define ET_CYCLES 1000
#define ET_BATCH 50

/* One batch of clients that each do one of four things, then leave:
 * close at once; send a line and close without reading; be served and
 * close; send a line and reset. */
static inline void et_batch(sl_server_t *s, int first)
{
    static const char line[] = "echo me\n";
    pu_peer_t *p = pu_peers_new(ET_BATCH);

    pu_peers_connect(p, 0, ET_BATCH, s, s);
    for (int i = 0; i < ET_BATCH; i++) {
        int kind = (first + i) % 4;

        if (kind != 0)
            pu_peer_queue(&p[i], line, sizeof line - 1);
        p[i].want = kind == 2 ? sizeof line - 1 : 0;
    }
    pu_peers_pump(p, ET_BATCH, s, 3000, 0);
    for (int i = 0; i < ET_BATCH; i++) {
        int kind = (first + i) % 4;
        struct linger l = {1, 0};

        if (kind == 2 && p[i].in_len < sizeof line - 1) {
            pu_if_ended(s, "while clients came and went", __FILE__, __LINE__);
            SL_FAIL_FATAL("client %d of %d got %s of its echo, then %s", first + i, ET_CYCLES,
                          sl_bytes(p[i].in, p[i].in_len), pu_peer_how(&p[i]));
        }
        if (kind == 0 || kind == 3)
            setsockopt(p[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    pu_peers_free(p, ET_BATCH);
}

static inline void et_no_fd_leak(const char *name, const char *host)
{
    sl_server_t s;
    int base, now;

    PU_SERVER_START(&s, name, host);
    PU_ECHO_ONCE(&s, "first\n");
    base = pu_fds_of(&s);
    sl_note("%s holds %d descriptors; now %d clients, %d at a time", name, base, ET_CYCLES,
            ET_BATCH);
    /* Each batch waits until the server has accepted it: else clients
     * closed before they were accepted pile up in the listen queue, and once
     * it is full the kernel drops new connections for a second. */
    for (int first = 0; first < ET_CYCLES; first += ET_BATCH) {
        et_batch(&s, first);
        pu_wait_accepted(&s, 1000);
    }
    PU_STILL_SERVING(&s, "1000 clients that came and went");
    now = pu_wait_fds(&s, base, 3000);
    SL_HINT("Close a client's socket whatever ended it (the end of the stream, a reset, a "
            "failed send), and only once: a server that forgets runs out of descriptors "
            "(EMFILE) after a few thousand clients.")
    {
        if (now != base)
            SL_FAIL("%s held %d descriptors before 1000 clients came and went (250 left at "
                    "once, 250 left without reading their echo, 250 were served, 250 reset) "
                    "and %d after: %d left open", name, base, now, now - base);
    }
    PU_ECHO_ONCE(&s, "last\n");
    PU_STOP(&s);
}

/* ---- no busy loop ------------------------------------------------------------------ */

/* Milliseconds that process pid has been running or runnable (waiting for
 * a CPU), from /proc/PID/schedstat, or -1 if the kernel does not say. A
 * process that spins is one or the other all the time, however busy the
 * machine: its CPU time alone may be a small part of the window when other
 * tests take the cores, but this is not. One that sleeps in its wait is
 * neither. */
static inline double pu_busy_ms(pid_t pid)
{
    char path[64];
    unsigned long long run, wait;
    FILE *f;
    int n;

    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    n = fscanf(f, "%llu %llu", &run, &wait);
    fclose(f);
    return n == 2 ? (double)(run + wait) / 1e6 : -1;
}

/* Ends the test if server s, with nothing to do, does not sleep: over a
 * window of 400 ms it must be running or waiting for a CPU less than half
 * of the time (a spinner is near all of it, an idle server near none).
 * Where the kernel has no schedstat, its CPU time must stay under a third
 * of the window instead. */
static inline void pu_check_idle(sl_server_t *s, const char *after)
{
    const int window = 400;
    double b0, b1, t0, t1;

    sl_sleep_ms(50);
    pu_if_ended_in(s, after, __FILE__, __LINE__, 0);
    b0 = pu_busy_ms(s->prog.pid);
    t0 = pu_cpu_ms(s->prog.pid);
    sl_sleep_ms(window);
    b1 = pu_busy_ms(s->prog.pid);
    t1 = pu_cpu_ms(s->prog.pid);
    pu_if_ended(s, after, __FILE__, __LINE__);
    if (t0 < 0 || t1 < 0)
        SL_FAIL_FATAL("test: cannot read the CPU time of %s (/proc/%d/stat)", s->prog.name,
                      (int)s->prog.pid);
    if (b0 >= 0 && b1 >= 0 ? b1 - b0 > window / 2.0 : t1 - t0 > window / 3.0)
        SL_FAIL_FATAL("with nothing to do, %s was running or waiting for a CPU %.0f ms of %d ms "
                      "(%.0f ms of CPU) (%s): it does not sleep in select() or poll(), but "
                      "spins", s->prog.name, b0 >= 0 && b1 >= 0 ? b1 - b0 : t1 - t0, window,
                      t1 - t0, after);
    sl_note("%s used %.0f ms of CPU in %d ms with nothing to do", s->prog.name, t1 - t0, window);
}

/* ---- out of descriptors -------------------------------------------------------------- */

#define ET_FD_ROOM 10    /* descriptors the server gets for clients, past those it holds */
#define ET_FD_CROWD 40   /* clients that come: most of them find no descriptor */

#define ET_EMFILE_HINT                                                                    \
    "Out of descriptors, accept() fails with EMFILE and the client stays queued: the "   \
    "listener stays readable, and a loop that only retries spins. srv_accept() (given) "  \
    "takes such a client with its spare descriptor and closes it at once: take clients "  \
    "only with srv_accept(), until it says -1, and go on serving the others."

/* Lowers the server's limit on descriptors (RLIMIT_NOFILE, with prlimit(2))
 * to `limit`: the kernel then refuses it more, as it would a server with a
 * thousand clients. */
static inline void et_limit_fds(sl_server_t *s, int limit)
{
    struct rlimit r;

    if (syscall(SYS_prlimit64, (long)s->prog.pid, (long)RLIMIT_NOFILE, NULL, &r) < 0)
        SL_FAIL_FATAL("test: prlimit(%s): %s", s->prog.name, strerror(errno));
    r.rlim_cur = (rlim_t)limit;
    if (syscall(SYS_prlimit64, (long)s->prog.pid, (long)RLIMIT_NOFILE, &r, NULL) < 0)
        SL_FAIL_FATAL("test: prlimit(%s, %d descriptors): %s", s->prog.name, limit,
                      strerror(errno));
}

static inline void et_out_of_descriptors(const char *name, const char *host)
{
    sl_server_t s;
    pu_peer_t *p;
    int base, served = 0, away = 0;
    char text[32];

    PU_SERVER_START(&s, name, host);
    base = pu_fds_of(&s);
    et_limit_fds(&s, base + ET_FD_ROOM);
    sl_note("%s may now open %d descriptors (it holds %d); %d clients come at once, each "
            "sending a line", name, base + ET_FD_ROOM, base, ET_FD_CROWD);
    p = pu_peers_new(ET_FD_CROWD);
    pu_peers_connect(p, 0, ET_FD_CROWD, &s, &s);
    for (int i = 0; i < ET_FD_CROWD; i++) {
        int len = snprintf(text, sizeof text, "peer %02d\n", i);

        pu_peer_queue(&p[i], text, (size_t)len);
        p[i].want = (size_t)len;
    }
    pu_peers_pump(p, ET_FD_CROWD, &s, 3000, 0);
    for (int i = 0; i < ET_FD_CROWD; i++) {
        if (p[i].in_len == p[i].out_len && memcmp(p[i].in, p[i].out, p[i].out_len) == 0)
            served++;
        else if (p[i].ended != PU_OPEN && p[i].in_len == 0)
            away++;
        else {
            pu_if_ended(&s, "out of descriptors", __FILE__, __LINE__);
            SL_HINT(ET_EMFILE_HINT)
            {
                SL_FAIL_FATAL("out of descriptors, client %d sent %s and got %s back (%s): "
                              "each client must be served, or be closed at once if the server "
                              "has no descriptor for it", i, sl_bytes(p[i].out, p[i].out_len),
                              sl_bytes(p[i].in, p[i].in_len), pu_peer_how(&p[i]));
            }
        }
    }
    sl_note("%d clients were served, %d turned away", served, away);
    if (served == 0)
        SL_FAIL_FATAL("out of descriptors, none of %d clients was served: the %d descriptors "
                      "left were for them", ET_FD_CROWD, ET_FD_ROOM);
    SL_HINT(ET_EMFILE_HINT)
    {
        pu_check_idle(&s, "out of descriptors, its clients quiet, others turned away");
    }
    PU_CHECK_ERR_FORM(&s);
    sl_note("the served clients leave; the server has descriptors again");
    for (int i = 0; i < ET_FD_CROWD; i++)
        pu_peer_close(&p[i]);
    pu_peers_free(p, ET_FD_CROWD);
    pu_wait_fds(&s, base, 2000);
    SL_HINT("Once clients leave, their descriptors are free again: new clients must be "
            "served, as before the server ran out.")
    {
        PU_ECHO_ONCE(&s, "after the shortage\n");
    }
    PU_STOP(&s);
}

static inline void et_sleeps_while_idle(const char *name, const char *host)
{
    sl_server_t s;
    sl_conn_t a, b, c;

    PU_SERVER_START(&s, name, host);
    PU_CONNECT(&a, &s);
    PU_CONNECT(&b, &s);
    PU_CONNECT(&c, &s);
    PU_SEND(&a, &s, "a\n");
    PU_EXPECT(&a, &s, "a\n", 2000);
    PU_SEND(&b, &s, "b\n");
    PU_EXPECT(&b, &s, "b\n", 2000);
    PU_SEND(&c, &s, "c, half a line");
    PU_EXPECT(&c, &s, "c, half a line", 2000);
    sl_conn_close(&a);
    sl_conn_reset(&b);
    pu_check_idle(&s, "one client left, another reset, a third is connected and quiet");
    PU_SEND(&c, &s, ", still here\n");
    PU_EXPECT(&c, &s, ", still here\n", 2000);
    sl_conn_close(&c);
    PU_STOP(&s);
}

/* ---- SIGTERM and SIGINT ------------------------------------------------------------- */

static inline void et_stops(const char *name, const char *host)
{
    static const int sigs[2] = {SIGTERM, SIGINT};
    sl_server_t s;
    sl_conn_t a, b;

    for (int k = 0; k < 2; k++) {
        PU_SERVER_START(&s, name, host);
        PU_CONNECT(&a, &s);
        PU_CONNECT(&b, &s);
        PU_SEND(&a, &s, "quiet now\n");
        PU_EXPECT(&a, &s, "quiet now\n", 2000);
        PU_SEND(&b, &s, "half a line");
        PU_EXPECT(&b, &s, "half a line", 2000);
        SL_HINT("SIGTERM or SIGINT while clients are connected: the signal's byte makes "
                "srv->sigfd readable; see it (watch sigfd like the others, and check "
                "srv_stopping() each round), close every client and return 0 from loop().")
        {
            if (sl_prog_stop(&s.prog, sigs[k], SL_STOP_MS) < 0)
                sl_harness_fail(__FILE__, __LINE__);
        }
        sl_prog_free(&s.prog);
        sl_conn_close(&a);
        sl_conn_close(&b);
    }
}

#endif
