/**
 * @file sl_checks.h
 * @brief Checks that tests of lesson programs share: how a program ran and
 *        ended (exit status, the contract's one error line, bad usage), and
 *        the small words a failure message is made of (time, ports, bytes).
 *
 * Built on sl_harness.h (sl_run()) and sl_test.h (SL_FAIL()). A failed
 * check is reported at the test's line, not at this file's: the checks are
 * macros over functions that take the caller's file and line.
 *
 * @code
 * sl_run_t r;
 * const char *args[] = {"-x", NULL};
 * sl_check_bad_usage("echo-client", args, "with an unknown option -x");
 * SL_RUN(&r, "echo-client", (const char *[]){"127.0.0.1", "1", NULL}, NULL, 0, 2000);
 * if (sl_check_exit(&r, "echo-client 127.0.0.1 1 (nobody listens)", 1))
 *     sl_check_error_line(&r, "echo-client 127.0.0.1 1", "Connection refused");
 * sl_run_free(&r);
 * @endcode
 */
#ifndef SL_CHECKS_H
#define SL_CHECKS_H

#include <stddef.h>

#include "sl_harness.h"
#include "sl_test.h"

/** @brief Milliseconds on the monotonic clock. */
double sl_now_ms(void);

/**
 * @brief Sleeps for @p ms milliseconds, whatever signals come.
 * @param ms how long.
 */
void sl_sleep_ms(int ms);

/**
 * @brief A port as text, for a program's arguments.
 * @param port the port.
 * @return one of four static buffers, used in turn.
 */
const char *sl_port_text(int port);

/**
 * @brief Bytes as a student reads them (sl_show(), at most 200 shown).
 * @param buf the bytes.
 * @param len how many.
 * @return one of eight static buffers, used in turn.
 */
const char *sl_bytes(const void *buf, size_t len);

/**
 * @brief Bytes as a student reads them (sl_show(), at most 40 shown): for
 *        messages about short buffers.
 * @param buf the bytes.
 * @param len how many.
 * @return one of four static buffers, used in turn.
 */
const char *sl_bytes_brief(const void *buf, size_t len);

/**
 * @brief The last line program @p p printed on stderr, whole (at most 300
 *        bytes shown), as sl_show() shows it.
 * @param p the program (what it printed so far).
 * @return "" if it printed nothing; else one of two static buffers, used
 *         in turn.
 */
const char *sl_last_line(const sl_prog_t *p);

/**
 * @brief ": its last words: LINE" (sl_last_line()), for a message about a
 *        program that ended.
 * @param p the program.
 * @return "" if it printed nothing on stderr; else a static buffer.
 */
const char *sl_last_words(const sl_prog_t *p);

/** @brief How a program ended, in the kinds that a hint tells apart. */
typedef enum sl_end {
    SL_END_RUNNING, /**< it has not ended (or was not reaped yet) */
    SL_END_SIGPIPE, /**< killed by SIGPIPE: a send() to a peer that had gone */
    SL_END_EXIT_0,  /**< exited with status 0 */
    SL_END_EINTR,   /**< exited with another status, its stderr naming EINTR */
    SL_END_EXIT,    /**< exited with another status */
    SL_END_SIGNAL   /**< killed by another signal: a crash, a sanitizer's abort */
} sl_end_t;

/**
 * @brief How program @p p ended (see sl_end_t).
 * @param p the program.
 * @return the kind of its end.
 */
sl_end_t sl_end_of(const sl_prog_t *p);

/**
 * @brief Reads what program @p p has printed so far and says whether it
 *        has ended; when it stopped at a TODO() of the skeleton, ends the
 *        test as not implemented instead.
 * @param p the program.
 * @return 1 if it has ended, 0 if it runs.
 */
int sl_prog_ended(sl_prog_t *p);

/**
 * @brief Ends the test for program @p p, which has ended when it should
 *        not have: after @p said (what went wrong, or what it had just
 *        been through), how it ended and its last words; for SIGPIPE, that
 *        a send() to a client that had gone raised it. The caller sets the
 *        hint (SL_HINT()) from sl_end_of().
 */
#define sl_fail_ended(p, said) sl_fail_ended_at(__FILE__, __LINE__, (p), (said))

/** @brief What sl_fail_ended() calls, with the caller's place. */
void sl_fail_ended_at(const char *file, int line, const sl_prog_t *p, const char *said);

/**
 * @brief The environment of a program under libsl-shortio.so
 *        (sl_shortio_env() with no other variables): send(), recv() and
 *        friends on sockets return short counts and fail with EINTR on a
 *        seeded schedule. Ends the test if the library is not there.
 * @param e where the variables are kept.
 * @param seed the schedule's seed.
 * @param modes what it does (see sl_shortio_env()).
 * @return the variables, NULL-terminated, for sl_prog_start_env().
 */
