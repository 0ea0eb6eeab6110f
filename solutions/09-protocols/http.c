/* http.c - lesson 09, Tasks 2 to 5, reference solution: a buffered
 * reader with a line limit, a response's head (RFC 9112 §4, §5) and the
 * framing of its body (§6.3, §7.1), the request (§3), redirects. */
#include "protocols.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- Task 2: the reader ------------------------------------------------- */

void http_reader_init(http_reader_t *r, int fd)
{
    r->fd = fd;
    r->start = 0;
    r->end = 0;
}

/* One read(2) (again after EINTR) into the room after r->end, moving
 * what waits to the front first when less than a line's room is left
 * (else a line near the end would come in reads of a byte or two). */
static ssize_t http_fill(http_reader_t *r)
{
    ssize_t n;

    if (r->start == r->end) {
        r->start = 0;
        r->end = 0;
    } else if (sizeof r->buf - r->end < HTTP_LINE_MAX && r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    do
        n = read(r->fd, r->buf + r->end, sizeof r->buf - r->end);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        r->end += (size_t)n;
    return n;
}

/* Copies the line buf[start, start + n) (its LF not included) out,
 * without a CR before the LF: EPROTO for a CR or a NUL inside it. */
static ssize_t http_take_line(http_reader_t *r, size_t n, char *line)
{
    const char *p = r->buf + r->start;
    size_t len = n;

    if (len > 0 && p[len - 1] == '\r')
        len--;
    if (memchr(p, '\r', len) != NULL || memchr(p, '\0', len) != NULL)
        return errno = EPROTO, -1;
    memcpy(line, p, len);
    line[len] = '\0';
    r->start += n + 1;
    return (ssize_t)len;
}

ssize_t http_read_line(http_reader_t *r, char *line, size_t size)
{
    size_t scanned = 0;

    if (r == NULL || line == NULL || size < HTTP_LINE_MAX)
        return errno = EINVAL, -1;
    for (;;) {
        size_t have = r->end - r->start;
        size_t look = have < HTTP_LINE_MAX ? have : HTTP_LINE_MAX;
        const char *lf = memchr(r->buf + r->start + scanned, '\n', look - scanned);
        ssize_t n;

        if (lf != NULL)
            return http_take_line(r, (size_t)(lf - (r->buf + r->start)), line);
        if (have >= HTTP_LINE_MAX)
            return errno = EMSGSIZE, -1;   /* that many bytes, and no LF */
        scanned = look;
        n = http_fill(r);
        if (n == 0)
            errno = ENODATA;
        if (n <= 0)
            return -1;
    }
}

ssize_t http_read(http_reader_t *r, void *buf, size_t size)
{
    size_t have;
    ssize_t n;

    if (r == NULL || buf == NULL || size == 0)
        return errno = EINVAL, -1;
    have = r->end - r->start;
    if (have > 0) {
        if (have > size)
            have = size;
        memcpy(buf, r->buf + r->start, have);
        r->start += have;
        return (ssize_t)have;
    }
    do
        n = read(r->fd, buf, size);
    while (n < 0 && errno == EINTR);
    return n;
}

/* ---- Task 3: the head --------------------------------------------------- */

/* RFC 9110 §5.6.2: tchar. */
static int http_is_tchar(int c)
{
    return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int http_is_ows(int c)
{
    return c == ' ' || c == '\t';
}

/* Are s[0, n) bytes a field value or a reason phrase may hold (HTAB, SP,
 * VCHAR, obs-text: RFC 9110 §5.5, RFC 9112 §4)? No other control byte. */
static int http_text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
            return 0;
    return 1;
}

/* `HTTP/1.D SP DDD [SP reason]` into res. */
static int http_parse_status(const char *line, http_response_t *res)
{
    if (strncmp(line, "HTTP/", 5) != 0 || line[5] != '1' || line[6] != '.' ||
        !isdigit((unsigned char)line[7]) || line[8] != ' ')
        return errno = EPROTO, -1;
    for (int i = 9; i < 12; i++)
        if (!isdigit((unsigned char)line[i]))
            return errno = EPROTO, -1;
    if (line[12] != '\0' && line[12] != ' ')
        return errno = EPROTO, -1;
    if (line[12] != '\0' && !http_text_ok(line + 13, strlen(line + 13)))
        return errno = EPROTO, -1;   /* a control byte: it would reach a terminal */
    res->minor = line[7] - '0';
    res->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (res->status < 100)
        return errno = EPROTO, -1;
    snprintf(res->reason, sizeof res->reason, "%.*s", HTTP_REASON_MAX - 1,
             line[12] ? line + 13 : "");
    return 0;
}

/* A field line `name: value` (not a continuation): where its name ends
 * and where its value is, without the OWS around it. EPROTO if it is
 * not one: no name, a character that is no token's before the colon
 * (whitespace included), or a control character in the value. */
static int http_split_field(const char *line, size_t *name_len, const char **value,
                            size_t *value_len)
{
    size_t n = 0, v, end;

    while (http_is_tchar((unsigned char)line[n]))
        n++;
    if (n == 0 || line[n] != ':')
        return errno = EPROTO, -1;
    v = n + 1;
    while (http_is_ows(line[v]))
        v++;
    end = v + strlen(line + v);
    while (end > v && http_is_ows(line[end - 1]))
        end--;
    if (!http_text_ok(line + v, end - v))
        return errno = EPROTO, -1;
    *name_len = n;
    *value = line + v;
    *value_len = end - v;
    return 0;
}

/* Appends s[0, n) and a NUL to res->store: its offset, or -1 EMSGSIZE. */
static long http_store(http_response_t *res, const char *s, size_t n)
{
    size_t at = res->used;

    if (n + 1 > sizeof res->store - res->used)
        return errno = EMSGSIZE, -1;
    memcpy(res->store + at, s, n);
    res->store[at + n] = '\0';
    res->used += n + 1;
    return (long)at;
}

/* obs-fold (RFC 9112 §5.2): line continues the last field's value, which
 * is the last string in the store: joined to it with one space (none when
 * that value is still empty). */
static int http_fold(http_response_t *res, const char *line)
{
    size_t end = strlen(line), at;

    if (res->count == 0)
        return errno = EPROTO, -1;   /* nothing to continue */
    while (http_is_ows(*line))
        line++, end--;
    while (end > 0 && http_is_ows(line[end - 1]))
        end--;
    if (!http_text_ok(line, end))
        return errno = EPROTO, -1;
    if (end == 0)
        return 0;
    if (end + 1 > sizeof res->store - res->used)
        return errno = EMSGSIZE, -1;
    at = res->used - 1;   /* the NUL of the value above */
    if (at > res->field[res->count - 1].value)
        res->store[at++] = ' ';
    memcpy(res->store + at, line, end);
    res->store[at + end] = '\0';
    res->used = at + end + 1;
    return 0;
}

/* One line of the head, stored in res. */
static int http_add_field(http_response_t *res, const char *line)
{
    size_t name_len, value_len;
    const char *value;
    long name_at, value_at;

    if (http_is_ows(line[0]))
        return http_fold(res, line);
    if (http_split_field(line, &name_len, &value, &value_len) < 0)
        return -1;
    name_at = http_store(res, line, name_len);
    value_at = name_at < 0 ? -1 : http_store(res, value, value_len);
    if (value_at < 0)
        return -1;
    res->field[res->count].name = (size_t)name_at;
    res->field[res->count].value = (size_t)value_at;
    res->count++;
    return 0;
}

const char *http_header(const http_response_t *res, const char *name)
{
    if (res == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < res->count; i++)
        if (strcasecmp(res->store + res->field[i].name, name) == 0)
            return res->store + res->field[i].value;
    return NULL;
}

/* Digits alone, at most 2^63 - 1, from s[0, n) into *v. */
static int http_decimal(const char *s, size_t n, unsigned long long *v)
{
    const unsigned long long max = 0x7fffffffffffffffULL;

    *v = 0;
    if (n == 0)
        return errno = EPROTO, -1;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) || *v > (max - (unsigned)(s[i] - '0')) / 10)
            return errno = EPROTO, -1;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return 0;
}

