/**
 * @file sl_harness.h
 * @brief Testing programs over sockets: start a lesson's program, wait for
 *        its `listening on` line, connect, send, expect, with deadlines and
 *        a transcript a student can follow and replay by hand.
 *
 * Two layers, as in Stevens' wrappers:
 *
 * - functions (`sl_prog_*`, `sl_server_*`, `sl_conn_*`, `sl_run_*`) that
 *   return -1 with errno set and a sentence for a student in
 *   sl_harness_error();
 * - checks (`SL_SERVER_START`, `SL_CONNECT`, `SL_SEND`, `SL_EXPECT`, ...)
 *   that record that sentence at the test's file:line and end the test.
 *
 * @code
 * SL_TASK_PROGRAMS(6, "The echo server");
 *
 * SL_NET_TEST(echo_one_line, 2, 0, "Send back every byte you receive, in order.")
 * {
 *     sl_server_t s;
 *     sl_conn_t c;
 *     SL_SERVER_START(&s, "echo-server", host);
 *     SL_CONNECT(&c, &s);
 *     SL_SEND(&c, "hello\n");
 *     SL_EXPECT(&c, "hello\n", 1000);
 *     sl_conn_close(&c);
 *     SL_SERVER_STOP(&s);
 * }
 * @endcode
 *
 * Every step is written to the test's output as it happens (`[ 0.012 s]
 * sent 6 bytes to echo-server: "hello\n"`), so a failed test shows what
 * led to it, however it ended; a started server adds a line that replays
 * it by hand (the command, then an `nc` line).
 *
 * Deadlines are absolute (sl_deadline()), scaled by SOCKLAB_TIMEOUT_SCALE,
 * and always end before the test's own timeout, so a student reads
 * "expected 6 bytes within 1000 ms: got "hel", then nothing" rather than
 * a bare "timed out". Programs run in the test's process group: whatever
 * happens, they end with the test.
 */
#ifndef SL_HARNESS_H
#define SL_HARNESS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "sl_test.h"

/* ---- deadlines and the transcript ---------------------------------------- */

/**
 * @brief An absolute deadline @p ms milliseconds from now (scaled by
 *        SOCKLAB_TIMEOUT_SCALE), never later than a little before the
 *        test's own timeout.
 * @return seconds on the clock of clk_now() (CLOCK_MONOTONIC).
 */
double sl_deadline(int ms);

/** @brief @p ms scaled by SOCKLAB_TIMEOUT_SCALE, in milliseconds. */
int sl_scaled_ms(int ms);

/**
 * @brief Adds a line to the transcript (the test's output), after the time
 *        since the test began.
 * @param fmt printf-style.
 */
void sl_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Bytes as a student reads them, into @p out: quoted and escaped
 *        when text, else hex after the word (`hex 01 02 ff`); past @p max bytes (or what @p out holds)
 *        cut with "…" and how many were left out: `"hel…" (3 more bytes)`.
 * @param buf the bytes.
 * @param len how many.
 * @param max how many to show at most.
 * @param out where to write.
 * @param outsz size of @p out.
 * @return @p out.
 */
const char *sl_show(const void *buf, size_t len, size_t max, char *out, size_t outsz);

/** Bytes sl_show() shows at most as hex, whatever its max: a few lines. */
#define SL_SHOW_HEX_MAX 32

/**
 * @brief Where two byte strings differ, in a sentence for a failure:
 *        "first difference at byte 512; from byte 504: expected … 1f 2e ...
 *        (N more bytes), got … 1f 2e ...": a few bytes before the first
 *        difference and a few after, each side bounded like sl_show().
 * @return @p out.
 */
const char *sl_show_difference(const void *want, size_t wlen, const void *got, size_t glen,
                               char *out, size_t outsz);

/** @brief The sentence that says why the last harness call failed. */
const char *sl_harness_error(void);

/**
 * @brief The errno that made the last harness call fail, when a step failed
 *        with one (a connect() refused: ECONNREFUSED; a program that ended
 *        saying "NAME: bind: Address already in use": EADDRINUSE), else 0.
 *        sl_harness_fail() hands it to the grader as the failure's cause.
 */
