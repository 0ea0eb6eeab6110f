/* Task 1: waiting with select() (mux_sel_init, mux_sel_add, mux_sel_del,
 * mux_sel_wait, mux_sel_ready).
 *
 * Each test builds its descriptors with plain system calls: connected
 * pairs over 127.0.0.1, made readable by a send() from the other end, and
 * copies at chosen numbers (fcntl F_DUPFD, dup2) so that the descriptor
 * that matters is the highest of the set, or at FD_SETSIZE - 1. */
#include "testutil.h"

SL_TASK(1, "Waiting with select()");

/* Are the two fd_sets equal? */
static int same_set(const fd_set *a, const fd_set *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* Ends the test if a wait took fd out of want_read: the set was handed to
 * select(), which wrote its answer into it. */
static void still_wanted(const mux_sel_t *s, int fd)
{
    if (!FD_ISSET(fd, &s->want_read))
        SL_FAIL_FATAL("after mux_sel_wait(), want_read no longer holds descriptor %d: select() "
                      "wrote its answer into it. The set is not rebuilt: pass copies "
                      "(readable, writable) to select(), never the wanted sets", fd);
}

/* Is the fd_set empty? */
static int empty_set(const fd_set *a)
{
    fd_set none;

    FD_ZERO(&none);
    return same_set(a, &none);
}

SL_TEST(sel_init_watches_nothing, 1,
        "mux_sel_init(): FD_ZERO() on all four sets (want_read, want_write, readable, "
        "writable) and maxfd = -1: no descriptor at all, not even 0.")
{
    mux_sel_t *s = tu_alloc(sizeof *s, 0xab);

    mux_sel_init(s);
    SL_CHECK_INT("maxfd after mux_sel_init()", s->maxfd, -1);
    if (!empty_set(&s->want_read) || !empty_set(&s->want_write) || !empty_set(&s->readable) ||
        !empty_set(&s->writable))
        SL_FAIL("after mux_sel_init() a set still has bits: clear all four with FD_ZERO()");
    SL_CHECK_INT("mux_sel_ready(s, 0) after mux_sel_init()", mux_sel_ready(s, 0), 0);
    sl_free(s);
}

SL_TEST(sel_reports_a_readable_socket, 2,
        "mux_sel_add(s, fd, MUX_READ) puts fd in want_read and raises maxfd; "
        "mux_sel_wait() copies want_read into readable and calls select(); "
        "mux_sel_ready() is FD_ISSET() in readable.")
{
    mux_sel_t s;
    int a, b;

    tu_pair(&a, &b);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, a, MUX_READ));
    SL_CHECK_INT("maxfd after adding one descriptor", s.maxfd, a);
    if (!FD_ISSET(a, &s.want_read) || FD_ISSET(a, &s.want_write))
        SL_FAIL("mux_sel_add(s, %d, MUX_READ) must put %d in want_read, and only there", a, a);
    SL_HINT("With nothing sent yet the socket is not readable: mux_sel_wait(s, 0) looks and "
            "returns 0 at once, and mux_sel_ready() says 0.")
    {
        SL_CHECK_INT("mux_sel_wait(s, 0) before anything was sent", mux_sel_wait(&s, 0), 0);
        SL_CHECK_INT("mux_sel_ready(s, fd) before anything was sent", mux_sel_ready(&s, a), 0);
    }
    still_wanted(&s, a);
    sl_sock_send(b, "x", 1);
    {
        int n = mux_sel_wait(&s, 1000), r = mux_sel_ready(&s, a), fresh = 0;
        mux_sel_t f;

        if (n != 1 || r != MUX_READ) {
            /* Which mistake? A new mux_sel_t whose first wait sees the byte looks at
             * the right nfds: then it is the second wait's set that was not made
             * again from want_read. */
            mux_sel_init(&f);
            fresh = mux_sel_add(&f, a, MUX_READ) == 0 && mux_sel_wait(&f, 0) == 1 &&
                    mux_sel_ready(&f, a) == MUX_READ;
        }
        SL_HINT(fresh ? "The first wait of a new mux_sel_t sees the byte, but the second wait "
                        "of this one did not: its set was not made again. select() wrote "
                        "its answer (nothing ready) into readable in the first wait; copy "
                        "want_read into readable before every call."
                      : "A byte was sent to the socket, yet the wait did not report it: "
                        "select() did not look at it. nfds, its first argument, is how many "
                        "descriptors to look at from 0: maxfd + 1, not maxfd. And the set it "
                        "looks at must be a fresh copy of want_read.")
        {
            SL_CHECK_INT(fresh ? "the second mux_sel_wait(s, 1000), once a byte was sent (the "
                                 "set not made again from want_read?)"
                               : "mux_sel_wait(s, 1000) once a byte was sent", n, 1);
            SL_CHECK_INT("mux_sel_ready(s, fd) once a byte was sent", r, MUX_READ);
        }
    }
    SL_CHECK_INT("mux_sel_ready(s, other) for a descriptor not in the sets",
                 mux_sel_ready(&s, b), 0);
    close(a);
    close(b);
}

