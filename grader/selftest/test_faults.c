/* test_faults.c - self-tests of the fault injectors (grader/faults/): each
 * is pointed at a correct fixture, which must come through, and at a
 * broken one, which must fail for the reason that injector exposes. Seeds
 * are fixed and noted in the transcript, so a failure replays by hand. */
#include "sl_harness.h"
#include "sl_test.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

SL_TASK_PROGRAMS(8, "the fault injectors");

#define FT_SEED "42"
#define FT_MAX_SECONDS "10" /* every injector a test starts ends by itself */

/* ---- helpers -------------------------------------------------------------- */

/* The exit status of a program that ended by itself, or -1. */
static int exit_status(const sl_prog_t *p)
{
    return p->ended && WIFEXITED(p->status) ? WEXITSTATUS(p->status) : -1;
}

/* Records a failure unless the capture holds what. */
static void says(const char *who, const sl_capture_t *c, const char *what)
{
    if (!strstr(c->data, what))
        SL_FAIL("expected %s to say \"%s\"; it said: %s", who, what, c->data);
}

/* Starts sl-split-proxy on host in front of target. */
static void start_proxy(sl_server_t *px, const char *host, const sl_server_t *target,
                        const char *seed)
{
    const char *args[] = {"--to", target->where, "--seed", seed, "--max-seconds",
                          FT_MAX_SECONDS, NULL};
    sl_note("seed %s (sl-split-proxy --seed %s replays it)", seed, seed);
    SL_SERVER_START_ARGS(px, "sl-split-proxy", host, args);
}

/* Some readable lines: n bytes of them into buf. */
static void some_text(char *buf, size_t n)
{
    static const char line[] = "the quick brown fox jumps over the lazy dog\n";
    for (size_t i = 0; i < n; i++)
        buf[i] = line[i % (sizeof line - 1)];
}

/* Reads into buf up to want bytes, until they came, the peer closed or
 * failed, or ms passed; returns how many came, and in *pieces (if given)
 * how many recv()s they took. */
static size_t read_upto(sl_conn_t *c, char *buf, size_t want, int ms, int *pieces)
{
    double deadline = sl_deadline(ms);
    size_t got = 0;
    int reads = 0;
    while (got < want) {
        ssize_t n = recv(c->fd, buf + got, want - got, 0);
        if (n > 0) {
            got += (size_t)n;
            reads++;
            continue;
        }
        int left = (int)((deadline - sl_deadline(0)) * 1000);
        if (n == 0 || (errno != EAGAIN && errno != EINTR) || left <= 0)
            break;
        struct pollfd p = {c->fd, POLLIN, 0};
        poll(&p, 1, left < 50 ? left : 50);
    }
    if (pieces)
        *pieces = reads;
    return got;
}

/* ---- sl-split-proxy ------------------------------------------------------- */

SL_NET_TEST(split_proxy_echoes_exactly, 1, 0,
            "sl-split-proxy forwards every byte, one per segment, both ways, and passes "
            "a half-close on: a correct echo server behind it echoes exactly.")
{
    sl_server_t echo, px;
    sl_conn_t c;
    char text[120], back[120];
    some_text(text, sizeof text);
    SL_SERVER_START(&echo, "fx-echo", host);
    start_proxy(&px, host, &echo, FT_SEED);
    SL_CONNECT(&c, &px);
    SL_SEND_BYTES(&c, text, sizeof text);
    int pieces;
    size_t got = read_upto(&c, back, sizeof back, 2000, &pieces);
    sl_note("the echo of %zu bytes came in %d pieces", sizeof text, pieces);
    SL_ASSERT_BYTES_EQ(back, got, text, sizeof text);
    /* how many a reader sees hangs on how fast it reads: on an idle machine
     * one per byte, under load fewer, never one */
    if (pieces < 2)
        SL_FAIL("expected the echo in pieces, it came in %d", pieces);
    SL_ASSERT_INT_EQ(sl_conn_shutdown(&c), 0);
    SL_EXPECT_EOF(&c, 1000);
    sl_conn_close(&c);
    SL_SERVER_STOP(&px);
    says("sl-split-proxy", &px.prog.err, "seed " FT_SEED "\n");
    SL_SERVER_STOP(&echo);
}

