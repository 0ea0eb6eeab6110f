/* Task 3: from an address back to text (lk_addr_text) and to a name
 * (lk_reverse). Each answer is compared with what getnameinfo() itself
 * answers here; names come from /etc/hosts (127.0.0.1 is localhost) or
 * the lab's. */
#include "testutil.h"

#include <net/if.h>

SL_TASK(3, "From an address back to text and to a name");

/* ---- helpers ------------------------------------------------------------- */

/* Fills ss with the numeric address text (a scope allowed) and port:
 * its length. */
static socklen_t make_addr(struct sockaddr_storage *ss, const char *text, int port)
{
    struct addrinfo hints, *res;
    char serv[8];
    socklen_t len;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(serv, sizeof serv, "%d", port);
    if (getaddrinfo(text, serv, &hints, &res) != 0)
        SL_FAIL_FATAL("test data: \"%s\" is not an address", text);
    memset(ss, 0, sizeof *ss);
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    len = res->ai_addrlen;
    freeaddrinfo(res);
    return len;
}

/* What getnameinfo() itself writes for ss with flags: its code, and the
 * host part in host. */
static int gni(const struct sockaddr_storage *ss, socklen_t len, int flags, char *host,
               size_t size, int *err)
{
    int code;

    errno = 0;
    code = getnameinfo((const struct sockaddr *)ss, len, host, (socklen_t)size, NULL, 0, flags);
    *err = errno;
    return code;
}

/* lk_addr_text() of text (port port) must write what getnameinfo() with
 * NI_NUMERICHOST writes, into a buffer of exactly LK_ADDRSTRLEN bytes. */
static void text_of(const char *file, int line, const char *text, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(&ss, text, port);
    char want[NI_MAXHOST], what[160], *buf = tu_exact(LK_ADDRSTRLEN);
    int err, code;

    if (gni(&ss, len, NI_NUMERICHOST, want, sizeof want, &err) != 0)
        SL_FAIL_FATAL("test setup: getnameinfo(%s, NI_NUMERICHOST) fails", text);
    snprintf(what, sizeof what, "lk_addr_text(%s port %d, %u bytes)", text, port, (unsigned)len);
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, len, buf, LK_ADDRSTRLEN);
    if (tu_check_code_at(file, line, what, code, errno, 0, 0))
        sl_check_str(file, line, 0, what, buf, want);
}

#define TEXT_OF(text, port) text_of(__FILE__, __LINE__, (text), (port))

/* What lk_reverse(addr) returned, and what getnameinfo(NI_NAMEREQD)
 * itself answers for it. */
typedef struct reverse {
    const char *addr;
    int want, want_err, got, got_err;
    char want_name[LK_NAMELEN], got_name[LK_NAMELEN];
} reverse_t;

static void reverse_both(reverse_t *r)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(&ss, r->addr, 0);

    r->want = gni(&ss, len, NI_NAMEREQD, r->want_name, sizeof r->want_name, &r->want_err);
    errno = 0;
    r->got = lk_reverse(r->addr, r->got_name, sizeof r->got_name);
    r->got_err = errno;
}

/* Checks r: the same code as getnameinfo(), and on success its name. */
static void reverse_check(const char *file, int line, const reverse_t *r)
{
    char what[128];

    snprintf(what, sizeof what, "lk_reverse(\"%s\")", r->addr);
    if (r->want != 0 && r->got == 0)
        sl_fail_at(file, line, 0, "%s gave \"%s\": expected %s, what getnameinfo() with "
                   "NI_NAMEREQD says here (an address with no name is an error, never its "
                   "own number)", what, r->got_name, cu_code_words(r->want));
    else if (tu_check_code_at(file, line, what, r->got, r->got_err, r->want, r->want_err) &&
             r->want == 0)
        sl_check_str(file, line, 0, what, r->got_name, r->want_name);
}

