/* text.c - arbitrary bytes to text that is safe to show and store (see text.h). */
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

static const char hexdigits[] = "0123456789abcdef";

/* Is b a UTF-8 continuation byte within [lo, hi]? */
static int cont_in(unsigned char b, unsigned char lo, unsigned char hi)
{
    return b >= lo && b <= hi;
}

/*
 * Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), or 0
 * if there is none: overlong forms, surrogates, code points above U+10FFFF
 * and truncated sequences are all rejected. The code point goes to *cp.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b = p[0];
    unsigned char lo = 0x80, hi = 0xbf;
    size_t len;

    if (b >= 0xc2 && b <= 0xdf)
        len = 2;
    else if (b >= 0xe0 && b <= 0xef)
        len = 3;
    else if (b >= 0xf0 && b <= 0xf4)
        len = 4;
    else
        return 0;
    if (b == 0xe0)
        lo = 0xa0;              /* overlong below U+0800 */
    else if (b == 0xed)
        hi = 0x9f;              /* surrogates U+D800..U+DFFF */
    else if (b == 0xf0)
        lo = 0x90;              /* overlong below U+10000 */
    else if (b == 0xf4)
        hi = 0x8f;              /* above U+10FFFF */
    if (n < len || !cont_in(p[1], lo, hi))
        return 0;
    *cp = b & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if (i > 1 && !cont_in(p[i], 0x80, 0xbf))
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3f);
    }
    return len;
}

/* Code points that are valid UTF-8 but not fit to show or to put in XML 1.0. */
static int cp_unfit(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

/* Writes `\xNN` for b at q; returns the end. */
static char *put_hex(char *q, unsigned char b)
{
    *q++ = '\\';
    *q++ = 'x';
    *q++ = hexdigits[b >> 4];
    *q++ = hexdigits[b & 0xf];
    return q;
}

/* Cleans one ASCII byte into q; returns the end. */
static char *clean_ascii(char *q, unsigned char b)
{
    if (b == '\n' || b == '\t' || (b >= 0x20 && b < 0x7f))
        *q++ = (char)b;
    else
        q = put_hex(q, b);
    return q;
}

char *txt_clean(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    char *out, *q;

    if (len > (SIZE_MAX - 1) / 4) {
        errno = ENOMEM;
        return NULL;
    }
    out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    q = out;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = p[i] < 0x80 ? 0 : utf8_seq(p + i, len - i, &cp);

        if (p[i] < 0x80) {
            q = clean_ascii(q, p[i++]);
        } else if (n == 0) {
            q = put_hex(q, p[i++]);
        } else if (cp_unfit(cp)) {
            for (size_t k = 0; k < n; k++)
                q = put_hex(q, p[i++]);
        } else {
            for (size_t k = 0; k < n; k++)
                *q++ = (char)p[i++];
        }
    }
    *q = '\0';
    return out;
}

/* The escape of byte b into e (at most 4 chars, not terminated); its length. */
static size_t escape_byte(unsigned char b, char *e)
{
    static const char from[] = "\n\t\r\\\"";
    static const char to[] = "ntr\\\"";

    for (size_t i = 0; i < sizeof from - 1; i++) {
        if (b == (unsigned char)from[i]) {
            e[0] = '\\';
            e[1] = to[i];
            return 2;
        }
    }
    if (b == 0) {
        e[0] = '\\';
        e[1] = '0';
        return 2;
    }
    if (b >= 0x20 && b < 0x7f) {
        e[0] = (char)b;
        return 1;
    }
    put_hex(e, b);
    return 4;
}

size_t txt_escape(const void *buf, size_t len, char *out, size_t outsz)
{
    const unsigned char *p = buf;
    size_t used = 0, i;

    if (outsz == 0)
        return 0;
    for (i = 0; i < len; i++) {
        char e[4];
        size_t n = escape_byte(p[i], e);

        if (used + n + 1 > outsz)
            break;
        for (size_t k = 0; k < n; k++)
            out[used++] = e[k];
    }
    out[used] = '\0';
    return i;
}
