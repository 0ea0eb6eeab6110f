/* progutil.h - helpers shared by the program tests of lesson 02 (files
 * with SL_TASK_PROGRAMS): they run `lookup` as a student would, directly
 * or through with-hosts (the lab), and compare what it prints with what
 * it should print, which the test builds itself from the C library's own
 * getaddrinfo() and getnameinfo(). No function of lookup.h is called:
 * these tests run with no student code in their process. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#include "common.h"

#include <stdarg.h>
#include <strings.h>

/* ---- what lookup must print -------------------------------------------------- */

/* What a run of lookup must give: stdout, stderr and the exit status. */
typedef struct pu_ref {
    char out[8192];
    char err[4096];
    int status;
} pu_ref_t;

/* Appends to the NUL-terminated text of buf (size bytes). */
static inline void __attribute__((format(printf, 3, 4)))
pu_add(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    if (len < size)
        vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* "lookup: OPERAND: reason" for code (errno err), and status 1. */
static inline void pu_ref_failed(pu_ref_t *r, const char *operand, int code, int err)
{
    pu_add(r->err, sizeof r->err, "lookup: %s: %s\n", operand,
           code == EAI_SYSTEM ? strerror(err) : gai_strerror(code));
    r->status = 1;
}

/* Do two results hold the same address (family, bytes, scope)? */
static inline int pu_same_address(const struct addrinfo *a, const struct addrinfo *b)
{
    if (a->ai_family != b->ai_family)
        return 0;
    if (a->ai_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a->ai_addr, *y = (const void *)b->ai_addr;

        return memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0 &&
               x->sin6_scope_id == y->sin6_scope_id;
    }
    return ((const struct sockaddr_in *)(const void *)a->ai_addr)->sin_addr.s_addr ==
           ((const struct sockaddr_in *)(const void *)b->ai_addr)->sin_addr.s_addr;
}

/* What `lookup [-4|-6] name` prints. */
static inline void pu_ref_host(pu_ref_t *r, const char *name, int family)
{
    struct addrinfo hints, *res, *ai, *seen;
    const char *canonical;
    int code;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    errno = 0;
    code = getaddrinfo(name, NULL, &hints, &res);
    if (code != 0) {
        pu_ref_failed(r, name, code, errno);
        return;
    }
    canonical = res->ai_canonname ? res->ai_canonname : name;
    if (strcasecmp(name, canonical) != 0)
        pu_add(r->out, sizeof r->out, "%s is an alias for %s\n", name, canonical);
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        char host[NI_MAXHOST];

        for (seen = res; seen != ai && !pu_same_address(seen, ai); seen = seen->ai_next)
            ;
        if (seen != ai)
            continue;   /* an address given before */
        getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
        pu_add(r->out, sizeof r->out, "%s has %saddress %s\n", canonical,
               ai->ai_family == AF_INET6 ? "IPv6 " : "", host);
    }
    freeaddrinfo(res);
}

/* What `lookup -r addr` prints. */
static inline void pu_ref_reverse(pu_ref_t *r, const char *addr)
{
    struct addrinfo hints, *res;
    char name[NI_MAXHOST];
    int code, err;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    errno = 0;
    code = getaddrinfo(addr, NULL, &hints, &res);
    if (code != 0) {
        pu_ref_failed(r, addr, code, errno);
        return;
    }
    errno = 0;
    code = getnameinfo(res->ai_addr, res->ai_addrlen, name, sizeof name, NULL, 0, NI_NAMEREQD);
    err = errno;
    freeaddrinfo(res);
    if (code != 0)
        pu_ref_failed(r, addr, code, err);
    else
        pu_add(r->out, sizeof r->out, "%s has name %s\n", addr, name);
}

/* Does getaddrinfo() read service as a number (strtoul() reads it to its
 * end: " 80" and "+70000" too) that is not a port written plainly, digits
 * alone and 65535 at most? lk_service_port() says EAI_SERVICE then. */
static inline int pu_number_not_port(const char *service)
{
    char *end;
    unsigned long value;

    errno = 0;
    value = strtoul(service, &end, 10);
    if (end == service || *end != '\0')
        return 0;   /* a name */
    return strspn(service, "0123456789") != strlen(service) || errno == ERANGE ||
           value > 65535;
}

