/**
 * @file failkind.h
 * @brief Kinds of failure the harness itself words, and when two failures
 *        have one cause.
 *
 * Shared by sl-run (which hints and reruns by kind) and sl-report (which
 * says a failure of many tests once). Works on the message text of a
 * verdict; a kind only chooses a hint or a rerun, never a verdict.
 */
#ifndef SL_FAILKIND_H
#define SL_FAILKIND_H

#include <stddef.h>

/** A failure the harness words the same in every test. */
typedef enum fk_kind {
    FK_OTHER,            /**< none of these */
    FK_NO_LISTEN_LINE,   /**< a server printed no `listening on` line in time */
    FK_EXITED_EARLY,     /**< a server ended before it printed that line */
    FK_BAD_LISTEN_LINE,  /**< it printed another line first, or a bad one */
    FK_NO_EXIT_ON_TERM,  /**< a program did not exit after SIGTERM */
    FK_NO_PROGRAM,       /**< the program is not there (it did not build) */
} fk_kind_t;

/** @brief The kind of a verdict's message (FK_OTHER for NULL). */
fk_kind_t fk_kind(const char *message);

/** @brief The grader's hint for a kind whose cause is generic, or NULL. */
const char *fk_hint(fk_kind_t kind);

/**
 * @brief Would a failure read the same however often it ran: not
 *        implemented, a build, a server that exited or printed the
 *        wrong line before listening, a program not there?
 * @param status the verdict's status (res_status_t).
 * @param message its message.
 */
int fk_deterministic(int status, const char *message);

/**
 * @brief The message up to what differs between tests of one cause: each
 *        line's leading `FILE:LINE: `, a last line `(it failed in ...)`,
 *        loopback addresses (`@`), `AF_INET6` (`AF_INET`) and every run of
 *        digits (`#`: ports, counts, IPv4/IPv6).
 * @return a new string (free it), or NULL on ENOMEM.
 */
char *fk_key(const char *message);

/** @brief Do two messages have the same fk_key()? (0 when memory runs out.) */
int fk_alike(const char *a, const char *b);

#endif