const char *const *sl_shortio_vars(sl_shortio_t *e, const char *seed, const char *modes);

/**
 * @brief Did the harness's last failed step (sl_harness_error()) say that
 *        the peer closed or reset the connection?
 * @return 1 yes, 0 no.
 */
int sl_peer_ended(void);

/**
 * @brief Runs program @p name with @p args and the stdin bytes @p in for at
 *        most @p ms (scaled), and ends the test when it could not start,
 *        when it stopped at a TODO() of the skeleton (not implemented), or,
 *        for a server (a name that holds "server"), when it was still
 *        running at the deadline. Otherwise the caller looks at @p r and
 *        frees it with sl_run_free().
 */
#define SL_RUN(r, name, args, in, in_len, ms)                                 \
    sl_run_checked_at(__FILE__, __LINE__, (r), (name), (args), (in), (in_len), (ms))

/** @brief What SL_RUN() calls, with the caller's place. */
void sl_run_checked_at(const char *file, int line, sl_run_t *r, const char *name,
                       const char *const *args, const void *in, size_t in_len, int ms);

/**
 * @brief The exit status of a program that ran.
 * @param r the run.
 * @return its exit status, or -1 if a signal ended it.
 */
int sl_run_status(const sl_run_t *r);

/**
 * @brief Checks that the program of @p r exited with status @p want; else
 *        fails saying how it ended and what it printed on stderr.
 * @param r the run.
 * @param what the command in words ("echo-client with no arguments").
 * @param want the expected exit status.
 * @return 1 when it did, 0 (and a failure recorded) when not.
 */
#define sl_check_exit(r, what, want) sl_check_exit_at(__FILE__, __LINE__, (r), (what), (want))

/** @brief What sl_check_exit() calls, with the caller's place. */
int sl_check_exit_at(const char *file, int line, const sl_run_t *r, const char *what, int want);

/**
 * @brief Checks the contract's error line: the program's stderr is exactly
 *        one line that starts with "NAME: " and, when @p has is not NULL,
 *        holds @p has.
 * @param r the run.
 * @param what the command in words.
 * @param has text the line must hold (the reason), or NULL.
 */
#define sl_check_error_line(r, what, has)                                     \
    sl_check_error_line_at(__FILE__, __LINE__, (r), (what), (has))

/** @brief What sl_check_error_line() calls, with the caller's place. */
void sl_check_error_line_at(const char *file, int line, const sl_run_t *r, const char *what,
                            const char *has);

/**
 * @brief sl_check_exit() for a program the test started itself
 *        (sl_prog_start()) and that has ended.
 * @param p the program.
 * @param what the command in words.
 * @param want the expected exit status.
 * @return 1 when it exited so, 0 (and a failure recorded) when not.
 */
#define sl_check_prog_exit(p, what, want)                                     \
    sl_check_prog_exit_at(__FILE__, __LINE__, (p), (what), (want))

/** @brief What sl_check_prog_exit() calls, with the caller's place. */
int sl_check_prog_exit_at(const char *file, int line, const sl_prog_t *p, const char *what,
                          int want);

/**
 * @brief sl_check_error_line() for a program the test started itself.
 * @param p the program.
 * @param what the command in words.
 * @param has text the line must hold (the reason), or NULL.
 */
#define sl_check_prog_error_line(p, what, has)                                \
    sl_check_prog_error_line_at(__FILE__, __LINE__, (p), (what), (has))

/** @brief What sl_check_prog_error_line() calls, with the caller's place. */
void sl_check_prog_error_line_at(const char *file, int line, const sl_prog_t *p,
                                 const char *what, const char *has);

/**
 * @brief Reads what server @p p printed so far and ends the test (fatal)
 *        if a line of its stderr is not in the contract's form `NAME:
 *        what failed: reason` (DESIGN §3): perror("recv") says "recv: ..."
 *        without the name, a debug printf() anything. Blank lines pass.
 *        Wrap it in SL_HINT() to say where such lines come from.
 * @param p the program (drained first, so it must be running or ended).
 */
#define sl_check_err_lines(p) sl_check_err_lines_at(__FILE__, __LINE__, (p))

/** @brief What sl_check_err_lines() calls, with the caller's place. */
void sl_check_err_lines_at(const char *file, int line, sl_prog_t *p);

/**
 * @brief Runs program @p name with bad arguments and checks the contract
 *        for bad usage: exit status 2, a usage line on stderr, nothing on
 *        stdout.
 * @param name the program.
 * @param args its arguments, NULL-terminated.
 * @param what the arguments in words ("with an unknown option -x").
 */
#define sl_check_bad_usage(name, args, what)                                  \
    sl_check_bad_usage_at(__FILE__, __LINE__, (name), (args), (what))

/** @brief What sl_check_bad_usage() calls, with the caller's place. */
void sl_check_bad_usage_at(const char *file, int line, const char *name,
                           const char *const *args, const char *what);

#endif
