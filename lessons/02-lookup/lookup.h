/**
 * @file lookup.h
 * @brief Lesson 02: names and numbers. getaddrinfo() and getnameinfo()
 *        wrapped, their errors as text, a host's names and addresses,
 *        services and protocols, and this host's own names.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 02 share. The lesson text (lessons/02-lookup/README.md) explains
 * the ideas; this file says exactly what each function must do.
 *
 * Conventions:
 *
 * - The functions built on getaddrinfo(3) and getnameinfo(3)
 *   (lk_resolve(), lk_addr_text(), lk_reverse(), lk_host_info(),
 *   lk_service_port(), lk_service_name()) return 0 on success, or an
 *   `EAI_` code, as those calls do. The codes are never 0, negative with
 *   the GNU C library and positive on the BSDs and macOS: compare a code
 *   with the `EAI_` names, never with `< 0`. lk_strerror() turns a code
 *   into text.
 * - `EAI_SYSTEM` means "the reason is in errno". These functions use it
 *   for their own two errors as well: a NULL pointer argument is
 *   `EAI_SYSTEM` with errno `EINVAL`, and a text that does not fit in the
 *   buffer given is `EAI_SYSTEM` with errno `ENOSPC` (the buffer then
 *   holds the empty string, never a truncated name). After any other code
 *   errno means nothing.
 * - The other functions (lk_protocol(), lk_hostname(), lk_fqdn()) return
 *   -1 with errno set on failure, as every socklab module does: `EINVAL`
 *   for a NULL pointer, `ENOSPC` for a text that does not fit.
 * - Every list getaddrinfo() returns is freed with freeaddrinfo() before
 *   the function returns, on every path. No function prints or exits.
 * - A name is looked up the way the C library is configured to
 *   (/etc/nsswitch.conf: usually /etc/hosts, then DNS). No function here
 *   can bound the time that takes: see the README, "Bounding a lookup".
 */
#ifndef LOOKUP_H
#define LOOKUP_H

#include <stddef.h>

#include <netdb.h>        /* the EAI_ codes, AI_ and NI_ flags */
#include <netinet/in.h>
#include <sys/socket.h>

/** @brief Room for a host name and its NUL: NI_MAXHOST of `<netdb.h>`. */
#define LK_NAMELEN 1025

/** @brief Room for a service name and its NUL: NI_MAXSERV of `<netdb.h>`. */
#define LK_SERVLEN 32

/**
 * @brief Room for any text lk_addr_text() writes, with its NUL: an IPv6
 *        address (`INET6_ADDRSTRLEN`, 46 with its NUL), `%` and an
 *        interface name (at most 15 characters).
 */
#define LK_ADDRSTRLEN 64

/** @brief How many addresses a #lk_host_t holds at most. */
#define LK_HOST_ADDRS 32

/** @brief One result of getaddrinfo(), copied out of its list. */
typedef struct lk_addr {
    int family;                   /**< `AF_INET` or `AF_INET6` (ai_family) */
    int socktype;                 /**< `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_RAW` (ai_socktype) */
    int protocol;                 /**< `IPPROTO_TCP`, `IPPROTO_UDP` or 0 (ai_protocol) */
    socklen_t len;                /**< the length of @ref addr (ai_addrlen) */
    struct sockaddr_storage addr; /**< the address and port (ai_addr); zero past @ref len */
} lk_addr_t;

/* ------------------------------------------------------------------ */
/** @name Task 1: Every address of a name
 * @{ */

