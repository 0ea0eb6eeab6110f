/* Task 2: waiting with poll() (mux_poll_init, mux_poll_add, mux_poll_set,
 * mux_poll_remove, mux_poll_wait, mux_poll_ready, mux_poll_free).
 *
 * The arrays grow on the heap: AddressSanitizer, on when grading, stops
 * at the first entry written past what realloc() gave. Hang-ups come from
 * a pipe whose writing end is closed, errors from a connection the peer
 * resets, POLLNVAL from a descriptor closed while in the array. */
#include "testutil.h"

SL_TASK(2, "Waiting with poll()");

/* Ends the test unless entry i holds fd, the poll() events ev and data. */
static void check_entry(const mux_poll_t *p, size_t i, int fd, short ev, const void *data)
{
    if (p->fds[i].fd != fd || p->fds[i].events != ev || p->data[i] != data)
        SL_FAIL_FATAL("entry %zu holds fd %d, events 0x%x, data %p: expected fd %d, events 0x%x "
                      "(%s), data %p", i, p->fds[i].fd, (unsigned)p->fds[i].events,
                      p->data[i], fd, (unsigned)ev,
                      ev == (POLLIN | POLLOUT) ? "POLLIN | POLLOUT" : ev == POLLIN ? "POLLIN" :
                      ev == POLLOUT ? "POLLOUT" : "none", (void *)data);
}

SL_TEST(poll_add_grows_the_arrays, 2,
        "mux_poll_add(): when count == cap, realloc() both arrays to twice the room (16 "
        "entries at first), keeping the old ones until realloc() succeeds; then fill entry "
        "count (fd, POLLIN for MUX_READ, POLLOUT for MUX_WRITE, revents 0, data) and return "
        "its index.")
{
    static int marks[100];
    mux_poll_t p;
    int a, b;

    tu_pair(&a, &b);
    memset(&p, 0xab, sizeof p);
    mux_poll_init(&p);
    if (p.count != 0 || p.cap != 0 || p.fds != NULL || p.data != NULL)
        SL_FAIL_FATAL("after mux_poll_init(): count %zu, cap %zu, fds %p, data %p: expected "
                      "an empty array with no memory (0, 0, NULL, NULL)", p.count, p.cap,
                      (void *)p.fds, (void *)p.data);
    for (int i = 0; i < 100; i++) {
        int ev = i % 4 == 0 ? 0 : i % 4 == 1 ? MUX_READ : i % 4 == 2 ? MUX_WRITE : MUX_READ | MUX_WRITE;
        int at = mux_poll_add(&p, i % 2 ? a : b, ev, &marks[i]);

        if (at != i)
            SL_FAIL_FATAL("mux_poll_add() number %d returned %d (errno %s): expected the new "
                          "entry's index, %d", i + 1, at, sl_errno_name(errno), i);
    }
    SL_CHECK_INT("count after 100 entries", p.count, 100);
    if (p.cap < 100)
        SL_FAIL_FATAL("cap is %zu after 100 entries: it must be the room in the arrays", p.cap);
    for (size_t i = 0; i < 100; i++) {
        short ev = i % 4 == 0 ? 0 : i % 4 == 1 ? POLLIN : i % 4 == 2 ? POLLOUT : POLLIN | POLLOUT;

        check_entry(&p, i, i % 2 ? a : b, ev, &marks[i]);
        if (p.fds[i].revents != 0)
            SL_FAIL_FATAL("entry %zu has revents 0x%x: a new entry starts at 0", i,
                          (unsigned)p.fds[i].revents);
    }
    SL_HINT("poll() has no FD_SETSIZE: a descriptor of any value is accepted.")
    {
        SL_CHECK_INT("mux_poll_add(p, 5000, MUX_READ, NULL)", mux_poll_add(&p, 5000, MUX_READ, NULL),
                     100);
    }
    mux_poll_free(&p);
    close(a);
    close(b);
}

