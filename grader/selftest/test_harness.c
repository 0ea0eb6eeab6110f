/* test_harness.c - self-tests of the harness (sl_harness.h) against the
 * fixture programs of programs/: a correct echo server, and servers that
 * break the contract in one way each. */
#include "sl_harness.h"
#include "sl_test.h"
#include "clock.h"
#include "todo.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

SL_TASK_PROGRAMS(7, "the harness: programs, connections, transcripts");

/* Records a failure unless the harness's last error holds what. */
static void error_says(const char *what)
{
    if (!strstr(sl_harness_error(), what))
        SL_FAIL("expected the harness to say \"%s\", it said: %s", what, sl_harness_error());
}

static jmp_buf todo_jump;
static char todo_func[200];

static _Noreturn void catch_todo(const char *func)
{
    snprintf(todo_func, sizeof todo_func, "%s", func);
    longjmp(todo_jump, 1);
}

/* What sl_prog_check_todo() would end the test with ("greet (in NAME)"),
 * caught before it does; "" if it would not. */
static const char *todo_of(const sl_prog_t *p)
{
    void (*was)(const char *) = sl_todo_hook;
    todo_func[0] = '\0';
    sl_todo_hook = catch_todo;
    if (setjmp(todo_jump) == 0)
        sl_prog_check_todo(p);
    sl_todo_hook = was;
    return todo_func;
}

/* Does capture c end with text? */
static int ends_with(const sl_capture_t *c, const char *text)
{
    size_t n = strlen(text);
    return c->len >= n && memcmp(c->data + c->len - n, text, n) == 0;
}

SL_NET_TEST(harness_echo_round_trip, 1, 0,
            "The harness starts a server, reads its listening line, connects, "
            "sends, expects, half-closes and stops it.")
{
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo", host);
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "hello\n");
    SL_EXPECT(&c, "hello\n", 1000);
    SL_ASSERT_INT_EQ(sl_conn_shutdown(&c), 0);
    SL_EXPECT_EOF(&c, 1000);
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST(harness_expect_says_what_came, 1,
        "A mismatch names the first differing byte; a short answer says what came, "
        "then nothing.")
{
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo", "127.0.0.1");
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "hel");
    SL_ASSERT_INT_EQ(sl_conn_expect(&c, "hello\n", 6, 300), -1);
    error_says("expected 6 bytes \"hello\\n\" from fx-echo at 127.0.0.1:");
    error_says("got \"hel\", then nothing");
    SL_SEND(&c, "xy");
    SL_ASSERT_INT_EQ(sl_conn_expect(&c, "ab", 2, 300), -1);
    error_says("got \"xy\" instead (first difference at byte 0: differs at column 1: "
               "expected 'a', got 'x')");
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST(harness_missing_program_is_named, 1,
        "Starting a program that is not there says which, and where it was looked for.")
{
    sl_server_t s;
    SL_ASSERT_INT_EQ(sl_server_start(&s, "no-such-server", "127.0.0.1", NULL), -1);
    error_says("there is no program ");
    error_says("no-such-server");
}

SL_TEST(harness_parses_listening_lines, 1,
        "listening on lines are parsed with getaddrinfo: IPv4, bracketed IPv6; "
        "junk, port 0 and names are refused.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on 127.0.0.1:80\n", &ss, &len), 0);
    SL_ASSERT_INT_EQ(ss.ss_family, AF_INET);
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on [::1]:8080", &ss, &len), 0);
    SL_ASSERT_INT_EQ(ss.ss_family, AF_INET6);
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on ::1:8080", &ss, &len), -1);
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on 127.0.0.1:0", &ss, &len), -1);
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on localhost:80", &ss, &len), -1);
    SL_ASSERT_INT_EQ(sl_parse_listening("listen on 127.0.0.1:80", &ss, &len), -1);
    SL_ASSERT_INT_EQ(sl_parse_listening("listening on 127.0.0.1:80x", &ss, &len), -1);
}

SL_TEST(harness_server_that_dies_is_named, 1,
        "A server that exits before listening: its status and the end of its stderr.")
{
    sl_server_t s;
    SL_ASSERT_INT_EQ(sl_server_start(&s, "fx-dies", "127.0.0.1", NULL), -1);
    error_says("fx-dies exited with status 1 before listening: fx-dies: bind: Address "
               "already in use");
    sl_prog_free(&s.prog);
}