/**
 * @brief Looks up a host and a service with getaddrinfo(3) and copies
 *        every result, in the order it gives them.
 *
 * The hints hold @p family, @p socktype and @p flags, every other field
 * 0. Each result is copied into one #lk_addr_t: its family, socket type,
 * protocol, length and address (the bytes of `ai_addr`, then zeros). The
 * list is freed before returning.
 *
 * @code
 * lk_resolve("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0, out, 8, &n)
 *     n = 1: 127.0.0.1 port 80, SOCK_STREAM, IPPROTO_TCP
 * lk_resolve("127.0.0.1", NULL, AF_UNSPEC, 0, 0, out, 8, &n)
 *     n = 3: the same address for SOCK_STREAM, SOCK_DGRAM and SOCK_RAW
 * lk_resolve(NULL, "80", AF_UNSPEC, SOCK_STREAM, AI_PASSIVE, out, 8, &n)
 *     n = 2: 0.0.0.0 port 80 and :: port 80, the wildcards of a server
 * @endcode
 *
 * @param host a name or a numeric address; NULL for this host's loopback
 *        addresses, or its wildcard addresses with `AI_PASSIVE`.
 * @param service a service name (`"http"`) or a port number (`"80"`);
 *        NULL for port 0. @p host and @p service may not both be NULL.
 * @param family `AF_UNSPEC` (both families), `AF_INET` or `AF_INET6`.
 * @param socktype 0 (every type) or one of `SOCK_STREAM`, `SOCK_DGRAM`,
 *        `SOCK_RAW`.
 * @param flags `AI_` flags, passed on as they are: `AI_PASSIVE`,
 *        `AI_NUMERICHOST`, `AI_NUMERICSERV`, `AI_ADDRCONFIG`, ...
 * @param out where the results go: room for @p max of them. May be NULL
 *        when @p max is 0.
 * @param max how many results fit in @p out.
 * @param count set to the number of results getaddrinfo() gave; 0 when
 *        it failed.
 * @return 0, or:
 *         - what getaddrinfo() returned when it failed, unchanged
 *           (`EAI_NONAME`, `EAI_AGAIN`, `EAI_SERVICE`, `EAI_FAMILY`,
 *           `EAI_BADFLAGS`, ...; `EAI_SYSTEM` with its errno);
 *         - `EAI_SYSTEM` with errno `ENOSPC`: there were more than @p max
 *           results. The first @p max are in @p out, nothing is written
 *           past them, and @p count says how many there were (call again
 *           with that much room);
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p count is NULL, or @p out
 *           is NULL and @p max is not 0.
 */