SL_TEST(sel_reports_a_writable_socket, 1,
        "MUX_WRITE goes in want_write: a connected socket with room in its send buffer is "
        "writable at once. A descriptor ready both ways counts twice in what "
        "mux_sel_wait() returns, as select() counts it.")
{
    mux_sel_t s;
    int a, b;

    tu_pair(&a, &b);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, a, MUX_WRITE));
    SL_HINT("A connected socket is writable at once, yet the wait did not report it: select() "
            "did not look at it (nfds is maxfd + 1), or not in a copy of want_write.")
    {
        SL_CHECK_INT("mux_sel_wait(s, 1000) on a writable socket", mux_sel_wait(&s, 1000), 1);
        SL_CHECK_INT("mux_sel_ready(s, fd), watched for MUX_WRITE", mux_sel_ready(&s, a),
                     MUX_WRITE);
    }
    sl_sock_send(b, "x", 1);
    SL_REQUIRE_OK(mux_sel_add(&s, a, MUX_READ));
    SL_CHECK_INT("mux_sel_wait(s, 1000), readable and writable", mux_sel_wait(&s, 1000), 2);
    SL_CHECK_INT("mux_sel_ready(s, fd), readable and writable", mux_sel_ready(&s, a),
                 MUX_READ | MUX_WRITE);
    close(a);
    close(b);
}

SL_TEST(sel_watches_the_highest_descriptor, 3,
        "nfds, select()'s first argument, is how many descriptors it looks at, counted "
        "from 0: the highest one plus one, maxfd + 1. With maxfd alone the highest "
        "descriptor (in a server, the newest client) is never looked at.")
{
    mux_sel_t s;
    int a, b, low, high, top = FD_SETSIZE - 1;

    tu_pair(&a, &b);
    low = tu_dup_from(b, 100);
    high = tu_dup_from(a, 200);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, low, MUX_READ));
    SL_REQUIRE_OK(mux_sel_add(&s, high, MUX_READ));
    SL_CHECK_INT("maxfd with descriptors 100 and 200", s.maxfd, high);
    sl_sock_send(b, "x", 1);   /* high (a copy of a) is readable; low is not */
    SL_CHECK_INT("mux_sel_wait(s, 1000) when only the highest descriptor is readable",
                 mux_sel_wait(&s, 1000), 1);
    SL_CHECK_INT("mux_sel_ready(s, highest)", mux_sel_ready(&s, high), MUX_READ);
    if (top <= tu_fd_limit(FD_SETSIZE)) {
        SL_HINT("FD_SETSIZE - 1 is the last descriptor an fd_set holds: it must be accepted, "
                "watched and reported like any other (nfds is then FD_SETSIZE).")
        {
            tu_dup_at(a, top);
            SL_REQUIRE_OK(mux_sel_add(&s, top, MUX_READ));
            SL_CHECK_INT("maxfd after adding FD_SETSIZE - 1", s.maxfd, top);
            SL_CHECK_INT("mux_sel_wait(s, 1000) with FD_SETSIZE - 1 readable",
                         mux_sel_wait(&s, 1000), 2);
            SL_CHECK_INT("mux_sel_ready(s, FD_SETSIZE - 1)", mux_sel_ready(&s, top), MUX_READ);
            close(top);
        }
    }
    close(high);
    close(low);
    close(a);
    close(b);
}

