/* reactor-echo-server.c - lesson 07 (Task 6): an echo server in a dozen
 * lines on the protocol layer, as Twisted's Echo is:
 *
 *   class Echo(Protocol):
 *       def dataReceived(self, data): self.transport.write(data)
 *
 *   reactor-echo-server [--backend select|poll|epoll] [-b ADDR] [-p PORT] [-i IDLE_MS]
 *
 * Every byte comes back, in order; the transport buffers what the socket
 * does not take yet and stops reading a client that does not read its
 * echo (back-pressure). A client that half-closes gets the rest of its
 * echo, then the close. SIGTERM or SIGINT: exit 0.
 *
 * Your work: echo_data(). The frame (server.c, given) reads the command
 * line, makes the loop and the server, and runs it. */
#include "server.h"

#include <stddef.h>

#include "todo.h"

/* The protocol: nothing of its own but the head (an idle client costs
 * its transport and this, nothing more). */
typedef struct echo {
    pr_protocol_t base;
} echo_t;

static void echo_data(pr_protocol_t *p, const char *data, size_t len)
{
    /* What came goes back, through p's transport. */
    (void)p;
    (void)data;
    (void)len;
    TODO();
}

static const pr_factory_t echo_factory = {
    .size = sizeof(echo_t),
    .data_received = echo_data,
};

int main(int argc, char **argv)
{
    return srv_main("reactor-echo-server", argc, argv, &echo_factory);
}
