/* Task 7: the UDP echo server, driven over sockets as peers would: no
 * student code runs in these tests' process. Each test ends by checking
 * that the server still serves a peer it has never seen. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The UDP echo server");

SL_NET_TEST(server_echoes_a_datagram, 3, 0,
            "Bind with udp_bind(), print \"listening on ADDR:PORT\" once and fflush(stdout); "
            "then for each datagram: udp_recv_from() with the sender's address, and "
            "udp_send_to() the same bytes back to that address.")
{
    sl_server_t s;
    const char *nl;

    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_ECHO_ONCE(&s, "hello");
    PU_STILL_SERVING(&s, "one peer");
    PU_STOP(&s);
    SL_HINT("stdout holds the \"listening on\" line and nothing else (the tests and scripts "
            "read it): print what you like about peers on stderr.")
    {
        /* Read after the exit: what stdio kept in its buffer is out by then. */
        nl = memchr(s.prog.out.data, '\n', s.prog.out.len);
        if (nl && (size_t)(nl - s.prog.out.data) + 1 < s.prog.out.len)
            SL_FAIL("udp-echo-server printed more than its listening line on stdout, for two "
                    "datagrams: %s", sl_bytes(s.prog.out.data, s.prog.out.len));
    }
}

SL_NET_TEST(server_echoes_any_bytes, 2, 0,
            "Echo bytes, not strings: every byte value from 0 to 255 comes back, NUL "
            "included. Send the count udp_recv_from() returned, never strlen().")
{
    unsigned char bytes[1024];
    sl_server_t s;
    sl_udp_t u;

    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + i / 256);
    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_UDP_OPEN(&u, &s);
    PU_UDP_SEND(&u, &s, bytes, sizeof bytes);
    SL_HINT("A datagram of 1024 bytes, NUL bytes among them, got no echo or another one: "
            "receive into a buffer that holds any datagram (UDP_BUFFER_SIZE bytes, not 512), "
            "and send back exactly the count udp_recv_from() returned (never strlen()).")
    {
        PU_UDP_EXPECT(&u, &s, bytes, sizeof bytes, 1000);
    }
    PU_UDP_SEND(&u, &s, "a\0b\0", 4);
    PU_UDP_EXPECT(&u, &s, "a\0b\0", 4, 1000);
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, "datagrams of every byte value");
    PU_STOP(&s);
}

SL_NET_TEST(server_echoes_an_empty_datagram, 2, 0,
            "A datagram may be empty: udp_recv_from() returns 0, and the echo is an empty "
            "datagram too. For UDP, 0 is not the end of anything (there is no connection): "
            "never stop, nor skip the echo, on 0.")
{
    sl_server_t s;
    sl_udp_t u;

    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_UDP_OPEN(&u, &s);
    PU_UDP_SEND(&u, &s, "", 0);
    SL_HINT("An empty datagram came, and no empty datagram went back: recvfrom() returned 0, "
            "which is its length. Send those 0 bytes back (sendto() with length 0).")
    {
        PU_UDP_EXPECT(&u, &s, "", 0, 1000);
    }
    PU_UDP_SEND(&u, &s, "after", 5);
    PU_UDP_EXPECT(&u, &s, "after", 5, 1000);
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, "an empty datagram");
    PU_STOP(&s);
}

