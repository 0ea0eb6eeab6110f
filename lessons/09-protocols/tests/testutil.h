/* testutil.h - helpers of lesson 09's library tests: exact bytes fed to
 * the student's reader through a pipe (all at once, one byte at a time,
 * or without end from a child process), and the calls of the head and
 * the body on them, with errno named in messages. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "protocols.h"
#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_sockets.h"
#include "sl_test.h"

/* errno as its name, "EPROTO", for messages. */
static inline const char *tu_errno(int err)
{
    const char *n = sl_errno_name(err);

    return n ? n : (err ? strerror(err) : "0");
}

/* What a call returned, "-1 (errno EPROTO)" or "12", for messages. */
static inline const char *tu_ret(long long ret, int err)
{
    static char buf[4][64];
    static int i;
    char *o = buf[i++ % 4];

    if (ret < 0)
        snprintf(o, sizeof buf[0], "-1 (errno %s)", tu_errno(err));
    else
        snprintf(o, sizeof buf[0], "%lld", ret);
    return o;
}

/* A feeder: the read end of a pipe whose other end gets the bytes. */
typedef struct tu_feed {
    int fd;      /* the read end, for http_reader_init() */
    pid_t child; /* the writer, or 0 when the bytes were written at once */
} tu_feed_t;

/* The child's part: writes data in pieces of `piece` bytes (0: all), a
 * pause of pause_us before each, then (if forever) repeats `data` until
 * the reader is gone. */
static inline void tu_feed_child(int fd, const char *data, size_t len, size_t piece,
                                 int pause_us, int forever)
{
    do {
        for (size_t off = 0; off < len;) {
            size_t n = piece && piece < len - off ? piece : len - off;
            ssize_t w;
            struct timespec ts = {0, (long)pause_us * 1000L};

            if (pause_us)
                nanosleep(&ts, NULL);
            w = write(fd, data + off, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                _exit(0);
            off += (size_t)w;
        }
    } while (forever);
    _exit(0);
}

/* Feeds len bytes of data: written at once when they fit in the pipe and
 * no pieces are asked for, else by a child (pieces of `piece` bytes with
 * pause_us between; forever: repeated without end). Ends the test if the
 * pipe or the child cannot be made. */
static inline tu_feed_t tu_feed_ex(const void *data, size_t len, size_t piece, int pause_us,
                                   int forever)
{
    tu_feed_t f = {-1, 0};
    int p[2];

    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    if (!piece && !forever && len <= 32768) {
        if (len > 0 && write(p[1], data, len) != (ssize_t)len)
            SL_FAIL_FATAL("test setup: write to a pipe: %s", strerror(errno));
        close(p[1]);
        f.fd = p[0];
        return f;
    }
    f.child = sl_fork();
    if (f.child == 0) {
        close(p[0]);
        tu_feed_child(p[1], data, len, piece, pause_us, forever);
    }
    close(p[1]);
    f.fd = p[0];
    return f;
}

/* Feeds bytes all at once. */
static inline tu_feed_t tu_feed(const void *data, size_t len)
{
    return tu_feed_ex(data, len, 0, 0, 0);
}

/* Closes the read end and stops the writer. */
static inline void tu_feed_end(tu_feed_t *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->child > 0) {
        kill(f->child, SIGKILL);
        waitpid(f->child, NULL, 0);
    }
    f->child = 0;
}

/* A reader and a response on the heap (ASan sees a write past them). */
typedef struct tu_http {
    tu_feed_t feed;
    http_reader_t *r;
    http_response_t *res;
} tu_http_t;

/* Feeds the bytes (as tu_feed_ex()) to a fresh reader. */
static inline void tu_http_open(tu_http_t *h, const void *data, size_t len, size_t piece,
                                int pause_us, int forever)
{
    h->r = malloc(sizeof *h->r);
    h->res = malloc(sizeof *h->res);
    if (h->r == NULL || h->res == NULL)
        SL_FAIL_FATAL("test setup: out of memory");
    memset(h->res, 0xA5, sizeof *h->res);   /* stale values must not pass */
    h->feed = tu_feed_ex(data, len, piece, pause_us, forever);
    http_reader_init(h->r, h->feed.fd);
}

static inline void tu_http_close(tu_http_t *h)
{
    tu_feed_end(&h->feed);
    free(h->r);
    free(h->res);
}

/* http_read_head() on the text `in` (sent all at once): its return value,
 * errno in *err. The caller closes h. */
static inline int tu_head(tu_http_t *h, const char *in, size_t len, int *err)
{
    int rc;

    tu_http_open(h, in, len, 0, 0, 0);
    errno = 0;
    SL_QUIET_CALL(rc, http_read_head(h->r, h->res));
    *err = errno;
    return rc;
}

/* Reads the whole body with http_read_body() in pieces of `step` bytes
 * into out (cap bytes; more is counted, not kept): 0 at its end, -1 with
 * *err; *got says how many came before. */
static inline int tu_body(tu_http_t *h, char *out, size_t cap, size_t step, size_t *got,
                          int *err)
{
    static char piece[65536];
    double end = sl_now_ms() + sl_scaled_ms(2000);

    *got = 0;
    *err = 0;
    if (step > sizeof piece)
        step = sizeof piece;
    for (;;) {
        ssize_t n;

        errno = 0;
        n = http_read_body(h->r, h->res, piece, step);
        if (n < 0) {
            *err = errno;
            return -1;
        }
        if (n == 0)
            return 0;
        if ((size_t)n > step) {
            SL_FAIL_FATAL("http_read_body() with room for %zu bytes returned %zd", step, n);
        }
        if (*got < cap)
            memcpy(out + *got, piece, (size_t)n < cap - *got ? (size_t)n : cap - *got);
        *got += (size_t)n;
        if (sl_now_ms() > end)
            SL_FAIL_FATAL("http_read_body() kept returning bytes for 2 s (%zu so far): the "
                          "body's end was never seen", *got);
    }
}

/* A byte pattern that repeats only every 251 bytes, and never as text. */
static inline void tu_pattern(char *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)((i * 7 + seed + i / 251) % 251);
}

#endif
