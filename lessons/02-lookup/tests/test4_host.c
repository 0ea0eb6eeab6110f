/* Task 4: a host's names and addresses (lk_host_info). The expected
 * answer is built by the test from getaddrinfo() with AI_CANONNAME and
 * SOCK_STREAM, each address once; names come from /etc/hosts (localhost),
 * numbers, or the lab's /etc/hosts (aliases, several addresses of both
 * families, a repeated line). */
#include "testutil.h"

SL_TASK(4, "A host's names and addresses");

/* ---- the test's own answer --------------------------------------------------- */

typedef struct host_ref {
    int code;                 /* what getaddrinfo() returned */
    char canonical[LK_NAMELEN];
    char alias[LK_NAMELEN];
    size_t count;             /* distinct addresses */
    lk_addr_t addrs[LK_HOST_ADDRS];
    size_t results;           /* results of getaddrinfo(), repeats included */
} host_ref_t;

static int same_addr(const lk_addr_t *a, const lk_addr_t *b)
{
    const struct sockaddr_in6 *x6 = (const struct sockaddr_in6 *)&a->addr;
    const struct sockaddr_in6 *y6 = (const struct sockaddr_in6 *)&b->addr;
    const struct sockaddr_in *x4 = (const struct sockaddr_in *)&a->addr;
    const struct sockaddr_in *y4 = (const struct sockaddr_in *)&b->addr;

    if (a->family != b->family)
        return 0;
    if (a->family == AF_INET6)
        return memcmp(&x6->sin6_addr, &y6->sin6_addr, 16) == 0 &&
               x6->sin6_scope_id == y6->sin6_scope_id;
    return x4->sin_addr.s_addr == y4->sin_addr.s_addr;
}

static void host_ref(const char *name, int family, host_ref_t *r)
{
    struct addrinfo hints, *res, *ai;

    memset(r, 0, sizeof *r);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    r->code = getaddrinfo(name, NULL, &hints, &res);
    if (r->code != 0)
        return;
    snprintf(r->canonical, sizeof r->canonical, "%s", res->ai_canonname ? res->ai_canonname
                                                                        : name);
    if (strcasecmp(name, r->canonical) != 0)
        snprintf(r->alias, sizeof r->alias, "%s", name);
    for (ai = res; ai != NULL; ai = ai->ai_next, r->results++) {
        lk_addr_t a;
        size_t i;

        memset(&a, 0, sizeof a);
        a.family = ai->ai_family;
        a.socktype = ai->ai_socktype;
        a.protocol = ai->ai_protocol;
        a.len = ai->ai_addrlen;
        memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
        for (i = 0; i < r->count && !same_addr(&r->addrs[i], &a); i++)
            ;
        if (i == r->count && r->count < LK_HOST_ADDRS)
            r->addrs[r->count++] = a;
    }
    freeaddrinfo(res);
}

/* One case: the test's answer and the student's. */
typedef struct host_case {
    const char *name;
    int family;
    host_ref_t ref;
    int code, err;
    lk_host_t got;
} host_case_t;

static void host_both(host_case_t *c)
{
    host_ref(c->name, c->family, &c->ref);
    memset(&c->got, 0x5a, sizeof c->got);   /* no help from a zeroed struct */
    errno = 0;
    c->code = lk_host_info(c->name, c->family, &c->got);
    c->err = errno;
}

/* The addresses of h in words: "192.0.2.10, 2001:db8::10". */
static const char *addrs_words(const lk_addr_t *a, size_t n)
{
    char *b = cu_buf();
    size_t len = 0;

    b[0] = '\0';
    for (size_t i = 0; i < n && i < LK_HOST_ADDRS && len < 440; i++) {
        char host[NI_MAXHOST];

        if (getnameinfo((const struct sockaddr *)&a[i].addr, a[i].len, host, sizeof host, NULL,
                        0, NI_NUMERICHOST) != 0)
            snprintf(host, sizeof host, "(%s)", cu_family_name(a[i].family));
        len += (size_t)snprintf(b + len, 512 - len, "%s%.60s", i ? ", " : "", host);
    }
    if (n == 0)
        snprintf(b, 512, "none");
    return b;
}

