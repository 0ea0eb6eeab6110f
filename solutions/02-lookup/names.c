/* names.c - lesson 02, reference solution: getaddrinfo() and
 * getnameinfo() wrapped, their errors as text, a host's names and
 * addresses, services and protocols, this host's own names.
 *
 * The contract is in lookup.h; the ideas are in the lesson's README. */
#include "lookup.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- Helpers ----------------------------------------------------------- */

/* The EAI_SYSTEM answer with errno err: for this lesson's own errors. */
static int system_error(int err)
{
    errno = err;
    return EAI_SYSTEM;
}

/* Copies text into buf, or leaves "" there: 0, or -1 with errno ENOSPC
 * when the text and its NUL do not fit in size bytes. */
static int copy_text(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);

    if (n >= size) {
        if (size > 0)
            buf[0] = '\0';
        errno = ENOSPC;
        return -1;
    }
    memcpy(buf, text, n + 1);
    return 0;
}

/* freeaddrinfo(), keeping errno: EAI_SYSTEM's reason must survive it. */
static void free_keep_errno(struct addrinfo *res)
{
    int saved = errno;

    freeaddrinfo(res);
    errno = saved;
}

/* getaddrinfo() with hints of these fields, every other one 0. */
static int get_list(const char *host, const char *service, int family, int socktype, int flags,
                    struct addrinfo **res)
{
    struct addrinfo hints;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    return getaddrinfo(host, service, &hints, res);
}

/* One result of getaddrinfo() as an lk_addr_t. */
static void copy_result(const struct addrinfo *ai, lk_addr_t *a)
{
    socklen_t len = ai->ai_addrlen;

    if (len > sizeof a->addr)
        len = sizeof a->addr;
    memset(a, 0, sizeof *a);
    a->family = ai->ai_family;
    a->socktype = ai->ai_socktype;
    a->protocol = ai->ai_protocol;
    a->len = len;
    memcpy(&a->addr, ai->ai_addr, len);
}

/* The port of an IPv4 or IPv6 address, in host order. */
static int port_of(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

/* The socket type for a protocol name: 0 for NULL, -1 for one that is
 * neither "tcp" nor "udp". */
static int socktype_of(const char *proto)
{
    if (proto == NULL)
        return 0;
    if (strcmp(proto, "tcp") == 0)
        return SOCK_STREAM;
    if (strcmp(proto, "udp") == 0)
        return SOCK_DGRAM;
    return -1;
}

/* ---- Task 1: every address of a name ------------------------------------ */

int lk_resolve(const char *host, const char *service, int family, int socktype, int flags,
               lk_addr_t *out, size_t max, size_t *count)
{
    struct addrinfo *res, *ai;
    size_t n = 0;
    int gai;

    if (count == NULL || (out == NULL && max > 0))
        return system_error(EINVAL);
    *count = 0;
    gai = get_list(host, service, family, socktype, flags, &res);
    if (gai != 0)
        return gai;   /* no list to free: res was not set */
    for (ai = res; ai != NULL; ai = ai->ai_next, n++)
        if (n < max)
            copy_result(ai, &out[n]);
    freeaddrinfo(res);
    *count = n;
    return n > max ? system_error(ENOSPC) : 0;
}

/* ---- Task 2: errors a person can read ----------------------------------- */

const char *lk_strerror(int code, int err)
{
    if (code == EAI_SYSTEM)
        return strerror(err);
    return gai_strerror(code);
}

/* ---- Task 3: from an address back to text and to a name ----------------- */

int lk_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    char text[LK_NAMELEN];
    int gai;

    if (sa == NULL || buf == NULL)
        return system_error(EINVAL);
    /* len first: a length that does not even cover sa_family says not to
     * read it */
    if (len < offsetof(struct sockaddr, sa_family) + sizeof sa->sa_family ||
        (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        return EAI_FAMILY;
    gai = getnameinfo(sa, len, text, sizeof text, NULL, 0, NI_NUMERICHOST);
    if (gai != 0)
        return gai;
    return copy_text(text, buf, size) < 0 ? EAI_SYSTEM : 0;
}

int lk_reverse(const char *addr, char *name, size_t size)
{
    struct addrinfo *res;
    char text[LK_NAMELEN];
    int gai;

    if (addr == NULL || name == NULL)
        return system_error(EINVAL);
    gai = get_list(addr, NULL, AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST, &res);
    if (gai != 0)
        return gai;
    gai = getnameinfo(res->ai_addr, res->ai_addrlen, text, sizeof text, NULL, 0, NI_NAMEREQD);
    free_keep_errno(res);
    if (gai != 0)
        return gai;
    return copy_text(text, name, size) < 0 ? EAI_SYSTEM : 0;
}

/* ---- Task 4: a host's names and addresses ------------------------------- */

/* Do a and b hold the same address (family, address bytes, scope)? */
static int same_address(const lk_addr_t *a, const lk_addr_t *b)
{
    if (a->family != b->family)
        return 0;
    if (a->family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)&a->addr;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)&b->addr;

        return memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0 &&
               x->sin6_scope_id == y->sin6_scope_id;
    }
    const struct sockaddr_in *x = (const struct sockaddr_in *)&a->addr;
    const struct sockaddr_in *y = (const struct sockaddr_in *)&b->addr;

    return x->sin_addr.s_addr == y->sin_addr.s_addr;
}

