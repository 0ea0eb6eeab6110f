/**
 * @file protocol.h
 * @brief What a test binary tells the grader, and how: shared by the test
 *        side (grader/test/) and the driver (grader/engine/), nothing else.
 *
 * A test binary (a lesson's tests, linked with grader/test/) is run by the
 * driver in one of three ways:
 *
 * - `BIN --sl-list`: prints every test on standard output, one line each,
 *   PROTO_LIST_FIELDS tab-separated fields (see proto_escape()). Only ever
 *   run on a binary with no student code in it (`build/meta/NN-topic`).
 * - `BIN --sl-lesson`: prints the lesson's settings (SL_LESSON_*() of
 *   sl_test.h), one a line, tab-separated and escaped as a listing's
 *   fields: `errno-hints 0`, `sanitizer-hint KIND TEXT`. On the same
 *   binary as `--sl-list`.
 * - `BIN --sl-probe`: sends #PROTO_BEGAN and exits: does the binary reach
 *   main() at all (student code runs before main: constructors)?
 * - `BIN --sl-test NAME`: runs one test and reports on descriptor
 *   #PROTO_FD, a stream socket whose other end the driver holds.
 *
 * A record on #PROTO_FD is a type byte, a 32-bit payload length in host
 * byte order, then the payload. The driver has written a nonce into the
 * socket before the test starts; the test reads it only once its body has
 * returned, and sends it back in #PROTO_DONE, or, when the test could not
 * start, at the head of #PROTO_ERROR: so the code under test cannot pass
 * itself off as finished, nor blame the grader for its own failure,
 * without reading the socket it was told not to touch.
 */
#ifndef SL_PROTOCOL_H
#define SL_PROTOCOL_H

/** The descriptor a test process reports on. */
#define PROTO_FD 3

/** Longest payload of one record. */
#define PROTO_PAYLOAD_MAX 4096

/** Hex digits of the nonce. */
#define PROTO_NONCE_LEN 16

/** Failures sent in full; past this many only #PROTO_COUNT says how many. */
#define PROTO_FAILS_SENT 8

/** Record types. */
enum proto_record {
    PROTO_BEGAN = 'B',     /**< main() reached; payload empty */
    PROTO_FAIL = 'F',      /**< a failed check: FILE \\0 LINE \\0 MESSAGE \\0 HINT \\0 CAUSE,
                                the cause the errno symbol of a step that failed
                                (ECONNREFUSED), or "" */
    PROTO_COUNT = 'C',     /**< how many checks failed in all (decimal), sent last */
    PROTO_TODO = 'T',      /**< TODO() reached: the function's name */
    PROTO_ERROR = 'E',     /**< the test could not be set up: the nonce, then why */
    PROTO_SANITIZER = 'S', /**< a sanitizer is about to end the process */
    PROTO_LEAK = 'K',      /**< LeakSanitizer found leaks once the body returned */
    PROTO_DONE = 'D'       /**< the body returned: the nonce */
};

/** The fields of a `--sl-list` line, in order. */
#define PROTO_LIST_FIELDS 11
/* name, points, timeout_ms, solo, task, task title, programs, file, line, hint, hidden */

/** Starts the condition of a CUnit failure record that was reported to the
 *  grader already (inside the test process only). */
#define PROTO_REPORTED '\x1e'

#endif
