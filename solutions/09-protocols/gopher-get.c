/* gopher-get.c - lesson 09, reference solution: a Gopher client (RFC
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
 * one line on stderr, exit 1; bad usage: exit 2. */
#include "protocols.h"

#include "net.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Reads fd until the server closes, into resp (NUL-terminated). */
static int read_all(int fd, response_t *resp, const char *where)
{
    for (;;) {
        ssize_t n;

        if (resp->cap - resp->len < 4096) {
            size_t cap = resp->cap ? resp->cap * 2 : 65536;
            char *p = cap > RESPONSE_MAX + 4096 ? NULL : realloc(resp->data, cap + 1);

            if (p == NULL)
                return fail(where, cap > RESPONSE_MAX + 4096 ? "response larger than 16 MiB"
                                                              : strerror(errno));
            resp->data = p;
            resp->cap = cap;
        }
        n = read(fd, resp->data + resp->len, resp->cap - resp->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(where, errno == EAGAIN ? "timed out" : strerror(errno));
        if (n == 0)
            break;
        resp->len += (size_t)n;
    }
    resp->data[resp->len] = '\0';
    return 0;
}

/* The next line of s (up to LF or the end), cut with a NUL in place;
 * *s moves past it. NULL at the end. */
static char *next_line(char **s, char *end)
{
    char *line = *s, *lf;

    if (line >= end)
        return NULL;
    lf = memchr(line, '\n', (size_t)(end - line));
    if (lf == NULL)
        lf = end;
    *lf = '\0';
    *s = lf + 1;
    return line;
}

/* Is resp a menu: every line an item, up to a last line "."? Each line
 * is tried in a copy (gopher_parse_item() cuts it); a line too long for
 * it is no menu's. */
static int is_menu(const response_t *resp)
{
    const char *s = resp->data, *end = resp->data + resp->len;
    char line[GOPHER_SELECTOR_MAX * 4];
    gopher_item_t it;

    while (s < end) {
        const char *lf = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)((lf ? lf : end) - s);
        int rc;

        if (n >= sizeof line)
            return 0;
        memcpy(line, s, n);
        line[n] = '\0';
        s += n + 1;
        rc = gopher_parse_item(line, &it);
        if (rc != 0)
            return rc == 1 && s >= end;
    }
    return 0;
}

/* Prints the menu in resp; an error item first is a failure. */
static int print_menu(response_t *resp, const char *where)
{
    char *s = resp->data, *line, what[64];
    gopher_item_t it;
    int n = 0, rc;

    while ((line = next_line(&s, resp->data + resp->len)) != NULL) {
        n++;
        rc = gopher_parse_item(line, &it);
        if (rc == 1)
            return 0;
        if (rc < 0) {
            snprintf(what, sizeof what, "line %d of the menu is not an item", n);
            return fail(where, what);
        }
        if (n == 1 && it.type == '3')
            return fail(where, it.display[0] ? it.display : "the server says: error");
        if (it.type == 'i')
            printf("%s\n", it.display);
        else
            printf("[%c] %s\t%s %d %s\n", it.type, it.display, it.host, it.port, it.selector);
    }
    return fail(where, n ? "the menu ended without its '.' line (truncated?)"
                         : "the server sent nothing (no such selector?)");
}

/* Does d[0, n) end with a line that is "." alone? */
static int ends_with_dot_line(const char *d, size_t n)
{
    size_t k;

    if (n >= 3 && memcmp(d + n - 3, ".\r\n", 3) == 0)
        k = n - 3;
    else if (n >= 2 && memcmp(d + n - 2, ".\n", 2) == 0)
        k = n - 2;
    else
        return 0;
    return k == 0 || d[k - 1] == '\n';
}

/* Prints a text ended by the '.' line (RFC 1436 §3: a text's lines that
 * begin with '.' are sent with another in front), else resp as it came. */
static void print_document(response_t *resp)
{
    char *s = resp->data, *line, *end = resp->data + resp->len;

    if (!ends_with_dot_line(resp->data, resp->len)) {
        fwrite(resp->data, 1, resp->len, stdout);
        return;
    }
    while ((line = next_line(&s, end)) != NULL) {
        size_t len = strlen(line);

        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (strcmp(line, ".") == 0 && s >= end)
            break;
        printf("%s\n", line[0] == '.' && line[1] == '.' ? line + 1 : line);
    }
}

/* Is s a port number, 1 to 65535, in decimal digits alone? */
static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) >= 1 && atol(s) <= 65535;
}

/* Fetches selector from host:port and prints it. */
static int get(const char *host, int port, const char *selector, const char *req, int len)
{
    char where[GOPHER_SELECTOR_MAX + 96], reason[300];
    response_t resp = {NULL, 0, 0};
    int fd, rc;

    snprintf(where, sizeof where, "selector '%s' from %s port %d", selector, host, port);
    fd = net_connect(host, port, reason, sizeof reason);
    if (fd < 0)
        return fail(where, reason);
    rc = net_send_all(fd, req, (size_t)len) < 0 ? fail(where, strerror(errno)) : 0;
    if (rc == 0)
        rc = read_all(fd, &resp, where);
    close(fd);
    if (rc == 0 && (selector[0] == '\0' || is_menu(&resp)))
        rc = print_menu(&resp, where);
    else if (rc == 0 && resp.len == 0)
        rc = fail(where, "the server sent nothing (no such selector?)");
    else if (rc == 0)
        print_document(&resp);
    free(resp.data);
    return rc;
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
