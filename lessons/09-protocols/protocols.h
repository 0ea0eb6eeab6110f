/**
 * @file protocols.h
 * @brief Lesson 09: application protocols. URLs (RFC 3986), an HTTP/1.1
 *        client's side of the conversation (RFC 9110, RFC 9112): the
 *        request, a buffered reader, the response's head parsed with
 *        limits, its body framed by Content-Length, by the chunked
 *        coding or by the end of the connection, and redirects; and the
 *        lines of a Gopher menu (RFC 1436).
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 09 share. The lesson text (lessons/09-protocols/README.md)
 * explains the ideas, with the sections of the RFCs; this file says
 * exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0 or the documented count. It never prints and never exits.
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL.
 * - The errno of a failure says which kind it is, so that a program can
 *   say it in words:
 *   - EINVAL: a URL, a Location or a menu line that is malformed;
 *   - EPROTONOSUPPORT: a URL whose scheme is not `http`;
 *   - EPROTO: a response that breaks the syntax of RFC 9112;
 *   - EMSGSIZE: a line longer than #HTTP_LINE_MAX, or a head larger than
 *     #HTTP_FIELDS_MAX;
 *   - E2BIG: more than #HTTP_HEADERS_MAX lines in a head or in a trailer
 *     section (a continuation line counts as one);
 *   - ENODATA: the stream ended before the message did (truncated);
 *   - ENOSPC: the caller's buffer is too small for the answer;
 *   - anything else: the errno of the read(2) that failed.
 */
#ifndef SOCKLAB_PROTOCOLS_H
#define SOCKLAB_PROTOCOLS_H

