/* loop.c - lesson 07, reference solution: the core of the reactor (redis's
 * ae.c). It keeps, per descriptor, the interest and its one callback; a
 * backend turns the kernel's answer into loop->fired; the core dispatches
 * each fired event to the callbacks that still want it, then runs the
 * timers that are due. */
#include "backends.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- Task 1: descriptors and dispatch --------------------------------------- */

el_loop_t *el_create(const char *name, int setsize)
{
    const el_backend_t *b = el_backend_named(name);
    el_loop_t *loop;

    if (b == NULL)
        return NULL;
    if (setsize < 1 || setsize > b->max_setsize) {
        errno = setsize < 1 ? EINVAL : ERANGE;
        return NULL;
    }
    loop = calloc(1, sizeof *loop);
    if (loop == NULL)
        return NULL;
    loop->backend = b;
    loop->setsize = setsize;
    loop->maxfd = -1;
    loop->next_id = 1;
    loop->files = calloc((size_t)setsize, sizeof *loop->files);   /* every mask EL_NONE */
    loop->fired = calloc((size_t)setsize, sizeof *loop->fired);
    loop->fired_size = setsize;
    if (loop->files == NULL || loop->fired == NULL || b->create(loop) < 0) {
        int err = errno;

        free(loop->files);
        free(loop->fired);
        free(loop);
        errno = err;
        return NULL;
    }
    return loop;
}

void el_free(el_loop_t *loop)
{
    if (loop == NULL)
        return;
    while (loop->timers != NULL) {
        el_timer_t *t = loop->timers;

        loop->timers = t->next;
        free(t);
    }
    loop->backend->destroy(loop);
    free(loop->files);
    free(loop->fired);
    free(loop);
}

const char *el_backend_name(const el_loop_t *loop)
{
    if (loop == NULL) {
        errno = EINVAL;
        return NULL;
    }
    return loop->backend->name;
}

/* files[] of setsize entries: a new zeroed array (with glibc, a large
 * calloc() is fresh pages from mmap(), which cost no memory until written:
 * the room past the descriptors in use is then free), the old entries
 * copied in. */
static el_file_t *files_of(const el_loop_t *loop, int setsize)
{
    el_file_t *files = calloc((size_t)setsize, sizeof *files);
    int keep = setsize < loop->setsize ? setsize : loop->setsize;

    if (files != NULL)
        memcpy(files, loop->files, sizeof *files * (size_t)keep);
    return files;
}

int el_resize(el_loop_t *loop, int setsize)
{
    el_file_t *files;
    el_fired_t *fired;

    if (loop == NULL || setsize < 1) {
        errno = EINVAL;
        return -1;
    }
    if (setsize > loop->backend->max_setsize || loop->maxfd >= setsize) {
        errno = ERANGE;
        return -1;
    }
    files = files_of(loop, setsize);
    if (files == NULL || loop->backend->resize(loop, setsize) < 0) {
        free(files);
        return -1;
    }
    /* fired[] holds the events of this round, which el_process() may be
     * walking (a callback is resizing): realloc() keeps them, and it only
     * ever grows, so that no event of the round is cut off. */
    fired = loop->fired;
    if (setsize > loop->fired_size) {
        fired = realloc(loop->fired, sizeof *fired * (size_t)setsize);
        if (fired == NULL) {
            free(files);
            return -1;   /* the backend's state is larger than needed: no harm */
        }
        loop->fired_size = setsize;
    }
    free(loop->files);
    loop->files = files;
    loop->fired = fired;
    loop->setsize = setsize;
    return 0;
}

/* Room for fd: twice the size (or fd + 1 if more), at most the backend's. */
static int make_room(el_loop_t *loop, int fd)
{
    int max = loop->backend->max_setsize, want;

    if (fd < loop->setsize)
        return 0;
    if (fd >= max) {
        errno = ERANGE;
        return -1;
    }
    want = loop->setsize > max / 2 ? max : loop->setsize * 2;
    if (want <= fd)
        want = fd + 1;
    return el_resize(loop, want);
}

int el_add(el_loop_t *loop, int fd, int mask, el_file_fn *proc, void *data)
{
    el_file_t *f;

    if (loop == NULL || proc == NULL || mask == 0 || (mask & ~(EL_READABLE | EL_WRITABLE))) {
        errno = EINVAL;
        return -1;
    }
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if (make_room(loop, fd) < 0 || loop->backend->add(loop, fd, mask) < 0)
        return -1;
    f = &loop->files[fd];
    f->mask |= mask;
    f->proc = proc;   /* one callback for both bits: the last given */
    f->data = data;
    if (fd > loop->maxfd)
        loop->maxfd = fd;
    return 0;
}

/* fd is watched for nothing now (it may be closed, and its number taken
 * by a new descriptor before this round ends): the events of this round
 * that are left for it are the old descriptor's, and are dropped, as
 * libuv's uv__platform_invalidate_fd() does. Outside a round nfired is 0. */
static void forget_fired(el_loop_t *loop, int fd)
{
    for (int i = 0; i < loop->nfired; i++) {
        if (loop->fired[i].fd == fd)
            loop->fired[i].mask = EL_NONE;
    }
}

void el_del(el_loop_t *loop, int fd, int mask)
{
    el_file_t *f;

    if (loop == NULL || fd < 0 || fd >= loop->setsize)
        return;
    f = &loop->files[fd];
    mask &= f->mask;
    if (mask == EL_NONE)
        return;
    loop->backend->del(loop, fd, mask);
    f->mask &= ~mask;
    if (f->mask == EL_NONE)
        forget_fired(loop, fd);
    if (fd == loop->maxfd && f->mask == EL_NONE) {
        while (loop->maxfd >= 0 && loop->files[loop->maxfd].mask == EL_NONE)
            loop->maxfd--;
    }
}

