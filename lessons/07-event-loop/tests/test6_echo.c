/* Task 6: reactor-echo-server, driven over sockets as clients would, once
 * per backend (--backend select|poll|epoll). No student code runs in
 * these tests' process. */
#include "crowd.h"

#include <sys/resource.h>

SL_TASK_PROGRAMS(6, "The echo server");

static const char *const no_args[] = {NULL};

/* The server's address as a sockaddr. */
static const struct sockaddr *addr_of(const sl_server_t *s)
{
    return (const struct sockaddr *)&s->addr;
}

RT_SERVERS(echo_one_line, 2, 0,
           "The echo protocol's data_received() writes what came to its transport: "
           "pr_write(p->transport, data, len). When the client half-closes, the rest of its "
           "echo goes, then the close.")
{
    sl_server_t s;
    sl_conn_t c;

    CR_START(&s, ECHO, backend, host, no_args);
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "hello, reactor\n");
    SL_EXPECT(&c, "hello, reactor\n", 2000);
    SL_SEND(&c, "one\ntwo\n");
    SL_EXPECT(&c, "one\ntwo\n", 2000);
    SL_SEND(&c, "last words");
    sl_conn_shutdown(&c);
    SL_EXPECT(&c, "last words", 2000);
    SL_HINT("At the end of the client's stream (recv() returns 0) the transport sends what "
            "waits, then closes: pr_lose_connection().")
    {
        SL_EXPECT_EOF(&c, 2000);
    }
    sl_conn_close(&c);
    CR_STOP(&s);
}

#define PROXIES 4
#define PER_PROXY 25

RT_SERVERS(echo_100_clients_through_proxies, 4, 8000,
           "100 clients at once through sl-split-proxy, each byte in a TCP segment of its own, "
           "each client's line sent in two halves: every recv() of the server brings a byte or "
           "so of one client, between the others'. Each gets its own bytes back, in order.")
{
    const char *pargs[] = {"--to", NULL, "--seed", "42", "--max-delay-us", "100",
                           "--max-conns", "25", "--max-seconds", "15", NULL};
    sl_server_t s, px[PROXIES];
    cr_crowd_t crowd[PROXIES];
    int ok = 0;

    CR_START(&s, ECHO, backend, host, no_args);
    pargs[1] = s.where;
    for (int k = 0; k < PROXIES; k++)
        SL_SERVER_START_ARGS(&px[k], "sl-split-proxy", host, pargs);
    for (int k = 0; k < PROXIES; k++) {
        int n = cr_connect(&crowd[k], PER_PROXY, addr_of(&px[k]), px[k].addrlen, PER_PROXY,
                           3000);

        if (n != PER_PROXY)
            SL_FAIL_FATAL("%d of %d clients connected through proxy %d", n, PER_PROXY, k);
        for (int i = 0; i < PER_PROXY; i++) {
            cr_peer_t *p = &crowd[k].p[i];

            p->out_len = (size_t)snprintf(p->out, sizeof p->out,
                                          "client %03d says a line in two halves\n",
                                          k * PER_PROXY + i);
        }
    }
    for (int k = 0; k < PROXIES; k++)
        cr_send(&crowd[k], 12);
    sl_sleep_ms(50);
    for (int k = 0; k < PROXIES; k++)
        cr_send(&crowd[k], CR_MSG);
    for (int k = 0; k < PROXIES; k++) {
        int wrong;

        ok += cr_collect(&crowd[k], crowd[k].p[0].out_len, 6000);
        wrong = cr_first_wrong(&crowd[k]);
        if (wrong >= 0) {
            cr_peer_t *p = &crowd[k].p[wrong];

            SL_FAIL("client %d sent \"%s\" and got %s%s", k * PER_PROXY + wrong,
                    sl_bytes(p->out, p->out_len), sl_bytes(p->in, p->got < CR_MSG ? p->got : CR_MSG),
                    p->closed ? ", then the server closed it" : "");
            break;
        }
    }
    SL_CHECK_INT("clients of 100 that got their whole echo", ok, PROXIES * PER_PROXY);
    for (int k = 0; k < PROXIES; k++) {
        cr_free(&crowd[k]);
        sl_server_stop(&px[k]);
    }
    CR_ALIVE(&s, "100 clients through proxies");
    CR_STOP(&s);
}

