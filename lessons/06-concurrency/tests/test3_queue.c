/* Task 3: a bounded queue (cc_queue_init, cc_queue_push, cc_queue_pop,
 * cc_queue_len, cc_queue_close, cc_queue_destroy). */
#include "ccutil.h"

SL_TASK(3, "A bounded queue");

#define N(i) ((void *)(long)(i))

SL_TEST(queue_is_fifo_and_bounded, 4,
        "A ring of cap slots: push writes items[(head + len) % cap], pop reads items[head] "
        "and moves head on. Full (len == cap) with timeout 0: -1 with EAGAIN. It never grows: "
        "an unbounded queue takes every client a flood brings.")
{
    cc_queue_t q;
    void *item = NULL;
    int pushed = 0;

    SL_REQUIRE_OK(cc_queue_init(&q, 8));
    SL_CHECK_INT("cc_queue_len() of a new queue", cc_queue_len(&q), 0);
    for (int i = 0; i < 1000; i++)
        if (cc_queue_push(&q, N(i), 0) == 0)
            pushed++;
        else
            break;
    if (pushed > 8)
        SL_FAIL_FATAL("unbounded queue: cc_queue_push(timeout 0) took %d items into a queue of "
                      "capacity 8: once it holds 8, fail with EAGAIN", pushed);
    SL_CHECK_INT("items a queue of capacity 8 took", pushed, 8);
    SL_ASSERT_FAILS_WITH(cc_queue_push(&q, N(99), 0), EAGAIN);
    SL_CHECK_INT("cc_queue_len() of a full queue of 8", cc_queue_len(&q), 8);
    for (int round = 0; round < 100; round++) {   /* head goes round the ring */
        SL_REQUIRE_OK(cc_queue_pop(&q, &item));
        if (item != N(round))
            SL_FAIL_FATAL("cc_queue_pop() gave item %ld: expected %d, the oldest", (long)item, round);
        SL_REQUIRE_OK(cc_queue_push(&q, N(round + 8), 0));
    }
    SL_CHECK_INT("cc_queue_len() after 100 pops and pushes", cc_queue_len(&q), 8);
    cc_queue_destroy(&q);
    SL_ASSERT_FAILS_WITH(cc_queue_init(&q, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(cc_queue_init(NULL, 4), EINVAL);
}

static void *pop_later(void *arg)
{
    cc_queue_t *q = arg;
    void *item;

    sl_sleep_ms(150);
    cc_queue_pop(q, &item);
    return item;
}

SL_TEST(queue_push_waits_for_a_slot, 3,
        "A full queue makes cc_queue_push() wait on not_full (pthread_cond_wait, or "
        "pthread_cond_timedwait until a deadline computed once): -1 with ETIMEDOUT when none "
        "frees in time; pop signals not_full.")
{
    cc_queue_t q;
    pthread_t t;
    double t0;
    int rc;

    SL_REQUIRE_OK(cc_queue_init(&q, 2));
    SL_REQUIRE_OK(cc_queue_push(&q, N(1), 0));
    SL_REQUIRE_OK(cc_queue_push(&q, N(2), 0));
    t0 = sl_now_ms();
    SL_ASSERT_FAILS_WITH(cc_queue_push(&q, N(3), 200), ETIMEDOUT);
    if (sl_now_ms() - t0 < 180 || sl_now_ms() - t0 > 1500)
        SL_FAIL("cc_queue_push(timeout 200) on a full queue returned after %.0f ms",
                sl_now_ms() - t0);
    pthread_create(&t, NULL, pop_later, &q);
    t0 = sl_now_ms();
    rc = cc_queue_push(&q, N(3), -1);
    SL_CHECK_INT("cc_queue_push(timeout -1) once another thread pops", rc, 0);
    if (sl_now_ms() - t0 < 100)
        SL_FAIL("cc_queue_push() on a full queue returned after %.0f ms, before a slot freed",
                sl_now_ms() - t0);
    pthread_join(t, NULL);
    SL_CHECK_INT("cc_queue_len() after", cc_queue_len(&q), 2);
    cc_queue_destroy(&q);
}

static void *pop_one(void *arg)
{
    cc_queue_t *q = arg;
    void *item;

    return (void *)(long)(cc_queue_pop(q, &item) < 0 ? errno : 0);
}

SL_TEST(queue_close_wakes_every_waiter, 3,
        "cc_queue_close(): closed = 1 and pthread_cond_broadcast() on both conditions. pop "
        "still hands out what is there, then fails with EPIPE; push fails with EPIPE.")
{
    cc_queue_t q;
    pthread_t t[3];
    void *item = NULL, *ret;

    SL_REQUIRE_OK(cc_queue_init(&q, 4));
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, pop_one, &q);
    sl_sleep_ms(100);
    cc_queue_close(&q);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], &ret);
        SL_CHECK_INT("errno of a cc_queue_pop() that waited when the queue was closed",
                     (long)ret, EPIPE);
    }
    SL_ASSERT_FAILS_WITH(cc_queue_push(&q, N(1), 0), EPIPE);
    cc_queue_destroy(&q);
    SL_REQUIRE_OK(cc_queue_init(&q, 4));
    SL_REQUIRE_OK(cc_queue_push(&q, N(7), 0));
    cc_queue_close(&q);
    cc_queue_close(&q);
    SL_CHECK_INT("cc_queue_pop() of a closed queue that holds an item", cc_queue_pop(&q, &item), 0);
    SL_CHECK_INT("the item", (long)item, 7);
    SL_ASSERT_FAILS_WITH(cc_queue_pop(&q, &item), EPIPE);
    cc_queue_destroy(&q);
}