#include <stddef.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/** @name Task 1: URLs
 *
 * An `http` URL (RFC 3986 §3, RFC 9110 §4.2.1) is
 * `http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]`: the scheme (letters in
 * any case), the authority (a host, and a port after a colon), then the
 * path and the query, which together make the request target the request
 * line sends (RFC 9112 §3.2.1). The fragment is the client's alone and is
 * never sent.
 * @{ */

/** @brief Room for a host, its NUL included (a DNS name is at most 253
 *         bytes). */
#define URL_HOST_MAX 256

/** @brief Room for a request target, its NUL included. */
#define URL_TARGET_MAX 4096

/** @brief The default port of `http` (RFC 9110 §4.2.1). */
#define URL_HTTP_PORT 80

/** @brief An `http` URL, taken apart. */
typedef struct url {
    char host[URL_HOST_MAX];     /**< a name, an IPv4 address, or an IPv6 address
                                      without its brackets */
    int ipv6;                    /**< 1 when host is an IPv6 address (written in
                                      brackets in a URL and in Host) */
    int port;                    /**< 1 to 65535; #URL_HTTP_PORT when the URL has none */
    char target[URL_TARGET_MAX]; /**< path and query: "/" when the path is empty,
                                      never the fragment */
} url_t;

/**
 * @brief Takes an absolute `http` URL apart.
 *
 * - The scheme is `http`, in any case (`HTTP://` too). A scheme before the
 *   first `:` that is not `http` (`https`, `ftp`, `gopher`, `mailto`) is
 *   EPROTONOSUPPORT; no scheme at all (`example.com/x`), or `http:`
 *   without `//` after it (`http:x`), is EINVAL.
 * - The host: a name of letters, digits, `-`, `.` and `_`; an IPv4 address
 *   (it is such a name); or an IPv6 address in brackets, `[::1]`, that
 *   inet_pton(AF_INET6) accepts (stored without the brackets, ipv6 = 1). An
 *   empty host is malformed (RFC 9110 §4.2.1), and so is userinfo
 *   (`user@host`, RFC 9110 §4.2.4).
 * - The port: after a `:`, decimal digits alone, 1 to 65535; an empty
 *   port (`host:`) is the default, 80 (RFC 3986 §3.2.3).
 * - The path and query: from the first `/` or `?` after the authority up
 *   to `#` or the end; "/" when the path is empty (RFC 9112 §3.2.1), and a
 *   query alone gets "/" in front (`http://h?q` gives target "/?q"). They
 *   hold only the characters RFC 3986 allows there (letters, digits,
 *   `-._~!$&'()*+,;=:@/?` and `%` followed by two hex digits): a space, a
 *   control character (CR, LF), a byte of 0x80 or more, or `"<>\^`{|}` is
 *   malformed. The fragment may hold the same characters, `?` and `/`
 *   too; a second `#` is malformed.
 *
 * On failure @p u is left in an unspecified state.
 * @param text the URL, NUL-terminated.
 * @param u filled in.
 * @return 0, or -1 with errno EINVAL (malformed), EPROTONOSUPPORT (not
 *         `http`), ENAMETOOLONG (a host or a target that does not fit).
 */
int url_parse(const char *text, url_t *u);

/**
 * @brief Resolves a reference (a redirect's Location) against the URL it
 *        came from, as RFC 3986 §5.2.2 says, removing dot segments
 *        (§5.2.4).
 *
 * - An absolute URL (`scheme:...`): url_parse() of it.
 * - `//host[:port]/path`: a network-path reference, scheme `http`.
 * - `/path?q`: the base's host and port, that path and query.
 * - `?q`: the base's path, that query.
 * - `path` (no `/` first): merged with the base's path (everything up to
 *   its last `/` is kept, RFC 3986 §5.2.3), then dot segments removed:
 *   base `/a/b/c`, `../d` gives `/a/d`.
 * - an empty reference, or a fragment alone: the base (its path and query).
 *
 * Dot segments are removed from the path of every reference that has one
 * (`/a/./b/../c` gives `/a/c`); an empty reference, `?q` or a fragment
 * alone keeps the base's path exactly as it is, dots and all (§5.2.2). The
 * reference's characters are checked as url_parse() checks them. A result
 * whose target would not fit in #URL_TARGET_MAX (a merged path too, base
 * part and reference together) is ENAMETOOLONG, found before any copy.
 * @param base the URL the reference came from (url_parse()'s result).
 * @param ref the reference, NUL-terminated.
 * @param out filled in; may be the same as @p base.
 * @return 0, or -1 with errno as url_parse().
 */
int url_resolve(const url_t *base, const char *ref, url_t *out);

/**
 * @brief Writes a URL back as text, `http://HOST[:PORT]TARGET`: the port
 *        only when it is not 80, an IPv6 host in brackets.
 * @param u the URL.
 * @param buf where to write (NUL-terminated).
 * @param size its size.
 * @return the length written (without the NUL), or -1 with errno ENOSPC
 *         when it does not fit (then @p buf holds "" when size > 0).
 */
int url_format(const url_t *u, char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: A buffered reader, and lines with a limit
 *
 * HTTP's head is lines; its body is bytes, and the end of the head is
 * wherever the server's segments happened to be cut. A reader keeps what
 * read(2) brought beyond the line asked for, so that the next line, or
 * the body, starts from it.
 * @{ */

/** @brief The longest line the reader gives out, its line end (CRLF or
 *         LF) included: a status line, a field line, a chunk-size line or
 *         a trailer line. 8 KiB, as many servers and clients allow. */
#define HTTP_LINE_MAX 8192

/** @brief Room of a reader's buffer: more than a line and its end. */
#define HTTP_READER_SIZE 16384

/** @brief A buffered reader of a descriptor: buf[start, end) is what was
 *         read and not handed out yet. */
typedef struct http_reader {
    int fd;                      /**< what it reads, with read(2) */
    size_t start;                /**< the first byte not handed out */
    size_t end;                  /**< one past the last byte read */
    char buf[HTTP_READER_SIZE];  /**< the bytes */
} http_reader_t;

/**
 * @brief Makes @p r an empty reader of @p fd. Cannot fail; @p r must not
 *        be NULL.
 * @param r the reader, in memory the caller owns.
 * @param fd a socket, a pipe or a file.
 */
void http_reader_init(http_reader_t *r, int fd);

/**
 * @brief Reads one line: the bytes up to the first LF, from the buffer
 *        and then with read(2) (again after EINTR) as needed.
 *
 * The line end is CRLF, and a lone LF is taken as one too (RFC 9112
 * §2.2); neither is copied out. The line is copied to @p line with a NUL
 * after it (it may hold no NUL itself: a NUL is EPROTO). A CR that is not
 * right before the LF (a bare CR) is EPROTO (RFC 9112 §2.2). A line
 * longer than #HTTP_LINE_MAX bytes, its end included, is EMSGSIZE, found
 * as soon as that many bytes came with no LF among them: the reader
 * never waits for, nor keeps, more than that.
 * @param r the reader.
 * @param line where the line goes.
 * @param size its size: at least #HTTP_LINE_MAX, else EINVAL.
 * @return the line's length (0 for an empty line), or -1 with errno
 *         ENODATA (the stream ended before a LF: a truncated message),
 *         EMSGSIZE, EPROTO, EINVAL, or read(2)'s errno.
 */
ssize_t http_read_line(http_reader_t *r, char *line, size_t size);

/**
 * @brief Reads bytes: those in the buffer first (as many as fit), else
 *        one read(2) (again after EINTR) of at most @p size bytes.
 * @param r the reader.
 * @param buf where they go.
 * @param size at most this many (more than 0).
 * @return how many (1 to @p size), 0 at the end of the stream, or -1
 *         with read(2)'s errno (EINVAL for NULL or a size of 0).
 */
ssize_t http_read(http_reader_t *r, void *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: The response's head
 *
 * `HTTP/1.1 200 OK`, then field lines `Name: value`, then an empty line
 * (RFC 9112 §2.1, §4, §5). From the head comes how the body is framed
 * (RFC 9112 §6.3).
 * @{ */

/** @brief The most field lines a head (and, apart, a trailer section)
 *         may hold. */
#define HTTP_HEADERS_MAX 100

/** @brief Room for the names and values of a head's fields, a NUL after
 *         each. */
#define HTTP_FIELDS_MAX 65536

/** @brief The most interim (1xx) responses skipped before the final one. */
#define HTTP_INTERIM_MAX 10

/** @brief Room for the reason phrase, its NUL included (a longer one is cut). */
#define HTTP_REASON_MAX 128

/** @brief How a response's body ends (RFC 9112 §6.3). */
typedef enum http_framing {
    HTTP_BODY_NONE,    /**< no body: status 204 or 304 (a GET has no other case) */
    HTTP_BODY_LENGTH,  /**< Content-Length bytes, then the message ends */
    HTTP_BODY_CHUNKED, /**< Transfer-Encoding: chunked (RFC 9112 §7.1) */
    HTTP_BODY_CLOSE    /**< neither: the body ends where the connection does */
} http_framing_t;

/** @brief Where a field's name and value are, in http_response_t::store. */
typedef struct http_field {
    size_t name;   /**< offset of its name (NUL-terminated), as the server wrote it */
    size_t value;  /**< offset of its value (NUL-terminated), without the OWS around it */
} http_field_t;

/** @brief A response, as far as it has been read. */
typedef struct http_response {
    int minor;                              /**< the version: HTTP/1.minor */
    int status;                             /**< 100 to 999 */
    char reason[HTTP_REASON_MAX];           /**< the reason phrase (may be "") */
    size_t count;                           /**< fields in field[] */
    http_field_t field[HTTP_HEADERS_MAX];   /**< the head's fields, in order */
    size_t used;                            /**< bytes of store in use */
    char store[HTTP_FIELDS_MAX];            /**< their names and values */
    http_framing_t framing;                 /**< how the body ends */
    unsigned long long left;                /**< LENGTH: body bytes still to come;
                                                 CHUNKED: of the current chunk */
    int chunk_state;                        /**< CHUNKED: 0 before a chunk-size line,
                                                 1 in a chunk's data */
    int done;                               /**< 1 once the body's end was read */
} http_response_t;

/**
 * @brief Reads a response's head: the status line, the field lines up to
 *        the empty line, and from them the body's framing.
 *
 * - The status line (RFC 9112 §4): `HTTP/1.D SP DDD [SP reason]`, the
 *   name `HTTP` in capitals (RFC 9112 §2.3), major version 1; a status
 *   line without the space and reason after the code is taken too. The
 *   reason may hold HTAB, SP, visible characters and bytes of 0x80 or
 *   more (RFC 9112 §4); any other control byte (ESC, DEL) is EPROTO, as a
 *   program prints it. Interim responses (1xx) are read and skipped (RFC
 *   9110 §15.2), at most #HTTP_INTERIM_MAX of them (exactly that many is
 *   fine; one more: EPROTO); but 101 (Switching Protocols) answers an
 *   Upgrade this client never sends: EPROTO.
 * - Field lines (RFC 9112 §5): a name of token characters (RFC 9110
 *   §5.6.2), a colon right after it (whitespace before the colon is
 *   EPROTO), the value with the spaces and tabs around it taken off. A
 *   line that starts with a space or a tab continues the value above
 *   (obs-fold, RFC 9112 §5.2): without its OWS it is joined to it with
 *   one space (none when the value above is still empty; an empty
 *   continuation adds nothing), and control bytes in it are EPROTO as in
 *   a value. Names compare without case (RFC 9110 §5.1). More than
 *   #HTTP_HEADERS_MAX lines after the status line (field lines and
 *   continuation lines alike: each is counted) is E2BIG; names and values
 *   that do not fit in #HTTP_FIELDS_MAX (each with its NUL) are EMSGSIZE.
 * - The framing (RFC 9112 §6.3), in this order: status 204 or 304: none;
 *   a Transfer-Encoding field in an HTTP/1.0 response: EPROTO (RFC 9112
 *   §6.1: faulty framing); a Transfer-Encoding field: its value must be
 *   `chunked` (any case), and any Content-Length is then ignored. Another
 *   coding (`gzip`) is EPROTO: that is this lesson's policy, since the
 *   request asked for none (RFC 9112 §6.3 item 4 would read such a body
 *   to the close); a Content-Length: digits alone, and
 *   when it comes several times (or as a list, `42, 42`) every value the
 *   same (RFC 9110 §8.6), else EPROTO, as is a value past 2^63 - 1;
 *   neither: the body ends at the end of the connection.
 *
 * @p res is set afresh (left, chunk_state and done too), ready for
 * http_read_body().
 * @param r the reader of the connection.
 * @param res filled in.
 * @return 0, or -1 with errno EPROTO, EMSGSIZE, E2BIG, ENODATA (the stream
 *         ended within the head), or read(2)'s errno.
 */
int http_read_head(http_reader_t *r, http_response_t *res);

/**
 * @brief The value of a field of the head, found by name in any case.
 * @param res the response.
 * @param name the field's name, e.g. "content-length".
 * @return the value of the first field of that name, or NULL if none
 *         (or for a NULL argument).
 */
const char *http_header(const http_response_t *res, const char *name);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: The body
 * @{ */

/**
 * @brief Reads the next bytes of the body, as its framing says.
 *
 * - LENGTH: never more than the bytes still to come; 0 once all came.
 * - CHUNKED (RFC 9112 §7.1): a chunk-size line is hexadecimal digits (in
 *   either case), then optional chunk extensions after `;` (ignored),
 *   spaces and tabs allowed before the `;` (RFC 9112 §7.1.1: BWS); spaces
 *   and tabs after the size with no `;` after them may be taken too (the
 *   reference does, leniently; the tests send none); the chunk's data;
 *   then a line
 *   end right after the data (anything else is EPROTO). A size of 0 is
 *   the last chunk: then the trailer section, field lines up to an empty
 *   line, checked as the head's are (at most #HTTP_HEADERS_MAX lines, a
 *   continuation line counted as one) and then dropped. A size that is not hexadecimal, empty, or past 2^63 - 1
 *   is EPROTO.
 * - CLOSE: what read(2) gives, until the end of the stream.
 * - NONE: 0 at once.
 *
 * Once the end came (done is 1), every call returns 0. The end of the
 * stream before the body's end (LENGTH, CHUNKED) is ENODATA.
 * @param r the reader the head was read from.
 * @param res the response (http_read_head()'s).
 * @param buf where the bytes go.
 * @param size at most this many (more than 0).
 * @return how many (1 to @p size), 0 at the body's end, or -1 with errno
 *         ENODATA, EPROTO, EMSGSIZE, E2BIG, EINVAL, or read(2)'s errno.
 */
ssize_t http_read_body(http_reader_t *r, http_response_t *res, void *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: The request and redirects
 * @{ */

/** @brief The most redirects http-get follows for one URL; the next is an
 *         error. */
#define HTTP_REDIRECTS_MAX 10

/** @brief The User-Agent that http-get sends. */
#define HTTP_USER_AGENT "socklab-http-get/1.0"

/**
 * @brief Writes the GET request for @p u (RFC 9112 §3, RFC 9110 §7.2):
 *
 *     GET TARGET HTTP/1.1\r\n
 *     Host: HOST[:PORT]\r\n          (the port only when it is not 80; [v6])
 *     User-Agent: socklab-http-get/1.0\r\n
 *     Accept: * / *\r\n              (written without the spaces)
 *     Connection: close\r\n
 *     \r\n
 *
 * exactly these lines, in this order.
 * @param u the URL.
 * @param buf where to write (NUL-terminated).
 * @param size its size.
 * @return the request's length, or -1 with errno ENOSPC (it does not fit)
 *         or EINVAL.
 */
int http_format_request(const url_t *u, char *buf, size_t size);

/**
 * @brief Is @p status a redirect that a GET follows to its Location:
 *        301, 302, 303, 307 or 308 (RFC 9110 §15.4)?
 * @return 1 or 0.
 */
int http_is_redirect(int status);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: Gopher
 *
 * A Gopher client (RFC 1436 §2, §3) connects, sends a selector and CRLF,
 * and reads until the server closes. A menu is lines
 * `TYPE DISPLAY TAB SELECTOR TAB HOST TAB PORT CRLF`, ended by a line
 * holding a single `.`.
 * @{ */

/** @brief The default Gopher port. */
#define GOPHER_PORT 70

/** @brief The longest selector a request carries (this course's bound). */
#define GOPHER_SELECTOR_MAX 1024

/** @brief One line of a menu, taken apart in its own buffer. */
typedef struct gopher_item {
    char type;             /**< '0' text, '1' menu, '3' error, 'i' information, ... */
    const char *display;   /**< what a user reads (may be "") */
    const char *selector;  /**< what to send for it (may be "") */
    const char *host;      /**< where it is */
    int port;              /**< 0 to 65535 (information lines often say 0) */
} gopher_item_t;

/**
 * @brief Writes a Gopher request: the selector, then CRLF (RFC 1436 §2).
 *        An empty selector asks for the server's top menu.
 * @param selector the selector: at most #GOPHER_SELECTOR_MAX bytes, and no
 *        TAB, CR or LF (RFC 1436 §3: else EINVAL).
 * @param buf where to write (NUL-terminated).
 * @param size its size.
 * @return the request's length, or -1 with errno EINVAL or ENOSPC.
 */
int gopher_format_request(const char *selector, char *buf, size_t size);

/**
 * @brief Takes one menu line apart, in place: the TABs become NULs and
 *        @p it points into @p line.
 *
 * The line has no line end (a CR left at its end is taken off). It is
 * the type (one byte, not a TAB), the display string up to the first TAB,
 * the selector, the host, and the port in decimal digits alone (0 to
 * 65535); fields after a fourth TAB (Gopher+) are ignored. A line that is
 * `.` alone is the end of the menu.
 * @param line the line, NUL-terminated; changed.
 * @param it filled in (for an item).
 * @return 0 for an item, 1 for the `.` line, or -1 with errno EINVAL (an
 *         empty line, fewer than four fields, an empty host, a bad port).
 */
int gopher_parse_item(char *line, gopher_item_t *it);

/** @} */

#endif
