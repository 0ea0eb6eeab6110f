/* names.c - lesson 02: getaddrinfo() and getnameinfo() wrapped, their
 * errors as text, a host's names and addresses, services and protocols,
 * this host's own names.
 *
 * Your work. Each function below starts with TODO(): replace that line
 * (and the (void) lines above it) with your code. lookup.h says exactly
 * what each function must do, every error case included; the lesson's
 * README explains the ideas. Check your work with `make grade LESSON=02`.
 *
 * You may add helper functions: make them static. Several functions share
 * work (hints filled in for getaddrinfo(); a text copied into a buffer
 * only if it fits, else ENOSPC): write it once. */
#include "lookup.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 1: every address of a name ---------------------------------------
 * struct addrinfo hints: memset() it to 0 first (every field you do not set
 * must be 0), then ai_family, ai_socktype, ai_flags. getaddrinfo(host,
 * service, &hints, &res) returns 0 or an EAI_ code; on success res is a
 * list linked by ai_next, freed with freeaddrinfo(res). */

int lk_resolve(const char *host, const char *service, int family, int socktype, int flags,
               lk_addr_t *out, size_t max, size_t *count)
{
    /* Check count (and out when max > 0): NULL is EAI_SYSTEM with errno
     * EINVAL. Then for each result, while fewer than max are copied: the
     * family, socktype, protocol, ai_addrlen and the ai_addrlen bytes of
     * ai_addr (the rest of addr zero); count them all. Free the list.
     * More than max: errno = ENOSPC, return EAI_SYSTEM. */
    (void)host;
    (void)service;
    (void)family;
    (void)socktype;
    (void)flags;
    (void)out;
    (void)max;
    (void)count;
    TODO();
}

/* ---- Task 2: errors a person can read --------------------------------------- */

const char *lk_strerror(int code, int err)
{
    /* gai_strerror(code), but strerror(err) for EAI_SYSTEM. */
    (void)code;
    (void)err;
    TODO();
}

/* ---- Task 3: from an address back to text and to a name ----------------------
 * getnameinfo(sa, len, host, hostlen, serv, servlen, flags) writes the host
 * part into host and the service part into serv (NULL, 0 for a part you do
 * not want). NI_NUMERICHOST: the numbers, no lookup; NI_NAMEREQD: fail
 * rather than write the numbers when there is no name. A buffer too small
 * is EAI_OVERFLOW: give it one of LK_NAMELEN bytes of your own, then copy
 * the text into the caller's if it fits. */

int lk_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    /* NULL checks, then the family (AF_INET or AF_INET6, else EAI_FAMILY;
     * a len too short to hold sa_family is EAI_FAMILY too, checked before
     * reading it), then getnameinfo() with NI_NUMERICHOST. */
    (void)sa;
    (void)len;
    (void)buf;
    (void)size;
    TODO();
}

int lk_reverse(const char *addr, char *name, size_t size)
{
    /* getaddrinfo(addr, NULL, hints with AI_NUMERICHOST) reads the address;
     * getnameinfo(res->ai_addr, res->ai_addrlen, ..., NI_NAMEREQD) names it.
     * Free the list, keeping errno (EAI_SYSTEM's reason) as it was. */
    (void)addr;
    (void)name;
    (void)size;
    TODO();
}

/* ---- Task 4: a host's names and addresses ----------------------------------- */

int lk_host_info(const char *name, int family, lk_host_t *h)
{
    /* memset(h, 0, sizeof *h); getaddrinfo(name, NULL, hints with family,
     * SOCK_STREAM and AI_CANONNAME). The canonical name is
     * res->ai_canonname (it may be NULL: then name). The alias is name when
     * strcasecmp(name, canonical) != 0. Each address once, in order: skip
     * one already in h->addrs (same family, address bytes and scope). */
    (void)name;
    (void)family;
    (void)h;
    TODO();
}

/* ---- Task 5: services and protocols ------------------------------------------ */

int lk_service_port(const char *service, const char *proto, int *port)
{
    /* "tcp": SOCK_STREAM, "udp": SOCK_DGRAM, NULL: 0, else EAI_SERVICE.
     * A service strtoul() reads to its end (digits, perhaps after spaces or
     * a sign: getaddrinfo() takes it for a number) must be digits alone
     * and 65535 at most, else EAI_SERVICE.
     * getaddrinfo(NULL, service, hints) puts the port in the address of
     * each result: ntohs() of sin_port (AF_INET) or sin6_port (AF_INET6). */
    (void)service;
    (void)proto;
    (void)port;
    TODO();
}

int lk_service_name(int port, const char *proto, char *name, size_t size)
{
    /* A struct sockaddr_in with sin_port = htons(port); getnameinfo() with
     * host NULL, 0 and serv a buffer of LK_SERVLEN bytes, NI_NUMERICHOST,
     * plus NI_DGRAM for UDP. When serv holds the port's digits, there is
     * no name: EAI_NONAME. proto NULL: TCP first, then UDP. */
    (void)port;
    (void)proto;
    (void)name;
    (void)size;
    TODO();
}

int lk_protocol(const char *name)
{
    /* getprotobyname_r(name, &pe, buf, sizeof buf, &result), buf of 4096
     * bytes: it returns an error number (not -1), and 0 with result NULL
     * when the name is not there (ENOENT). */
    (void)name;
    TODO();
}

/* ---- Task 6: this host's names ------------------------------------------------ */

int lk_hostname(char *buf, size_t size)
{
    /* gethostname() into a char array of 256, a NUL at its last byte,
     * then copy into buf if it fits (ENOSPC otherwise, "" in buf). */
    (void)buf;
    (void)size;
    TODO();
}

int lk_fqdn(const char *name, char *buf, size_t size)
{
    /* NULL or "": this host's name (lk_hostname()). Then getaddrinfo()
     * with AI_CANONNAME: the canonical name; when it fails, whatever the
     * code, the name itself. Copy into buf if it fits. */
    (void)name;
    (void)buf;
    (void)size;
    TODO();
}