/* What `lookup -s service[/proto]` prints. */
static inline void pu_ref_service(pu_ref_t *r, const char *arg)
{
    char service[256];
    const char *slash = strchr(arg, '/'), *proto = slash ? slash + 1 : NULL;
    struct addrinfo hints, *res;
    size_t len = slash ? (size_t)(slash - arg) : strlen(arg);
    int code;

    snprintf(service, sizeof service, "%.*s", (int)len, arg);
    memset(&hints, 0, sizeof hints);
    if (proto && strcmp(proto, "tcp") == 0)
        hints.ai_socktype = SOCK_STREAM;
    else if (proto && strcmp(proto, "udp") == 0)
        hints.ai_socktype = SOCK_DGRAM;
    else if (proto) {
        pu_ref_failed(r, arg, EAI_SERVICE, 0);
        return;
    }
    if (service[0] == '\0') {
        pu_ref_failed(r, arg, EAI_NONAME, 0);
        return;
    }
    if (pu_number_not_port(service)) {
        pu_ref_failed(r, arg, EAI_SERVICE, 0);
        return;
    }
    errno = 0;
    code = getaddrinfo(NULL, service, &hints, &res);
    if (code != 0) {
        pu_ref_failed(r, arg, code, errno);
        return;
    }
    pu_add(r->out, sizeof r->out, "%s has port %d\n", arg,
           ntohs(((const struct sockaddr_in *)(const void *)res->ai_addr)->sin_port));
    freeaddrinfo(res);
}

/* What `lookup ARGS...` prints (args valid, NULL-terminated). */
static inline void pu_reference(const char *const *args, pu_ref_t *r)
{
    int family = AF_UNSPEC, mode = 0;
    size_t i = 0;

    memset(r, 0, sizeof *r);
    for (; args[i] && args[i][0] == '-' && args[i][1] != '\0'; i++) {
        if (strcmp(args[i], "-4") == 0)
            family = AF_INET;
        else if (strcmp(args[i], "-6") == 0)
            family = AF_INET6;
        else
            mode = args[i][1];
    }
    for (; args[i]; i++) {
        if (mode == 'r')
            pu_ref_reverse(r, args[i]);
        else if (mode == 's')
            pu_ref_service(r, args[i]);
        else
            pu_ref_host(r, args[i], family);
    }
}

/* ---- running lookup ---------------------------------------------------------------- */

#define PU_RUN_MS 3000   /* a run of lookup ends well within this */

/* The command line in words: "lookup -4 www", "lookup web (in the lab: ...)". */
static inline const char *pu_words(const char *const *args, int lab)
{
    char words[512], *b;
    size_t n = (size_t)snprintf(words, sizeof words, "lookup");

    for (size_t i = 0; args[i] && n < sizeof words; i++)
        n += (size_t)snprintf(words + n, sizeof words - n, args[i][0] ? " %s" : " \"%s\"",
                              args[i]);
    if (lab && n < sizeof words)
        snprintf(words + n, sizeof words - n, " (in the lab: with-hosts --lab)");
    b = cu_buf();
    memcpy(b, words, sizeof words);
    return b;
}

/* Runs lookup with args (NULL-terminated), in the lab (through
 * `with-hosts --lab`, the lab's /etc/hosts built in, so that the command in
 * the transcript runs again by hand as it is) when lab is not 0. Ends the test if it could not start, was
 * still running after PU_RUN_MS, or stopped at a TODO() (not implemented). */
static inline void pu_run(sl_run_t *r, const char *const *args, int lab)
{
    const char *all[64];
    size_t n = 0;
    int rc, ms = PU_RUN_MS;

    if (lab) {
        all[n++] = "--lab";
        all[n++] = "lookup";
    }
    for (size_t i = 0; args[i] && n < 62; i++)
        all[n++] = args[i];
    all[n] = NULL;
    rc = sl_run(r, lab ? "with-hosts" : "lookup", all, NULL, 0, ms);
    sl_prog_check_todo(&r->prog);
    if (rc < 0 && r->timed_out)
        SL_FAIL_FATAL("%s was still running after %d ms (it was killed): each lookup takes a "
                      "millisecond here; a loop that never ends?", pu_words(args, lab),
                      sl_scaled_ms(ms));
    if (rc < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (lab && WIFEXITED(r->prog.status) && WEXITSTATUS(r->prog.status) == 125)
        SL_FAIL_FATAL("test setup: with-hosts could not give lookup the lab here: %s",
                      r->prog.err.data);
}

/* Bytes as a student reads them. */
static inline const char *pu_show(const void *buf, size_t len)
{
    char *b = cu_buf();

    return sl_show(buf, len, 300, b, 512);
}

/* The line of text that starts at p (up to its '\n', at most 200 bytes)
 * as a student reads it. */
static inline const char *pu_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);

    return pu_show(p, len > 200 ? 200 : len);
}

