/* Task 1: the core of the loop (loop.c): interest per descriptor, the
 * rounds, and the dispatch that checks interest again after each callback.
 * Each test runs once per backend: select (given) shows whether the core
 * works; poll and epoll need Task 3 too. */
#include "libutil.h"

SL_TASK(1, "The loop: descriptors and dispatch");

SL_LESSON_SANITIZER_HINT("use-after-free",
                         "Memory used after it was freed. In an event loop: a fired event or a "
                         "&files[fd] kept across a callback that grew the loop (read "
                         "loop->fired[i] and take &files[fd] again after each callback), a "
                         "callback called for a "
                         "descriptor another callback closed (look at the interest again), a "
                         "transport's output buffer freed while a callback of the round still "
                         "uses it (doom the transport, and close it from the loop's timer of 0 "
                         "ms), a timer freed inside "
                         "el_timer_del() while el_process() walks the list (mark it: id -1), or a "
                         "descriptor closed (and "
                         "its data freed) while still registered: el_del() before close(). "
                         "use-after-poison, where free slots are poisoned: a pointer to a "
                         "protocol or transport kept after its connection_lost() (unlink it "
                         "there).");

RT_BACKENDS(loop_create_checks_its_arguments, 1, 0,
            "el_create() takes the backend el_backend_named(name) gives (ENOENT for a name "
            "it does not know), refuses a setsize below 1 with EINVAL, and makes files[] "
            "and fired[] of setsize entries, every mask EL_NONE, maxfd -1.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    int sv[2];

    SL_CHECK_INT("maxfd of a new loop", loop->maxfd, -1);
    SL_CHECK_INT("setsize of el_create(name, 16)", loop->setsize, 16);
    SL_CHECK_STR("el_backend_name()", el_backend_name(loop), backend);
    SL_ASSERT_FAILS_WITH(el_backend_name(NULL) != NULL ? 0 : -1, EINVAL);
    SL_CHECK_INT("el_mask() of a descriptor not watched", el_mask(loop, 5), EL_NONE);
    SL_CHECK_INT("el_mask(loop, -1)", el_mask(loop, -1), EL_NONE);
    SL_ASSERT_FAILS_WITH(el_create("no-such-backend", 16) != NULL ? 0 : -1, ENOENT);
    SL_ASSERT_FAILS_WITH(el_create(backend, 0) != NULL ? 0 : -1, EINVAL);
    RT_PAIR(sv);
    SL_ASSERT_FAILS_WITH(el_add(loop, -1, EL_READABLE, rt_record, NULL), EBADF);
    SL_ASSERT_FAILS_WITH(el_add(loop, sv[0], 0, rt_record, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(el_add(loop, sv[0], 4, rt_record, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(el_add(loop, sv[0], EL_READABLE, NULL, NULL), EINVAL);
    SL_CHECK_INT("el_mask() after refused el_add()", el_mask(loop, sv[0]), EL_NONE);
    SL_CHECK_INT("maxfd after refused el_add()", loop->maxfd, -1);
    el_del(loop, sv[0], EL_READABLE);   /* not watched: nothing happens */
    el_del(loop, 100000, EL_READABLE);
    el_free(loop);
    el_free(NULL);
    close(sv[0]);
    close(sv[1]);
}

RT_BACKENDS(loop_calls_read_and_write_callbacks, 3, 0,
            "el_add() adds interest (read, then write: both), with one callback per "
            "descriptor, the proc and data last given; el_process() calls it with the fd, the "
            "data and the bit that fired: EL_READABLE for a readable descriptor, EL_WRITABLE "
            "for a writable one, both in one round readable first; el_del() takes interest "
            "away.")
{
    el_loop_t *loop = RT_LOOP(backend, 64);
    int sv[2], token, token2;

    RT_PAIR(sv);
    rt_nseen = 0;
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, &token));
    SL_CHECK_INT("el_mask() after el_add(EL_READABLE)", el_mask(loop, sv[0]), EL_READABLE);
    SL_CHECK_INT("maxfd after el_add()", loop->maxfd, sv[0]);
    SL_HINT("Nothing is readable yet: el_process(loop, 50) waits 50 ms and calls nothing.")
    {
        SL_CHECK_INT("el_process(loop, 50) with nothing ready", RT_ROUND(loop, 50), 0);
    }
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    SL_CHECK_INT("el_process() with one readable descriptor", RT_ROUND(loop, 1000), 1);
    SL_CHECK_INT("read callbacks called", rt_count(sv[0], EL_READABLE), 1);
    if (rt_nseen >= 1)
        SL_HINT("The callback gets the data pointer el_add() was given.")
        {
            SL_CHECK_INT("data given to the callback is el_add()'s", rt_seen[0].data == &token, 1);
        }
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_WRITABLE, rt_record, &token2));
    SL_CHECK_INT("el_mask() after adding EL_WRITABLE", el_mask(loop, sv[0]),
                 EL_READABLE | EL_WRITABLE);
    rt_nseen = 0;
    SL_CHECK_INT("el_process() with one descriptor ready both ways", RT_ROUND(loop, 1000), 2);
    SL_CHECK_INT("callbacks with EL_READABLE", rt_count(sv[0], EL_READABLE), 1);
    SL_CHECK_INT("callbacks with EL_WRITABLE", rt_count(sv[0], EL_WRITABLE), 1);
    if (rt_nseen == 2)
        SL_HINT("A descriptor ready both ways gets two calls of its one callback, each with "
                "one bit, EL_READABLE first (a read may change what the write would do), "
                "both with the data el_add() was given last (here by el_add(EL_WRITABLE)).")
        {
            SL_CHECK_INT("the bit of the first call", rt_seen[0].mask, EL_READABLE);
            SL_CHECK_INT("the bit of the second call", rt_seen[1].mask, EL_WRITABLE);
            SL_CHECK_INT("both calls got the data last given",
                         rt_seen[0].data == &token2 && rt_seen[1].data == &token2, 1);
        }
    el_del(loop, sv[0], EL_READABLE);
    SL_CHECK_INT("el_mask() after el_del(EL_READABLE)", el_mask(loop, sv[0]), EL_WRITABLE);
    rt_nseen = 0;
    RT_ROUND(loop, 1000);
    SL_HINT("After el_del(EL_READABLE) the read callback is not called, though the socket is "
            "readable: the backend's del() must take the interest out of the kernel's set too.")
    {
        SL_CHECK_INT("read callbacks after el_del(EL_READABLE)", rt_count(sv[0], EL_READABLE), 0);
        SL_CHECK_INT("write callbacks", rt_count(sv[0], EL_WRITABLE), 1);
    }
    el_del(loop, sv[0], EL_WRITABLE);
    SL_HINT("el_del() that leaves the highest descriptor watched for nothing lowers maxfd to "
            "the next one still watched (-1 if none): walk down from maxfd while "
            "files[maxfd].mask is EL_NONE. The backends scan up to it.")
    {
        SL_CHECK_INT("maxfd once nothing is watched", loop->maxfd, -1);
    }
    rt_nseen = 0;
    SL_CHECK_INT("el_process(loop, 30) with nothing watched", RT_ROUND(loop, 30), 0);
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}

