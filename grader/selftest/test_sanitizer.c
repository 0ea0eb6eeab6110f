/* test_sanitizer.c - self-tests: a sanitizer's finding in student code is
 * the verdict, naming its kind and the student's function, file and line;
 * limits still hold under the sanitizers. The student code is
 * student/student.c. */
#define _GNU_SOURCE /* strcasestr */
#include "engine_run.h"
#include "sl_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SL_TASK(5, "sanitizer verdicts and limits");

#define STUDENT_SRC "grader/selftest/student"

/* The line of student.c that holds mark (in a comment), as ":N". */
static void line_of(const char *mark, char *out, size_t outsz)
{
    FILE *f = fopen(STUDENT_SRC "/student.c", "r");
    char line[256];
    int n = 0;
    snprintf(out, outsz, ":?");
    while (f && fgets(line, sizeof line, f)) {
        n++;
        if (strstr(line, mark)) {
            snprintf(out, outsz, "student.c:%d", n);
            break;
        }
    }
    if (f)
        fclose(f);
}

/* Test name of the run has status st, and its message names kind, the
 * function and the line that holds mark. */
static void names(const er_run_t *r, const char *name, int st, const char *kind,
                  const char *func, const char *mark)
{
    const res_test_t *t = er_test(r, name);
    char place[64], in[96];
    if (!t)
        return;
    line_of(mark, place, sizeof place);
    snprintf(in, sizeof in, "in %s at", func);
    ER_STATUS(t, (res_status_t)st);
    ER_CONTAINS_NOCASE(t->message, kind);
    ER_CONTAINS(t->message, in);
    ER_CONTAINS(t->message, place);
    if (strchr(t->message, '\n') && strchr(t->message, '\n') < strstr(t->message, place))
        SL_FAIL("the place is not on the verdict's first line: %s", t->message);
}