/* Adds the address of ai to h, unless h has it already or is full. */
static void add_address(lk_host_t *h, const struct addrinfo *ai)
{
    lk_addr_t a;

    copy_result(ai, &a);
    for (size_t i = 0; i < h->count; i++)
        if (same_address(&h->addrs[i], &a))
            return;
    if (h->count < LK_HOST_ADDRS)
        h->addrs[h->count++] = a;
}

int lk_host_info(const char *name, int family, lk_host_t *h)
{
    struct addrinfo *res, *ai;
    const char *canonical;
    int gai;

    if (name == NULL || h == NULL)
        return system_error(EINVAL);
    memset(h, 0, sizeof *h);
    gai = get_list(name, NULL, family, SOCK_STREAM, AI_CANONNAME, &res);
    if (gai != 0)
        return gai;
    canonical = res->ai_canonname != NULL ? res->ai_canonname : name;
    if (copy_text(canonical, h->canonical, sizeof h->canonical) < 0) {
        free_keep_errno(res);
        return EAI_SYSTEM;
    }
    if (strcasecmp(name, h->canonical) != 0)
        copy_text(name, h->alias, sizeof h->alias);   /* "" if it is too long */
    for (ai = res; ai != NULL; ai = ai->ai_next)
        add_address(h, ai);
    freeaddrinfo(res);
    return 0;
}

/* ---- Task 5: services and protocols ------------------------------------- */

/* Would getaddrinfo() take s for a port number? glibc does when strtoul()
 * reads s to its end, and strtoul() skips spaces and takes a sign: "80",
 * but also " 80", "+70000" (port 4464: it keeps 16 bits) and "-0". */
static int reads_as_number(const char *s)
{
    char *end;

    (void)strtoul(s, &end, 10);
    return end != s && *end == '\0';
}

/* Is s a port written plainly: decimal digits alone, 65535 at most? */
static int plain_port(const char *s)
{
    unsigned long value = 0;

    for (; *s >= '0' && *s <= '9'; s++)
        if ((value = value * 10 + (unsigned long)(*s - '0')) > 65535)
            return 0;
    return *s == '\0';
}

int lk_service_port(const char *service, const char *proto, int *port)
{
    struct addrinfo *res;
    int socktype = socktype_of(proto), gai;

    if (service == NULL || port == NULL)
        return system_error(EINVAL);
    if (service[0] == '\0')
        return EAI_NONAME;
    if (socktype < 0)
        return EAI_SERVICE;
    /* getaddrinfo() reads "70000" and "+70000" as 70000 - 65536: a number
     * must be plain digits and a port */
    if (reads_as_number(service) && !plain_port(service))
        return EAI_SERVICE;
    gai = get_list(NULL, service, AF_UNSPEC, socktype, 0, &res);
    if (gai != 0)
        return gai;
    *port = port_of(res->ai_addr);
    freeaddrinfo(res);
    return 0;
}

/* The name of port's service for one socket type, into name. */
static int service_name_for(int port, int socktype, char *name, size_t size)
{
    struct sockaddr_in sin;
    char serv[LK_SERVLEN], digits[8];
    int gai;

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    gai = getnameinfo((const struct sockaddr *)&sin, sizeof sin, NULL, 0, serv, sizeof serv,
                      NI_NUMERICHOST | (socktype == SOCK_DGRAM ? NI_DGRAM : 0));
    if (gai != 0)
        return gai;
    snprintf(digits, sizeof digits, "%d", port);
    if (strcmp(serv, digits) == 0)
        return EAI_NONAME;   /* getnameinfo() wrote the number: no name */
    return copy_text(serv, name, size) < 0 ? EAI_SYSTEM : 0;
}

int lk_service_name(int port, const char *proto, char *name, size_t size)
{
    int socktype = socktype_of(proto), gai;

    if (name == NULL)
        return system_error(EINVAL);
    if (port < 0 || port > 65535 || socktype < 0)
        return EAI_SERVICE;
    if (socktype != 0)
        return service_name_for(port, socktype, name, size);
    gai = service_name_for(port, SOCK_STREAM, name, size);
    if (gai == EAI_NONAME)
        gai = service_name_for(port, SOCK_DGRAM, name, size);
    return gai;
}

int lk_protocol(const char *name)
{
    struct protoent pe, *found;
    char buf[4096];   /* room for one line of /etc/protocols */
    int err;

    if (name == NULL || name[0] == '\0') {
        errno = EINVAL;
        return -1;
    }
    err = getprotobyname_r(name, &pe, buf, sizeof buf, &found);
    if (err != 0 || found == NULL) {
        errno = err != 0 ? err : ENOENT;
        return -1;
    }
    return found->p_proto;
}

/* ---- Task 6: this host's names ------------------------------------------ */

int lk_hostname(char *buf, size_t size)
{
    char name[256];   /* POSIX allows up to 255 characters; Linux 64 */

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (gethostname(name, sizeof name) < 0)
        return -1;
    name[sizeof name - 1] = '\0';   /* a name cut short may lack its NUL */
    return copy_text(name, buf, size);
}

int lk_fqdn(const char *name, char *buf, size_t size)
{
    char host[256];
    struct addrinfo *res;
    int rc;

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (name == NULL || name[0] == '\0') {
        if (lk_hostname(host, sizeof host) < 0)
            return -1;
        name = host;
    }
    if (get_list(name, NULL, AF_UNSPEC, SOCK_STREAM, AI_CANONNAME, &res) != 0)
        return copy_text(name, buf, size);   /* no answer: the name itself */
    rc = copy_text(res->ai_canonname != NULL ? res->ai_canonname : name, buf, size);
    free_keep_errno(res);
    return rc;
}