SL_TEST(split_proxy_exposes_one_recv_per_line, 1,
        "A server that takes one recv() for one line answers right when the line comes "
        "whole, and wrongly through sl-split-proxy.")
{
    static const char line[] = "hello, split world\n";
    sl_server_t srv, px;
    sl_conn_t c;
    SL_SERVER_START(&srv, "fx-echo-oneread", "127.0.0.1");
    SL_CONNECT(&c, &srv);
    SL_SEND(&c, line);
    SL_EXPECT(&c, line, 1000); /* whole, it works */
    sl_conn_close(&c);
    start_proxy(&px, "127.0.0.1", &srv, FT_SEED);
    SL_CONNECT(&c, &px);
    SL_SEND(&c, line);
    SL_ASSERT_INT_EQ(sl_conn_expect(&c, line, strlen(line), 1000), -1);
    sl_note("as it should, fx-echo-oneread failed: %s", sl_harness_error());
    if (!strstr(sl_harness_error(), "instead"))
        SL_FAIL("expected a wrong answer from fx-echo-oneread, got: %s", sl_harness_error());
    sl_conn_close(&c);
    SL_SERVER_STOP(&px);
    SL_SERVER_STOP(&srv);
}

SL_TEST(split_proxy_passes_resets_on, 1,
        "When the server resets its connection, sl-split-proxy resets the client's.")
{
    const char *args[] = {"--read", "5", NULL};
    sl_server_t rp, px;
    sl_conn_t c;
    SL_SERVER_START_ARGS(&rp, "sl-reset-peer", "127.0.0.1", args);
    start_proxy(&px, "127.0.0.1", &rp, FT_SEED);
    SL_CONNECT(&c, &px);
    SL_SEND(&c, "hello");
    SL_EXPECT_RESET(&c, 2000);
    sl_conn_close(&c);
    SL_SERVER_STOP(&px);
    SL_ASSERT_INT_EQ(sl_prog_wait(&rp.prog, sl_deadline(1000)), 0);
    SL_ASSERT_INT_EQ(exit_status(&rp.prog), 0);
    says("sl-reset-peer", &rp.prog.out, "reset the connection");
    sl_prog_free(&rp.prog);
}

/* ---- every injector: loopback only, usage, a bound ------------------------ */

/* Runs name with args; it must exit with status want, its stderr one line
 * holding what. */