/* Checks c field by field; `what` is the call in words. */
static void host_check(const char *file, int line, const host_case_t *c)
{
    char what[160];
    const lk_host_t *h = &c->got;

    snprintf(what, sizeof what, "lk_host_info(%s, %s)", cu_str(c->name),
             cu_family_name(c->family));
    if (c->ref.code != 0) {
        tu_check_code_at(file, line, what, c->code, c->err, c->ref.code, 0);
        return;
    }
    if (c->code == EAI_NONAME && c->family != AF_UNSPEC) {
        sl_fail_at(file, line, 0, "%s returned %s: expected 0, as getaddrinfo() with "
                   "SOCK_STREAM and AI_CANONNAME answers here (no AI_ADDRCONFIG: in the "
                   "grader's namespace, with loopback alone, it makes getaddrinfo() refuse "
                   "any family you name)", what, cu_code_words(c->code));
        return;
    }
    if (!tu_check_code_at(file, line, what, c->code, c->err, 0, 0))
        return;
    if (memchr(h->canonical, '\0', sizeof h->canonical) == NULL ||
        memchr(h->alias, '\0', sizeof h->alias) == NULL) {
        sl_fail_at(file, line, 0, "%s: %s holds no NUL: set both names, canonical and alias "
                   "(\"\" when there is none), or memset(h, 0, sizeof *h) first", what,
                   memchr(h->canonical, '\0', sizeof h->canonical) ? "alias" : "canonical");
        return;
    }
    if (h->count > LK_HOST_ADDRS) {
        sl_fail_at(file, line, 0, "%s: count is %zu, more than the LK_HOST_ADDRS (%d) addresses "
                   "addrs holds", what, h->count, LK_HOST_ADDRS);
        return;
    }
    if (strcmp(h->canonical, c->ref.canonical) != 0)
        sl_fail_at(file, line, 0, "%s: canonical name \"%.200s\", expected \"%s\": the "
                   "ai_canonname of the first result (ask for it with AI_CANONNAME)", what,
                   h->canonical, c->ref.canonical);
    if (strcmp(h->alias, c->ref.alias) != 0)
        sl_fail_at(file, line, 0, "%s: alias \"%.200s\", expected \"%s\": the name asked is "
                   "an alias when it is not the canonical name (strcasecmp(): letter case "
                   "aside), else alias is \"\"", what, h->alias, c->ref.alias);
    if (h->count != c->ref.count) {
        sl_fail_at(file, line, 0, "%s: %zu address%s (%s), expected %zu (%s)%s", what,
                   h->count, h->count == 1 ? "" : "es", addrs_words(h->addrs, h->count),
                   c->ref.count, addrs_words(c->ref.addrs, c->ref.count),
                   h->count > c->ref.count
                       ? ": each address once (ask for SOCK_STREAM, and skip an address "
                         "already in addrs)"
                       : ": every address of the list, of both families");
        return;
    }
    for (size_t i = 0; i < h->count; i++)
        if (!same_addr(&h->addrs[i], &c->ref.addrs[i]) || h->addrs[i].len != c->ref.addrs[i].len)
            sl_fail_at(file, line, 0, "%s: address %zu of %zu is %s, expected %s (in the order "
                       "of getaddrinfo()'s list)", what, i + 1, h->count,
                       tu_addr_words(&h->addrs[i]), tu_addr_words(&c->ref.addrs[i]));
}

#define HOST_AS_GAI(n_, f_)                                                    \
    do {                                                                       \
        host_case_t *c_ = calloc(1, sizeof *c_);                               \
        if (c_ == NULL)                                                        \
            SL_FAIL_FATAL("test: out of memory");                              \
        c_->name = (n_);                                                       \
        c_->family = (f_);                                                     \
        host_both(c_);                                                         \
        host_check(__FILE__, __LINE__, c_);                                    \
        free(c_);                                                              \
    } while (0)

/* lk_host_info("127.0.0.1", AF_UNSPEC) must be right, or the test ends. */
static void host_works(const char *file, int line)
{
    host_case_t *c = calloc(1, sizeof *c);
    int failed;

    if (c == NULL)
        SL_FAIL_FATAL("test: out of memory");
    c->name = "127.0.0.1";
    c->family = AF_UNSPEC;
    host_both(c);
    failed = c->code != 0 || strcmp(c->got.canonical, c->ref.canonical) != 0 ||
             c->got.count != 1;
    host_check(file, line, c);
    free(c);
    if (failed)
        sl_fail_at(file, line, 1, "the rest of this test checks refusals: it needs the answer "
                   "above right first");
}

