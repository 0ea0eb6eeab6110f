/* http-get.c - lesson 09: fetches an http:// URL, as
 * Python's urllib.request.urlopen() and urlretrieve() do.
 *
 *   http-get URL [-o FILE]
 *
 * GET with HTTP/1.1 (Host, User-Agent, Connection: close), redirects
 * (301, 302, 303, 307, 308) followed up to HTTP_REDIRECTS_MAX times, the
 * body of a 2xx response to stdout or to FILE. Any other status, a
 * malformed or truncated response: one line on stderr, exit 1, and no
 * FILE: it is written under a temporary name in the same folder and
 * renamed to FILE only once the body is whole. Bad usage: exit 2.
 *
 * Your work: get(), which starts with TODO(); the comment in it says what
 * to do. The command line, the URL's errors, the signals and the exit
 * status are done for you, in main(). protocols.h has the functions to
 * use (yours, Tasks 1 to 5), net.h the connection (given). */
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

#include "todo.h"

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

/* GETs u, following redirects, and saves the body of the final 2xx to o
 * (o->file NULL: stdout). 0, or -1 once the failure is said. */
static int get(url_t *u, out_t *o)
{
    /* For each hop (at most HTTP_REDIRECTS_MAX redirects, then the next one
     * is an error):
     *  - url_format() the URL for messages; http_format_request() it;
     *    net_connect(u->host, u->port, ...) and net_send_all() (net.h);
     *  - http_reader_init() on the socket, http_read_head(): on -1 say
     *    fail(where, why(errno));
     *  - a redirect (http_is_redirect()): its "location" (http_header())
     *    resolved against u with url_resolve(), close, go round again;
     *  - another status that is not 2xx: fail(where, "404 Not Found");
     *  - 2xx: the body. With o->file: mkstemp() "FILE.part-XXXXXX" (copy
     *    its name into tmp_path and set tmp_live, for on_signal(), with
     *    SIGINT, SIGTERM and SIGHUP blocked by sigprocmask() meanwhile),
     *    fchmod() it to 0666 & ~umask (checked); http_read_body() until
     *    0, writing each piece; -1: close and unlink() the temporary
     *    file, say why(errno). At the end fsync(), close() and rename()
     *    it to FILE (signals blocked again while tmp_live goes to 0).
     *  Close the socket on every path. */
    (void)u;
    (void)o;
    (void)why;
    (void)fail;
    TODO();
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
