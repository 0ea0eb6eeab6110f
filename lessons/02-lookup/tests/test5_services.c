/* Task 5: services and protocols (lk_service_port, lk_service_name,
 * lk_protocol). The expected answers come from the C library's own
 * getservbyname(), getservbyport() and getprotobyname() on this machine's
 * /etc/services and /etc/protocols: an entry this machine does not have is
 * skipped with a note. */
#include "testutil.h"

SL_TASK(5, "Services and protocols");

/* ---- helpers ------------------------------------------------------------- */

/* The port of service for proto as this machine's getservbyname() says,
 * or -1 when it has none. */
static int servbyname(const char *service, const char *proto)
{
    struct servent *s = getservbyname(service, proto);

    return s ? ntohs((uint16_t)s->s_port) : -1;
}

/* The name of port for proto as getservbyport() says, or NULL. */
static const char *servbyport(int port, const char *proto)
{
    struct servent *s = getservbyport(htons((uint16_t)port), proto);

    return s ? s->s_name : NULL;
}

/* lk_service_port(service, proto) must give port want. */
static int port_is(const char *file, int line, const char *service, const char *proto, int want)
{
    char what[128];
    int port = -12345, code;

    snprintf(what, sizeof what, "lk_service_port(%s, %s)", cu_str(service), cu_str(proto));
    errno = 0;
    code = lk_service_port(service, proto, &port);
    if (!tu_check_code_at(file, line, what, code, errno, 0, 0))
        return 0;
    return sl_check_int(file, line, 0, what, port, want);
}

/* The port as this machine's /etc/services has it: checked, or skipped
 * with a note when the machine has no such entry. */
static void port_as_libc(const char *file, int line, const char *service, const char *proto)
{
    int want = servbyname(service, proto);

    if (want < 0)
        sl_note("this machine's /etc/services has no %s%s%s: skipped", service,
                proto ? "/" : "", proto ? proto : "");
    else
        port_is(file, line, service, proto, want);
}

#define PORT_AS_LIBC(service, proto) port_as_libc(__FILE__, __LINE__, (service), (proto))
#define PORT_IS(service, proto, want) port_is(__FILE__, __LINE__, (service), (proto), (want))

/* lk_service_port(service, proto) must fail with want. */
static void port_fails(const char *file, int line, const char *service, const char *proto,
                       int want)
{
    char what[128];
    int port = -12345, code;

    snprintf(what, sizeof what, "lk_service_port(%s, %s)", cu_str(service), cu_str(proto));
    errno = 0;
    code = lk_service_port(service, proto, &port);
    if (code == 0)
        sl_fail_at(file, line, 0, "%s gave port %d: expected %s", what, port, cu_code_words(want));
    else
        tu_check_code_at(file, line, what, code, errno, want, 0);
}

#define PORT_FAILS(service, proto, want) port_fails(__FILE__, __LINE__, (service), (proto), (want))

/* lk_service_name(port, proto) must write want (NULL: fail with fail). */
static void name_is(const char *file, int line, int port, const char *proto, const char *want,
                    int fail)
{
    char what[128], *buf = tu_exact(LK_SERVLEN);
    int code;

    snprintf(what, sizeof what, "lk_service_name(%d, %s)", port, cu_str(proto));
    errno = 0;
    code = lk_service_name(port, proto, buf, LK_SERVLEN);
    if (want == NULL) {
        if (code == 0)
            sl_fail_at(file, line, 0, "%s gave \"%.40s\": expected %s%s", what, buf,
                       cu_code_words(fail), fail == EAI_NONAME
                       ? " (getnameinfo() writes the port's digits when it has no name: "
                         "that is no name)" : "");
        else
            tu_check_code_at(file, line, what, code, errno, fail, 0);
        return;
    }
    if (tu_check_code_at(file, line, what, code, errno, 0, 0))
        sl_check_str(file, line, 0, what, buf, want);
}

/* The name as this machine's /etc/services has it, or skipped. */
static void name_as_libc(const char *file, int line, int port, const char *proto)
{
    const char *want = servbyport(port, proto);
    char copy[64];

    if (want == NULL) {
        sl_note("this machine's /etc/services has no port %d%s%s: skipped", port,
                proto ? "/" : "", proto ? proto : "");
        return;
    }
    snprintf(copy, sizeof copy, "%s", want);   /* getservbyport()'s storage is static */
    name_is(file, line, port, proto, copy, 0);
}

