/* url.c - lesson 09, Task 1: http URLs taken apart (RFC 3986 §3),
 * references resolved against a base (§5.2), and written back.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code (and delete the (void) lines above it, there only to keep the
 * compiler quiet). protocols.h says exactly what each function must do
 * (every error case and its errno); the lesson's README explains the
 * ideas. Check your work with `make grade LESSON=09`.
 *
 * You may add helper functions: make them static. url_parse() and
 * url_resolve() share most of their work (the authority, the characters
 * of a path, the target): write each piece once. */
#include "protocols.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "todo.h"

int url_parse(const char *text, url_t *u)
{
    /* The scheme: letters (then letters, digits, + - .) up to ':'. None:
     * EINVAL; not "http" in any case (strncasecmp): EPROTONOSUPPORT. Then
     * "//", the authority up to the first '/', '?' or '#' (no '@'; a host
     * in brackets checked with inet_pton(AF_INET6); a port of digits
     * alone, 1 to 65535, 80 when absent or empty), then the target up to
     * '#', its characters checked, "/" in front when it does not start
     * with one. */
    (void)text;
    (void)u;
    TODO();
}

int url_resolve(const url_t *base, const char *ref, url_t *out)
{
    /* RFC 3986 §5.2.2, with base's path and query apart (the query starts
     * at the first '?' of base->target). A scheme: url_parse(); "//": the
     * authority of ref; "/...": base's authority, ref's path; "" or "?q":
     * base's path; else base's path up to its last '/', then ref's. In
     * every case remove_dot_segments (§5.2.4) on the path, then put the
     * query back. Work in a url_t of your own and copy it to out at the
     * end: out may be base. */
    (void)base;
    (void)ref;
    (void)out;
    TODO();
}

int url_format(const url_t *u, char *buf, size_t size)
{
    /* snprintf() "http://%s%s%s%s%s": "[" host "]" for IPv6, ":PORT" when
     * not 80, the target; its return value says whether it fit. */
    (void)u;
    (void)buf;
    (void)size;
    TODO();
}