SL_TEST(sel_wanted_sets_survive_each_wait, 3,
        "select() overwrites the sets it is given with its answer. Give it copies "
        "(s->readable = s->want_read; s->writable = s->want_write;), made again before "
        "every call, and keep want_read and want_write as the caller left them: a set "
        "that is not rebuilt each round loses every descriptor that was not ready.")
{
    mux_sel_t s;
    int a1, b1, a2, b2;
    char c;

    tu_pair(&a1, &b1);
    tu_pair(&a2, &b2);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, a1, MUX_READ));
    SL_REQUIRE_OK(mux_sel_add(&s, a2, MUX_READ));
    sl_sock_send(b1, "1", 1);
    SL_CHECK_INT("the first mux_sel_wait(s, 1000), with the first socket readable",
                 mux_sel_wait(&s, 1000), 1);
    still_wanted(&s, a1);
    still_wanted(&s, a2);
    if (recv(a1, &c, 1, 0) != 1)
        SL_FAIL_FATAL("test: recv: %s", strerror(errno));
    sl_sock_send(b2, "2", 1);
    SL_HINT("After a first wait that found only the first socket ready, the second socket "
            "became readable: the second wait must see it. It did not, so the second "
            "select() did not look at it: the set was not rebuilt (copied from want_read) "
            "before the call.")
    {
        SL_CHECK_INT("the second mux_sel_wait(s, 1000), with only the second socket readable",
                     mux_sel_wait(&s, 1000), 1);
        SL_CHECK_INT("mux_sel_ready(s, second) in the second round", mux_sel_ready(&s, a2),
                     MUX_READ);
        SL_CHECK_INT("mux_sel_ready(s, first) in the second round (its byte was read)",
                     mux_sel_ready(&s, a1), 0);
    }
    close(a1);
    close(b1);
    close(a2);
    close(b2);
}

SL_TEST(sel_timeout_is_made_afresh, 2,
        "Make the struct timeval inside mux_sel_wait(), every call: Linux writes into it the "
        "time that was left, so one kept from call to call (static) soon reads 0 and every "
        "wait returns at once. -1 passes NULL (wait for ever), 0 looks without waiting.")
{
    mux_sel_t s;
    int a, b;

    tu_pair(&a, &b);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, a, MUX_READ));
    for (int i = 0; i < 2; i++) {
        double t0 = sl_now_ms(), took;
        int n = mux_sel_wait(&s, 60);

        took = sl_now_ms() - t0;
        SL_CHECK_INT("mux_sel_wait(s, 60) with nothing ready", n, 0);
        if (took < 45)
            SL_FAIL_FATAL("mux_sel_wait(s, 60) number %d returned after %.0f ms, with "
                          "nothing ready: it must wait the 60 ms", i + 1, took);
    }
    SL_HINT("A timeout of -1 waits as long as it takes: select() with a NULL timeout. The "
            "test's signal (SIGALRM, 60 ms later, no SA_RESTART) ends the wait with -1 "
            "and EINTR.")
    {
        double t0 = sl_now_ms();

        sl_timer_start(60 * 1000L, 0);
        SL_ASSERT_FAILS_WITH(mux_sel_wait(&s, -1), EINTR);
        (void)sl_timer_stop();
        if (sl_now_ms() - t0 < 45)
            SL_FAIL("mux_sel_wait(s, -1) returned after %.0f ms with nothing ready: -1 "
                    "waits until something is ready (or a signal)", sl_now_ms() - t0);
    }
    close(a);
    close(b);
}

