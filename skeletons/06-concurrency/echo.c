/* echo.c - lesson 06: the echo handlers the servers run, given whole.
 * Each is written once, with no idea of where it runs: in the server's
 * own thread, in a child, in a thread of its own or of a pool. */
#include "server.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#define ECHO_BUF (16 * 1024)

/* setup(): the request's own buffer (a thread must never share one). */
static int echo_setup(ss_request_t *req)
{
    req->user = malloc(ECHO_BUF);
    return req->user == NULL ? -1 : 0;
}

/* handle(): every byte back until the client half-closes (recv() says 0). */
static int echo_handle(ss_request_t *req)
{
    for (;;) {
        ssize_t n = recv(req->fd, req->user, ECHO_BUF, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (int)n;
        if (ss_send(req, req->user, (size_t)n) < 0)
            return -1;
    }
}

/* finish(): gives back what setup() took, whatever handle() said. */
static void echo_finish(ss_request_t *req)
{
    free(req->user);
    req->user = NULL;
}

/* A datagram's handle(): its bytes back to its sender. */
static int echo_datagram(ss_request_t *req)
{
    return ss_send(req, req->data, req->len);
}

const ss_handler_t echo_stream_handler = {echo_setup, echo_handle, echo_finish};
const ss_handler_t echo_datagram_handler = {NULL, echo_datagram, NULL};
