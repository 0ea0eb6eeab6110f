/* echo-client.c - lesson 03, reference solution: sends each line of its
 * input to an echo server and prints what comes back.
 *
 *   echo-client HOST PORT
 *
 * For each line of stdin: send it, then print the line the server sends
 * back. At the end of stdin, half-close the connection (shutdown SHUT_WR),
 * so the server knows that nothing more comes, and print whatever it still
 * sends until it closes: the echo of a last line without a newline comes
 * then. Any failure: one line on stderr, exit 1. */
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Prints lines from r until one ends in '\n' (once: 0) or the stream
 * ends (until_eof: 0; else -1 with errno 0, the server closed early).
 * A line longer than buf comes in pieces (EMSGSIZE): print each. */
static int print_lines(tcp_reader_t *r, int until_eof)
{
    char buf[TCP_READER_SIZE];

    for (;;) {
        ssize_t n = tcp_read_line(r, buf, sizeof buf);

        if (n < 0 && errno == EMSGSIZE)
            n = (ssize_t)sizeof buf - 1;
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = 0;
            return until_eof ? 0 : -1;
        }
        fwrite(buf, 1, (size_t)n, stdout);
        if (!until_eof && buf[n - 1] == '\n')
            return 0;
    }
}

/* Says that receiving failed: errno 0 means the server closed. */
static int receive_failed(void)
{
    if (errno == 0) {
        fprintf(stderr, NAME ": receive: the server closed the connection before the echo\n");
        return -1;
    }
    return fail("receive");
}

/* Sends each line of in on fd and prints its echo; at the end of in,
 * half-closes and prints the rest. 0, or -1 (said why). */
static int talk(int fd, FILE *in)
{
    tcp_reader_t r;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;

    tcp_reader_init(&r, fd);
    while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
        if (tcp_send_all(fd, line, (size_t)n) < 0)
            rc = fail("send");
        else if (line[n - 1] != '\n')
            break;   /* the last line, unfinished: its echo comes at the end */
        else if (print_lines(&r, 0) < 0)
            rc = receive_failed();
    }
    if (rc == 0 && ferror(in))
        rc = fail("read stdin");
    free(line);
    if (rc == 0 && shutdown(fd, SHUT_WR) < 0)
        rc = fail("shutdown");
    if (rc == 0 && print_lines(&r, 1) < 0)
        rc = fail("receive");
    return rc;
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
