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
    names(&r, "leak", RES_FAIL, "memory leak of 46 byte", "student_leak",
          "STUDENT_LEAK_LINE");
    const res_test_t *t = er_test(&r, "heap_overflow");
    if (t) {
        ER_CONTAINS(t->output, "ERROR: AddressSanitizer: heap-buffer-overflow");
        SL_CHECK_STR("the hint of a test a sanitizer stopped inside SL_HINT()", t->hint,
                     "fixture: the hint of the block the sanitizer stopped in");
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