SL_TEST(harness_listening_line_comes_first, 1,
        "A line printed before 'listening on' breaks the contract, and the harness says so.")
{
    sl_server_t s;
    SL_ASSERT_INT_EQ(sl_server_start(&s, "fx-chatty", "127.0.0.1", NULL), -1);
    error_says("fx-chatty printed \"starting up...\" before 'listening on ...'");
    sl_prog_free(&s.prog);
}

SL_TEST(harness_sigterm_must_end_a_server, 1,
        "A server that ignores SIGTERM is killed after the grace period, and the "
        "harness says it did not exit.")
{
    sl_server_t s;
    SL_SERVER_START(&s, "fx-stubborn", "127.0.0.1");
    SL_ASSERT_INT_EQ(sl_server_stop(&s), -1);
    error_says("fx-stubborn did not exit within ");
    error_says("of SIGTERM (it was killed)");
}

SL_TEST(harness_eof_and_silence, 1,
        "A quiet peer is silence, not EOF; after a half-close the echo server's "
        "close is EOF; a closed peer is not silence.")
{
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-echo", "127.0.0.1");
    SL_CONNECT(&c, &s);
    SL_ASSERT_INT_EQ(sl_conn_expect_silence(&c, 100), 0);
    SL_ASSERT_INT_EQ(sl_conn_expect_reset(&c, 100), -1);
    error_says("the connection stayed open");
    SL_ASSERT_INT_EQ(sl_conn_shutdown(&c), 0);
    SL_ASSERT_INT_EQ(sl_conn_expect_eof(&c, 1000), 0);
    SL_ASSERT_INT_EQ(sl_conn_expect_silence(&c, 100), -1);
    error_says("closed it");
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST(harness_run_feeds_stdin_and_bounds_time, 1,
        "sl_run gives a program its stdin, captures its output and status, and kills "
        "one that runs past its time, saying so.")
{
    sl_run_t r;
    const char *args[] = {"0", NULL};
    SL_ASSERT_INT_EQ(sl_run(&r, "fx-stubborn", args, "x", 1, 300), -1);
    SL_ASSERT_INT_EQ(r.timed_out, 1);
    error_says("fx-stubborn was still running after 300 ms (it was killed)");
    sl_run_free(&r);
}

SL_NET_TEST(harness_udp_round_trip, 1, 0,
            "The harness sends a datagram to a UDP server and expects it back; a wrong "
            "or missing answer is said in words.")
{
    sl_server_t s;
    sl_udp_t u;
    SL_SERVER_START(&s, "fx-udp-echo", host);
    SL_UDP_OPEN(&u, &s);
    SL_UDP_SEND(&u, "hello", 5);
    SL_UDP_EXPECT(&u, "hello", 5, 1000);
    SL_UDP_SEND(&u, "hello", 5);
    SL_ASSERT_INT_EQ(sl_udp_expect(&u, "help", 4, 1000), -1);
    error_says("expected a datagram of 4 bytes \"help\"");
    error_says("got \"hello\" (5 bytes)");
    SL_ASSERT_INT_EQ(sl_udp_expect_silence(&u, 100), 0);
    SL_ASSERT_INT_EQ(sl_udp_expect(&u, "x", 1, 100), -1);
    error_says("got nothing");
    sl_udp_close(&u);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(harness_keeps_last_words, 1, 10000,
                "Past SL_PROG_KEEP bytes of output, the harness keeps the first line and "
                "the last words: a TODO() after 4 MB of stderr is still 'not implemented'.")
{
    sl_run_t r;
    SL_ASSERT_INT_EQ_FATAL(sl_run(&r, "fx-todo-loud", NULL, "", 0, 5000), 0);
    SL_ASSERT_INT_EQ(r.prog.err.total, 23 + 4000000 + 23);
    SL_ASSERT_INT_EQ(r.prog.err.len, SL_PROG_KEEP);
    if (strncmp(r.prog.err.data, "fx-todo-loud: starting\n", 23) != 0)
        SL_FAIL("the first line of its stderr is lost: %.40s", r.prog.err.data);
    if (!ends_with(&r.prog.err, "xxx\nnot implemented: greet\n"))
        SL_FAIL("its last words are lost: the kept stderr ends %.40s",
                r.prog.err.data + (r.prog.err.len > 40 ? r.prog.err.len - 40 : 0));
    const char *todo = todo_of(&r.prog);
    if (strcmp(todo, "greet (in fx-todo-loud)") != 0)
        SL_FAIL("expected the TODO() of greet to be seen, got \"%s\"", todo);
    sl_run_free(&r);
}

/* The line of file that holds mark, as "file:N", into out. */
static const char *line_of(const char *file, const char *mark, char *out, size_t outsz)
{
    char buf[512];
    FILE *f = fopen(file, "r");
    snprintf(out, outsz, "%s:?", file);
    for (int n = 1; f && fgets(buf, sizeof buf, f); n++)
        if (strstr(buf, mark)) {
            snprintf(out, outsz, "%s:%d", file, n);
            break;
        }
    if (f)
        fclose(f);
    return out;
}

SL_TEST(harness_todo_says_where, 1,
        "A program's TODO() in a file not its own is named with that file:line and "
        "the program: 'greet (FILE:LINE, called by PROG)', not '(in PROG)'.")
{
    sl_run_t r;
    char where[300], want[400];
    SL_ASSERT_INT_EQ_FATAL(sl_run(&r, "fx-todo-where", NULL, "", 0, 3000), 0);
    line_of("grader/selftest/programs/common/fx_todo.c", "fx-todo-where: the TODO()", where,
            sizeof where);
    snprintf(want, sizeof want, "fx_todo_greet (%s, called by fx-todo-where)", where);
    SL_ASSERT_STR_EQ(todo_of(&r.prog), want);
    sl_run_free(&r);
}

SL_TEST_TIMEOUT(harness_chatty_server_does_not_stall, 1, 10000,
                "A server that prints 50 MB once it listens is read as fast as it writes, "
                "while the test waits on its socket: its greeting comes in time.")
{
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-flood", "127.0.0.1");
    SL_CONNECT(&c, &s);
    SL_EXPECT(&c, "hello\n", 2000);
    SL_EXPECT_EOF(&c, 1000);
    sl_conn_close(&c);
    if (s.prog.out.total < 50 * 1000 * 1000)
        SL_FAIL("only %zu bytes of its stdout were read", s.prog.out.total);
    SL_SERVER_STOP(&s);
}

SL_TEST_TIMEOUT(harness_server_exit_seen_while_child_holds_pipes, 1, 6000,
                "A server that exits before listening, leaving a child that holds its "
                "stdout and stderr, is reported at once with its status and last words.")
{
    sl_server_t s;
    double t0 = clk_now();
    SL_ASSERT_INT_EQ(sl_server_start(&s, "fx-dies-forked", "127.0.0.1", NULL), -1);
    double took = clk_now() - t0;
    error_says("fx-dies-forked exited with status 1 before listening: fx-dies-forked: bind: "
               "Address already in use");
    if (took > 1.0)
        SL_FAIL("took %.2f s to see that the server had ended", took);
    sl_prog_free(&s.prog);
}

SL_TEST(harness_command_line_replays, 1,
        "The command line of a program started is written as a shell reads it back: "
        "an empty argument as '', one with spaces or quotes single-quoted, the rest "
        "as it is, whole.")
{
    static const char *const args[] = {"", "a b", "it's", "-p", "0", "x=1,y:2/z@w", NULL};
    char want[256];
    sl_prog_t p;
    const char *dir = getenv("SOCKLAB_BIN_SHOWN");
    SL_ASSERT_INT_EQ(sl_prog_start(&p, "fx-echo", args, 0), 0);
    snprintf(want, sizeof want, "%s/fx-echo '' 'a b' 'it'\\''s' -p 0 x=1,y:2/z@w",
             dir && *dir ? dir : getenv("SOCKLAB_BIN_DIR"));
    SL_ASSERT_STR_EQ(p.command, want);
    sl_prog_free(&p);
}

/* A port free on 127.0.0.1 now (bound, read, closed), or 0. */
static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, len) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

SL_TEST(harness_server_args_not_doubled, 1,
        "A test's own -p PORT (or -b HOST) replaces the harness's -p 0 (or -b HOST): "
        "the command never says -p twice.")
{
    char port[16], want[128];
    sl_server_t s;
    snprintf(port, sizeof port, "%d", free_port());
    const char *const with_port[] = {"-p", port, NULL};
    SL_SERVER_START_ARGS(&s, "fx-echo", "127.0.0.1", with_port);
    snprintf(want, sizeof want, "/fx-echo -b 127.0.0.1 -p %s", port);
    if (!strstr(s.prog.command, want) || strstr(s.prog.command, "-p 0"))
        SL_FAIL("expected the command to end \"%s\", it is: %s", want, s.prog.command);
    SL_ASSERT_INT_EQ(s.port, atoi(port));
    SL_SERVER_STOP(&s);
    const char *const with_bind[] = {"-b", "::1", NULL};
    SL_SERVER_START_ARGS(&s, "fx-echo", "::1", with_bind);
    if (!strstr(s.prog.command, "/fx-echo -p 0 -b ::1") || strstr(s.prog.command, "127.0.0.1"))
        SL_FAIL("expected the command to end \"fx-echo -p 0 -b ::1\", it is: %s",
                s.prog.command);
    SL_SERVER_STOP(&s);
}

SL_TEST(harness_show_counts_what_is_left_out, 1,
        "Bytes shown in a sentence are cut with \"…\" and how many were left out, never "
        "silently, even where the buffer is what runs out.")
{
    char data[300], out[1024], small[64];
    memset(data, 'a', sizeof data);
    sl_show(data, sizeof data, 200, out, sizeof out);
    SL_ASSERT_INT_EQ(strlen(out), 1 + 200 + strlen("\u2026\" (100 more bytes)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "aaa\u2026\" (100 more bytes)"));
    sl_show(data, sizeof data, 200, small, sizeof small);
    CU_ASSERT_PTR_NOT_NULL(strstr(small, "a\u2026\" ("));
    CU_ASSERT_PTR_NOT_NULL(strstr(small, " more bytes)"));
    sl_show("\x01\x02\x03", 3, 2, out, sizeof out);
    SL_ASSERT_STR_EQ(out, "hex 01 02 (1 more byte)");
    sl_show("hello", 5, 200, out, sizeof out);
    SL_ASSERT_STR_EQ(out, "\"hello\"");
}

SL_TEST(harness_failures_name_their_errno, 1,
        "A step that failed with an errno gives it as the failure's cause: a connect() "
        "refused, a server that ended saying \"NAME: bind: Address already in use\"; "
        "an expectation that was not met gives none.")
{
    sl_server_t s;
    sl_conn_t c;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(9),
                              .sin_addr = {htonl(INADDR_LOOPBACK)}};
    SL_ASSERT_INT_EQ(sl_server_start(&s, "fx-dies", "127.0.0.1", NULL), -1);
    SL_ASSERT_INT_EQ(sl_harness_errno(), EADDRINUSE);
    SL_ASSERT_INT_EQ(sl_prog_errno(&s.prog), EADDRINUSE);
    sl_prog_free(&s.prog);
    SL_ASSERT_INT_EQ(sl_conn_open_addr(&c, (struct sockaddr *)&sin, sizeof sin, "port 9",
                                       sl_deadline(1000)), -1);
    SL_ASSERT_INT_EQ(sl_harness_errno(), ECONNREFUSED);
    SL_SERVER_START(&s, "fx-echo", "127.0.0.1");
    SL_CONNECT(&c, &s);
    SL_SEND(&c, "xy");
    SL_ASSERT_INT_EQ(sl_conn_expect(&c, "ab", 2, 300), -1);
    SL_ASSERT_INT_EQ(sl_harness_errno(), 0);
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_TEST(errno_names_complete, 1,
        "Every errno the C library has a text for has its name (EBADMSG, not \"74 (Bad "
        "message)\"), so no check ever shows an errno as a bare number.")
{
    for (int e = 1; e < 4096; e++) {
        const char *text = strerror(e);
        if (strncmp(text, "Unknown error", 13) != 0 && !sl_errno_name(e))
            SL_FAIL("errno %d (%s) has no name", e, text);
    }
    SL_ASSERT_STR_EQ(sl_errno_name(EBADMSG), "EBADMSG");
    SL_ASSERT_STR_EQ(sl_errno_name(EAGAIN), "EAGAIN");
    SL_ASSERT_STR_EQ(sl_errno_name(EHWPOISON), "EHWPOISON");
}

/* What f(s, u) writes to stdout (the transcript), into out. */
static void transcript_of(int (*f)(sl_server_t *, void *), sl_server_t *s, void *arg,
                          char *out, size_t outsz)
{
    char path[] = "/tmp/sl-transcript-XXXXXX";
    int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
    out[0] = '\0';
    if (fd < 0 || saved < 0) {
        SL_FAIL("mkstemp or dup: %s", strerror(errno));
        return;
    }
    unlink(path);
    fflush(stdout);
    dup2(fd, STDOUT_FILENO);
    f(s, arg);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    ssize_t n = pread(fd, out, outsz - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
}

static int talk_udp(sl_server_t *s, void *u)
{
    return sl_udp_open(u, s);
}

static int talk_tcp(sl_server_t *s, void *c)
{
    return sl_conn_open(c, s, sl_deadline(2000));
}

SL_NET_TEST(harness_replay_says_udp, 1, 0,
            "A server the test talks to with datagrams is replayed with nc -u (or socat "
            "UDP), once; one it connects to, with plain nc.")
{
    sl_server_t s;
    sl_udp_t u, u2;
    sl_conn_t c;
    char out[2048], want[160];
    SL_SERVER_START(&s, "fx-udp-echo", host);
    transcript_of(talk_udp, &s, &u, out, sizeof out);
    snprintf(want, sizeof want, "then, with the port it prints: nc -u %s PORT (or socat - %s",
             host, strchr(host, ':') ? "UDP6:[::1]:PORT)" : "UDP4:127.0.0.1:PORT)");
    if (!strstr(out, want))
        SL_FAIL("expected \"%s\" in the transcript:\n%s", want, out);
    transcript_of(talk_udp, &s, &u2, out, sizeof out);
    if (strstr(out, "nc "))
        SL_FAIL("the replay line was written twice:\n%s", out);
    sl_udp_close(&u), sl_udp_close(&u2);
    SL_SERVER_STOP(&s);
    SL_SERVER_START(&s, "fx-echo", host);
    transcript_of(talk_tcp, &s, &c, out, sizeof out);
    snprintf(want, sizeof want, "then, with the port it prints: nc %s PORT\n", host);
    if (!strstr(out, want))
        SL_FAIL("expected \"%s\" in the transcript:\n%s", want, out);
    sl_conn_close(&c);
    SL_SERVER_STOP(&s);
}

SL_NET_TEST(harness_hex_dumps_bounded, 1, 0,
            "Bytes that are not text are shown as a few lines of hex, not hundreds of "
            "bytes; a datagram that differs is shown around its first difference.")
{
    unsigned char data[1000], other[1000];
    char out[1024];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = other[i] = (unsigned char)(i * 7 + 128);
    other[600] ^= 0xff;
    sl_show(data, sizeof data, 200, out, sizeof out);
    if (strlen(out) > 160)
        SL_FAIL("1000 bytes of hex shown in %zu characters: %s", strlen(out), out);
    if (!strstr(out, "more bytes)"))
        SL_FAIL("the hex does not say how much is left out: %s", out);
    sl_server_t s;
    sl_udp_t u;
    SL_SERVER_START(&s, "fx-udp-echo", host);
    SL_UDP_OPEN(&u, &s);
    SL_UDP_SEND(&u, data, sizeof data);
    SL_ASSERT_INT_EQ(sl_udp_expect(&u, other, sizeof other, 1000), -1);
    error_says("first difference at byte 600; from byte 592:");
    if (strlen(sl_harness_error()) > 400)
        SL_FAIL("the difference takes %zu characters: %s", strlen(sl_harness_error()),
                sl_harness_error());
    sl_udp_close(&u);
    SL_SERVER_STOP(&s);
}

/* Sets up the catch of a TODO() that ends the test (see todo_of()). */
#define CATCH_TODO() (todo_func[0] = '\0', sl_todo_hook = catch_todo, setjmp(todo_jump))

/* The TODO() fx-todo-serve stops at, as the verdict names it, into out. */
static const char *serve_todo(char *out, size_t outsz)
{
    char where[300];
    line_of("grader/selftest/programs/fx-todo-serve.c", "fx-todo-serve: the TODO()", where,
            sizeof where);
    snprintf(out, outsz, "serve_loop (%s, called by fx-todo-serve)", where);
    return out;
}

SL_TEST(harness_failure_after_todo_is_todo, 1,
        "A server that listened, then stopped at a TODO(), makes the test's failure "
        "(here a connection refused or closed) the TODO()'s, not a wrong cause.")
{
    void (*was)(const char *) = sl_todo_hook;
    char want[400];
    sl_server_t s;
    sl_conn_t c;
    if (CATCH_TODO() == 0) {
        SL_SERVER_START(&s, "fx-todo-serve", "127.0.0.1");
        SL_CONNECT(&c, &s);
        SL_EXPECT(&c, "x", 1000);
    }
    sl_todo_hook = was;
    SL_ASSERT_STR_EQ(todo_func, serve_todo(want, sizeof want));
    sl_prog_free(&s.prog);
}

SL_TEST(harness_check_after_todo_is_todo, 1,
        "A failed check of the test itself (SL_FAIL) after its server stopped at a "
        "TODO() ends the test as the TODO()'s.")
{
    void (*was)(const char *) = sl_todo_hook;
    char want[400];
    sl_server_t s;
    if (CATCH_TODO() == 0) {
        SL_SERVER_START(&s, "fx-todo-serve", "127.0.0.1");
        sl_prog_wait(&s.prog, sl_deadline(1000));
        SL_FAIL("the queue held 0 connections, expected 5 (this failure should not be "
                "recorded: the server's TODO() should end the test)");
    }
    sl_todo_hook = was;
    SL_ASSERT_STR_EQ(todo_func, serve_todo(want, sizeof want));
    sl_prog_free(&s.prog);
}

SL_TEST(harness_check_after_freed_todo_is_todo, 1,
        "A program freed already still gives its TODO() to a later failure.")
{
    void (*was)(const char *) = sl_todo_hook;
    sl_run_t r;
    SL_ASSERT_INT_EQ_FATAL(sl_run(&r, "fx-todo-where", NULL, "", 0, 3000), 0);
    sl_run_free(&r);
    if (CATCH_TODO() == 0)
        SL_FAIL("its output was wrong (this failure should not be recorded: the "
                "client's TODO() should end the test)");
    sl_todo_hook = was;
    if (!strstr(todo_func, "fx_todo_greet (") || !strstr(todo_func, "called by fx-todo-where"))
        SL_FAIL("expected the TODO() of fx_todo_greet, got \"%s\"", todo_func);
}

SL_TEST(harness_refused_says_server_exited, 1,
        "A connection refused by a server that had exited says first how it exited "
        "and its last line, and takes its errno as the cause.")
{
    char msg[2600];
    sl_server_t s;
    sl_conn_t c;
    SL_SERVER_START(&s, "fx-listen-dies", "127.0.0.1");
    sl_prog_wait(&s.prog, sl_deadline(1000));
    SL_ASSERT_INT_EQ_FATAL(sl_conn_open(&c, &s, sl_deadline(1000)), -1);
    snprintf(msg, sizeof msg, "%s", sl_harness_error());
    int cause = sl_harness_errno();
    SL_ASSERT_INT_EQ(cause, ECONNREFUSED);
    sl_harness_on_failure(msg, sizeof msg, &cause);
    static const char want[] = "fx-listen-dies exited with status 1 (its last words: "
                               "fx-listen-dies: accept: Invalid argument) before this; then: ";
    if (strncmp(msg, want, strlen(want)) != 0 || !strstr(msg, "Connection refused"))
        SL_FAIL("expected the message to begin \"%s\" and go on with the refusal, it is: %s",
                want, msg);
    SL_ASSERT_INT_EQ(cause, EINVAL);
    sl_prog_free(&s.prog);
}

SL_TEST(harness_fd_count_only_while_running, 1,
        "sl_prog_fd_count() counts a running program's descriptors, and once it has "
        "ended says how, never reading a pid that may be another process's.")
{
    sl_server_t s;
    SL_SERVER_START(&s, "fx-echo", "127.0.0.1");
    int n = sl_prog_fd_count(&s.prog);
    if (n < 4) /* 0, 1, 2 and the listener */
        SL_FAIL("expected at least 4 descriptors in fx-echo, got %d: %s", n, sl_harness_error());
    kill(s.prog.pid, SIGTERM);
    SL_ASSERT_INT_EQ(sl_prog_wait(&s.prog, sl_deadline(2000)), 0);
    SL_ASSERT_INT_EQ(sl_prog_fd_count(&s.prog), -1);
    error_says("fx-echo exited with status 0 (it printed nothing on stderr)");
    sl_prog_free(&s.prog);
    SL_SERVER_START(&s, "fx-listen-dies", "127.0.0.1");
    sl_prog_wait(&s.prog, sl_deadline(1000));
    SL_ASSERT_INT_EQ(sl_prog_fd_count(&s.prog), -1);
    error_says("fx-listen-dies exited with status 1 (its last words: fx-listen-dies: accept: "
               "Invalid argument)");
    sl_prog_free(&s.prog);
}
