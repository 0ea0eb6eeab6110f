/* loop.c - lesson 07: the core of the reactor (redis's ae.c). It keeps,
 * per descriptor, the interest and its one callback (loop->files[fd]); a
 * backend turns the kernel's answer into loop->fired; the core dispatches
 * each fired event to the callback if it still wants it, then runs the
 * timers that are due.
 *
 * Your work (Tasks 1 and 2). Each function below starts with TODO():
 * replace that line with your code (and delete the (void) lines above it,
 * there only to keep the compiler quiet). reactor.h says exactly what each
 * function must do; the README explains the ideas; backend_select.c, given
 * whole, shows what a backend does with the loop. Check your work with
 * `make grade LESSON=07`. You may add helper functions: make them static. */
#include "backends.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "todo.h"

/* ---- Task 1: descriptors and dispatch --------------------------------------- */

el_loop_t *el_create(const char *name, int setsize)
{
    /* el_backend_named(name) (NULL: ENOENT already set); EINVAL for
     * setsize < 1, ERANGE past the backend's max_setsize; calloc() the
     * loop, files[] and fired[] (calloc: every mask EL_NONE); fired_size
     * setsize, maxfd -1, next_id 1; then the backend's create(). On any failure free what
     * was made, keeping errno. */
    (void)name;
    (void)setsize;
    TODO();
}

void el_free(el_loop_t *loop)
{
    /* NULL: nothing. The timers, the backend's destroy(), the arrays, the
     * loop. No descriptor of the caller's is closed. */
    (void)loop;
    TODO();
}

const char *el_backend_name(const el_loop_t *loop)
{
    /* NULL: EINVAL, and NULL. */
    (void)loop;
    TODO();
}

int el_resize(el_loop_t *loop, int setsize)
{
    /* The checks (EINVAL; ERANGE past max_setsize or with maxfd >= setsize);
     * a new files[] from calloc() with the old entries copied in (pages
     * never written cost nothing: a realloc() followed by a loop that
     * writes EL_NONE into every new entry costs them all); the backend's
     * resize(); realloc() fired[] only if setsize is past fired_size (it
     * holds this round's events, which el_process() may be walking while
     * a callback resizes: keep them, never shrink it); only then free the
     * old files[] and set setsize. On a failure, the loop is as it was. */
    (void)loop;
    (void)setsize;
    TODO();
}

int el_add(el_loop_t *loop, int fd, int mask, el_file_fn *proc, void *data)
{
    /* EINVAL, EBADF; grow when fd >= setsize (twice the size, at least
     * fd + 1, at most max_setsize: ERANGE for fd >= max_setsize); the
     * backend's add() *before* files[fd].mask changes (it reads the old
     * mask); then the mask (adding the bits), proc and data (the last
     * given: one callback per descriptor), and maxfd. */
    (void)loop;
    (void)fd;
    (void)mask;
    (void)proc;
    (void)data;
    TODO();
}

void el_del(el_loop_t *loop, int fd, int mask)
{
    /* Out of range or not watched for mask: nothing. The backend's del()
     * with the bits that are set, then clear them. Watched for nothing
     * now: clear the mask of every loop->fired[i] with that fd, i below
     * loop->nfired (the round's events left for it are the old
     * descriptor's, if it is closed and its number taken within the
     * round: libuv's uv__platform_invalidate_fd()); when fd was maxfd,
     * walk maxfd down to the next watched one (or -1). */
    (void)loop;
    (void)fd;
    (void)mask;
    TODO();
}

int el_mask(const el_loop_t *loop, int fd)
{
    (void)loop;
    (void)fd;
    TODO();
}

/* ---- Task 2: timers ------------------------------------------------------------- */

long long el_timer_add(el_loop_t *loop, long long ms, el_timer_fn *proc, void *data)
{
    /* EINVAL (ms below 0 or past INT_MAX: el_now_ms() + ms must not
     * overflow); a new el_timer_t at the head of loop->timers, id
     * next_id++, due at el_now_ms() + ms. */
    (void)loop;
    (void)ms;
    (void)proc;
    (void)data;
    TODO();
}

int el_timer_del(el_loop_t *loop, long long id)
{
    /* Find it; mark it (id -1) rather than free it: el_process() may be
     * walking the list right now (a timer that deletes another). Freed
     * after the round. ENOENT if there is no live timer of that id. */
    (void)loop;
    (void)id;
    TODO();
}

/* ---- Tasks 1 and 2: one round, and the loop ------------------------------------ */

int el_process(el_loop_t *loop, int timeout_ms)
{
    /* - The wait: timeout_ms, cut to the time left to the nearest live
     *   timer (0 if one is due already; -1 stays -1 with no timer), in a
     *   long long, and no more than INT_MAX once it is an int.
     * - n = backend->poll(loop, wait); -1: return -1 (EINTR is 0 there).
     * - loop->nfired = n while the events are dispatched (el_del() reads
     *   it), 0 after. For each fired event i: call proc with EL_READABLE
     *   if files[fd].mask still has it and loop->fired[i].mask has it,
     *   then look at files[fd] and loop->fired[i] *again* (a callback
     *   that grows the loop moves both arrays; el_del() may have cleared
     *   the event) and call proc with EL_WRITABLE if both still have it.
     *   An event of a descriptor at or past setsize (a callback shrank
     *   the loop, before or during its read call) is not dispatched.
     * - Then each live timer due (when_ms <= now) that existed before the
     *   timers ran (id <= the last id given before: one a timer adds waits
     *   for the next round): call it; EL_NOMORE (any negative value)
     *   deletes it, else it is due again at now + what it returned. Free
     *   the deleted ones after.
     * - Return how many callbacks ran. */
    (void)loop;
    (void)timeout_ms;
    TODO();
}

int el_run(el_loop_t *loop)
{
    /* stop = 0; el_process(loop, -1) until stop; -1 if a round failed. */
    (void)loop;
    TODO();
}

void el_stop(el_loop_t *loop)
{
    (void)loop;
    TODO();
}
