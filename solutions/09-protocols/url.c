/* url.c - lesson 09, Task 1, reference solution: http URLs taken apart
 * (RFC 3986 §3), references resolved against a base (§5.2), and written
 * back. */
#include "protocols.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Characters a path, query or fragment may hold besides %HH (RFC 3986
 * §3.3, §3.4: pchar, "/" and "?"). */
static const char url_safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-._~!$&'()*+,;=:@/?";

/* Is s[0, n) made of url_safe characters and %HH alone? */
static int url_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n)
                return 0;
            if (!isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
                return 0;
            i += 2;
        } else if (s[i] == '\0' || strchr(url_safe, s[i]) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* Copies s[0, n) into dst of size dsz, NUL-terminated; ENAMETOOLONG if
 * it does not fit. */
static int url_copy(char *dst, size_t dsz, const char *s, size_t n)
{
    if (n >= dsz) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* The host of an authority, s[0, n): a name, IPv4, or [IPv6]. */
static int url_set_host(url_t *u, const char *s, size_t n)
{
    char v6[INET6_ADDRSTRLEN + 1];
    unsigned char bin[16];

    u->ipv6 = 0;
    if (n == 0)
        return errno = EINVAL, -1;
    if (s[0] == '[') {
        if (n < 3 || s[n - 1] != ']' || n - 2 >= sizeof v6)
            return errno = EINVAL, -1;
        memcpy(v6, s + 1, n - 2);
        v6[n - 2] = '\0';
        if (inet_pton(AF_INET6, v6, bin) != 1)
            return errno = EINVAL, -1;
        u->ipv6 = 1;
        return url_copy(u->host, sizeof u->host, v6, n - 2);
    }
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '_')
            return errno = EINVAL, -1;
    return url_copy(u->host, sizeof u->host, s, n);
}

/* The authority s[0, n): host [":" port]. */
static int url_set_authority(url_t *u, const char *s, size_t n)
{
    const char *colon = NULL;
    long port = 0;

    if (memchr(s, '@', n) != NULL)
        return errno = EINVAL, -1;   /* userinfo: RFC 9110 §4.2.4 */
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);

        if (close == NULL)
            return errno = EINVAL, -1;
        if (close + 1 < s + n) {
            if (close[1] != ':')
                return errno = EINVAL, -1;
            colon = close + 1;
        }
    } else {
        colon = memchr(s, ':', n);
    }
    u->port = URL_HTTP_PORT;
    if (colon != NULL) {
        const char *p = colon + 1, *end = s + n;

        if (p < end && (end - p > 5 || strspn(p, "0123456789") < (size_t)(end - p)))
            return errno = EINVAL, -1;
        for (; p < end; p++)
            port = port * 10 + (*p - '0');
        if (colon + 1 < end && (port < 1 || port > 65535))
            return errno = EINVAL, -1;
        if (colon + 1 < end)
            u->port = (int)port;
        n = (size_t)(colon - s);
    }
    return url_set_host(u, s, n);
}

/* The path and query s[0, n) (no fragment): checked, "/" put in front of
 * an empty path. */
static int url_set_target(url_t *u, const char *s, size_t n)
{
    char *t = u->target;

    if (!url_chars_ok(s, n))
        return errno = EINVAL, -1;
    if (n == 0 || s[0] != '/') {
        if (n + 1 >= sizeof u->target)
            return errno = ENAMETOOLONG, -1;
        t[0] = '/';
        t++;
    }
    return url_copy(t, sizeof u->target - (size_t)(t - u->target), s, n);
}

/* Length of the scheme at the start of s ("http" of "http:"), 0 if s has
 * none (RFC 3986 §3.1: a letter, then letters, digits, + - .). */
static size_t url_scheme_len(const char *s)
{
    size_t n = 0;

    if (!isalpha((unsigned char)s[0]))
        return 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
        n++;
    return s[n] == ':' ? n : 0;
}

/* Checks the fragment after '#' (or nothing) at s: 0 or -1 EINVAL. */
static int url_fragment_ok(const char *s)
{
    if (*s != '#')
        return 0;
    if (!url_chars_ok(s + 1, strlen(s + 1)))
        return errno = EINVAL, -1;
    return 0;
}

/* "//authority path?query#fragment" at s into u. */
static int url_parse_network(const char *s, url_t *u)
{
    size_t alen, plen;

    if (s[0] != '/' || s[1] != '/')
        return errno = EINVAL, -1;
    s += 2;
    alen = strcspn(s, "/?#");
    if (url_set_authority(u, s, alen) < 0)
        return -1;
    s += alen;
    plen = strcspn(s, "#");
    if (url_fragment_ok(s + plen) < 0)
        return -1;
    return url_set_target(u, s, plen);
}

int url_parse(const char *text, url_t *u)
{
    size_t n;

    if (text == NULL || u == NULL)
        return errno = EINVAL, -1;
    n = url_scheme_len(text);
    if (n == 0)
        return errno = EINVAL, -1;
    if (n != 4 || strncasecmp(text, "http", 4) != 0)
        return errno = EPROTONOSUPPORT, -1;
    return url_parse_network(text + n + 1, u);
}

/* Takes the last segment, and the '/' before it, off out[0, *len). */
static void url_drop_segment(const char *out, size_t *len)
{
    while (*len > 0 && out[*len - 1] != '/')
        (*len)--;
    if (*len > 0)
        (*len)--;
}

