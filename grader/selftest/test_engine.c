/* test_engine.c - self-tests of the grader engine, end to end: each runs the
 * fixture lesson (fixtures.c) through the real runner, reads the verdicts it
 * wrote, and where it matters runs sl-report on them. */
#define _GNU_SOURCE /* strcasestr */
#include "clock.h"
#include "engine_run.h"
#include "results.h"
#include "sl_test.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

SL_TASK(1, "the engine: isolation, verdicts, limits");

#define ENGINE_TIMEOUT_MS ER_TIMEOUT_MS

extern char **environ;

/* Grades the fixtures named in only (NULL-terminated), jobs at once. */
static int run_fixtures(const char *const *only, const char *jobs, er_run_t *r)
{
    er_what_t w = {.tests = "fixtures", .only = only, .jobs = jobs};
    return er_grade(&w, r);
}

/* A fixture of every kind of verdict, each quick: for the report tests. */
static const char *const every_verdict[] = {
    "passes", "fails_int", "fails_bytes", "crashes", "aborts", "hangs", "exits_zero",
    "not_implemented", "fails_then_todo", "floods_output", "prints_bad_bytes",
    "pretends_to_pass", NULL};

/* Fails for every pid listed in dir/pids that is still alive; how many. */
static int check_all_gone(const char *dir)
{
    int n = er_all_gone(dir);
    if (n < 0)
        SL_FAIL("the fixture wrote no pid file in %s", dir);
    return n;
}

SL_TEST_TIMEOUT(engine_pass_is_pass, 1, ENGINE_TIMEOUT_MS,
                "A body that runs to its end with no failed check passes.")
{
    er_run_t r;
    const res_test_t *t = er_one("passes", &r);
    if (t) {
        ER_STATUS(t, RES_PASS);
        SL_ASSERT_STR_EQ(t->message, "");
        SL_ASSERT_INT_EQ(t->points, 2);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_skips_a_test_whose_tool_is_missing, 1, ENGINE_TIMEOUT_MS,
                "A test that needs a program this machine lacks (SL_TEST_NEEDS) is not run: "
                "it is skipped, the tool named, its points out of the score and the maximum; "
                "one whose tool is there runs.")
{
    static const char *const tests[] = {"needs_missing_tool", "needs_sh", "passes", NULL};
    er_run_t r;
    if (run_fixtures(tests, "2", &r) == 0 && r.res.ntests == 3) {
        const res_test_t *skip = er_test(&r, "needs_missing_tool");
        const res_test_t *sh = er_test(&r, "needs_sh");
        if (skip) {
            ER_STATUS(skip, RES_SKIP);
            ER_CONTAINS(skip->message, "needs socklab-no-such-tool, which is not installed here");
        }
        if (sh)
            ER_STATUS(sh, RES_PASS);
        SL_ASSERT_INT_EQ(res_score(&r.res), 3);
        SL_ASSERT_INT_EQ(res_max_score(&r.res), 3);
        SL_ASSERT_INT_EQ(res_ran(&r.res), 2);
    } else {
        SL_FAIL("the run of three fixtures did not give three results");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_failure_says_where_and_what, 1, ENGINE_TIMEOUT_MS,
                "A failed check reports file:line, expected and got, and the output.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_int", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "fixtures.c:");
        ER_CONTAINS(t->message, "expected 5, got 4");
        SL_ASSERT_STR_EQ(t->output, "some output before the failure\n");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_bytes_show_first_difference, 1, ENGINE_TIMEOUT_MS,
                "A byte mismatch names the offset and shows both sides escaped.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_bytes", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, ": expected \"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n\", "
                    "got \"GET / HTTP/1.1\\nHost: x\\r\\n\\r\\n\"\n");
        ER_CONTAINS(t->message, "\ndiffers at line 1, column 15: expected '\\r' (a carriage "
                    "return), got end of line");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_text_says_where_it_differs, 1, ENGINE_TIMEOUT_MS,
                "Texts that differ by a space at the end show both whole, and say where, "
                "naming the space: it cannot be seen.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_trailing_space", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, ": lookup -r 127.0.0.1: expected \"127.0.0.1 has name "
                    "localhost\", got \"127.0.0.1 has name localhost \"\ndiffers at column 29: "
                    "expected end of line, got ' ' (a trailing space)");
    }
    er_cleanup(&r);
}