/* Every Content-Length value (each field a list, `42, 42`): one number,
 * the same each time (RFC 9110 §8.6). 1 if there is one, 0 if none. */
static int http_content_length(const http_response_t *res, unsigned long long *len)
{
    int seen = 0;

    for (size_t i = 0; i < res->count; i++) {
        const char *v = res->store + res->field[i].value;

        if (strcasecmp(res->store + res->field[i].name, "content-length") != 0)
            continue;
        for (;;) {
            size_t n = strcspn(v, ", \t");
            unsigned long long x;

            if (http_decimal(v, n, &x) < 0 || (seen && x != *len))
                return errno = EPROTO, -1;
            *len = x;
            seen = 1;
            v += n;
            while (http_is_ows(*v))
                v++;
            if (*v == '\0')
                break;
            if (*v++ != ',')
                return errno = EPROTO, -1;
            while (http_is_ows(*v))
                v++;
        }
    }
    return seen;
}

/* RFC 9112 §6.3: how the body of this response to a GET ends. */
static int http_framing(http_response_t *res)
{
    int te = 0, cl;

    if (res->minor == 0 && http_header(res, "transfer-encoding") != NULL)
        return errno = EPROTO, -1;   /* RFC 9112 §6.1: faulty framing in HTTP/1.0 */
    if (res->status == 204 || res->status == 304) {
        res->framing = HTTP_BODY_NONE;
        return 0;
    }
    for (size_t i = 0; i < res->count; i++) {
        if (strcasecmp(res->store + res->field[i].name, "transfer-encoding") != 0)
            continue;
        if (te++ > 0 || strcasecmp(res->store + res->field[i].value, "chunked") != 0)
            return errno = EPROTO, -1;   /* a coding we did not ask for */
    }
    if (te) {
        res->framing = HTTP_BODY_CHUNKED;
        return 0;
    }
    cl = http_content_length(res, &res->left);
    if (cl < 0)
        return -1;
    res->framing = cl ? HTTP_BODY_LENGTH : HTTP_BODY_CLOSE;
    return 0;
}

