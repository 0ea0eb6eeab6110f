/* http-get.c - lesson 09, reference solution: fetches an http:// URL, as
 * Python's urllib.request.urlopen() and urlretrieve() do.
 *
 *   http-get URL [-o FILE]
 *
 * GET with HTTP/1.1 (Host, User-Agent, Connection: close), redirects
 * (301, 302, 303, 307, 308) followed up to HTTP_REDIRECTS_MAX times, the
 * body of a 2xx response to stdout or to FILE. Any other status, a
 * malformed or truncated response: one line on stderr, exit 1, and no
 * FILE: it is written under a temporary name in the same folder and
 * renamed to FILE only once the body is whole. Bad usage: exit 2. */
#include "protocols.h"

#include "net.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME "http-get"

/* Room for a URL as text (url_format()). */
#define WHERE_MAX (URL_TARGET_MAX + URL_HOST_MAX + 32)

/* Where the body goes: stdout, or a temporary file renamed to FILE. */
typedef struct out {
    int fd;                 /* 1, or the temporary file */
    const char *file;       /* FILE, or NULL for stdout */
    char tmp[PATH_MAX];     /* FILE.part-XXXXXX */
} out_t;

/* The temporary file, for the signal handler to remove. */
static volatile sig_atomic_t tmp_live;
static char tmp_path[PATH_MAX];