SL_TEST(sel_refuses_descriptors_past_fd_setsize, 3,
        "An fd_set holds FD_SETSIZE bits: FD_SET(FD_SETSIZE, &set) writes past its end, "
        "into whatever memory follows. Check first: fd >= FD_SETSIZE is -1 with ERANGE, and "
        "nothing written; mux_sel_ready() reads no bit past the set either.")
{
    int a, b, big, far_fd = tu_fd_limit(4000);
    mux_sel_t *s = tu_alloc(sizeof *s, 0);
    mux_sel_t *before = tu_alloc(sizeof *s, 0);

    tu_pair(&a, &b);
    mux_sel_init(s);
    SL_REQUIRE_OK(mux_sel_add(s, a, MUX_READ));
    big = tu_dup_at(a, FD_SETSIZE);
    memcpy(before, s, sizeof *s);
    {
        int r;

        SL_QUIET_CALL(r, mux_sel_add(s, big, MUX_READ));
        SL_CHECK_FAILS("mux_sel_add(s, FD_SETSIZE, MUX_READ)", r, errno, ERANGE);
    }
    SL_ASSERT_FAILS_WITH(mux_sel_add(s, big, MUX_WRITE), ERANGE);
    if (memcmp(before, s, sizeof *s) != 0)
        SL_FAIL_FATAL("mux_sel_add(s, FD_SETSIZE, ...) failed but changed the structure: it "
                      "wrote a bit past the end of an fd_set, into the next field. Check the "
                      "descriptor before FD_SET()");
    if (far_fd > FD_SETSIZE + 64) {
        SL_HINT("A descriptor far past FD_SETSIZE (the mux_sel_t lies in a heap block of its "
                "exact size, under AddressSanitizer): refuse it before any FD_SET(), "
                "FD_CLR() or FD_ISSET().")
        {
            SL_ASSERT_FAILS_WITH(mux_sel_add(s, far_fd, MUX_READ | MUX_WRITE), ERANGE);
            SL_ASSERT_FAILS_WITH(mux_sel_del(s, far_fd, MUX_READ | MUX_WRITE), ERANGE);
            SL_CHECK_INT("mux_sel_ready(s, a descriptor far past FD_SETSIZE)",
                         mux_sel_ready(s, far_fd), 0);
        }
    }
    SL_ASSERT_FAILS_WITH(mux_sel_del(s, big, MUX_READ), ERANGE);
    SL_CHECK_INT("mux_sel_ready(s, FD_SETSIZE)", mux_sel_ready(s, big), 0);
    if (memcmp(before, s, sizeof *s) != 0)
        SL_FAIL("a refused descriptor changed the structure: nothing may be written for it");
    SL_CHECK_INT("maxfd after refusing FD_SETSIZE", s->maxfd, a);
    close(big);
    close(a);
    close(b);
    sl_free(before);
    sl_free(s);
}