#define HOST_WORKS() host_works(__FILE__, __LINE__)

/* Several cases in the lab. */
typedef struct lab_hosts {
    size_t n;
    host_case_t c[5];
} lab_hosts_t;

static void hosts_in_lab(void *data)
{
    lab_hosts_t *l = data;

    for (size_t i = 0; i < l->n; i++)
        host_both(&l->c[i]);
}

/* Runs cases (name, family) in the lab: the shared answers, or NULL where
 * the machine allows no lab. */
static lab_hosts_t *in_lab(const char *const *names, const int *families, size_t n)
{
    lab_hosts_t *l = cu_shared(sizeof *l);

    l->n = n;
    for (size_t i = 0; i < n; i++) {
        l->c[i].name = names[i];
        l->c[i].family = families[i];
    }
    return cu_in_lab(hosts_in_lab, l, "lk_host_info() of the lab's names", 2000) ? l : NULL;
}

/* ---- the tests ------------------------------------------------------------------ */

SL_TEST(host_info_localhost, 2,
        "getaddrinfo(name, NULL, hints with SOCK_STREAM and AI_CANONNAME): the canonical name "
        "is res->ai_canonname (set on the first result only), the addresses those of the "
        "list. localhost is in /etc/hosts.")
{
    cu_answers_quickly("localhost");
    HOST_AS_GAI("localhost", AF_UNSPEC);
    SL_HINT("Names do not care about letter case: LocalHost is localhost, whose canonical "
            "name is \"localhost\", and it is no alias of itself (compare with strcasecmp()).")
    {
        HOST_AS_GAI("LocalHost", AF_UNSPEC);
    }
    HOST_AS_GAI("localhost", AF_INET);
}

SL_TEST(host_info_numeric, 2,
        "A numeric address is its own canonical name, with that one address: IPv4 or IPv6, "
        "whichever getaddrinfo() read. Never hard-code the family.")
{
    HOST_AS_GAI("127.0.0.1", AF_UNSPEC);
    HOST_AS_GAI("::1", AF_UNSPEC);
    HOST_AS_GAI("2001:db8::1", AF_INET6);
    HOST_AS_GAI("192.0.2.1", AF_INET);
}

SL_TEST(host_info_each_address_once, 3,
        "Each address once: with SOCK_STREAM getaddrinfo() gives one result per address (with "
        "0, three: TCP, UDP, raw), but a name on two lines of /etc/hosts with the same address "
        "gets it twice. Skip an address already in addrs; keep the order.")
{
    static const char *const names[] = {"www.lab.example", "www", "mail"};
    static const int families[] = {AF_UNSPEC, AF_UNSPEC, AF_UNSPEC};
    lab_hosts_t *l;

    HOST_AS_GAI("127.0.0.1", AF_UNSPEC);
    HOST_AS_GAI("::1", AF_UNSPEC);
    l = in_lab(names, families, SL_COUNT(names));
    if (l == NULL)
        return;
    if (l->c[0].ref.results <= l->c[0].ref.count)
        SL_FAIL_FATAL("test setup: getaddrinfo(\"www.lab.example\") gives no address twice in "
                      "the lab here");
    SL_HINT("The lab's www.lab.example has three addresses, 192.0.2.10, 192.0.2.11 and "
            "2001:db8::10, on four lines of /etc/hosts: 192.0.2.10 twice. Keep every "
            "address, both families, each once, in getaddrinfo()'s order.")
    {
        for (size_t i = 0; i < l->n; i++)
            host_check(__FILE__, __LINE__, &l->c[i]);
    }
}

