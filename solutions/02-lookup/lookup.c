/* lookup.c - lesson 02, reference solution: what a name, an address or a
 * service stands for.
 *
 *   lookup [-4|-6] NAME...        each name's alias, canonical name, addresses
 *   lookup -r ADDRESS...          each address's name
 *   lookup -s SERVICE[/PROTO]...  each service's port
 *
 * One line per fact, as host(1) writes them:
 *
 *   web is an alias for www.lab.example
 *   www.lab.example has address 192.0.2.10
 *   www.lab.example has IPv6 address 2001:db8::10
 *   127.0.0.1 has name localhost
 *   http/tcp has port 80
 *
 * An operand that fails is one line on stderr, "lookup: OPERAND: reason"
 * (the resolver's message), and the next operand is looked up all the
 * same; the exit status is then 1. Bad usage: exit status 2. */
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NAME "lookup"

static int usage(void)
{
    fprintf(stderr, "usage: " NAME " [-4|-6] NAME...\n"
                    "       " NAME " -r ADDRESS...\n"
                    "       " NAME " -s SERVICE[/PROTO]...\n");
    return 2;
}

/* Says on stderr that operand failed with code (errno err); returns 1. */
static int failed(const char *operand, int code, int err)
{
    fprintf(stderr, NAME ": %s: %s\n", operand, lk_strerror(code, err));
    return 1;
}

/* Splits "SERVICE/PROTO" at its first '/' into buf: *proto points after
 * it, or is NULL when there is none. 0, or -1 if arg does not fit. */
static int split_service(const char *arg, char *buf, size_t size, const char **proto)
{
    char *slash;

    if (strlen(arg) >= size)
        return -1;
    strcpy(buf, arg);
    slash = strchr(buf, '/');
    *proto = NULL;
    if (slash != NULL) {
        *slash = '\0';
        *proto = slash + 1;
    }
    return 0;
}

/* Prints what name stands for; 0, or 1 once said why not. */
static int show_host(const char *name, int family)
{
    lk_host_t h;
    char text[LK_ADDRSTRLEN];
    int code = lk_host_info(name, family, &h), err = errno;

    if (code != 0)
        return failed(name, code, err);
    if (h.alias[0] != '\0')
        printf("%s is an alias for %s\n", h.alias, h.canonical);
    for (size_t i = 0; i < h.count; i++) {
        const lk_addr_t *a = &h.addrs[i];

        code = lk_addr_text((const struct sockaddr *)&a->addr, a->len, text, sizeof text);
        if (code != 0)
            return failed(name, code, errno);
        printf("%s has %saddress %s\n", h.canonical, a->family == AF_INET6 ? "IPv6 " : "",
               text);
    }
    return 0;
}

/* Prints the name of address addr; 0, or 1 once said why not. */
static int show_reverse(const char *addr)
{
    char name[LK_NAMELEN];
    int code = lk_reverse(addr, name, sizeof name), err = errno;

    if (code != 0)
        return failed(addr, code, err);
    printf("%s has name %s\n", addr, name);
    return 0;
}

/* Prints the port of "SERVICE[/PROTO]"; 0, or 1 once said why not. */
static int show_service(const char *arg)
{
    char service[LK_NAMELEN];
    const char *proto;
    int port, code, err;

    if (split_service(arg, service, sizeof service, &proto) < 0)
        return failed(arg, EAI_SERVICE, 0);
    code = lk_service_port(service, proto, &port);
    err = errno;
    if (code != 0)
        return failed(arg, code, err);
    printf("%s has port %d\n", arg, port);
    return 0;
}

int main(int argc, char **argv)
{
    int family = AF_UNSPEC, mode = 0, status = 0, c;

    while ((c = getopt(argc, argv, "46rs")) != -1) {
        if ((c == '4' || c == '6') && family == AF_UNSPEC)
            family = c == '4' ? AF_INET : AF_INET6;
        else if ((c == 'r' || c == 's') && mode == 0)
            mode = c;
        else
            return usage();   /* unknown, twice, or -4 with -6, -r with -s */
    }
    if (optind == argc || (mode != 0 && family != AF_UNSPEC))
        return usage();
    for (int i = optind; i < argc; i++) {
        if (mode == 'r')
            status |= show_reverse(argv[i]);
        else if (mode == 's')
            status |= show_service(argv[i]);
        else
            status |= show_host(argv[i], family);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, NAME ": write stdout: %s\n", strerror(errno));
        return 1;
    }
    return status;
}