#define NAME_AS_LIBC(port, proto) name_as_libc(__FILE__, __LINE__, (port), (proto))
#define NAME_FAILS(port, proto, want) name_is(__FILE__, __LINE__, (port), (proto), NULL, (want))

/* ---- lk_service_port ------------------------------------------------------------ */

SL_TEST(service_port_by_name, 2,
        "getaddrinfo(NULL, service, hints with the socket type of proto) looks the service up "
        "in /etc/services and puts its port in each result's address: read sin_port (or "
        "sin6_port) of the first, with ntohs().")
{
    PORT_AS_LIBC("http", "tcp");
    PORT_AS_LIBC("domain", "udp");
    PORT_AS_LIBC("ssh", "tcp");
    SL_HINT("An alias of /etc/services counts too (\"www\" is http), and a NULL proto means "
            "any: socket type 0.")
    {
        PORT_AS_LIBC("www", "tcp");
        PORT_AS_LIBC("http", NULL);
        PORT_AS_LIBC("echo", NULL);
    }
    SL_HINT("A port number is a service too: getaddrinfo() reads \"8080\" as port 8080.")
    {
        PORT_IS("8080", "tcp", 8080);
        PORT_IS("0", "udp", 0);
        PORT_IS("65535", NULL, 65535);
    }
}

SL_TEST(service_port_protocol_matters, 2,
        "A service exists for some protocols only: ntp is UDP alone, http TCP alone here. "
        "\"tcp\" is SOCK_STREAM, \"udp\" SOCK_DGRAM: a service the protocol lacks is "
        "getaddrinfo()'s EAI_SERVICE. With proto NULL, either will do.")
{
    if (servbyname("ntp", "udp") < 0 || servbyname("ntp", "tcp") >= 0)
        SL_FAIL_FATAL("test setup: this machine's /etc/services does not have ntp for UDP "
                      "alone, as netbase's does");
    PORT_AS_LIBC("ntp", "udp");
    PORT_AS_LIBC("ntp", NULL);
    PORT_FAILS("ntp", "tcp", EAI_SERVICE);
    if (servbyname("http", "udp") < 0)
        PORT_FAILS("http", "udp", EAI_SERVICE);
}

SL_TEST(service_port_rejects, 2,
        "Refuse what is no service: a number above 65535 (getaddrinfo() itself reads 70000 as "
        "port 4464: check the digits first), a name /etc/services lacks (EAI_SERVICE), a "
        "protocol other than tcp or udp (EAI_SERVICE), \"\" (EAI_NONAME), NULL (EAI_SYSTEM "
        "with errno EINVAL).")
{
    int port;

    PORT_IS("8080", "tcp", 8080);
    SL_HINT("70000 is no port: getaddrinfo() would read it as 70000 - 65536 = 4464, and "
            "4294967376 as 80. A service of digits alone is a number: a value above 65535 is "
            "EAI_SERVICE (stop adding up digits once it is past 65535, or it overflows).")
    {
        PORT_FAILS("70000", "tcp", EAI_SERVICE);
        PORT_FAILS("65536", NULL, EAI_SERVICE);
        PORT_FAILS("4294967376", "tcp", EAI_SERVICE);
    }
    PORT_FAILS("no-such-service", "tcp", EAI_SERVICE);
    PORT_FAILS("no-such-service", NULL, EAI_SERVICE);
    SL_HINT("The protocols are \"tcp\" and \"udp\" (or NULL, either): any other, \"sctp\", "
            "\"TCP\" or \"\", is EAI_SERVICE, checked before getaddrinfo() is called.")
    {
        PORT_FAILS("http", "sctp", EAI_SERVICE);
        PORT_FAILS("http", "", EAI_SERVICE);
        PORT_FAILS("http", "TCP", EAI_SERVICE);
    }
    SL_HINT("An empty service is no service: getaddrinfo() would give port 0 for it. Return "
            "EAI_NONAME.")
    {
        PORT_FAILS("", "tcp", EAI_NONAME);
    }
    TU_CHECK_EINVAL("lk_service_port(NULL, \"tcp\", &port)", lk_service_port(NULL, "tcp", &port));
    TU_CHECK_EINVAL("lk_service_port(\"http\", \"tcp\", NULL)", lk_service_port("http", "tcp", NULL));
}