SL_TEST(poll_reports_reading_and_writing, 2,
        "mux_poll_wait() is poll(p->fds, p->count, timeout_ms); mux_poll_ready() reads "
        "fds[i].revents: POLLIN gives MUX_READ, POLLOUT gives MUX_WRITE.")
{
    mux_poll_t p;
    int a, b;

    tu_pair(&a, &b);
    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, a, MUX_READ, NULL), 0);
    SL_REQUIRE(mux_poll_add(&p, b, MUX_WRITE, NULL), 1);
    SL_CHECK_INT("mux_poll_wait(p, 1000), one socket writable", mux_poll_wait(&p, 1000), 1);
    SL_CHECK_INT("mux_poll_ready(p, 0), nothing to read yet", mux_poll_ready(&p, 0), 0);
    SL_CHECK_INT("mux_poll_ready(p, 1), writable", mux_poll_ready(&p, 1), MUX_WRITE);
    sl_sock_send(b, "x", 1);
    SL_CHECK_INT("mux_poll_wait(p, 1000), one readable, one writable", mux_poll_wait(&p, 1000), 2);
    SL_CHECK_INT("mux_poll_ready(p, 0), a byte waiting", mux_poll_ready(&p, 0), MUX_READ);
    SL_CHECK_INT("mux_poll_ready(p, 2), past the last entry", mux_poll_ready(&p, 2), 0);
    SL_CHECK_INT("mux_poll_ready(NULL, 0)", mux_poll_ready(NULL, 0), 0);
    mux_poll_free(&p);
    close(a);
    close(b);
}

SL_TEST(poll_hangup_and_error_read_as_readable, 2,
        "poll() reports POLLHUP and POLLERR whether asked or not, even with events 0: "
        "mux_poll_ready() gives MUX_READ for them (the read that comes next returns 0 or "
        "the error), and MUX_WRITE for POLLERR only on an entry that waits for POLLOUT.")
{
    mux_poll_t p;
    int fds[2], a, b;

    if (pipe(fds) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, fds[0], 0, NULL), 0);
    close(fds[1]);
    SL_HINT("The writing end of a pipe was closed: poll() says POLLHUP on the reading end, "
            "which waits for nothing (events 0). That is MUX_READ: read() then returns 0.")
    {
        SL_CHECK_INT("mux_poll_wait(p, 1000), a pipe hung up", mux_poll_wait(&p, 1000), 1);
        SL_CHECK_INT("mux_poll_ready(p, 0) for POLLHUP", mux_poll_ready(&p, 0), MUX_READ);
    }
    close(fds[0]);
    mux_poll_free(&p);
    tu_pair(&a, &b);
    sl_sock_reset(b);
    tu_wait_readable(a, 1000);
    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, a, MUX_WRITE, NULL), 0);
    SL_REQUIRE(mux_poll_add(&p, a, 0, NULL), 1);
    SL_HINT("The peer reset the connection: poll() says POLLERR and POLLHUP (with POLLOUT "
            "where asked). MUX_READ for both entries; MUX_WRITE also for the entry that waits "
            "for POLLOUT, so that its send() reports the error.")
    {
        SL_CHECK_INT("mux_poll_wait(p, 1000), a reset connection", mux_poll_wait(&p, 1000), 2);
        SL_CHECK_INT("mux_poll_ready(p, 0), reset, waiting for POLLOUT", mux_poll_ready(&p, 0),
                     MUX_READ | MUX_WRITE);
        SL_CHECK_INT("mux_poll_ready(p, 1), reset, waiting for nothing", mux_poll_ready(&p, 1),
                     MUX_READ);
    }
    mux_poll_free(&p);
    close(a);
}