/* RFC 3986 §5.2.4: removes "." and ".." segments of the path in[0, n)
 * (n < URL_TARGET_MAX) into out (URL_TARGET_MAX bytes, NUL-terminated).
 * The steps A to E are the RFC's, on a copy of the input that B and C
 * may rewrite. */
static void url_remove_dots(const char *in, size_t n, char *out)
{
    char buf[URL_TARGET_MAX];
    size_t i = 0, len = 0;

    memcpy(buf, in, n);
    while (i < n) {
        const char *p = buf + i;
        size_t left = n - i;

        if (left >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;                                        /* A */
        } else if (left >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;                                        /* A */
        } else if (left >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;                                        /* B */
        } else if (left == 2 && memcmp(p, "/.", 2) == 0) {
            buf[++i] = '/';                                /* B: "/." is "/" */
        } else if (left >= 4 && memcmp(p, "/../", 4) == 0) {
            i += 3;                                        /* C */
            url_drop_segment(out, &len);
        } else if (left == 3 && memcmp(p, "/..", 3) == 0) {
            i += 2;                                        /* C: "/.." is "/" */
            buf[i] = '/';
            url_drop_segment(out, &len);
        } else if ((left == 1 && p[0] == '.') || (left == 2 && memcmp(p, "..", 2) == 0)) {
            i = n;                                         /* D */
        } else {
            size_t seg = 1;                                /* E */

            while (seg < left && p[seg] != '/')
                seg++;
            memcpy(out + len, p, seg);
            len += seg;
            i += seg;
        }
    }
    out[len] = '\0';
}

/* Sets out's target from a path, path[0, plen), dots removed, and a query
 * q (with its '?', or ""). */
static int url_set_path_query(url_t *out, const char *path, size_t plen, const char *q)
{
    char clean[URL_TARGET_MAX], whole[URL_TARGET_MAX];
    int n;

    if (plen >= sizeof clean)
        return errno = ENAMETOOLONG, -1;
    url_remove_dots(path, plen, clean);
    n = snprintf(whole, sizeof whole, "%s%s", clean, q);
    if (n < 0 || (size_t)n >= sizeof whole)
        return errno = ENAMETOOLONG, -1;
    return url_set_target(out, whole, (size_t)n);
}

/* A reference without scheme or authority: path?query, against base. */
static int url_resolve_path(const url_t *base, const char *ref, url_t *out)
{
    url_t tmp;
    char merged[URL_TARGET_MAX], query[URL_TARGET_MAX];
    size_t n;
    size_t plen = strcspn(ref, "?#"), qlen = strcspn(ref + plen, "#");
    size_t blen = strcspn(base->target, "?");

    if (!url_chars_ok(ref, plen + qlen) || url_fragment_ok(ref + plen + qlen) < 0)
        return errno = EINVAL, -1;
    if (plen >= sizeof merged || qlen >= sizeof query)
        return errno = ENAMETOOLONG, -1;
    memcpy(query, ref + plen, qlen);
    query[qlen] = '\0';
    tmp = *base;
    if (plen == 0) {   /* "" or "?q": the base's path as it is (§5.2.2) */
        int len = snprintf(tmp.target, sizeof tmp.target, "%.*s%s", (int)blen, base->target,
                           qlen ? query : base->target + blen);

        if (len < 0 || (size_t)len >= sizeof tmp.target)
            return errno = ENAMETOOLONG, -1;
        *out = tmp;
        return 0;
    }
    if (ref[0] == '/') {
        memcpy(merged, ref, plen);
        n = plen;
    } else {
        while (blen > 0 && base->target[blen - 1] != '/')
            blen--;   /* RFC 3986 §5.2.3: keep up to the last '/' */
        if (blen + plen >= sizeof merged)
            return errno = ENAMETOOLONG, -1;
        memcpy(merged, base->target, blen);
        memcpy(merged + blen, ref, plen);
        n = blen + plen;
    }
    if (url_set_path_query(&tmp, merged, n, query) < 0)
        return -1;
    *out = tmp;
    return 0;
}

/* Removes the dot segments of u's path (RFC 3986 §5.2.2: T.path =
 * remove_dot_segments(R.path)), keeping its query. */
static int url_clean_dots(url_t *u)
{
    size_t plen = strcspn(u->target, "?");

    return url_set_path_query(u, u->target, plen, u->target + plen);
}

int url_resolve(const url_t *base, const char *ref, url_t *out)
{
    url_t tmp;
    int rc;

    if (base == NULL || ref == NULL || out == NULL)
        return errno = EINVAL, -1;
    if (url_scheme_len(ref) > 0)
        rc = url_parse(ref, &tmp);
    else if (ref[0] == '/' && ref[1] == '/')
        rc = url_parse_network(ref, &tmp);
    else
        return url_resolve_path(base, ref, out);
    if (rc < 0 || url_clean_dots(&tmp) < 0)
        return -1;
    *out = tmp;
    return 0;
}

int url_format(const url_t *u, char *buf, size_t size)
{
    char port[8] = "";
    int n;

    if (u == NULL || buf == NULL)
        return errno = EINVAL, -1;
    if (u->port != URL_HTTP_PORT)
        snprintf(port, sizeof port, ":%d", u->port);
    n = snprintf(buf, size, "http://%s%s%s%s%s", u->ipv6 ? "[" : "", u->host,
                 u->ipv6 ? "]" : "", port, u->target);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            buf[0] = '\0';
        return errno = ENOSPC, -1;
    }
    return n;
}
