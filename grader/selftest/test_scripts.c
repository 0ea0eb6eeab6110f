/* test_scripts.c - self-tests of the make targets' own words: an unknown
 * variable on make's command line, and what make watch says it watches.
 * They run make and the scripts from the project's root (the tests' working
 * folder), with SAN given so that make writes nothing. */
#include "sl_test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Writes text into dir/name (mode 0755 when exec); 0 or -1. */
static int sc_write(const char *dir, const char *name, const char *text, int exec)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 && (!exec || chmod(path, 0755) == 0) ? 0 : -1;
}

/* A make that notes each call, and the BUILD make would use there (the
 * command line's over the environment's), in make.log beside it. */
static const char sc_fake_make[] =
    "#!/bin/sh\n"
    "b=${BUILD:-build}\n"
    "for a; do case $a in BUILD=*) b=${a#BUILD=};; esac; done\n"
    "echo \"make $2 (BUILD $b)\" >>\"$(dirname \"$0\")/make.log\"\n";

SL_TEST_TIMEOUT(dist_check_builds_in_handouts_folder, 1, 20000,
                "dist.sh --check grades the unpacked hand-out in its own build/ and reads "
                "its results there, whatever BUILD the caller has (make test "
                "BUILD=build-x).")
{
    char dir[] = "/tmp/sl-dist-XXXXXX", path[600], tgz[600], make[600], env_make[640],
         env_build[640], out[SC_OUT], log[1024] = "";
    if (!mkdtemp(dir))
        SL_FAIL_FATAL("mkdtemp: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/socklab/skeletons/01-x", dir);
    char *mk[] = {"mkdir", "-p", path, NULL};
    sc_run(mk, NULL, out);
    snprintf(path, sizeof path, "%s/socklab/skeletons/01-x", dir);
    SL_ASSERT_INT_EQ_FATAL(sc_write(path, "a.c", "int x;\n", 0), 0);
    SL_ASSERT_INT_EQ_FATAL(sc_write(dir, "fake-make", sc_fake_make, 1), 0);
    snprintf(tgz, sizeof tgz, "%s/h.tar.gz", dir);
    char *tar[] = {"tar", "-C", dir, "-czf", tgz, "socklab", NULL};
    SL_ASSERT_INT_EQ_FATAL(sc_run(tar, NULL, out), 0);
    snprintf(make, sizeof make, "%s/fake-make", dir);
    snprintf(env_make, sizeof env_make, "MAKE=%s", make);
    snprintf(env_build, sizeof env_build, "BUILD=%s/build-x", dir);
    const char *env[] = {env_make, env_build, NULL};
    char *argv[] = {"grader/scripts/dist.sh", "--check-only", tgz, NULL};
    sc_run(argv, env, out);
    snprintf(path, sizeof path, "%s/make.log", dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(log, 1, sizeof log - 1, f) : 0;
    log[n] = '\0';
    if (f)
        fclose(f);
    SL_CHECK_STR("the hand-out's make calls", log,
                 "make grade (BUILD build)\nmake grade (BUILD build)\n");
    if (!strstr(out, "/socklab/build/skeletons/results/01-x.json"))
        SL_FAIL("expected dist.sh to read the hand-out's build/skeletons/results, it said: "
                "%.400s", out);
    char *rm[] = {"rm", "-rf", dir, NULL};
    sc_run(rm, NULL, out);
}