SL_TEST(sel_del_lowers_maxfd, 2,
        "mux_sel_del() clears the bits (in the wanted set and in the result of the last "
        "wait); when fd was maxfd and is wanted no more, look down for the next descriptor "
        "still in want_read or want_write (-1 when none is left).")
{
    mux_sel_t s;
    int a, b, x, y, z;

    tu_pair(&a, &b);
    x = tu_dup_from(a, 100);
    y = tu_dup_from(a, 150);
    z = tu_dup_from(a, 200);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, z, MUX_READ | MUX_WRITE));
    SL_REQUIRE_OK(mux_sel_add(&s, x, MUX_READ));
    SL_REQUIRE_OK(mux_sel_add(&s, y, MUX_WRITE));
    SL_CHECK_INT("maxfd with 100, 150 and 200", s.maxfd, z);
    SL_REQUIRE_OK(mux_sel_del(&s, z, MUX_READ));
    SL_CHECK_INT("maxfd after taking 200 out of want_read only (it is still in want_write)",
                 s.maxfd, z);
    SL_REQUIRE_OK(mux_sel_del(&s, z, MUX_WRITE));
    SL_CHECK_INT("maxfd once 200 is wanted no more", s.maxfd, y);
    if (FD_ISSET(z, &s.want_read) || FD_ISSET(z, &s.want_write))
        SL_FAIL("mux_sel_del() left descriptor 200 in a wanted set");
    sl_sock_send(b, "x", 1);
    SL_CHECK_INT("mux_sel_wait(s, 1000) with 100 readable and 150 writable",
                 mux_sel_wait(&s, 1000), 2);
    SL_REQUIRE_OK(mux_sel_del(&s, x, MUX_READ));
    SL_CHECK_INT("mux_sel_ready(s, 100) once it was deleted after the wait",
                 mux_sel_ready(&s, x), 0);
    SL_CHECK_INT("maxfd after deleting 100 (150 is still wanted)", s.maxfd, y);
    SL_REQUIRE_OK(mux_sel_del(&s, y, MUX_READ | MUX_WRITE));
    SL_CHECK_INT("maxfd once nothing is wanted", s.maxfd, -1);
    SL_CHECK_INT("mux_sel_del() of a descriptor not in the sets", mux_sel_del(&s, x, MUX_READ),
                 0);
    close(x);
    close(y);
    close(z);
    close(a);
    close(b);
}

SL_TEST(sel_closed_descriptor_fails_with_ebadf, 2,
        "A descriptor closed but left in a set makes select() fail with EBADF, every round, "
        "and a server with it: take a client out of the sets (mux_sel_del()) before you "
        "close() it. mux_sel_wait() returns -1 with select()'s errno, and empty results.")
{
    mux_sel_t s;
    int a, b, gone;

    tu_pair(&a, &b);
    gone = tu_dup_from(a, 100);
    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, a, MUX_WRITE));
    SL_REQUIRE_OK(mux_sel_add(&s, gone, MUX_READ));
    close(gone);
    SL_ASSERT_FAILS_WITH(mux_sel_wait(&s, 1000), EBADF);
    SL_CHECK_INT("mux_sel_ready(s, fd) after a wait that failed", mux_sel_ready(&s, a), 0);
    SL_REQUIRE_OK(mux_sel_del(&s, gone, MUX_READ));
    SL_CHECK_INT("mux_sel_wait(s, 1000) once the closed descriptor is out of the set",
                 mux_sel_wait(&s, 1000), 1);
    close(a);
    close(b);
}

SL_TEST(sel_rejects_bad_arguments, 1,
        "NULL or events that are neither MUX_READ nor MUX_WRITE (0, or other bits): EINVAL; a "
        "negative descriptor: EBADF; a timeout below -1: EINVAL. mux_sel_ready() of NULL or "
        "of a negative descriptor is 0.")
{
    mux_sel_t s;

    mux_sel_init(&s);
    SL_REQUIRE_OK(mux_sel_add(&s, 0, MUX_READ));
    SL_ASSERT_FAILS_WITH(mux_sel_add(NULL, 0, MUX_READ), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_sel_add(&s, 0, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_sel_add(&s, 0, MUX_READ | 0x8), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_sel_add(&s, -1, MUX_READ), EBADF);
    SL_ASSERT_FAILS_WITH(mux_sel_del(NULL, 0, MUX_READ), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_sel_del(&s, -1, MUX_READ), EBADF);
    SL_ASSERT_FAILS_WITH(mux_sel_wait(NULL, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(mux_sel_wait(&s, -2), EINVAL);
    SL_CHECK_INT("mux_sel_ready(NULL, 0)", mux_sel_ready(NULL, 0), 0);
    SL_CHECK_INT("mux_sel_ready(s, -1)", mux_sel_ready(&s, -1), 0);
    SL_CHECK_INT("maxfd after the refused calls", s.maxfd, 0);
}