/* SIGINT, SIGTERM, SIGHUP: no half-written file is left behind. */
static void on_signal(int sig)
{
    if (tmp_live)
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The words for the errno of a failed read of the response. */
static const char *why(int err)
{
    switch (err) {
    case EPROTO: return "malformed response (RFC 9112)";
    case EMSGSIZE: return "a line longer than 8192 bytes, or a head too large";
    case E2BIG: return "more than 100 header fields";
    case ENODATA: return "truncated: the connection closed before the end of the response";
    case EAGAIN: return "timed out: the server sent nothing for 15 s";
    default: return strerror(err);
    }
}

/* Says "NAME: what: reason" on stderr; returns -1. */
static int fail(const char *what, const char *reason)
{
    fprintf(stderr, NAME ": %s: %s\n", what, reason);
    return -1;
}

/* Blocks SIGINT, SIGTERM and SIGHUP (the old mask in *old): on_signal()
 * then never sees tmp_path and tmp_live half set. */
static void signals_block(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Something failed: the temporary file goes. */
static void out_abort(out_t *o)
{
    sigset_t old;

    if (o->file == NULL || o->fd < 0)
        return;
    close(o->fd);
    o->fd = -1;
    signals_block(&old);
    unlink(o->tmp);
    tmp_live = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Opens the output: stdout, or FILE.part-XXXXXX beside FILE, with the
 * mode a new file gets (mkstemp() makes it 0600). */
static int out_open(out_t *o)
{
    mode_t mask = umask(0);
    sigset_t old;
    int n, err;

    umask(mask);
    if (o->file == NULL) {
        o->fd = STDOUT_FILENO;
        return 0;
    }
    n = snprintf(o->tmp, sizeof o->tmp, "%s.part-XXXXXX", o->file);
    if (n < 0 || (size_t)n >= sizeof o->tmp)
        return fail(o->file, strerror(ENAMETOOLONG));
    signals_block(&old);
    memcpy(tmp_path, o->tmp, (size_t)n + 1);
    o->fd = mkstemp(tmp_path);
    err = errno;
    tmp_live = o->fd >= 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (o->fd < 0)
        return fail(o->file, strerror(err));
    memcpy(o->tmp, tmp_path, (size_t)n + 1);
    if (fchmod(o->fd, 0666 & ~mask) < 0) {
        err = errno;
        out_abort(o);
        return fail(o->file, strerror(err));
    }
    return 0;
}

/* Writes all of buf to the output. */
static int out_write(out_t *o, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(o->fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(o->file ? o->tmp : "write stdout", strerror(errno));
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The body is whole: the temporary file, on the disk (fsync()), becomes
 * FILE; a crash after the rename then finds FILE whole too. */
static int out_commit(out_t *o)
{
    sigset_t old;
    int err = 0;

    if (o->file == NULL)
        return 0;
    if (fsync(o->fd) < 0)
        err = errno;
    if (close(o->fd) < 0 && err == 0)
        err = errno;
    o->fd = -1;
    signals_block(&old);
    if (err == 0 && rename(o->tmp, o->file) < 0)
        err = errno;
    if (err != 0)
        unlink(o->tmp);
    tmp_live = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return err ? fail(o->file, strerror(err)) : 0;
}

/* Copies the body of res to the output; the file is kept only if all of
 * it came. */
static int save_body(http_reader_t *r, http_response_t *res, out_t *o, const char *where)
{
    static char buf[65536];
    unsigned long long got = 0;
    char what[WHERE_MAX + 64];
    ssize_t n;

    if (out_open(o) < 0)
        return -1;
    while ((n = http_read_body(r, res, buf, sizeof buf)) > 0) {
        got += (unsigned long long)n;
        if (out_write(o, buf, (size_t)n) < 0) {
            out_abort(o);
            return -1;
        }
    }
    if (n < 0) {
        int err = errno;

        out_abort(o);
        snprintf(what, sizeof what, "body of %s, after %llu bytes", where, got);
        return fail(what, why(err));
    }
    return out_commit(o);
}

/* Connects to u and sends its GET: the socket, or -1 (said why). */
static int send_request(const url_t *u, const char *where)
{
    char req[URL_TARGET_MAX + URL_HOST_MAX + 256], reason[URL_HOST_MAX + 128];
    int fd, len = http_format_request(u, req, sizeof req);

    if (len < 0)
        return fail(where, strerror(errno));
    fd = net_connect(u->host, u->port, reason, sizeof reason);
    if (fd < 0)
        return fail(where, reason);
    if (net_send_all(fd, req, (size_t)len) < 0) {
        fail(where, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* A redirect of res from *u: *u becomes its Location, resolved. */
static int follow(url_t *u, const http_response_t *res, int hops, const char *where)
{
    const char *loc = http_header(res, "location");
    char what[WHERE_MAX + 64];

    snprintf(what, sizeof what, "redirect from %s", where);
    if (loc == NULL)
        return fail(what, "a redirect without a Location field");
    if (hops == HTTP_REDIRECTS_MAX)
        return fail(what, "more than 10 redirects (a redirect loop?)");
    if (url_resolve(u, loc, u) < 0)
        return fail(what, errno == EPROTONOSUPPORT
                              ? "the Location is not an http:// URL"
                              : "the Location is not a valid URL reference");
    return 0;
}

/* GETs u, following redirects, and saves the body of the final 2xx. */
static int get(url_t *u, out_t *o)
{
    char where[WHERE_MAX], status[HTTP_REASON_MAX + 16];
    static http_reader_t r;
    static http_response_t res;

    for (int hops = 0;; hops++) {
        int fd, rc;

        url_format(u, where, sizeof where);
        fd = send_request(u, where);
        if (fd < 0)
            return -1;
        http_reader_init(&r, fd);
        if (http_read_head(&r, &res) < 0)
            rc = fail(where, why(errno));
        else if (http_is_redirect(res.status))
            rc = follow(u, &res, hops, where) < 0 ? -1 : 1;
        else if (res.status < 200 || res.status > 299) {
            snprintf(status, sizeof status, "%d %s", res.status, res.reason);
            rc = fail(where, status);
        } else
            rc = save_body(&r, &res, o, where);
        close(fd);
        if (rc <= 0)
            return rc;
    }
}

/* Says how to run it; returns 2. */
static int usage(void)
{
    fprintf(stderr, "usage: " NAME " URL [-o FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    out_t o = {-1, NULL, ""};
    const char *text = NULL;
    url_t u;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && o.file == NULL && argv[i + 1][0])
            o.file = argv[++i];
        else if (argv[i][0] != '-' && text == NULL)
            text = argv[i];
        else
            return usage();
    }
    if (text == NULL)
        return usage();
    if (url_parse(text, &u) < 0) {
        fprintf(stderr, NAME ": URL '%s': %s\n", text,
                errno == EPROTONOSUPPORT ? "only http:// URLs are supported"
                : errno == ENAMETOOLONG  ? "too long"
                                         : "malformed URL");
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGPIPE, SIG_IGN);
    rc = get(&u, &o);
    return rc == 0 ? 0 : 1;
}
