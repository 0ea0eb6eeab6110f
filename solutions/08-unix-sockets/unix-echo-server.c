/* unix-echo-server.c - lesson 08: an echo server on a Unix-domain socket,
 * whose listener hands each client to a worker process.
 *
 *   unix-echo-server -u NAME [-t stream|seqpacket] [-U UID]
 *
 * Listens on NAME (a path, or @NAME for an abstract name), prints
 * "listening on unix:NAME", then serves one client at a time: every byte
 * it receives goes back, in order (with -t seqpacket, every record goes
 * back as one record). Only clients of uid UID (default: the server's
 * own) are served; the others are closed at once. When a client
 * half-closes (or, on seqpacket, closes), all it sent has been sent
 * back, and its connection is closed. A client that resets, sends a
 * record too long, or stops taking the echo is dropped. SIGTERM or
 * SIGINT: exit 0, the socket file removed.
 *
 * The listener and the worker are two processes (server.c): the listener
 * accepts, checks the uid and passes each client's socket to the worker
 * over a socketpair. This file is the worker. */
#include "server.h"
#include "unix.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define NAME "unix-echo-server"
#define RECORD_MAX 65536        /* the longest record echoed */
#define SEND_TIMEOUT_MS 1000    /* a send() that waits this long for room fails */

/* Serves one client: echoes what fd sends until it half-closes (on
 * seqpacket: until it closes), record by record on seqpacket. */
static void serve(int fd, int type)
{
    static char buf[RECORD_MAX];
    struct timeval tv = {SEND_TIMEOUT_MS / 1000, (SEND_TIMEOUT_MS % 1000) * 1000};

    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0) {
        fprintf(stderr, NAME ": send timeout: %s\n", strerror(errno));
        return;
    }
    while (srv_wait_readable(fd) == 0) {
        ssize_t n = type == SOCK_SEQPACKET ? ux_recv_record(fd, buf, sizeof buf, NULL, 0)
                                           : recv(fd, buf, sizeof buf, 0);

        if (n == 0)
            return;   /* the end of the stream (or an empty record) */
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, NAME ": receive from a client: %s\n",
                    errno == EMSGSIZE ? "a record longer than 65536 bytes" : strerror(errno));
            return;
        }
        if (srv_send_all(fd, buf, (size_t)n) < 0) {
            fprintf(stderr, NAME ": send to a client: %s\n",
                    errno == EAGAIN ? "it stopped taking the echo" : strerror(errno));
            return;
        }
    }
}

/* The worker: each message on chan is a client to serve; the descriptor
 * that came with it is ours, to close once served. */
static int worker(int chan, int type)
{
    while (srv_wait_readable(chan) == 0) {
        char byte;
        int fd;
        size_t nfds;
        ssize_t n = ux_recv_fds(chan, &byte, 1, &fd, 1, &nfds);

        if (n == 0)
            return 0;   /* the listener closed the channel */
        if (n < 0) {
            fprintf(stderr, NAME ": receive a client from the listener: %s\n", strerror(errno));
            return 1;
        }
        if (nfds == 1) {
            serve(fd, type);
            close(fd);
        }
    }
    return 0;   /* asked to stop */
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, worker);
}