/* A pop or a push that another thread waits in, and what it got. */
typedef struct op { cc_queue_t *q; void *item; int rc, err, done; pthread_mutex_t lock; } op_t;

static void op_end(op_t *o, int rc)
{
    int err = errno;

    pthread_mutex_lock(&o->lock);
    o->rc = rc;
    o->err = err;
    o->done = 1;
    pthread_mutex_unlock(&o->lock);
}

static void *pop_op(void *arg)
{
    op_t *o = arg;
    void *item = NULL;
    int rc = cc_queue_pop(o->q, &item);

    o->item = item;   /* read after the join */
    op_end(o, rc);
    return NULL;
}

static void *push_op(void *arg)
{
    op_t *o = arg;

    op_end(o, cc_queue_push(o->q, o->item, -1));
    return NULL;
}

static int op_done(op_t *o)
{
    int d;

    pthread_mutex_lock(&o->lock);
    d = o->done;
    pthread_mutex_unlock(&o->lock);
    return d;
}

/* Broadcasts cond 30 times in 150 ms, then gives the waiter 50 ms. */
static void wake_for_nothing(pthread_cond_t *cond)
{
    for (int i = 0; i < 30; i++) {
        sl_sleep_ms(5);
        pthread_cond_broadcast(cond);
    }
    sl_sleep_ms(50);
}

SL_TEST_TIMEOUT(queue_waits_through_wakeups_for_nothing, 2, 6000,
                "A wake-up is no proof: pthread_cond_wait() may return with the queue still "
                "empty (or full), spuriously or because another thread came first; the test "
                "broadcasts the conditions itself. Wait in a while loop that looks again: "
                "while (q->len == 0 && !q->closed).")
{
    cc_queue_t q;
    op_t pop = {&q, NULL, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    op_t push = {&q, N(9), 0, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t t;
    void *item = NULL;

    SL_REQUIRE_OK(cc_queue_init(&q, 1));
    pthread_create(&t, NULL, pop_op, &pop);
    wake_for_nothing(&q.not_empty);
    if (op_done(&pop))
        SL_FAIL_FATAL("cc_queue_pop() of an empty, open queue returned %d (errno %s) when "
                      "not_empty was broadcast with nothing in the queue: wait in a while loop",
                      pop.rc, cu_errno(pop.err));
    SL_REQUIRE_OK(cc_queue_push(&q, N(5), 0));
    pthread_join(t, NULL);
    SL_CHECK_INT("cc_queue_pop() once an item came", pop.rc, 0);
    SL_CHECK_INT("the item it took", (long)pop.item, 5);
    SL_REQUIRE_OK(cc_queue_push(&q, N(8), 0));   /* full: 1 of 1 */
    pthread_create(&t, NULL, push_op, &push);
    wake_for_nothing(&q.not_full);
    if (op_done(&push))
        SL_FAIL_FATAL("cc_queue_push(timeout -1) into a full queue returned %d (errno %s) when "
                      "not_full was broadcast with the queue still full: wait in a while loop",
                      push.rc, cu_errno(push.err));
    SL_REQUIRE_OK(cc_queue_pop(&q, &item));
    pthread_join(t, NULL);
    SL_CHECK_INT("cc_queue_push(timeout -1) once a slot freed", push.rc, 0);
    SL_CHECK_INT("cc_queue_len() after", cc_queue_len(&q), 1);
    cc_queue_destroy(&q);
}

#define PRODUCERS 4
#define ITEMS 3000

typedef struct work { cc_queue_t *q; long sum; int over; } work_t;

static void *producer(void *arg)
{
    work_t *w = arg;

    for (long i = 1; i <= ITEMS; i++)
        cc_queue_push(w->q, N(i), -1);
    return NULL;
}

static void *consumer(void *arg)
{
    work_t *w = arg;
    void *item;

    while (cc_queue_pop(w->q, &item) == 0) {
        w->sum += (long)item;
        if (cc_queue_len(w->q) > w->q->cap)
            w->over = 1;
    }
    return NULL;
}

SL_TEST_TIMEOUT(queue_survives_many_threads, 3, 10000,
                "Every field of the queue is read and written under its lock; wait in a "
                "while loop (a wake-up may find the queue full or empty again: another "
                "thread took the slot first). Timed out in a futex? A return between lock "
                "and unlock.")
{
    cc_queue_t q;
    pthread_t p[PRODUCERS], c[PRODUCERS];
    work_t wp = {&q, 0, 0}, wc[PRODUCERS];
    long sum = 0;

    SL_REQUIRE_OK(cc_queue_init(&q, 3));
    for (int i = 0; i < PRODUCERS; i++) {
        wc[i] = (work_t){&q, 0, 0};
        pthread_create(&c[i], NULL, consumer, &wc[i]);
        pthread_create(&p[i], NULL, producer, &wp);
    }
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(p[i], NULL);
    cc_queue_close(&q);
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(c[i], NULL);
        sum += wc[i].sum;
        if (wc[i].over)
            SL_FAIL("cc_queue_len() said more than the capacity, 3: the queue grew");
    }
    if (sum != (long)PRODUCERS * ITEMS * (ITEMS + 1) / 2)
        SL_FAIL("4 threads pushed 1 to 3000 each and 4 popped: the items popped add up to %ld, "
                "expected %ld (items lost or taken twice: a field changed outside the lock, "
                "or an if where a while must wait)", sum, (long)PRODUCERS * ITEMS * (ITEMS + 1) / 2);
    cc_queue_destroy(&q);
}