SL_TEST(host_info_alias, 2,
        "getaddrinfo() tells no aliases but one: the name asked, when the canonical name is "
        "another. Copy name into alias then (strcasecmp(name, canonical) != 0), else leave "
        "alias \"\".")
{
    static const char *const names[] = {"web", "www.lab.example", "WWW.Lab.Example", "v6only"};
    static const int families[] = {AF_UNSPEC, AF_UNSPEC, AF_UNSPEC, AF_UNSPEC};
    lab_hosts_t *l;

    HOST_AS_GAI("localhost", AF_UNSPEC);
    HOST_AS_GAI("127.0.0.1", AF_UNSPEC);
    l = in_lab(names, families, SL_COUNT(names));
    if (l == NULL)
        return;
    SL_HINT("In the lab's /etc/hosts, \"192.0.2.10 www.lab.example www web\": web is an "
            "alias of www.lab.example, its canonical name (ai_canonname); "
            "\"www.lab.example\" asked is no alias, nor in other letter case.")
    {
        for (size_t i = 0; i < l->n; i++)
            host_check(__FILE__, __LINE__, &l->c[i]);
    }
}

SL_TEST(host_info_family, 2,
        "hints.ai_family = family: AF_INET keeps the IPv4 addresses alone, AF_INET6 the IPv6 "
        "ones, and a name with none of that family is an error code from getaddrinfo(): "
        "pass it on.")
{
    static const char *const names[] = {"www", "www", "v6only", "v6only"};
    static const int families[] = {AF_INET, AF_INET6, AF_INET, AF_INET6};
    lab_hosts_t *l;

    HOST_WORKS();
    HOST_AS_GAI("127.0.0.1", AF_INET);
    SL_HINT("127.0.0.1 asked for AF_INET6 is EAI_ADDRFAMILY (glibc), ::1 for AF_INET too; "
            "localhost has no IPv6 address here: whatever getaddrinfo() returns, return it.")
    {
        HOST_AS_GAI("127.0.0.1", AF_INET6);
        HOST_AS_GAI("::1", AF_INET);
        cu_answers_quickly("localhost");
        HOST_AS_GAI("localhost", AF_INET6);
    }
    l = in_lab(names, families, SL_COUNT(names));
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        host_check(__FILE__, __LINE__, &l->c[i]);
}

SL_TEST(host_info_unknown, 2,
        "A name that does not resolve is getaddrinfo()'s code (no.such.invalid never "
        "resolves, RFC 6761), \"\" is EAI_NONAME, a NULL name or host is EAI_SYSTEM with "
        "errno EINVAL: never a crash, and no list to free after a failure.")
{
    lk_host_t *h = malloc(sizeof *h);

    if (h == NULL)
        SL_FAIL_FATAL("test: out of memory");
    HOST_WORKS();
    cu_answers_quickly("no.such.invalid");
    HOST_AS_GAI("no.such.invalid", AF_UNSPEC);
    HOST_AS_GAI("no-such-host.invalid", AF_INET6);
    HOST_AS_GAI("", AF_UNSPEC);
    TU_CHECK_EINVAL("lk_host_info(NULL, AF_UNSPEC, &h)", lk_host_info(NULL, AF_UNSPEC, h));
    TU_CHECK_EINVAL("lk_host_info(\"localhost\", AF_UNSPEC, NULL)",
                    lk_host_info("localhost", AF_UNSPEC, NULL));
    free(h);
}

SL_TEST(host_info_frees_every_list, 2,
        "freeaddrinfo(res) once the names and addresses are copied, on every path: a program "
        "that looks up many names must not grow.")
{
    lk_host_t *h = malloc(sizeof *h);
    size_t before;

    if (h == NULL)
        SL_FAIL_FATAL("test: out of memory");
    HOST_WORKS();
    cu_answers_quickly("localhost");
    for (int i = 0; i < 4; i++) {
        lk_host_info("localhost", AF_UNSPEC, h);
        lk_host_info("127.0.0.1", AF_UNSPEC, h);
    }
    before = tu_heap_in_use();
    for (int i = 0; i < 300; i++)
        lk_host_info("127.0.0.1", AF_UNSPEC, h);
    TU_CHECK_HEAP(before, 300, "lk_host_info(\"127.0.0.1\", AF_UNSPEC)");
    before = tu_heap_in_use();
    for (int i = 0; i < 100; i++)
        lk_host_info("localhost", AF_UNSPEC, h);
    TU_CHECK_HEAP(before, 100, "lk_host_info(\"localhost\", AF_UNSPEC)");
    free(h);
}
