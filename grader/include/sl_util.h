/**
 * @file sl_util.h
 * @brief Helpers that library tests and program tests of several lessons
 *        share: errno and return values in words, a check of what a call
 *        returned, heap blocks of an exact size, seeded byte patterns
 *        and descriptor counts.
 *
 * Built on sl_test.h only (no harness), with the code in grader/test/,
 * which every test binary links. Words come back in static buffers used
 * in turn, so that a message may hold a few of them.
 *
 * @code
 * int before = sl_fd_count(0);
 * SL_RETURNS(tcp_close_quietly(fd), 0);
 * unsigned char *buf = sl_alloc(4096);
 * sl_pattern(buf, 4096, 7);
 * sl_free(buf);
 * @endcode
 */
#ifndef SL_UTIL_H
#define SL_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sl_test.h"

/**
 * @brief An errno value as a student reads it: "ENXIO (No such device or
 *        address)", "0 (none set)".
 * @param err the errno value.
 * @return one of six static buffers, used in turn.
 */
const char *sl_errno_text(int err);

/**
 * @brief What a call returned, in words: "-1 with errno EPIPE (Broken
 *        pipe)", "3".
 * @param ret what it returned.
 * @param err errno after it.
 * @return one of four static buffers, used in turn.
 */
const char *sl_returned(long long ret, int err);

/**
 * @brief The call @p expr must return @p want; a -1 that came instead is
 *        shown with its errno (errno is cleared first).
 */
#define SL_RETURNS(expr, want) SL_RETURNED_(0, (expr), #expr, (want))

/**
 * @brief A test of failures first requires a success of the same kind
 *        (else a function that always fails would pass it): the call
 *        @p expr must return @p want, or the test ends saying so.
 */
#define SL_MUST_RETURN(expr, want) SL_RETURNED_(1, (expr), #expr, (want))

/** @brief What SL_RETURNS() and SL_MUST_RETURN() expand to. */
#define SL_RETURNED_(fatal, expr, text, want)                                 \
    do {                                                                      \
        errno = 0;                                                            \
        long long sl_ret_ = (long long)(expr);                                \
        sl_check_returned(__FILE__, __LINE__, (fatal), (text), sl_ret_, errno, \
                          (long long)(want));                                 \
    } while (0)

/**
 * @brief What SL_RETURNS() (@p fatal 0: a failure recorded) and
 *        SL_MUST_RETURN() (1: the test ends) call: unless @p ret is
 *        @p want, says so at @p file : @p line.
 * @param file the caller's file.
 * @param line its line.
 * @param fatal whether the test ends.
 * @param what the call as text.
 * @param ret what it returned.
 * @param err errno after it.
 * @param want what it must return.
 */
void sl_check_returned(const char *file, int line, int fatal, const char *what, long long ret,
                       int err, long long want);

/** @brief How many blocks of sl_alloc() may be in use at once. */
#define SL_BLOCKS 16

/**
 * @brief A heap block of exactly @p len bytes, so that AddressSanitizer
 *        stops at the first byte read or written past its end. Blocks not
 *        freed yet stay reachable from here: a test that ends at a fatal
 *        check leaves them behind, and LeakSanitizer must not blame the
 *        student's code for them. Ends the test if there is no memory or
 *        SL_BLOCKS are in use.
 * @param len how many bytes (0: one).
 * @return the block; free it with sl_free().
 */
void *sl_alloc(size_t len);

/**
 * @brief Frees a block of sl_alloc() (NULL, or any other pointer: nothing).
 * @param p the block.
 */
void sl_free(void *p);

/**
 * @brief Fills @p buf with @p len bytes of a seeded pattern (xorshift):
 *        every byte value comes, NUL and '\n' included, and the same seed
 *        gives the same bytes.
 * @param buf where.
 * @param len how many.
 * @param seed which pattern.
 */
void sl_pattern(void *buf, size_t len, uint32_t seed);

/**
 * @brief How many descriptors process @p pid has open (/proc/PID/fd).
 * @param pid the process, or 0 for this one (the descriptor that reads
 *        the folder not counted).
 * @return the count, or -1 if the folder cannot be read (the process is
 *         gone).
 */
int sl_fd_count(pid_t pid);

#endif
