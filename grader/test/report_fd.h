/* report_fd.h - how the checks (sl_test.c) reach the report socket that
 * main() of the test binary (sl_main.c) holds. Inside grader/test/ only. */
#ifndef SL_REPORT_FD_H
#define SL_REPORT_FD_H

#include <stddef.h>

/**
 * @brief Sends a failed check to the grader now, from static storage: a
 *        test that has run out of memory still reports it. Only the first
 *        PROTO_FAILS_SENT are sent in full; all are counted.
 * @param file source file of the check.
 * @param line its line.
 * @param msg what was expected and what came.
 * @param hint the check's own hint, or "".
 * @param cause the errno that caused it (a step that failed with it), or 0.
 */
void sl_report_failure(const char *file, int line, const char *msg, const char *hint,
                       int cause);

/**
 * @brief The lesson's settings (SL_LESSON_*()), as `--sl-lesson` prints
 *        them: one a line, fields separated by tabs (unescaped).
 * @param i which, from 0.
 * @return the line, or NULL past the last.
 */
const char *sl_lesson_setting(size_t i);

/** @brief 0 when the lesson said SL_LESSON_NO_ERRNO_HINTS(). */
int sl_lesson_errno_hints(void);

/**
 * @brief Ends a capture of stderr (sl_stderr_capture_begin()) that a
 *        TODO(), an exit(), a sanitizer or a fatal signal ends the test in:
 *        what it caught goes through to the real stderr (a sanitizer's
 *        report among it), which is descriptor 2 again.
 */
void sl_stderr_capture_release(void);

#endif
