/* Task 5: ports (addr_port, addr_port_is_reserved). */
#include "testutil.h"

SL_TEST(port_ipv4, 2,
        "sin_port is in network byte order: return ntohs(sin->sin_port), or "
        "port 80 comes back as 20480 on a little-endian host.")
{
    static const uint16_t ports[] = {0, 80, 443, 1023, 8080, 65535};
    struct sockaddr_storage ss;
    char what[64];

    for (size_t i = 0; i < TU_COUNT(ports); i++) {
        socklen_t len = tu_in4(&ss, "192.0.2.1", ports[i]);

        snprintf(what, sizeof what, "addr_port(192.0.2.1 port %u)", (unsigned)ports[i]);
        TU_INT_EQ(what, addr_port((struct sockaddr *)&ss, len), ports[i]);
    }
}

SL_TEST(port_ipv6, 1,
        "For AF_INET6 the port is sin6_port, also in network byte order; look "
        "at sa_family to know which structure you hold.")
{
    struct sockaddr_storage ss;
    socklen_t len = tu_in6(&ss, "2001:db8::1", 443, 0);

    SL_ASSERT_INT_EQ(addr_port((struct sockaddr *)&ss, len), 443);
    len = tu_in6(&ss, "fe80::1", 65534, 1);
    SL_ASSERT_INT_EQ(addr_port((struct sockaddr *)&ss, len), 65534);
}

SL_TEST(port_bad_address, 1,
        "An AF_UNIX address has no port (EAFNOSUPPORT); a length too short for "
        "the family or NULL is EINVAL.")
{
    struct sockaddr_storage ss;
    struct sockaddr *sa = (struct sockaddr *)&ss;
    socklen_t len = tu_in4(&ss, "10.0.0.1", 80);

    TU_REQUIRE(addr_port(sa, len), 80);
    len = tu_un(&ss, "/tmp/s");
    SL_ASSERT_FAILS_WITH(addr_port(sa, len), EAFNOSUPPORT);
    len = tu_in4(&ss, "10.0.0.1", 80);
    SL_ASSERT_FAILS_WITH(addr_port(sa, len - 1), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_port(NULL, len), EINVAL);
}

SL_TEST(reserved_ports, 2,
        "Ports 1 to 1023 are reserved: only a privileged process may bind them "
        "(see ip(7) and CAP_NET_BIND_SERVICE in capabilities(7)).")
{
    static const uint16_t reserved[] = {1, 7, 22, 25, 53, 80, 443, 1023};
    char what[64];

    TU_REQUIRE(addr_port_is_reserved(8080), 0); /* not always 1 */
    for (size_t i = 0; i < TU_COUNT(reserved); i++) {
        snprintf(what, sizeof what, "addr_port_is_reserved(%u)", (unsigned)reserved[i]);
        TU_INT_EQ(what, addr_port_is_reserved(reserved[i]), 1);
    }
}

SL_TEST(unreserved_ports, 1,
        "Port 0 is not reserved (binding it asks the kernel for any free port, "
        "an unprivileged one), nor are 1024 to 65535.")
{
    static const uint16_t free_ports[] = {0, 1024, 1025, 8080, 32768, 65535};
    char what[64];

    TU_REQUIRE(addr_port_is_reserved(80), 1); /* not always 0 */
    for (size_t i = 0; i < TU_COUNT(free_ports); i++) {
        snprintf(what, sizeof what, "addr_port_is_reserved(%u)", (unsigned)free_ports[i]);
        TU_INT_EQ(what, addr_port_is_reserved(free_ports[i]), 0);
    }
}