SL_TEST(poll_closed_descriptor_is_gone, 2,
        "A descriptor closed while its entry stays makes poll() return at once with POLLNVAL "
        "in that entry, every round: a loop that does not remove it spins. "
        "mux_poll_ready() gives MUX_GONE for POLLNVAL, and nothing else.")
{
    mux_poll_t p;
    int a, b, gone;

    tu_pair(&a, &b);
    gone = tu_dup_from(a, 100);
    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, a, MUX_READ, NULL), 0);
    SL_REQUIRE(mux_poll_add(&p, gone, MUX_READ, NULL), 1);
    close(gone);
    SL_CHECK_INT("mux_poll_wait(p, 1000), an entry's descriptor closed", mux_poll_wait(&p, 1000), 1);
    SL_CHECK_INT("mux_poll_ready(p, 1) for the closed descriptor", mux_poll_ready(&p, 1), MUX_GONE);
    SL_CHECK_INT("mux_poll_ready(p, 0) for the open one", mux_poll_ready(&p, 0), 0);
    mux_poll_free(&p);
    close(a);
    close(b);
}

SL_TEST(poll_remove_moves_the_last_entry, 3,
        "mux_poll_remove(p, i): the last entry, the whole struct pollfd (revents too) and its "
        "data, moves into slot i and count drops by one. An index past the end is EINVAL.")
{
    static int marks[5];
    mux_poll_t p;
    int a, b, fd[5];

    tu_pair(&a, &b);
    mux_poll_init(&p);
    for (int i = 0; i < 5; i++) {
        fd[i] = tu_dup_from(i == 4 ? a : b, 100 + 10 * i);
        SL_REQUIRE(mux_poll_add(&p, fd[i], MUX_READ, &marks[i]), i);
    }
    sl_sock_send(b, "x", 1);   /* fd[4], a copy of a, is readable */
    SL_CHECK_INT("mux_poll_wait(p, 1000), the last entry readable", mux_poll_wait(&p, 1000), 1);
    SL_REQUIRE_OK(mux_poll_remove(&p, 1));
    SL_CHECK_INT("count after removing entry 1 of 5", p.count, 4);
    check_entry(&p, 1, fd[4], POLLIN, &marks[4]);
    SL_HINT("The entry that moves keeps its revents: a loop that removes entries in the "
            "middle of a round still sees what the moved one is ready for.")
    {
        SL_CHECK_INT("mux_poll_ready(p, 1) after the last entry moved there",
                     mux_poll_ready(&p, 1), MUX_READ);
    }
    check_entry(&p, 0, fd[0], POLLIN, &marks[0]);
    check_entry(&p, 2, fd[2], POLLIN, &marks[2]);
    check_entry(&p, 3, fd[3], POLLIN, &marks[3]);
    SL_REQUIRE_OK(mux_poll_remove(&p, 3));
    SL_CHECK_INT("count after removing the last entry", p.count, 3);
    check_entry(&p, 2, fd[2], POLLIN, &marks[2]);
    SL_ASSERT_FAILS_WITH(mux_poll_remove(&p, 3), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_remove(NULL, 0), EINVAL);
    SL_CHECK_INT("mux_poll_add() after the removals", mux_poll_add(&p, fd[3], MUX_WRITE, NULL), 3);
    mux_poll_free(&p);
    for (int i = 0; i < 5; i++)
        close(fd[i]);
    close(a);
    close(b);
}

SL_TEST(poll_set_changes_the_events, 1,
        "mux_poll_set(p, i, events) rewrites fds[i].events: POLLIN for MUX_READ, POLLOUT for "
        "MUX_WRITE, nothing else; an index past the end, or other bits, is EINVAL.")
{
    mux_poll_t p;

    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, 0, MUX_READ, NULL), 0);
    SL_REQUIRE_OK(mux_poll_set(&p, 0, MUX_WRITE));
    check_entry(&p, 0, 0, POLLOUT, NULL);
    SL_REQUIRE_OK(mux_poll_set(&p, 0, MUX_READ | MUX_WRITE));
    check_entry(&p, 0, 0, POLLIN | POLLOUT, NULL);
    SL_REQUIRE_OK(mux_poll_set(&p, 0, 0));
    check_entry(&p, 0, 0, 0, NULL);
    SL_ASSERT_FAILS_WITH(mux_poll_set(&p, 1, MUX_READ), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_set(&p, 0, 0x10), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_set(NULL, 0, MUX_READ), EINVAL);
    mux_poll_free(&p);
}

