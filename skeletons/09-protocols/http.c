/* http.c - lesson 09, Tasks 2 to 5: a buffered reader with a line limit,
 * a response's head (RFC 9112 §4, §5) and the framing of its body (§6.3,
 * §7.1), the request (§3), redirects.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code (and delete the (void) lines above it). protocols.h says
 * exactly what each function must do (every error case and its errno);
 * the lesson's README explains the ideas. You may add helper functions:
 * make them static. */
#include "protocols.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 2: the reader ------------------------------------------------- */

void http_reader_init(http_reader_t *r, int fd)
{
    /* fd kept, the buffer empty (start = end = 0). */
    (void)r;
    (void)fd;
    TODO();
}

ssize_t http_read_line(http_reader_t *r, char *line, size_t size)
{
    /* Look for '\n' (memchr()) in at most HTTP_LINE_MAX of the bytes
     * waiting; found: copy the line out without its "\r\n" or "\n" (a CR
     * or NUL left inside: EPROTO) and move start past it. Not found with
     * HTTP_LINE_MAX bytes waiting: EMSGSIZE, at once. Else read() more
     * (again after EINTR; move the waiting bytes to the front of buf when
     * there is no room after them); 0 from read(): ENODATA. */
    (void)r;
    (void)line;
    (void)size;
    TODO();
}

ssize_t http_read(http_reader_t *r, void *buf, size_t size)
{
    /* Bytes waiting in r->buf first; when there are none, read() straight
     * into buf. */
    (void)r;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 3: the head --------------------------------------------------- */

int http_read_head(http_reader_t *r, http_response_t *res)
{
    /* Read the status line and check it character by character; then each
     * field line up to the empty one: a name of tchars, ':' right after
     * it, the value without the spaces and tabs around it, both copied
     * into res->store (with a NUL each: room checked), their offsets in
     * res->field[count++] (count checked). A 1xx: read the next head.
     * Then the framing, as protocols.h says, in its order. */
    (void)r;
    (void)res;
    TODO();
}

const char *http_header(const http_response_t *res, const char *name)
{
    /* strcasecmp() of each field's name. */
    (void)res;
    (void)name;
    TODO();
}

/* ---- Task 4: the body --------------------------------------------------- */

ssize_t http_read_body(http_reader_t *r, http_response_t *res, void *buf, size_t size)
{
    /* By res->framing. LENGTH: http_read() of at most res->left bytes.
     * CHUNKED: a small machine on res->chunk_state: 0, read a chunk-size
     * line (hexadecimal!); 1, hand out the chunk's data, then read the
     * empty line after it and go back to 0. Size 0: the trailers, then
     * the end. CLOSE: http_read() until it gives 0. An end of stream too
     * early is ENODATA. */
    (void)r;
    (void)res;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 5: the request and redirects ------------------------------------ */

int http_format_request(const url_t *u, char *buf, size_t size)
{
    /* One snprintf() of the six lines protocols.h shows, CRLF after each. */
    (void)u;
    (void)buf;
    (void)size;
    TODO();
}

int http_is_redirect(int status)
{
    (void)status;
    TODO();
}
