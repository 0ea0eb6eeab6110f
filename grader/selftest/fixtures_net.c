/* fixtures_net.c - pretend tests of programs (SL_TASK_PROGRAMS), for the
 * reruns of failed network tests: one that fails every time, one that
 * fails only on its first run (it counts its runs in $FIXTURE_DIR). */
#include "sl_test.h"

#include <stdio.h>
#include <stdlib.h>

SL_TASK_PROGRAMS(2, "fixtures: tests of programs");

SL_TEST(fails_every_run, 1, "fixture: a program test that always fails")
{
    SL_FAIL("the answer was wrong, as every time");
}

SL_TEST(fails_first_run, 1, "fixture: a program test that fails only the first time")
{
    const char *dir = getenv("FIXTURE_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/fails_first_run", dir ? dir : "/tmp");
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        return;
    }
    f = fopen(path, "w");
    if (f)
        fclose(f);
    SL_FAIL("lost a race, this once");
}