/* ---- interest checked again after each callback ------------------------------------ */

static int victim[2] = {-1, -1};
static int closer_calls, victim_calls;

static void close_the_other(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)data;
    (void)mask;
    closer_calls++;
    for (int i = 0; i < 2; i++) {
        if (victim[i] >= 0 && victim[i] != fd) {   /* the first of the two to run closes the other */
            el_del(loop, victim[i], EL_READABLE | EL_WRITABLE);
            close(victim[i]);
            victim[i] = -1;
        }
    }
}

/* Read: counts 100 and drops its own write interest; write: counts 1. */
static void drop_own_write(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)data;
    if (mask == EL_READABLE) {
        victim_calls += 100;
        el_del(loop, fd, EL_WRITABLE);
    } else {
        victim_calls++;
    }
}

static int newcomer_calls, newcomer_data, old_data;
static int reuse_fd[2];    /* the descriptors of the round; the callback of the first */
static int reused = -1;    /* to run closes reuse_fd[1] (or its own, if -1) and reuses it */
static el_file_fn *reuse_proc;
static void *reuse_data;

/* Closes fd (el_del() first) and watches a new socket under the same
 * number, with reuse_proc and reuse_data (a server that accepted a client
 * into the number a closed one left). */
static void reuse(el_loop_t *loop, int fd)
{
    int sv[2];

    el_del(loop, fd, EL_READABLE | EL_WRITABLE);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || dup2(sv[0], fd) < 0) {
        SL_FAIL("socketpair() or dup2() in the test's callback: %s", strerror(errno));
        return;
    }
    close(sv[0]);
    close(sv[1]);   /* fd: end of stream, readable and writable */
    reused = fd;
    if (el_add(loop, fd, EL_READABLE | EL_WRITABLE, reuse_proc, reuse_data) < 0)
        SL_FAIL("el_add() of the new socket from the callback: %s", strerror(errno));
}

