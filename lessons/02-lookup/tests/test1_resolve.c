/* Task 1: every address of a name (lk_resolve). Each answer is compared
 * field by field with what getaddrinfo() itself answers here, in the same
 * order; names are looked up in /etc/hosts (localhost) or in the lab's
 * /etc/hosts, and a name that cannot exist fails at once. */
#include "testutil.h"

/* The whole lesson (every test file): this lesson opens no socket, so the
 * grader's errno hints, which are about sockets (EAGAIN: "a non-blocking
 * socket has nothing for now", EMFILE), would send a student the wrong way:
 * an errno here is a resolver's leftover, or what lk_strerror() prints. */
SL_LESSON_NO_ERRNO_HINTS();

SL_TASK(1, "Every address of a name");

SL_TEST(resolve_numeric_ipv4, 2,
        "Fill a struct addrinfo of hints with memset(0), then ai_family, ai_socktype and "
        "ai_flags from the arguments; call getaddrinfo(host, service, &hints, &res) and copy "
        "each result (family, socktype, protocol, ai_addrlen, the ai_addr bytes) into out.")
{
    TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_INET, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("192.0.2.1", "443", AF_UNSPEC, SOCK_DGRAM, 0);
    SL_HINT("The service may be a name of /etc/services: \"http\" is port 80 in the address "
            "getaddrinfo() gives back (sin_port, in network order). Pass service on as it is.")
    {
        TU_RESOLVE_AS_GAI("127.0.0.1", "http", AF_UNSPEC, SOCK_STREAM, 0);
    }
}