int sl_harness_errno(void);

/* ---- programs ------------------------------------------------------------ */

#define SL_PROG_KEEP (64 * 1024) /**< output bytes kept per stream */
#define SL_PROG_HEAD (16 * 1024) /**< of them, the first ones, once more came */

/**
 * Captured output of a program: all of it while it fits in SL_PROG_KEEP
 * bytes. Past that, the first SL_PROG_HEAD bytes (where the `listening on`
 * line is) and then the last SL_PROG_KEEP - SL_PROG_HEAD (a rolling tail:
 * its last words, a TODO()'s "not implemented", a sanitizer's report);
 * what came between is left out (total - len bytes, at data +
 * SL_PROG_HEAD).
 */
typedef struct sl_capture {
    char data[SL_PROG_KEEP + 1]; /**< NUL-terminated */
    size_t len;                  /**< bytes kept */
    size_t total;                /**< bytes seen */
} sl_capture_t;

/** A program started by a test. */
typedef struct sl_prog {
    pid_t pid;           /**< its pid, 0 once reaped */
    char name[64];       /**< e.g. "echo-server" */
    char command[2048];  /**< the command line, quoted as a shell reads it */
    int in_fd;           /**< write end of its stdin, or -1 */
    int out_fd;          /**< read end of its stdout, or -1 */
    int err_fd;          /**< read end of its stderr, or -1 */
    sl_capture_t out;    /**< its stdout so far */
    sl_capture_t err;    /**< its stderr so far */
    int status;          /**< wait status once it ended */
    int ended;           /**< it has ended and was reaped */
} sl_prog_t;

/**
 * @brief Starts a lesson program (from SOCKLAB_BIN_DIR) or a grader tool
 *        (from SOCKLAB_TOOLS_DIR, names starting "sl-").
 * @param p filled in.
 * @param name the program, e.g. "echo-server".
 * @param args its arguments, NULL-terminated (may be NULL).
 * @param with_stdin 1: p->in_fd is a pipe to its stdin; 0: /dev/null.
 * @return 0, or -1 (sl_harness_error() says why).
 */
int sl_prog_start(sl_prog_t *p, const char *name, const char *const *args, int with_stdin);

/**
 * @brief Like sl_prog_start() with extra environment variables
 *        ("NAME=value", NULL-terminated), e.g. for LD_PRELOAD.
 */
int sl_prog_start_env(sl_prog_t *p, const char *name, const char *const *args,
                      int with_stdin, const char *const *env);

/**
 * @brief Reads what the program has printed, until @p deadline or until
 *        @p line_prefix starts a complete line of its stdout (NULL: until
 *        it ends). Its end is its own exit, seen by waitpid(), even while
 *        a process it started keeps its pipes open; what it left in them
 *        is read first.
 * @return 1 when the line came (or it ended, for NULL), 0 at the deadline,
 *         -1 if it ended first.
 */
int sl_prog_read(sl_prog_t *p, const char *line_prefix, double deadline);

/**
 * @brief Waits until the program ends or @p deadline passes.
 * @return 0 once it has ended (p->status holds its wait status), -1 at the
 *         deadline (errno ETIMEDOUT).
 */
int sl_prog_wait(sl_prog_t *p, double deadline);

/**
 * @brief Sends @p sig and waits up to @p grace_ms for the program to end;
 *        SIGKILL after that.
 * @return 0 if it ended with exit status 0, -1 otherwise (sl_harness_error()
 *         says how it ended, with the end of its stderr).
 */
int sl_prog_stop(sl_prog_t *p, int sig, int grace_ms);

/**
 * @brief How the program ended, in words: "exited with status 1",
 *        "was killed by SIGSEGV (Segmentation fault)"; when its stderr
 *        ends a sanitizer's report, with that report's summary:
 *        "exited with status 66 (ThreadSanitizer: data race
 *        solutions/06-concurrency/server.c:31 in srv_count)", "exited
 *        with status 1 (LeakSanitizer: memory leak in keep at
 *        solutions/07-event-loop/line.c:46)".
 */
