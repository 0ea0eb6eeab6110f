/**
 * @file addressing.h
 * @brief Lesson 01: byte order, socket addresses as text and back,
 *        `host:port`, address classes and ports.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 01 share. The lesson text (lessons/01-addressing/README.md)
 * explains the ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0 or the documented value. It never prints and never exits.
 * - A NULL pointer argument is an error: -1 with errno EINVAL.
 * - Inside a `struct sockaddr_*` the ports (`sin_port`, `sin6_port`) and
 *   the IPv4 address (`sin_addr.s_addr`) are in network byte order, the
 *   IPv6 address is 16 bytes in wire order, and the family and
 *   `sin6_scope_id` are plain numbers in host order. Every `uint16_t port`
 *   parameter or result is in host order.
 * - An address is passed to a function that reads it as a
 *   `const struct sockaddr *` plus its length in bytes, as bind(2),
 *   connect(2) and sendto(2) take it. The length must be at least the size
 *   of the structure of its family (`struct sockaddr_in` for AF_INET,
 *   `struct sockaddr_in6` for AF_INET6), and for AF_UNIX at least
 *   `offsetof(struct sockaddr_un, sun_path)`; a shorter one fails with
 *   EINVAL. A longer one is fine (the size of a `struct sockaddr_storage`
 *   is common), and no byte past the family's structure is read: for
 *   AF_UNIX, at most the `sizeof(sun_path)` bytes of `sun_path`. Linux's
 *   getsockname(2), getpeername(2) and accept(2) return
 *   `sizeof(struct sockaddr_un) + 1` for a socket bound to a path that
 *   fills `sun_path` (unix(7), BUGS): the functions here accept that
 *   answer and read the path as the whole of `sun_path`.
 * - A function that builds an address zeroes the whole structure first,
 *   then fills it in, and stores its length in `*len`. On failure the
 *   structure and `*len` hold nothing useful.
 * - Only numeric addresses: no function of this lesson looks up a host
 *   name (that is lesson 02). `localhost` is rejected like any other
 *   text that is not an address.
 */
#ifndef ADDRESSING_H
#define ADDRESSING_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

/**
 * @brief Size of a buffer that holds any text addr_to_text() or
 *        addr_format() writes, with its terminating NUL.
 *
 * The longest is an AF_UNIX path (up to `sizeof(sun_path)` bytes, 108 on
 * Linux); the longest IP form is `[` IPv6 (45) `%` scope (15) `]:65535`,
 * 69 characters.
 */
#define ADDR_STRLEN 128

/* ------------------------------------------------------------------ */
/** @name Task 1: Byte order by hand
 *
 * Network byte order is big-endian: the most significant byte comes first
 * in memory. Do not call htons(3) and friends: build the bytes yourself,
 * so that the same code is right on a little- and a big-endian host.
 * These functions cannot fail.
 * @{ */

/**
 * @brief Converts a 16-bit value from host to network byte order.
 * @param host the value as the host sees it, e.g. a port number.
 * @return a value whose two bytes in memory are the most significant byte
 *         of @p host, then the least significant one (what htons() returns).
 */
uint16_t addr_htons(uint16_t host);

/**
 * @brief Converts a 32-bit value from host to network byte order.
 * @param host the value as the host sees it, e.g. an IPv4 address.
 * @return a value whose four bytes in memory are those of @p host from the
 *         most significant to the least (what htonl() returns): the bytes of
 *         `addr_htonl(0x01020304)` are 01 02 03 04 on every host.
 */
uint32_t addr_htonl(uint32_t host);

/**
 * @brief Converts a 16-bit value from network to host byte order.
 * @param net a value whose first byte in memory is the most significant.
 * @return the value as the host sees it (what ntohs() returns).
 */
uint16_t addr_ntohs(uint16_t net);

/**
 * @brief Converts a 32-bit value from network to host byte order.
 * @param net a value whose first byte in memory is the most significant.
 * @return the value as the host sees it (what ntohl() returns).
 */
