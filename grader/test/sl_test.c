/* sl_test.c - the test registry and the checks that explain themselves
 * (see sl_test.h). */
#include "sl_test.h"
#include "protocol.h"
#include "report_fd.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SL_MSG_MAX 2600   /* longest failure message: with its file, line and
                           * hint, a record holds it (PROTO_PAYLOAD_MAX) */
#define SL_CONTEXT 16     /* bytes shown on each side of a difference */
#define SL_SHORT 16       /* byte strings this short are shown whole */
#define SL_WHOLE 200      /* texts this short too, with where they differ */

static sl_test_t *registry;
static size_t registry_len;
static const char *current_hint;

void sl_register(sl_test_t *t)
{
    t->next = registry;
    registry = t;
    registry_len++;
}

static int by_place(const void *a, const void *b)
{
    const sl_test_t *x = *(const sl_test_t *const *)a;
    const sl_test_t *y = *(const sl_test_t *const *)b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

sl_test_t **sl_tests(size_t *count)
{
    static sl_test_t **sorted;
    if (!sorted && registry_len) {
        sorted = calloc(registry_len, sizeof *sorted);
        if (!sorted) {
            *count = 0;
            return NULL;
        }
        size_t i = 0;
        for (sl_test_t *t = registry; t; t = t->next)
            sorted[i++] = t;
        qsort(sorted, registry_len, sizeof *sorted, by_place);
    }
    *count = registry_len;
    return sorted;
}

const char *sl_hint_now(void)
{
    return current_hint;
}

const char *sl_hint_set(const char *hint)
{
    const char *prev = current_hint;
    current_hint = hint;
    return prev;
}

/* ---- the lesson's settings ----------------------------------------------- */

#define SL_SETTINGS_MAX 32
#define SL_SETTING_LEN 2048

static char settings[SL_SETTINGS_MAX][SL_SETTING_LEN];
static size_t nsettings;
static int errno_hints = 1;

void sl_lesson_set(const char *key, const char *kind, const char *value)
{
    if (strcmp(key, "errno-hints") == 0)
        errno_hints = strcmp(value ? value : "1", "0") != 0;
    if (nsettings < SL_SETTINGS_MAX)
        snprintf(settings[nsettings++], SL_SETTING_LEN, "%s%s%s\t%s", key, kind ? "\t" : "",
                 kind ? kind : "", value ? value : "");
}

const char *sl_lesson_setting(size_t i)
{
    return i < nsettings ? settings[i] : NULL;
}

int sl_lesson_errno_hints(void)
{
    return errno_hints;
}

/* Reports the failure to the grader at once (sl_main.c: no memory needed,
 * so it is not lost when the test runs out), then hands it to CUnit,
 * marked as reported already; a fatal one ends the test there. cause: the
 * errno of the step that failed, or 0. */
static void record(const char *file, int line, int fatal, const char *msg, int cause)
{
    sl_report_failure(file, line, msg, current_hint ? current_hint : "", cause);
    char full[SL_MSG_MAX + 2];
    snprintf(full, sizeof full, "%c%s", PROTO_REPORTED, msg);
    CU_assertImplementation(CU_FALSE, (unsigned)line, full, file, "",
                            fatal ? CU_TRUE : CU_FALSE);
}

static void fail_v(const char *file, int line, int fatal, int cause, const char *fmt,
                   va_list ap) __attribute__((format(printf, 5, 0)));

/* The harness's last error and its cause (sl_harness.h), when a test binary
 * links the harness; weak, so that one without it needs none. */
extern const char *sl_harness_error(void) __attribute__((weak));
extern int sl_harness_errno(void) __attribute__((weak));

/* The cause of a failure whose message reports the harness's last error
 * (a lesson's helper that says "echo-server could not start: ..." with
 * sl_harness_error()): that step's errno. Else 0. */
static int harness_cause(const char *msg)
{
    if (!sl_harness_error || !sl_harness_errno || sl_harness_errno() == 0)
        return 0;
    return strstr(msg, sl_harness_error()) ? sl_harness_errno() : 0;
}

/* The harness's look at the programs the test started, before a failure
 * is recorded (sl_harness.h): it ends the test at a program's TODO(), or
 * puts in front that a program had exited. Weak, as above. */
extern void sl_harness_on_failure(char *msg, size_t msgsz, int *cause) __attribute__((weak));

static void fail_v(const char *file, int line, int fatal, int cause, const char *fmt,
                   va_list ap)
{
    char msg[SL_MSG_MAX];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    txt_cut(msg, sizeof msg, n < 0 ? 0 : (size_t)n);
    if (sl_harness_on_failure)
        sl_harness_on_failure(msg, sizeof msg, &cause);
    record(file, line, fatal, msg, cause ? cause : harness_cause(msg));
}

void sl_fail_at(const char *file, int line, int fatal, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(file, line, fatal, 0, fmt, ap);
    va_end(ap);
}

void sl_fail_errno_at(const char *file, int line, int fatal, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(file, line, fatal, err, fmt, ap);
    va_end(ap);
}

/* ---- bytes --------------------------------------------------------------- */

/* Is every byte printable ASCII, a newline, tab or carriage return, or
 * part of a character beyond ASCII (UTF-8, shown as \xNN)? */
static int is_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isprint(p[i]) && p[i] != '\n' && p[i] != '\t' && p[i] != '\r' && p[i] < 0x80)
            return 0;
    return 1;
}

