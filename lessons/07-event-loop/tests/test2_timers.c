/* Task 2: timers (loop.c): a list, as ae.c keeps it; the wait of a round
 * cut to the nearest; re-armed by what the callback returns. */
#include "libutil.h"

#include <sys/time.h>

SL_TASK(2, "Timers");

#include <limits.h>

typedef struct tick {
    int calls;
    int again;        /* what the callback returns */
    double at[16];    /* when it was called (sl_now_ms()) */
    long long kill;   /* a timer to delete when called, 0 if none; -2: itself */
} tick_t;

static int order[8], norder;

static int on_tick(el_loop_t *loop, long long id, void *data)
{
    tick_t *t = data;

    if (t->calls < 16)
        t->at[t->calls] = sl_now_ms();
    t->calls++;
    if (norder < 8)
        order[norder++] = (int)id;
    if (t->kill > 0)
        el_timer_del(loop, t->kill);
    if (t->kill == -2 && el_timer_del(loop, id) < 0)
        SL_FAIL("el_timer_del() of a timer from its own callback failed: %s", strerror(errno));
    return t->again;
}

RT_BACKENDS(timer_fires_once_when_due, 3, 0,
            "el_timer_add(loop, ms, proc, data) returns an id (1 or more) and calls proc once "
            "ms have passed: el_process() waits no longer than the nearest timer, then calls "
            "the timers that are due. A callback that returns EL_NOMORE is not called again.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t slow = {0, EL_NOMORE, {0}, 0}, fast = {0, EL_NOMORE, {0}, 0};
    double start = sl_now_ms();
    long long a, b;

    norder = 0;
    a = el_timer_add(loop, 80, on_tick, &slow);
    b = el_timer_add(loop, 20, on_tick, &fast);
    SL_CHECK_INT("el_timer_add() returns an id of 1 or more", a >= 1 && b >= 1 && a != b, 1);
    SL_ASSERT_FAILS_WITH(el_timer_add(loop, -1, on_tick, &fast), EINVAL);
    SL_ASSERT_FAILS_WITH(el_timer_add(loop, 5, NULL, &fast), EINVAL);
    while (slow.calls == 0 && sl_now_ms() - start < 1500) {
        SL_HINT("With no descriptor ready, el_process(loop, -1) must return when the nearest "
                "timer is due: it passes the backend the time left to it, not -1.")
        {
            RT_ROUND(loop, -1);
        }
    }
    SL_CHECK_INT("calls of a timer of 20 ms", fast.calls, 1);
    SL_CHECK_INT("calls of a timer of 80 ms", slow.calls, 1);
    if (fast.calls && slow.calls) {
        SL_CHECK_INT("the 20 ms timer came first", order[0] == (int)b, 1);
        if (fast.at[0] - start < 19 || slow.at[0] - start < 79)
            SL_FAIL("timers called early: %.0f ms and %.0f ms after they were added, for 20 "
                    "and 80", fast.at[0] - start, slow.at[0] - start);
    }
    rt_pump(loop, 120);
    SL_CHECK_INT("calls of a timer that returned EL_NOMORE, 120 ms later", fast.calls + slow.calls,
                 2);
    el_free(loop);
}

RT_BACKENDS(timer_rearmed_by_what_it_returns, 3, 0,
            "A timer callback that returns 20 is called again 20 ms later, and so on: set its "
            "when_ms to now + what it returned (the timer that sweeps idle connections runs "
            "for ever this way). A timer never re-armed is called once.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t t = {0, 20, {0}, 0};
    double start = sl_now_ms();

    SL_REQUIRE(el_timer_add(loop, 20, on_tick, &t) > 0, 1);
    while (sl_now_ms() - start < 230)
        RT_ROUND(loop, 100);   /* the timer cuts the wait to 20 ms */
    if (t.calls < 5) {
        SL_HINT("A timer never re-armed: it returned 20, so it should have been called every "
                "20 ms. Set its when_ms to now + what it returned (EL_NOMORE alone deletes it).")
        {
            if (t.calls == 1)
                SL_FAIL("a timer of 20 ms that returns 20 was called once in 230 ms: expected "
                        "about 10 (5 to 12)");
            else
                SL_FAIL("a timer of 20 ms that returns 20 was called %d times in 230 ms: "
                        "expected about 10 (5 to 12)", t.calls);
        }
    } else if (t.calls > 12) {
        SL_HINT("A timer called too often: after a call, it is due again at now + the ms it "
                "returned (when_ms must move forward), not at once nor every round.")
        {
            SL_FAIL("a timer of 20 ms that returns 20 was called %d times in 230 ms: expected "
                    "about 10 (5 to 12)", t.calls);
        }
    }
    el_free(loop);
}

RT_BACKENDS(timer_deletes_itself, 2, 0,
            "A timer may el_timer_del() itself from its own callback and return a period anyway: "
            "it is deleted (not re-armed, not called again) and freed after the walk, never "
            "inside el_timer_del(), for the walk still holds it. Any negative return is "
            "EL_NOMORE: a timer re-armed in the past would be due every round.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t self = {0, 20, {0}, -2}, neg = {0, -5, {0}, 0};

    SL_REQUIRE(el_timer_add(loop, 10, on_tick, &self) > 0, 1);
    SL_REQUIRE(el_timer_add(loop, 10, on_tick, &neg) > 0, 1);
    SL_HINT("A timer deleted itself in its callback: el_timer_del() must only mark it (id -1); "
            "el_process() frees it after the walk, and must not re-arm it by its return value.")
    {
        rt_pump(loop, 120);
        SL_CHECK_INT("calls of a timer that deleted itself and returned 20, in 120 ms",
                     self.calls, 1);
    }
    SL_HINT("A callback that returns a negative number other than EL_NOMORE (here -5) must be "
            "deleted too: re-armed at now - 5, it is due in every round, and the loop spins.")
    {
        SL_CHECK_INT("calls of a timer that returned -5, in 120 ms", neg.calls, 1);
    }
    el_free(loop);
}