SL_NET_TEST(server_echoes_the_largest_datagram, 3, 0,
            "A datagram holds up to 65507 bytes over IPv4 and 65527 over IPv6: receive into "
            "a buffer that holds any datagram (UDP_BUFFER_SIZE bytes, static: not on the "
            "stack), so nothing is cut, and send back all of it.")
{
    static unsigned char data[PU_MAX_DATAGRAM6], got[PU_BUFFER];
    const size_t size = strchr(host, ':') ? PU_MAX_DATAGRAM6 : PU_MAX_DATAGRAM;
    sl_server_t s;
    sl_udp_t u;
    size_t len = 0;
    char said[80];

    snprintf(said, sizeof said, "a datagram of %zu bytes (the largest over %s)", size,
             strchr(host, ':') ? "IPv6" : "IPv4");
    sl_pattern(data, size, 7);
    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_UDP_OPEN(&u, &s);
    PU_UDP_SEND(&u, &s, data, size);
    int r = sl_udp_recv(&u, got, sizeof got, &len, 1000);
    if (r < 0)
        pu_step_failed(&s, __FILE__, __LINE__);
    pu_if_ended(&s, said, __FILE__, __LINE__);
    if (r == 0)
        SL_FAIL_FATAL("no echo came within %d ms for %s: the server's receive buffer must "
                      "hold any datagram, %s (a smaller one cuts it, or makes udp_recv_from() "
                      "report EMSGSIZE)", sl_scaled_ms(1000), said,
                      "UDP_BUFFER_SIZE bytes, not UDP_MAX_DATAGRAM: IPv6 carries 20 more");
    if (len != size)
        SL_FAIL_FATAL("the echo of %s had %zu bytes: %s", said, len,
                      len < size ? "the server's buffer is too small, and the cut went "
                      "unnoticed" : "more than was sent");
    if (memcmp(got, data, len) != 0)
        SL_FAIL_FATAL("the echo of %s has the right length but other bytes", said);
    sl_note("got the %zu bytes back", size);
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, said);
    PU_STOP(&s);
}

SL_NET_TEST(server_keeps_boundaries, 2, 0,
            "Three datagrams sent at once are three echoes, each as it was sent: one "
            "udp_recv_from(), one udp_send_to() of what it returned, every time.")
{
    static const char *const sent[] = {"a", "bb", "ccc"};
    sl_server_t s;
    sl_udp_t u;

    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_UDP_OPEN(&u, &s);
    for (size_t i = 0; i < SL_COUNT(sent); i++)
        PU_UDP_SEND(&u, &s, sent[i], strlen(sent[i]));
    for (size_t i = 0; i < SL_COUNT(sent); i++)
        PU_UDP_EXPECT(&u, &s, sent[i], strlen(sent[i]), 1000);
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, "three datagrams at once");
    PU_STOP(&s);
}

#define PEERS 12

/* Expects on peer i's socket the echo `want`, from the server's own
 * address; any other outcome is said in words. */
static void expect_own_echo(sl_server_t *s, sl_udp_t *u, int i, const char *want)
{
    static unsigned char got[PU_BUFFER];
    struct sockaddr_storage from;
    socklen_t fromlen = 0;
    size_t len = 0;

    if (!pu_recv_any(u, got, sizeof got, &len, &from, &fromlen, 1000)) {
        pu_if_ended(s, "while it served several peers", __FILE__, __LINE__);
        SL_FAIL_FATAL("peer %d (of %d, each on a socket of its own) got no echo of %s within "
                      "%d ms: the server must answer every peer from its one socket; does it "
                      "connect() to its first peer, or wait on one of them?", i + 1, PEERS,
                      sl_bytes(want, strlen(want)), sl_scaled_ms(1000));
    }
    if (fromlen != s->addrlen || memcmp(&from, &s->addr, fromlen) != 0)
        SL_FAIL_FATAL("peer %d got its echo from another address or port than the server's "
                      "(%s): send the echo from the socket the datagram came to, not from a new "
                      "one", i + 1, s->where);
    if (len != strlen(want) || memcmp(got, want, len) != 0)
        SL_FAIL_FATAL("peer %d got %s: expected the echo of its own %s; send each echo to the "
                      "address udp_recv_from() gave for that very datagram", i + 1,
                      sl_bytes(got, len < PU_SEEN_BYTES ? len : PU_SEEN_BYTES),
                      sl_bytes(want, strlen(want)));
}

