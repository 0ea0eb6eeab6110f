/* gopher.c - lesson 09, Task 6: a Gopher request and the lines of a menu
 * (RFC 1436 §2, §3).
 *
 * Your work: each function below starts with TODO(); protocols.h says
 * exactly what it must do. You may add static helpers. */
#include "protocols.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "todo.h"

int gopher_format_request(const char *selector, char *buf, size_t size)
{
    /* strpbrk(selector, "\t\r\n") finds what a selector may not hold; then
     * the selector and "\r\n", with a NUL, if they fit in size. */
    (void)selector;
    (void)buf;
    (void)size;
    TODO();
}

int gopher_parse_item(char *line, gopher_item_t *it)
{
    /* A CR at the end off; "." alone: 1. Else the type is line[0], and
     * the rest is cut at its TABs (strchr(), then a NUL in place of each):
     * display, selector, host, port; anything after a fourth TAB is
     * ignored. The port: digits alone, 0 to 65535. */
    (void)line;
    (void)it;
    TODO();
}