int el_mask(const el_loop_t *loop, int fd)
{
    if (loop == NULL || fd < 0 || fd >= loop->setsize)
        return EL_NONE;
    return loop->files[fd].mask;
}

/* Calls the callback of fired[i], once per bit, readable first. Both the
 * interest and the event are read again before each call (from the
 * arrays: a callback that grows the loop moves them): an earlier callback
 * of this round may have el_del()-ed this descriptor and closed it, or
 * shrunk the loop below it; the read call may have removed the write
 * interest, or closed its own descriptor; el_del() down to EL_NONE cleared
 * the event then (forget_fired()), so a new descriptor that took the
 * number is not called for the old one's event (its own comes next round:
 * level-triggered). */
static int dispatch(el_loop_t *loop, int i)
{
    int fd = loop->fired[i].fd, calls = 0;
    el_file_t *f;

    if (fd >= loop->setsize)
        return 0;   /* a callback shrank the loop: not watched any more */
    f = &loop->files[fd];
    if (f->mask & loop->fired[i].mask & EL_READABLE) {
        f->proc(loop, fd, f->data, EL_READABLE);
        calls++;
        if (fd >= loop->setsize)
            return calls;   /* the callback shrank the loop */
    }
    f = &loop->files[fd];   /* the callback may have grown files[] */
    if (f->mask & loop->fired[i].mask & EL_WRITABLE) {
        f->proc(loop, fd, f->data, EL_WRITABLE);
        calls++;
    }
    return calls;
}

/* ---- Task 2: timers ------------------------------------------------------------- */

long long el_timer_add(el_loop_t *loop, long long ms, el_timer_fn *proc, void *data)
{
    el_timer_t *t;

    if (loop == NULL || proc == NULL || ms < 0 || ms > INT_MAX) {
        errno = EINVAL;   /* past INT_MAX, el_now_ms() + ms could overflow */
        return -1;
    }
    t = malloc(sizeof *t);
    if (t == NULL)
        return -1;
    t->id = loop->next_id++;
    t->when_ms = el_now_ms() + ms;
    t->proc = proc;
    t->data = data;
    t->next = loop->timers;
    loop->timers = t;
    return t->id;
}

/* Marked only: the list may be walked by el_process() right now. */
int el_timer_del(el_loop_t *loop, long long id)
{
    for (el_timer_t *t = loop != NULL ? loop->timers : NULL; t != NULL; t = t->next) {
        if (t->id == id && id > 0) {
            t->id = -1;
            return 0;
        }
    }
    errno = ENOENT;
    return -1;
}

/* How long the backend may wait: timeout_ms, cut to the nearest timer. */
static int wait_ms(const el_loop_t *loop, int timeout_ms)
{
    long long now = el_now_ms(), ms = timeout_ms;

    for (const el_timer_t *t = loop->timers; t != NULL; t = t->next) {
        long long left;

        if (t->id < 0)
            continue;
        left = t->when_ms > now ? t->when_ms - now : 0;
        if (ms < 0 || left < ms)
            ms = left;
    }
    return ms > INT_MAX ? INT_MAX : (int)ms;   /* (int) of 2^31 is negative: for ever */
}

/* Frees the deleted timers. */
static void sweep_timers(el_loop_t *loop)
{
    el_timer_t **link = &loop->timers;

    while (*link != NULL) {
        el_timer_t *t = *link;

        if (t->id < 0) {
            *link = t->next;
            free(t);
        } else {
            link = &t->next;
        }
    }
}

/* Calls the timers that are due (not those added during this round: their
 * ids are past last_id); re-arms each by what it returns, counted from now
 * (as ae.c does): a periodic timer drifts by the time its callback and the
 * round took, which an idle sweep does not mind (a metronome would count
 * from when_ms instead). Any negative value is EL_NOMORE: re-armed in the
 * past, it would be due every round, and the loop would spin. */
static int run_timers(el_loop_t *loop)
{
    long long last_id = loop->next_id - 1, now = el_now_ms();
    int calls = 0;

    for (el_timer_t *t = loop->timers; t != NULL; t = t->next) {
        int again;

        if (t->id < 0 || t->id > last_id || t->when_ms > now)
            continue;
        again = t->proc(loop, t->id, t->data);
        calls++;
        if (t->id < 0)
            continue;   /* it deleted itself */
        if (again < 0)
            t->id = -1;
        else
            t->when_ms = el_now_ms() + again;
    }
    sweep_timers(loop);
    return calls;
}

/* ---- Task 1 again: one round, and the loop ------------------------------------- */

int el_process(el_loop_t *loop, int timeout_ms)
{
    int n, calls = 0;

    if (loop == NULL) {
        errno = EINVAL;
        return -1;
    }
    n = loop->backend->poll(loop, wait_ms(loop, timeout_ms));
    if (n < 0)
        return -1;
    loop->nfired = n;   /* for el_del(): the events of this round */
    for (int i = 0; i < n; i++)
        calls += dispatch(loop, i);
    loop->nfired = 0;
    return calls + run_timers(loop);
}

int el_run(el_loop_t *loop)
{
    if (loop == NULL) {
        errno = EINVAL;
        return -1;
    }
    loop->stop = 0;
    while (!loop->stop) {
        if (el_process(loop, -1) < 0)
            return -1;
    }
    return 0;
}

void el_stop(el_loop_t *loop)
{
    if (loop != NULL)
        loop->stop = 1;
}
