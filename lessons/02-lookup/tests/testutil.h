/* testutil.h - helpers shared by the library tests of lesson 02: the
 * test's own answers, from getaddrinfo() and getnameinfo() called
 * directly, compared field by field with what the student's functions
 * give; heap use counted around many calls (a list never freed shows);
 * every descriptor in use, for a real EAI_SYSTEM. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include "common.h"

#include <malloc.h>
#include <fcntl.h>
#include <sys/resource.h>

#include "lookup.h"

/* ---- the test's own answers ------------------------------------------------------ */

#define TU_MAX 16   /* results any test asks for, at most */

/* What getaddrinfo() itself answers, copied as lk_resolve() copies it. */
typedef struct tu_list {
    int code;            /* what it returned */
    int err;             /* errno after it, for EAI_SYSTEM */
    size_t n;            /* results */
    lk_addr_t a[TU_MAX]; /* the first TU_MAX of them */
} tu_list_t;

static inline void tu_gai(const char *host, const char *service, int family, int socktype,
                          int flags, tu_list_t *l)
{
    struct addrinfo hints, *res, *ai;

    memset(l, 0, sizeof *l);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    errno = 0;
    l->code = getaddrinfo(host, service, &hints, &res);
    l->err = errno;
    if (l->code != 0)
        return;
    for (ai = res; ai != NULL; ai = ai->ai_next, l->n++)
        if (l->n < TU_MAX) {
            lk_addr_t *a = &l->a[l->n];

            a->family = ai->ai_family;
            a->socktype = ai->ai_socktype;
            a->protocol = ai->ai_protocol;
            a->len = ai->ai_addrlen;
            memcpy(&a->addr, ai->ai_addr, ai->ai_addrlen);
        }
    freeaddrinfo(res);
}

/* The call lk_resolve(...) in words, into a static buffer. */
static inline const char *tu_resolve_words(const char *host, const char *service, int family,
                                           int socktype, int flags)
{
    char words[512], *b;

    snprintf(words, sizeof words, "lk_resolve(%s, %s, %s, %s, %s)", cu_str(host),
             cu_str(service), cu_family_name(family), cu_socktype_name(socktype),
             cu_flags_words(flags));
    b = cu_buf();
    memcpy(b, words, sizeof words);
    return b;
}

/* One result in words: "127.0.0.1 port 80, AF_INET, SOCK_STREAM, IPPROTO_TCP". */
static inline const char *tu_addr_words(const lk_addr_t *a)
{
    char words[512], *b;

    snprintf(words, sizeof words, "%s, %s, %s, %s",
             cu_sa_words((const struct sockaddr *)&a->addr, a->len), cu_family_name(a->family),
             cu_socktype_name(a->socktype), cu_protocol_name(a->protocol));
    b = cu_buf();
    memcpy(b, words, sizeof words);
    return b;
}

/* The results of a list in words, "; " between them (at most 6). */
static inline const char *tu_list_words(const lk_addr_t *a, size_t n)
{
    char words[512], *b;
    size_t len = 0;

    words[0] = '\0';
    for (size_t i = 0; i < n && i < 6 && len < 400; i++)
        len += (size_t)snprintf(words + len, sizeof words - len, "%s%s %s", i ? "; " : "",
                                cu_sa_words((const struct sockaddr *)&a[i].addr, a[i].len),
                                cu_socktype_name(a[i].socktype));
    if (n > 6 && len < 500)
        snprintf(words + len, sizeof words - len, "; ...");
    if (n == 0)
        snprintf(words, sizeof words, "none");
    b = cu_buf();
    memcpy(b, words, sizeof words);
    return b;
}

/* Does result a equal the test's result b, field by field (the whole
 * address, the zeros after it included)? */
static inline int tu_same_result(const lk_addr_t *a, const lk_addr_t *b)
{
    return a->family == b->family && a->socktype == b->socktype &&
           a->protocol == b->protocol && a->len == b->len &&
           memcmp(&a->addr, &b->addr, sizeof a->addr) == 0;
}

/* Checks a student's answer (code, errno err, n results in got) against
 * what getaddrinfo() itself answered (ref): the same code, and on success
 * the same results in the same order. `what` names the call. 1 if so. */