const char *sl_prog_how(const sl_prog_t *p, char *buf, size_t bufsz);

/** Room for what sl_prog_how() says, a sanitizer's summary included. */
#define SL_PROG_HOW_MAX 384

/**
 * @brief The errno a program's last line on stderr gives as its reason, in
 *        the lessons' form `NAME: what failed: reason` (reason: strerror()'s
 *        text), or 0. For a test that fails because the program ended or
 *        said nothing: sl_fail_errno_at() with it names the cause.
 */
int sl_prog_errno(const sl_prog_t *p);

/**
 * @brief If the program ended with "not implemented: FUNC" (a skeleton's
 *        TODO()), ends the test as not implemented, naming FUNC.
 */
void sl_prog_check_todo(const sl_prog_t *p);

/** @brief Kills the program if it runs, closes its pipes. A TODO() it had
 *  stopped at still decides the verdict of a later failure (see
 *  sl_harness_on_failure()). */
void sl_prog_free(sl_prog_t *p);

/**
 * @brief How many descriptors the program has open (/proc/PID/fd), read
 *        only while it runs and is not reaped, so that its pid is its own
 *        (never a process that got the pid after it).
 * @return the count, or -1: sl_harness_error() says "NAME exited with
 *         status N (its last words: ...)" once it has ended, or why
 *         /proc could not be read.
 */
int sl_prog_fd_count(sl_prog_t *p);

/**
 * @brief Called by the test library before it records any failure of the
 *        test (an SL_FAIL(), a failed SL_CHECK_* or SL_ASSERT_*, a harness
 *        check), never by a test. It reads what the test's programs
 *        printed, gives one that printed TODO()'s line up to 500 ms to
 *        exit, and if any program the test started (running, or freed
 *        already) stopped at a TODO(), ends the test as not implemented,
 *        naming it: the failure was its consequence. Else, when the
 *        failure says a connection was refused or reset and a program had
 *        exited, puts that in front of @p msg ("NAME exited with status 1
 *        (its last words: ...) before this; then: ...") and makes the
 *        program's own errno the cause.
 * @param msg the failure's message, rewritten in place.
 * @param msgsz its buffer's size.
 * @param cause the failure's errno cause, updated.
 */
void sl_harness_on_failure(char *msg, size_t msgsz, int *cause);

/**
 * @brief The path of a grader tool (a fault injector, "sl-split-proxy", or
 *        the library "libsl-shortio.so") in SOCKLAB_TOOLS_DIR.
 * @return @p buf, or NULL (sl_harness_error() says why) if it is not there.
 */
const char *sl_tool_path(const char *name, char *buf, size_t bufsz);

/** The environment of a program run under libsl-shortio.so. */
typedef struct sl_shortio {
    char preload[4200];  /**< LD_PRELOAD=... */
    char asan[1100];     /**< ASAN_OPTIONS=..., the grader's and one more */
    char seed[40];       /**< SL_SHORTIO_SEED=... */
    char modes[64];      /**< SL_SHORTIO=... */
    char log[4200];      /**< SL_SHORTIO_LOG=... */
    const char *vars[6]; /**< the variables, NULL-terminated */
} sl_shortio_t;

/**
 * @brief The environment that runs a program under libsl-shortio.so (socket
 *        I/O cut short, EINTR, EAGAIN on a seeded schedule), for
 *        sl_prog_start_env() or sl_server_start_env(). ASan wants its
 *        runtime first among a program's libraries: verify_asan_link_order=0
 *        is added to the grader's ASAN_OPTIONS. The transcript says how to
 *        replay it.
 * @param e filled in; must outlive the program's start.
 * @param seed the schedule's seed, e.g. "7".
 * @param modes which faults: "short,eintr,eagain" or a part of it.
 * @param log a file that gets a line per fault injected, or NULL.
 * @return e->vars, or NULL (sl_harness_error() says why) if the library is
 *         not there.
 */
const char *const *sl_shortio_env(sl_shortio_t *e, const char *seed, const char *modes,
                                  const char *log);