#define ORDER_BYTES (4 << 20)

/* The byte at offset i of the stream the order check sends. */
static char order_byte(size_t i)
{
    return (char)(((unsigned)i * 2654435761u) >> 24);   /* no period a shift could hide */
}

/* A client that sends 4 MiB faster than it reads its echo (a small
 * receive buffer, 1500 bytes a read): the server's output fills, it pauses
 * and resumes the client again and again, each time with bytes waiting and
 * its socket writable in the round its read callback writes more. The echo
 * must come back whole, in order. */
static void echo_comes_back_in_order(const sl_server_t *s)
{
    static char got[ORDER_BYTES];
    char chunk[8192];
    size_t sent = 0, back = 0;
    int fd = socket(s->addr.ss_family, SOCK_STREAM, 0), small = 4096;
    double end = sl_now_ms() + sl_scaled_ms(4000);

    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small) < 0 ||
        connect(fd, addr_of(s), s->addrlen) < 0)
        SL_FAIL_FATAL("could not connect to %s: %s", s->where, strerror(errno));
    rt_nonblock(fd);
    while (back < ORDER_BYTES && sl_now_ms() < end) {
        ssize_t n;

        if (sent < ORDER_BYTES) {
            size_t len = ORDER_BYTES - sent < sizeof chunk ? ORDER_BYTES - sent : sizeof chunk;

            for (size_t i = 0; i < len; i++)
                chunk[i] = order_byte(sent + i);
            if ((n = send(fd, chunk, len, MSG_NOSIGNAL)) > 0)
                sent += (size_t)n;
        }
        n = recv(fd, got + back, ORDER_BYTES - back < 1500 ? ORDER_BYTES - back : 1500, 0);
        if (n > 0)
            back += (size_t)n;
        else if (n == 0)
            break;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            sl_sleep_ms(0);
        else
            break;
    }
    sl_note("the order check sent %zu bytes and got %zu back", sent, back);
    SL_HINT("Echo bytes out of order: while bytes wait in the transport's output, pr_write() "
            "must append to them and send nothing itself (send() at once only when "
            "pr_pending() is 0). Here the server resumed reading a client whose output still "
            "waited, with its socket writable: what pr_write() sent at once went ahead.")
    {
        SL_CHECK_INT("echo bytes back of 4 MiB sent", back, ORDER_BYTES);
        for (size_t i = 0; i < back; i++)
            if (got[i] != order_byte(i)) {
                SL_FAIL("the echo differs from what was sent from offset %zu on (of %zu back): "
                        "bytes out of order", i, back);
                break;
            }
    }
    close(fd);
}

