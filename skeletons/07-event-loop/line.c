/* line.c - lesson 07: the line receiver, Twisted's LineReceiver (Task 5).
 *
 * Your work. Each function below starts with TODO(): replace that line
 * with your code. Cut lines straight out of the bytes that came when you
 * can (memchr() for the '\n'); copy only a partial line, into lr->in, a
 * pr_buf_t allocated while one waits and freed (NULL) once it is whole.
 * The tests check both. */
#include "reactor.h"

#include <stdlib.h>
#include <string.h>

#include "todo.h"

void pr_line_data_received(pr_protocol_t *p, const char *data, size_t len)
{
    /* lr = (pr_line_receiver_t *)p. While bytes are left and
     * !pr_disconnecting(p->transport):
     * - raw mode: give what waits in lr->in, then the rest, to
     *   raw_data_received(); done;
     * - no '\n': keep the bytes in lr->in, unless that makes max_line
     *   bytes with no '\n' (too long);
     * - a '\n': the line is lr->in (if any) and the bytes before it; its
     *   length with the '\n' over max_line is too long; else
     *   line_received(lr, line, length without the '\n'); go on after it.
     * Too long: free lr->in, call ops->line_too_long() (NULL: pr_abort()
     * the transport) and stop. max_line 0 means PR_LINE_MAX. A callback
     * may switch modes (look at lr->raw again each time round) or end the
     * connection (look at pr_disconnecting() each time round). */
    (void)p;
    (void)data;
    (void)len;
    TODO();
}

void pr_line_set_raw(pr_line_receiver_t *lr, int raw)
{
    (void)lr;
    (void)raw;
    TODO();
}

void pr_line_release(pr_line_receiver_t *lr)
{
    (void)lr;
    TODO();
}