/* ---- servers ------------------------------------------------------------- */

/** A server started by a test, and where it listens. */
typedef struct sl_server {
    sl_prog_t prog;                /**< the program */
    struct sockaddr_storage addr;  /**< the address it printed */
    socklen_t addrlen;             /**< its length */
    char where[64];                /**< "127.0.0.1:40123" or "[::1]:40123" */
    char host[48];                 /**< "127.0.0.1" or "::1" */
    int port;                      /**< the port */
} sl_server_t;

/**
 * @brief Starts `NAME -b HOST -p 0 [args]` and waits (SL_LISTEN_MS) for
 *        exactly one line `listening on ADDR:PORT`, parsed with
 *        getaddrinfo(AI_NUMERICHOST), never with student code.
 *
 * `-b HOST` is left out when @p args hold a `-b` of their own, and `-p 0`
 * when they hold a `-p`: a test that passes `-p 19735` starts `NAME -b
 * HOST -p 19735`, never `-p 0 -p 19735`.
 * @param s filled in.
 * @param name the server program.
 * @param host "127.0.0.1" or "::1"; with a `-b` in @p args, the address
 *        the server is expected to say it listens on.
 * @param args more arguments, NULL-terminated (may be NULL).
 * @return 0, or -1 (sl_harness_error(): "echo-server exited with status 1
 *         before listening: echo-server: bind: Address already in use").
 */
int sl_server_start(sl_server_t *s, const char *name, const char *host,
                    const char *const *args);

/**
 * @brief Like sl_server_start() with extra environment variables
 *        ("NAME=value", NULL-terminated), e.g. from sl_shortio_env().
 */
int sl_server_start_env(sl_server_t *s, const char *name, const char *host,
                        const char *const *args, const char *const *env);

/** How long a server may take to print its `listening on` line, in ms. */
#define SL_LISTEN_MS 3000

/**
 * @brief Stops a server with SIGTERM; it must exit with status 0 within
 *        SL_STOP_MS.
 * @return 0, or -1 (sl_harness_error() says how it ended instead).
 */
int sl_server_stop(sl_server_t *s);

/** How long a server may take to exit after SIGTERM, in ms. */
#define SL_STOP_MS 2000

/**
 * @brief Parses a `listening on ADDR:PORT` line (`[v6]:PORT` for IPv6).
 * @return 0, or -1 with errno EINVAL.
 */
int sl_parse_listening(const char *line, struct sockaddr_storage *ss, socklen_t *len);

/* ---- a client program run to its end ------------------------------------- */

/** What a client program did. */
typedef struct sl_run {
    sl_prog_t prog;  /**< the program: its output, how it ended */
    int timed_out;   /**< still running at the deadline (then killed) */
} sl_run_t;

/**
 * @brief Runs a program with @p in on its stdin (then closed) until it
 *        ends, at most @p ms; captures stdout, stderr and the exit status.
 * @return 0 if it ended by itself (whatever its status), -1 if it could
 *         not start or was killed at the deadline.
 */
int sl_run(sl_run_t *r, const char *name, const char *const *args,
           const void *in, size_t in_len, int ms);

/** @brief Like sl_run() with extra environment variables (NULL-terminated),
 *  e.g. from sl_shortio_env(). */
int sl_run_env(sl_run_t *r, const char *name, const char *const *args,
               const void *in, size_t in_len, int ms, const char *const *env);

/** @brief Frees what sl_run() holds. */
void sl_run_free(sl_run_t *r);

/* ---- connections --------------------------------------------------------- */

/** A connection a test opened. */
typedef struct sl_conn {
    int fd;           /**< the socket, -1 once closed */
    char peer[64];    /**< who it is connected to, for the transcript */
    char label[32];   /**< e.g. "client 2" */
} sl_conn_t;

/**
 * @brief Connects to @p s (non-blocking connect, then poll), by @p deadline.
 * @return 0, or -1 (sl_harness_error() says why).
 */
int sl_conn_open(sl_conn_t *c, const sl_server_t *s, double deadline);

