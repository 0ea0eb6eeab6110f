/* test_engine.c - self-tests of the grader engine, end to end: each runs the
 * fixture lesson (fixtures.c) through the real runner, reads the verdicts it
 * wrote, and where it matters runs sl-report on them. */
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

#define ENGINE_TIMEOUT_MS 20000

extern char **environ;

typedef struct fixture_run {
    char dir[64];         /* scratch folder: results, log, pids */
    char json[128];       /* the runner's results */
    res_lesson_t res;
    double seconds;       /* wall clock of the whole runner */
} fixture_run_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Path of a program that sits next to this test binary (where the runner
 * says, SOCKLAB_EXE_DIR, else next to /proc/self/exe). */
static void sibling(const char *name, char *out, size_t outsz)
{
    const char *dir = getenv("SOCKLAB_EXE_DIR");
    if (dir && *dir) {
        snprintf(out, outsz, "%s/%s", dir, name);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, outsz, "%s/%s", exe, name);
}

/* Runs argv with stdout and stderr into log; returns the wait status. */
static int run(char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int st = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0)
        waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return st;
}

/* Runs the fixture lesson, `jobs` tests at once: only the tests in `only`
 * (NULL-terminated, run in declaration order), or all of them if NULL. */
static int run_fixtures(const char *const *only, const char *jobs,
                        fixture_run_t *r)
{
    char bin[PATH_MAX], log[128];
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "/tmp/sl-selftest-XXXXXX");
    if (!mkdtemp(r->dir))
        return -1;
    chmod(r->dir, 0777); /* a root runner gives its tests to user nobody */
    snprintf(r->json, sizeof r->json, "%s/results.json", r->dir);
    snprintf(log, sizeof log, "%s/log", r->dir);
    sibling("fixtures", bin, sizeof bin);
    setenv("FIXTURE_DIR", r->dir, 1);
    char *argv[16] = {bin, "-j", (char *)jobs, "-o", r->json};
    for (int i = 5; only && *only && i < 14; i += 2)
        argv[i] = "-t", argv[i + 1] = (char *)*only++;
    double start = now();
    int st = run(argv, log);
    r->seconds = now() - start;
    const char *err;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || res_read(r->json, &r->res, &err) < 0) {
        SL_FAIL("the fixture runner failed (status %d); see %s", st, log);
        return -1;
    }
    return 0;
}

static int run_fixture(const char *only, fixture_run_t *r)
{
    const char *list[] = {only, NULL};
    return run_fixtures(only ? list : NULL, "2", r);
}

/* Removes the scratch folder (it holds only plain files). */
static void cleanup(fixture_run_t *r)
{
    res_free(&r->res);
    DIR *d = opendir(r->dir);
    struct dirent *e;
    char path[PATH_MAX];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        if (unlink(path) < 0)
            SL_FAIL("cannot remove %s: %s", path, strerror(errno));
    }
    if (d)
        closedir(d);
    if (rmdir(r->dir) < 0)
        SL_FAIL("cannot remove %s: %s", r->dir, strerror(errno));
}

/* The only test of a run of one. */
static const res_test_t *one(const char *name, fixture_run_t *r)
{
    if (run_fixture(name, r) < 0)
        return NULL;
    if (r->res.ntests != 1 || strcmp(r->res.tests[0].name, name) != 0) {
        SL_FAIL("expected exactly the fixture %s in the results", name);
        return NULL;
    }
    return &r->res.tests[0];
}

#define EXPECT_STATUS(t, st)                                                  \
    do {                                                                      \
        if ((t)->status != (st))                                              \
            SL_FAIL("fixture %s: expected %s, got %s: %s", (t)->name,         \
                    res_status_name(st), res_status_name((t)->status),        \
                    (t)->message);                                            \
    } while (0)

#define EXPECT_CONTAINS(hay, needle)                                          \
    do {                                                                      \
        if (!strstr((hay), (needle)))                                         \
            SL_FAIL("expected \"%s\" in: %s", (needle), (hay));               \
    } while (0)

