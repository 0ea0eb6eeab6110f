/* Task 7: chat-server under load and faults: 100 clients through the
 * proxy that splits bytes, a client that never reads, junk and resets,
 * 1000 clients that come and go. Every load is bounded in count and time;
 * the bound on how long others wait is a generous one, scaled by
 * SOCKLAB_TIMEOUT_SCALE: it tells a server that waits on one client from
 * one that does not, never a fast server from a slow one. */
#include "chatutil.h"

SL_TASK_PROGRAMS(7, "The chat server");

/* ---- 100 clients through the proxies ------------------------------------------------ */

#define PROXIES 4
#define PER_PROXY 25
#define CROWD (PROXIES * PER_PROXY)
#define SENDERS 10    /* every tenth client speaks */
#define LINES 2       /* lines each */
#define PIECES 5      /* each line sent in so many pieces, in turn with the others */

/* Line k of speaker i. */
static size_t line_of(int i, int k, char *buf, size_t size)
{
    return (size_t)snprintf(buf, size, "client %03d, line %d\n", i, k);
}

/* Checks what peer r received: every line of every speaker but r, whole,
 * each once, each speaker's in order. Ends the test on a failure. */
static void check_room(sl_server_t *s, const pu_peer_t *p, int r)
{
    char line[96];
    int next[CROWD] = {0};
    size_t at = 0;

    while (at < p[r].in_len) {
        const unsigned char *start = p[r].in + at;
        const unsigned char *nl = memchr(start, '\n', p[r].in_len - at);
        size_t len = nl ? (size_t)(nl - start) + 1 : p[r].in_len - at;
        int i = -1, k;

        if (len >= 12 && sscanf((const char *)start, "client %d", &i) == 1 && i >= 0 &&
            i < CROWD && i % (CROWD / SENDERS) == 0 && next[i] < LINES) {
            k = next[i];
            if (line_of(i, k, line, sizeof line) != len || memcmp(line, start, len) != 0)
                i = -1;
        }
        if (i < 0 || i == r) {
            SL_HINT(i == r ? "A line goes to every other client, never back to its sender."
                           : CU_PARTIAL)
            {
                SL_FAIL_FATAL("client %d received %s: %s", r, sl_bytes(start, len),
                              i == r ? "its own line, sent back to it"
                                     : "no client sent that line; pieces of several lines "
                                       "were mixed into it");
            }
        }
        next[i]++;
        at += len;
    }
    for (int i = 0; i < CROWD; i += CROWD / SENDERS)
        if (i != r && next[i] != LINES) {
            pu_if_ended(s, "with 100 clients through the proxies", __FILE__, __LINE__);
            SL_HINT(CU_HELD_UP)
            {
                SL_FAIL_FATAL("client %d received %d of the %d lines of client %d (%s)", r,
                              next[i], LINES, i, pu_peer_how(&p[r]));
            }
        }
}

static void through_proxies(const char *host)
{
    sl_server_t s, px[PROXIES];
    char text[CROWD][LINES][64];
    size_t len[CROWD][LINES], total = 0;
    pu_peer_t *p;
    int base;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    for (int k = 0; k < PROXIES; k++)
        pu_start_proxy(&px[k], host, &s, PER_PROXY);
    sl_note("%d clients, %d through each of %d sl-split-proxy (seed %s); %d of them speak, "
            "%d lines each, every line in %d pieces sent in turn with the others'", CROWD,
            PER_PROXY, PROXIES, PU_SEED, SENDERS, LINES, PIECES);
    p = pu_peers_new(CROWD);
    for (int k = 0; k < PROXIES; k++)
        pu_peers_connect(p, k * PER_PROXY, (k + 1) * PER_PROXY, &px[k], &s);
    cu_accepted(&s, base + CROWD, "100 clients, through the proxies,");
    for (int i = 0; i < CROWD; i += CROWD / SENDERS)
        for (int k = 0; k < LINES; k++)
            total += len[i][k] = line_of(i, k, text[i][k], sizeof text[i][k]);
    for (int i = 0; i < CROWD; i++) {
        p[i].want = total;
        if (i % (CROWD / SENDERS) == 0)
            p[i].want -= len[i][0] + len[i][1];
    }
    for (int k = 0; k < LINES; k++)
        for (int piece = 0; piece < PIECES; piece++) {
            for (int i = 0; i < CROWD; i += CROWD / SENDERS) {
                size_t from = len[i][k] * (size_t)piece / PIECES;
                size_t to = len[i][k] * (size_t)(piece + 1) / PIECES;

                pu_peer_queue(&p[i], text[i][k] + from, to - from);
            }
            pu_peers_pump(p, CROWD, &s, 5, 1);
        }
    pu_peers_pump(p, CROWD, &s, 8000, 0);
    for (int r = 0; r < CROWD; r++)
        check_room(&s, p, r);
    sl_note("each of the %d clients got the %d lines of the others, each whole", CROWD,
            SENDERS * LINES);
    pu_peers_free(p, CROWD);
    for (int k = 0; k < PROXIES; k++)
        SL_SERVER_STOP(&px[k]);
    PU_STILL_SERVING(&s, "100 clients through the proxies");
    PU_STOP(&s);
}

