/* explore.c - lesson 01: what the C library makes of addresses as text.
 *
 *   make build LESSON=01 && build/skeletons/bin/explore
 *   build/skeletons/bin/explore 10.1 '::2:3' '1.2.3.4 x'   (your own texts)
 *
 * For each text it prints what inet_aton(3) and inet_pton(3) make of it,
 * and what inet_ntoa(3), inet_ntop(3) and getnameinfo(3) with
 * NI_NUMERICHOST write back from those bytes; then a few facts about the
 * structures and the calls. It uses the C library only, none of your
 * functions: run it before Task 2, and explain each line (the questions
 * are in the lesson's README, "Explore first"). Give texts of your own on
 * the command line (or copy this file and add them to the table). */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *const texts[] = {
    "192.0.2.1", "127.1", "1", "2130706433", "0x7f.1", "010.0.0.1",
    "01.2.3.4", "1.2.3.4 junk", "1.2.3.4junk", "256.1.1.1",
    "255.255.255.255", "::1", "2001:DB8:0:0:0:0:0:1", "::ffff:192.0.2.1",
    "::2:3", "fe80::1%lo", "localhost", "",
};

/* A text between quotes, so that spaces and "" show. */
static void print_text(const char *text)
{
    int n = printf("\"%s\"", text);

    printf("%*s", n < 24 ? 24 - n : 1, "");
}

/* What getnameinfo(NI_NUMERICHOST) writes for an address, or why not. */
static const char *numeric_host(const struct sockaddr *sa, socklen_t len,
                                char *host, size_t size)
{
    int rc = getnameinfo(sa, len, host, (socklen_t)size, NULL, 0, NI_NUMERICHOST);

    return rc == 0 ? host : gai_strerror(rc);
}

/* One line: the text, then what each call made of it, written back as
 * text (inet_ntoa() for IPv4, inet_ntop() for IPv6), or 0 if the call
 * returned 0; getnameinfo() writes the address inet_pton() made, if any. */
static void explore(const char *text)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    char v6[INET6_ADDRSTRLEN], host[NI_MAXHOST];
    const char *name = "-";

    print_text(text);
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (inet_aton(text, &sin.sin_addr))
        printf("%-18s", inet_ntoa(sin.sin_addr));
    else
        printf("%-18s", "0");

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
        printf("%-18s", inet_ntoa(sin.sin_addr));
        name = numeric_host((struct sockaddr *)&sin, sizeof sin, host, sizeof host);
    } else {
        printf("%-18s", "0");
    }

    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, text, &sin6.sin6_addr) == 1) {
        inet_ntop(AF_INET6, &sin6.sin6_addr, v6, sizeof v6);
        printf("%-20s", v6);
        name = numeric_host((struct sockaddr *)&sin6, sizeof sin6, host, sizeof host);
    } else {
        printf("%-20s", "0");
    }
    printf("%s\n", name);
}

/* getnameinfo() writes the scope id after a '%', as a name if it can. */
static void explore_scopes(void)
{
    const unsigned scopes[] = {if_nametoindex("lo"), 4000000000u};
    struct sockaddr_in6 sin6;
    char host[NI_MAXHOST];

    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        sin6.sin6_scope_id = scopes[i];
        printf("getnameinfo(fe80::1, sin6_scope_id %u): %s\n", scopes[i],
               numeric_host((struct sockaddr *)&sin6, sizeof sin6, host, sizeof host));
    }
}

static void explore_facts(void)
{
    struct in_addr a, b;
    unsigned char bytes[2];
    uint16_t port = 8080, net = htons(8080);
    int rc;

    inet_pton(AF_INET, "192.0.2.1", &a);
    inet_pton(AF_INET, "198.51.100.7", &b);
    printf("inet_ntoa(192.0.2.1), inet_ntoa(198.51.100.7) in one printf: %s %s\n",
           inet_ntoa(a), inet_ntoa(b));
    printf("inet_addr(\"255.255.255.255\") == INADDR_NONE: %d\n",
           inet_addr("255.255.255.255") == INADDR_NONE);
    errno = 0;
    rc = inet_pton(AF_UNIX, "192.0.2.1", &a);
    printf("inet_pton(AF_UNIX, \"192.0.2.1\") = %d, errno %s\n", rc,
           errno == EAFNOSUPPORT ? "EAFNOSUPPORT" : strerror(errno));
    printf("INET_ADDRSTRLEN %d, INET6_ADDRSTRLEN %d, IF_NAMESIZE %d\n",
           INET_ADDRSTRLEN, INET6_ADDRSTRLEN, IF_NAMESIZE);
    printf("sizeof: sockaddr %zu, sockaddr_in %zu, sockaddr_in6 %zu, "
           "sockaddr_un %zu, sockaddr_storage %zu\n",
           sizeof(struct sockaddr), sizeof(struct sockaddr_in),
           sizeof(struct sockaddr_in6), sizeof(struct sockaddr_un),
           sizeof(struct sockaddr_storage));
    memcpy(bytes, &port, sizeof bytes);
    printf("8080 in memory: %02x %02x; ", bytes[0], bytes[1]);
    memcpy(bytes, &net, sizeof bytes);
    printf("htons(8080) in memory: %02x %02x\n", bytes[0], bytes[1]);
}

int main(int argc, char **argv)
{
    int first = 1;

    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: explore [TEXT...]\n"
               "  what inet_aton(), inet_pton(), inet_ntoa(), inet_ntop() and\n"
               "  getnameinfo() make of each TEXT (default: a table of examples)\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    printf("%-24s%-18s%-18s%-20s%s\n", "text", "inet_aton", "inet_pton(INET)",
           "inet_pton(INET6)", "getnameinfo");
    if (argc > first) {
        for (int i = first; i < argc; i++)
            explore(argv[i]);
    } else {
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            explore(texts[i]);
    }
    printf("\n");
    explore_scopes();
    explore_facts();
    return 0;
}