/* One head: the status line and the fields up to the empty line. Every
 * line counts against HTTP_HEADERS_MAX, a continuation line too (an empty
 * one adds nothing, and would otherwise go on for ever). */
static int http_read_one_head(http_reader_t *r, http_response_t *res, char *line)
{
    size_t lines = 0;
    ssize_t n;

    res->count = 0;
    res->used = 0;
    if (http_read_line(r, line, HTTP_LINE_MAX) < 0 || http_parse_status(line, res) < 0)
        return -1;
    while ((n = http_read_line(r, line, HTTP_LINE_MAX)) > 0) {
        if (++lines > HTTP_HEADERS_MAX)
            return errno = E2BIG, -1;
        if (http_add_field(res, line) < 0)
            return -1;
    }
    return n < 0 ? -1 : 0;
}

int http_read_head(http_reader_t *r, http_response_t *res)
{
    char line[HTTP_LINE_MAX];

    if (r == NULL || res == NULL)
        return errno = EINVAL, -1;
    res->left = 0;
    res->chunk_state = 0;
    res->done = 0;
    res->framing = HTTP_BODY_CLOSE;
    for (int interim = 0;; interim++) {
        if (http_read_one_head(r, res, line) < 0)
            return -1;
        if (res->status >= 200)
            return http_framing(res);
        if (res->status == 101)
            return errno = EPROTO, -1;   /* no Upgrade was asked for (RFC 9110 §15.2.2) */
        if (interim == HTTP_INTERIM_MAX)
            return errno = EPROTO, -1;
    }
}

/* ---- Task 4: the body --------------------------------------------------- */

/* A chunk-size line: hex digits, BWS, then nothing or `;` extensions. */
static int http_chunk_size(const char *line, unsigned long long *size)
{
    const unsigned long long max = 0x7fffffffffffffffULL;
    size_t i = 0;

    *size = 0;
    for (; isxdigit((unsigned char)line[i]); i++) {
        int c = tolower((unsigned char)line[i]);
        unsigned d = (unsigned)(isdigit(c) ? c - '0' : c - 'a' + 10);

        if (*size > (max - d) / 16)
            return errno = EPROTO, -1;
        *size = *size * 16 + d;
    }
    if (i == 0)
        return errno = EPROTO, -1;
    while (http_is_ows(line[i]))
        i++;
    if (line[i] != '\0' && line[i] != ';')
        return errno = EPROTO, -1;
    return 0;
}

