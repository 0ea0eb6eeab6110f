/* Task 5: ports (addr_port, addr_port_is_privileged). */
#include "testutil.h"

SL_TASK(5, "Ports");

/* addr_port() of (ss, len), read from a copy of exactly len bytes, must
 * return want (a port, or -1 with errno err). */
#define PORT_IS(ss, len, want) port_is(__FILE__, __LINE__, (ss), (len), (want), 0)
#define PORT_FAILS(ss, len, err) port_is(__FILE__, __LINE__, (ss), (len), -1, (err))

static void port_is(const char *file, int line, const struct sockaddr_storage *ss,
                    socklen_t len, int want, int err)
{
    void *sa = tu_dup_addr(ss, len);
    char what[TU_WORDS_LEN + 16];
    int ret;

    snprintf(what, sizeof what, "addr_port(%s)", tu_addr(ss, len));
    errno = 0;
    ret = addr_port(sa, len);
    if (want == -1)
        sl_check_fails(file, line, 0, what, ret, errno, err);
    else
        sl_check_int(file, line, 0, what, ret, want);
    tu_free(what, sa);
}

/* addr_port_is_privileged(port) must be want; returns 1 if it is. */
static int privileged_is(uint16_t port, int want)
{
    char what[64];

    snprintf(what, sizeof what, "addr_port_is_privileged(%u)", (unsigned)port);
    return SL_CHECK_INT(what, addr_port_is_privileged(port), want);
}

SL_TEST(port_ipv4, 2,
        "sin_port is in network byte order: return ntohs(sin->sin_port), or "
        "port 80 comes back as 20480 on a little-endian host.")
{
    static const uint16_t ports[] = {80, 0, 1, 443, 1023, 8080, 65535};
    struct sockaddr_storage ss;

    for (size_t i = 0; i < SL_COUNT(ports); i++)
        PORT_IS(&ss, tu_in4(&ss, "192.0.2.1", ports[i]), ports[i]);
}

SL_TEST(port_ipv6, 1,
        "For AF_INET6 the port is sin6_port, also in network byte order; look "
        "at sa_family to know which structure you hold.")
{
    static const uint16_t ports[] = {443, 0, 65534, 65535};
    struct sockaddr_storage ss;

    for (size_t i = 0; i < SL_COUNT(ports); i++)
        PORT_IS(&ss, tu_in6(&ss, "fe80::1", ports[i], 1), ports[i]);
}

SL_TEST(port_lengths, 1,
        "len must be at least the size of the family's structure, and may be "
        "more (the size of a sockaddr_storage, say): refuse only a shorter "
        "one (EINVAL), and read nothing before checking it.")
{
    struct sockaddr_storage ss;

    PORT_IS(&ss, tu_in4(&ss, "10.0.0.1", 80), 80);
    PORT_IS(&ss, tu_in6(&ss, "2001:db8::1", 443, 0), 443);
    tu_in4(&ss, "10.0.0.1", 80);
    PORT_IS(&ss, sizeof ss, 80);
    tu_in6(&ss, "2001:db8::1", 443, 0);
    PORT_IS(&ss, sizeof ss, 443);
    SL_HINT("One byte short of the family's structure is EINVAL: len < "
            "sizeof(struct sockaddr_in) (16) for AF_INET, len < sizeof(struct "
            "sockaddr_in6) (28) for AF_INET6, even though the port itself "
            "lies in the first bytes.")
    {
        PORT_FAILS(&ss, tu_in4(&ss, "10.0.0.1", 80) - 1, EINVAL);
        PORT_FAILS(&ss, tu_in6(&ss, "2001:db8::1", 443, 0) - 1, EINVAL);
    }
}

SL_TEST(port_bad_address, 1,
        "An AF_UNIX address has no port (EAFNOSUPPORT); a length too short for "
        "the family or NULL is EINVAL.")
{
    struct sockaddr_storage ss;
    int ret;

    PORT_IS(&ss, tu_in4(&ss, "10.0.0.1", 80), 80);
    PORT_FAILS(&ss, tu_un(&ss, "/tmp/s"), EAFNOSUPPORT);
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    PORT_FAILS(&ss, sizeof ss, EAFNOSUPPORT);
    tu_in6(&ss, "::1", 80, 0);
    PORT_FAILS(&ss, sizeof(struct sockaddr_in), EINVAL);
    errno = 0;
    ret = addr_port(NULL, sizeof(struct sockaddr_in));
    SL_CHECK_FAILS("addr_port(NULL address, 16)", ret, errno, EINVAL);
}

SL_TEST(privileged_ports, 2,
        "Ports 1 to IPPORT_RESERVED - 1 (1023; IPPORT_RESERVED is 1024, in "
        "<netinet/in.h>) are privileged: only root, or on Linux a process "
        "with CAP_NET_BIND_SERVICE, may bind them (ip(7), capabilities(7)).")
{
    static const uint16_t privileged[] = {1, 7, 22, 25, 53, 80, 443, 1022, 1023};

    SL_HINT("Not every port is privileged: 8080 is not (only 1 to 1023 are), "
            "so addr_port_is_privileged(8080) is 0.")
    {
        if (!privileged_is(8080, 0)) /* a function that always says 1 */
            return;
    }
    for (size_t i = 0; i < SL_COUNT(privileged); i++)
        privileged_is(privileged[i], 1);
}

SL_TEST(unprivileged_ports, 1,
        "Port 0 is not privileged (binding it asks the kernel for any free "
        "port, an unprivileged one), nor are IPPORT_RESERVED (1024) to 65535.")
{
    static const uint16_t free_ports[] = {1024, 1025, 8080, 32768, 65534, 65535};

    SL_HINT("Port 80 (HTTP) is privileged, like every port from 1 to 1023: "
            "addr_port_is_privileged(80) is 1.")
    {
        if (!privileged_is(80, 1)) /* a function that always says 0 */
            return;
    }
    SL_HINT("Port 0 is not privileged: binding it asks the kernel for any "
            "free port, and it picks an unprivileged one. (IANA lists port 0 "
            "as reserved, but that is another sense of the word.) Only 1 to "
            "1023 are privileged.")
    {
        privileged_is(0, 0);
    }
    for (size_t i = 0; i < SL_COUNT(free_ports); i++)
        privileged_is(free_ports[i], 0);
}