static inline int tu_check_list_at(const char *file, int line, const char *what, int code,
                                   int err, const lk_addr_t *got, size_t n, const tu_list_t *ref)
{
    if (ref->code != 0) {
        if (code != ref->code) {
            sl_fail_at(file, line, 0, "%s returned %s: expected %s, what getaddrinfo() itself "
                       "returns here; pass its code on unchanged", what, cu_code_words(code),
                       cu_code_words(ref->code));
            return 0;
        }
        return 1;
    }
    if (code != 0) {
        sl_fail_at(file, line, 0, "%s returned %s%s%s: expected 0 and %zu result%s (%s)", what,
                   cu_code_words(code), code == EAI_SYSTEM ? " with errno " : "",
                   code == EAI_SYSTEM ? cu_errno_words(err) : "", ref->n, ref->n == 1 ? "" : "s",
                   tu_list_words(ref->a, ref->n));
        return 0;
    }
    if (n != ref->n) {
        sl_fail_at(file, line, 0, "%s gave %zu result%s (%s): getaddrinfo() gives %zu (%s); "
                   "copy every one, following ai_next to the end of the list", what, n,
                   n == 1 ? "" : "s", tu_list_words(got, n), ref->n,
                   tu_list_words(ref->a, ref->n));
        return 0;
    }
    for (size_t i = 0; i < n && i < TU_MAX; i++)
        if (!tu_same_result(&got[i], &ref->a[i])) {
            sl_fail_at(file, line, 0, "%s, result %zu of %zu: expected %s (%u bytes), got %s "
                       "(%u bytes); copy ai_family, ai_socktype, ai_protocol, ai_addrlen and "
                       "the ai_addrlen bytes of ai_addr, the rest of addr zero", what, i + 1, n,
                       tu_addr_words(&ref->a[i]), (unsigned)ref->a[i].len,
                       tu_addr_words(&got[i]), (unsigned)got[i].len);
            return 0;
        }
    return 1;
}

/* lk_resolve(host, service, family, socktype, flags) must answer what
 * getaddrinfo() itself answers here. 1 if it does. */
#define TU_RESOLVE_AS_GAI(host, service, family, socktype, flags)                  \
    tu_resolve_as_gai(__FILE__, __LINE__, (host), (service), (family), (socktype), (flags))

static inline int tu_resolve_as_gai(const char *file, int line, const char *host,
                                    const char *service, int family, int socktype, int flags)
{
    lk_addr_t *out = calloc(TU_MAX, sizeof *out);
    tu_list_t ref;
    size_t n = 12345;
    int code, err, ok;

    if (out == NULL)
        SL_FAIL_FATAL("test: out of memory");
    tu_gai(host, service, family, socktype, flags, &ref);
    errno = 0;
    code = lk_resolve(host, service, family, socktype, flags, out, TU_MAX, &n);
    err = errno;
    ok = tu_check_list_at(file, line, tu_resolve_words(host, service, family, socktype, flags),
                          code, err, out, n, &ref);
    if (ok && ref.code != 0 && n != 0) {
        sl_fail_at(file, line, 0, "%s failed with %s but set *count to %zu: set it to 0 when "
                   "getaddrinfo() fails", tu_resolve_words(host, service, family, socktype,
                   flags), cu_code_words(code), n);
        ok = 0;
    }
    free(out);
    return ok;
}

/* lk_resolve(...) on valid input must succeed, or the test ends: a
 * rejection test starts with one, so that a function that always fails
 * gets no points. */
#define TU_RESOLVE_WORKS(host, service, family, socktype, flags)                   \
    do {                                                                           \
        if (!TU_RESOLVE_AS_GAI((host), (service), (family), (socktype), (flags)))  \
            SL_FAIL_FATAL("the rest of this test checks refusals: it needs the "   \
                          "answer above right first");                             \
    } while (0)

/* ---- checks of codes and texts ------------------------------------------------- */

/* A call that returned code (errno err) should have returned want, and
 * for EAI_SYSTEM left want_err. `what` names the call. */
#define TU_CHECK_CODE(what, code, err, want, want_err)                            \
    tu_check_code_at(__FILE__, __LINE__, (what), (code), (err), (want), (want_err))