/* Any call for the reused number once it is reused is the new socket's;
 * the first read call of the round (before) reuses the other descriptor
 * of the round, or its own. */
static void replace_myself(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)data;
    if (fd == reused) {
        newcomer_calls++;
        return;
    }
    if (mask != EL_READABLE || reused >= 0)
        return;
    if (reuse_fd[1] < 0)
        reuse(loop, fd);
    else
        reuse(loop, fd == reuse_fd[0] ? reuse_fd[1] : reuse_fd[0]);
}

static void count_newcomer(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)loop;
    (void)data;
    (void)mask;
    if (fd == reused)
        newcomer_calls++;
}

/* One round in which a callback closes a descriptor that fired (fd
 * itself when other < 0, else whichever of fd and other runs second) and
 * a new socket takes its number, watched with proc and data: the new one
 * must not be called in that round, and is called (read and write) the
 * round after. */
static void reuse_round(el_loop_t *loop, int fd, int other, el_file_fn *proc, void *data,
                        const char *how)
{
    reuse_fd[0] = fd;
    reuse_fd[1] = other;
    reused = -1;
    reuse_proc = proc;
    reuse_data = data;
    newcomer_calls = 0;
    SL_REQUIRE_OK(el_add(loop, fd, EL_READABLE | EL_WRITABLE, replace_myself, &old_data));
    if (other >= 0)
        SL_REQUIRE_OK(el_add(loop, other, EL_READABLE | EL_WRITABLE, replace_myself, &old_data));
    sl_note("%s", how);
    RT_ROUND(loop, 1000);
    SL_HINT("A descriptor that fired was closed by a callback of the round, and a new socket "
            "took its number: the round's event was the old one's, and the new one was "
            "called for it. Callback and data do not tell them apart (a server gives every "
            "connection on a number the same): when el_del() leaves a descriptor watched for "
            "nothing, clear its events left in the round (loop->fired[i].mask for each "
            "i < loop->nfired with that fd), and read fired[i] again after the read call, as "
            "libuv's uv__platform_invalidate_fd() does.")
    {
        SL_CHECK_INT("a descriptor was closed and its number reused by the round's callback",
                     reused >= 0, 1);
        SL_CHECK_INT("calls of the new socket's callback in the round the old one's fired",
                     newcomer_calls, 0);
    }
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("calls of the new socket's callback the round after", newcomer_calls, 2);
    el_del(loop, fd, EL_READABLE | EL_WRITABLE);
    if (other >= 0)
        el_del(loop, other, EL_READABLE | EL_WRITABLE);
}

RT_BACKENDS(loop_rechecks_interest_after_each_callback, 4, 0,
            "A callback may take interest away, its own or another descriptor's, and close "
            "that descriptor: before each callback, read files[fd].mask again and call only "
            "what is still wanted (ae.c's `fe->mask & mask & AE_READABLE`), never what the "
            "backend reported at the start of the round.")
{
    el_loop_t *loop = RT_LOOP(backend, 64);
    int a[2], b[2], c[2], d[2];

    RT_PAIR(a);
    RT_PAIR(b);
    victim[0] = a[0];
    victim[1] = b[0];
    closer_calls = 0;
    SL_REQUIRE_OK(el_add(loop, a[0], EL_READABLE, close_the_other, NULL));
    SL_REQUIRE_OK(el_add(loop, b[0], EL_READABLE, close_the_other, NULL));
    SL_REQUIRE(write(a[1], "x", 1), 1);
    SL_REQUIRE(write(b[1], "y", 1), 1);
    sl_note("two descriptors readable at once; the callback of the first one run closes the other");
    RT_ROUND(loop, 1000);
    SL_HINT("Interest not re-checked after a callback: the first callback el_del()-ed and "
            "closed the other descriptor, whose event had fired in the same round, and its "
            "callback was called anyway (on a closed descriptor: in a server, a freed client).")
    {
        SL_CHECK_INT("callbacks called in a round where the first closes the other", closer_calls,
                     1);
    }
    RT_PAIR(c);
    victim_calls = 0;
    SL_REQUIRE_OK(el_add(loop, c[0], EL_READABLE | EL_WRITABLE, drop_own_write, NULL));
    SL_REQUIRE(write(c[1], "z", 1), 1);
    RT_ROUND(loop, 1000);
    SL_HINT("Interest not re-checked between the read and the write call: the callback, "
            "called with EL_READABLE, removed EL_WRITABLE, and was called with EL_WRITABLE "
            "anyway.")
    {
        SL_CHECK_INT("read calls * 100 + write calls, when the read call drops EL_WRITABLE",
                     victim_calls, 100);
    }
    el_del(loop, c[0], EL_READABLE | EL_WRITABLE);
    reuse_round(loop, c[0], -1, count_newcomer, &newcomer_data,
                "the read call closes its descriptor; a new socket takes its number, another "
                "callback and data");
    reuse_round(loop, c[0], -1, replace_myself, &newcomer_data,
                "the same, the new socket with the same callback and other data");
    reuse_round(loop, c[0], -1, count_newcomer, &old_data,
                "the same, the new socket with another callback and the same data");
    RT_PAIR(d);
    SL_REQUIRE(write(d[1], "w", 1), 1);   /* c[0] (end of stream) and d[0] both readable */
    reuse_round(loop, c[0], d[0], replace_myself, &old_data,
                "a read call closes the other descriptor that fired in the round; a new socket "
                "takes its number, with the same callback and data");
    for (int i = 0; i < 2; i++)
        rt_close(&victim[i]);
    close(a[1]);
    close(b[1]);
    close(c[0]);
    close(c[1]);
    close(d[0]);
    close(d[1]);
    el_free(loop);
}