static void stop_soon(int sig)
{
    (void)sig;
}

RT_BACKENDS(timer_far_in_the_future, 2, 0,
            "el_timer_add() takes 0 to INT_MAX ms (about 24.8 days, the most a callback can "
            "return): past that, EINVAL, for el_now_ms() + ms could overflow. A timer of INT_MAX "
            "ms cuts no wait short and breaks none: the wait is computed in long long and given "
            "to the backend as an int of at most INT_MAX.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t far = {0, EL_NOMORE, {0}, 0};
    struct sigaction sa;
    struct itimerval it = {{0, 0}, {0, 100000}};
    double start;
    int n;

    SL_HINT("A delay past INT_MAX ms is refused with EINVAL (el_now_ms() + LLONG_MAX overflows, "
            "and no callback can return more than INT_MAX anyway).")
    {
        SL_ASSERT_FAILS_WITH(el_timer_add(loop, (long long)INT_MAX + 1, on_tick, &far), EINVAL);
        SL_ASSERT_FAILS_WITH(el_timer_add(loop, LLONG_MAX, on_tick, &far), EINVAL);
    }
    SL_REQUIRE(el_timer_add(loop, INT_MAX, on_tick, &far) > 0, 1);
    start = sl_now_ms();
    SL_CHECK_INT("el_process(loop, 0) with a timer 24 days away", RT_ROUND(loop, 0), 0);
    SL_CHECK_INT("el_process(loop, 30) with a timer 24 days away", RT_ROUND(loop, 30), 0);
    if (sl_now_ms() - start < 25)
        SL_FAIL("el_process(loop, 30) returned after %.0f ms: a far timer must not shorten a "
                "wait", sl_now_ms() - start);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = stop_soon;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    start = sl_now_ms();
    n = RT_ROUND(loop, -1);   /* waits for the timer, till SIGALRM ends it */
    SL_CHECK_INT("el_process(loop, -1) ended by a signal, with a timer 24 days away", n, 0);
    SL_CHECK_INT("calls of the timer 24 days away", far.calls, 0);
    el_free(loop);
}

RT_BACKENDS(timer_deleted_is_not_called, 2, 0,
            "el_timer_del() deletes a timer at once: it is not called again, not even later in "
            "the same round when another timer's callback deleted it (mark it, as ae.c does, "
            "and free it after the round). A second el_timer_del(), or an id never given: "
            "ENOENT.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t first = {0, EL_NOMORE, {0}, 0}, second = {0, EL_NOMORE, {0}, 0},
           gone = {0, EL_NOMORE, {0}, 0};
    long long g = el_timer_add(loop, 10, on_tick, &gone), s;

    SL_REQUIRE_OK(el_timer_del(loop, g));
    SL_ASSERT_FAILS_WITH(el_timer_del(loop, g), ENOENT);
    SL_ASSERT_FAILS_WITH(el_timer_del(loop, 9999), ENOENT);
    s = el_timer_add(loop, 10, on_tick, &second);
    first.kill = s;
    second.kill = el_timer_add(loop, 10, on_tick, &first);
    SL_REQUIRE(second.kill > 0, 1);
    sl_note("two timers due in the same round; whichever runs first deletes the other");
    rt_pump(loop, 80);
    SL_CHECK_INT("calls of a timer deleted before it was due", gone.calls, 0);
    if (first.calls + second.calls != 1)
        SL_FAIL("timers A and B are due in the same round, and each deletes the other when "
                "called: A was called %d times, B %d times; expected one call in all",
                first.calls, second.calls);
    el_free(loop);
}

RT_BACKENDS(timer_beside_descriptors, 2, 0,
            "Timers and descriptors share the round: a readable descriptor is served at once "
            "even while a timer waits, and a timer is due on time even while descriptors keep "
            "the loop busy.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    tick_t t = {0, EL_NOMORE, {0}, 0};
    int sv[2];
    double start;

    RT_PAIR(sv);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_WRITABLE, rt_record, NULL));   /* always ready */
    SL_REQUIRE(el_timer_add(loop, 50, on_tick, &t) > 0, 1);
    start = sl_now_ms();
    while (t.calls == 0 && sl_now_ms() - start < 1000)
        RT_ROUND(loop, -1);
    SL_CHECK_INT("calls of a 50 ms timer while a descriptor is always writable", t.calls, 1);
    el_del(loop, sv[0], EL_WRITABLE);
    SL_REQUIRE(el_timer_add(loop, 2000, on_tick, &t) > 0, 1);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, NULL));
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    rt_nseen = 0;
    start = sl_now_ms();
    RT_ROUND(loop, -1);
    SL_CHECK_INT("read callbacks", rt_count(sv[0], EL_READABLE), 1);
    if (sl_now_ms() - start > 500)
        SL_FAIL("a readable descriptor waited %.0f ms for a timer of 2 s: the wait must end "
                "when a descriptor is ready", sl_now_ms() - start);
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}
