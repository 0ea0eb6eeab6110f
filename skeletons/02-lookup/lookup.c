/* lookup.c - lesson 02: what a name, an address or a service stands for.
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
 * same; the exit status is then 1. Bad usage: exit status 2.
 *
 * Your work: the three functions that start with TODO() (the command line
 * is done for you). Replace each TODO() with your code; the comment above
 * it says what to do. The program is described in the README ("Task 7");
 * lookup.h has the functions to use. */
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "lookup"

static int usage(void)
{
    fprintf(stderr, "usage: " NAME " [-4|-6] NAME...\n"
                    "       " NAME " -r ADDRESS...\n"
                    "       " NAME " -s SERVICE[/PROTO]...\n");
    return 2;
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
    /* lk_host_info(name, family, &h), and save errno at once. On failure:
     * one line on stderr, NAME ": " name ": " lk_strerror(code, err), and
     * return 1. Else: if h.alias is not "", "ALIAS is an alias for
     * CANONICAL"; then for each of the h.count addresses, "CANONICAL has
     * address A" (AF_INET) or "CANONICAL has IPv6 address A" (AF_INET6),
     * the address as lk_addr_text() writes it. Return 0. */
    (void)name;
    (void)family;
    TODO();
}

/* Prints the name of address addr; 0, or 1 once said why not. */
static int show_reverse(const char *addr)
{
    /* lk_reverse(): "ADDR has name NAME", or the error line as above. */
    (void)addr;
    TODO();
}

/* Prints the port of "SERVICE[/PROTO]"; 0, or 1 once said why not. */
static int show_service(const char *arg)
{
    /* split_service() into a buffer of LK_NAMELEN bytes, then
     * lk_service_port(service, proto, &port): "ARG has port N" (ARG as
     * given, "http/tcp"), or the error line with ARG. */
    (void)arg;
    (void)split_service;
    TODO();
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