#define REVERSE_AS_GNI(a_)                                                     \
    do {                                                                       \
        reverse_t r_ = {.addr = (a_)};                                         \
        reverse_both(&r_);                                                     \
        reverse_check(__FILE__, __LINE__, &r_);                                \
    } while (0)

/* lk_reverse("127.0.0.1") must give "localhost" (/etc/hosts), or the
 * test ends: the success a rejection test starts with. */
static void reverse_works(const char *file, int line)
{
    reverse_t r = {.addr = "127.0.0.1"};

    reverse_both(&r);
    if (r.want != 0)
        SL_FAIL_FATAL("test setup: 127.0.0.1 has no name here (getnameinfo() says %s)",
                      cu_code_words(r.want));
    reverse_check(file, line, &r);
    if (r.got != 0 || strcmp(r.got_name, r.want_name) != 0)
        sl_fail_at(file, line, 1, "the rest of this test checks refusals: it needs the answer "
                   "above right first");
}

#define REVERSE_WORKS() reverse_works(__FILE__, __LINE__)

/* ---- lk_addr_text ------------------------------------------------------------ */

SL_TEST(addr_text_numeric, 2,
        "getnameinfo(sa, len, buf, size, NULL, 0, NI_NUMERICHOST): the address as numbers, "
        "IPv4 or IPv6, scope included, no port. Without NI_NUMERICHOST getnameinfo() looks "
        "the name up (127.0.0.1 becomes \"localhost\", and ::1 fails where no name server "
        "answers).")
{
    TEXT_OF("127.0.0.1", 80);
    TEXT_OF("192.0.2.1", 0);
    TEXT_OF("0.0.0.0", 8080);
    SL_HINT("An IPv6 address is an AF_INET6 sockaddr of 28 bytes: pass sa and len to "
            "getnameinfo() as they are, whatever the family.")
    {
        TEXT_OF("::1", 80);
        TEXT_OF("::", 0);
        TEXT_OF("2001:db8::1", 443);
        TEXT_OF("::ffff:192.0.2.1", 53);
    }
    SL_HINT("A link-local address has a scope: getnameinfo() writes it after a '%', as "
            "\"fe80::1%lo\". Use a buffer large enough (LK_ADDRSTRLEN), not INET6_ADDRSTRLEN.")
    {
        TEXT_OF("fe80::1%lo", 80);
    }
}

SL_TEST(addr_text_exact_size, 2,
        "A text of n characters fits in n + 1 bytes. getnameinfo() fails with EAI_OVERFLOW "
        "for a buffer too small: write into a buffer of your own, then copy if it fits, else "
        "return EAI_SYSTEM with errno ENOSPC and leave \"\".")
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(&ss, "127.0.0.1", 80);
    char *buf;
    int code;

    buf = tu_exact(10);
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, len, buf, 10);
    if (TU_CHECK_CODE("lk_addr_text(127.0.0.1, buffer of 10 bytes)", code, errno, 0, 0))
        SL_CHECK_STR("lk_addr_text(127.0.0.1, buffer of 10 bytes)", buf, "127.0.0.1");
    buf = tu_exact(9);
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, len, buf, 9);
    if (TU_CHECK_CODE("lk_addr_text(127.0.0.1, buffer of 9 bytes)", code, errno, EAI_SYSTEM,
                      ENOSPC))
        SL_CHECK_STR("what lk_addr_text(127.0.0.1) left in a buffer of 9 bytes", buf, "");
    len = make_addr(&ss, "2001:db8::1", 80);
    buf = tu_exact(12);
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, len, buf, 12);
    if (TU_CHECK_CODE("lk_addr_text(2001:db8::1, buffer of 12 bytes)", code, errno, 0, 0))
        SL_CHECK_STR("lk_addr_text(2001:db8::1, buffer of 12 bytes)", buf, "2001:db8::1");
    SL_HINT("With size 0 there is no room even for the NUL: EAI_SYSTEM with errno ENOSPC, "
            "and nothing written.")
    {
        buf = tu_exact(1);
        errno = 0;
        code = lk_addr_text((const struct sockaddr *)&ss, len, buf, 0);
        TU_CHECK_CODE("lk_addr_text(2001:db8::1, size 0)", code, errno, EAI_SYSTEM, ENOSPC);
        if (buf[0] != '#')
            SL_FAIL("lk_addr_text(2001:db8::1, size 0) wrote into the buffer: it has no room");
    }
}