uint32_t addr_ntohl(uint32_t net);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Text to socket address and back
 * @{ */

/**
 * @brief Builds an IPv4 or IPv6 socket address from its numeric text.
 *
 * Text that contains a `:` is IPv6, any other text is IPv4:
 *
 * - IPv4: a dotted quad as inet_pton(3) reads it: exactly four decimal
 *   numbers 0..255, no leading zeros (`01.2.3.4` is rejected, because
 *   inet_aton(3) would read `010` as octal 8), no spaces.
 * - IPv6: any text form of RFC 4291, optionally followed by `%` and a
 *   scope (zone, RFC 4007):
 *   - a scope of decimal digits is an interface index, stored as is (even
 *     if no such interface exists; `%0` means no scope). Its value counts,
 *     not its digits: it must be at most 4294967295, and leading zeros are
 *     allowed (`%007` is 7), as getaddrinfo(3) reads a numeric scope;
 *   - any other scope is an interface name, turned into its index with
 *     if_nametoindex(3). A name has at most `IF_NAMESIZE - 1` (15)
 *     characters.
 *
 * @code
 * 192.0.2.1            IPv4
 * 2001:DB8:0:0::1      IPv6
 * ::ffff:192.0.2.1     IPv6 (an IPv4-mapped address)
 * fe80::1%lo           IPv6, scope id if_nametoindex("lo")
 * fe80::1%2            IPv6, scope id 2
 * @endcode
 *
 * @param text the address, as above.
 * @param port the port, in host order; stored in network order.
 * @param ss filled in: family, port, address, scope id (all else zero).
 * @param len set to `sizeof(struct sockaddr_in)` or
 *        `sizeof(struct sockaddr_in6)`.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a NULL argument; @p text is not a numeric address
 *           (empty, a host name, brackets, spaces, a port, ...); an IPv6
 *           address part (before any `%`) of `INET6_ADDRSTRLEN` characters
 *           or more, longer than any IPv6 address, however long; a scope
 *           after an IPv4 address; an empty scope (`fe80::1%`); a decimal
 *           scope whose value is above 4294967295; a scope name of
 *           `IF_NAMESIZE` (16) characters or more, which no interface can
 *           have.
 *         - ENXIO: the scope is a name of at most 15 characters that no
 *           interface of this host has. Set ENXIO yourself: glibc's
 *           if_nametoindex() leaves ENODEV, and POSIX does not say that it
 *           sets errno at all.
 */
int addr_from_text(const char *text, uint16_t port,
                   struct sockaddr_storage *ss, socklen_t *len);

/**
 * @brief Builds an AF_UNIX socket address from a file system path.
 *
 * The path is copied with its NUL; it is never truncated. The file need
 * not exist: nothing is created or checked on disk. (Linux would also bind
 * a path of `sizeof(sun_path)` characters with no room for a NUL; portable
 * code, and this function, keep the NUL inside `sun_path`.)
 *
 * @param path the path, e.g. `/tmp/echo.sock`.
 * @param sun filled in: `sun_family` and `sun_path` (all else zero).
 * @param len set to `offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1`.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p path is empty.
 *         - ENAMETOOLONG: the path and its NUL do not fit in `sun_path`
 *           (`strlen(path) >= sizeof(sun->sun_path)`, 108 on Linux).
 */
int addr_from_path(const char *path, struct sockaddr_un *sun, socklen_t *len);

/**
 * @brief Writes the address part of a socket address as text (no port).
 *
 * - AF_INET: the dotted quad, e.g. `127.0.0.1`.
 * - AF_INET6: the text inet_ntop(3) writes (RFC 5952's form: lower case,
 *   the longest run of zero groups as `::`, the last 32 bits of an
 *   IPv4-mapped address as a dotted quad; glibc also writes
 *   `0:0:0:0:0:0:x:y` with x not 0 in the old IPv4-compatible form,
 *   `::2:3` as `::0.2.0.3`), then, if `sin6_scope_id` is not 0, `%` and
 *   the name of that interface (if_indextoname(3)) or, if there is no such
 *   interface, its number in decimal.
 * - AF_UNIX: the bytes of `sun_path` up to its first NUL or the end of
 *   @p len (or of `sun_path`), whichever comes first; an unnamed socket
 *   (@p len equal to `offsetof(struct sockaddr_un, sun_path)`) gives the
 *   empty string, and so does a Linux abstract name (whose first byte is
 *   a NUL).
 *
 * @code
 * 127.0.0.1            AF_INET
 * 2001:db8::1          AF_INET6
 * ::ffff:192.0.2.1     AF_INET6, IPv4-mapped
 * fe80::1%lo           AF_INET6, sin6_scope_id if_nametoindex("lo")
 * fe80::1%4000000000   AF_INET6, sin6_scope_id of no interface
 * /tmp/echo.sock       AF_UNIX
 * @endcode
 *
 * @param sa the address.
 * @param len its length in bytes (see the conventions above).
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #ADDR_STRLEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p len too short for the family.
 *         - EAFNOSUPPORT: the family is not AF_INET, AF_INET6 or AF_UNIX.
 *         - ENOSPC: the text and its NUL do not fit in @p size bytes;
 *           @p buf then holds the empty string (if @p size > 0), never a
 *           truncated address.
 */
int addr_to_text(const struct sockaddr *sa, socklen_t len,
                 char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: host:port
 * @{ */

/**
 * @brief Parses `ADDRESS:PORT` into a socket address.
 *
 * The accepted forms, and nothing else:
 *
 * - `IPV4:PORT`;
 * - `[IPV6]:PORT`: an IPv6 address must be in brackets, since `::1:80`
 *   could be the address `::1:80` or `::1` and port 80.
 *
 * @code
 * 127.0.0.1:8080
 * [::1]:8080
 * [fe80::1%lo]:8080
 * @endcode
 *
 * The address follows the rules of addr_from_text(), IPv4 outside
 * brackets and IPv6 inside (`[192.0.2.1]:80` is rejected: what lies
 * between the brackets must hold a `:`). The port is 1 to 5 decimal
 * digits with a value of at most 65535, with no sign, no spaces and no
 * leading zeros (`0` itself is allowed, `080` is not). No space anywhere;
 * no host names (`localhost:80` is rejected).
 *
 * @param text the text, e.g. `192.0.2.1:80` or `[2001:db8::1]:443`.
 * @param ss filled in as addr_from_text() does.
 * @param len set as addr_from_text() does.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p text is not one of the forms
 *           above: empty, no port (`1.2.3.4`, `1.2.3.4:`), a bad port
 *           (`:65536`, `:80x`, `:+80`, `:-1`, `: 80`, `:080`), unbalanced
 *           brackets (`[::1:80`, `::1]:80`), an IPv6 address without
 *           brackets, a bad address (`256.1.1.1:80`), spaces around it,
 *           an address part (between the brackets, scope included, or
 *           before the `:`) of #ADDR_STRLEN characters or more (no valid
 *           one is that long); and every address addr_from_text() refuses
 *           with EINVAL.
 *         - ENXIO: as addr_from_text(): the scope is a name of at most 15
 *           characters that no interface of this host has.
 */
int addr_parse(const char *text, struct sockaddr_storage *ss, socklen_t *len);

/**
 * @brief Writes a socket address as `ADDRESS:PORT`, the text addr_parse()
 *        reads.
 *
 * - AF_INET: the address as addr_to_text() writes it, `:`, the port.
 * - AF_INET6: the same, with the address in brackets.
 * - AF_UNIX: the path alone, as addr_to_text() writes it (a Unix socket
 *   has no port).
 *
 * @code
 * 127.0.0.1:8080
 * [::1]:8080
 * [fe80::1%lo]:8080
 * /tmp/echo.sock
 * @endcode
 *
 * @param sa the address.
 * @param len its length in bytes.
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #ADDR_STRLEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p len too short for the family.
 *         - EAFNOSUPPORT: the family is not AF_INET, AF_INET6 or AF_UNIX.
 *         - ENOSPC: the text and its NUL do not fit in @p size bytes;
 *           @p buf then holds the empty string (if @p size > 0), never a
 *           truncated address.
 */
int addr_format(const struct sockaddr *sa, socklen_t len,
                char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: Classifying addresses
 * @{ */

/**
 * @brief What kind of address an IP address is (see addr_classify()).
 *
 * The blocks come from RFC 4291 (IPv6), RFC 1122 (IPv4) and the IANA
 * special-purpose address registries (RFC 6890), each cited below.
 */
typedef enum addr_class {
    /** `0.0.0.0` (RFC 1122, 3.2.1.3) or `::` (RFC 4291, 2.5.2): no
     *  address; as a bind address, "every address". */
    ADDR_UNSPECIFIED,
    /** `127.0.0.0/8` (RFC 1122) or `::1` (RFC 4291): this host, never
     *  leaves it. */
    ADDR_LOOPBACK,
    /** `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (private-use,
     *  RFC 1918) or `fc00::/7` (unique local, RFC 4193, which defines
     *  `fd00::/8` of it): for use inside a site, not routed on the
     *  Internet. */
    ADDR_PRIVATE,
    /** `169.254.0.0/16` (RFC 3927) or `fe80::/10` (RFC 4291): valid on
     *  one link only. */
    ADDR_LINK_LOCAL,
    /** `224.0.0.0/4` (RFC 5771) or `ff00::/8` (RFC 4291): a group of
     *  receivers. */
    ADDR_MULTICAST,
    /** `255.255.255.255`, the limited broadcast address (RFC 919; IPv4
     *  only). A directed broadcast, the last address of a subnet, needs
     *  the netmask to be told, and is not this class. */
    ADDR_BROADCAST,
    /** Special-purpose space that the IANA registries mark not globally
     *  reachable, and that no class above covers:
     *  - IPv4: `0.0.0.0/8` but `0.0.0.0` ("this network", RFC 1122,
     *    3.2.1.3), `100.64.0.0/10` (shared address space, RFC 6598),
     *    `192.0.0.0/24` (IETF protocol assignments, RFC 6890),
     *    `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`
     *    (documentation, RFC 5737), `198.18.0.0/15` (benchmarking,
     *    RFC 2544), `240.0.0.0/4` but `255.255.255.255` (reserved,
     *    RFC 1112, section 4);
     *  - IPv6: `64:ff9b:1::/48` (local-use translation, RFC 8215),
     *    `100::/64` (discard-only, RFC 6666), `2001::/23` (IETF protocol
     *    assignments, RFC 2928), `2001:db8::/32` (documentation,
     *    RFC 3849), `3fff::/20` (documentation, RFC 9637).
     *
     *  Each block is taken whole: the registries mark a few smaller
     *  entries inside `192.0.0.0/24` and `2001::/23` globally reachable
     *  (such as `192.0.0.9/32`, RFC 7723, and `2001:4:112::/48`,
     *  RFC 7535), and they too are ADDR_RESERVED here. */
    ADDR_RESERVED,
    /** Global unicast, in RFC 4291's sense (section 2.4: "everything
     *  else"): an address in none of the blocks above. That is ordinary
     *  unicast space, allocated or not, and also the special-purpose
     *  entries that are globally reachable (`192.31.196.0/24`, AS112,
     *  RFC 7535; `64:ff9b::/96`, RFC 6052) or that this lesson does not
     *  single out. */
    ADDR_GLOBAL
} addr_class_t;

/**
 * @brief Tells what kind of address an IPv4 or IPv6 socket address holds.
 *
 * The classes are those of #addr_class_t and nothing finer. When blocks
 * nest, the smaller one decides: `0.0.0.0` is ADDR_UNSPECIFIED although
 * `0.0.0.0/8` is ADDR_RESERVED, and `255.255.255.255` is ADDR_BROADCAST
 * although `240.0.0.0/4` is ADDR_RESERVED. An IPv4-mapped IPv6 address (the
 * block `0:0:0:0:0:ffff:0:0/96`, see IN6_IS_ADDR_V4MAPPED) is classified as
 * the IPv4 address it carries, since it is how an IPv6 socket shows an IPv4
 * peer; no other IPv6 address is (`64:ff9b::/96` and the deprecated
 * IPv4-compatible `::10.0.0.1` are IPv6 addresses like any other). The port
 * and the scope id do not matter.
 *
 * @code
 * 10.0.0.1            ADDR_PRIVATE
 * ::ffff:10.0.0.1     ADDR_PRIVATE (IPv4-mapped)
 * ::10.0.0.1          ADDR_GLOBAL (not mapped)
 * 192.0.2.1           ADDR_RESERVED (documentation)
 * 2001:db8::1         ADDR_RESERVED (documentation)
 * 8.8.8.8             ADDR_GLOBAL
 * @endcode
 *
 * @param sa the address.
 * @param len its length in bytes.
 * @return an #addr_class_t value, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p len too short for the family.
 *         - EAFNOSUPPORT: the family is not AF_INET or AF_INET6.
 */
int addr_classify(const struct sockaddr *sa, socklen_t len);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Ports
 * @{ */

/**
 * @brief Reads the port of an IPv4 or IPv6 socket address.
 * @param sa the address.
 * @param len its length in bytes.
 * @return the port in host order (0..65535), or -1 with errno set to:
 *         - EINVAL: a NULL argument, or @p len too short for the family.
 *         - EAFNOSUPPORT: the family is not AF_INET or AF_INET6 (an
 *           AF_UNIX address has no port).
 */
int addr_port(const struct sockaddr *sa, socklen_t len);

/**
 * @brief Tells whether binding @p port needs privileges: whether it is a
 *        privileged port, 1 to `IPPORT_RESERVED - 1` (1023).
 *
 * `IPPORT_RESERVED` (1024, in `<netinet/in.h>`) is the first port an
 * ordinary process may bind on BSD and, by default, on Linux; below it,
 * only root may (on Linux, a process with CAP_NET_BIND_SERVICE). Port 0 is
 * not privileged: binding port 0 asks the kernel for any free port, and
 * it picks an unprivileged one. Ports 1024 to 65535 are not privileged.
 *
 * (The names differ: BSD calls 1 to 1023 "reserved" ports, hence
 * `IPPORT_RESERVED`; IANA calls 0 to 1023 "System Ports" (RFC 6335) and
 * lists port 0 itself as reserved. This function checks the BSD limit,
 * not Linux's sysctl `net.ipv4.ip_unprivileged_port_start`, which can
 * move it.)
 *
 * @param port a port in host order.
 * @return 1 if @p port is privileged, 0 if not. Cannot fail.
 */
int addr_port_is_privileged(uint16_t port);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: Comparing socket addresses
 * @{ */

/**
 * @brief Tells whether two socket addresses are the same address.
 *
 * Compares what names the endpoint, field by field, never the raw
 * structures (memcmp(3) of them would also compare `sin_zero`, padding
 * and `sin6_flowinfo`, which do not name anything):
 *
 * - AF_INET: the same address and port.
 * - AF_INET6: the same address, port and scope id (`sin6_flowinfo` is
 *   ignored).
 * - AF_UNIX: the same name, and the name is
 *   - for a path: the bytes of `sun_path` up to its first NUL or the end
 *     of the length (or of `sun_path`), whichever comes first (the text
 *     addr_to_text() writes);
 *   - for an abstract name (Linux, see unix(7): the length goes past
 *     `offsetof(struct sockaddr_un, sun_path)` and `sun_path[0]` is a
 *     NUL): all the bytes of `sun_path` that the length covers, NULs
 *     included. So two abstract names are equal only if they have the
 *     same length and the same bytes, and one never equals a path or
 *     an unnamed address;
 *   - for an unnamed socket (the length is
 *     `offsetof(struct sockaddr_un, sun_path)`): nothing. Two unnamed
 *     addresses are equal: the address cannot tell two unnamed sockets
 *     apart.
 *
 * Addresses of different families are not equal, not even an IPv4
 * address and the same address mapped into IPv6.
 *
 * @param a one address.
 * @param alen its length in bytes.
 * @param b the other address.
 * @param blen its length in bytes.
 * @return 1 if equal, 0 if not, or -1 with errno set to:
 *         - EINVAL: a NULL argument, or a length too short for its family.
 *         - EAFNOSUPPORT: the family of either is not AF_INET, AF_INET6
 *           or AF_UNIX.
 */
int addr_equal(const struct sockaddr *a, socklen_t alen,
               const struct sockaddr *b, socklen_t blen);

/** @} */

#endif
