/* echo-client.c - lesson 03: sends each line of its input to an echo
 * server and prints what comes back.
 *
 *   echo-client HOST PORT
 *
 * For each line of stdin: send it, then print the line the server sends
 * back. At the end of stdin, half-close the connection (shutdown SHUT_WR),
 * so the server knows that nothing more comes, and print whatever it still
 * sends until it closes: the echo of a last line without a newline comes
 * then. Any failure: one line on stderr, exit 1.
 *
 * Your work: talk(), which starts with TODO(); the comment in it says
 * what to do. The command line, the connection and the exit status are
 * done for you, in main(). The program contract is in the README (section
 * "The programs"); tcp.h has the functions to use. */
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "echo-client"

/* Says what failed, and why (errno), on stderr; returns -1. */
static int fail(const char *what)
{
    fprintf(stderr, NAME ": %s: %s\n", what, strerror(errno));
    return -1;
}

/* Is s a port number, 1 to 65535, in decimal digits alone? */
static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) >= 1 && atol(s) <= 65535;
}

/* Sends each line of in on fd and prints its echo; at the end of in,
 * half-closes and prints the rest. 0, or -1 (said why). */
static int talk(int fd, FILE *in)
{
    /* For each line of in (getline(); free the line at the end):
     *  - tcp_send_all() it (failure: fail("send"));
     *  - if it ends in '\n', print its echo: tcp_read_line() on a reader of
     *    fd (tcp_reader_init() once, before the loop) until a piece ends in
     *    '\n'. A line longer than your buffer comes in pieces that fail
     *    with EMSGSIZE: print each piece (fwrite(), not printf(): a line may
     *    hold NUL bytes) and go on. 0 means the server closed before the
     *    echo: say so on stderr and return -1;
     *  - if it does not end in '\n', it is the last line: stop reading in.
     * At the end of in: shutdown(fd, SHUT_WR), a half-close that tells the
     * server nothing more comes, then print every line the reader still
     * gives until it returns 0 (the server closed): the echo of a last line
     * without '\n' comes only then. Return 0, or -1 once an error is said. */
    (void)fd;
    (void)in;
    TODO();
}

int main(int argc, char **argv)
{
    int fd, rc;

    if (argc != 3 || !is_port(argv[2])) {
        if (argc == 3)
            fprintf(stderr, NAME ": bad port '%s': give a number from 1 to 65535\n", argv[2]);
        fprintf(stderr, "usage: " NAME " HOST PORT\n");
        return 2;
    }
    fd = tcp_connect(argv[1], argv[2]);
    if (fd < 0) {
        fprintf(stderr, NAME ": connect to %s port %s: %s\n", argv[1], argv[2], strerror(errno));
        return 1;
    }
    rc = talk(fd, stdin);
    close(fd);
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0)
        rc = fail("write stdout");
    return rc == 0 ? 0 : 1;
}
