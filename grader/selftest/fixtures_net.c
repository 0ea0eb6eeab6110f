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

/* Notes one run of test name in $FIXTURE_DIR/name.runs. */
static void count_run(const char *name)
{
    const char *dir = getenv("FIXTURE_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s.runs", dir ? dir : "/tmp", name);
    FILE *f = fopen(path, "a");
    if (f) {
        fputs("run\n", f);
        fclose(f);
    }
}

/* The harness's words for a server whose `listening on` never came, in
 * the test at line, for host. */
#define NO_LISTEN(name, host)                                                          \
    do {                                                                               \
        count_run(name);                                                               \
        SL_FAIL("fx-server printed no line 'listening on ADDR:PORT' within 3000 ms "   \
                "(print it, then fflush(stdout), once the socket listens); asked for " \
                "%s:%d", host, 40000 + __LINE__);                                      \
    } while (0)

SL_TEST(no_listen_a, 1, "fixture: Echo bytes, not strings (a hint about something else)")
{
    NO_LISTEN("no_listen_a", "127.0.0.1");
}

SL_TEST(no_listen_b, 1, "fixture: Through a lossy relay (another hint about something else)")
{
    NO_LISTEN("no_listen_b", "::1");
}

SL_TEST(no_listen_c, 1, "fixture: Survive junk (a third)")
{
    NO_LISTEN("no_listen_c", "127.0.0.1");
}

SL_TEST(exits_before_listening, 1, "fixture: a server that exits before it listens")
{
    count_run("exits_before_listening");
    SL_FAIL("fx-server exited with status 1 before listening: fx-server: bind: Permission "
            "denied");
}