/* A NULL store: UBSan (gcc) or ASan (clang) names a null (or NULL)
 * pointer; without the sanitizers the signal says it. */
#define ENGINE_SEGV (er_sanitized() ? "null pointer" : "SIGSEGV")

SL_TEST_TIMEOUT(engine_crash_names_signal, 1, ENGINE_TIMEOUT_MS,
                "A test killed by a signal is a crash, with the signal's name.")
{
    er_run_t r;
    const res_test_t *t = er_one("crashes", &r);
    if (t) {
        ER_STATUS(t, RES_CRASH);
        ER_CONTAINS_NOCASE(t->message, ENGINE_SEGV);
    }
    er_cleanup(&r);
    if ((t = er_one("aborts", &r))) {
        ER_STATUS(t, RES_CRASH);
        ER_CONTAINS(t->message, "SIGABRT");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_crash_keeps_earlier_failures, 1, ENGINE_TIMEOUT_MS,
                "A check that failed before a crash or an abort() is in the verdict.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_then_crashes", &r);
    if (t) {
        ER_STATUS(t, RES_CRASH);
        ER_CONTAINS(t->message, "; before that: grader/selftest/fixtures.c:");
        ER_CONTAINS(t->message, "expected 41 (0x29), got 42");
    }
    er_cleanup(&r);
    if ((t = er_one("fails_then_aborts", &r))) {
        ER_STATUS(t, RES_CRASH);
        ER_CONTAINS(t->message, "SIGABRT");
        ER_CONTAINS(t->message, "expected 43 (0x2b), got 42");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_hang_killed_within_a_second, 1, ENGINE_TIMEOUT_MS,
                "A test that sleeps for ever is killed at its timeout (0.5 s) plus at most 1 s.")
{
    er_run_t r;
    const res_test_t *t = er_one("hangs", &r);
    if (t) {
        ER_STATUS(t, RES_TIMEOUT);
        ER_CONTAINS(t->message, "timed out");
        if (t->seconds > 1.5 || r.seconds > 1.5 + 1.0)
            SL_FAIL("took %.2f s (runner %.2f s) for a 0.5 s timeout", t->seconds, r.seconds);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_busy_loop_times_out, 1, ENGINE_TIMEOUT_MS,
                "A test that burns CPU for ever is a timeout too.")
{
    er_run_t r;
    const res_test_t *t = er_one("spins", &r);
    if (t) {
        ER_STATUS(t, RES_TIMEOUT);
        if (t->seconds > 1.5)
            SL_FAIL("took %.2f s for a 0.5 s timeout", t->seconds);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_exit_zero_is_a_failure, 1, ENGINE_TIMEOUT_MS,
                "exit(0) from the code under test ends the body early: a failure.")
{
    er_run_t r;
    const res_test_t *t = er_one("exits_zero", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "did not finish: exit(0)");
    }
    er_cleanup(&r);
    if ((t = er_one("exits_after_failure", &r)))
        ER_CONTAINS(t->message, "expected 2, got 1");
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_output_never_decides, 1, ENGINE_TIMEOUT_MS,
                "Printing what looks like a pass, then exit(0), is still a failure.")
{
    er_run_t r;
    const res_test_t *t = er_one("pretends_to_pass", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->output, "PASS");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_todo_is_not_implemented, 1, ENGINE_TIMEOUT_MS,
                "Reaching TODO() is 'not implemented: <function>', at once.")
{
    er_run_t r;
    const res_test_t *t = er_one("not_implemented", &r);
    if (t) {
        ER_STATUS(t, RES_TODO);
        SL_ASSERT_STR_EQ(t->message, "not implemented: student_function");
        if (t->seconds > 0.5)
            SL_FAIL("took %.2f s; a TODO() must fail at once", t->seconds);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_no_process_survives, 1, ENGINE_TIMEOUT_MS,
                "Children, and grandchildren that left the group, die with their "
                "own test: gone before the next test starts.")
{
    er_run_t r;
    const char *tests[] = {"leaves_grandchild", "checks_processes_gone", NULL};
    if (run_fixtures(tests, "1", &r) == 0 && r.res.ntests == 2) {
        ER_STATUS(&r.res.tests[0], RES_PASS);
        ER_STATUS(&r.res.tests[1], RES_PASS);
        SL_ASSERT_STR_EQ(r.res.tests[1].message, "");
        SL_ASSERT_INT_EQ(check_all_gone(r.dir), 3);
    } else {
        SL_FAIL("expected the results of 2 fixtures");
    }
    er_cleanup(&r);
}

SL_TEST_SOLO(engine_fork_loop_is_contained, 1, ENGINE_TIMEOUT_MS,
                "A fork loop hits the process limit, times out, and leaves nothing.")
{
    er_run_t r;
    const res_test_t *t = er_one("forks_many", &r);
    if (t) {
        ER_STATUS(t, RES_TIMEOUT);
        int n = check_all_gone(r.dir);
        /* Root is exempt from RLIMIT_NPROC; the grader runs tests as nobody
         * then, so only a root runner that could not drop is unbounded. */
        if (geteuid() != 0 && n >= 4000)
            SL_FAIL("the process limit did not stop the fork loop (%d forks)", n);
    }
    er_cleanup(&r);
}

SL_TEST_SOLO(engine_shared_process_limit_is_fair, 1, ENGINE_TIMEOUT_MS,
             "When tests share a uid, a test whose fork failed because the test "
             "beside it used the process limit up is run again, alone.")
{
    er_run_t r;
    const char *tests[] = {"forks_many", "forks_once_later", NULL};
    /* Two at once, as one uid: the runner nested here is never root. */
    if (run_fixtures(tests, "2", &r) == 0 && r.res.ntests == 2) {
        ER_STATUS(&r.res.tests[0], RES_TIMEOUT);
        ER_STATUS(&r.res.tests[1], RES_PASS);
        check_all_gone(r.dir);
    } else {
        SL_FAIL("expected the results of 2 fixtures");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_forged_done_is_a_failure, 1, ENGINE_TIMEOUT_MS,
                "A 'done' record written by the code under test does not count.")
{
    er_run_t r;
    const res_test_t *t = er_one("forges_done", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "did not finish");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_forged_error_is_not_believed, 1, ENGINE_TIMEOUT_MS,
                "A 'grader error' record written by the code under test (without "
                "the nonce) is ignored: the test fails with its own failure.")
{
    er_run_t r;
    const res_test_t *t = er_one("forges_error", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "the fixture's own failure");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_real_error_is_believed, 1, ENGINE_TIMEOUT_MS,
                "A test the binary does not have is the grader's error, said with the "
                "nonce: reported as such.")
{
    const char *only[] = {"passes", NULL};
    er_what_t w = {.tests = "fixtures", .impl = "student-tests", .only = only};
    er_run_t r;
    const res_test_t *t = er_grade(&w, &r) == 0 ? er_test(&r, "passes") : NULL;
    if (t) {
        ER_STATUS(t, RES_ERROR);
        ER_CONTAINS(t->message, "no test named 'passes'");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_closing_3_keeps_the_report, 1, ENGINE_TIMEOUT_MS,
                "Code that closes descriptor 3 (a double close) does not lose the "
                "report: the test still passes.")
{
    er_run_t r;
    const res_test_t *t = er_one("closes_descriptor_3", &r);
    if (t)
        ER_STATUS(t, RES_PASS);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_test_inherits_no_descriptor, 1, ENGINE_TIMEOUT_MS,
                "A test sees only stdin, stdout, stderr and its result pipe.")
{
    er_run_t r;
    const res_test_t *t = er_one("sees_few_descriptors", &r);
    if (t)
        ER_STATUS(t, RES_PASS);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_many_failures_counted, 1, ENGINE_TIMEOUT_MS,
                "200 long failures: the first and the next three are shown, the rest counted, and the "
                "test still counts as finished.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_many_times", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "failure 0: yyy");
        ER_CONTAINS(t->message, "\nthen: grader/selftest/fixtures.c:");
        ER_CONTAINS(t->message, "failure 3: yyy");
        ER_CONTAINS(t->message, "(and 196 more failed checks)");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_failure_before_todo_shown, 1, ENGINE_TIMEOUT_MS,
                "A check that failed before a TODO() is the verdict, not the TODO.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_then_todo", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "expected 4, got 3");
        ER_CONTAINS(t->message, "(then: not implemented: student_function)");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_unknown_test_is_an_error, 1, ENGINE_TIMEOUT_MS,
                "-t with a name no test has: exit status 2, not an empty pass.")
{
    char bin[PATH_MAX], tests[PATH_MAX];
    er_path("sl-run", bin, sizeof bin);
    er_path("fixtures", tests, sizeof tests);
    char *argv[] = {bin, "--tests", tests, "-t", "no_such_test", "-o", "/dev/null", NULL};
    int st = er_spawn(argv, "/dev/null");
    SL_ASSERT_INT_EQ(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 2);
}

/* Starts the fixture runner on hangs_long, sends it sig once the test has
 * started its grandchild, and checks the runner dies of sig and leaves
 * nothing behind. */
static void interrupt_with(int sig)
{
    er_run_t r;
    char bin[PATH_MAX], tests[PATH_MAX];
    memset(&r, 0, sizeof r);
    snprintf(r.dir, sizeof r.dir, "/tmp/sl-selftest-XXXXXX");
    if (!mkdtemp(r.dir))
        SL_FAIL_FATAL("mkdtemp: %s", strerror(errno));
    chmod(r.dir, 0777);
    setenv("FIXTURE_DIR", r.dir, 1);
    er_path("sl-run", bin, sizeof bin);
    er_path("fixtures", tests, sizeof tests);
    char *argv[] = {bin, "--tests", tests, "-q", "--share-dir", r.dir, "-t", "hangs_long", "-o", "/dev/null",
                    er_sanitized() ? "--sanitized" : NULL, NULL};
    pid_t pid;
    posix_spawn(&pid, bin, NULL, NULL, argv, environ);
    for (int i = 0; i < 200 && er_all_gone_quiet(r.dir) == 0; i++)
        usleep(10 * 1000);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        SL_FAIL("the runner should die of signal %d, got wait status %d", sig, status);
    SL_ASSERT_INT_EQ(check_all_gone(r.dir), 1);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_ctrl_c_leaves_nothing, 1, ENGINE_TIMEOUT_MS,
                "SIGINT (Ctrl-C) or SIGHUP (a closed terminal) ends every test "
                "and its escaped grandchildren, then the runner dies of it.")
{
    interrupt_with(SIGINT);
    interrupt_with(SIGHUP);
}

SL_TEST_TIMEOUT(engine_output_is_bounded, 1, ENGINE_TIMEOUT_MS,
                "A megabyte of output is cut to its last 4 KiB, and says so.")
{
    er_run_t r;
    const res_test_t *t = er_one("floods_output", &r);
    if (t) {
        size_t len = strlen(t->output);
        if (len > 4096 + 64)
            SL_FAIL("kept %zu bytes of output", len);
        ER_CONTAINS(t->output, "earlier bytes not shown");
        const char *end = "the last line\n";
        if (len < strlen(end) || strcmp(t->output + len - strlen(end), end) != 0)
            SL_FAIL("the output does not end with the last line printed");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_bad_bytes_become_text, 1, ENGINE_TIMEOUT_MS,
                "Invalid UTF-8 and control bytes in output come back as \\xNN; valid UTF-8 stays.")
{
    er_run_t r;
    const res_test_t *t = er_one("prints_bad_bytes", &r);
    if (t) {
        ER_CONTAINS(t->output, "ok \\xff\\xfe \\x01\\x1b[31m <tag>");
        ER_CONTAINS(t->output, "\xc3\xa9");
        ER_CONTAINS(t->output, "\\x00nul");
        ER_CONTAINS(t->message, "bad bytes: \\xff <&>");
    }
    er_cleanup(&r);
}

/* Runs sl-report on a run's results; returns its exit status. */
static int report(const er_run_t *r, const char *format, const char *out)
{
    char bin[PATH_MAX], log[128];
    er_path("sl-report", bin, sizeof bin);
    snprintf(log, sizeof log, "%s/report.log", r->dir);
    char *argv[] = {bin, "--format", (char *)format, "--out", (char *)out,
                    (char *)r->json, NULL};
    int st = er_spawn(argv, log);
    if (!WIFEXITED(st))
        SL_FAIL("%s --format %s: wait status %d", bin, format, st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

SL_TEST_TIMEOUT(engine_results_json_totals, 2, ENGINE_TIMEOUT_MS,
                "results.json parses, and its score and max_score are the sums of the tests.")
{
    er_run_t r;
    char out[128];
    if (run_fixtures(every_verdict, "2", &r) == 0) {
        snprintf(out, sizeof out, "%s/gradescope.json", r.dir);
        SL_ASSERT_INT_EQ(report(&r, "json", out), 0);
        json_error_t err;
        json_t *root = json_load_file(out, 0, &err);
        if (!root) {
            SL_FAIL("results.json does not parse: line %d: %s", err.line, err.text);
        } else {
            SL_ASSERT_INT_EQ(json_number_value(json_object_get(root, "score")), res_score(&r.res));
            SL_ASSERT_INT_EQ(json_number_value(json_object_get(root, "max_score")), res_max_score(&r.res));
            SL_ASSERT_INT_EQ(json_array_size(json_object_get(root, "tests")), r.res.ntests);
            CU_ASSERT(res_score(&r.res) > 0 && res_score(&r.res) < res_max_score(&r.res));
            json_decref(root);
        }
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_junit_is_well_formed, 2, ENGINE_TIMEOUT_MS,
                "The JUnit report of every kind of verdict, nasty output included, passes xmllint.")
{
    er_run_t r;
    char out[128], log[128];
    if (access("/usr/bin/xmllint", X_OK) != 0) {
        SL_FAIL("xmllint is missing: sudo apt-get install -y libxml2-utils");
        return;
    }
    if (run_fixtures(every_verdict, "2", &r) == 0) {
        snprintf(out, sizeof out, "%s/junit.xml", r.dir);
        snprintf(log, sizeof log, "%s/xmllint.log", r.dir);
        SL_ASSERT_INT_EQ(report(&r, "junit", out), 0);
        char *argv[] = {"/usr/bin/xmllint", "--noout", out, NULL};
        int st = er_spawn(argv, log);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            SL_FAIL("xmllint rejects %s (see %s)", out, log);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_failed_program_tests_run_again, 2, ENGINE_TIMEOUT_MS,
                "A failed test of a program runs again: the verdict says whether it "
                "failed every time or only sometimes, and the first verdict stands.")
{
    const char *only[] = {"fails_every_run", "fails_first_run", NULL};
    er_run_t r;
    if (run_fixtures(only, "2", &r) == 0 && r.res.ntests == 2) {
        const res_test_t *t;
        if ((t = er_test(&r, "fails_every_run"))) {
            ER_STATUS(t, RES_FAIL);
            ER_CONTAINS(t->message, "(it failed in each of 3 runs)");
        }
        if ((t = er_test(&r, "fails_first_run"))) {
            ER_STATUS(t, RES_FAIL);
            ER_CONTAINS(t->message, "(it failed in 1 of 3 runs: a race in your code");
        }
    }
    er_cleanup(&r);
}

/* How often fixture test name ran in r (it counts itself). */
static int runs_of(const er_run_t *r, const char *name)
{
    char path[256], line[16];
    snprintf(path, sizeof path, "%s/%s.runs", r->dir, name);
    FILE *f = fopen(path, "r");
    int n = 0;
    while (f && fgets(line, sizeof line, f))
        n++;
    if (f)
        fclose(f);
    return n;
}

SL_TEST_TIMEOUT(engine_harness_kind_hint, 1, ENGINE_TIMEOUT_MS,
                "A server with no `listening on` line gets the grader's hint for that "
                "(print it, fflush), not each test's own hint about something else.")
{
    const char *only[] = {"no_listen_a", "no_listen_b", NULL};
    er_run_t r;
    if (run_fixtures(only, "2", &r) == 0 && r.res.ntests == 2) {
        for (size_t i = 0; i < 2; i++) {
            const res_test_t *t = &r.res.tests[i];
            ER_CONTAINS(t->hint, "then fflush(stdout)");
            if (strstr(t->hint, "hint about something else"))
                SL_FAIL("%s kept its test's hint: %s", t->name, t->hint);
        }
        if (r.res.tests[0].hint && r.res.tests[1].hint)
            SL_ASSERT_STR_EQ(r.res.tests[0].hint, r.res.tests[1].hint);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_reruns_one_of_a_kind, 1, ENGINE_TIMEOUT_MS,
                "Of tests that failed with one message (up to ports and addresses), one "
                "runs again, not each; a server that exited before listening never does.")
{
    const char *only[] = {"no_listen_a", "no_listen_b", "no_listen_c", "exits_before_listening",
                          NULL};
    er_run_t r;
    if (run_fixtures(only, "2", &r) == 0 && r.res.ntests == 4) {
        SL_ASSERT_INT_EQ(runs_of(&r, "no_listen_a"), 3);
        SL_ASSERT_INT_EQ(runs_of(&r, "no_listen_b"), 1);
        SL_ASSERT_INT_EQ(runs_of(&r, "no_listen_c"), 1);
        SL_ASSERT_INT_EQ(runs_of(&r, "exits_before_listening"), 1);
        const res_test_t *t = er_test(&r, "no_listen_a");
        if (t)
            ER_CONTAINS(t->message, "(it failed in each of 3 runs)");
        if ((t = er_test(&r, "exits_before_listening")) && strstr(t->message, "runs)"))
            SL_FAIL("a deterministic failure was run again: %s", t->message);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_until_failure_stops_after_a_task, 1, ENGINE_TIMEOUT_MS,
                "--until-failure (make hint) runs the tasks in order and stops after the "
                "first with a failure, with no reruns; the results say how many did not run.")
{
    const char *only[] = {"no_listen_a", "passes", "fails_int", "no_listen_b", NULL};
    er_what_t w = {.tests = "fixtures", .only = only, .option = "--until-failure"};
    er_run_t r;
    if (er_grade(&w, &r) == 0) {
        SL_ASSERT_INT_EQ(r.res.ntests, 2); /* task 1: passes, fails_int */
        SL_ASSERT_INT_EQ(r.res.unrun, 2);
        SL_ASSERT_INT_EQ(runs_of(&r, "no_listen_a"), 0);
        if (r.res.ntests == 2)
            SL_ASSERT_STR_EQ(r.res.tests[1].name, "fails_int");
    }
    er_cleanup(&r);
    const char *progs[] = {"no_listen_a", "passes", "no_listen_b", NULL};
    w.only = progs;
    if (er_grade(&w, &r) == 0) {
        SL_ASSERT_INT_EQ(r.res.ntests, 3); /* task 1 passed: task 2 ran, once */
        SL_ASSERT_INT_EQ(r.res.unrun, 0);
        SL_ASSERT_INT_EQ(runs_of(&r, "no_listen_a"), 1);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_errno_gets_its_usual_cause, 1, ENGINE_TIMEOUT_MS,
                "A failure whose cause is an errno (a step failed with it) gets a line "
                "about its usual cause after the test's own hint.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_with_an_errno", &r);
    if (t) {
        ER_CONTAINS(t->hint, "fixture: its own hint\nECONNREFUSED (Connection refused): "
                             "nothing listens");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_errno_of_a_step_reported_gets_its_cause, 1, ENGINE_TIMEOUT_MS,
                "A failure whose message reports the harness's error (a lesson's helper "
                "wording it its own way) has that step's errno as its cause.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_reporting_a_step", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "the client could not start: cannot connect to the discard "
                                "port: Connection refused");
        ER_CONTAINS(t->hint, "fixture: its own hint\nECONNREFUSED (Connection refused): ");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_errno_as_data_gets_no_hint, 1, ENGINE_TIMEOUT_MS,
                "An errno's text that is data a check compared (expected \"Too many open "
                "files\", got \"...Resource temporarily unavailable\") is no cause: the "
                "hint is the test's alone.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_with_errno_as_data", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "Too many open files");
        SL_CHECK_STR("the hint", t->hint, "fixture: its own hint");
    }
    er_cleanup(&r);
    if ((t = er_one("fails_with_program_line_as_data", &r))) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "got \"lookup: x: Resource temporarily unavailable\"");
        SL_CHECK_STR("the hint of a program's line that a check compared", t->hint,
                     "fixture: its own hint");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_errno_of_a_program_line_gets_its_cause, 1, ENGINE_TIMEOUT_MS,
                "A failure that reports a program's error line, NAME: what failed: REASON "
                "(its last words), and compares nothing, has that errno as its cause.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_reporting_a_program", &r);
    if (t)
        ER_CONTAINS(t->hint, "fixture: its own hint\nEADDRINUSE (Address already in use): ");
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_addr_in_use_hint_fits_tcp_and_udp, 1, ENGINE_TIMEOUT_MS,
                "EADDRINUSE's hint advises SO_REUSEADDR only for TCP's TIME_WAIT: a port "
                "another socket really holds, and any UDP port, want another port or the "
                "other program stopped.")
{
    er_run_t r;
    const res_test_t *t = er_one("fails_reporting_a_program", &r);
    if (t) {
        ER_CONTAINS(t->hint, "TIME_WAIT: set SO_REUSEADDR before bind()");
        ER_CONTAINS(t->hint, "SO_REUSEADDR is not the cure");
    }
    er_cleanup(&r);
    t = er_one("fails_reporting_a_udp_program", &r);
    if (t) {
        ER_CONTAINS(t->hint, "EADDRINUSE (Address already in use): another socket really "
                             "holds this UDP port");
        ER_CONTAINS(t->hint, "SO_REUSEADDR is not the cure");
        if (strstr(t->hint, "before bind()"))
            SL_FAIL("the hint of a UDP port in use advises SO_REUSEADDR: %s", t->hint);
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(engine_quiet_call_names_what_was_printed, 1, ENGINE_TIMEOUT_MS,
                "SL_QUIET_CALL() fails a call that printed to stderr, with what it printed "
                "and a hint of its own; errno is the call's, stderr is back after it.")
{
    er_run_t r;
    const res_test_t *t = er_one("prints_in_quiet_call", &r);
    if (t) {
        ER_STATUS(t, RES_FAIL);
        ER_CONTAINS(t->message, "noisy_bind() printed to stderr: a library function returns "
                                "-1 with errno and prints nothing (it printed "
                                "\"udp_bind: Address already in use\\n\")");
        if (strstr(t->message, "expected"))
            SL_FAIL("a check after the call failed (ret or errno): %s", t->message);
        ER_CONTAINS(t->hint, "Take the perror()");
        ER_CONTAINS(t->output, "stderr is the real one again");
    }
    er_cleanup(&r);
}

SL_TEST(quiet_call_passes_a_sanitizer_report_through, 1,
        "A sanitizer's report caught in a capture of stderr is no failure of the call: "
        "it goes through to the real stderr; a quiet call passes.")
{
    SL_ASSERT_INT_EQ(sl_stderr_capture_begin(), 0);
    fprintf(stderr, "x.c:1:5: runtime error: signed integer overflow (a pretend report)\n");
    SL_ASSERT_INT_EQ(sl_stderr_capture_end(__FILE__, __LINE__, "pretend()"), 1);
    SL_ASSERT_INT_EQ(sl_stderr_capture_begin(), 0);
    SL_ASSERT_INT_EQ(sl_stderr_capture_begin(), -1); /* one at a time */
    errno = EINVAL;
    SL_ASSERT_INT_EQ(sl_stderr_capture_end(__FILE__, __LINE__, "quiet()"), 1);
    SL_ASSERT_INT_EQ(errno, EINVAL);
}
