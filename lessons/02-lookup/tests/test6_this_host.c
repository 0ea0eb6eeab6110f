/* Task 6: this host's names (lk_hostname, lk_fqdn). The expected names
 * come from gethostname() and uname() here, and from getaddrinfo() with
 * AI_CANONNAME, as `hostname -f` asks it. */
#include "testutil.h"

#include <sys/utsname.h>

SL_TASK(6, "This host's names");

/* ---- helpers ------------------------------------------------------------- */

/* This host's name, as uname() has it (the kernel's nodename). */
static const char *nodename(void)
{
    static struct utsname u;

    if (uname(&u) < 0)
        SL_FAIL_FATAL("test setup: uname: %s", strerror(errno));
    return u.nodename;
}

/* What lk_fqdn(name) should give: the canonical name getaddrinfo() gives
 * name, or name itself when it does not resolve. */
static void fqdn_ref(const char *name, char *buf, size_t size)
{
    struct addrinfo hints, *res;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(name, NULL, &hints, &res) != 0) {
        snprintf(buf, size, "%s", name);
        return;
    }
    snprintf(buf, size, "%s", res->ai_canonname ? res->ai_canonname : name);
    freeaddrinfo(res);
}

/* One case of lk_fqdn(): the test's answer and the student's. */
typedef struct fqdn_case {
    const char *name;
    char want[LK_NAMELEN], got[LK_NAMELEN];
    int rc, err;
} fqdn_case_t;

static void fqdn_both(fqdn_case_t *c)
{
    const char *name = c->name && c->name[0] ? c->name : nodename();

    fqdn_ref(name, c->want, sizeof c->want);
    memset(c->got, '#', sizeof c->got - 1);
    c->got[sizeof c->got - 1] = '\0';
    errno = 0;
    c->rc = lk_fqdn(c->name, c->got, sizeof c->got);
    c->err = errno;
}

static void fqdn_check(const char *file, int line, const fqdn_case_t *c)
{
    char what[128];

    snprintf(what, sizeof what, "lk_fqdn(%s)", cu_str(c->name));
    if (c->rc != 0)
        sl_fail_at(file, line, 0, "%s returned %d with errno %s: expected 0 and \"%s\"%s", what,
                   c->rc, cu_errno_words(c->err), c->want,
                   strcmp(c->want, c->name ? c->name : "") == 0
                       ? " (a name that does not resolve is its own answer)" : "");
    else
        sl_check_str(file, line, 0, what, c->got, c->want);
}

#define FQDN_AS_GAI(n_)                                                        \
    do {                                                                       \
        fqdn_case_t *c_ = calloc(1, sizeof *c_);                               \
        if (c_ == NULL)                                                        \
            SL_FAIL_FATAL("test: out of memory");                              \
        c_->name = (n_);                                                       \
        fqdn_both(c_);                                                         \
        fqdn_check(__FILE__, __LINE__, c_);                                    \
        free(c_);                                                              \
    } while (0)

typedef struct lab_fqdn {
    fqdn_case_t c[4];
} lab_fqdn_t;

static void fqdn_in_lab(void *data)
{
    lab_fqdn_t *l = data;

    for (int i = 0; i < 4; i++)
        fqdn_both(&l->c[i]);
}

/* ---- lk_hostname ------------------------------------------------------------ */

SL_TEST(hostname_is_this_host, 2,
        "gethostname() into a buffer of your own of 256 bytes (any name fits: HOST_NAME_MAX is "
        "64 on Linux, POSIX allows 255), end it with a NUL (a name cut short may lack one), "
        "then copy it into buf if it fits.")
{
    const char *want = nodename();
    size_t n = strlen(want);
    char *buf = tu_exact(n + 1), what[160];

    snprintf(what, sizeof what, "lk_hostname(buf, %zu) (this host is \"%.64s\")", n + 1, want);
    errno = 0;
    if (lk_hostname(buf, n + 1) < 0)
        SL_FAIL("%s returned -1 with errno %s: expected 0", what, cu_errno_words(errno));
    else
        SL_CHECK_STR(what, buf, want);
    buf = tu_exact(LK_NAMELEN);
    errno = 0;
    if (lk_hostname(buf, LK_NAMELEN) < 0)
        SL_FAIL("lk_hostname(buf, LK_NAMELEN) returned -1 with errno %s: expected 0",
                cu_errno_words(errno));
    else
        SL_CHECK_STR("lk_hostname(buf, LK_NAMELEN)", buf, want);
}