SL_TEST(service_port_plain_numbers, 1,
        "getaddrinfo() reads a port with strtoul(), which skips spaces and takes a sign: "
        "\"+70000\" and \" 70000\" would be port 4464, \"+80\" port 80. Any service that "
        "strtoul() reads to its end is a number: it must be plain digits, 65535 at most, "
        "else EAI_SERVICE.")
{
    PORT_IS("80", "tcp", 80);
    PORT_FAILS("70000", "tcp", EAI_SERVICE);
    SL_HINT("Reject a sign or space before the digits: \"+70000\" and \" 70000\" are "
            "70000 to strtoul(), and getaddrinfo() keeps 16 bits of it (4464). Checking only "
            "a service of digits alone lets them through: ask strtoul(service, &end, 10) "
            "whether it reads the whole service (end != service, *end == '\\0'), and then "
            "take it only if it is digits alone.")
    {
        PORT_FAILS("+70000", "tcp", EAI_SERVICE);
        PORT_FAILS(" 70000", "tcp", EAI_SERVICE);
        PORT_FAILS("+80", "tcp", EAI_SERVICE);
        PORT_FAILS(" 80", NULL, EAI_SERVICE);
        PORT_FAILS("  8080", "udp", EAI_SERVICE);
        PORT_FAILS("-0", "tcp", EAI_SERVICE);
    }
    SL_HINT("A name is no number, even one that starts with digits: \"80 \" and \"0x50\" "
            "are names to getaddrinfo(), which /etc/services lacks (EAI_SERVICE).")
    {
        PORT_FAILS("80 ", "tcp", EAI_SERVICE);
        PORT_FAILS("0x50", "tcp", EAI_SERVICE);
    }
}

/* ---- lk_service_name ------------------------------------------------------------- */

SL_TEST(service_name_by_port, 2,
        "getnameinfo() of an address with that port, asking only for the service (host NULL, "
        "hostlen 0; NI_NUMERICHOST), writes the service's name from /etc/services; NI_DGRAM "
        "asks for the UDP one.")
{
    NAME_AS_LIBC(80, "tcp");
    NAME_AS_LIBC(22, "tcp");
    NAME_AS_LIBC(53, "udp");
    NAME_AS_LIBC(443, "tcp");
    SL_HINT("With proto NULL, ask TCP first: 80 is http, 53 domain.")
    {
        NAME_AS_LIBC(80, NULL);
        NAME_AS_LIBC(53, NULL);
    }
}

SL_TEST(service_name_protocol_matters, 2,
        "The same port may be two services: 512 is exec over TCP and biff over UDP. Pass "
        "NI_DGRAM for \"udp\"; with proto NULL try TCP, then UDP when TCP has no name (123 is "
        "ntp, UDP alone).")
{
    if (servbyport(512, "tcp") == NULL || servbyport(512, "udp") == NULL ||
        strcmp(servbyport(512, "tcp"), "exec") != 0)
        SL_FAIL_FATAL("test setup: this machine's /etc/services does not have exec 512/tcp and "
                      "biff 512/udp, as netbase's does");
    NAME_AS_LIBC(512, "tcp");
    NAME_AS_LIBC(512, "udp");
    NAME_AS_LIBC(513, "udp");
    SL_HINT("123 has a name for UDP only (ntp): with proto NULL, TCP first, and when "
            "getnameinfo() writes the digits \"123\" (no name), UDP.")
    {
        NAME_AS_LIBC(123, NULL);
        NAME_AS_LIBC(123, "udp");
    }
}