SL_TEST_TIMEOUT(chat_100_clients_through_proxies_ipv4, 4, 10000,
                "100 clients at once, each byte in a segment of its own (sl-split-proxy): lines "
                "come a byte at a time, the pieces of ten speakers in turn. Each client's "
                "input waits in its own buffer until a whole line is there.")
{
    through_proxies("127.0.0.1");
}

SL_TEST_TIMEOUT(chat_100_clients_through_proxies_ipv6, 4, 10000,
                "100 clients at once over IPv6, each byte in a segment of its own: each "
                "client's input waits in its own buffer until a whole line is there.")
{
    through_proxies("::1");
}

/* ---- a client that never reads ---------------------------------------------------------- */

#define FLOOD_LINES 1024   /* a chunk of 1 MiB of chat: four times MUX_QUEUE_MAX */
#define FLOOD_LINE 1024
#define FLOOD_CHUNKS 16    /* at most: the kernel's own buffers may take a few MiB first */

/* Sends one chunk of lines from p[0], which p[1] and p[2] must get whole
 * within a bound (generous, scaled): 0 once they have, else the test ends. */
static void flood_once(sl_server_t *s, pu_peer_t *p, const char *flood, size_t len, int chunk)
{
    p[0].out_len = p[0].sent = 0;
    pu_peer_queue(&p[0], flood, len);
    for (int i = 1; i < 3; i++) {
        p[i].in_len = 0;
        p[i].want = len;
    }
    pu_peers_pump(p, 3, s, 3000, 0);
    for (int i = 1; i < 3; i++)
        if (p[i].in_len != len || memcmp(p[i].in, flood, len) != 0) {
            size_t j = 0;

            while (j < p[i].in_len && p[i].in[j] == (unsigned char)flood[j])
                j++;
            pu_if_ended(s, "while the room chatted around sl-stuck-reader", __FILE__, __LINE__);
            SL_HINT(j == p[i].in_len ? CU_HELD_UP
                                     : "Each line goes to each other client whole and in order.")
            {
                SL_FAIL_FATAL("MiB %d of the chat, while sl-stuck-reader read none of it: "
                              "client %d got %zu of the %zu bytes within %d ms, %s; %zu of "
                              "them were sent (%s)", chunk + 1, i, p[i].in_len, len,
                              sl_scaled_ms(3000), j == p[i].in_len ? "then nothing"
                              : "then bytes that differ", p[0].sent, pu_peer_how(&p[i]));
            }
        }
}