SL_TEST_TIMEOUT(sanitizer_findings_name_the_place, 3, ER_TIMEOUT_MS,
                "A heap overflow, a NULL dereference, an undefined shift and a leak "
                "each get a verdict with the kind and the student's function, "
                "file:line, on its first line.")
{
    er_run_t r;
    er_what_t w = {.tests = "student-meta", .impl = "student-tests", .src = STUDENT_SRC};
    if (er_grade(&w, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    if (!er_sanitized()) {
        /* A plain build: only the NULL dereference shows, as a signal. */
        const res_test_t *t = er_test(&r, "null_dereference");
        if (t) {
            ER_STATUS(t, RES_CRASH);
            ER_CONTAINS(t->message, "SIGSEGV");
        }
        er_cleanup(&r);
        return;
    }
    names(&r, "heap_overflow", RES_CRASH, "AddressSanitizer: heap-buffer-overflow",
          "student_copy", "STUDENT_COPY_LINE");
    names(&r, "null_dereference", RES_CRASH, "null pointer", "student_null",
          "STUDENT_NULL_LINE");
    names(&r, "bad_shift", RES_CRASH, "undefined behaviour: left shift", "student_shift",
          "STUDENT_SHIFT_LINE");
    names(&r, "leak", RES_FAIL, "LeakSanitizer: memory leak, in student_leak", "student_leak",
          "STUDENT_LEAK_LINE");
    names(&r, "crash_deep_in_libc", RES_CRASH, "AddressSanitizer: ", "student_free_junk",
          "STUDENT_FREE_LINE");
    const res_test_t *t = er_test(&r, "heap_overflow");
    if (t) {
        ER_CONTAINS(t->output, "ERROR: AddressSanitizer: heap-buffer-overflow");
        SL_CHECK_STR("the hint of an overflow, which the lesson gives, then the SL_HINT() "
                     "the sanitizer stopped in", t->hint,
                     "fixture: the lesson's hint for an overflow\n"
                     "fixture: the hint of the block the sanitizer stopped in");
    }
    er_cleanup(&r);
}

/* The student lesson graded, only the tests named (NULL-terminated). */
static int grade_student(const char *const *only, er_run_t *r)
{
    er_what_t w = {.tests = "student-meta", .impl = "student-tests", .src = STUDENT_SRC,
                   .only = only};
    return er_grade(&w, r);
}

SL_TEST_TIMEOUT(sanitizer_same_leak_reads_the_same, 2, ER_TIMEOUT_MS,
                "One leak in two tests (of other sizes) gives both the same verdict and "
                "the hint about leaks, so the report says it once; the report shown keeps "
                "its first line and the student's frame.")
{
    static const char *const only[] = {"leak", "leak_twice", NULL};
    er_run_t r;
    if (!er_sanitized() || grade_student(only, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    const res_test_t *a = er_test(&r, "leak"), *b = er_test(&r, "leak_twice");
    if (a && b) {
        SL_CHECK_STR("the verdict of a second test with the same leak", b->message, a->message);
        SL_CHECK_STR("its hint", b->hint, a->hint);
        ER_CONTAINS(a->hint, "free what you allocate on every path");
        ER_CONTAINS(b->output, "ERROR: LeakSanitizer: detected memory leaks");
        ER_CONTAINS(b->output, "Direct leak of 46 byte(s)");
        ER_CONTAINS(b->output, "student_leak grader/selftest/student/student.c:");
        ER_CONTAINS(b->output, "sl_body_leak_twice grader/selftest/student/tests.c:");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sanitizer_test_leak_is_not_the_students, 2, ER_TIMEOUT_MS,
                "A leak the test's own code allocated is never the student's: after a "
                "failed check the failure is the verdict, with no word of the leak; "
                "after a test that passed, a pass.")
{
    static const char *const only[] = {"own_leak_after_failure", "own_leak_passes", NULL};
    er_run_t r;
    if (!er_sanitized() || grade_student(only, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    const res_test_t *t = er_test(&r, "own_leak_after_failure");
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "tests.c:");
        ER_CONTAINS(t->message, ": fixture: a check that fails");
        if (strcasestr(t->message, "leak") || strstr(t->output, "LeakSanitizer"))
            SL_FAIL("the test's own leak is shown: %s / %s", t->message, t->output);
        SL_CHECK_STR("its hint", t->hint, "fixture: the test allocates, then stops at a failure");
    }
    if ((t = er_test(&r, "own_leak_passes")))
        ER_STATUS(t, RES_PASS);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sanitizer_leak_after_failure_is_a_note, 1, ER_TIMEOUT_MS,
                "A failed check is the verdict of a test that also leaked: the leak is a "
                "line under it, its report is not shown, the hint is the check's.")
{
    static const char *const only[] = {"leak_after_failure", NULL};
    er_run_t r;
    char place[64], want[512];
    if (!er_sanitized() || grade_student(only, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    const res_test_t *t = er_test(&r, "leak_after_failure");
    line_of("STUDENT_LEAK_LINE", place, sizeof place);
    snprintf(want, sizeof want, ": fixture: a check that fails\n(at the end of the test "
             "LeakSanitizer also found memory never freed, in student_leak at "
             STUDENT_SRC "/%s; it may come from the test stopping at the failure above)",
             place);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, want);
        if (strstr(t->output, "LeakSanitizer"))
            SL_FAIL("the leak's report is shown under the failure: %s", t->output);
        SL_CHECK_STR("its hint", t->hint, "fixture: a failed check, then a leak at the end");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sanitizer_crash_in_libc_shows_the_students_frame, 2, ER_TIMEOUT_MS,
                "A crash deep in the C library (free() inside freeaddrinfo()) names the "
                "student's function in its verdict, shows its frame in the report (not "
                "the sanitizer's inner frames), and hints at bad pointers.")
{
    static const char *const only[] = {"crash_deep_in_libc", NULL};
    er_run_t r;
    if (!er_sanitized() || grade_student(only, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    const res_test_t *t = er_test(&r, "crash_deep_in_libc");
    if (t) {
        ER_STATUS(t, RES_CRASH);
        ER_CONTAINS(t->message, "in student_free_junk at " STUDENT_SRC "/student.c:");
        ER_CONTAINS(t->output, "student_free_junk " STUDENT_SRC "/student.c:");
        ER_CONTAINS(t->output, "free (checked by the sanitizer)");
        if (strstr(t->output, "__asan::") || strstr(t->output, "__sanitizer::"))
            SL_FAIL("the sanitizer's inner frames are shown: %s", t->output);
        ER_CONTAINS(t->hint, "followed a pointer to memory that is not there");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sanitizer_lesson_turns_errno_hints_off, 1, ER_TIMEOUT_MS,
                "A lesson that says SL_LESSON_NO_ERRNO_HINTS() gets none, even where a "
                "step failed with an errno.")
{
    static const char *const only[] = {"fails_with_an_errno", NULL};
    er_run_t r;
    if (grade_student(only, &r) < 0) {
        er_cleanup(&r);
        return;
    }
    const res_test_t *t = er_test(&r, "fails_with_an_errno");
    if (t) {
        ER_STATUS(t, RES_FAIL);
        SL_CHECK_STR("the hint", t->hint, "fixture: a step failed with ECONNREFUSED");
    }
    er_cleanup(&r);
}

SL_TEST_SOLO(sanitizer_memory_hog_is_contained, 1, ER_TIMEOUT_MS,
             "A test that allocates without end gets NULL (or is stopped) near "
             "1 GiB, with or without the sanitizers, well within its timeout.")
{
    er_run_t r;
    const res_test_t *t = er_one("hogs_memory", &r);
    if (t) {
        unsigned long mib = 0;
        const char *at = strstr(t->message, "allocated ");
        if (at)
            mib = strtoul(at + strlen("allocated "), NULL, 10);
        if (t->status == RES_FAIL && at) {
            if (mib < 256 || mib > 2048)
                SL_FAIL("malloc gave NULL after %lu MiB: the limit is 1 GiB", mib);
        } else if (!(t->status == RES_CRASH && strstr(t->message, "rss limit"))) {
            SL_FAIL("expected NULL from malloc, or the sanitizer's memory limit: %s: %s",
                    res_status_name(t->status), t->message);
        }
        if (t->seconds > 8.0)
            SL_FAIL("took %.1f s", t->seconds);
    }
    er_cleanup(&r);
}

SL_TEST_SOLO(sanitizer_no_memory_no_pass, 2, ER_TIMEOUT_MS,
             "A test that ran out of memory and then failed a check is a failure: "
             "a check of ours says what failed, CUnit's own says how many.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_without_memory", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "expected 3, got 2");
    }
    er_cleanup(&r);
    if ((t = er_one("cunit_fails_without_memory", &r))) {
        if (t->status == RES_PASS)
            SL_FAIL("a failed CU_ASSERT after memory ran out passed");
        else if (t->status == RES_FAIL && !strstr(t->message, "1 + 1 == 3"))
            ER_CONTAINS(t->message, "could not say which");
    }
    er_cleanup(&r);
}
