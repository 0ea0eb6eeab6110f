/* Task 3: the poll and epoll backends (backend_poll.c, backend_epoll.c):
 * what each kernel says, turned into fired events. Stamped for select
 * too, the given example: its tests pass once the core (Task 1) does. */
#include "libutil.h"

#include <sys/time.h>

SL_TASK(3, "The poll and epoll backends");

static void drop_on_nval(el_loop_t *loop, int fd, void *data, int mask)
{
    rt_record(loop, fd, data, mask);
    el_del(loop, fd, EL_READABLE | EL_WRITABLE);
}

RT_BACKENDS(backend_hangup_is_readable, 3, 0,
            "A pipe whose writer closed, with nothing in it, says only POLLHUP (EPOLLHUP): no "
            "POLLIN. Report POLLHUP and POLLERR as readable and writable (ae_epoll.c does), "
            "so the callback's read() sees the end (0); else the descriptor is never served.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    int p[2];

    SL_REQUIRE_OK(pipe(p));
    rt_nonblock(p[0]);
    SL_REQUIRE_OK(el_add(loop, p[0], EL_READABLE, rt_record, NULL));
    close(p[1]);
    rt_nseen = 0;
    RT_ROUND(loop, 500);
    SL_HINT("HUP not handled: the kernel said POLLHUP (EPOLLHUP) alone for the pipe, and no "
            "read callback was called. POLLHUP, POLLERR (and POLLNVAL) are EL_READABLE | "
            "EL_WRITABLE.")
    {
        SL_CHECK_INT("read callbacks of a pipe whose writer closed", rt_count(p[0], EL_READABLE),
                     1);
    }
    el_free(loop);
    close(p[0]);
}

RT_BACKENDS(backend_error_is_writable, 3, 0,
            "A full pipe whose reader closed says only POLLERR (EPOLLERR): no POLLOUT. Report "
            "it as writable (and readable), so the write callback's write() sees EPIPE.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    char junk[4096];
    int p[2];

    memset(junk, 'j', sizeof junk);
    SL_REQUIRE_OK(pipe(p));
    rt_nonblock(p[1]);
    while (write(p[1], junk, sizeof junk) > 0)
        ;
    SL_REQUIRE_OK(el_add(loop, p[1], EL_WRITABLE, rt_record, NULL));
    close(p[0]);
    rt_nseen = 0;
    RT_ROUND(loop, 500);
    if (strcmp(backend, "select") == 0 && rt_count(p[1], EL_WRITABLE) == 0)
        sl_note("select() says writable for a pipe with no reader");
    SL_HINT("ERR not handled: the kernel said POLLERR (EPOLLERR) alone for the pipe, and no "
            "write callback was called. POLLERR is EL_WRITABLE | EL_READABLE.")
    {
        SL_CHECK_INT("write callbacks of a full pipe whose reader closed",
                     rt_count(p[1], EL_WRITABLE), 1);
    }
    el_free(loop);
    close(p[1]);
}

RT_BACKENDS(backend_hangup_and_error_reach_either_callback, 2, 0,
            "POLLHUP and POLLERR (EPOLLHUP, EPOLLERR) are both bits, readable *and* writable: a "
            "pipe's read end watched for writing only still gets its write callback when the "
            "writer closes (POLLHUP), and a full pipe's write end watched for reading only gets "
            "its read callback when the reader closes (POLLERR).")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    char junk[4096];
    int h[2], e[2];

    memset(junk, 'j', sizeof junk);
    SL_REQUIRE_OK(pipe(h));
    SL_REQUIRE_OK(pipe(e));
    rt_nonblock(e[1]);
    while (write(e[1], junk, sizeof junk) > 0)
        ;
    SL_REQUIRE_OK(el_add(loop, e[1], EL_READABLE, rt_record, NULL));
    close(e[0]);
    rt_nseen = 0;
    RT_ROUND(loop, 500);
    SL_HINT("ERR mapped to writable only: a full pipe whose reader closed says POLLERR "
            "(EPOLLERR) alone; watched for reading, its read callback must be called. POLLERR "
            "is EL_READABLE | EL_WRITABLE.")
    {
        SL_CHECK_INT("read callbacks of a pipe's write end (reader closed), watched for reading",
                     rt_count(e[1], EL_READABLE), 1);
    }
    el_del(loop, e[1], EL_READABLE);
    if (strcmp(backend, "select") != 0) {   /* select() has no hang-up in its write set */
        SL_REQUIRE_OK(el_add(loop, h[0], EL_WRITABLE, rt_record, NULL));
        close(h[1]);
        h[1] = -1;
        rt_nseen = 0;
        RT_ROUND(loop, 500);
        SL_HINT("HUP mapped to readable only: a pipe's read end whose writer closed says "
                "POLLHUP (EPOLLHUP) alone; watched for writing, its write callback must be "
                "called. POLLHUP is EL_READABLE | EL_WRITABLE.")
        {
            SL_CHECK_INT("write callbacks of a pipe's read end (writer closed), watched for "
                         "writing", rt_count(h[0], EL_WRITABLE), 1);
        }
    }
    el_free(loop);
    close(e[1]);
    close(h[0]);
    rt_close(&h[1]);
}