SL_NET_TEST(chat_client_that_never_reads, 4, 12000,
            "sl-stuck-reader joins and reads nothing while the room chats: lines queue up for "
            "it. The others must get every line without waiting for it, and once its queue "
            "would pass MUX_QUEUE_MAX, it is dropped.")
{
    static char flood[FLOOD_LINES * FLOOD_LINE];
    const char *args[] = {"--connect", NULL, "--send", "0", "--hold-ms", "10000",
                          "--max-seconds", "12", NULL};
    sl_server_t s;
    sl_prog_t stuck;
    pu_peer_t *p;
    int base, chunk, dropped = 0;

    for (int i = 0; i < FLOOD_LINES; i++) {
        char *l = flood + (size_t)i * FLOOD_LINE;

        sl_pattern(l, FLOOD_LINE - 1, (uint32_t)i);
        for (int j = 0; j < FLOOD_LINE - 1; j++)
            l[j] = (char)('a' + (unsigned char)l[j] % 26);
        l[FLOOD_LINE - 1] = '\n';
    }
    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    args[1] = s.where;
    if (sl_prog_start(&stuck, "sl-stuck-reader", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    cu_accepted(&s, base + 1, "sl-stuck-reader");
    p = pu_peers_new(3);
    pu_peers_connect(p, 0, 3, &s, &s);
    cu_accepted(&s, base + 4, "three clients and sl-stuck-reader");
    sl_note("the first client sends lines of %d bytes, 1 MiB at a time, until sl-stuck-reader "
            "(which reads nothing) is dropped, %d MiB at most; the two others read them",
            FLOOD_LINE, FLOOD_CHUNKS);
    for (chunk = 0; chunk < FLOOD_CHUNKS && !dropped; chunk++) {
        flood_once(&s, p, flood, sizeof flood, chunk);
        dropped = pu_wait_fds(&s, base + 3, chunk == FLOOD_CHUNKS - 1 ? 2000 : 20) == base + 3;
    }
    sl_note("both readers got %d MiB; sl-stuck-reader %s", chunk,
            dropped ? "was dropped" : "is still connected");
    SL_HINT("A client that reads nothing: once its queue would pass MUX_QUEUE_MAX "
            "(mux_buf_append() fails with ENOBUFS), drop it, else its queue, and the "
            "server's memory, grow for as long as the room talks.")
    {
        if (!dropped)
            SL_FAIL("after %d MiB of chat, sl-stuck-reader, which read none of it, is still "
                    "connected (%s holds %d descriptors, expected %d)", FLOOD_CHUNKS, CHAT,
                    pu_fds_of(&s), base + 3);
    }
    if (p[0].in_len != 0)
        SL_FAIL("the client that sent the lines got %zu bytes back: a line never goes back to "
                "its sender", p[0].in_len);
    flood_once(&s, p, flood, 4 * FLOOD_LINE, chunk);
    pu_peers_free(p, 3);
    sl_prog_free(&stuck);
    PU_STOP(&s);
}

/* ---- junk and resets ---------------------------------------------------------------------- */

/* n peers that connect, send bytes and reset at once. */
static void crowd_resets(sl_server_t *s, int n, const void *bytes, size_t len)
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

SL_NET_TEST(chat_survives_junk_and_resets, 3, 8000,
            "Junk is lines too (bytes up to a '\\n'); a client that resets (mux_recv() or "
            "mux_flush() fail with ECONNRESET or EPIPE) is dropped, whatever it had queued. "
            "One bad client never stops the room.")
{
    static unsigned char junk[65536], no_lines[32768];
    const unsigned char *last;
    sl_server_t s;
    sl_conn_t c[2];
    size_t whole;
    int base;

    sl_pattern(junk, sizeof junk, 21);
    last = junk + sizeof junk;
    while (last > junk && last[-1] != '\n')
        last--;
    whole = (size_t)(last - junk);
    sl_pattern(no_lines, sizeof no_lines, 22);
    for (size_t i = 0; i < sizeof no_lines; i++)
        if (no_lines[i] == '\n')
            no_lines[i] = ' ';
    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 2, base);
    sl_note("64 KiB of junk: %zu bytes of lines, then %zu bytes with no newline", whole,
            sizeof junk - whole);
    PU_SEND_BYTES(&c[0], &s, junk, sizeof junk);
    PU_EXPECT_BYTES(&c[1], &s, junk, whole, 3000);
    SL_HINT(CU_PARTIAL)
    {
        PU_SILENCE(&c[1], &s, 100);
    }
    et_reset_client(&s, "a line, then a reset\n", "0", "0");
    et_reset_client(&s, "half a line, then a reset", "0", "0");
    PU_STILL_SERVING(&s, "two clients of sl-reset-peer");
    sl_note("20 clients send 32 KiB of junk with no newline each and reset; 50 send half a "
            "line and reset");
    crowd_resets(&s, 20, no_lines, sizeof no_lines);
    crowd_resets(&s, 50, "half a li", 9);
    PU_STILL_SERVING(&s, "70 clients that sent junk and reset");
    cu_drain(&c[0], 100);   /* the line of sl-reset-peer, if it was read before the reset */
    cu_drain(&c[1], 1);
    PU_SEND(&c[1], &s, "after the storm\n");
    PU_EXPECT(&c[0], &s, "after the storm\n", 2000);
    PU_CHECK_ERR_FORM(&s);
    sl_conn_close(&c[0]);
    sl_conn_close(&c[1]);
    PU_STOP(&s);
}

/* ---- 1000 clients come and go ---------------------------------------------------------- */

#define CYCLES 1000
#define BATCH 50

/* One batch of clients that each do one of four things, then leave:
 * close at once; send a line and close; send half a line and close;
 * send a line and reset. The lines go to the others of the batch. */
static void batch(sl_server_t *s, int first)
{
    static const char line[] = "here and gone\n";
    pu_peer_t *p = pu_peers_new(BATCH);

    pu_peers_connect(p, 0, BATCH, s, s);
    for (int i = 0; i < BATCH; i++) {
        int kind = (first + i) % 4;

        if (kind == 1 || kind == 3)
            pu_peer_queue(&p[i], line, sizeof line - 1);
        else if (kind == 2)
            pu_peer_queue(&p[i], line, 5);
    }
    pu_peers_pump(p, BATCH, s, 3000, 0);
    for (int i = 0; i < BATCH; i++) {
        struct linger l = {1, 0};

        if ((first + i) % 4 == 3)
            setsockopt(p[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    pu_peers_free(p, BATCH);
}

SL_NET_TEST(chat_no_descriptor_left_after_1000_clients, 2, 8000,
            "Every client that goes, however it goes, loses its entry, its socket and its "
            "buffers: after 1000 clients the server holds the descriptors it held before.")
{
    sl_server_t s;
    sl_conn_t a;
    int base, now;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    sl_note("%s holds %d descriptors; now %d clients, %d at a time", CHAT, base, CYCLES, BATCH);
    /* Each batch waits until the server has accepted it: else clients
     * closed before they were accepted pile up in the listen queue, and once
     * it is full the kernel drops new connections for a second. */
    for (int first = 0; first < CYCLES; first += BATCH) {
        batch(&s, first);
        pu_wait_accepted(&s, 1000);
    }
    PU_STILL_SERVING(&s, "1000 clients that came and went");
    now = pu_wait_fds(&s, base, 3000);
    SL_HINT("Close a client's socket whatever ended it (the end of its stream, a reset, a "
            "line too long, a full queue), and only once.")
    {
        if (now != base)
            SL_FAIL("%s held %d descriptors before 1000 clients came and went (250 left at "
                    "once, 250 after a line, 250 in the middle of a line, 250 reset) and %d "
                    "after: %d left open", CHAT, base, now, now - base);
    }
    PU_CONNECT(&a, &s);
    cu_accepted(&s, base + 1, "a client after the 1000");
    sl_conn_close(&a);
    PU_STOP(&s);
}

/* ---- no busy loop, and a clean stop ------------------------------------------------------ */

SL_NET_TEST(chat_sleeps_while_idle, 1, 5000,
            "With nothing to do the server waits in poll() (timeout -1), using no CPU: an "
            "entry of a client that left (POLLNVAL), or POLLOUT asked for an empty queue (a "
            "socket is nearly always writable), makes it spin.")
{
    sl_server_t s;
    sl_conn_t c[3];
    int base;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 3, base);
    PU_SEND(&c[0], &s, "hi\n");
    PU_EXPECT(&c[1], &s, "hi\n", 2000);
    PU_EXPECT(&c[2], &s, "hi\n", 2000);
    PU_SEND(&c[0], &s, "half");
    sl_conn_close(&c[1]);
    sl_conn_reset(&c[2]);
    pu_check_idle(&s, "one client left, another reset, a third is in the middle of a line");
    cu_join(&s, &c[1], 1, base + 1);
    PU_SEND(&c[0], &s, " done\n");
    SL_HINT("Client 0 sent \"half\" before the others left, and \" done\\n\" after a new client "
            "came: the new client must get \"half done\\n\" whole. Keep a partial line in its "
            "sender's input until its newline comes, whoever joins or leaves meanwhile, and "
            "pass on only whole lines.")
    {
        PU_EXPECT(&c[1], &s, "half done\n", 2000);
    }
    sl_conn_close(&c[0]);
    sl_conn_close(&c[1]);
    PU_STOP(&s);
}

SL_NET_TEST(chat_stops_on_sigterm_and_sigint, 1, 0,
            "SIGTERM and SIGINT make srv->sigfd readable: leave the loop, close every client, "
            "return 0.")
{
    static const int sigs[2] = {SIGTERM, SIGINT};
    sl_server_t s;
    sl_conn_t c[2];

    for (int k = 0; k < 2; k++) {
        PU_SERVER_START(&s, CHAT, host);
        cu_join(&s, c, 2, pu_fds_of(&s));
        PU_SEND(&c[0], &s, "bye\nhalf a");
        PU_EXPECT(&c[1], &s, "bye\n", 2000);
        SL_HINT("SIGTERM or SIGINT while clients are connected: srv->sigfd becomes readable; "
                "leave the loop, close every client, return 0.")
        {
            if (sl_prog_stop(&s.prog, sigs[k], SL_STOP_MS) < 0)
                sl_harness_fail(__FILE__, __LINE__);
        }
        sl_prog_free(&s.prog);
        sl_conn_close(&c[0]);
        sl_conn_close(&c[1]);
    }
}