SL_TEST(service_name_unknown, 1,
        "getnameinfo() writes the digits of a port that has no name: compare with the port "
        "in decimal, and return EAI_NONAME then. A port outside 0..65535 or another protocol "
        "is EAI_SERVICE; a name that does not fit is EAI_SYSTEM with ENOSPC, \"\" left.")
{
    char *small;
    int code;

    NAME_AS_LIBC(80, "tcp");
    if (servbyport(12345, "tcp") == NULL)
        NAME_FAILS(12345, "tcp", EAI_NONAME);
    if (servbyport(123, "tcp") == NULL)
        NAME_FAILS(123, "tcp", EAI_NONAME);
    NAME_FAILS(65536, "tcp", EAI_SERVICE);
    NAME_FAILS(-1, NULL, EAI_SERVICE);
    NAME_FAILS(80, "sctp", EAI_SERVICE);
    TU_CHECK_EINVAL("lk_service_name(80, \"tcp\", NULL, 32)", lk_service_name(80, "tcp", NULL, 32));
    SL_HINT("\"http\" needs 5 bytes with its NUL: 4 is EAI_SYSTEM with errno ENOSPC, and \"\" "
            "in the buffer.")
    {
        small = tu_exact(5);
        errno = 0;
        code = lk_service_name(80, "tcp", small, 5);
        if (TU_CHECK_CODE("lk_service_name(80, \"tcp\") into 5 bytes", code, errno, 0, 0))
            SL_CHECK_STR("lk_service_name(80, \"tcp\") into 5 bytes", small, "http");
        small = tu_exact(4);
        errno = 0;
        code = lk_service_name(80, "tcp", small, 4);
        if (TU_CHECK_CODE("lk_service_name(80, \"tcp\") into 4 bytes", code, errno, EAI_SYSTEM,
                          ENOSPC))
            SL_CHECK_STR("what lk_service_name(80, \"tcp\") left in 4 bytes", small, "");
    }
}

/* ---- lk_protocol ------------------------------------------------------------------ */

/* lk_protocol(name) must be what getprotobyname() says here. */
static void proto_as_libc(const char *file, int line, const char *name)
{
    struct protoent *p = getprotobyname(name);
    char what[96];
    int want, got;

    if (p == NULL) {
        sl_note("this machine's /etc/protocols has no %s: skipped", name);
        return;
    }
    want = p->p_proto;
    snprintf(what, sizeof what, "lk_protocol(\"%s\")", name);
    errno = 0;
    got = lk_protocol(name);
    if (got < 0)
        sl_fail_at(file, line, 0, "%s returned -1 with errno %s: expected %d", what,
                   cu_errno_words(errno), want);
    else
        sl_check_int(file, line, 0, what, got, want);
}

#define PROTO_AS_LIBC(name) proto_as_libc(__FILE__, __LINE__, (name))

SL_TEST(protocol_numbers, 1,
        "getprotobyname_r(name, &pe, buf, sizeof buf, &result) reads /etc/protocols into pe "
        "and buf: the number is result->p_proto. 0 is a number too (ip).")
{
    PROTO_AS_LIBC("tcp");
    PROTO_AS_LIBC("udp");
    PROTO_AS_LIBC("icmp");
    PROTO_AS_LIBC("ipv6-icmp");
    PROTO_AS_LIBC("sctp");
    SL_HINT("Aliases count (\"TCP\" is one of tcp's in /etc/protocols), and ip is protocol 0: "
            "0 is a success, only -1 is a failure.")
    {
        PROTO_AS_LIBC("TCP");
        PROTO_AS_LIBC("ip");
    }
}

SL_TEST(protocol_unknown, 2,
        "getprotobyname_r() returns 0 with result NULL for a name that is not there: that is "
        "ENOENT. It returns an error number when the system fails (EMFILE: no descriptor "
        "free to open /etc/protocols): pass that on as errno, it is no \"not found\".")
{
    tu_no_fds_t s;
    int got, err;

    PROTO_AS_LIBC("tcp");
    SL_ASSERT_FAILS_WITH(lk_protocol("no-such-protocol"), ENOENT);
    SL_ASSERT_FAILS_WITH(lk_protocol("Tcp"), ENOENT);
    SL_HINT("An empty name or NULL is EINVAL, checked before the lookup.")
    {
        SL_ASSERT_FAILS_WITH(lk_protocol(""), EINVAL);
        SL_ASSERT_FAILS_WITH(lk_protocol(NULL), EINVAL);
    }
    SL_HINT("With no descriptor free, getprotobyname_r() returns EMFILE, not 0: set errno to "
            "what it returned. ENOENT would say that tcp does not exist.")
    {
        struct protoent pe, *found;
        char buf[4096];
        int want;

        tu_no_fds_begin(&s);
        want = getprotobyname_r("tcp", &pe, buf, sizeof buf, &found);
        errno = 0;
        got = lk_protocol("tcp");
        err = errno;
        tu_no_fds_end(&s);
        if (want == 0)
            sl_note("with no descriptor free, getprotobyname_r(\"tcp\") does not fail here: "
                    "skipped");
        else
            SL_CHECK_FAILS("lk_protocol(\"tcp\") with no descriptor free", got, err, want);
    }
}
