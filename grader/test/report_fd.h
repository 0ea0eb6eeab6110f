/* report_fd.h - how the checks (sl_test.c) reach the report socket that
 * main() of the test binary (sl_main.c) holds. Inside grader/test/ only. */
#ifndef SL_REPORT_FD_H
#define SL_REPORT_FD_H

/**
 * @brief Sends a failed check to the grader now, from static storage: a
 *        test that has run out of memory still reports it. Only the first
 *        PROTO_FAILS_SENT are sent in full; all are counted.
 * @param file source file of the check.
 * @param line its line.
 * @param msg what was expected and what came.
 * @param hint the check's own hint, or "".
 */
void sl_report_failure(const char *file, int line, const char *msg, const char *hint);

#endif