/* Writes buf[from, from+len) of a whole of size total into out: quoted
 * and escaped when text, else as hex bytes; "..." where the excerpt starts
 * late or ends early, "…" and a count where out is too small for it. */
static void show(char *out, size_t outsz, const unsigned char *buf, size_t total,
                 size_t from, size_t len, int text)
{
    const size_t note = 28; /* "…" (N more bytes) ... */
    if (from > total)
        from = total;
    if (len > total - from)
        len = total - from;
    size_t n = (size_t)snprintf(out, outsz, "%s", from > 0 ? "... " : ""), shown = len;
    if (n + note >= outsz)
        return;
    if (text) {
        out[n++] = '"';
        shown = txt_escape(buf + from, len, out + n, outsz - n - note);
        n += strlen(out + n);
        n += (size_t)snprintf(out + n, outsz - n, "%s\"", shown < len ? "\u2026" : "");
    } else if (len == 0) {
        n += (size_t)snprintf(out + n, outsz - n, "(no bytes)");
    } else {
        for (shown = 0; shown < len && n + 3 + note < outsz; shown++)
            n += (size_t)snprintf(out + n, outsz - n, "%s%02x", shown ? " " : "", buf[from + shown]);
    }
    if (shown < len)
        n += (size_t)snprintf(out + n, outsz - n, " (%zu more byte%s)", len - shown,
                 len - shown == 1 ? "" : "s");
    if (n < outsz)
        snprintf(out + n, outsz - n, "%s", from + len < total ? " ..." : "");
}