SL_TEST_TIMEOUT(engine_pass_is_pass, 1, ENGINE_TIMEOUT_MS,
                "A body that runs to its end with no failed check passes.")
{
    fixture_run_t r;
    const res_test_t *t = one("passes", &r);
    if (t) {
        EXPECT_STATUS(t, RES_PASS);
        SL_ASSERT_STR_EQ(t->message, "");
        SL_ASSERT_INT_EQ(t->points, 2);
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_failure_says_where_and_what, 1, ENGINE_TIMEOUT_MS,
                "A failed check reports file:line, expected and got, and the output.")
{
    fixture_run_t r;
    const res_test_t *t = one("fails_int", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "fixtures.c:");
        EXPECT_CONTAINS(t->message, "expected 5, got 4");
        SL_ASSERT_STR_EQ(t->output, "some output before the failure\n");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_bytes_show_first_difference, 1, ENGINE_TIMEOUT_MS,
                "A byte mismatch names the offset and shows both sides escaped.")
{
    fixture_run_t r;
    const res_test_t *t = one("fails_bytes", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "bytes differ at offset 14");
        EXPECT_CONTAINS(t->message, "expected: \"GET / HTTP/1.1\\r\\nHost");
        EXPECT_CONTAINS(t->message, "     got: \"GET / HTTP/1.1\\nHost");
    }
    cleanup(&r);
}

#if defined(__SANITIZE_ADDRESS__)
#define ENGINE_SEGV "the sanitizer found" /* ASan reports the bad pointer */
#else
#define ENGINE_SEGV "SIGSEGV"
#endif