/* Counts the lines of text. */
static inline int pu_lines(const char *text)
{
    int n = 0;

    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* Compares what a run printed on one stream with what it should have,
 * line by line: the first line that differs, with where in it in words
 * (sl_text_difference(): "differs at column 29: expected end of line, got
 * ' ' (a trailing space)"), or the first line missing or too many, with
 * both texts. `what` names the stream and the run. */
static inline int pu_check_text_at(const char *file, int line, const char *what,
                                   const char *got, const char *want)
{
    const char *g = got, *w = want;
    int n = 1;

    if (strcmp(got, want) == 0)
        return 1;
    while (*g && *w) {
        const char *gn = strchr(g, '\n'), *wn = strchr(w, '\n');
        size_t gl = gn ? (size_t)(gn - g) + 1 : strlen(g), wl = wn ? (size_t)(wn - w) + 1 : strlen(w);

        if (gl != wl || memcmp(g, w, gl) != 0)
            break;
        g += gl;
        w += wl;
        n++;
    }
    if (*w == '\0')
        sl_fail_at(file, line, 0, "%s: %d line%s, expected %d: line %d, %s, is one too many "
                   "(all of it: %s)", what, pu_lines(got), pu_lines(got) == 1 ? "" : "s",
                   pu_lines(want), n, pu_line(g), pu_show(got, strlen(got)));
    else if (*g == '\0')
        sl_fail_at(file, line, 0, "%s: %d line%s, expected %d: line %d, %s, is missing "
                   "(expected in all: %s)", what, pu_lines(got), pu_lines(got) == 1 ? "" : "s",
                   pu_lines(want), n, pu_line(w), pu_show(want, strlen(want)));
    else {
        /* Where in the line, in words: a trailing space or a tab looks
         * the same as what was expected once quoted. */
        const char *gn = strchr(g, '\n'), *wn = strchr(w, '\n');
        size_t gl = gn ? (size_t)(gn - g) : strlen(g), wl = wn ? (size_t)(wn - w) : strlen(w);
        char where[160];

        if (gl == wl && memcmp(g, w, gl) == 0)
            snprintf(where, sizeof where, gn ? "ends with a newline ('\\n'), expected none"
                                             : "ends with no newline ('\\n')");
        else
            sl_text_difference(g, gl, w, wl, where, sizeof where);
        sl_fail_at(file, line, 0, "%s, line %d: expected %s, got %s; it %s\n(expected in all: %s)",
                   what, n, pu_line(w), pu_line(g), where, pu_show(want, strlen(want)));
    }
    return 0;
}

/* The first line of a sanitizer's report in text, or NULL. */
static inline const char *pu_sanitizer_line(const char *text)
{
    static const char *const marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                        "runtime error:"};

    for (size_t i = 0; i < SL_COUNT(marks); i++) {
        const char *at = strstr(text, marks[i]);

        if (at != NULL) {
            while (at > text && at[-1] != '\n')
                at--;
            return pu_line(at);
        }
    }
    return NULL;
}

/* Checks run r of args against ref: status, stdout and stderr, each
 * named; `lab` says how it was run. 1 if all three are right. */
static inline int pu_check_at(const char *file, int line, const sl_run_t *r,
                              const char *const *args, int lab, const pu_ref_t *ref)
{
    char what[600];
    const char *words = pu_words(args, lab), *report = pu_sanitizer_line(r->prog.err.data);
    int ok = 1;

    if (WIFSIGNALED(r->prog.status) || report != NULL) {
        char how[SL_PROG_HOW_MAX];

        sl_fail_at(file, line, 0, "%s %s%s%s", words,
                   report ? "crashed; the sanitizer says: " : sl_prog_how(&r->prog, how, sizeof how),
                   report ? report : r->prog.err.len ? "; its stderr: " : "",
                   report ? "" : r->prog.err.len ? pu_show(r->prog.err.data, r->prog.err.len) : "");
        return 0;
    }
    snprintf(what, sizeof what, "the stdout of %s", words);
    ok &= pu_check_text_at(file, line, what, r->prog.out.data, ref->out);
    snprintf(what, sizeof what, "the stderr of %s", words);
    ok &= pu_check_text_at(file, line, what, r->prog.err.data, ref->err);
    snprintf(what, sizeof what, "the exit status of %s (1: a lookup failed; 0: none did)",
             words);
    ok &= sl_check_int(file, line, 0, what, WEXITSTATUS(r->prog.status), ref->status);
    return ok;
}

/* Runs `lookup ARGS...` and checks it against the test's own answer. */
#define PU_LOOKUP(...)                                                          \
    do {                                                                        \
        static const char *const pu_args_[] = {__VA_ARGS__, NULL};             \
        pu_ref_t *pu_ref_ = cu_shared(sizeof *pu_ref_);                         \
        sl_run_t pu_r_;                                                         \
        pu_reference(pu_args_, pu_ref_);                                        \
        pu_run(&pu_r_, pu_args_, 0);                                            \
        pu_check_at(__FILE__, __LINE__, &pu_r_, pu_args_, 0, pu_ref_);          \
        sl_run_free(&pu_r_);                                                    \
    } while (0)

/* ---- runs in the lab ------------------------------------------------------------------ */

#define PU_LAB_CASES 6

/* The arguments of one run of lookup, NULL-terminated. */
typedef struct pu_case {
    const char *args[10];
} pu_case_t;

/* Runs in the lab and what each must print there. */
typedef struct pu_lab {
    size_t n;
    pu_case_t c[PU_LAB_CASES];
    pu_ref_t ref[PU_LAB_CASES];
} pu_lab_t;

static inline void pu_lab_fn(void *data)
{
    pu_lab_t *l = data;

    for (size_t i = 0; i < l->n; i++)
        pu_reference(l->c[i].args, &l->ref[i]);
}

/* What the n runs of cases must print in the lab, computed there by the
 * test itself; NULL (a note says why) where this machine allows no lab.
 * Call it before the test runs any program: a process that has started
 * one is no longer allowed to make a user namespace of its own. */
static inline pu_lab_t *pu_lab_refs(const pu_case_t *cases, size_t n)
{
    pu_lab_t *l = cu_shared(sizeof *l);

    if (n > PU_LAB_CASES)
        SL_FAIL_FATAL("test: more than %d runs in the lab", PU_LAB_CASES);
    l->n = n;
    memcpy(l->c, cases, n * sizeof *cases);
    return cu_in_lab(pu_lab_fn, l, "the test's own lookups in the lab", 2000) ? l : NULL;
}

/* Runs case i of l in the lab (with-hosts --lab lookup ARGS...) and checks
 * it against the test's own answer there. */
#define PU_LOOKUP_LAB(l, i)                                                     \
    do {                                                                        \
        sl_run_t pu_r_;                                                         \
        pu_run(&pu_r_, (l)->c[i].args, 1);                                      \
        pu_check_at(__FILE__, __LINE__, &pu_r_, (l)->c[i].args, 1, &(l)->ref[i]); \
        sl_run_free(&pu_r_);                                                    \
    } while (0)

/* lookup ARGS... must be bad usage: exit status 2, "usage" on stderr,
 * nothing on stdout. `what` says why in words. */
static inline void pu_bad_usage(const char *const *args, const char *what)
{
    sl_run_t r;
    const char *words = pu_words(args, 0);

    pu_run(&r, args, 0);
    if (!WIFEXITED(r.prog.status) || WEXITSTATUS(r.prog.status) != 2) {
        char how[SL_PROG_HOW_MAX];

        SL_FAIL("%s (%s) %s: expected exit status 2, bad usage", words, what,
                sl_prog_how(&r.prog, how, sizeof how));
    } else if (strstr(r.prog.err.data, "usage") == NULL && strstr(r.prog.err.data, "Usage") == NULL)
        SL_FAIL("%s (%s) printed %s on stderr: expected the usage (\"usage: lookup ...\")",
                words, what, pu_show(r.prog.err.data, r.prog.err.len));
    if (r.prog.out.len != 0)
        SL_FAIL("%s (%s) printed %s on stdout: bad usage goes to stderr alone", words, what,
                pu_show(r.prog.out.data, r.prog.out.len));
    sl_run_free(&r);
}

#endif