SL_TEST(addr_text_bad_address, 1,
        "Only AF_INET and AF_INET6 are IP addresses: check the family first (glibc's "
        "getnameinfo() would take AF_UNIX too), EAI_FAMILY otherwise; a NULL pointer is "
        "EAI_SYSTEM with errno EINVAL.")
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(&ss, "127.0.0.1", 80);
    char buf[LK_ADDRSTRLEN];
    int code;

    TEXT_OF("127.0.0.1", 80);
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNIX;
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, sizeof ss, buf, sizeof buf);
    TU_CHECK_CODE("lk_addr_text(an AF_UNIX address)", code, errno, EAI_FAMILY, 0);
    ss.ss_family = AF_UNSPEC;
    errno = 0;
    code = lk_addr_text((const struct sockaddr *)&ss, sizeof ss, buf, sizeof buf);
    TU_CHECK_CODE("lk_addr_text(an AF_UNSPEC address)", code, errno, EAI_FAMILY, 0);
    SL_HINT("A length too short for the family is EAI_FAMILY too: getnameinfo() says so; "
            "pass its code on.")
    {
        len = make_addr(&ss, "::1", 80);
        errno = 0;
        code = lk_addr_text((const struct sockaddr *)&ss, len - 1, buf, sizeof buf);
        TU_CHECK_CODE("lk_addr_text(::1, 27 bytes of its 28)", code, errno, EAI_FAMILY, 0);
    }
    TU_CHECK_EINVAL("lk_addr_text(NULL address)", lk_addr_text(NULL, len, buf, sizeof buf));
    TU_CHECK_EINVAL("lk_addr_text(::1, NULL buffer)",
                    lk_addr_text((const struct sockaddr *)&ss, len, NULL, sizeof buf));
}

/* ---- lk_reverse ------------------------------------------------------------------- */

/* In the lab: lk_reverse() of the lab's addresses. */
typedef struct lab_reverse {
    reverse_t r[4];
} lab_reverse_t;

static void reverse_in_lab(void *data)
{
    lab_reverse_t *l = data;

    for (int i = 0; i < 4; i++)
        reverse_both(&l->r[i]);
}

SL_TEST(reverse_names, 2,
        "Read addr with getaddrinfo(addr, NULL, hints with AI_NUMERICHOST), then "
        "getnameinfo(res->ai_addr, res->ai_addrlen, name, ..., NI_NAMEREQD): the name of an "
        "IPv4 or IPv6 address, whichever the text is.")
{
    static const char *const addrs[4] = {"192.0.2.11", "2001:db8::25", "2001:db8::10",
                                         "198.51.100.7"};
    lab_reverse_t *l;

    REVERSE_AS_GNI("127.0.0.1");
    l = cu_shared(sizeof *l);
    for (int i = 0; i < 4; i++)
        l->r[i].addr = addrs[i];
    if (!cu_in_lab(reverse_in_lab, l, "lk_reverse() of the lab's addresses", 2000))
        return;
    SL_HINT("The lab's /etc/hosts names 192.0.2.11 and 2001:db8::25: never hard-code "
            "AF_INET, take the address getaddrinfo() read, of either family, with its "
            "length ai_addrlen.")
    {
        for (int i = 0; i < 4; i++)
            reverse_check(__FILE__, __LINE__, &l->r[i]);
    }
}

/* In the lab: addresses with no name (hosts are looked up in files alone). */
static void no_name_in_lab(void *data)
{
    lab_reverse_t *l = data;

    for (int i = 0; i < 2; i++)
        reverse_both(&l->r[i]);
}

