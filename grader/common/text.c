/* text.c - arbitrary bytes to text that is safe to show and store (see text.h). */
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char hexdigits[] = "0123456789abcdef";

/* Is b a UTF-8 continuation byte within [lo, hi]? */
static int cont_in(unsigned char b, unsigned char lo, unsigned char hi)
{
    return b >= lo && b <= hi;
}

/* Length of the UTF-8 sequence that lead byte b starts, or 0 if none. */
static size_t seq_len(unsigned char b)
{
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef)
        return 3;
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    return 0;
}

/*
 * Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), or 0
 * if there is none: overlong forms, surrogates, code points above U+10FFFF
 * and truncated sequences are all rejected. The code point goes to *cp.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b = p[0];
    size_t len = seq_len(b);
    if (len == 0)
        return 0;
    unsigned char lo = 0x80, hi = 0xbf;
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

/* A range of code points [lo, hi]. */
typedef struct cp_range {
    uint32_t lo, hi;
} cp_range_t;

/*
 * Valid code points that are not fit to show or to put in XML 1.0: the C1
 * controls; the invisible format and bidirectional controls, which let text
 * reorder or hide what is around it on a screen; the interlinear
 * annotations; the tag characters; and the non-characters U+FFFE, U+FFFF.
 * Sorted.
 */
static const cp_range_t unfit[] = {
    {0x0080, 0x009f},   /* C1 controls */
    {0x061c, 0x061c},   /* ARABIC LETTER MARK */
    {0x180e, 0x180e},   /* MONGOLIAN VOWEL SEPARATOR */
    {0x200b, 0x200f},   /* zero-width space, joiners, LRM, RLM */
    {0x2028, 0x202e},   /* line/paragraph separators, LRE..RLO */
    {0x2060, 0x206f},   /* word joiner, invisible operators, LRI..PDI, ... */
    {0xfeff, 0xfeff},   /* zero-width no-break space (BOM) */
    {0xfff9, 0xfffb},   /* interlinear annotation controls */
    {0xfffe, 0xffff},   /* non-characters */
    {0xe0000, 0xe007f}, /* tag characters */
};

/* Is cp in one of the n sorted ranges r? */
static int cp_in(uint32_t cp, const cp_range_t *r, size_t n)
{
    for (size_t i = 0; i < n && cp >= r[i].lo; i++)
        if (cp <= r[i].hi)
            return 1;
    return 0;
}

