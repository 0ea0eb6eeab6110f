/* gopher-get.c - lesson 09: a Gopher client (RFC
 * 1436), the C counterpart of a Gopher client of a few lines of Python.
 *
 *   gopher-get HOST PORT [SELECTOR]
 *
 * Sends SELECTOR (none: the top menu) and CRLF, reads until the server
 * closes. A menu (the top one, or any response whose lines are all menu
 * items up to the `.` line) is printed one item a line:
 *
 *   [T] DISPLAY<TAB>HOST PORT SELECTOR      (an item of type T)
 *   DISPLAY                                 (an information line, type i)
 *
 * A menu whose first item is an error (type 3) is said on stderr, exit 1:
 * that is how a server says that a selector does not exist. A text that
 * ends with the `.` line is printed without it, a leading `..` given
 * back as `.`, lines ending in LF; anything else as it came. Any failure:
 * one line on stderr, exit 1; bad usage: exit 2.
 *
 * Your work: get(), which starts with TODO(). The command line and the
 * request (gopher_format_request(), Task 6) are done for you, in main(). */
#include "protocols.h"

#include "net.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "gopher-get"

/* The most a response may hold: it is kept whole to tell a menu from a
 * text. */
#define RESPONSE_MAX (16 * 1024 * 1024)

/* A response, read to its end. */
typedef struct response {
    char *data;
    size_t len, cap;
} response_t;

/* Says "NAME: what: reason" on stderr; returns -1. */
static int fail(const char *what, const char *reason)
{
    fprintf(stderr, NAME ": %s: %s\n", what, reason);
    return -1;
}

/* Is s a port number, 1 to 65535, in decimal digits alone? */
static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) >= 1 && atol(s) <= 65535;
}

/* Fetches selector from host:port (req, len bytes: the request) and
 * prints it. 0, or -1 once the failure is said. */
static int get(const char *host, int port, const char *selector, const char *req, int len)
{
    /* net_connect() (net.h), net_send_all(req), then read() until 0 (the
     * server closes), into a buffer that grows (realloc()) up to
     * RESPONSE_MAX. Then, as the comment at the top of this file says:
     * a menu (selector "" or every line an item up to the "." line, by
     * gopher_parse_item()) printed item by item, an error item first
     * said with fail(), a text ended by "." printed without it, anything
     * else as it came. Every failure: fail(where, reason). */
    (void)host;
    (void)port;
    (void)selector;
    (void)req;
    (void)len;
    TODO();
}

int main(int argc, char **argv)
{
    const char *selector = argc == 4 ? argv[3] : "";
    char req[GOPHER_SELECTOR_MAX + 3];
    int len;

    if ((argc != 3 && argc != 4) || !is_port(argv[2])) {
        fprintf(stderr, "usage: " NAME " HOST PORT [SELECTOR]\n");
        return 2;
    }
    len = gopher_format_request(selector, req, sizeof req);
    if (len < 0) {
        fprintf(stderr, NAME ": selector: a TAB, CR or LF, or more than %d bytes\n"
                "usage: " NAME " HOST PORT [SELECTOR]\n", GOPHER_SELECTOR_MAX);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (get(argv[1], atoi(argv[2]), selector, req, len) < 0)
        return 1;
    if (fflush(stdout) != 0 || ferror(stdout))
        return fail("write stdout", strerror(errno)), 1;
    return 0;
}
