/* libutil.h - helpers of the tests that call the reactor in the test
 * process (Tasks 1 to 5): a loop for the test, callbacks that record what
 * they were called with, and rounds whose failure ends the test. */
#ifndef LIBUTIL_H
#define LIBUTIL_H

#include "reactor.h"
#include "rtest.h"
#include "todo.h"

#include <setjmp.h>

/* What the recording callbacks saw, in order. */
typedef struct rt_event {
    int fd, mask;
    void *data;
} rt_event_t;

static rt_event_t rt_seen[256];
static int rt_nseen;

static inline void rt_record(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)loop;
    if (rt_nseen < (int)SL_COUNT(rt_seen))
        rt_seen[rt_nseen] = (rt_event_t){fd, mask, data};
    rt_nseen++;
}

/* How many times fd's callback saw mask. */
static inline int rt_count(int fd, int mask)
{
    int n = 0;

    for (int i = 0; i < rt_nseen && i < (int)SL_COUNT(rt_seen); i++)
        if (rt_seen[i].fd == fd && rt_seen[i].mask == mask)
            n++;
    return n;
}

static inline el_loop_t *rt_loop_at(const char *backend, int setsize, const char *file,
                                    int line)
{
    el_loop_t *loop;

    errno = 0;
    loop = el_create(backend, setsize);
    if (loop == NULL)
        sl_fail_errno_at(file, line, 1, errno, "el_create(\"%s\", %d) returned NULL", backend,
                         setsize);
    if (loop->backend == NULL || strcmp(loop->backend->name, backend) != 0) {
        const char *got = loop->backend != NULL ? loop->backend->name : "(none)";

        sl_fail_at(file, line, 1, "el_create(\"%s\", %d) made a loop on the backend \"%s\": "
                   "take the one el_backend_named(name) returns", backend, setsize, got);
    }
    return loop;
}
#define RT_LOOP(backend, setsize) rt_loop_at((backend), (setsize), __FILE__, __LINE__)

static inline jmp_buf *rt_todo_jump(void)
{
    static jmp_buf jump;

    return &jump;
}

static inline void rt_todo_caught(const char *func)
{
    (void)func;
    longjmp(*rt_todo_jump(), 1);
}

static inline void rt_probe_fired(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)loop;
    (void)fd;
    (void)mask;
    *(int *)data = 1;
}

/* Does the loop, on select, call back a readable descriptor? A TODO()
 * met on the way says no (the test's body meets it again). */
static inline int rt_select_works(void)
{
    void (*was)(const char *) = sl_todo_hook;
    static volatile int fired;
    static el_loop_t *volatile loop;
    int sv[2] = {-1, -1};

    fired = 0;
    loop = NULL;
    sl_todo_hook = rt_todo_caught;
    if (setjmp(*rt_todo_jump()) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 &&
        write(sv[1], "x", 1) == 1 && (loop = el_create("select", 16)) != NULL &&
        el_add(loop, sv[0], EL_READABLE, rt_probe_fired, (void *)&fired) == 0)
        (void)el_process(loop, 100);
    if (loop != NULL && setjmp(*rt_todo_jump()) == 0)
        el_free(loop);
    sl_todo_hook = was;
    if (sv[0] >= 0) {
        close(sv[0]);
        close(sv[1]);
    }
    return fired;
}

/* What a TODO() did before rt_todo_in_backend() took the hook. */
static void (*rt_todo_was)(const char *);

/* A TODO() met in a _poll or _epoll test while the loop works on select:
 * one of the backend's functions (poll_..., epoll_...) is Task 3's, not
 * the task of the test that met it; said so, as a failure (the grader
 * gives a bare "not implemented" the test's own hint, here the loop's),
 * then the TODO() goes on as it would have. */
static inline void rt_todo_in_backend(const char *func)
{
    if (strncmp(func, "poll_", 5) == 0 || strncmp(func, "epoll_", 6) == 0) {
        const char *file = func[0] == 'e' ? "backend_epoll.c" : "backend_poll.c";

        sl_hint_set("Needs Task 3 (backend_poll.c / backend_epoll.c): the _poll and _epoll "
                    "versions of a test run the loop on those backends, and one of their "
                    "functions is still a TODO(). The _select versions test the loop alone, "
                    "on the given backend: finish those first (Tasks 1 and 2), then Task 3.");
        sl_fail_at(__FILE__, __LINE__, 0, "needs Task 3: %s() in %s is not implemented yet "
                   "(the loop works on select; this test runs it on %s)", func, file,
                   func[0] == 'e' ? "epoll" : "poll");
    }
    if (rt_todo_was != NULL)
        rt_todo_was(func);
}

/* The hint of a _poll or _epoll test, its note on Task 3 included, when
 * the loop works on select: a failure there is the backend's, and so is
 * a TODO() of the backend's (rt_todo_in_backend()). */
static inline void rt_hint_if_select_works(const char *hint)
{
    if (rt_select_works()) {
        sl_hint_set(hint);
        if (sl_todo_hook != rt_todo_in_backend) {
            rt_todo_was = sl_todo_hook;
            sl_todo_hook = rt_todo_in_backend;
        }
    }
}

/* One round that must not fail: el_process()'s count. */
static inline int rt_round_at(el_loop_t *loop, int timeout_ms, const char *file, int line)
{
    int n;

    errno = 0;
    n = el_process(loop, timeout_ms);
    if (n < 0) {
        int err = errno;

        sl_fail_errno_at(file, line, 1, err, "el_process(loop on %s, %d) returned -1 with errno "
                         "%s (%s)%s", loop->backend->name, timeout_ms, sl_errno_name(err),
                         strerror(err), err == EBADF ? ": a descriptor closed before el_del()? "
                         "The round must go on (poll says POLLNVAL, select fails whole: its "
                         "backend then reports the closed ones)" : "");
    }
    return n;
}
#define RT_ROUND(loop, ms) rt_round_at((loop), (ms), __FILE__, __LINE__)

/* Rounds of at most 10 ms until *flag is set or ms have passed: 1 if set. */
static inline int rt_until(el_loop_t *loop, const int *flag, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);

    while (!*flag && sl_now_ms() < end)
        RT_ROUND(loop, 10);
    return *flag != 0;
}

/* Rounds for ms, whatever happens. */
static inline void rt_pump(el_loop_t *loop, int ms)
{
    double end = sl_now_ms() + ms;

    while (sl_now_ms() < end)
        RT_ROUND(loop, 5);
}

#endif