static size_t first_difference(const unsigned char *a, size_t alen,
                               const unsigned char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen, i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* " (expected 5 bytes, got 3)" when the lengths differ, else "". */
static void lengths(char *out, size_t outsz, size_t want_len, size_t got_len)
{
    if (want_len == got_len)
        out[0] = '\0';
    else
        snprintf(out, outsz, " (expected %zu byte%s, got %zu)", want_len,
                 want_len == 1 ? "" : "s", got_len);
}

/* ---- where two texts differ ---------------------------------------------- */

/* Does p[0, n) hold only spaces and tabs up to a newline or its end? */
static int blank_to_eol(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && p[i] != '\n'; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 0;
    return 1;
}

/* The character at p[at] of a text of n bytes, in words; trailing: the
 * other text's line ends there. */
static void char_words(const unsigned char *p, size_t n, size_t at, int trailing, char *out,
                       size_t outsz)
{
    static const struct { unsigned char c; const char *shown, *name; } named[] = {
        {' ', "' '", "a space"}, {'\t', "'\\t'", "a tab"},
        {'\r', "'\\r'", "a carriage return"}, {'\0', "'\\0'", "a NUL byte"},
    };
    if (at >= n || p[at] == '\n') {
        snprintf(out, outsz, "end of line");
        return;
    }
    size_t run = 0;
    while (at + run < n && p[at + run] == ' ')
        run++;
    if (trailing && blank_to_eol(p + at, n - at) && run > 0) {
        snprintf(out, outsz, "'%.*s' (%s)", (int)(run < 8 ? run : 8), "        ",
                 run == 1 ? "a trailing space" : "trailing spaces");
        return;
    }
    for (size_t i = 0; i < SL_COUNT(named); i++)
        if (p[at] == named[i].c) {
            snprintf(out, outsz, "%s (%s%s)", named[i].shown, named[i].name,
                     trailing && blank_to_eol(p + at, n - at) ? " at the end of the line" : "");
            return;
        }
    if (isprint(p[at]))
        snprintf(out, outsz, "'%c'", p[at]);
    else
        snprintf(out, outsz, "byte 0x%02x%s", p[at], p[at] >= 0x80 ? " (not ASCII)" : "");
}

const char *sl_text_difference(const void *got, size_t got_len, const void *want,
                               size_t want_len, char *out, size_t outsz)
{
    const unsigned char *g = got, *w = want;
    size_t at = first_difference(g, got_len, w, want_len), line = 1, col = 1;
    char gw[48], ww[48];
    if (outsz == 0)
        return out;
    out[0] = '\0';
    if (got_len == want_len && at == got_len)
        return out;
    int multi = memchr(w, '\n', want_len) != NULL || memchr(g, '\n', got_len) != NULL;
    for (size_t i = 0; i < at; i++) {
        if (w[i] == '\n')
            line++, col = 1;
        else
            col += (w[i] & 0xc0) != 0x80;
    }
    int g_ends = at >= got_len || g[at] == '\n', w_ends = at >= want_len || w[at] == '\n';
    char_words(w, want_len, at, g_ends, ww, sizeof ww);
    char_words(g, got_len, at, w_ends, gw, sizeof gw);
    if (multi)
        snprintf(out, outsz, "differs at line %zu, column %zu: expected %s, got %s", line, col,
                 ww, gw);
    else
        snprintf(out, outsz, "differs at column %zu: expected %s, got %s", col, ww, gw);
    return out;
}

/* Is the first difference of text worth a line of its own: past the
 * first character, or at one a person cannot see? */
static int worth_saying(const unsigned char *g, size_t glen, const unsigned char *w, size_t wlen)
{
    size_t at = first_difference(g, glen, w, wlen);
    return at > 0 || (at < glen && !isgraph(g[at])) || (at < wlen && !isgraph(w[at])) ||
           glen == 0 || wlen == 0;
}

int sl_check_bytes(const char *file, int line, int fatal, const char *what,
                   const void *got, size_t got_len,
                   const void *want, size_t want_len)
{
    if (!got || !want) {
        if (!got && !want)
            return 1;
        sl_fail_at(file, line, fatal, "%s: expected %s, got %s", what,
                   want ? "bytes" : "NULL", got ? "bytes" : "NULL");
        return 0;
    }
    if (got_len == want_len && memcmp(got, want, got_len) == 0)
        return 1;
    const unsigned char *g = got, *w = want;
    int text = is_text(g, got_len) && is_text(w, want_len);
    char gs[SL_MSG_MAX / 3], ws[SL_MSG_MAX / 3], lens[80];
    lengths(lens, sizeof lens, want_len, got_len);
    char where[160] = "";
    if (text && worth_saying(g, got_len, w, want_len))
        sl_text_difference(g, got_len, w, want_len, where, sizeof where);
    if ((want_len <= SL_SHORT && got_len <= SL_SHORT) ||
        (text && want_len <= SL_WHOLE && got_len <= SL_WHOLE)) {
        show(ws, sizeof ws, w, want_len, 0, want_len, text);
        show(gs, sizeof gs, g, got_len, 0, got_len, text);
        sl_fail_at(file, line, fatal, "%s: expected %s, got %s%s%s", what, ws, gs,
                   *where ? "\n" : "", where);
        return 0;
    }
    size_t at = first_difference(g, got_len, w, want_len);
    size_t from = at > SL_CONTEXT ? at - SL_CONTEXT : 0;
    show(ws, sizeof ws, w, want_len, from, 2 * SL_CONTEXT, text);
    show(gs, sizeof gs, g, got_len, from, 2 * SL_CONTEXT, text);
    if (text && !*where)
        sl_text_difference(g, got_len, w, want_len, where, sizeof where);
    if (text)
        sl_fail_at(file, line, fatal, "%s: %s (byte %zu)%s\nexpected: %s\n     got: %s", what,
                   where, at, lens, ws, gs);
    else
        sl_fail_at(file, line, fatal, "%s: first difference at byte %zu%s\nexpected: %s\n"
                   "     got: %s", what, at, lens, ws, gs);
    return 0;
}

int sl_check_str(const char *file, int line, int fatal, const char *what,
                 const char *got, const char *want)
{
    if (!got || !want) {
        if (!got && !want)
            return 1;
        char shown[SL_MSG_MAX / 2];
        const char *s = got ? got : want;
        show(shown, sizeof shown, (const unsigned char *)s, strlen(s), 0, SL_WHOLE, 1);
        sl_fail_at(file, line, fatal, "%s: expected %s, got %s", what,
                   want ? shown : "NULL", got ? shown : "NULL");
        return 0;
    }
    return sl_check_bytes(file, line, fatal, what, got, strlen(got), want, strlen(want));
}

/* ---- integers and errno -------------------------------------------------- */

int sl_check_int(const char *file, int line, int fatal, const char *what,
                 long long got, long long want)
{
    if (got == want)
        return 1;
    if (got >= 0 && want >= 0 && (got > 9 || want > 9))
        sl_fail_at(file, line, fatal, "%s: expected %lld (0x%llx), got %lld (0x%llx)",
                   what, want, want, got, got);
    else
        sl_fail_at(file, line, fatal, "%s: expected %lld, got %lld", what, want, got);
    return 0;
}

/* Every errno of Linux's <errno.h>, by number; an alias (EWOULDBLOCK,
 * EDEADLOCK, ENOTSUP) shares its number and is named by the first. */
static const struct { int code; const char *name; } errno_names[] = {
    {0, "0 (none)"},
#ifdef EPERM
    {EPERM, "EPERM"},
#endif
#ifdef ENOENT
    {ENOENT, "ENOENT"},
#endif
#ifdef ESRCH
    {ESRCH, "ESRCH"},
#endif
#ifdef EINTR
    {EINTR, "EINTR"},
#endif
#ifdef EIO
    {EIO, "EIO"},
#endif
#ifdef ENXIO
    {ENXIO, "ENXIO"},
#endif
#ifdef E2BIG
    {E2BIG, "E2BIG"},
#endif
#ifdef ENOEXEC
    {ENOEXEC, "ENOEXEC"},
#endif
#ifdef EBADF
    {EBADF, "EBADF"},
#endif
#ifdef ECHILD
    {ECHILD, "ECHILD"},
#endif
#ifdef EAGAIN
    {EAGAIN, "EAGAIN"},
#endif
#ifdef ENOMEM
    {ENOMEM, "ENOMEM"},
#endif
#ifdef EACCES
    {EACCES, "EACCES"},
#endif
#ifdef EFAULT
    {EFAULT, "EFAULT"},
#endif
#ifdef ENOTBLK
    {ENOTBLK, "ENOTBLK"},
#endif
#ifdef EBUSY
    {EBUSY, "EBUSY"},
#endif
#ifdef EEXIST
    {EEXIST, "EEXIST"},
#endif
#ifdef EXDEV
    {EXDEV, "EXDEV"},
#endif
#ifdef ENODEV
    {ENODEV, "ENODEV"},
#endif
#ifdef ENOTDIR
    {ENOTDIR, "ENOTDIR"},
#endif
#ifdef EISDIR
    {EISDIR, "EISDIR"},
#endif
#ifdef EINVAL
    {EINVAL, "EINVAL"},
#endif
#ifdef ENFILE
    {ENFILE, "ENFILE"},
#endif
#ifdef EMFILE
    {EMFILE, "EMFILE"},
#endif
#ifdef ENOTTY
    {ENOTTY, "ENOTTY"},
#endif
#ifdef ETXTBSY
    {ETXTBSY, "ETXTBSY"},
#endif
#ifdef EFBIG
    {EFBIG, "EFBIG"},
#endif
#ifdef ENOSPC
    {ENOSPC, "ENOSPC"},
#endif
#ifdef ESPIPE
    {ESPIPE, "ESPIPE"},
#endif
#ifdef EROFS
    {EROFS, "EROFS"},
#endif
#ifdef EMLINK
    {EMLINK, "EMLINK"},
#endif
#ifdef EPIPE
    {EPIPE, "EPIPE"},
#endif
#ifdef EDOM
    {EDOM, "EDOM"},
#endif
#ifdef ERANGE
    {ERANGE, "ERANGE"},
#endif
#ifdef EDEADLK
    {EDEADLK, "EDEADLK"},
#endif
#ifdef ENAMETOOLONG
    {ENAMETOOLONG, "ENAMETOOLONG"},
#endif
#ifdef ENOLCK
    {ENOLCK, "ENOLCK"},
#endif
#ifdef ENOSYS
    {ENOSYS, "ENOSYS"},
#endif
#ifdef ENOTEMPTY
    {ENOTEMPTY, "ENOTEMPTY"},
#endif
#ifdef ELOOP
    {ELOOP, "ELOOP"},
#endif
#ifdef ENOMSG
    {ENOMSG, "ENOMSG"},
#endif
#ifdef EIDRM
    {EIDRM, "EIDRM"},
#endif
#ifdef ECHRNG
    {ECHRNG, "ECHRNG"},
#endif
#ifdef EL2NSYNC
    {EL2NSYNC, "EL2NSYNC"},
#endif
#ifdef EL3HLT
    {EL3HLT, "EL3HLT"},
#endif
#ifdef EL3RST
    {EL3RST, "EL3RST"},
#endif
#ifdef ELNRNG
    {ELNRNG, "ELNRNG"},
#endif
#ifdef EUNATCH
    {EUNATCH, "EUNATCH"},
#endif
#ifdef ENOCSI
    {ENOCSI, "ENOCSI"},
#endif
#ifdef EL2HLT
    {EL2HLT, "EL2HLT"},
#endif
#ifdef EBADE
    {EBADE, "EBADE"},
#endif
#ifdef EBADR
    {EBADR, "EBADR"},
#endif
#ifdef EXFULL
    {EXFULL, "EXFULL"},
#endif
#ifdef ENOANO
    {ENOANO, "ENOANO"},
#endif
#ifdef EBADRQC
    {EBADRQC, "EBADRQC"},
#endif
#ifdef EBADSLT
    {EBADSLT, "EBADSLT"},
#endif
#ifdef EBFONT
    {EBFONT, "EBFONT"},
#endif
#ifdef ENOSTR
    {ENOSTR, "ENOSTR"},
#endif
#ifdef ENODATA
    {ENODATA, "ENODATA"},
#endif
#ifdef ETIME
    {ETIME, "ETIME"},
#endif
#ifdef ENOSR
    {ENOSR, "ENOSR"},
#endif
#ifdef ENONET
    {ENONET, "ENONET"},
#endif
#ifdef ENOPKG
    {ENOPKG, "ENOPKG"},
#endif
#ifdef EREMOTE
    {EREMOTE, "EREMOTE"},
#endif
#ifdef ENOLINK
    {ENOLINK, "ENOLINK"},
#endif
#ifdef EADV
    {EADV, "EADV"},
#endif
#ifdef ESRMNT
    {ESRMNT, "ESRMNT"},
#endif
#ifdef ECOMM
    {ECOMM, "ECOMM"},
#endif
#ifdef EPROTO
    {EPROTO, "EPROTO"},
#endif
#ifdef EMULTIHOP
    {EMULTIHOP, "EMULTIHOP"},
#endif
#ifdef EDOTDOT
    {EDOTDOT, "EDOTDOT"},
#endif
#ifdef EBADMSG
    {EBADMSG, "EBADMSG"},
#endif
#ifdef EOVERFLOW
    {EOVERFLOW, "EOVERFLOW"},
#endif
#ifdef ENOTUNIQ
    {ENOTUNIQ, "ENOTUNIQ"},
#endif
#ifdef EBADFD
    {EBADFD, "EBADFD"},
#endif
#ifdef EREMCHG
    {EREMCHG, "EREMCHG"},
#endif
#ifdef ELIBACC
    {ELIBACC, "ELIBACC"},
#endif
#ifdef ELIBBAD
    {ELIBBAD, "ELIBBAD"},
#endif
#ifdef ELIBSCN
    {ELIBSCN, "ELIBSCN"},
#endif
#ifdef ELIBMAX
    {ELIBMAX, "ELIBMAX"},
#endif
#ifdef ELIBEXEC
    {ELIBEXEC, "ELIBEXEC"},
#endif
#ifdef EILSEQ
    {EILSEQ, "EILSEQ"},
#endif
#ifdef ERESTART
    {ERESTART, "ERESTART"},
#endif
#ifdef ESTRPIPE
    {ESTRPIPE, "ESTRPIPE"},
#endif
#ifdef EUSERS
    {EUSERS, "EUSERS"},
#endif
#ifdef ENOTSOCK
    {ENOTSOCK, "ENOTSOCK"},
#endif
#ifdef EDESTADDRREQ
    {EDESTADDRREQ, "EDESTADDRREQ"},
#endif
#ifdef EMSGSIZE
    {EMSGSIZE, "EMSGSIZE"},
#endif
#ifdef EPROTOTYPE
    {EPROTOTYPE, "EPROTOTYPE"},
#endif
#ifdef ENOPROTOOPT
    {ENOPROTOOPT, "ENOPROTOOPT"},
#endif
#ifdef EPROTONOSUPPORT
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
#endif
#ifdef ESOCKTNOSUPPORT
    {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
#endif
#ifdef EOPNOTSUPP
    {EOPNOTSUPP, "EOPNOTSUPP"},
#endif
#ifdef EPFNOSUPPORT
    {EPFNOSUPPORT, "EPFNOSUPPORT"},
#endif
#ifdef EAFNOSUPPORT
    {EAFNOSUPPORT, "EAFNOSUPPORT"},
#endif
#ifdef EADDRINUSE
    {EADDRINUSE, "EADDRINUSE"},
#endif
#ifdef EADDRNOTAVAIL
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
#endif
#ifdef ENETDOWN
    {ENETDOWN, "ENETDOWN"},
#endif
#ifdef ENETUNREACH
    {ENETUNREACH, "ENETUNREACH"},
#endif
#ifdef ENETRESET
    {ENETRESET, "ENETRESET"},
#endif
#ifdef ECONNABORTED
    {ECONNABORTED, "ECONNABORTED"},
#endif
#ifdef ECONNRESET
    {ECONNRESET, "ECONNRESET"},
#endif
#ifdef ENOBUFS
    {ENOBUFS, "ENOBUFS"},
#endif
#ifdef EISCONN
    {EISCONN, "EISCONN"},
#endif
#ifdef ENOTCONN
    {ENOTCONN, "ENOTCONN"},
#endif
#ifdef ESHUTDOWN
    {ESHUTDOWN, "ESHUTDOWN"},
#endif
#ifdef ETOOMANYREFS
    {ETOOMANYREFS, "ETOOMANYREFS"},
#endif
#ifdef ETIMEDOUT
    {ETIMEDOUT, "ETIMEDOUT"},
#endif
#ifdef ECONNREFUSED
    {ECONNREFUSED, "ECONNREFUSED"},
#endif
#ifdef EHOSTDOWN
    {EHOSTDOWN, "EHOSTDOWN"},
#endif
#ifdef EHOSTUNREACH
    {EHOSTUNREACH, "EHOSTUNREACH"},
#endif
#ifdef EALREADY
    {EALREADY, "EALREADY"},
#endif
#ifdef EINPROGRESS
    {EINPROGRESS, "EINPROGRESS"},
#endif
#ifdef ESTALE
    {ESTALE, "ESTALE"},
#endif
#ifdef EUCLEAN
    {EUCLEAN, "EUCLEAN"},
#endif
#ifdef ENOTNAM
    {ENOTNAM, "ENOTNAM"},
#endif
#ifdef ENAVAIL
    {ENAVAIL, "ENAVAIL"},
#endif
#ifdef EISNAM
    {EISNAM, "EISNAM"},
#endif
#ifdef EREMOTEIO
    {EREMOTEIO, "EREMOTEIO"},
#endif
#ifdef EDQUOT
    {EDQUOT, "EDQUOT"},
#endif
#ifdef ENOMEDIUM
    {ENOMEDIUM, "ENOMEDIUM"},
#endif
#ifdef EMEDIUMTYPE
    {EMEDIUMTYPE, "EMEDIUMTYPE"},
#endif
#ifdef ECANCELED
    {ECANCELED, "ECANCELED"},
#endif
#ifdef ENOKEY
    {ENOKEY, "ENOKEY"},
#endif
#ifdef EKEYEXPIRED
    {EKEYEXPIRED, "EKEYEXPIRED"},
#endif
#ifdef EKEYREVOKED
    {EKEYREVOKED, "EKEYREVOKED"},
#endif
#ifdef EKEYREJECTED
    {EKEYREJECTED, "EKEYREJECTED"},
#endif
#ifdef EOWNERDEAD
    {EOWNERDEAD, "EOWNERDEAD"},
#endif
#ifdef ENOTRECOVERABLE
    {ENOTRECOVERABLE, "ENOTRECOVERABLE"},
#endif
#ifdef ERFKILL
    {ERFKILL, "ERFKILL"},
#endif
#ifdef EHWPOISON
    {EHWPOISON, "EHWPOISON"},
#endif
};

const char *sl_errno_name(int err)
{
    for (size_t i = 0; i < SL_COUNT(errno_names); i++)
        if (errno_names[i].code == err)
            return errno_names[i].name;
    return NULL;
}

static void describe_errno(char *out, size_t outsz, int err)
{
    const char *name = sl_errno_name(err);
    if (name)
        snprintf(out, outsz, "%s", name);
    else
        snprintf(out, outsz, "%d (%s)", err, strerror(err));
}

int sl_check_fails(const char *file, int line, int fatal, const char *what,
                   long long ret, int err, int want_err)
{
    if (ret == -1 && err == want_err)
        return 1;
    char w[64], g[64];
    describe_errno(w, sizeof w, want_err);
    describe_errno(g, sizeof g, err);
    if (ret != -1)
        sl_fail_at(file, line, fatal, "%s: expected -1 with errno %s, got %lld",
                   what, w, ret);
    else
        sl_fail_at(file, line, fatal, "%s: expected errno %s, got errno %s",
                   what, w, g);
    return 0;
}

void sl_require(const char *file, int line, const char *what, long long got,
                int err, long long want)
{
    if (got == want)
        return;
    char must[48], e[64];
    if (want == 0)
        snprintf(must, sizeof must, "succeed (return 0)");
    else
        snprintf(must, sizeof must, "return %lld", want);
    describe_errno(e, sizeof e, err);
    if (got == -1)
        sl_fail_at(file, line, 1, "%s must %s before the rest of this test means "
                   "anything; it returned -1 (errno %s: %s)", what, must, e, strerror(err));
    else
        sl_fail_at(file, line, 1, "%s must %s before the rest of this test means "
                   "anything; it returned %lld", what, must, got);
}