SL_TEST(hostname_exact_size, 1,
        "A name of n characters needs n + 1 bytes: with fewer, fail with ENOSPC and leave \"\" "
        "(glibc's gethostname() copies the first size bytes, with no NUL, and says "
        "ENAMETOOLONG; POSIX allows a silent truncation: do not hand buf to gethostname() "
        "itself). A NULL buf is EINVAL.")
{
    const char *want = nodename();
    size_t n = strlen(want);
    char *buf = tu_exact(n + 1), what[160];
    int rc;

    SL_REQUIRE_OK(lk_hostname(buf, n + 1));
    buf = tu_exact(n);
    snprintf(what, sizeof what, "lk_hostname(buf, %zu) (\"%.64s\" needs %zu)", n, want, n + 1);
    errno = 0;
    rc = lk_hostname(buf, n);
    if (SL_CHECK_FAILS(what, rc, errno, ENOSPC))
        SL_CHECK_STR(what, buf, "");
    SL_HINT("With size 0 there is no room even for the NUL: ENOSPC, nothing written.")
    {
        buf = tu_exact(1);
        SL_ASSERT_FAILS_WITH(lk_hostname(buf, 0), ENOSPC);
        if (buf[0] != '#')
            SL_FAIL("lk_hostname(buf, 0) wrote into buf: it has no room");
    }
    SL_ASSERT_FAILS_WITH(lk_hostname(NULL, 64), EINVAL);
}

/* ---- lk_fqdn ------------------------------------------------------------------- */

SL_TEST(fqdn_of_names, 2,
        "getaddrinfo(name, NULL, hints with AI_CANONNAME): the canonical name is "
        "res->ai_canonname. A name that does not resolve is its own answer, as Python's "
        "getfqdn() says: lk_fqdn() never fails for that.")
{
    lab_fqdn_t *l;

    cu_answers_quickly("localhost");
    FQDN_AS_GAI("localhost");
    FQDN_AS_GAI("127.0.0.1");
    SL_HINT("no.such.invalid does not resolve (RFC 6761): getaddrinfo() fails, and the "
            "answer is the name itself, \"no.such.invalid\", with 0 returned.")
    {
        cu_answers_quickly("no.such.invalid");
        FQDN_AS_GAI("no.such.invalid");
    }
    l = cu_shared(sizeof *l);
    l->c[0].name = "web";
    l->c[1].name = "mail";
    l->c[2].name = "www.lab.example";
    l->c[3].name = "nowhere";
    if (!cu_in_lab(fqdn_in_lab, l, "lk_fqdn() of the lab's names", 2000))
        return;
    SL_HINT("In the lab's /etc/hosts web is an alias of www.lab.example: its canonical "
            "name, what AI_CANONNAME gives.")
    {
        for (int i = 0; i < 4; i++)
            fqdn_check(__FILE__, __LINE__, &l->c[i]);
    }
}

SL_TEST(fqdn_of_this_host, 2,
        "NULL or \"\" is this host: its name from lk_hostname(), then as any name: the "
        "canonical name getaddrinfo() gives it, or the name itself if it does not resolve. "
        "A NULL buf is EINVAL, a name that does not fit ENOSPC.")
{
    fqdn_case_t *c = calloc(1, sizeof *c);
    lab_fqdn_t *l;
    char *small;
    size_t n;
    int rc;

    if (c == NULL)
        SL_FAIL_FATAL("test: out of memory");
    cu_answers_quickly(nodename());
    FQDN_AS_GAI(NULL);
    FQDN_AS_GAI("");
    c->name = "localhost";
    fqdn_both(c);
    n = strlen(c->want);
    SL_HINT("A name of n characters needs n + 1 bytes: with fewer, -1 with errno ENOSPC and "
            "\"\" in buf.")
    {
        small = tu_exact(n);
        errno = 0;
        rc = lk_fqdn("localhost", small, n);
        if (SL_CHECK_FAILS("lk_fqdn(\"localhost\") into a buffer one byte too small", rc,
                           errno, ENOSPC))
            SL_CHECK_STR("what lk_fqdn(\"localhost\") left in a buffer too small", small, "");
    }
    SL_ASSERT_FAILS_WITH(lk_fqdn("localhost", NULL, 64), EINVAL);
    free(c);
    SL_HINT("In the lab, this host's name is in no /etc/hosts line and no name server is "
            "asked: getaddrinfo() fails, and the answer is the host's name itself.")
    {
        l = cu_shared(sizeof *l);
        for (int i = 0; i < 4; i++)
            l->c[i].name = i % 2 ? "" : NULL;
        if (cu_in_lab(fqdn_in_lab, l, "lk_fqdn(NULL) in the lab", 2000))
            for (int i = 0; i < 2; i++)
                fqdn_check(__FILE__, __LINE__, &l->c[i]);
    }
}