SL_TEST_TIMEOUT(engine_crash_names_signal, 1, ENGINE_TIMEOUT_MS,
                "A test killed by a signal is a crash, with the signal's name.")
{
    fixture_run_t r;
    const res_test_t *t = one("crashes", &r);
    if (t) {
        EXPECT_STATUS(t, RES_CRASH);
        EXPECT_CONTAINS(t->message, ENGINE_SEGV);
    }
    cleanup(&r);
    if ((t = one("aborts", &r))) {
        EXPECT_STATUS(t, RES_CRASH);
        EXPECT_CONTAINS(t->message, "SIGABRT");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_hang_killed_within_a_second, 1, ENGINE_TIMEOUT_MS,
                "A test that sleeps for ever is killed at its timeout (0.5 s) plus at most 1 s.")
{
    fixture_run_t r;
    const res_test_t *t = one("hangs", &r);
    if (t) {
        EXPECT_STATUS(t, RES_TIMEOUT);
        EXPECT_CONTAINS(t->message, "timed out");
        if (t->seconds > 1.5 || r.seconds > 1.5 + 1.0)
            SL_FAIL("took %.2f s (runner %.2f s) for a 0.5 s timeout", t->seconds, r.seconds);
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_busy_loop_times_out, 1, ENGINE_TIMEOUT_MS,
                "A test that burns CPU for ever is a timeout too.")
{
    fixture_run_t r;
    const res_test_t *t = one("spins", &r);
    if (t) {
        EXPECT_STATUS(t, RES_TIMEOUT);
        if (t->seconds > 1.5)
            SL_FAIL("took %.2f s for a 0.5 s timeout", t->seconds);
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_exit_zero_is_a_failure, 1, ENGINE_TIMEOUT_MS,
                "exit(0) from the code under test ends the body early: a failure.")
{
    fixture_run_t r;
    const res_test_t *t = one("exits_zero", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "did not finish: exit(0)");
    }
    cleanup(&r);
    if ((t = one("exits_after_failure", &r)))
        EXPECT_CONTAINS(t->message, "expected 2, got 1");
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_output_never_decides, 1, ENGINE_TIMEOUT_MS,
                "Printing what looks like a pass, then exit(0), is still a failure.")
{
    fixture_run_t r;
    const res_test_t *t = one("pretends_to_pass", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->output, "PASS");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_todo_is_not_implemented, 1, ENGINE_TIMEOUT_MS,
                "Reaching TODO() is 'not implemented: <function>', at once.")
{
    fixture_run_t r;
    const res_test_t *t = one("not_implemented", &r);
    if (t) {
        EXPECT_STATUS(t, RES_TODO);
        SL_ASSERT_STR_EQ(t->message, "not implemented: student_function");
        if (t->seconds > 0.5)
            SL_FAIL("took %.2f s; a TODO() must fail at once", t->seconds);
    }
    cleanup(&r);
}

/* Fails for every pid listed in dir/pids that is still alive. */
static int check_all_gone(const char *dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "r");
    int pid, count = 0;
    if (!f) {
        SL_FAIL("the fixture wrote no pid file %s", path);
        return 0;
    }
    while (fscanf(f, "%d", &pid) == 1) {
        count++;
        if (kill(pid, 0) == 0 || errno != ESRCH)
            SL_FAIL("process %d, started by the test, is still there", pid);
    }
    fclose(f);
    return count;
}

SL_TEST_TIMEOUT(engine_no_process_survives, 1, ENGINE_TIMEOUT_MS,
                "Children, and grandchildren that left the group, die with their "
                "own test: gone before the next test starts.")
{
    fixture_run_t r;
    const char *tests[] = {"leaves_grandchild", "checks_processes_gone", NULL};
    if (run_fixtures(tests, "1", &r) == 0 && r.res.ntests == 2) {
        EXPECT_STATUS(&r.res.tests[0], RES_PASS);
        EXPECT_STATUS(&r.res.tests[1], RES_PASS);
        SL_ASSERT_STR_EQ(r.res.tests[1].message, "");
        SL_ASSERT_INT_EQ(check_all_gone(r.dir), 3);
    } else {
        SL_FAIL("expected the results of 2 fixtures");
    }
    cleanup(&r);
}

SL_TEST_SOLO(engine_fork_loop_is_contained, 1, ENGINE_TIMEOUT_MS,
                "A fork loop hits the process limit, times out, and leaves nothing.")
{
    fixture_run_t r;
    const res_test_t *t = one("forks_many", &r);
    if (t) {
        EXPECT_STATUS(t, RES_TIMEOUT);
        int n = check_all_gone(r.dir);
        /* Root is exempt from RLIMIT_NPROC; the grader runs tests as nobody
         * then, so only a root runner that could not drop is unbounded. */
        if (geteuid() != 0 && n >= 4000)
            SL_FAIL("the process limit did not stop the fork loop (%d forks)", n);
    }
    cleanup(&r);
}

SL_TEST_SOLO(engine_shared_process_limit_is_fair, 1, ENGINE_TIMEOUT_MS,
             "When tests share a uid, a test whose fork failed because the test "
             "beside it used the process limit up is run again, alone.")
{
    fixture_run_t r;
    const char *tests[] = {"forks_many", "forks_once_later", NULL};
    /* Two at once, as one uid: the runner nested here is never root. */
    if (run_fixtures(tests, "2", &r) == 0 && r.res.ntests == 2) {
        EXPECT_STATUS(&r.res.tests[0], RES_TIMEOUT);
        EXPECT_STATUS(&r.res.tests[1], RES_PASS);
        check_all_gone(r.dir);
    } else {
        SL_FAIL("expected the results of 2 fixtures");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_forged_done_is_a_failure, 1, ENGINE_TIMEOUT_MS,
                "A 'done' record written by the code under test does not count.")
{
    fixture_run_t r;
    const res_test_t *t = one("forges_done", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "did not finish");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_test_inherits_no_descriptor, 1, ENGINE_TIMEOUT_MS,
                "A test sees only stdin, stdout, stderr and its result pipe.")
{
    fixture_run_t r;
    const res_test_t *t = one("sees_few_descriptors", &r);
    if (t)
        EXPECT_STATUS(t, RES_PASS);
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_many_failures_counted, 1, ENGINE_TIMEOUT_MS,
                "200 long failures: the first is shown, the rest counted, and the "
                "test still counts as finished.")
{
    fixture_run_t r;
    const res_test_t *t = one("fails_many_times", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "failure 0: yyy");
        EXPECT_CONTAINS(t->message, "(and 199 more failed checks)");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_failure_before_todo_shown, 1, ENGINE_TIMEOUT_MS,
                "A check that failed before a TODO() is the verdict, not the TODO.")
{
    fixture_run_t r;
    const res_test_t *t = one("fails_then_todo", &r);
    if (t) {
        EXPECT_STATUS(t, RES_FAIL);
        EXPECT_CONTAINS(t->message, "expected 4, got 3");
        EXPECT_CONTAINS(t->message, "(then: not implemented: student_function)");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_unknown_test_is_an_error, 1, ENGINE_TIMEOUT_MS,
                "-t with a name no test has: exit status 2, not an empty pass.")
{
    char bin[PATH_MAX];
    sibling("fixtures", bin, sizeof bin);
    char *argv[] = {bin, "-t", "no_such_test", "-o", "/dev/null", NULL};
    int st = run(argv, "/dev/null");
    SL_ASSERT_INT_EQ(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 2);
}

/* Starts the fixture runner on hangs_long, sends it sig once the test has
 * started its grandchild, and checks the runner dies of sig and leaves
 * nothing behind. */
static void interrupt_with(int sig)
{
    fixture_run_t r;
    char bin[PATH_MAX], pids[160];
    memset(&r, 0, sizeof r);
    snprintf(r.dir, sizeof r.dir, "/tmp/sl-selftest-XXXXXX");
    if (!mkdtemp(r.dir))
        SL_FAIL_FATAL("mkdtemp: %s", strerror(errno));
    chmod(r.dir, 0777);
    snprintf(pids, sizeof pids, "%s/pids", r.dir);
    setenv("FIXTURE_DIR", r.dir, 1);
    sibling("fixtures", bin, sizeof bin);
    char *argv[] = {bin, "-t", "hangs_long", "-o", "/dev/null", NULL};
    pid_t pid;
    posix_spawn(&pid, bin, NULL, NULL, argv, environ);
    struct stat st;
    for (int i = 0; i < 200 && (stat(pids, &st) < 0 || st.st_size == 0); i++)
        usleep(10 * 1000);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        SL_FAIL("the runner should die of signal %d, got wait status %d", sig, status);
    SL_ASSERT_INT_EQ(check_all_gone(r.dir), 1);
    cleanup(&r);
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
    fixture_run_t r;
    const res_test_t *t = one("floods_output", &r);
    if (t) {
        size_t len = strlen(t->output);
        if (len > 4096 + 64)
            SL_FAIL("kept %zu bytes of output", len);
        EXPECT_CONTAINS(t->output, "earlier bytes not shown");
        const char *end = "the last line\n";
        if (len < strlen(end) || strcmp(t->output + len - strlen(end), end) != 0)
            SL_FAIL("the output does not end with the last line printed");
    }
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_bad_bytes_become_text, 1, ENGINE_TIMEOUT_MS,
                "Invalid UTF-8 and control bytes in output come back as \\xNN; valid UTF-8 stays.")
{
    fixture_run_t r;
    const res_test_t *t = one("prints_bad_bytes", &r);
    if (t) {
        EXPECT_CONTAINS(t->output, "ok \\xff\\xfe \\x01\\x1b[31m <tag>");
        EXPECT_CONTAINS(t->output, "\xc3\xa9");
        EXPECT_CONTAINS(t->output, "\\x00nul");
        EXPECT_CONTAINS(t->message, "bad bytes: \\xff <&>");
    }
    cleanup(&r);
}

/* Runs sl-report on a run's results; returns its exit status. */
static int report(const fixture_run_t *r, const char *format, const char *out)
{
    char bin[PATH_MAX], log[128];
    sibling("sl-report", bin, sizeof bin);
    snprintf(log, sizeof log, "%s/report.log", r->dir);
    char *argv[] = {bin, "--format", (char *)format, "--out", (char *)out,
                    (char *)r->json, NULL};
    int st = run(argv, log);
    if (!WIFEXITED(st))
        SL_FAIL("%s --format %s: wait status %d", bin, format, st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

SL_TEST_TIMEOUT(engine_results_json_totals, 2, ENGINE_TIMEOUT_MS,
                "results.json parses, and its score and max_score are the sums of the tests.")
{
    fixture_run_t r;
    char out[128];
    if (run_fixture(NULL, &r) == 0) {
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
    cleanup(&r);
}

SL_TEST_TIMEOUT(engine_junit_is_well_formed, 2, ENGINE_TIMEOUT_MS,
                "The JUnit report of every kind of verdict, nasty output included, passes xmllint.")
{
    fixture_run_t r;
    char out[128], log[128];
    if (access("/usr/bin/xmllint", X_OK) != 0) {
        SL_FAIL("xmllint is missing: sudo apt-get install -y libxml2-utils");
        return;
    }
    if (run_fixture(NULL, &r) == 0) {
        snprintf(out, sizeof out, "%s/junit.xml", r.dir);
        snprintf(log, sizeof log, "%s/xmllint.log", r.dir);
        SL_ASSERT_INT_EQ(report(&r, "junit", out), 0);
        char *argv[] = {"/usr/bin/xmllint", "--noout", out, NULL};
        int st = run(argv, log);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            SL_FAIL("xmllint rejects %s (see %s)", out, log);
    }
    cleanup(&r);
}