SL_TEST(poll_timeout_and_signals, 1,
        "mux_poll_wait(p, ms) waits at most ms (-1: for ever); a signal ends it with -1 and "
        "EINTR, and then every entry reports nothing (set the revents to 0); a timeout below "
        "-1 is EINVAL.")
{
    mux_poll_t p;
    double t0;
    int a, b;

    tu_pair(&a, &b);
    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, a, MUX_READ, NULL), 0);
    t0 = sl_now_ms();
    SL_CHECK_INT("mux_poll_wait(p, 80) with nothing ready", mux_poll_wait(&p, 80), 0);
    if (sl_now_ms() - t0 < 60)
        SL_FAIL("mux_poll_wait(p, 80) returned after %.0f ms with nothing ready: it must "
                "wait the 80 ms", sl_now_ms() - t0);
    p.fds[0].revents = POLLIN;   /* as if a round before had left it */
    sl_timer_start(50 * 1000L, 0);
    SL_ASSERT_FAILS_WITH(mux_poll_wait(&p, -1), EINTR);
    (void)sl_timer_stop();
    SL_CHECK_INT("mux_poll_ready(p, 0) after a wait a signal ended", mux_poll_ready(&p, 0), 0);
    SL_ASSERT_FAILS_WITH(mux_poll_wait(&p, -2), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_wait(NULL, 0), EINVAL);
    mux_poll_free(&p);
    close(a);
    close(b);
}

SL_TEST(poll_free_leaves_it_empty, 1,
        "mux_poll_free(): free() both arrays and leave p as mux_poll_init() does (count and "
        "cap 0, NULL arrays), so that a second free, or a new add, is safe. It closes no "
        "descriptor. LeakSanitizer checks that nothing is left.")
{
    mux_poll_t p;

    mux_poll_init(&p);
    for (int i = 0; i < 40; i++)
        SL_REQUIRE(mux_poll_add(&p, 1, MUX_READ, NULL), i);
    mux_poll_free(&p);
    if (p.count != 0 || p.cap != 0 || p.fds != NULL || p.data != NULL)
        SL_FAIL_FATAL("after mux_poll_free(): count %zu, cap %zu, fds %p, data %p: expected "
                      "it empty, as after mux_poll_init()", p.count, p.cap, (void *)p.fds,
                      (void *)p.data);
    mux_poll_free(&p);
    mux_poll_free(NULL);
    SL_CHECK_INT("mux_poll_add() after mux_poll_free()", mux_poll_add(&p, 1, MUX_READ, NULL), 0);
    mux_poll_free(&p);
    if (!sl_fd_is_open(1))
        SL_FAIL("mux_poll_free() closed descriptor 1: it must close nothing");
}

SL_TEST(poll_rejects_bad_arguments, 1,
        "mux_poll_add(): NULL or events with other bits than MUX_READ and MUX_WRITE is EINVAL, "
        "a negative descriptor EBADF; either way the array is unchanged.")
{
    mux_poll_t p;

    mux_poll_init(&p);
    SL_REQUIRE(mux_poll_add(&p, 0, MUX_READ, NULL), 0);
    SL_ASSERT_FAILS_WITH(mux_poll_add(NULL, 0, MUX_READ, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_add(&p, 0, 0x10, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_add(&p, 0, MUX_GONE, NULL), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_poll_add(&p, -1, MUX_READ, NULL), EBADF);
    SL_CHECK_INT("count after the refused calls", p.count, 1);
    mux_poll_free(&p);
}