/* The trailer section after the last chunk: field lines, checked and
 * dropped, up to the empty line; every line (a continuation too) counts
 * against HTTP_HEADERS_MAX. */
static int http_trailers(http_reader_t *r, char *line)
{
    size_t lines = 0, name_len, value_len;
    const char *value;
    ssize_t n;

    while ((n = http_read_line(r, line, HTTP_LINE_MAX)) > 0) {
        if (++lines > HTTP_HEADERS_MAX)
            return errno = E2BIG, -1;
        if (http_is_ows(line[0]) && lines > 1) {
            if (!http_text_ok(line, strlen(line)))
                return errno = EPROTO, -1;
            continue;   /* a continuation of the trailer above */
        }
        if (http_split_field(line, &name_len, &value, &value_len) < 0)
            return -1;
    }
    return n < 0 ? -1 : 0;
}

/* RFC 9112 §7.1: the next bytes of a chunked body. */
static ssize_t http_read_chunked(http_reader_t *r, http_response_t *res, void *buf,
                                 size_t size)
{
    char line[HTTP_LINE_MAX];

    for (;;) {
        if (res->chunk_state == 1 && res->left > 0) {
            ssize_t n = http_read(r, buf, res->left < size ? (size_t)res->left : size);

            if (n == 0)
                errno = ENODATA;
            if (n <= 0)
                return -1;
            res->left -= (unsigned long long)n;
            return n;
        }
        if (res->chunk_state == 1) {   /* the line end after the data */
            ssize_t n = http_read_line(r, line, sizeof line);

            if (n != 0)
                return n < 0 ? -1 : (errno = EPROTO, -1);
            res->chunk_state = 0;
        }
        if (http_read_line(r, line, sizeof line) < 0 || http_chunk_size(line, &res->left) < 0)
            return -1;
        if (res->left == 0) {
            if (http_trailers(r, line) < 0)
                return -1;
            res->done = 1;
            return 0;
        }
        res->chunk_state = 1;
    }
}

ssize_t http_read_body(http_reader_t *r, http_response_t *res, void *buf, size_t size)
{
    ssize_t n;

    if (r == NULL || res == NULL || buf == NULL || size == 0)
        return errno = EINVAL, -1;
    if (res->done)
        return 0;
    switch (res->framing) {
    case HTTP_BODY_LENGTH:
        if (res->left == 0) {
            res->done = 1;
            return 0;
        }
        n = http_read(r, buf, res->left < size ? (size_t)res->left : size);
        if (n == 0)
            errno = ENODATA;
        if (n <= 0)
            return -1;
        res->left -= (unsigned long long)n;
        return n;
    case HTTP_BODY_CHUNKED:
        return http_read_chunked(r, res, buf, size);
    case HTTP_BODY_CLOSE:
        n = http_read(r, buf, size);
        if (n == 0)
            res->done = 1;
        return n;
    default:
        res->done = 1;
        return 0;
    }
}

/* ---- Task 5: the request and redirects ------------------------------------ */

int http_format_request(const url_t *u, char *buf, size_t size)
{
    char port[8] = "";
    int n;

    if (u == NULL || buf == NULL)
        return errno = EINVAL, -1;
    if (u->port != URL_HTTP_PORT)
        snprintf(port, sizeof port, ":%d", u->port);
    n = snprintf(buf, size,
                 "GET %s HTTP/1.1\r\n"
                 "Host: %s%s%s%s\r\n"
                 "User-Agent: " HTTP_USER_AGENT "\r\n"
                 "Accept: */*\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 u->target, u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", port);
    if (n < 0 || (size_t)n >= size)
        return errno = ENOSPC, -1;
    return n;
}

int http_is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 ||
           status == 308;
}