RT_BACKENDS(loop_grows_for_high_descriptors, 2, 0,
            "A descriptor of setsize or more makes el_add() grow the loop first (el_resize(): "
            "the backend's resize(), then files[] and fired[]), the new entries EL_NONE. "
            "el_del() of the highest descriptor lowers maxfd to the next one watched.")
{
    el_loop_t *loop = RT_LOOP(backend, 4);
    int sv[2], high, low;

    RT_PAIR(sv);
    high = fcntl(sv[0], F_DUPFD, 700);
    low = sv[0];
    SL_REQUIRE_OK(el_add(loop, low, EL_READABLE, rt_record, NULL));
    SL_REQUIRE_OK(el_add(loop, high, EL_READABLE, rt_record, NULL));
    SL_CHECK_INT("setsize covers descriptor 700 after el_add()", loop->setsize > high, 1);
    SL_CHECK_INT("maxfd", loop->maxfd, high);
    SL_CHECK_INT("el_mask() of a descriptor between", el_mask(loop, 500), EL_NONE);
    rt_nseen = 0;
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("read callbacks of descriptor 700", rt_count(high, EL_READABLE), 1);
    SL_ASSERT_FAILS_WITH(el_resize(loop, 0), EINVAL);
    SL_HINT("el_resize() to a size that leaves out a watched descriptor fails with ERANGE, "
            "and changes nothing.")
    {
        SL_ASSERT_FAILS_WITH(el_resize(loop, high), ERANGE);
        SL_CHECK_INT("el_mask() of descriptor 700 after the refused el_resize()",
                     el_mask(loop, high), EL_READABLE);
    }
    el_del(loop, high, EL_READABLE);
    SL_CHECK_INT("maxfd after el_del() of the highest", loop->maxfd, low);
    SL_REQUIRE_OK(el_resize(loop, 32));
    SL_CHECK_INT("setsize after el_resize(loop, 32)", loop->setsize, 32);
    SL_CHECK_INT("el_mask() of the low descriptor after shrinking", el_mask(loop, low),
                 EL_READABLE);
    el_free(loop);
    close(high);
    close(sv[0]);
    close(sv[1]);
}

/* ---- run and stop ---------------------------------------------------------------------- */

static int stop_after;

static void count_and_stop(el_loop_t *loop, int fd, void *data, int mask)
{
    char byte;

    (void)data;
    (void)mask;
    if (recv(fd, &byte, 1, 0) == 1 && --stop_after == 0)
        el_stop(loop);
}