/** @brief Like sl_conn_open() to any address. */
int sl_conn_open_addr(sl_conn_t *c, const struct sockaddr *sa, socklen_t len,
                      const char *who, double deadline);

/**
 * @brief Sends all @p len bytes by @p deadline (MSG_NOSIGNAL).
 * @return 0, or -1 (a reset, a closed peer, or the deadline).
 */
int sl_conn_send(sl_conn_t *c, const void *buf, size_t len, double deadline);

/**
 * @brief Reads exactly @p len bytes by @p deadline and compares them with
 *        @p want.
 * @return 0 if they are equal; -1 otherwise, with a sentence such as
 *         `expected 6 bytes within 1000 ms: got "hel", then nothing`.
 */
int sl_conn_expect(sl_conn_t *c, const void *want, size_t len, int ms);

/**
 * @brief Reads until the peer closes (EOF), by @p ms; what came before the
 *        end goes into @p got (up to @p cap bytes; NULL to discard).
 * @return bytes read before EOF, or -1 (a reset, the deadline).
 */
long sl_conn_read_to_eof(sl_conn_t *c, void *got, size_t cap, int ms);

/** @brief The peer closes (EOF) with nothing more sent, by @p ms; 0 or -1. */
int sl_conn_expect_eof(sl_conn_t *c, int ms);

/** @brief The peer resets the connection (ECONNRESET), by @p ms; 0 or -1. */
int sl_conn_expect_reset(sl_conn_t *c, int ms);

/** @brief No byte arrives for @p ms (the peer keeps quiet); 0 or -1. */
int sl_conn_expect_silence(sl_conn_t *c, int ms);

/** @brief Half-closes: shutdown(SHUT_WR); 0 or -1. */
int sl_conn_shutdown(sl_conn_t *c);

/** @brief Closes abruptly: SO_LINGER {1, 0}, then close(), so the peer
 *  gets a reset. */
void sl_conn_reset(sl_conn_t *c);

/** @brief Closes the connection (if open). */
void sl_conn_close(sl_conn_t *c);

/* ---- datagrams ----------------------------------------------------------- */

/** A UDP socket a test uses to talk to a server. */
typedef struct sl_udp {
    int fd;                       /**< the socket, -1 once closed */
    struct sockaddr_storage peer; /**< where datagrams go */
    socklen_t peerlen;            /**< its length */
    char peer_text[64];           /**< e.g. "udp-echo-server at [::1]:40123" */
    char label[32];               /**< e.g. "socket 1" */
} sl_udp_t;

/**
 * @brief A UDP socket of @p s's family (bound to its loopback address,
 *        port 0), sending to where @p s listens.
 * @return 0, or -1 (sl_harness_error() says why).
 */
int sl_udp_open(sl_udp_t *u, const sl_server_t *s);

/** @brief Sends one datagram to the server; 0, or -1. */
int sl_udp_send(sl_udp_t *u, const void *buf, size_t len);

/**
 * @brief Expects one datagram of exactly @p len bytes equal to @p want
 *        within @p ms, from the server's address and port.
 * @return 0; -1 with a sentence such as `expected a datagram of 5 bytes
 *         "hello" within 1000 ms: got "hel" (3 bytes)` or `... got nothing`.
 */
int sl_udp_expect(sl_udp_t *u, const void *want, size_t len, int ms);

/**
 * @brief Receives one datagram within @p ms, into @p buf (at most @p cap
 *        bytes; a longer one is cut, and *len says its whole length).
 * @return 1 if one came, 0 if none did, -1 on an error.
 */
int sl_udp_recv(sl_udp_t *u, void *buf, size_t cap, size_t *len, int ms);

/** @brief No datagram arrives for @p ms; 0, or -1 naming what came. */
int sl_udp_expect_silence(sl_udp_t *u, int ms);

/** @brief Closes the socket (if open). */
void sl_udp_close(sl_udp_t *u);

/* ---- checks: each ends the test with the harness's sentence -------------- */

/** @brief Records sl_harness_error() at file:line and ends the test. */
void sl_harness_fail(const char *file, int line);

