/* line.c - lesson 07, reference solution: the line receiver (Twisted's
 * LineReceiver). Lines are cut straight out of the bytes that came when
 * they can be; only a partial line is copied, into a buffer that exists
 * while one waits. */
#include "reactor.h"

#include <stdlib.h>
#include <string.h>

static size_t max_line(const pr_line_receiver_t *lr)
{
    return lr->ops != NULL && lr->ops->max_line > 0 ? lr->ops->max_line : PR_LINE_MAX;
}

static int stopped(const pr_line_receiver_t *lr)
{
    return pr_disconnecting(lr->base.transport);
}

static void too_long(pr_line_receiver_t *lr)
{
    pr_line_release(lr);
    if (lr->ops != NULL && lr->ops->line_too_long != NULL)
        lr->ops->line_too_long(lr);
    else
        pr_abort(lr->base.transport);
}

static void raw(pr_line_receiver_t *lr, const char *data, size_t len)
{
    if (len > 0 && lr->ops != NULL && lr->ops->raw_data_received != NULL)
        lr->ops->raw_data_received(lr, data, len);
}

/* Appends to the partial line (allocated on the first byte). */
static int keep(pr_line_receiver_t *lr, const char *data, size_t len)
{
    pr_buf_t *b = lr->in;
    size_t have = b != NULL ? b->end : 0;

    if (b == NULL || b->cap - have < len) {
        size_t cap = b != NULL ? b->cap : 0;

        while (cap < have + len)
            cap = cap < 256 ? 256 : cap * 2;
        b = realloc(b, sizeof *b + cap);
        if (b == NULL)
            return -1;
        if (lr->in == NULL)
            b->start = b->end = 0;
        b->cap = cap;
        lr->in = b;
    }
    memcpy(b->data + b->end, data, len);
    b->end += len;
    return 0;
}

/* Delivers one line of len bytes (its '\n' at line[len]); 0, or -1 if it
 * is too long. */
static int deliver(pr_line_receiver_t *lr, const char *line, size_t len)
{
    if (len + 1 > max_line(lr)) {
        too_long(lr);
        return -1;
    }
    if (lr->ops != NULL && lr->ops->line_received != NULL)
        lr->ops->line_received(lr, line, len);
    return 0;
}

/* Ends the partial line with data[0, nl): delivered from the buffer. */
static int finish_partial(pr_line_receiver_t *lr, const char *data, size_t nl)
{
    pr_buf_t *b;

    if (lr->in->end + nl + 1 > max_line(lr)) {
        too_long(lr);
        return -1;
    }
    if (keep(lr, data, nl) < 0) {
        pr_abort(lr->base.transport);
        return -1;
    }
    b = lr->in;
    lr->in = NULL;   /* the callback may switch modes, or keep a new partial line */
    deliver(lr, b->data, b->end);
    free(b);
    return 0;
}

void pr_line_data_received(pr_protocol_t *p, const char *data, size_t len)
{
    pr_line_receiver_t *lr = (pr_line_receiver_t *)p;

    while (len > 0 && !stopped(lr)) {
        const char *nl;
        size_t n;

        if (lr->raw) {
            if (lr->in != NULL) {   /* a partial line from before the switch */
                pr_buf_t *b = lr->in;

                lr->in = NULL;
                raw(lr, b->data, b->end);
                free(b);
            }
            raw(lr, data, len);
            return;
        }
        nl = memchr(data, '\n', len);
        if (nl == NULL) {
            size_t have = lr->in != NULL ? lr->in->end : 0;

            if (have + len >= max_line(lr))
                too_long(lr);   /* max_line bytes and no '\n' among them */
            else if (keep(lr, data, len) < 0)
                pr_abort(p->transport);
            return;
        }
        n = (size_t)(nl - data);
        if (lr->in != NULL ? finish_partial(lr, data, n) < 0 : deliver(lr, data, n) < 0)
            return;
        data += n + 1;
        len -= n + 1;
    }
}

void pr_line_set_raw(pr_line_receiver_t *lr, int on)
{
    if (lr != NULL)
        lr->raw = on != 0;
}

void pr_line_release(pr_line_receiver_t *lr)
{
    if (lr != NULL) {
        free(lr->in);
        lr->in = NULL;
    }
}