SL_NET_TEST(server_serves_many_peers_from_one_socket, 3, 0,
            "One socket serves every peer: each udp_recv_from() says who sent that datagram, "
            "and the echo goes there, from the same socket. No connect(), no socket per peer, "
            "no waiting for one peer's next datagram.")
{
    sl_server_t s;
    sl_udp_t u[PEERS];
    char text[PEERS][40];

    SL_SERVER_START(&s, "udp-echo-server", host);
    for (int i = 0; i < PEERS; i++)
        PU_UDP_OPEN(&u[i], &s);
    for (int round = 1; round <= 3; round++) {
        sl_note("round %d: each of the %d peers sends, %s, then each expects its echo", round,
                PEERS, round == 2 ? "the last first" : "in order");
        for (int j = 0; j < PEERS; j++) {
            int i = round == 2 ? PEERS - 1 - j : j;

            snprintf(text[i], sizeof text[i], "peer %d, round %d", i + 1, round);
            PU_UDP_SEND(&u[i], &s, text[i], strlen(text[i]));
        }
        for (int i = 0; i < PEERS; i++)
            expect_own_echo(&s, &u[i], i, text[i]);
    }
    for (int i = 0; i < PEERS; i++)
        sl_udp_close(&u[i]);
    PU_STILL_SERVING(&s, "12 peers at once");
    PU_STOP(&s);
}

SL_NET_TEST(server_survives_junk, 3, 0,
            "Any bytes may come, from anyone: datagrams of every size from 0 to 65507, "
            "random bytes, many at once. Echo each as it is; never parse it, never let it "
            "end the server.")
{
    static unsigned char data[PU_MAX_DATAGRAM];
    static const size_t big[] = {PU_MAX_DATAGRAM, 1473, 9000};
    sl_server_t s;
    sl_udp_t u;
    unsigned char d[20][1000];
    size_t len[20];

    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_UDP_OPEN(&u, &s);
    for (int burst = 0; burst < 2; burst++) {
        for (int i = 0; i < 20; i++) {
            len[i] = (size_t)((i * 389 + burst * 97) % 1000);
            sl_pattern(d[i], len[i], (uint32_t)(i + 20 * burst));
            PU_UDP_SEND(&u, &s, d[i], len[i]);
        }
        for (int i = 0; i < 20; i++)
            PU_UDP_EXPECT(&u, &s, d[i], len[i], 1000);
    }
    for (size_t i = 0; i < SL_COUNT(big); i++) {
        sl_pattern(data, big[i], (uint32_t)(100 + i));
        PU_UDP_SEND(&u, &s, data, big[i]);
        PU_UDP_EXPECT(&u, &s, data, big[i], 1000);
    }
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, "43 datagrams of random bytes, of 0 to 65507 bytes");
    PU_STOP(&s);
}

/* Starts `udp-echo-server -b HOST -p PORT` and reads its listening line
 * into s, as sl_server_start() does; but sl_server_start() puts "-p 0" in
 * front of the test's arguments, and the command the transcript shows to
 * replay by hand would then hold two -p. 1: listening; 0: it ended saying
 * EADDRINUSE (another test took the port first); the test ends otherwise. */
