/* test_ctor.c - self-tests: student code that runs before main()
 * (constructors, static initializers) is graded per test, within budget,
 * and leaves nothing behind. Each case is a constructor of its own in
 * ctor/, linked into the pretend lesson ctor/tests.c. */
#include "engine_run.h"
#include "sl_test.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

SL_TASK(4, "code that runs before main()");

#define CTOR_SRC "grader/selftest/ctor"

/* Grades the pretend lesson with constructor case; 0, or -1 (a failure). */
static int grade_ctor(const char *name, const char *sandbox, er_run_t *r)
{
    char impl[64];
    snprintf(impl, sizeof impl, "ctor-%s", name);
    er_what_t w = {.tests = "ctor-meta", .impl = impl, .src = CTOR_SRC, .sandbox = sandbox};
    if (er_grade(&w, r) < 0)
        return -1;
    if (r->res.ntests != 2) {
        SL_FAIL("expected the 2 tests of the pretend lesson, got %zu", r->res.ntests);
        return -1;
    }
    return 0;
}

/* Both tests got status st and a message holding what. */
static void both(const er_run_t *r, int st, const char *what)
{
    for (size_t i = 0; i < r->res.ntests; i++) {
        ER_STATUS(&r->res.tests[i], (res_status_t)st);
        ER_CONTAINS(r->res.tests[i].message, what);
    }
}

/* The tests ran as if the constructor were harmless. */
static void graded_normally(const er_run_t *r)
{
    const res_test_t *p = er_test(r, "ctor_passes"), *f = er_test(r, "ctor_fails");
    if (p)
        ER_STATUS(p, RES_PASS);
    if (f) {
        ER_STATUS(f, RES_FAIL);
        ER_CONTAINS(f->message, "expected 3, got 2");
    }
}

/* A hang before main(): every test says so, and the lesson takes the
 * probe's 3 s, not a timeout per test. */
static void hangs(const char *name)
{
    er_run_t r;
    if (grade_ctor(name, NULL, &r) == 0) {
        both(&r, RES_TIMEOUT, "your code hangs before any test runs (a constructor");
        if (r.seconds > 5.0)
            SL_FAIL("constructor '%s': the grading took %.1f s, more than the probe's "
                    "3 s and a little", name, r.seconds);
        er_all_gone(r.dir);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_hang_is_graded_within_budget, 2, ER_TIMEOUT_MS,
                "A constructor that sleeps, spins or waits for ever: each test is "
                "'hangs before any test runs', within the probe's deadline.")
{
    hangs("hang");
    hangs("spin");
    hangs("sleeps");
}

SL_TEST_TIMEOUT(ctor_exit_is_a_failure, 1, ER_TIMEOUT_MS,
                "exit(0) in a constructor fails every test, saying so.")
{
    er_run_t r;
    if (grade_ctor("exits", NULL, &r) == 0)
        both(&r, RES_FAIL, "your code exits (status 0)");
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_crash_is_a_crash, 1, ER_TIMEOUT_MS,
                "A constructor that crashes: every test is a crash before any test runs.")
{
    er_run_t r;
    if (grade_ctor("segv", NULL, &r) == 0)
        both(&r, RES_CRASH, "your code crashes before any test runs");
    er_cleanup(&r);
    if (grade_ctor("killgroup", NULL, &r) == 0)
        both(&r, RES_CRASH, "SIGKILL");
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_closed_descriptors_are_named, 1, ER_TIMEOUT_MS,
                "A constructor that closes every descriptor: the verdict says so.")
{
    er_run_t r;
    if (grade_ctor("closefds", NULL, &r) == 0)
        both(&r, RES_FAIL, "closes the grader's descriptors");
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_fork_leaves_nothing, 1, ER_TIMEOUT_MS,
                "A constructor that leaves a child in a session of its own: the "
                "tests are graded, and every such child is gone afterwards.")
{
    er_run_t r;
    if (grade_ctor("forks", NULL, &r) == 0) {
        graded_normally(&r);
        if (er_all_gone(r.dir) < 2)
            SL_FAIL("the constructor should have noted a child per process");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_killing_the_parent_is_contained, 2, ER_TIMEOUT_MS,
                "A constructor that kills its parent: in a namespace the supervisor "
                "cannot be killed and the tests are graded; without one, the verdict "
                "says the supervisor was killed. The report is whole either way.")
{
    er_run_t r;
    if (grade_ctor("killparent", NULL, &r) == 0) {
        if (er_namespaces())
            graded_normally(&r);
        else
            both(&r, RES_FAIL, "supervisor was killed");
    }
    er_cleanup(&r);
    if (grade_ctor("killparent", "basic", &r) == 0)
        both(&r, RES_FAIL, "supervisor was killed");
    er_cleanup(&r);
}

/* Without namespaces, kill(-1) from a test would end every process of
 * this user, the grader's included: the case cannot be tried, and the
 * grader cannot stop it (docs/grader.md says so). What it must do then is
 * say that isolation is reduced. */
static void says_isolation_is_reduced(void)
{
    char bin[PATH_MAX], log[64];
    er_path("sl-run", bin, sizeof bin);
    snprintf(log, sizeof log, "/tmp/sl-note-%d", (int)getpid());
    char *argv[] = {bin, "--sandbox", NULL};
    unlink(log);
    er_spawn(argv, log);
    FILE *f = fopen(log, "r");
    char line[256] = "";
    if (!f || !fgets(line, sizeof line, f))
        SL_FAIL("sl-run --sandbox printed nothing");
    else
        ER_CONTAINS(line, "basic: ");
    if (f)
        fclose(f);
    unlink(log);
}

SL_TEST_TIMEOUT(ctor_kill_everyone_is_contained, 1, ER_TIMEOUT_MS,
                "kill(-1, SIGKILL) in a constructor reaches nothing outside the "
                "test's namespace: the grading ends with its report. Without "
                "namespaces, sl-run says isolation is reduced.")
{
    er_run_t r;
    if (!er_namespaces()) {
        says_isolation_is_reduced();
        return;
    }
    if (grade_ctor("killall", NULL, &r) == 0)
        graded_normally(&r);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(ctor_memory_error_is_named, 1, ER_TIMEOUT_MS,
                "A write past a heap block in a constructor, under the sanitizers: a "
                "crash before any test runs, naming the file and line.")
{
    er_run_t r;
    if (grade_ctor("overflow", NULL, &r) == 0) {
        if (er_sanitized())
            both(&r, RES_CRASH, "overflow.c:9");
        else
            graded_normally(&r); /* without a sanitizer the write goes unseen */
    }
    er_cleanup(&r);
}