#define GROWN 50

RT_BACKENDS(backend_grows_with_the_loop, 3, 0,
            "A loop made for 4 descriptors grows as more are added: the backend's resize() "
            "must grow its own arrays too (poll's pollfd array; epoll's event array, which "
            "epoll_wait() fills up to maxevents), so that 50 descriptors ready at once are "
            "all served in one round, with no write past an array made for 4.")
{
    el_loop_t *loop = RT_LOOP(backend, 4);
    static int pairs[GROWN][2];

    for (int i = 0; i < GROWN; i++) {
        RT_PAIR(pairs[i]);
        SL_REQUIRE_OK(el_add(loop, pairs[i][0], EL_READABLE, rt_record, NULL));
        SL_REQUIRE(write(pairs[i][1], "x", 1), 1);
    }
    rt_nseen = 0;
    SL_HINT("The backend's arrays did not grow with the loop: resize() must make room for "
            "setsize descriptors (epoll: realloc() the events array to min(setsize, 1024) "
            "and give epoll_wait() that count as maxevents, never more than the array holds).")
    {
        RT_ROUND(loop, 1000);
        SL_CHECK_INT("callbacks in one round with 50 descriptors ready, in a loop made for 4",
                     rt_nseen, GROWN);
    }
    el_free(loop);
    for (int i = 0; i < GROWN; i++) {
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
}

SL_TEST(select_reports_descriptors_closed_before_del, 1,
        "A descriptor closed without el_del() makes select() fail whole with EBADF (poll() "
        "says POLLNVAL for that entry alone). The given select backend then finds the closed "
        "ones (fcntl(F_GETFD) fails with EBADF) and reports them readable and writable, as "
        "poll does: the round goes on, the callback's recv() sees EBADF and el_del()s it.")
{
    el_loop_t *loop = RT_LOOP("select", 16);
    int sv[2], other[2];

    RT_PAIR(sv);
    RT_PAIR(other);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, drop_on_nval, NULL));
    SL_REQUIRE_OK(el_add(loop, other[0], EL_READABLE, rt_record, NULL));
    close(sv[0]);   /* behind the loop's back */
    rt_nseen = 0;
    RT_ROUND(loop, 300);
    SL_CHECK_INT("read callbacks of a descriptor closed before el_del()",
                 rt_count(sv[0], EL_READABLE), 1);
    SL_REQUIRE(write(other[1], "x", 1), 1);
    rt_nseen = 0;
    RT_ROUND(loop, 300);
    SL_CHECK_INT("read callbacks of the other descriptor after the closed one was el_del()-ed",
                 rt_count(other[0], EL_READABLE), 1);
    el_free(loop);
    close(sv[1]);
    close(other[0]);
    close(other[1]);
}

static void on_alarm(int sig)
{
    (void)sig;
}