SL_TEST(reverse_no_name, 2,
        "NI_NAMEREQD makes getnameinfo() fail for an address that has no name, rather than "
        "write its number: pass its code on (EAI_NONAME, or EAI_AGAIN where no name server "
        "can be asked).")
{
    lab_reverse_t *l;

    REVERSE_WORKS();
    cu_answers_quickly("localhost");
    REVERSE_AS_GNI("::1");
    REVERSE_AS_GNI("192.0.2.1");
    REVERSE_AS_GNI("127.0.0.2");
    l = cu_shared(sizeof *l);
    l->r[0].addr = "192.0.2.99";
    l->r[1].addr = "2001:db8::99";
    if (!cu_in_lab(no_name_in_lab, l, "lk_reverse() of addresses with no name", 2000))
        return;
    SL_HINT("In the lab no name server is asked: 192.0.2.99 has no name, getnameinfo() "
            "with NI_NAMEREQD says EAI_NONAME, and without it would write \"192.0.2.99\". "
            "lk_reverse() must fail.")
    {
        for (int i = 0; i < 2; i++)
            reverse_check(__FILE__, __LINE__, &l->r[i]);
    }
}

SL_TEST(reverse_bad_input, 1,
        "lk_reverse() takes a numeric address only: a name or \"\" is what getaddrinfo() "
        "with AI_NUMERICHOST says (EAI_NONAME); a NULL pointer is EAI_SYSTEM with errno "
        "EINVAL; a name that does not fit is EAI_SYSTEM with errno ENOSPC, leaving \"\".")
{
    char name[LK_NAMELEN], *small;
    int code;

    REVERSE_WORKS();
    SL_HINT("AI_NUMERICHOST: \"localhost\" is no address, and must not be looked up: "
            "EAI_NONAME.")
    {
        errno = 0;
        code = lk_reverse("localhost", name, sizeof name);
        TU_CHECK_CODE("lk_reverse(\"localhost\")", code, errno, EAI_NONAME, 0);
        errno = 0;
        code = lk_reverse("", name, sizeof name);
        TU_CHECK_CODE("lk_reverse(\"\")", code, errno, EAI_NONAME, 0);
        errno = 0;
        code = lk_reverse("127.0.0.1:80", name, sizeof name);
        TU_CHECK_CODE("lk_reverse(\"127.0.0.1:80\")", code, errno, EAI_NONAME, 0);
    }
    TU_CHECK_EINVAL("lk_reverse(NULL, name, ...)", lk_reverse(NULL, name, sizeof name));
    TU_CHECK_EINVAL("lk_reverse(\"127.0.0.1\", NULL, ...)", lk_reverse("127.0.0.1", NULL, 64));
    SL_HINT("A name of n characters takes n + 1 bytes with its NUL: one byte less is "
            "EAI_SYSTEM with errno ENOSPC and \"\" in the buffer. getnameinfo() says "
            "EAI_OVERFLOW then: ask it into a buffer of LK_NAMELEN bytes of your own, and copy "
            "only a name that fits.")
    {
        reverse_t r = {.addr = "127.0.0.1"};
        size_t n;
        char what[160];

        reverse_both(&r);
        n = strlen(r.want_name);
        small = tu_exact(n + 1);
        errno = 0;
        code = lk_reverse("127.0.0.1", small, n + 1);
        snprintf(what, sizeof what, "lk_reverse(\"127.0.0.1\") into %zu bytes", n + 1);
        if (TU_CHECK_CODE(what, code, errno, 0, 0))
            SL_CHECK_STR(what, small, r.want_name);
        small = tu_exact(n);
        errno = 0;
        code = lk_reverse("127.0.0.1", small, n);
        snprintf(what, sizeof what, "lk_reverse(\"127.0.0.1\") into %zu bytes (\"%.60s\" needs "
                 "%zu)", n, r.want_name, n + 1);
        if (TU_CHECK_CODE(what, code, errno, EAI_SYSTEM, ENOSPC))
            SL_CHECK_STR(what, small, "");
    }
}
