/* test_scripts.c - self-tests of the make targets' own words: an unknown
 * variable on make's command line, and what make watch says it watches.
 * They run make and the scripts from the project's root (the tests' working
 * folder), with SAN given so that make writes nothing. */
#include "sl_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

SL_TASK(9, "the make targets and scripts");

#define SC_OUT 8192

/* Runs argv (NULL-terminated) with env (NULL-terminated "NAME=value", set
 * in the child), its stdout and stderr both in out; its wait status. */
static int sc_run(char *const argv[], const char *const env[], char out[SC_OUT])
{
    int fds[2];
    out[0] = '\0';
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        /* not the make that runs make test: its jobserver and variables */
        unsetenv("MAKEFLAGS"), unsetenv("MAKELEVEL"), unsetenv("MFLAGS");
        unsetenv("MAKEOVERRIDES"), unsetenv("GNUMAKEFLAGS");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < SC_OUT && (r = read(fds[0], out + n, SC_OUT - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(fds[0]);
    int st = -1;
    if (pid > 0)
        waitpid(pid, &st, 0);
    return st;
}

#define SC_OPTIONS "options are LESSON IMPL FORMAT OUT JOBS SAN V NO_COLOR BIGENDIAN EXPECT " \
                   "HIDDEN SUBMISSIONS TIMEOUT KEEP CONFIRM BUILD CC\n"

SL_TEST_TIMEOUT(make_refuses_unknown_variable, 1, 20000,
                "A variable make does not know on its command line (a typo: LESON=02) "
                "stops every target with one line naming it, the option meant, and "
                "the options there are; it never grades every lesson instead.")
{
    static const struct {
        const char *target, *var, *want;
    } cases[] = {
        {"grade", "LESON=02", "socklab: unknown option LESON=02 (did you mean LESSON?); "
                              SC_OPTIONS},
        {"hint", "lesson=02", "socklab: unknown option lesson=02 (did you mean LESSON?); "
                              SC_OPTIONS},
        {"test", "IMPLE=solutions", "socklab: unknown option IMPLE=solutions (did you mean "
                                    "IMPL?); " SC_OPTIONS},
        {"help", "WHATEVER=1", "socklab: unknown option WHATEVER=1; " SC_OPTIONS},
    };
    char out[SC_OUT];
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        char *argv[] = {"make", "-s", "--no-print-directory", (char *)cases[i].target,
                        "SAN=none", (char *)cases[i].var, NULL};
        int st = sc_run(argv, NULL, out);
        char what[96];
        snprintf(what, sizeof what, "make %s %s", cases[i].target, cases[i].var);
        SL_CHECK_STR(what, out, cases[i].want);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            SL_FAIL("%s: exit status 0, expected a failure", what);
    }
}

SL_TEST_TIMEOUT(make_accepts_its_options, 1, 20000,
                "Every option of make help and the README, and those the scripts pass "
                "make internally, are accepted.")
{
    char *argv[] = {"make", "-s", "--no-print-directory", "help", "SAN=none", "LESSON=01",
                    "IMPL=skeletons", "FORMAT=json", "OUT=/dev/null", "JOBS=2", "V=1",
                    "NO_COLOR=1", "BIGENDIAN=", "EXPECT=full", "HIDDEN=hidden",
                    "SUBMISSIONS=x", "TIMEOUT=9", "KEEP=1", "CONFIRM=yes", "QUIET=1",
                    "MAX_MB=5", "QUICK=1", "CI=1", "SOCKLAB_JOBS=1", NULL};
    char out[SC_OUT];
    int st = sc_run(argv, NULL, out);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || strstr(out, "unknown option"))
        SL_FAIL("make help with every option: wait status %d, said: %.300s", st, out);
}

SL_TEST(watch_names_what_it_watches, 1,
        "make watch names the folders a grading of IMPL reads: the student's and the "
        "lessons' (only the lesson's own when one is named), the grader only for "
        "IMPL=solutions.")
{
    static const struct {
        const char *env[4], *want;
    } cases[] = {
        {{"IMPL=skeletons", "LESSONS=02-lookup", "ALL_LESSONS=", NULL},
         "skeletons/02-lookup lessons/02-lookup\n"},
        {{"IMPL=skeletons", "LESSONS=01-addressing 02-lookup", "ALL_LESSONS=all", NULL},
         "skeletons lessons\n"},
        {{"IMPL=solutions", "LESSONS=01-addressing", "ALL_LESSONS=", NULL},
         "solutions/01-addressing lessons/01-addressing grader\n"},
    };
    char out[SC_OUT];
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        char *argv[] = {"grader/scripts/watch.sh", "--dirs", NULL};
        sc_run(argv, cases[i].env, out);
        SL_CHECK_STR(cases[i].env[0], out, cases[i].want);
    }
}
