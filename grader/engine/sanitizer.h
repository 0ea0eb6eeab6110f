/**
 * @file sanitizer.h
 * @brief Reading a sanitizer's report (AddressSanitizer, LeakSanitizer,
 *        UndefinedBehaviorSanitizer, ThreadSanitizer) out of a test's
 *        output: its kind and the first frame in the student's code, on
 *        one line.
 *
 * Only called when the test process said a sanitizer ended it (or found
 * leaks), so text the code under test prints cannot make a verdict.
 */
#ifndef SL_SANITIZER_H
#define SL_SANITIZER_H

#include <stddef.h>

/**
 * @brief Where the first sanitizer report in @p out begins (the start of
 *        its line), or -1 if there is none.
 * @param out the output, NUL-terminated.
 */
long san_report_start(const char *out);

/**
 * @brief One line for the verdict, e.g.
 *        `AddressSanitizer: heap-buffer-overflow (WRITE of size 1), in
 *        addr_to_text at skeletons/01-addressing/addressing.c:123`.
 *
 * The frame named is the first one in @p src_dir (the student's sources);
 * failing that, the first of the project (a test's), then the first with a
 * source file. Of a LeakSanitizer report, the leak named is the first that
 * is not the test's own (san_leak_is_students()). Paths are shown from the
 * project's root on (@p root is cut off their front).
 * @param out the output, NUL-terminated.
 * @param src_dir e.g. "skeletons/01-addressing"; NULL to take the first frame.
 * @param root the project's root, e.g. "/work/main"; may be NULL.
 * @param buf where to write the line.
 * @param bufsz size of @p buf.
 * @return 1 if a report was found, 0 if not (@p buf then holds "").
 */
int san_summary(const char *out, const char *src_dir, const char *root,
                char *buf, size_t bufsz);

/**
 * @brief Whether a LeakSanitizer report in @p out holds a leak of the
 *        student's: 0 when every leak was allocated by the test's own code
 *        (the first frame outside the sanitizer and the C library is a test
 *        body, or in the project but not in @p src_dir); 1 otherwise, and
 *        for any other report. Only direct leaks count, unless there are
 *        none: an indirect leak hangs off a direct one.
 * @param out the output, NUL-terminated.
 * @param src_dir the student's sources, e.g. "skeletons/02-lookup"; may be NULL.
 * @param root the project's root; may be NULL.
 */
int san_leak_is_students(const char *out, const char *src_dir, const char *root);

/**
 * @brief The report that starts at @p rep, made fit for a student to read:
 *        the error, the access, the stacks (without the addresses, the
 *        runtime's inner frames, a run of the C library's frames but its
 *        first, the grader's own and the start-up's; each stack up to the
 *        frame that called the student's code), where the memory was, the
 *        summary; of a LeakSanitizer report the leak the summary names and
 *        how many more there were. Without the shadow-byte map and the
 *        notes about false positives. Paths are shown from the project's
 *        root on.
 * @param rep the report (san_report_start() into the output), NUL-terminated.
 * @param src_dir the student's sources; may be NULL.
 * @param root the project's root, cut off paths; may be NULL.
 * @param buf where to write; always NUL-terminated.
 * @param bufsz size of @p buf.
 */
void san_condense(const char *rep, const char *src_dir, const char *root, char *buf,
                  size_t bufsz);

#endif
