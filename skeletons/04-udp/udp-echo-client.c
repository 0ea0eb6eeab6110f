/* udp-echo-client.c - lesson 04: sends each line of
 * its input to a UDP echo server as a datagram, and prints the reply.
 *
 *   udp-echo-client HOST PORT [-t MS] [-r RETRIES]
 *
 * Each line of stdin (its '\n' included) goes in one datagram, after a
 * request id: "1 first line\n", "2 second line\n", ... The client waits MS
 * milliseconds (default 500) for the reply with that id, and sends the same
 * datagram again when none came, waiting twice as long each time, at most
 * RETRIES times (default 3). It prints the reply's payload, so that with an
 * echo server stdout is stdin, byte for byte. Replies with another id (late,
 * doubled) are dropped. When a line gets no reply, the client says so on
 * stderr and exits with status 1.
 *
 * Your work: the function that starts with TODO() (the command line is
 * done for you). Replace the TODO() with your code; the comment above it
 * says what to do. The program contract is in the README (section "The
 * programs"); udp.h has the functions to use. */
#include "udp.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "udp-echo-client"
#define DEFAULT_MS 500
#define DEFAULT_RETRIES 3
#define MAX_RETRIES 50

/* ---- the command line ---------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: " NAME " HOST PORT [-t MS] [-r RETRIES]\n"
                    "  -t MS       wait MS ms for the first reply, 1 to %d (default %d)\n"
                    "  -r RETRIES  send again up to RETRIES times, 0 to %d (default %d)\n",
            UDP_WAIT_MAX_MS, DEFAULT_MS, MAX_RETRIES, DEFAULT_RETRIES);
}

/* s as a number from min to max, in decimal digits alone; -1 if it is not. */
static long number(const char *s, long min, long max)
{
    size_t n = strspn(s, "0123456789");
    long v;

    if (n == 0 || n > 6 || s[n] != '\0')
        return -1;
    v = atol(s);
    return v >= min && v <= max ? v : -1;
}

/* Reads the arguments, HOST and PORT and the options in any order (the
 * getopt() of POSIX stops at the first argument that is not an option, so
 * the loop is ours): 0, or -1 (said why). */
static int parse_args(int argc, char **argv, const char **host, const char **port, int *ms,
                      int *retries)
{
    const char *given[2];
    int n = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long v;

        if (strcmp(a, "-t") != 0 && strcmp(a, "-r") != 0) {
            if (a[0] == '-' || n == 2) {
                fprintf(stderr, NAME ": %s '%s'\n",
                        a[0] == '-' ? "unknown option" : "unexpected argument", a);
                return -1;
            }
            given[n++] = a;
            continue;
        }
        if (i + 1 == argc) {
            fprintf(stderr, NAME ": missing value after %s\n", a);
            return -1;
        }
        v = a[1] == 't' ? number(argv[++i], 1, UDP_WAIT_MAX_MS)
                        : number(argv[++i], 0, MAX_RETRIES);
        if (v < 0) {
            fprintf(stderr, NAME ": bad value '%s' for %s\n", argv[i], a);
            return -1;
        }
        *(a[1] == 't' ? ms : retries) = (int)v;
    }
    if (n != 2) {
        fprintf(stderr, NAME ": expected HOST and PORT\n");
        return -1;
    }
    *host = given[0];
    *port = given[1];
    if (number(*port, 1, 65535) < 0) {
        fprintf(stderr, NAME ": bad port '%s': give a number from 1 to 65535\n", *port);
        return -1;
    }
    return 0;
}

/* ---- the exchange ---------------------------------------------------------- */

/* Sends each line of in on fd as a request of its own and prints the
 * reply: 0, or -1 once a line got none (said why). */
static int talk(int fd, FILE *in, int ms, int retries)
{
    /* For each line of in (getline(), its '\n' included; free the line at
     * the end):
     *  - udp_request(fd, id, line, n, reply, sizeof reply, ms, retries),
     *    with an id of its own for each line (a counter from 1), into a
     *    static buffer of UDP_BUFFER_SIZE bytes;
     *  - on success fwrite() the reply (not printf("%s"): it may hold NUL
     *    bytes) and fflush(stdout), so that each reply shows at once;
     *  - on failure say which line and why on stderr, in one line, and
     *    return -1 without reading on:
     *      NAME ": line 3: no reply after 4 tries: Connection timed out"
     *    (ETIMEDOUT; the tries are 1 + retries), or
     *      NAME ": line 3: 70001 bytes do not fit in one datagram: Message too long"
     *    (EMSGSIZE; the line's length), or
     *      NAME ": line 3: Connection refused"
     *    (strerror(errno) for any other error).
     * At the end of in return 0 (ferror(in): say so, -1). */
    (void)fd;
    (void)in;
    (void)ms;
    (void)retries;
    TODO();
}

int main(int argc, char **argv)
{
    const char *host = NULL, *port = NULL;
    int ms = DEFAULT_MS, retries = DEFAULT_RETRIES, fd, rc;

    if (parse_args(argc, argv, &host, &port, &ms, &retries) < 0) {
        usage();
        return 2;
    }
    fd = udp_connect(host, port);
    if (fd < 0) {
        fprintf(stderr, NAME ": %s port %s: %s\n", host, port, strerror(errno));
        return 1;
    }
    rc = talk(fd, stdin, ms, retries);
    close(fd);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, NAME ": write stdout: %s\n", strerror(errno));
        rc = -1;
    }
    return rc == 0 ? 0 : 1;
}