RT_BACKENDS(loop_runs_until_stopped, 2, 0,
            "el_run() calls el_process(loop, -1) round after round until a callback calls "
            "el_stop(), then returns 0.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    int sv[2], rc;

    RT_PAIR(sv);
    stop_after = 3;
    SL_REQUIRE(write(sv[1], "abcdef", 6), 6);
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, count_and_stop, NULL));
    rc = el_run(loop);
    SL_CHECK_INT("el_run() once stopped", rc, 0);
    SL_CHECK_INT("bytes left unread when el_stop() was called after 3", stop_after, 0);
    stop_after = 2;
    SL_HINT("el_run() called again after it stopped must run again: clear loop->stop when it "
            "starts (el_stop() stops the run it is in, not every later one).")
    {
        SL_CHECK_INT("el_run() called a second time", el_run(loop), 0);
        SL_CHECK_INT("bytes of 2 left unread when the second el_run() returned", stop_after, 0);
    }
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}

/* ---- select's FD_SETSIZE ----------------------------------------------------------------- */

SL_TEST(select_refuses_descriptors_past_fd_setsize, 2,
        "An fd_set holds FD_SETSIZE (1024) bits. el_add() of descriptor 1100 on the select "
        "backend fails with ERANGE (el_add() grows no further than the backend's "
        "max_setsize) and changes nothing; the loop then serves the others.")
{
    el_loop_t *loop = RT_LOOP("select", 16);
    int sv[2], high;

    RT_PAIR(sv);
    high = fcntl(sv[0], F_DUPFD, 1100);
    if (high < 0)
        SL_FAIL_FATAL("could not make descriptor 1100: %s", strerror(errno));
    SL_HINT("el_add() of descriptor 1100 on select must fail with ERANGE before anything "
            "touches an fd_set (FD_SET(1100) writes past its 1024 bits): refuse a descriptor at "
            "or past the backend's max_setsize in el_add() (make_room), and never grow setsize "
            "past it.")
    {
        SL_ASSERT_FAILS_WITH(el_add(loop, high, EL_READABLE, rt_record, NULL), ERANGE);
    }
    SL_CHECK_INT("maxfd after a refused el_add()", loop->maxfd, -1);
    SL_CHECK_INT("setsize is at most FD_SETSIZE", loop->setsize <= 1024, 1);
    SL_HINT("el_create() and el_resize() refuse a setsize past the backend's max_setsize "
            "(select's FD_SETSIZE, 1024) with ERANGE, before anything is allocated or "
            "changed: el_create(\"select\", 2000) returns NULL with errno ERANGE.")
    {
        SL_ASSERT_FAILS_WITH(el_create("select", 2000) != NULL ? 0 : -1, ERANGE);
        SL_ASSERT_FAILS_WITH(el_resize(loop, 2000), ERANGE);
    }
    rt_nseen = 0;
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE, rt_record, NULL));
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("read callbacks of a small descriptor after the refusal",
                 rt_count(sv[0], EL_READABLE), 1);
    el_free(loop);
    close(high);
    close(sv[0]);
    close(sv[1]);
}

/* ---- growing inside a callback ---------------------------------------------------------- */

static int grow_fd = -1;

static void add_a_high_one(el_loop_t *loop, int fd, void *data, int mask)
{
    rt_record(loop, fd, data, mask);
    if (grow_fd < 0) {
        grow_fd = fcntl(fd, F_DUPFD, 900);
        if (el_add(loop, grow_fd, EL_READABLE, rt_record, NULL) < 0)
            SL_FAIL("el_add() of descriptor 900 from a callback failed: %s", strerror(errno));
    }
}

