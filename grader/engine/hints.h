/**
 * @file hints.h
 * @brief What the grader adds to a test's hint from the cause of its
 *        failure: the usual cause of an errno a step failed with, and what
 *        a kind of sanitizer finding usually means.
 */
#ifndef SL_HINTS_H
#define SL_HINTS_H

/**
 * @brief The usual cause of an errno, by its symbol, for the failure whose
 *        message is @p message: EADDRINUSE of a failure that speaks of UDP
 *        ("udp", "datagram") gets UDP's cause (no TIME_WAIT; SO_REUSEADDR
 *        is no cure there), else one that tells TCP's TIME_WAIT from a
 *        port another socket really holds.
 * @param name the symbol a failure record gave as its cause ("ECONNREFUSED").
 * @param message the failure's message, or NULL.
 * @return a sentence ("ECONNREFUSED (Connection refused): nothing listens
 *         ..."), or NULL for an errno without one (or NULL, or "").
 */
const char *hint_for_errno(const char *name, const char *message);

/**
 * @brief The errno a failure's message gives as the reason of a program's
 *        error line, `NAME: what failed: REASON` (REASON the text of one of
 *        the errnos hint_for_errno() knows, ending the line or the quoted
 *        text): the cause of a test that failed because the program ended,
 *        in the words of a test that reported it itself. Never a text a
 *        check compares: one that "got" or "expected" comes just before.
 * @return the errno's symbol ("EADDRINUSE"), or "".
 */
const char *hint_cause_in_message(const char *message);

/**
 * @brief The kind of a sanitizer finding, from its summary (san_summary()):
 *        "leak", "overflow", "use-after-free", "bad-free", "segv",
 *        "stack-overflow", "out-of-memory", "undefined".
 * @return the kind, or "" when the summary names none of them.
 */
const char *hint_finding_kind(const char *summary);

/**
 * @brief The grader's general hint for a kind of finding.
 * @param kind as hint_finding_kind() gives it.
 * @return the hint, or NULL for "" or an unknown kind.
 */
const char *hint_for_finding(const char *kind);

#endif