RT_SERVERS(echo_client_that_never_reads, 4, 9000,
           "sl-stuck-reader sends and never reads. Back-pressure: once PR_OUT_HIGH of its echo "
           "waits, the transport stops reading it (el_del() EL_READABLE) and it stalls itself; "
           "the server's memory stays bounded, and the other clients are served meanwhile.")
{
    const char *args[] = {"--connect", NULL, "--send", "64M", "--hold-ms", "4000",
                          "--max-seconds", "8", NULL};
    sl_server_t s;
    sl_prog_t stuck;
    sl_conn_t c[3];
    long rss0, rss1;
    char text[80];

    CR_START(&s, ECHO, backend, host, no_args);
    rss0 = cr_rss_kb(s.prog.pid);
    args[1] = s.where;
    if (sl_prog_start(&stuck, "sl-stuck-reader", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_prog_read(&stuck, "holding after ", sl_deadline(5000)) != 1) {
        CR_ALIVE(&s, "sl-stuck-reader sent");
        SL_FAIL_FATAL("sl-stuck-reader said nothing within 5 s: %s",
                      sl_bytes(stuck.out.data, stuck.out.len));
    }
    rss1 = cr_rss_kb(s.prog.pid);
    sl_note("server memory (VmRSS): %ld KiB before, %ld KiB once sl-stuck-reader stalled", rss0,
            rss1);
    if (!strstr(stuck.out.data, "the server stopped taking them") && rss0 > 0 && rss1 > 0 &&
        rss1 - rss0 < 8 * 1024) {
        SL_HINT("Output dropped when the socket is full: the server took all 64 MiB of a client "
                "that never read its echo, and its memory did not grow: what send() did not "
                "take was thrown away. It must wait in the transport (and with PR_OUT_HIGH "
                "waiting, stop reading that peer).")
        {
            SL_FAIL_FATAL("%s took all 64 MiB from sl-stuck-reader, and its memory grew by only "
                          "%ld KiB: the echo was dropped, not kept (%s)", ECHO, rss1 - rss0,
                          sl_bytes(stuck.out.data, stuck.out.len));
        }
    }
    SL_HINT("No back-pressure: the server read all 64 MiB of a client that never read its echo, "
            "keeping it in memory. With PR_OUT_HIGH waiting, stop reading that peer.")
    {
        if (!strstr(stuck.out.data, "the server stopped taking them"))
            SL_FAIL_FATAL("%s took all 64 MiB from sl-stuck-reader (%s)", ECHO,
                          sl_bytes(stuck.out.data, stuck.out.len));
        if (rss0 > 0 && rss1 > 0 && rss1 - rss0 > 24 * 1024)
            SL_FAIL("the server's memory grew by %ld KiB for one client that does not read: "
                    "at most PR_OUT_HIGH + PR_READ_MAX should wait for it", rss1 - rss0);
    }
    for (int i = 0; i < 3; i++) {
        SL_CONNECT(&c[i], &s);
        snprintf(text, sizeof text, "client %d: anyone there, beside the stuck one?\n", i);
        SL_SEND(&c[i], text);
        SL_HINT("One client that does not read held up the others: a blocking socket left in "
                "the loop (accepted sockets must be made non-blocking), or a write that waits "
                "for the socket to take everything.")
        {
            SL_EXPECT(&c[i], text, 1500);
        }
    }
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    sl_prog_free(&stuck);
    CR_ALIVE(&s, "a client that never read");
    echo_comes_back_in_order(&s);
    CR_STOP(&s);
}

RT_SERVERS(echo_idle_timeout, 3, 6000,
           "With -i MS, the frame calls pr_serve(..., idle_ms): a connection that sends nothing "
           "and is sent nothing for that long is closed by the idle timer, which runs again and "
           "again; a busy one stays.")
{
    const char *args[] = {"-i", "200", NULL};
    sl_server_t s;
    sl_conn_t idle, busy, later;
    double start;

    CR_START(&s, ECHO, backend, host, args);
    SL_CONNECT(&idle, &s);
    SL_CONNECT(&busy, &s);
    start = sl_now_ms();
    while (sl_now_ms() - start < 500) {
        SL_SEND(&busy, "ping\n");
        SL_EXPECT(&busy, "ping\n", 1000);
        sl_sleep_ms(50);
    }
    SL_HINT("An idle connection (-i 200) must be closed within 200 ms and a sweep period. "
            "The sweep timer runs every idle_ms / 4 ms for ever: a timer never re-armed runs "
            "once, before anyone is idle.")
    {
        SL_EXPECT_EOF(&idle, 600);
    }
    sl_note("a later client, idle, comes 500 ms in");
    SL_CONNECT(&later, &s);
    start = sl_now_ms();
    while (sl_now_ms() - start < 500) {
        SL_SEND(&busy, "ping\n");
        SL_EXPECT(&busy, "ping\n", 1000);
        sl_sleep_ms(50);
    }
    SL_HINT("A timer never re-armed: the idle sweep closed the first idle client, then never "
            "ran again. Return its period from the timer callback.")
    {
        SL_EXPECT_EOF(&later, 600);
    }
    SL_SEND(&busy, "still here\n");
    SL_HINT("A connection that talks is not idle: each recv() that brings bytes (and each send "
            "that makes progress) moves it to the end of the server's list.")
    {
        SL_EXPECT(&busy, "still here\n", 1000);
    }
    sl_conn_close(&idle);
    sl_conn_close(&later);
    sl_conn_close(&busy);
    CR_STOP(&s);
}

/* n clients at once, each with one line echoed. */
static void thousand(const char *backend, const char *host, int n)
{
    sl_server_t s;
    cr_crowd_t crowd;
    int ok, wrong;

    CR_START(&s, ECHO, backend, host, no_args);
    ok = cr_connect(&crowd, n, addr_of(&s), s.addrlen, 200, 5000);
    CR_ALIVE(&s, "the clients connected");
    SL_CHECK_INT("clients connected", ok, n);
    for (int i = 0; i < n; i++)
        crowd.p[i].out_len = (size_t)snprintf(crowd.p[i].out, CR_MSG, "peer %05d\n", i);
    cr_send(&crowd, CR_MSG);
    ok = cr_collect(&crowd, crowd.p[0].out_len, 5000);
    SL_HINT("A thousand clients at once: the loop grows (el_add() of a descriptor past setsize "
            "resizes), each is watched, each served.")
    {
        SL_CHECK_INT("clients of the crowd that got their echo", ok, n);
        wrong = cr_first_wrong(&crowd);
        if (wrong >= 0)
            SL_FAIL("peer %d got %s", wrong, sl_bytes(crowd.p[wrong].in, crowd.p[wrong].got));
    }
    cr_free(&crowd);
    CR_ALIVE(&s, "a thousand clients");
    CR_STOP(&s);
}

SL_TEST_TIMEOUT(echo_1000_clients_at_once_poll, 3, 8000,
                "A thousand clients connected at once, each echoed, on the poll backend.")
{
    thousand("poll", "::1", 1000);
}

SL_TEST_TIMEOUT(echo_1000_clients_at_once_epoll, 3, 8000,
                "A thousand clients connected at once, each echoed, on the epoll backend.")
{
    thousand("epoll", "127.0.0.1", 1000);
}

#define GUARD_PEERS 1100   /* more than an fd_set holds */

SL_TEST_TIMEOUT(echo_select_turns_away_clients_past_fd_setsize, 3, 8000,
                "On the select backend, a client whose descriptor is FD_SETSIZE (1024) or more "
                "cannot be watched: el_add() fails with ERANGE, and the transport closes that "
                "client at once and serves the others. The server must not crash, spin or "
                "stop accepting: once clients leave, new ones are served again.")
{
    sl_server_t s;
    cr_crowd_t crowd;
    sl_conn_t again;
    int served, refused = 0, other = -1;

    CR_START(&s, ECHO, "select", "127.0.0.1", no_args);
    cr_connect(&crowd, GUARD_PEERS, addr_of(&s), s.addrlen, 100, 5000);
    for (int i = 0; i < crowd.n; i++)
        crowd.p[i].out_len = (size_t)snprintf(crowd.p[i].out, CR_MSG, "guard %04d\n", i);
    cr_send(&crowd, CR_MSG);
    served = cr_collect(&crowd, crowd.p[0].out_len, 5000);
    for (int i = 0; i < crowd.n; i++) {
        if (crowd.p[i].closed && crowd.p[i].got == 0)
            refused++;
        else if (!(crowd.p[i].open && crowd.p[i].got == crowd.p[i].out_len) && other < 0)
            other = i;
    }
    sl_note("of %d clients: %d served, %d closed at once", GUARD_PEERS, served, refused);
    CR_ALIVE(&s, "more clients than FD_SETSIZE");
    SL_CHECK_INT("clients served or closed at once, of 1100", served + refused, GUARD_PEERS);
    if (served < 900)
        SL_FAIL("only %d clients of 1100 were served: those below FD_SETSIZE must be", served);
    if (other >= 0)
        SL_FAIL("client %d was neither served nor closed: it got %s", other,
                sl_bytes(crowd.p[other].in, crowd.p[other].got));
    cr_free(&crowd);
    sl_sleep_ms(100);
    SL_CONNECT(&again, &s);
    SL_SEND(&again, "served again?\n");
    SL_HINT("After the crowd left, the server must serve new clients again.")
    {
        SL_EXPECT(&again, "served again?\n", 2000);
    }
    sl_conn_close(&again);
    SL_HINT("Each line the server printed on stderr is `reactor-echo-server: what failed: "
            "reason`: the frame says so for each client turned away (factory->refused()), and "
            "the library itself prints nothing (it tells its caller: a return value, errno, "
            "a callback). A debug line, or perror(\"accept\"), in proto.c breaks the form.")
    {
        sl_check_err_lines(&s.prog);
    }
    CR_STOP(&s);
}

#define IDLE_CLIENTS 10000

SL_TEST_SOLO(echo_10000_idle_clients_epoll, 4, 15000,
             "Ten thousand idle connections held by the epoll backend, then each one echoed: "
             "nothing per connection but its slot and its entry of files[] (no read buffer: the "
             "server's one is shared; no output buffer while none waits), in arrays as large as "
             "the descriptors the server may have.")
{
    struct rlimit rl;
    sl_server_t s;
    cr_crowd_t crowd;
    double start = sl_now_ms();
    long rss0, rss1;
    int ok, wrong;

    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < IDLE_CLIENTS + 100) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < IDLE_CLIENTS + 100)
        SL_FAIL_FATAL("the test may open only %lu descriptors, too few for %d clients "
                      "(a solo test has 16384)", (unsigned long)rl.rlim_cur, IDLE_CLIENTS);
    CR_START(&s, ECHO, "epoll", "127.0.0.1", no_args);
    rss0 = cr_rss_kb(s.prog.pid);
    ok = cr_connect(&crowd, IDLE_CLIENTS, addr_of(&s), s.addrlen, 250, 10000);
    sl_note("%d clients connected in %.0f ms", ok, sl_now_ms() - start);
    CR_ALIVE(&s, "the clients connected");
    SL_CHECK_INT("clients connected", ok, IDLE_CLIENTS);
    sl_sleep_ms(200);
    rss1 = cr_rss_kb(s.prog.pid);
    sl_note("server memory (VmRSS): %ld KiB before, %ld KiB with %d idle clients", rss0, rss1,
            ok);
    if (rss0 > 0 && rss1 > 0 && ok > 0) {
        long per = (rss1 - rss0) * 1024 / ok;

        sl_note("about %ld bytes of the server's memory per idle connection", per);
        SL_HINT("An idle connection must cost the server next to nothing: its slot (tens of "
                "bytes) and its entry of files[]. Under 1 KiB each is the bound here; a read "
                "buffer per connection (16 KiB), or an output or line buffer kept while "
                "nothing waits, costs far more: read into srv->rbuf, the one buffer all "
                "connections share, and free t->out once it drains.")
        {
            if (per >= 1024)
                SL_FAIL("memory per idle connection: %ld bytes (%ld KiB for %d), 1 KiB or "
                        "more", per, rss1 - rss0, ok);
        }
    }
    for (int i = 0; i < crowd.n; i++)
        crowd.p[i].out_len = (size_t)snprintf(crowd.p[i].out, CR_MSG, "idle %05d\n", i);
    cr_send(&crowd, CR_MSG);
    ok = cr_collect(&crowd, crowd.p[0].out_len, 8000);
    sl_note("echoes done %.0f ms after the start", sl_now_ms() - start);
    SL_CHECK_INT("idle clients of 10000 that got their echo", ok, IDLE_CLIENTS);
    wrong = cr_first_wrong(&crowd);
    if (wrong >= 0)
        SL_FAIL("client %d got %s", wrong, sl_bytes(crowd.p[wrong].in, crowd.p[wrong].got));
    cr_free(&crowd);
    CR_ALIVE(&s, "10000 clients");
    CR_STOP(&s);
}

