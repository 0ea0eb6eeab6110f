/* test_sandbox.c - self-tests: where namespaces are available each test
 * has its own PID and network namespace (only loopback, up); with
 * SOCKLAB_SANDBOX=basic the verdicts and the clean-up still hold. */
#include "engine_run.h"
#include "sl_test.h"

#include <string.h>

SL_TASK(6, "the sandbox");

SL_TEST_TIMEOUT(sandbox_namespaces_where_available, 2, ER_TIMEOUT_MS,
                "With namespaces a test sees only loopback, up, and its parent is "
                "pid 1 (its supervisor); with SOCKLAB_SANDBOX=basic it sees neither.")
{
    const char *only[] = {"sees_only_loopback", "runs_in_pid_namespace", NULL};
    int ns = er_namespaces();
    er_run_t r;
    er_what_t w = {.tests = "fixtures", .only = only};
    if (er_grade(&w, &r) == 0 && r.res.ntests == 2) {
        ER_STATUS(&r.res.tests[0], ns ? RES_PASS : RES_FAIL);
        ER_STATUS(&r.res.tests[1], ns ? RES_PASS : RES_FAIL);
    }
    er_cleanup(&r);
    w.sandbox = "basic";
    if (er_grade(&w, &r) == 0 && r.res.ntests == 2)
        ER_STATUS(&r.res.tests[1], RES_FAIL);
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sandbox_basic_keeps_verdicts, 2, ER_TIMEOUT_MS,
                "Without namespaces: a hang is a timeout, a crash a crash, and an "
                "escaped grandchild is gone before the next test starts.")
{
    const char *only[] = {"hangs", "aborts", "leaves_grandchild", "checks_processes_gone", NULL};
    er_run_t r;
    er_what_t w = {.tests = "fixtures", .only = only, .jobs = "1", .sandbox = "basic"};
    if (er_grade(&w, &r) == 0 && r.res.ntests == 4) {
        const res_test_t *t;
        if ((t = er_test(&r, "hangs")))
            ER_STATUS(t, RES_TIMEOUT);
        if ((t = er_test(&r, "aborts")))
            ER_STATUS(t, RES_CRASH);
        if ((t = er_test(&r, "leaves_grandchild")))
            ER_STATUS(t, RES_PASS);
        if ((t = er_test(&r, "checks_processes_gone")))
            ER_STATUS(t, RES_PASS);
        if (er_all_gone(r.dir) != 3)
            SL_FAIL("expected 3 pids noted by leaves_grandchild");
    }
    er_cleanup(&r);
}

SL_TEST_TIMEOUT(sandbox_files_read_only, 1, ER_TIMEOUT_MS,
                "Where files can be isolated, a test writes only in a /tmp of its "
                "own: the tree is read-only (EROFS) and solutions/ is hidden.")
{
    const char *only[] = {"sees_files_read_only", NULL};
    er_run_t r;
    er_what_t w = {.tests = "fixtures", .only = only};
    if (er_grade(&w, &r) == 0 && r.res.ntests == 1)
        ER_STATUS(&r.res.tests[0], er_files_isolated() ? RES_PASS : RES_FAIL);
    er_cleanup(&r);
}