/** @brief Starts server @p name on @p host, or ends the test saying why. */
#define SL_SERVER_START(s, name, host) SL_SERVER_START_ARGS((s), (name), (host), NULL)

/** @brief Like SL_SERVER_START() with more arguments (NULL-terminated array). */
#define SL_SERVER_START_ARGS(s, name, host, args)                             \
    do {                                                                      \
        if (sl_server_start((s), (name), (host), (args)) < 0)                \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Stops a server: it must exit 0 after SIGTERM. */
#define SL_SERVER_STOP(s)                                                     \
    do {                                                                      \
        if (sl_server_stop(s) < 0)                                            \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Connects to server @p s within SL_CONNECT_MS. */
#define SL_CONNECT(c, s)                                                      \
    do {                                                                      \
        if (sl_conn_open((c), (s), sl_deadline(SL_CONNECT_MS)) < 0)           \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** How long a connect may take, in ms. */
#define SL_CONNECT_MS 2000

/** @brief Sends a NUL-terminated string within SL_SEND_MS. */
#define SL_SEND(c, text) SL_SEND_BYTES((c), (text), strlen(text))

/** @brief Sends @p len bytes within SL_SEND_MS. */
#define SL_SEND_BYTES(c, buf, len)                                            \
    do {                                                                      \
        if (sl_conn_send((c), (buf), (len), sl_deadline(SL_SEND_MS)) < 0)     \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** How long a send may take, in ms. */
#define SL_SEND_MS 3000

/** @brief Expects exactly the bytes of a string within @p ms. */
#define SL_EXPECT(c, text, ms) SL_EXPECT_BYTES((c), (text), strlen(text), (ms))

/** @brief Expects exactly @p len bytes within @p ms. */
#define SL_EXPECT_BYTES(c, buf, len, ms)                                      \
    do {                                                                      \
        if (sl_conn_expect((c), (buf), (len), (ms)) < 0)                      \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Expects the peer to close (EOF) within @p ms. */
#define SL_EXPECT_EOF(c, ms)                                                  \
    do {                                                                      \
        if (sl_conn_expect_eof((c), (ms)) < 0)                                \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Expects a reset within @p ms. */
#define SL_EXPECT_RESET(c, ms)                                                \
    do {                                                                      \
        if (sl_conn_expect_reset((c), (ms)) < 0)                              \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Opens a UDP socket to server @p s, or ends the test. */
#define SL_UDP_OPEN(u, s)                                                     \
    do {                                                                      \
        if (sl_udp_open((u), (s)) < 0)                                        \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Sends a datagram of @p len bytes, or ends the test. */
#define SL_UDP_SEND(u, buf, len)                                              \
    do {                                                                      \
        if (sl_udp_send((u), (buf), (len)) < 0)                               \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/** @brief Expects a datagram of exactly these bytes within @p ms. */
#define SL_UDP_EXPECT(u, buf, len, ms)                                        \
    do {                                                                      \
        if (sl_udp_expect((u), (buf), (len), (ms)) < 0)                       \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/**
 * @brief Declares a test of a program over both families: its body runs
 *        once as NAME_ipv4 with `host` "127.0.0.1" and once as NAME_ipv6
 *        with `host` "::1", so code that hard-codes AF_INET fails.
 * @param name_ the test's name (two tests: name_ipv4, name_ipv6).
 * @param points_ points of each.
 * @param timeout_ms_ wall-clock limit of each (0: the default).
 * @param hint_ the hint.
 */
#define SL_NET_TEST(name_, points_, timeout_ms_, hint_)                       \
    static void sl_net_##name_(const char *host);                            \
    SL_TEST_TIMEOUT(name_##_ipv4, points_, timeout_ms_, hint_)               \
    {                                                                         \
        sl_net_##name_("127.0.0.1");                                         \
    }                                                                         \
    SL_TEST_TIMEOUT(name_##_ipv6, points_, timeout_ms_, hint_)               \
    {                                                                         \
        sl_net_##name_("::1");                                               \
    }                                                                         \
    static void sl_net_##name_(const char *host)

#endif