SL_TEST(resolve_numeric_ipv6, 2,
        "An IPv6 address gives an AF_INET6 result of 28 bytes (struct sockaddr_in6): take "
        "family and length from each result, never hard-code AF_INET or sizeof(struct "
        "sockaddr_in).")
{
    TU_RESOLVE_AS_GAI("::1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("::1", "80", AF_INET6, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("2001:db8::1", "443", AF_UNSPEC, SOCK_DGRAM, 0);
    SL_HINT("A scope (fe80::1%lo) is part of the address: sin6_scope_id. Copy all ai_addrlen "
            "bytes of ai_addr, not only the 16 bytes of the address.")
    {
        TU_RESOLVE_AS_GAI("fe80::1%lo", "80", AF_UNSPEC, SOCK_STREAM, 0);
    }
}

SL_TEST(resolve_every_socket_type, 2,
        "With socktype 0 getaddrinfo() gives each address once per socket type: SOCK_STREAM "
        "(TCP), SOCK_DGRAM (UDP) and SOCK_RAW. Copy every result of the list, following "
        "ai_next to its end, not only the first.")
{
    TU_RESOLVE_AS_GAI("127.0.0.1", NULL, AF_UNSPEC, 0, 0);
    TU_RESOLVE_AS_GAI("::1", NULL, AF_UNSPEC, 0, 0);
    TU_RESOLVE_AS_GAI("127.0.0.1", "7", AF_UNSPEC, 0, 0);
}

SL_TEST(resolve_loopback_and_wildcards, 2,
        "A NULL host gives this host's loopback addresses (::1 and 127.0.0.1); with AI_PASSIVE "
        "the wildcards a server binds to (0.0.0.0 and ::). Both families: keep every result, "
        "and pass flags on.")
{
    TU_RESOLVE_AS_GAI(NULL, "80", AF_UNSPEC, SOCK_STREAM, 0);
    SL_HINT("AI_PASSIVE with a NULL host gives the wildcard addresses 0.0.0.0 and ::, which "
            "a server binds to accept on every address: put flags in hints.ai_flags.")
    {
        TU_RESOLVE_AS_GAI(NULL, "80", AF_UNSPEC, SOCK_STREAM, AI_PASSIVE);
        TU_RESOLVE_AS_GAI(NULL, "8080", AF_INET6, SOCK_STREAM, AI_PASSIVE);
    }
    TU_RESOLVE_AS_GAI(NULL, "http", AF_INET, 0, 0);
}

SL_TEST(resolve_family_filter, 2,
        "hints.ai_family = family: AF_INET keeps IPv4 results alone, AF_INET6 IPv6 alone. An "
        "address of the other family is an error, whose code getaddrinfo() returns: pass it on.")
{
    TU_RESOLVE_WORKS(NULL, "80", AF_UNSPEC, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI(NULL, "80", AF_INET, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI(NULL, "80", AF_INET6, SOCK_STREAM, 0);
    SL_HINT("::1 asked for AF_INET (or 127.0.0.1 for AF_INET6) cannot be: getaddrinfo() "
            "returns EAI_ADDRFAMILY on glibc. Return its code as it is.")
    {
        TU_RESOLVE_AS_GAI("::1", "80", AF_INET, SOCK_STREAM, 0);
        TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_INET6, SOCK_STREAM, 0);
    }
    SL_HINT("A family that is not one (AF_UNIX here) is EAI_FAMILY from getaddrinfo().")
    {
        TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_UNIX, SOCK_STREAM, 0);
    }
}

SL_TEST(resolve_socktype_filter, 2,
        "hints.ai_socktype = socktype: a service exists for some protocols only. ntp is UDP "
        "alone and http TCP alone in /etc/services: the other type is EAI_SERVICE.")
{
    TU_RESOLVE_WORKS(NULL, "ntp", AF_UNSPEC, SOCK_DGRAM, 0);
    TU_RESOLVE_AS_GAI(NULL, "ntp", AF_UNSPEC, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI(NULL, "http", AF_UNSPEC, SOCK_DGRAM, 0);
    TU_RESOLVE_AS_GAI("127.0.0.1", "http", AF_UNSPEC, SOCK_RAW, 0);
    TU_RESOLVE_AS_GAI(NULL, "ntp", AF_UNSPEC, 0, 0);
}

SL_TEST(resolve_numeric_host, 1,
        "AI_NUMERICHOST asks getaddrinfo() not to look a name up: \"localhost\" is then "
        "EAI_NONAME, an address works as before. Pass flags on in hints.ai_flags.")
{
    TU_RESOLVE_WORKS("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
    TU_RESOLVE_AS_GAI("::1", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
    TU_RESOLVE_AS_GAI("localhost", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
    SL_HINT("AI_NUMERICSERV does for the service what AI_NUMERICHOST does for the host: "
            "\"http\" is then EAI_NONAME.")
    {
        TU_RESOLVE_AS_GAI("127.0.0.1", "http", AF_UNSPEC, SOCK_STREAM, AI_NUMERICSERV);
    }
    SL_HINT("getaddrinfo() checks the flags too: AI_CANONNAME with a NULL host is "
            "EAI_BADFLAGS, and so is a bit that is no flag. Pass its code on.")
    {
        TU_RESOLVE_AS_GAI(NULL, "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME);
        TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0x10000);
    }
}

SL_TEST(resolve_addrconfig, 1,
        "AI_ADDRCONFIG leaves out a family with no address here: glibc counts every address "
        "but 127.0.0.1 and ::1. In the grader's network namespace, which has those two alone, "
        "even ::1 and 127.0.0.1 then fail. Pass the flag on and the answer comes out as "
        "getaddrinfo()'s.")
{
    TU_RESOLVE_WORKS("::1", "80", AF_INET6, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("::1", "80", AF_INET6, SOCK_STREAM, AI_ADDRCONFIG);
    TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_INET, SOCK_STREAM, AI_ADDRCONFIG);
    TU_RESOLVE_AS_GAI(NULL, "80", AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG);
}

/* In the lab: lk_resolve() of lab names against getaddrinfo() there. */
typedef struct lab_resolve {
    struct {
        const char *host;
        int family;
        tu_list_t ref;
        int code, err;
        size_t n;
        lk_addr_t got[TU_MAX];
    } c[4];
} lab_resolve_t;

static void resolve_in_lab(void *data)
{
    lab_resolve_t *l = data;

    for (int i = 0; i < 4; i++) {
        tu_gai(l->c[i].host, "80", l->c[i].family, SOCK_STREAM, 0, &l->c[i].ref);
        errno = 0;
        l->c[i].code = lk_resolve(l->c[i].host, "80", l->c[i].family, SOCK_STREAM, 0,
                                  l->c[i].got, TU_MAX, &l->c[i].n);
        l->c[i].err = errno;
    }
}

SL_TEST(resolve_names, 2,
        "A name is looked up where /etc/nsswitch.conf says (/etc/hosts first): pass host to "
        "getaddrinfo() as it is, and copy every result, of both families, in its order.")
{
    static const struct { const char *host; int family; } cases[4] = {
        {"www.lab.example", AF_UNSPEC}, {"www", AF_UNSPEC}, {"www", AF_INET6},
        {"v6only", AF_UNSPEC},
    };
    lab_resolve_t *l;

    TU_RESOLVE_AS_GAI("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    cu_answers_quickly("localhost");
    TU_RESOLVE_AS_GAI("localhost", "80", AF_UNSPEC, SOCK_STREAM, 0);
    TU_RESOLVE_AS_GAI("localhost", NULL, AF_INET, 0, 0);
    l = cu_shared(sizeof *l);
    for (int i = 0; i < 4; i++) {
        l->c[i].host = cases[i].host;
        l->c[i].family = cases[i].family;
    }
    if (!cu_in_lab(resolve_in_lab, l, "lk_resolve() of the lab's names", 2000))
        return;
    SL_HINT("In the lab's /etc/hosts www.lab.example has three addresses, IPv4 and IPv6, on "
            "four lines (one of them twice): lk_resolve() copies getaddrinfo()'s list as it "
            "is, every result, repeats included.")
    {
        for (int i = 0; i < 4; i++)
            tu_check_list_at(__FILE__, __LINE__,
                             tu_resolve_words(l->c[i].host, "80", l->c[i].family, SOCK_STREAM, 0),
                             l->c[i].code, l->c[i].err, l->c[i].got, l->c[i].n, &l->c[i].ref);
    }
}

SL_TEST(resolve_unknown_names, 2,
        "A name that does not resolve is an error code from getaddrinfo(), never a crash: "
        "return it as it is, with *count 0. Names under .invalid never resolve (RFC 6761).")
{
    TU_RESOLVE_WORKS("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    cu_answers_quickly("no.such.invalid");
    SL_HINT("getaddrinfo() fails for no.such.invalid: EAI_NONAME where a name server says "
            "there is no such name, EAI_AGAIN where none can be asked (the grader's network "
            "namespace has loopback alone). Return its code, whichever it is, with *count 0.")
    {
        TU_RESOLVE_AS_GAI("no.such.invalid", "80", AF_UNSPEC, SOCK_STREAM, 0);
        TU_RESOLVE_AS_GAI("no-such-host.invalid", NULL, AF_INET6, 0, 0);
    }
    SL_HINT("An empty host is no name (EAI_NONAME), and so are a NULL host with a NULL "
            "service: getaddrinfo() says so, with no list to free (res is not set when it "
            "fails: freeaddrinfo() only after a success).")
    {
        TU_RESOLVE_AS_GAI("", "80", AF_UNSPEC, SOCK_STREAM, 0);
        TU_RESOLVE_AS_GAI(NULL, NULL, AF_UNSPEC, SOCK_STREAM, 0);
    }
    SL_HINT("A service that /etc/services does not know is EAI_SERVICE from getaddrinfo().")
    {
        TU_RESOLVE_AS_GAI("127.0.0.1", "no-such-service", AF_UNSPEC, SOCK_STREAM, 0);
    }
}

SL_TEST(resolve_system_error, 2,
        "EAI_SYSTEM means that errno holds the reason: with no descriptor free, getaddrinfo() "
        "cannot open /etc/hosts and returns EAI_SYSTEM, with errno EMFILE (or what a module of "
        "nsswitch.conf that failed to load left there). Return its code at once, errno as it "
        "left it (no call in between that could change errno).")
{
    tu_no_fds_t s;
    tu_list_t ref;
    lk_addr_t out[4];
    size_t n;
    int code, err;

    cu_answers_quickly("localhost");
    TU_RESOLVE_WORKS("localhost", "80", AF_UNSPEC, SOCK_STREAM, 0);
    tu_no_fds_begin(&s);
    tu_gai("localhost", "80", AF_UNSPEC, SOCK_STREAM, 0, &ref);
    errno = 0;
    code = lk_resolve("localhost", "80", AF_UNSPEC, SOCK_STREAM, 0, out, 4, &n);
    err = errno;
    tu_no_fds_end(&s);
    if (ref.code != EAI_SYSTEM)
        sl_note("with no descriptor free, getaddrinfo(\"localhost\") returns %s here, not "
                "EAI_SYSTEM: the answer must be the same all the same", cu_code_words(ref.code));
    TU_CHECK_CODE("lk_resolve(\"localhost\", \"80\", AF_UNSPEC, SOCK_STREAM, 0) with no "
                  "descriptor free", code, err, ref.code, ref.err);
}

SL_TEST(resolve_more_than_max, 2,
        "Copy at most max results into out and count them all: more than max is EAI_SYSTEM "
        "with errno ENOSPC, *count the number there were, the first max copied and nothing "
        "written past out[max - 1].")
{
    tu_list_t ref;
    lk_addr_t *out, pattern;
    size_t n;
    int code;

    TU_RESOLVE_WORKS("127.0.0.1", NULL, AF_UNSPEC, 0, 0);
    tu_gai("127.0.0.1", NULL, AF_UNSPEC, 0, 0, &ref);
    if (ref.code != 0 || ref.n < 3)
        SL_FAIL_FATAL("test setup: getaddrinfo(\"127.0.0.1\") gives %zu results here, not 3",
                      ref.n);
    /* room for 2 of the 3, then a third slot that must stay as it was */
    out = malloc(3 * sizeof *out);
    if (out == NULL)
        SL_FAIL_FATAL("test: out of memory");
    memset(&pattern, 0x5a, sizeof pattern);
    out[2] = pattern;
    n = 0;
    errno = 0;
    code = lk_resolve("127.0.0.1", NULL, AF_UNSPEC, 0, 0, out, 2, &n);
    if (TU_CHECK_CODE("lk_resolve(\"127.0.0.1\", NULL, AF_UNSPEC, 0, 0) with room for 2 of "
                      "its 3 results", code, errno, EAI_SYSTEM, ENOSPC)) {
        SL_CHECK_INT("*count after lk_resolve(\"127.0.0.1\", ...) with room for 2 (the "
                     "results there are)", n, ref.n);
        for (int i = 0; i < 2; i++)
            if (!tu_same_result(&out[i], &ref.a[i]))
                SL_FAIL("lk_resolve(\"127.0.0.1\", ...) with room for 2: out[%d] holds %s, "
                        "expected %s: the first max results are copied all the same", i,
                        tu_addr_words(&out[i]), tu_addr_words(&ref.a[i]));
    }
    SL_HINT("Stop copying at max: out has room for max results, and out[max] is someone "
            "else's memory. Count the rest without copying it.")
    {
        if (memcmp(&out[2], &pattern, sizeof pattern) != 0)
            SL_FAIL("lk_resolve(\"127.0.0.1\", ...) with room for 2 wrote a third result "
                    "past the end of out");
    }
    free(out);
    SL_HINT("max 0 with out NULL asks only how many there are: EAI_SYSTEM with errno "
            "ENOSPC and *count set (here 3), with nothing copied.")
    {
        n = 0;
        errno = 0;
        code = lk_resolve("127.0.0.1", NULL, AF_UNSPEC, 0, 0, NULL, 0, &n);
        if (TU_CHECK_CODE("lk_resolve(\"127.0.0.1\", NULL, AF_UNSPEC, 0, 0, NULL, 0, &n)",
                          code, errno, EAI_SYSTEM, ENOSPC))
            SL_CHECK_INT("*count after lk_resolve(\"127.0.0.1\", ...) with max 0", n, ref.n);
    }
}

SL_TEST(resolve_null_arguments, 1,
        "A NULL count, or a NULL out with max above 0, is EAI_SYSTEM with errno EINVAL: check "
        "before calling getaddrinfo(), never crash.")
{
    lk_addr_t out[2];
    size_t n;

    TU_RESOLVE_WORKS("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    TU_CHECK_EINVAL("lk_resolve(\"127.0.0.1\", \"80\", ..., out, 2, NULL count)",
                    lk_resolve("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0, out, 2, NULL));
    TU_CHECK_EINVAL("lk_resolve(\"127.0.0.1\", \"80\", ..., NULL out, 2, &n)",
                    lk_resolve("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0, NULL, 2, &n));
}

SL_TEST(resolve_frees_every_list, 3,
        "Every list getaddrinfo() returns must be freed with freeaddrinfo(res) once its "
        "results are copied, on every path: when they all fit, and when there are more than "
        "max. A list is not freed when getaddrinfo() failed: there is none.")
{
    lk_addr_t out[TU_MAX];
    size_t n, before;

    TU_RESOLVE_WORKS("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0);
    cu_answers_quickly("localhost");
    for (int i = 0; i < 4; i++) {   /* the C library's own first allocations */
        lk_resolve("localhost", "80", AF_UNSPEC, 0, 0, out, TU_MAX, &n);
        lk_resolve("127.0.0.1", "80", AF_UNSPEC, 0, 0, out, 1, &n);
    }
    before = tu_heap_in_use();
    for (int i = 0; i < 300; i++)
        lk_resolve("127.0.0.1", "80", AF_UNSPEC, 0, 0, out, TU_MAX, &n);
    TU_CHECK_HEAP(before, 300, "lk_resolve(\"127.0.0.1\", \"80\", AF_UNSPEC, 0, 0)");
    SL_HINT("When there are more results than max, the list must be freed too, before "
            "returning EAI_SYSTEM with errno ENOSPC.")
    {
        before = tu_heap_in_use();
        for (int i = 0; i < 300; i++)
            lk_resolve("127.0.0.1", "80", AF_UNSPEC, 0, 0, out, 1, &n);
        TU_CHECK_HEAP(before, 300, "lk_resolve(\"127.0.0.1\", ...) with room for 1 of 3");
    }
    before = tu_heap_in_use();
    for (int i = 0; i < 100; i++)
        lk_resolve("localhost", "http", AF_UNSPEC, SOCK_STREAM, 0, out, TU_MAX, &n);
    TU_CHECK_HEAP(before, 100, "lk_resolve(\"localhost\", \"http\", AF_UNSPEC, SOCK_STREAM, 0)");
}