int lk_resolve(const char *host, const char *service, int family, int socktype, int flags,
               lk_addr_t *out, size_t max, size_t *count);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Errors a person can read
 * @{ */

/**
 * @brief The text of an error code of this lesson's functions.
 *
 * For `EAI_SYSTEM` the reason is an errno value: its text is
 * strerror(@p err). For every other code, 0 and unknown codes included,
 * it is gai_strerror(@p code): never strerror(), since an `EAI_` code is
 * no errno value and errno means nothing after it.
 *
 * @code
 * lk_strerror(EAI_NONAME, 0)         "Name or service not known"   (glibc)
 * lk_strerror(EAI_AGAIN, 0)          "Temporary failure in name resolution"
 * lk_strerror(EAI_SYSTEM, EMFILE)    "Too many open files"
 * @endcode
 *
 * Save errno right after the call that failed, before anything else can
 * change it: `int code = lk_resolve(...), err = errno;`.
 *
 * @param code what a function of this lesson returned.
 * @param err the errno that the function left, read at once.
 * @return a string that is never NULL and must not be modified or freed.
 */
const char *lk_strerror(int code, int err);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: From an address back to text and to a name
 * @{ */

/**
 * @brief Writes the address of an IPv4 or IPv6 socket address as numeric
 *        text (no port): getnameinfo(3) with `NI_NUMERICHOST`.
 *
 * No lookup is made, so the call is fast and never fails for a name server
 * that does not answer.
 *
 * @code
 * 127.0.0.1           AF_INET
 * ::1                 AF_INET6
 * ::ffff:192.0.2.1    AF_INET6, an IPv4-mapped address
 * fe80::1%lo          AF_INET6 with sin6_scope_id of "lo"
 * @endcode
 *
 * @param sa the address.
 * @param len its length: `sizeof(struct sockaddr_in)` or
 *        `sizeof(struct sockaddr_in6)` (or more).
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #LK_ADDRSTRLEN is always enough.
 * @return 0, or:
 *         - `EAI_FAMILY`: the family is not `AF_INET` or `AF_INET6`
 *           (check it yourself: glibc's getnameinfo() also accepts
 *           `AF_UNIX`), or @p len is too short for it (too short to hold
 *           `sa_family` at all included: @p sa is then not read);
 *         - `EAI_SYSTEM` with errno `ENOSPC`: the text and its NUL do not
 *           fit in @p size bytes (@p buf holds "" if @p size > 0);
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p sa or @p buf is NULL.
 */
int lk_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);

/**
 * @brief The name of a numeric address: the C counterpart of Python's
 *        `socket.gethostbyaddr(addr)[0]`.
 *
 * Reads @p addr with getaddrinfo(3) and `AI_NUMERICHOST` (so a name is
 * refused, never looked up), then asks getnameinfo(3) for its name with
 * `NI_NAMEREQD`: an address that has no name is an error, never its own
 * numeric text.
 *
 * @code
 * lk_reverse("127.0.0.1", name, sizeof name)   0, "localhost"
 * lk_reverse("192.0.2.1", name, sizeof name)   EAI_NONAME: no name (or
 *                                               EAI_AGAIN: no name server answered)
 * lk_reverse("localhost", name, sizeof name)   EAI_NONAME: not an address
 * @endcode
 *
 * @param addr an IPv4 or IPv6 address as text, scope included
 *        (`fe80::1%lo`).
 * @param name where to write the NUL-terminated name.
 * @param size size of @p name; #LK_NAMELEN is always enough.
 * @return 0, or:
 *         - what getaddrinfo() returned for a text that is no numeric
 *           address (`EAI_NONAME`, for `""` too);
 *         - what getnameinfo() returned: `EAI_NONAME` (the address has
 *           no name), `EAI_AGAIN` (no name server could be asked, none
 *           answered, or one failed or refused), `EAI_SYSTEM` with its errno (for instance
 *           `EMFILE`: no descriptor was free to open /etc/hosts), ...;
 *         - `EAI_SYSTEM` with errno `ENOSPC`: the name does not fit
 *           (@p name holds "" if @p size > 0);
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p addr or @p name is NULL.
 */
int lk_reverse(const char *addr, char *name, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: A host's names and addresses
 * @{ */

/**
 * @brief What lk_host_info() learns about a name: the C counterpart of
 *        Python's `socket.gethostbyname_ex()` triple.
 */
typedef struct lk_host {
    char canonical[LK_NAMELEN]; /**< the canonical name (ai_canonname) */
    char alias[LK_NAMELEN];     /**< the name asked, if it is not the canonical
                                     name (letter case aside); else "" */
    size_t count;               /**< how many addresses @ref addrs holds */
    lk_addr_t addrs[LK_HOST_ADDRS]; /**< each address once, port 0, in the
                                         order getaddrinfo() gave them */
} lk_host_t;

/**
 * @brief Looks up a name's canonical name, alias and addresses, with
 *        getaddrinfo(3) and `AI_CANONNAME`.
 *
 * - The hints hold @p family, `SOCK_STREAM` (one result per address, not
 *   one per socket type) and `AI_CANONNAME`; no other flag, `AI_ADDRCONFIG`
 *   least of all (README, "The flags").
 * - The canonical name is the `ai_canonname` of the first result, or @p name
 *   itself if it is NULL. A numeric address is its own canonical name.
 * - getaddrinfo() knows no aliases: the only one it can tell is the name
 *   asked, when it differs from the canonical name other than by the case
 *   of its letters (a DNS CNAME, or a second name on a line of
 *   /etc/hosts). That name goes in @ref lk_host_t::alias.
 * - Each address goes into @ref lk_host_t::addrs once, in order, as the
 *   first result that has it gave it (`SOCK_STREAM`, port 0): a name that
 *   is on two lines of /etc/hosts with the same address gets it twice from
 *   getaddrinfo(). Two addresses are the same when their family, address
 *   bytes and (IPv6) scope id are. After #LK_HOST_ADDRS different
 *   addresses the rest are left out.
 *
 * @code
 * /etc/hosts:  192.0.2.10    www.lab.example www web
 *              2001:db8::10  www.lab.example www
 *
 * lk_host_info("web", AF_UNSPEC, &h)    canonical "www.lab.example",
 *                                        alias "web", 192.0.2.10
 * lk_host_info("www", AF_UNSPEC, &h)    canonical "www.lab.example",
 *                                        alias "www", 2001:db8::10 and
 *                                        192.0.2.10 (getaddrinfo()'s order)
 * lk_host_info("www", AF_INET, &h)      the same with 192.0.2.10 alone
 * lk_host_info("127.0.0.1", 0, &h)      canonical "127.0.0.1", no alias,
 *                                        127.0.0.1
 * @endcode
 *
 * @param name a host name or a numeric address.
 * @param family `AF_UNSPEC` (both families), `AF_INET` or `AF_INET6`.
 * @param h filled in. On failure it holds nothing useful.
 * @return 0, or:
 *         - what getaddrinfo() returned, unchanged: `EAI_NONAME` (an
 *           unknown name, `""`), `EAI_AGAIN` (no name server answered),
 *           `EAI_ADDRFAMILY` (a numeric address of the other family),
 *           `EAI_FAMILY`, ...;
 *         - `EAI_SYSTEM` with errno `ENOSPC`: the canonical name does not
 *           fit in #LK_NAMELEN bytes;
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p name or @p h is NULL.
 */
int lk_host_info(const char *name, int family, lk_host_t *h);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Services and protocols
 * @{ */

/**
 * @brief The port of a service: the C counterpart of Python's
 *        `socket.getservbyname(service, proto)`, built on getaddrinfo(3).
 *
 * getaddrinfo(NULL, @p service, ...) with the socket type of @p proto
 * (`"tcp"`: `SOCK_STREAM`, `"udp"`: `SOCK_DGRAM`, NULL: 0, any) gives the
 * port in its first result. A service that strtoul(3) reads to its end
 * is a number to getaddrinfo(), which keeps 16 bits of it: `70000` would
 * be port 4464, and so would `+70000` and ` 70000`, since strtoul() skips
 * spaces and takes a sign. Such a service must be a port written plainly,
 * decimal digits alone with a value of 65535 at most; any other number is
 * `EAI_SERVICE`.
 *
 * @code
 * lk_service_port("http", "tcp", &port)    0, port 80
 * lk_service_port("domain", "udp", &port)  0, port 53
 * lk_service_port("ntp", NULL, &port)      0, port 123 (UDP alone has it)
 * lk_service_port("ntp", "tcp", &port)     EAI_SERVICE: not over TCP
 * lk_service_port("8080", "tcp", &port)    0, port 8080
 * lk_service_port("70000", "tcp", &port)   EAI_SERVICE: no port
 * lk_service_port("+80", "tcp", &port)     EAI_SERVICE: a sign
 * lk_service_port(" 80", "tcp", &port)     EAI_SERVICE: a space
 * @endcode
 *
 * @param service a name of /etc/services (or an alias of one), or a port
 *        number.
 * @param proto `"tcp"`, `"udp"`, or NULL for either.
 * @param port set to the port, in host order (0 to 65535).
 * @return 0, or:
 *         - `EAI_SERVICE`: no such service for that protocol, a number
 *           above 65535 or with a sign or space before its digits, or
 *           @p proto is not `"tcp"`, `"udp"` or NULL;
 *         - `EAI_NONAME`: @p service is `""`;
 *         - another code getaddrinfo() returned, unchanged;
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p service or @p port is NULL.
 */
int lk_service_port(const char *service, const char *proto, int *port);

/**
 * @brief The name of the service on a port: the C counterpart of Python's
 *        `socket.getservbyport(port, proto)`, built on getnameinfo(3).
 *
 * getnameinfo() looks the port up in /etc/services (`NI_DGRAM` for UDP;
 * `NI_NUMERICHOST`, so that no host name is looked up). When the port has
 * no name it writes the port's digits instead: that is `EAI_NONAME` here.
 * With @p proto NULL, TCP is asked first, then UDP.
 *
 * @code
 * lk_service_name(80, "tcp", ...)     "http"
 * lk_service_name(512, "tcp", ...)    "exec"
 * lk_service_name(512, "udp", ...)    "biff": the same port, another service
 * lk_service_name(123, NULL, ...)     "ntp" (only UDP has it)
 * lk_service_name(12345, "tcp", ...)  EAI_NONAME
 * @endcode
 *
 * @param port the port, 0 to 65535, in host order.
 * @param proto `"tcp"`, `"udp"`, or NULL for either.
 * @param name where to write the NUL-terminated name.
 * @param size size of @p name; #LK_SERVLEN is always enough.
 * @return 0, or:
 *         - `EAI_NONAME`: no service has that port (for that protocol);
 *         - `EAI_SERVICE`: @p port is outside 0..65535, or @p proto is not
 *           `"tcp"`, `"udp"` or NULL;
 *         - another code getnameinfo() returned, unchanged;
 *         - `EAI_SYSTEM` with errno `ENOSPC`: the name does not fit
 *           (@p name holds "" if @p size > 0);
 *         - `EAI_SYSTEM` with errno `EINVAL`: @p name is NULL.
 */
int lk_service_name(int port, const char *proto, char *name, size_t size);

/**
 * @brief The number of a protocol (/etc/protocols): the C counterpart of
 *        Python's `socket.getprotobyname(name)`.
 *
 * getaddrinfo() has no way to ask this: use getprotobyname_r(3), the
 * reentrant form (a GNU extension; see the README), which returns an
 * error number of its own and sets its result to NULL for a name that is
 * not there.
 *
 * @code
 * lk_protocol("tcp")         6
 * lk_protocol("udp")         17
 * lk_protocol("ipv6-icmp")   58
 * @endcode
 *
 * @param name a protocol name or alias, as /etc/protocols spells it.
 * @return the number (0 or more), or -1 with errno set to:
 *         - `ENOENT`: no protocol has that name;
 *         - `EINVAL`: @p name is NULL or `""`;
 *         - what getprotobyname_r() failed with (`EMFILE`: no descriptor
 *           was free to open /etc/protocols, ...): a failure of the system
 *           is not "not found".
 */
int lk_protocol(const char *name);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: This host's names
 * @{ */

/**
 * @brief This host's name: gethostname(2), the C counterpart of Python's
 *        `socket.gethostname()`.
 *
 * POSIX lets gethostname() truncate a name that does not fit, perhaps
 * without a NUL; glibc copies the first @p size bytes, with no NUL, and
 * fails with `ENAMETOOLONG` as well. So get the name
 * into a buffer of your own that any name fits in (`HOST_NAME_MAX` is 64
 * on Linux, and POSIX allows up to 255), end it with a NUL, then copy it.
 *
 * @param buf where to write the NUL-terminated name.
 * @param size size of @p buf.
 * @return 0, or -1 with errno set to:
 *         - `ENOSPC`: the name and its NUL do not fit in @p size bytes
 *           (@p buf holds "" if @p size > 0);
 *         - `EINVAL`: @p buf is NULL.
 */
int lk_hostname(char *buf, size_t size);

/**
 * @brief A fully qualified name: the C counterpart of Python's
 *        `socket.getfqdn(name)`, built on getaddrinfo(3).
 *
 * The canonical name of @p name (getaddrinfo() with `AI_CANONNAME`, as
 * `hostname -f` asks it), or of this host's name when @p name is NULL or
 * `""`. Like Python's getfqdn(), it never fails for a name that does not
 * resolve: whatever code getaddrinfo() returns (`EAI_SYSTEM` and
 * `EAI_MEMORY` included), the name itself is the answer then (README,
 * "This host's names", says where Python's own answer differs). Despite
 * the name, the answer is fully qualified only where /etc/hosts or DNS
 * makes the canonical name so.
 *
 * @code
 * lk_fqdn("localhost", ...)        "localhost"
 * lk_fqdn("web", ...)              "www.lab.example" (the lab's /etc/hosts)
 * lk_fqdn("no.such.invalid", ...)  "no.such.invalid"
 * lk_fqdn(NULL, ...)               this host's canonical name
 * @endcode
 *
 * @param name a host name, or NULL or `""` for this host.
 * @param buf where to write the NUL-terminated name.
 * @param size size of @p buf; #LK_NAMELEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - `ENOSPC`: the name and its NUL do not fit in @p size bytes
 *           (@p buf holds "" if @p size > 0);
 *         - `EINVAL`: @p buf is NULL;
 *         - what lk_hostname() failed with, for NULL or `""`.
 */
int lk_fqdn(const char *name, char *buf, size_t size);

/** @} */

#endif