RT_SERVERS(echo_no_descriptor_left_after_1000_clients, 3, 8000,
           "Every connection that ends, however it ends (close, half-close, reset), is "
           "el_del()-ed, closed and its slot zeroed (connection_lost() once): after 1000 "
           "clients the server holds the descriptors it held before.")
{
    sl_server_t s;
    int base, now;

    CR_START(&s, ECHO, backend, host, no_args);
    base = sl_prog_fd_count(&s.prog);
    for (int round = 0; round < 10; round++) {
        cr_crowd_t crowd;
        int ok = cr_connect(&crowd, 100, addr_of(&s), s.addrlen, 100, 3000);

        for (int i = 0; i < crowd.n; i++)
            crowd.p[i].out_len = (size_t)snprintf(crowd.p[i].out, CR_MSG, "r%d c%d\n", round, i);
        cr_send(&crowd, CR_MSG);
        ok = cr_collect(&crowd, 0, 10) + cr_collect(&crowd, 6, 3000);
        (void)ok;
        for (int i = 0; i < crowd.n; i++) {
            cr_peer_t *p = &crowd.p[i];

            if (i % 3 == 1) {
                struct linger lg = {1, 0};

                setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            } else if (i % 3 == 2) {
                shutdown(p->fd, SHUT_WR);
            }
        }
        cr_free(&crowd);
    }
    now = cr_fds_settle(&s, base, 3000);
    SL_HINT("A descriptor leak: some connections that ended were never closed (a reset's "
            "ECONNRESET, a half-close, an EPIPE must all end in close()), or a doomed slot "
            "was never reaped (the reap timer must scan up to and including srv->maxfd, and "
            "be armed again by a doom() while it is not).")
    {
        SL_CHECK_INT("the server's descriptors after 1000 clients, as before", now, base);
    }
    CR_ALIVE(&s, "1000 clients");
    SL_HINT("Each line the server printed on stderr is `reactor-echo-server: what failed: "
            "reason`, and a client's reset is no failure of the server's: the library itself "
            "prints nothing (it tells its caller: a return value, errno, connection_lost()'s "
            "err). A perror(\"recv\") or a debug line in proto.c breaks the form.")
    {
        sl_check_err_lines(&s.prog);
    }
    CR_STOP(&s);
}