static inline int tu_check_code_at(const char *file, int line, const char *what, int code,
                                   int err, int want, int want_err)
{
    if (code != want) {
        sl_fail_at(file, line, 0, "%s returned %s%s%s: expected %s%s%s", what,
                   cu_code_words(code), code == EAI_SYSTEM ? " with errno " : "",
                   code == EAI_SYSTEM ? cu_errno_words(err) : "", cu_code_words(want),
                   want == EAI_SYSTEM ? " with errno " : "",
                   want == EAI_SYSTEM ? cu_errno_words(want_err) : "");
        return 0;
    }
    if (want == EAI_SYSTEM && err != want_err) {
        sl_fail_at(file, line, 0, "%s returned EAI_SYSTEM with errno %s: expected errno %s "
                   "(EAI_SYSTEM says that errno holds the reason)", what, cu_errno_words(err),
                   cu_errno_words(want_err));
        return 0;
    }
    return 1;
}

/* The call must fail with EAI_SYSTEM and errno EINVAL (a NULL argument). */
#define TU_CHECK_EINVAL(what, call)                                                \
    do {                                                                           \
        int tu_code_;                                                              \
        errno = 0;                                                                 \
        tu_code_ = (call);                                                         \
        TU_CHECK_CODE((what), tu_code_, errno, EAI_SYSTEM, EINVAL);                \
    } while (0)

/* A text a function wrote must be want; `what` names the call. */
#define TU_CHECK_TEXT(what, got, want) SL_CHECK_STR((what), (got), (want))

/* ---- heap in use, for lists never freed -------------------------------------------- */

/* Bytes of heap in use (glibc's malloc), or 0 when AddressSanitizer's
 * allocator serves malloc() instead: LeakSanitizer then reports any
 * block never freed at the end of the test, with the line that took it. */
static inline size_t tu_heap_in_use(void)
{
    return mallinfo2().uordblks;
}

/* Most bytes a test lets many calls leave in use: the C library keeps a
 * little state of its own after its first lookups (those come first). */
#define TU_HEAP_SLACK 4096

/* Fails unless the heap in use grew by TU_HEAP_SLACK bytes at most since
 * before, over `calls` calls of `what`. */
#define TU_CHECK_HEAP(before, calls, what)                                        \
    tu_check_heap_at(__FILE__, __LINE__, (before), (calls), (what))

static inline void tu_check_heap_at(const char *file, int line, size_t before, int calls,
                                    const char *what)
{
    size_t after = tu_heap_in_use();

    if (after > before + TU_HEAP_SLACK)
        sl_fail_at(file, line, 0, "after %d calls of %s, %zu more bytes of heap are in use "
                   "(about %zu a call): a list of getaddrinfo() is never freed; call "
                   "freeaddrinfo(res) on every path once the results are copied", calls, what,
                   after - before, (after - before) / (size_t)calls);
}

/* ---- every descriptor in use --------------------------------------------------------- */

/* What tu_no_fds_begin() changed, for tu_no_fds_end(). */
typedef struct tu_no_fds {
    struct rlimit saved;
    int fds[64];
    int n;
} tu_no_fds_t;

/* Leaves this process no free descriptor: the limit lowered to 64 and
 * every number below it taken (by /dev/null). Undo with tu_no_fds_end(). */
static inline void tu_no_fds_begin(tu_no_fds_t *s)
{
    struct rlimit low;
    int fd;

    s->n = 0;
    if (getrlimit(RLIMIT_NOFILE, &s->saved) < 0)
        SL_FAIL_FATAL("test setup: getrlimit: %s", strerror(errno));
    low = s->saved;
    if (low.rlim_cur == RLIM_INFINITY || low.rlim_cur > 64)
        low.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &low) < 0)
        SL_FAIL_FATAL("test setup: setrlimit: %s", strerror(errno));
    while (s->n < 64 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
        s->fds[s->n++] = fd;
}

static inline void tu_no_fds_end(tu_no_fds_t *s)
{
    while (s->n > 0)
        close(s->fds[--s->n]);
    setrlimit(RLIMIT_NOFILE, &s->saved);
}

/* ---- buffers of an exact size ---------------------------------------------------------- */

/* A heap block of exactly len bytes (AddressSanitizer, on when grading,
 * stops at the first byte written past it), filled with '#': a block that
 * stays reachable from here, so that a test ended by a fatal check does
 * not make LeakSanitizer blame the student's code. */
static inline char *tu_exact(size_t len)
{
    static char *blocks[8];
    static unsigned next;
    char *p = malloc(len ? len : 1);

    if (p == NULL)
        SL_FAIL_FATAL("test: out of memory");
    memset(p, '#', len ? len : 1);
    free(blocks[next % 8]);
    blocks[next++ % 8] = p;
    return p;
}

#endif