static int start_on_port(sl_server_t *s, const char *host, int port)
{
    const char *args[] = {"-b", host, "-p", pu_num(port), NULL};
    char how[SL_PROG_HOW_MAX], line[160];
    int r;

    memset(s, 0, sizeof *s);
    if (sl_prog_start(&s->prog, "udp-echo-server", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    r = sl_prog_read(&s->prog, "listening on ", sl_deadline(SL_LISTEN_MS));
    sl_prog_check_todo(&s->prog);
    if (r < 0 && strstr(s->prog.err.data, strerror(EADDRINUSE))) {
        sl_prog_free(&s->prog);
        return 0;
    }
    if (r != 1)
        SL_FAIL_FATAL("udp-echo-server -b %s -p %d printed no \"listening on\" line within %d "
                      "ms: %s%s", host, port, sl_scaled_ms(SL_LISTEN_MS),
                      r < 0 ? sl_prog_how(&s->prog, how, sizeof how) : "it still runs",
                      sl_last_words(&s->prog));
    snprintf(line, sizeof line, "%.*s", (int)strcspn(s->prog.out.data, "\n"), s->prog.out.data);
    if (sl_parse_listening(line, &s->addr, &s->addrlen) < 0)
        SL_FAIL_FATAL("udp-echo-server -b %s -p %d printed %s: expected \"listening on "
                      "ADDR:PORT\" as its first line", host, port,
                      sl_bytes(line, strlen(line)));
    s->port = ntohs(s->addr.ss_family == AF_INET6
                        ? ((const struct sockaddr_in6 *)&s->addr)->sin6_port
                        : ((const struct sockaddr_in *)&s->addr)->sin_port);
    snprintf(s->host, sizeof s->host, "%s", host);
    snprintf(s->where, sizeof s->where, "%s", pu_where(host, s->port));
    sl_note("udp-echo-server: listening on %s", s->where);
    return 1;
}

SL_NET_TEST(server_listens_on_the_given_port, 1, 0,
            "-p PORT is the port to bind: pass the text to udp_bind(), and print the port "
            "udp_local_text() reads back.")
{
    sl_server_t s;
    int port = 0, up = 0;

    /* A free port: one a socket of the test's had a moment ago. Another
     * test may take it meanwhile: then try another. */
    for (int attempt = 0; attempt < 3 && !up; attempt++) {
        port = sl_closed_port(host, SOCK_DGRAM);
        up = start_on_port(&s, host, port);
    }
    if (!up)
        SL_FAIL_FATAL("udp-echo-server -b %s -p PORT said \"Address already in use\" for 3 "
                      "free ports in turn: it binds something other than the port given",
                      host);
    if (s.port != port)
        SL_FAIL("udp-echo-server -b %s -p %d says it listens on %s: expected port %d", host,
                port, s.where, port);
    PU_ECHO_ONCE(&s, "on my port");
    PU_STOP(&s);
}

SL_TEST(server_answers_from_the_address_it_was_sent_to, 2,
        "Bound to a wildcard (-b 0.0.0.0), the socket gets datagrams sent to every local "
        "address, and a plain sendto() answers from the address the kernel picks for the "
        "route, 127.0.0.1, whatever address the peer sent to: a client connected to "
        "127.0.0.2 drops that echo. setsockopt(IP_PKTINFO) when bound to a wildcard, take "
        "the datagram's destination from recvmsg()'s control message, and send the echo "
        "with sendmsg() and that struct in_pktinfo (ipi_spec_dst = ipi_addr).")
{
    static const char *const args[] = {NULL};
    struct sockaddr_storage to, from;
    socklen_t tolen, fromlen;
    unsigned char got[64];
    sl_server_t s;
    int fd;

    SL_SERVER_START_ARGS(&s, "udp-echo-server", "0.0.0.0", args);
    sl_note("the server listens on %s; 127.0.0.2 is a loopback address too (127.0.0.0/8)",
            s.where);
    for (int round = 0; round < 2; round++) {
        const char *dst = round == 0 ? "127.0.0.2" : "127.0.0.1";
        struct addrinfo hints, *res;
        struct pollfd p;
        ssize_t n = -1;
        char host[64] = "?", serv[16] = "?";

        memset(&hints, 0, sizeof hints);
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
        hints.ai_socktype = SOCK_DGRAM;
        if (getaddrinfo(dst, pu_num(s.port), &hints, &res) != 0)
            SL_FAIL_FATAL("test setup: %s is not an address", dst);
        memcpy(&to, res->ai_addr, res->ai_addrlen);
        tolen = res->ai_addrlen;
        freeaddrinfo(res);
        fd = pu_udp_bound("127.0.0.1");
        if (sendto(fd, "which address?", 14, 0, (struct sockaddr *)&to, tolen) != 14)
            SL_FAIL_FATAL("test setup: sendto %s: %s", pu_where(dst, s.port), strerror(errno));
        sl_note("a peer at %s sent \"which address?\" to %s", pu_where("127.0.0.1",
                sl_port_of(fd)), pu_where(dst, s.port));
        p.fd = fd;
        p.events = POLLIN;
        fromlen = sizeof from;
        if (poll(&p, 1, sl_scaled_ms(1000)) <= 0 ||
            (n = recvfrom(fd, got, sizeof got, MSG_DONTWAIT, (struct sockaddr *)&from,
                          &fromlen)) < 0) {
            close(fd);
            pu_failed_with(&s, "a datagram to the server bound to 0.0.0.0 got no echo", __FILE__,
                           __LINE__);
        }
        close(fd);
        getnameinfo((struct sockaddr *)&from, fromlen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        sl_note("the echo came from %s:%s", host, serv);
        if (strcmp(host, dst) != 0 || atoi(serv) != s.port)
            SL_FAIL_FATAL("udp-echo-server -b 0.0.0.0 got a datagram sent to %s and echoed it "
                          "from %s:%s: a peer connected to %s takes replies from that address "
                          "and port only, and drops this one. Answer from the address the "
                          "datagram came to (IP_PKTINFO)", pu_where(dst, s.port), host, serv,
                          pu_where(dst, s.port));
        if (n != 14 || memcmp(got, "which address?", 14) != 0)
            SL_FAIL_FATAL("the echo of \"which address?\" was %s", sl_bytes(got, (size_t)n));
    }
    PU_STOP(&s);
}

SL_TEST(server_listens_on_loopback_by_default, 1,
        "Without -b the server receives on 127.0.0.1 only, never on every interface "
        "(0.0.0.0 or ::): an echo server open to the network answers anyone, and forged "
        "senders make it flood a third party. Pass the host the skeleton's parse_args() "
        "leaves, \"127.0.0.1\", to udp_bind(); NULL means every interface.")
{
    static const char *const args[] = {"-p", "0", NULL};
    static const char want[] = "listening on 127.0.0.1:";
    const char *line;
    sl_prog_t p;
    char how[SL_PROG_HOW_MAX];
    int r;

    if (sl_prog_start(&p, "udp-echo-server", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    r = sl_prog_read(&p, "listening on ", sl_deadline(SL_LISTEN_MS));
    sl_prog_check_todo(&p);
    if (r != 1)
        SL_FAIL_FATAL("udp-echo-server -p 0 printed no \"listening on\" line within %d ms: %s%s",
                      sl_scaled_ms(SL_LISTEN_MS), r < 0 ? sl_prog_how(&p, how, sizeof how)
                      : "it still runs", sl_last_words(&p));
    line = strstr(p.out.data, "listening on ");
    if (line == NULL || strncmp(line, want, sizeof want - 1) != 0)
        SL_FAIL("udp-echo-server -p 0, with no -b, printed %s: expected \"%sPORT\" (without -b "
                "a server listens on loopback only)", line ? sl_bytes(line, strcspn(line, "\n"))
                : sl_bytes(p.out.data, p.out.len), want);
    if (sl_prog_stop(&p, SIGTERM, SL_STOP_MS) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    sl_prog_free(&p);
}

SL_TEST(server_stops_on_sigterm_and_sigint, 2,
        "SIGTERM and SIGINT end the server with exit status 0: the skeleton's "
        "wait_readable() returns -1 once one came; leave the loop, close the socket, return "
        "0 from main().")
{
    sl_server_t s;

    SL_SERVER_START(&s, "udp-echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "one");
    SL_HINT("SIGTERM came while the server waited for datagrams: it must close its socket "
            "and exit with status 0 within 2 s.")
    {
        if (sl_prog_stop(&s.prog, SIGTERM, SL_STOP_MS) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    sl_prog_free(&s.prog);
    SL_SERVER_START(&s, "udp-echo-server", "::1");
    PU_ECHO_ONCE(&s, "two");
    SL_HINT("SIGINT (Ctrl-C) ends the server like SIGTERM: exit status 0.")
    {
        if (sl_prog_stop(&s.prog, SIGINT, SL_STOP_MS) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    sl_prog_free(&s.prog);
}

SL_TEST(server_leaves_no_descriptor_open, 1,
        "One socket serves every peer: the server opens nothing per datagram or per peer. "
        "(A socket per reply, never closed, runs out of descriptors after about a thousand "
        "datagrams.)")
{
    sl_server_t s;
    int base, now = -1;

    SL_SERVER_START(&s, "udp-echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "first");
    pu_if_ended(&s, "after one peer", __FILE__, __LINE__);
    base = sl_fd_count(s.prog.pid);
    if (base < 0)
        SL_FAIL_FATAL("test: cannot count the descriptors of udp-echo-server (/proc)");
    for (int i = 0; i < 30; i++)
        PU_ECHO_ONCE(&s, "again");
    for (int i = 0; i < 20 && (now = sl_fd_count(s.prog.pid)) != base; i++)
        sl_sleep_ms(10);
    if (now != base)
        SL_FAIL("udp-echo-server had %d descriptors open after its first peer and %d after 30 "
                "more: %d left open", base, now, now - base);
    PU_STOP(&s);
}

SL_TEST(server_command_line, 1,
        "udp-echo-server [-b ADDR] [-p PORT]: a bad option or port is bad usage (exit "
        "status 2, the usage on stderr, nothing on stdout).")
{
    static const char *const unknown[] = {"-q", NULL}, *const missing[] = {"-p", NULL},
                            *const letters[] = {"-p", "abc", NULL},
                            *const big[] = {"-p", "65536", NULL},
                            *const extra[] = {"extra", NULL};
    sl_server_t s;

    SL_SERVER_START(&s, "udp-echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "works");
    PU_STOP(&s);
    sl_check_bad_usage("udp-echo-server", unknown, "-q (an unknown option)");
    sl_check_bad_usage("udp-echo-server", missing, "-p (no port after it)");
    sl_check_bad_usage("udp-echo-server", letters, "-p abc (a port that is not a number)");
    sl_check_bad_usage("udp-echo-server", big, "-p 65536 (a port too large)");
    sl_check_bad_usage("udp-echo-server", extra, "extra (an argument it does not take)");
}

SL_NET_TEST(server_says_why_it_cannot_bind, 2, 0,
            "When udp_bind() fails, print one line on stderr, \"udp-echo-server: what "
            "failed: reason\" with strerror(errno) as the reason, and exit with status 1. A "
            "port in use is EADDRINUSE, unless SO_REUSEADDR is set, which on UDP lets two "
            "servers share a port: do not set it.")
{
    sl_server_t s;
    sl_run_t r;
    char what[96];
    const char *in_use[] = {"-b", host, "-p", NULL, NULL};

    SL_SERVER_START(&s, "udp-echo-server", host);
    PU_ECHO_ONCE(&s, "first");
    in_use[3] = pu_num(s.port);
    snprintf(what, sizeof what, "udp-echo-server -b %s -p %d (a port in use)", host, s.port);
    int rc = sl_run(&r, "udp-echo-server", in_use, NULL, 0, 1500);
    if (rc < 0 && r.timed_out && strstr(r.prog.out.data, "listening on"))
        SL_FAIL_FATAL("%s started and served: it bound a port another udp-echo-server has. On "
                      "a UDP socket SO_REUSEADDR means \"share this port\" (the last one bound "
                      "takes the datagrams): udp_bind() must not set it", what);
    if (rc < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_check_exit(&r, what, 1))
        sl_check_error_line(&r, what, strerror(EADDRINUSE));
    sl_run_free(&r);
    PU_STILL_SERVING(&s, "a second server tried its port");
    PU_STOP(&s);
}

SL_TEST_TIMEOUT(server_says_why_it_cannot_resolve, 1, 15000,
                "An address that is not this host's (bind() fails, EADDRNOTAVAIL) or a name "
                "that does not resolve (ENXIO, or EAGAIN with no name server) is an error: "
                "one line \"udp-echo-server: what failed: reason\", exit status 1.")
{
    static const char *const foreign[] = {"-b", "192.0.2.1", "-p", "0", NULL},
                            *const unknown[] = {"-b", "no-such-host.invalid", "-p", "0", NULL};
    sl_server_t s;
    sl_run_t r;

    SL_SERVER_START(&s, "udp-echo-server", "127.0.0.1");
    PU_ECHO_ONCE(&s, "works");
    PU_STOP(&s);
    SL_RUN(&r, "udp-echo-server", foreign, NULL, 0, 3000);
    if (sl_check_exit(&r, "udp-echo-server -b 192.0.2.1 (not an address of this host)", 1))
        sl_check_error_line(&r, "udp-echo-server -b 192.0.2.1", strerror(EADDRNOTAVAIL));
    sl_run_free(&r);
    SL_RUN(&r, "udp-echo-server", unknown, NULL, 0, 12000);
    if (sl_check_exit(&r, "udp-echo-server -b no-such-host.invalid (a name that never resolves)",
                      1))
        sl_check_error_line(&r, "udp-echo-server -b no-such-host.invalid", NULL);
    sl_run_free(&r);
}
