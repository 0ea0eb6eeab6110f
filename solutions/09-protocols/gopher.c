/* gopher.c - lesson 09, Task 6, reference solution: a Gopher request and
 * the lines of a menu (RFC 1436 §2, §3). */
#include "protocols.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int gopher_format_request(const char *selector, char *buf, size_t size)
{
    size_t n;

    if (selector == NULL || buf == NULL)
        return errno = EINVAL, -1;
    n = strlen(selector);
    if (n > GOPHER_SELECTOR_MAX || strpbrk(selector, "\t\r\n") != NULL)
        return errno = EINVAL, -1;
    if (n + 3 > size)
        return errno = ENOSPC, -1;
    memcpy(buf, selector, n);
    memcpy(buf + n, "\r\n", 3);
    return (int)n + 2;
}

/* Cuts s at its next TAB: the field starts at *s, and *s moves past the
 * TAB. NULL when there is no TAB. */
static char *gopher_field(char **s)
{
    char *start = *s, *tab = strchr(start, '\t');

    if (tab == NULL)
        return NULL;
    *tab = '\0';
    *s = tab + 1;
    return start;
}

/* A port in digits alone, 0 to 65535; -1 if it is not one. */
static int gopher_port(const char *s)
{
    size_t n = strspn(s, "0123456789");
    long port = 0;

    if (n == 0 || n > 5 || s[n] != '\0')
        return -1;
    for (size_t i = 0; i < n; i++)
        port = port * 10 + (s[i] - '0');
    return port <= 65535 ? (int)port : -1;
}

int gopher_parse_item(char *line, gopher_item_t *it)
{
    size_t len;
    char *rest, *port;

    if (line == NULL || it == NULL)
        return errno = EINVAL, -1;
    len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (strcmp(line, ".") == 0)
        return 1;
    if (len == 0 || line[0] == '\t')
        return errno = EINVAL, -1;
    it->type = line[0];
    rest = line + 1;
    it->display = gopher_field(&rest);
    it->selector = it->display ? gopher_field(&rest) : NULL;
    it->host = it->selector ? gopher_field(&rest) : NULL;
    if (it->host == NULL || it->host[0] == '\0')
        return errno = EINVAL, -1;
    port = rest;
    rest[strcspn(rest, "\t")] = '\0';   /* Gopher+ fields after it: ignored */
    it->port = gopher_port(port);
    if (it->port < 0)
        return errno = EINVAL, -1;
    return 0;
}