RT_BACKENDS(loop_grows_inside_a_callback, 2, 0,
            "A callback may el_add() a descriptor past setsize (a server accepting a client "
            "whose descriptor is past it): files[] and fired[] are reallocated in the middle of "
            "the round. Read loop->fired[i] and take &files[fd] again after each callback: a "
            "pointer kept into the old arrays points at freed memory.")
{
    el_loop_t *loop = RT_LOOP(backend, 16);
    int a[2], b[2];

    RT_PAIR(a);
    RT_PAIR(b);
    grow_fd = -1;
    SL_REQUIRE_OK(el_add(loop, a[0], EL_READABLE, add_a_high_one, NULL));
    SL_REQUIRE_OK(el_add(loop, b[0], EL_READABLE, add_a_high_one, NULL));
    SL_REQUIRE(write(a[1], "x", 1), 1);
    SL_REQUIRE(write(b[1], "y", 1), 1);
    rt_nseen = 0;
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("read callbacks of the two descriptors of the round",
                 rt_count(a[0], EL_READABLE) + rt_count(b[0], EL_READABLE), 2);
    SL_CHECK_INT("setsize after el_add() of descriptor 900", loop->setsize > 900, 1);
    rt_nseen = 0;
    RT_ROUND(loop, 1000);
    SL_CHECK_INT("read callbacks of descriptor 900 the round after", rt_count(grow_fd, EL_READABLE),
                 1);
    el_free(loop);
    rt_close(&grow_fd);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

/* ---- shrinking inside a callback ---------------------------------------------------- */

#define SHRINK_PAIRS 40

static int shrink_pairs[SHRINK_PAIRS][2], shrink_calls;

static void shrink_to_me(el_loop_t *loop, int fd, void *data, int mask)
{
    rt_record(loop, fd, data, mask);
    if (shrink_calls++ > 0)
        return;
    for (int i = 0; i < SHRINK_PAIRS; i++)
        if (shrink_pairs[i][0] != fd)
            el_del(loop, shrink_pairs[i][0], EL_READABLE);
    if (el_resize(loop, fd + 1) < 0)
        SL_FAIL("el_resize(loop, %d) from a callback, with only descriptor %d watched, failed: "
                "%s", fd + 1, fd, strerror(errno));
}

/* Watched both ways: its read call unwatches it and shrinks the loop below it. */
static void shrink_below_me(el_loop_t *loop, int fd, void *data, int mask)
{
    rt_record(loop, fd, data, mask);
    if (mask != EL_READABLE)
        return;
    el_del(loop, fd, EL_READABLE | EL_WRITABLE);
    if (el_resize(loop, 4) < 0)
        SL_FAIL("el_resize(loop, 4) from the read callback of descriptor %d, with nothing "
                "watched, failed: %s", fd, strerror(errno));
}

/* A descriptor ready both ways whose read call shrinks the loop below it:
 * its write half must not be looked at (files[] ends before it). */
static void shrink_between_read_and_write(const char *backend)
{
    el_loop_t *loop = RT_LOOP(backend, 4);
    int sv[2];

    RT_PAIR(sv);   /* above the 40 pairs: far past setsize 4 */
    SL_REQUIRE_OK(el_add(loop, sv[0], EL_READABLE | EL_WRITABLE, shrink_below_me, NULL));
    SL_REQUIRE(write(sv[1], "x", 1), 1);
    rt_nseen = 0;
    SL_HINT("A read callback shrank the loop below its own descriptor, which was ready both "
            "ways: before the write call, look at fd < setsize again (files[] may now end "
            "before it), as before the read call.")
    {
        RT_ROUND(loop, 1000);
        SL_CHECK_INT("read callbacks of a descriptor whose read call shrank the loop below it",
                     rt_count(sv[0], EL_READABLE), 1);
        SL_CHECK_INT("write callbacks of it, after that read call", rt_count(sv[0], EL_WRITABLE),
                     0);
    }
    el_free(loop);
    close(sv[0]);
    close(sv[1]);
}

RT_BACKENDS(loop_shrinks_inside_a_callback, 2, 0,
            "A callback may el_del() the others and el_resize() the loop smaller while "
            "el_process() still walks this round's events: fired[] must not shrink under it "
            "(realloc() it only to grow), and an event of a descriptor now past setsize is not "
            "dispatched (files[] ends before it).")
{
    el_loop_t *loop = RT_LOOP(backend, 4);

    for (int i = 0; i < SHRINK_PAIRS; i++) {
        RT_PAIR(shrink_pairs[i]);
        SL_REQUIRE_OK(el_add(loop, shrink_pairs[i][0], EL_READABLE, shrink_to_me, NULL));
    }
    for (int i = 0; i < SHRINK_PAIRS; i++)   /* in order: epoll reports the first first */
        SL_REQUIRE(write(shrink_pairs[i][1], "x", 1), 1);
    shrink_calls = 0;
    rt_nseen = 0;
    SL_HINT("A callback shrank the loop in the middle of a round. fired[] still holds this "
            "round's events: never realloc() it smaller (keep fired_size), and before each "
            "event look at ev.fd < setsize: files[] may now end before it.")
    {
        RT_ROUND(loop, 1000);
        SL_CHECK_INT("callbacks in a round whose first callback unwatched the others and shrank "
                     "the loop", rt_nseen, 1);
    }
    SL_CHECK_INT("setsize after el_resize() from the callback", loop->setsize <= 64, 1);
    el_free(loop);
    shrink_between_read_and_write(backend);
    for (int i = 0; i < SHRINK_PAIRS; i++) {
        close(shrink_pairs[i][0]);
        close(shrink_pairs[i][1]);
    }
}