RT_SERVERS(echo_stops_on_sigterm_and_sigint, 1, 0,
           "SIGTERM and SIGINT: the frame's signal pipe calls el_stop(); el_run() returns, "
           "pr_server_free() closes every connection, exit 0. A backend this system does not "
           "have, or an unknown option: the usage on stderr, exit 2.")
{
    static const int sigs[2] = {SIGTERM, SIGINT};
    static const char *const bad_backend[] = {"--backend", "carrier-pigeon", NULL};
    static const char *const bad_option[] = {"-z", NULL};

    for (int k = 0; k < 2; k++) {
        sl_server_t s;
        sl_conn_t c;

        CR_START(&s, ECHO, backend, host, no_args);
        SL_CONNECT(&c, &s);
        SL_SEND(&c, "x\n");
        SL_EXPECT(&c, "x\n", 2000);
        if (sl_prog_stop(&s.prog, sigs[k], SL_STOP_MS) < 0)
            sl_harness_fail(__FILE__, __LINE__);
        SL_CHECK_INT(k == 0 ? "exit status after SIGTERM" : "exit status after SIGINT",
                     WIFEXITED(s.prog.status) ? WEXITSTATUS(s.prog.status) : -1, 0);
        SL_EXPECT_EOF(&c, 1000);
        sl_conn_close(&c);
        sl_prog_free(&s.prog);
    }
    sl_check_bad_usage(ECHO, bad_backend, "--backend carrier-pigeon");
    sl_check_bad_usage(ECHO, bad_option, "-z");
}