static void refuses(const char *name, const char *const *args, const char *what, int want)
{
    sl_run_t r;
    if (sl_run(&r, name, args, NULL, 0, 2000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_CHECK_INT(name, exit_status(&r.prog), want);
    says(name, &r.prog.err, what);
    char *nl = strchr(r.prog.err.data, '\n');
    if (!nl || nl[1])
        SL_FAIL("expected one line from %s, got: %s", name, r.prog.err.data);
    sl_run_free(&r);
}

SL_TEST(faults_refuse_other_addresses, 1,
        "Every injector takes loopback only (127.0.0.0/8, ::1): any other address is "
        "refused in one line, exit 2, before anything is sent.")
{
    static const char not_lo[] = "is not a loopback address";
    const char *a1[] = {"--to", "192.0.2.1:80", NULL};
    const char *a2[] = {"--to", "127.0.0.1:80", "-b", "0.0.0.0", NULL};
    const char *a3[] = {"--connect", "[2001:db8::1]:80", NULL};
    const char *a4[] = {"--connect", "10.1.2.3:80", NULL};
    const char *a5[] = {"--connect", "[::ffff:192.0.2.1]:80", NULL};
    const char *a6[] = {"--to", "[::]:80", NULL};
    const char *a7[] = {"-b", "::", NULL};
    refuses("sl-split-proxy", a1, not_lo, 2);
    refuses("sl-split-proxy", a2, not_lo, 2);
    refuses("sl-reset-peer", a3, not_lo, 2);
    refuses("sl-stuck-reader", a4, not_lo, 2);
    refuses("sl-slow-reader", a5, not_lo, 2);
    refuses("sl-udp-relay", a6, not_lo, 2);
    refuses("sl-reset-peer", a7, not_lo, 2);
}

SL_TEST(faults_usage_and_bad_usage, 1,
        "-h prints the usage (exit 0); a missing or unknown option is one line, exit 2; "
        "a failure is one line 'sl-NAME: what: reason', exit 1.")
{
    static const char *const names[] = {"sl-split-proxy", "sl-reset-peer", "sl-stuck-reader",
                                        "sl-slow-reader", "sl-udp-relay"};
    const char *help[] = {"-h", NULL}, *bogus[] = {"--bogus", NULL};
    const char *refused[] = {"--connect", "127.0.0.1:1", NULL};
    for (size_t i = 0; i < SL_COUNT(names); i++) {
        sl_run_t r;
        if (sl_run(&r, names[i], help, NULL, 0, 2000) < 0)
            sl_harness_fail(__FILE__, __LINE__);
        SL_CHECK_INT(names[i], exit_status(&r.prog), 0);
        says(names[i], &r.prog.out, "usage: ");
        sl_run_free(&r);
        refuses(names[i], bogus, "unknown option '--bogus'", 2);
    }
    const char *none[] = {NULL};
    refuses("sl-split-proxy", none, "--to HOST:PORT is required", 2);
    refuses("sl-reset-peer", refused, "sl-reset-peer: 127.0.0.1:1: connect: Connection refused",
            1);
}

SL_TEST(faults_stop_by_themselves, 1,
        "Every injector is bounded in time: --max-seconds 1 ends it, with status 0, "
        "within about a second.")
{
    static const char *const names[] = {"sl-udp-relay", "sl-split-proxy"};
    const char *args[] = {"--to", "127.0.0.1:9", "--max-seconds", "1", NULL};
    sl_server_t s[2];
    for (int i = 0; i < 2; i++)
        SL_SERVER_START_ARGS(&s[i], names[i], "127.0.0.1", args);
    for (int i = 0; i < 2; i++) {
        SL_ASSERT_INT_EQ(sl_prog_wait(&s[i].prog, sl_deadline(2000)), 0);
        SL_CHECK_INT(names[i], exit_status(&s[i].prog), 0);
        says(names[i], &s[i].prog.err, "--max-seconds 1 reached");
        sl_prog_free(&s[i].prog);
    }
}

/* ---- sl-reset-peer -------------------------------------------------------- */

/* Runs sl-reset-peer as a client of s: sends a line, reads its echo, resets. */
static void reset_client_of(const sl_server_t *s)
{
    const char *args[] = {"--connect", s->where, "--send", "hello\n", "--read", "6",
                          "--max-seconds", "3", NULL};
    sl_run_t r;
    if (sl_run(&r, "sl-reset-peer", args, NULL, 0, 4000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_ASSERT_INT_EQ(exit_status(&r.prog), 0);
    says("sl-reset-peer", &r.prog.out, "reset the connection");
    sl_run_free(&r);
}

SL_NET_TEST(reset_peer_correct_server_serves_on, 1, 0,
            "After a client resets its connection, a correct server goes on serving the "
            "next client.")
{
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo", host);
    reset_client_of(&s);
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "next\n");
    SL_EXPECT(&c, "next\n", 1000);
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST(reset_peer_exposes_fatal_server, 1,
        "A server that exits when a recv() fails is ended by one client's reset: the next "
        "client finds no one.")
{
    sl_server_t s;
    SL_SERVER_START(&s, "fx-echo-fatal", "127.0.0.1");
    reset_client_of(&s);
    SL_ASSERT_INT_EQ(sl_prog_wait(&s.prog, sl_deadline(1000)), 0);
    SL_ASSERT_INT_EQ(exit_status(&s.prog), 1);
    says("fx-echo-fatal", &s.prog.err, "recv: Connection reset by peer");
    sl_conn_t c;
    SL_ASSERT_INT_EQ(sl_conn_open(&c, &s, sl_deadline(500)), -1);
    sl_prog_free(&s.prog);
}

/* Runs client (fx-client or fx-client-sigpipe) against sl-reset-peer, which
 * reads its first line and resets; returns how the client ended. */
static int client_against_reset(const char *client, sl_run_t *r)
{
    const char *rp_args[] = {"--read", "6", "--max-seconds", "3", NULL};
    sl_server_t rp;
    char port[16];
    SL_SERVER_START_ARGS(&rp, "sl-reset-peer", "127.0.0.1", rp_args);
    snprintf(port, sizeof port, "%d", rp.port);
    const char *args[] = {"127.0.0.1", port, NULL};
    static const char in[] = "hello\nworld\n";
    if (sl_run(r, client, args, in, strlen(in), 3000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_ASSERT_INT_EQ(sl_prog_wait(&rp.prog, sl_deadline(1000)), 0);
    says("sl-reset-peer", &rp.prog.out, "reset the connection");
    sl_prog_free(&rp.prog);
    return r->prog.status;
}

SL_TEST(reset_peer_server_correct_client_says_so, 1,
        "A correct client reset by its server says so in one line and exits 1.")
{
    sl_run_t r;
    client_against_reset("fx-client", &r);
    SL_ASSERT_INT_EQ(exit_status(&r.prog), 1);
    says("fx-client", &r.prog.err, "the server reset the connection");
    sl_run_free(&r);
}

SL_TEST(reset_peer_server_exposes_sigpipe, 1,
        "A client that ignores a failed recv() and writes on is killed by SIGPIPE once "
        "its server resets.")
{
    sl_run_t r;
    int st = client_against_reset("fx-client-sigpipe", &r);
    if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGPIPE) {
        char how[96];
        SL_FAIL("expected fx-client-sigpipe to be killed by SIGPIPE; it %s",
                sl_prog_how(&r.prog, how, sizeof how));
    }
    sl_run_free(&r);
}

/* ---- sl-stuck-reader ------------------------------------------------------ */

/* Starts sl-stuck-reader on s and waits until it holds: s stopped taking
 * its bytes, or took all 8 MiB, more than a send buffer holds (4 MiB at
 * most on loopback), so s is now stuck on it or has stopped reading it. */
static void stick(sl_prog_t *p, const sl_server_t *s)
{
    const char *args[] = {"--connect", s->where, "--hold-ms", "1200", "--max-seconds", "5",
                          NULL};
    if (sl_prog_start(p, "sl-stuck-reader", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_prog_read(p, "holding after ", sl_deadline(2000)) != 1)
        SL_FAIL_FATAL("sl-stuck-reader never came to hold: %s", p->out.data);
}

/* Waits for sl-stuck-reader to let go. */
static void unstick(sl_prog_t *p)
{
    SL_ASSERT_INT_EQ(sl_prog_wait(p, sl_deadline(2500)), 0);
    SL_ASSERT_INT_EQ(exit_status(p), 0);
    says("sl-stuck-reader", &p->out, "sent ");
    sl_prog_free(p);
}

SL_NET_TEST(stuck_reader_poll_server_serves_others, 1, 6000,
            "While a client never reads, a server with non-blocking sockets and a bounded "
            "buffer per client serves the others.")
{
    sl_server_t s;
    sl_prog_t stuck;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo-poll", host);
    stick(&stuck, &s);
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "ping\n");
    SL_EXPECT(&c, "ping\n", 500);
    unstick(&stuck);
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(stuck_reader_exposes_blocking_server, 1, 6000,
                "An iterative server blocked in send() to a client that never reads serves "
                "no one else until that client leaves.")
{
    sl_server_t s;
    sl_prog_t stuck;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo", "127.0.0.1");
    stick(&stuck, &s);
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "ping\n");
    SL_ASSERT_INT_EQ(sl_conn_expect(&c, "ping\n", 5, 500), -1);
    sl_note("as it should, fx-echo stalled: %s", sl_harness_error());
    unstick(&stuck);
    SL_EXPECT(&c, "ping\n", 1500); /* once it let go, the next client is served */
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

/* ---- sl-slow-reader ------------------------------------------------------- */

/* Runs sl-slow-reader against s to its end. */
static void slow_read(const sl_server_t *s, sl_run_t *r)
{
    const char *args[] = {"--connect", s->where, "--max-seconds", "6", NULL};
    if (sl_run(r, "sl-slow-reader", args, NULL, 0, 7000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
}

SL_TEST_TIMEOUT(slow_reader_correct_servers_echo_exactly, 1, 9000,
                "A slow reader gets every byte back from a blocking echo server and from "
                "one that keeps what a non-blocking send() did not take.")
{
    static const char *const servers[] = {"fx-echo", "fx-echo-poll"};
    for (size_t i = 0; i < SL_COUNT(servers); i++) {
        sl_server_t s;
        sl_run_t r;
        SL_SERVER_START(&s, servers[i], "127.0.0.1");
        slow_read(&s, &r);
        SL_CHECK_INT(servers[i], exit_status(&r.prog), 0);
        says("sl-slow-reader", &r.prog.out, "bytes came back exactly");
        sl_run_free(&r);
        SL_SERVER_STOP(&s);
    }
}

SL_TEST_TIMEOUT(slow_reader_exposes_dropped_writes, 1, 9000,
                "A non-blocking server that forgets what send() did not take loses bytes "
                "once a slow reader fills its buffers.")
{
    sl_server_t s;
    sl_run_t r;
    SL_SERVER_START(&s, "fx-echo-nbdrop", "127.0.0.1");
    slow_read(&s, &r);
    SL_ASSERT_INT_EQ(exit_status(&r.prog), 1);
    says("sl-slow-reader", &r.prog.err, "sl-slow-reader: echo");
    sl_note("as it should, sl-slow-reader caught fx-echo-nbdrop: %s", r.prog.err.data);
    sl_run_free(&r);
    SL_SERVER_STOP(&s);
}

/* ---- libsl-shortio.so ----------------------------------------------------- */

/* The environment of a program under libsl-shortio (sl_shortio_env()),
 * or the test ends if the library is not there. */
typedef sl_shortio_t ft_env_t;

static const char *const *shortio_env(ft_env_t *e, const char *seed, const char *modes,
                                      const char *log)
{
    const char *const *vars = sl_shortio_env(e, seed, modes, log);
    if (!vars)
        sl_harness_fail(__FILE__, __LINE__);
    return vars;
}

/* Starts server name on host under libsl-shortio. */
static void start_shortio(sl_server_t *s, const char *name, const char *host,
                          const char *seed, const char *modes, const char *log)
{
    ft_env_t e;
    if (sl_server_start_env(s, name, host, NULL, shortio_env(&e, seed, modes, log)) < 0)
        sl_harness_fail(__FILE__, __LINE__);
}

#define FT_PIECE 200     /* bytes */
#define FT_PIECE_MS 1000 /* how long the echo of one piece may take */

/* Sends pieces of FT_PIECE bytes through s in lockstep: the next piece
 * only once the whole echo of the last one came, so the server takes each
 * whole and makes the same calls every run, whatever the machine's load,
 * until the first loss. Then half-closes and reads the rest. Returns how
 * many bytes came back into back, -1 if the exchange broke. */
static long piecewise(const sl_server_t *s, int pieces, char *back, size_t cap)
{
    sl_conn_t c;
    char piece[FT_PIECE];
    size_t got = 0;
    some_text(piece, sizeof piece);
    if (sl_conn_open(&c, s, sl_deadline(SL_CONNECT_MS)) < 0)
        return -1;
    for (int i = 0; i < pieces && got + FT_PIECE <= cap; i++) {
        if (sl_conn_send(&c, piece, sizeof piece, sl_deadline(SL_SEND_MS)) < 0)
            break;
        size_t n = read_upto(&c, back + got, FT_PIECE, FT_PIECE_MS, NULL);
        got += n;
        if (n < FT_PIECE) {
            sl_note("piece %d: %zu of %d bytes came back", i + 1, n, FT_PIECE);
            break;
        }
    }
    long rest = sl_conn_shutdown(&c) == 0 ? sl_conn_read_to_eof(&c, back + got, cap - got,
                                                               FT_PIECE_MS) : -1;
    if (rest < 0)
        sl_note("the exchange broke: %s", sl_harness_error());
    sl_conn_close(&c);
    return rest < 0 ? -1 : (long)got + rest;
}

/* Sends pieces through s (see piecewise()); 1 if all came back exactly. */
static int echoes_exactly(const sl_server_t *s, int pieces)
{
    size_t len = (size_t)pieces * FT_PIECE;
    char *text = malloc(len), *back = malloc(len + 1);
    if (!text || !back)
        SL_FAIL_FATAL("out of memory");
    for (int i = 0; i < pieces; i++)
        some_text(text + (size_t)i * FT_PIECE, FT_PIECE);
    long got = piecewise(s, pieces, back, len + 1);
    int ok = got == (long)len && memcmp(text, back, len) == 0;
    sl_note("%s: %ld of %zu bytes came back%s", s->prog.name, got, len,
            ok ? ", exactly" : got == (long)len ? ", but not the same" : "");
    free(text);
    free(back);
    return ok;
}

/* A log for libsl-shortio that leaves nothing behind: made and unlinked
 * at once, it reaches the program as /dev/fd/N (inherited). */
static int open_log(char *path, size_t pathsz)
{
    char name[] = "/tmp/sl-shortio-log-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
        SL_FAIL_FATAL("mkstemp: cannot make a log file in /tmp");
    unlink(name);
    snprintf(path, pathsz, "/dev/fd/%d", fd);
    return fd;
}

/* How many lines of the log hold what. */
static int lines_with(int fd, const char *what)
{
    char line[256];
    int n = 0;
    lseek(fd, 0, SEEK_SET);
    FILE *f = fdopen(dup(fd), "r");
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, what) != NULL;
    if (f)
        fclose(f);
    return n;
}

SL_NET_TEST(shortio_correct_server_echoes_exactly, 1, 0,
            "Under short counts, EINTR and EAGAIN a correct echo server still echoes every "
            "byte: it loops on short writes and retries after EINTR.")
{
    char log[64];
    int fd = open_log(log, sizeof log);
    sl_server_t s;
    start_shortio(&s, "fx-echo", host, "7", "short,eintr,eagain", log);
    if (!echoes_exactly(&s, 20))
        SL_FAIL("fx-echo did not echo exactly under libsl-shortio");
    SL_SERVER_STOP(&s);
    int cut = lines_with(fd, "bytes -> ") - lines_with(fd, "-> E");
    int eintr = lines_with(fd, "-> EINTR");
    sl_note("libsl-shortio cut %d calls and failed %d with EINTR", cut, eintr);
    if (cut == 0 || eintr == 0)
        SL_FAIL("expected libsl-shortio to cut calls and inject EINTR");
    close(fd);
}

SL_TEST(shortio_exposes_ignored_short_write, 1,
        "A server that sends once per recv() and ignores the count loses bytes under "
        "libsl-shortio's short writes.")
{
    sl_server_t s;
    start_shortio(&s, "fx-echo-onewrite", "127.0.0.1", "7", "short", NULL);
    if (echoes_exactly(&s, 20))
        SL_FAIL("expected fx-echo-onewrite to lose bytes under short writes");
    SL_SERVER_STOP(&s);
}

SL_TEST(shortio_exposes_eintr_taken_for_failure, 1,
        "A server that takes EINTR for a failure drops its client under libsl-shortio's "
        "EINTR; fx-echo, which retries, does not.")
{
    sl_server_t s;
    start_shortio(&s, "fx-echo", "127.0.0.1", "7", "eintr", NULL);
    if (!echoes_exactly(&s, 20))
        SL_FAIL("fx-echo should have come through EINTR");
    SL_SERVER_STOP(&s);
    start_shortio(&s, "fx-echo-eintr", "127.0.0.1", "7", "eintr", NULL);
    if (echoes_exactly(&s, 20))
        SL_FAIL("expected fx-echo-eintr to drop the client at an EINTR");
    SL_SERVER_STOP(&s);
}

SL_TEST(shortio_exposes_eagain_dropped, 1,
        "A non-blocking server that forgets what send() did not take loses bytes under "
        "libsl-shortio's EAGAIN; fx-echo-poll, which keeps them, does not.")
{
    sl_server_t s;
    start_shortio(&s, "fx-echo-poll", "127.0.0.1", "7", "short,eintr,eagain", NULL);
    if (!echoes_exactly(&s, 20))
        SL_FAIL("fx-echo-poll should have come through short writes, EINTR and EAGAIN");
    SL_SERVER_STOP(&s);
    start_shortio(&s, "fx-echo-nbdrop", "127.0.0.1", "7", "eagain", NULL);
    if (echoes_exactly(&s, 20))
        SL_FAIL("expected fx-echo-nbdrop to lose bytes at an EAGAIN");
    SL_SERVER_STOP(&s);
}

/* What comes back through fx-echo-onewrite under short writes. */
static long onewrite_run(const char *seed, char *back, size_t cap)
{
    sl_server_t s;
    start_shortio(&s, "fx-echo-onewrite", "127.0.0.1", seed, "short", NULL);
    long got = piecewise(&s, 10, back, cap);
    SL_SERVER_STOP(&s);
    return got;
}

SL_TEST(shortio_same_seed_same_faults, 1,
        "libsl-shortio is deterministic: the same seed and the same calls meet the same "
        "faults, so the same bytes are lost.")
{
    char a[10 * FT_PIECE], b[10 * FT_PIECE];
    long na = onewrite_run("11", a, sizeof a), nb = onewrite_run("11", b, sizeof b);
    sl_note("seed 11: %ld and %ld of %d bytes came back", na, nb, 10 * FT_PIECE);
    SL_ASSERT_BYTES_EQ(b, nb > 0 ? (size_t)nb : 0, a, na > 0 ? (size_t)na : 0);
    if (na >= 10 * FT_PIECE)
        SL_FAIL("expected bytes lost under short writes with seed 11");
}

SL_TEST(shortio_touches_sockets_only, 1,
        "libsl-shortio leaves files, pipes and stdout whole, and never cuts a datagram.")
{
    ft_env_t e;
    sl_prog_t p;
    if (sl_prog_start_env(&p, "fx-nonsock", NULL, 0, shortio_env(&e, "3", "short", NULL)) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_ASSERT_INT_EQ(sl_prog_wait(&p, sl_deadline(2000)), 0);
    SL_ASSERT_INT_EQ(exit_status(&p), 0);
    says("fx-nonsock", &p.out, "short calls: file 0, pipe 0, stdout 0, socket ");
    if (strstr(p.out.data, "socket 0\n"))
        SL_FAIL("expected short calls on the socket pair: is the library loaded?");
    sl_prog_free(&p);

    sl_server_t s;
    start_shortio(&s, "fx-udp-echo", "127.0.0.1", "3", "short", NULL);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    char dgram[1000], back[2000];
    some_text(dgram, sizeof dgram);
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connect(fd, (struct sockaddr *)&s.addr, s.addrlen);
    for (int i = 0; i < 5; i++) {
        send(fd, dgram, sizeof dgram, 0);
        SL_CHECK_INT("the size of the echoed datagram", recv(fd, back, sizeof back, 0),
                     (long)sizeof dgram);
    }
    close(fd);
    SL_SERVER_STOP(&s);
}

/* ---- sl-udp-relay --------------------------------------------------------- */

/* Starts sl-udp-relay on host in front of target, with more args. */
static void start_relay(sl_server_t *r, const char *host, const sl_server_t *target,
                        const char *seed, const char *const *more)
{
    const char *args[16] = {"--to", target->where, "--seed", seed, "--max-seconds",
                            FT_MAX_SECONDS};
    size_t n = 6;
    for (size_t i = 0; more && more[i] && n < 15; i++)
        args[n++] = more[i];
    args[n] = NULL;
    sl_note("seed %s (sl-udp-relay --seed %s replays it)", seed, seed);
    SL_SERVER_START_ARGS(r, "sl-udp-relay", host, args);
}

/* A UDP socket connected to s, with a receive timeout of ms. */
static int udp_to(const sl_server_t *s, int ms)
{
    int fd = socket(s->addr.ss_family, SOCK_DGRAM, 0);
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    if (fd < 0 || connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) < 0)
        SL_FAIL_FATAL("cannot make a UDP socket to %s", s->where);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Sends datagrams "0".."n-1" at once, then collects what comes back (until
 * quiet for 400 ms) into got, as "1 0 2 ..."; returns how many came. */
static int udp_burst(const sl_server_t *relay, int n, char *got, size_t cap)
{
    int fd = udp_to(relay, sl_scaled_ms(400)), count = 0;
    char d[16];
    for (int i = 0; i < n; i++) {
        int len = snprintf(d, sizeof d, "%d", i);
        send(fd, d, (size_t)len, 0);
    }
    size_t off = 0;
    got[0] = '\0';
    ssize_t len;
    while ((len = recv(fd, d, sizeof d - 1, 0)) >= 0 && off + 16 < cap) {
        d[len] = '\0';
        off += (size_t)snprintf(got + off, cap - off, "%s%s", count++ ? " " : "", d);
    }
    close(fd);
    sl_note("sent %d datagrams, got back %d: %s", n, count, got);
    return count;
}

SL_NET_TEST(udp_relay_relays_and_counts, 1, 0,
            "With no faults sl-udp-relay relays every datagram both ways, in order, and "
            "counts them at the end.")
{
    sl_server_t echo, relay;
    char got[256];
    SL_SERVER_START(&echo, "fx-udp-echo", host);
    start_relay(&relay, host, &echo, FT_SEED, NULL);
    SL_ASSERT_INT_EQ(udp_burst(&relay, 5, got, sizeof got), 5);
    SL_ASSERT_STR_EQ(got, "0 1 2 3 4");
    SL_SERVER_STOP(&relay);
    says("sl-udp-relay", &relay.prog.out, "datagrams: 10 in, 10 out, 0 dropped, 0 duplicated, "
         "0 reordered");
    SL_SERVER_STOP(&echo);
}

SL_TEST(udp_relay_drops_and_doubles, 1,
        "--drop 1 loses every datagram; --dup 1 sends each twice (a request and its "
        "reply each doubled: four copies).")
{
    const char *drop[] = {"--drop", "1", NULL}, *dup[] = {"--dup", "1", NULL};
    sl_server_t echo, relay;
    char got[256];
    SL_SERVER_START(&echo, "fx-udp-echo", "127.0.0.1");
    start_relay(&relay, "127.0.0.1", &echo, FT_SEED, drop);
    SL_ASSERT_INT_EQ(udp_burst(&relay, 3, got, sizeof got), 0);
    SL_SERVER_STOP(&relay);
    says("sl-udp-relay", &relay.prog.out, "datagrams: 3 in, 0 out, 3 dropped");
    start_relay(&relay, "127.0.0.1", &echo, FT_SEED, dup);
    SL_ASSERT_INT_EQ(udp_burst(&relay, 2, got, sizeof got), 8);
    SL_ASSERT_STR_EQ(got, "0 0 0 0 1 1 1 1");
    SL_SERVER_STOP(&relay);
    SL_SERVER_STOP(&echo);
}

SL_TEST(udp_relay_reorders_the_same_way_each_time, 1,
        "--reorder holds datagrams back past the next; with the same seed the order that "
        "comes out is the same every time.")
{
    const char *reorder[] = {"--reorder", "0.5", NULL};
    sl_server_t echo, relay;
    char first[256], again[256];
    SL_SERVER_START(&echo, "fx-udp-echo", "127.0.0.1");
    start_relay(&relay, "127.0.0.1", &echo, "9", reorder);
    SL_ASSERT_INT_EQ(udp_burst(&relay, 8, first, sizeof first), 8);
    SL_SERVER_STOP(&relay);
    start_relay(&relay, "127.0.0.1", &echo, "9", reorder);
    SL_ASSERT_INT_EQ(udp_burst(&relay, 8, again, sizeof again), 8);
    SL_SERVER_STOP(&relay);
    SL_ASSERT_STR_EQ(again, first);
    if (strcmp(first, "0 1 2 3 4 5 6 7") == 0)
        SL_FAIL("expected seed 9 to reorder the datagrams; they came in order");
    SL_SERVER_STOP(&echo);
}

/* Runs client (fx-udp-client or fx-udp-client-naive) through a relay with
 * more args in front of fx-udp-echo; five lines in. */
static void udp_client_through(const char *client, const char *const *more, sl_run_t *r)
{
    static const char in[] = "one\ntwo\nthree\nfour\nfive\n";
    sl_server_t echo, relay;
    char port[16];
    SL_SERVER_START(&echo, "fx-udp-echo", "127.0.0.1");
    start_relay(&relay, "127.0.0.1", &echo, FT_SEED, more);
    snprintf(port, sizeof port, "%d", relay.port);
    const char *args[] = {"127.0.0.1", port, "-t", "100", "-r", "20", NULL};
    if (sl_run(r, client, args, in, strlen(in), 2500) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_SERVER_STOP(&relay);
    const char *counts = strstr(relay.prog.out.data, "datagrams:");
    sl_note("sl-udp-relay said: %.*s", counts ? (int)strcspn(counts, "\n") : 0,
            counts ? counts : "");
    SL_SERVER_STOP(&echo);
}

SL_TEST_TIMEOUT(udp_relay_correct_client_survives, 1, 6000,
                "A client that retries on a timeout and takes only its own reply gets every "
                "echo through loss and duplicates.")
{
    const char *drop[] = {"--drop", "0.3", NULL}, *dup[] = {"--dup", "1", NULL};
    const char *const *faults[] = {drop, dup};
    for (size_t i = 0; i < SL_COUNT(faults); i++) {
        sl_run_t r;
        udp_client_through("fx-udp-client", faults[i], &r);
        SL_CHECK_INT("fx-udp-client's exit status", exit_status(&r.prog), 0);
        SL_CHECK_STR("fx-udp-client's output", r.prog.out.data,
                     "one\ntwo\nthree\nfour\nfive\n");
        sl_run_free(&r);
    }
}

SL_TEST_TIMEOUT(udp_relay_exposes_naive_client, 1, 6000,
                "A client that sends once and takes the first datagram for the reply gives "
                "up at a loss, and prints a duplicate for the next line's reply.")
{
    const char *drop[] = {"--drop", "0.3", NULL}, *dup[] = {"--dup", "1", NULL};
    sl_run_t r;
    udp_client_through("fx-udp-client-naive", drop, &r);
    SL_ASSERT_INT_EQ(exit_status(&r.prog), 1);
    says("fx-udp-client-naive", &r.prog.err, "no reply to line");
    sl_run_free(&r);
    udp_client_through("fx-udp-client-naive", dup, &r);
    SL_ASSERT_INT_EQ(exit_status(&r.prog), 0);
    if (strcmp(r.prog.out.data, "one\ntwo\nthree\nfour\nfive\n") == 0)
        SL_FAIL("expected fx-udp-client-naive to print a duplicate as a reply");
    sl_run_free(&r);
}
