/* test_tsan.c - self-tests: a ThreadSanitizer report (SAN=thread) becomes
 * a verdict that names the race and the student's function and line, as
 * the other sanitizers' reports do. The reports are canned: what gcc 12's
 * and clang 14's ThreadSanitizer print. */
#include "hints.h"
#include "sanitizer.h"
#include "sl_test.h"

#include <string.h>

SL_TASK(5, "sanitizer verdicts and limits");

static const char race[] =
    "listening on 127.0.0.1:4000\n"
    "==================\n"
    "WARNING: ThreadSanitizer: data race (pid=22103)\n"
    "  Read of size 4 at 0x560ec717005c by thread T2:\n"
    "    #0 srv_count_connection /work/main/skeletons/06-concurrency/counter.c:31 "
    "(thread-echo-server+0x11e9)\n"
    "    #1 handle /work/main/skeletons/06-concurrency/thread.c:12:5 (thread-echo-server+0x1300)\n"
    "    #2 <null> <null> (libtsan.so.2+0x3f3d0)\n"
    "\n"
    "  Previous write of size 4 at 0x560ec717005c by thread T1:\n"
    "    #0 srv_count_connection /work/main/skeletons/06-concurrency/counter.c:31 "
    "(thread-echo-server+0x1201)\n"
    "\n"
    "SUMMARY: ThreadSanitizer: data race /work/main/skeletons/06-concurrency/counter.c:31 in "
    "srv_count_connection\n"
    "==================\n";

SL_TEST(tsan_race_names_the_function_and_line, 1,
        "A ThreadSanitizer data race is a verdict with its kind and the student's "
        "function and file:line, with no pid in it.")
{
    char line[512];

    SL_ASSERT_INT_EQ(san_summary(race, "skeletons/06-concurrency", "/work/main", line,
                                 sizeof line), 1);
    SL_ASSERT_STR_EQ(line, "ThreadSanitizer: data race, in srv_count_connection at "
                           "skeletons/06-concurrency/counter.c:31");
    SL_ASSERT_INT_EQ(san_report_start(race), (long)strlen("listening on 127.0.0.1:4000\n"));
}

static const char unlocked[] =
    "WARNING: ThreadSanitizer: unlock of an unlocked mutex (or by a wrong thread) "
    "(pid=7)\n"
    "    #0 pthread_mutex_unlock ../../../../src/libsanitizer/sanitizer_common/"
    "sanitizer_common_interceptors.inc:4324 (libtsan.so.2+0x40f2e)\n"
    "    #1 pool_push /w/solutions/06-concurrency/pool.c:88:9 (pool-echo-server+0x2b1c)\n";

SL_TEST(tsan_skips_the_runtime_frames, 1,
        "ThreadSanitizer's own frames (its interceptors) are passed over: the frame "
        "named is the student's.")
{
    char line[512];

    SL_ASSERT_INT_EQ(san_summary(unlocked, "solutions/06-concurrency", "/w", line, sizeof line),
                     1);
    SL_ASSERT_STR_EQ(line, "ThreadSanitizer: unlock of an unlocked mutex (or by a wrong "
                           "thread), in pool_push at solutions/06-concurrency/pool.c:88");
}

SL_TEST(tsan_findings_have_hints, 1,
        "ThreadSanitizer's findings get a kind and a hint of their own: a data race, a "
        "call a signal handler may not make.")
{
    SL_ASSERT_STR_EQ(hint_finding_kind("ThreadSanitizer: data race, in f at x.c:3"),
                     "data-race");
    SL_ASSERT_STR_EQ(hint_finding_kind("ThreadSanitizer: signal-unsafe call inside of a "
                                       "signal, in on_sigchld at x.c:44"), "signal-unsafe");
    const char *h = hint_for_finding("signal-unsafe");
    if (!h || !strstr(h, "signal-safety(7)"))
        SL_FAIL("the signal-unsafe hint does not point at signal-safety(7): %s", h ? h : "(none)");
}