RT_BACKENDS(backend_eintr_means_no_events, 3, 0,
            "A signal that ends the wait makes select(), poll() and epoll_wait() fail with "
            "EINTR: that is no error, and no event. The backend's poll() returns 0, and "
            "el_process() returns 0 (not -1) at once.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    struct sigaction sa;
    struct itimerval it = {{0, 0}, {0, 50000}};
    int sv[2], n;
    double start;

    RT_PAIR(sv);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;   /* no SA_RESTART: the wait ends with EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, NULL));
    setitimer(ITIMER_REAL, &it, NULL);
    rt_nseen = 0;
    start = sl_now_ms();
    errno = 0;
    n = el_process(loop, 2000);
    SL_HINT("EINTR means no events: the backend's poll() returns 0 when errno is EINTR, and "
            "el_process() goes on (to the timers) and returns 0. Returning -1 stops a server "
            "at its first signal.")
    {
        SL_CHECK_INT("el_process(loop, 2000) interrupted by SIGALRM after 50 ms", n, 0);
    }
    SL_CHECK_INT("callbacks called after EINTR", rt_nseen, 0);
    if (sl_now_ms() - start > 1500)
        SL_FAIL("el_process() went on waiting after the signal (%.0f ms)", sl_now_ms() - start);
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}

RT_BACKENDS(backend_reports_only_what_is_wanted, 3, 0,
            "add() merges the new bits with what the descriptor is watched for "
            "(files[fd].mask still holds the old: epoll's MOD, not a second ADD); del() "
            "leaves what is not removed; an fd with no interest left is out of the set "
            "(epoll's DEL; poll's fd -1), and not reported even when it is ready.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    int sv[2];

    RT_PAIR(sv);
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, NULL));
    SL_HINT("Adding EL_WRITABLE to a descriptor watched for reading already failed: on epoll, "
            "it is EPOLL_CTL_MOD with both bits, as files[fd].mask is not EL_NONE.")
    {
        SL_REQUIRE_OK(el_add(loop, sv[0], EL_WRITABLE, rt_record, NULL));
    }
    el_del(loop, sv[0], EL_WRITABLE);
    rt_nseen = 0;
    RT_ROUND(loop, 500);
    SL_CHECK_INT("read callbacks after add both, del write", rt_count(sv[0], EL_READABLE), 1);
    SL_CHECK_INT("write callbacks after add both, del write", rt_count(sv[0], EL_WRITABLE), 0);
    el_del(loop, sv[0], EL_READABLE);
    rt_nseen = 0;
    SL_CHECK_INT("el_process(loop, 50) with the descriptor out of the set", RT_ROUND(loop, 50), 0);
    SL_HINT("After both bits are deleted, adding one again must work: on epoll the descriptor "
            "left the set (EPOLL_CTL_DEL), so it is EPOLL_CTL_ADD again.")
    {
        SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, NULL));
    }
    rt_nseen = 0;
    RT_ROUND(loop, 500);
    SL_CHECK_INT("read callbacks after a new el_add()", rt_count(sv[0], EL_READABLE), 1);
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}

#define MANY 1200   /* socket pairs: 2400 descriptors (select: fewer) */

RT_BACKENDS(backend_finds_the_few_ready_among_many, 3, 5000,
            "With hundreds of descriptors watched and three of them ready, the round calls "
            "exactly those three: the backend writes one fired entry per ready descriptor, "
            "with the descriptor (epoll: data.fd), and the fired array has room for them all.")
{
    int n = strcmp(backend, "select") == 0 ? 400 : MANY, pick[3];
    el_loop_t *loop = RT_LOOP(backend, 64);
    static int pairs[MANY][2];

    for (int i = 0; i < n; i++) {
        RT_PAIR(pairs[i]);
        SL_REQUIRE_OK(el_add(loop, pairs[i][0], EL_READABLE, rt_record, NULL));
    }
    pick[0] = 0;
    pick[1] = n / 2;
    pick[2] = n - 1;
    for (int k = 0; k < 3; k++)
        SL_REQUIRE(write(pairs[pick[k]][1], "x", 1), 1);
    rt_nseen = 0;
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("callbacks called with 3 of the descriptors ready", rt_nseen, 3);
    for (int k = 0; k < 3; k++)
        SL_CHECK_INT("read callbacks of a ready descriptor", rt_count(pairs[pick[k]][0],
                                                                      EL_READABLE), 1);
    el_free(loop);
    for (int i = 0; i < n; i++) {
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
}

SL_TEST(poll_nval_is_readable, 2,
        "A descriptor closed without el_del() stays in poll()'s array, which says POLLNVAL "
        "for it every round. Report it as readable (and writable): the callback's recv() "
        "fails with EBADF and the owner el_del()s it. Ignored, it makes every poll() return "
        "at once: the loop spins.")
{
    el_loop_t *loop = RT_LOOP("poll", 16);
    int sv[2];

    RT_PAIR(sv);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, drop_on_nval, NULL));
    close(sv[0]);   /* behind the loop's back */
    rt_nseen = 0;
    RT_ROUND(loop, 300);
    SL_CHECK_INT("read callbacks of a descriptor closed behind the loop's back",
                 rt_count(sv[0], EL_READABLE), 1);
    SL_CHECK_INT("rounds that said something after el_del()", RT_ROUND(loop, 50), 0);
    el_free(loop);
    close(sv[1]);
}