/* Is cp valid UTF-8 but not fit to show or to put in XML 1.0? */
static int cp_unfit(uint32_t cp)
{
    return cp_in(cp, unfit, sizeof unfit / sizeof unfit[0]);
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
    if (len > (SIZE_MAX - 1) / 4) {
        errno = ENOMEM;
        return NULL;
    }
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = buf;
    char *q = out;
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
    if (outsz == 0)
        return 0;
    const unsigned char *p = buf;
    size_t used = 0, i = 0;
    for (; i < len; i++) {
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

/* Code points that take no column: combining marks (common ones). Sorted. */
static const cp_range_t zero_width[] = {
    {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a},
    {0x064b, 0x065f}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x20d0, 0x20ff},
    {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xe0100, 0xe01ef},
};

/* Code points that take two columns: East Asian wide and emoji. Sorted. */
static const cp_range_t wide[] = {
    {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},
    {0x23e9, 0x23ec},   {0x2e80, 0x303e},   {0x3041, 0x33ff},
    {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
    {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe30, 0xfe4f},
    {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f300, 0x1f64f},
    {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff}, {0x20000, 0x2fffd},
    {0x30000, 0x3fffd},
};

/* Length in bytes of the character at s (len > 0 bytes left); its columns to *w. */
static size_t next_char(const char *s, size_t len, size_t *w)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = 0;
    size_t n = p[0] < 0x80 ? 1 : utf8_seq(p, len, &cp);

    if (p[0] < 0x80 || n == 0) {
        *w = 1;
        return 1;
    }
    if (cp_in(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
        *w = 0;
    else
        *w = 1 + cp_in(cp, wide, sizeof wide / sizeof wide[0]);
    return n;
}

size_t txt_width(const char *s, size_t len)
{
    size_t cols = 0;
    for (size_t i = 0; i < len;) {
        size_t w;
        i += next_char(s + i, len - i, &w);
        cols += w;
    }
    return cols;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Moves a cut at n back to the start of a `\xNN` it would split. */
static size_t whole_escape(const char *s, size_t len, size_t n)
{
    for (size_t k = n >= 3 ? n - 3 : 0; k < n; k++)
        if (s[k] == '\\' && k + 4 <= len && s[k + 1] == 'x' && is_hex(s[k + 2]) &&
            is_hex(s[k + 3]))
            return k;
    return n;
}

size_t txt_fit(const char *s, size_t len, size_t cols)
{
    size_t i = 0, used = 0;

    while (i < len) {
        size_t w, n = next_char(s + i, len - i, &w);

        if (used + w > cols)
            return whole_escape(s, len, i);
        used += w;
        i += n;
    }
    return len;
}

size_t txt_break(const char *s, size_t len, size_t cols)
{
    size_t cut = txt_fit(s, len, cols);
    if (cut == len)
        return len;
    size_t lead = 0;
    while (lead < len && s[lead] == ' ')
        lead++;
    for (size_t b = cut; b > lead; b--)
        if (s[b] == ' ')
            return b;
    size_t end = lead > cut ? lead : cut;
    while (end < len && s[end] != ' ')
        end++;
    return end;
}

/* ---- text too long for its buffer ---------------------------------------- */

#define TXT_NOTE_MAX 28     /* room kept for "... (N more bytes)" */
#define TXT_WORD_BACK 48    /* how far back a cut looks for a space */

/* Is the quote at s[i] escaped (an odd run of backslashes before it)? */
static int escaped(const char *s, size_t i)
{
    size_t k = 0;
    while (k < i && s[i - 1 - k] == '\\')
        k++;
    return k % 2;
}

/* Where the quoted value that s[0, n) ends inside begins, or n if none. */
static size_t open_quote(const char *s, size_t n)
{
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' && !escaped(s, i))
            at = at == n ? i : n;
    return at;
}

/* A cut at most at n: not inside a character or a \xNN, at a space when
 * one is near, before a quoted value it would split when that leaves half. */
static size_t cut_point(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    n = whole_escape(s, strlen(s), n);
    size_t q = open_quote(s, n), lo = n > TXT_WORD_BACK ? n - TXT_WORD_BACK : 0;
    if (q < n && q >= n / 2)
        return q;
    for (size_t b = n; b > lo; b--)
        if (s[b - 1] == ' ' || s[b - 1] == '\n')
            return b - 1;
    return n;
}

size_t txt_cut(char *buf, size_t bufsz, size_t whole)
{
    size_t have = strlen(buf);
    if (whole < bufsz || bufsz <= TXT_NOTE_MAX + 1)
        return have;
    size_t limit = bufsz - 1 - TXT_NOTE_MAX;
    size_t cut = cut_point(buf, have < limit ? have : limit);
    int quoted = open_quote(buf, cut) < cut;
    while (cut > 0 && (buf[cut - 1] == ' ' || buf[cut - 1] == '\n'))
        cut--;
    int n = snprintf(buf + cut, bufsz - cut, "\u2026%s (%zu more byte%s)", quoted ? "\"" : "",
                     whole - cut, whole - cut == 1 ? "" : "s");
    return cut + (n > 0 ? (size_t)n : 0);
}

/* ---- compiler output --------------------------------------------------- */

/* Length of the first line of s (up to '\n' or the end). */
static size_t line_len(const char *s)
{
    const char *nl = strchr(s, '\n');

    return nl ? (size_t)(nl - s) : strlen(s);
}

/* Does the line at s (len bytes) hold needle? Case-insensitive if nocase. */
static int line_has(const char *s, size_t len, const char *needle, int nocase)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= len; i++)
        if (nocase ? strncasecmp(s + i, needle, n) == 0 : strncmp(s + i, needle, n) == 0)
            return 1;
    return 0;
}

/* Does the line at s (len bytes) hold a compiler's, linker's or make's error? */
static int error_line(const char *s, size_t len)
{
    return line_has(s, len, "error:", 0) || line_has(s, len, "undefined reference", 0) ||
           line_has(s, len, "Error ", 0);
}

/* Is the line at s (len bytes) gcc's or ld's "...: In function 'f':" context? */
static int context_line(const char *s, size_t len)
{
    return line_has(s, len, "in function", 1);
}

const char *txt_first_error(const char *log, size_t *before)
{
    const char *prev = NULL;
    size_t n = 0;

    for (const char *p = log; *p; p += line_len(p) + 1, n++) {
        if (error_line(p, line_len(p))) {
            if (prev && context_line(prev, line_len(prev))) {
                p = prev;
                n--;
            }
            *before = n;
            return p;
        }
        prev = p;
        if (!p[line_len(p)])
            break;
    }
    return NULL;
}

