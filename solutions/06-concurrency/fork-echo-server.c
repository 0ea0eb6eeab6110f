/* fork-echo-server.c - lesson 06: an echo server that serves each client
 * in a child process of its own (the framework in SS_FORK).
 *
 *   fork-echo-server [-b ADDR] [-p PORT] [-d ADDR]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, the connection closes. The children are reaped as they
 * end: no zombie stays. SIGTERM or SIGINT: no more clients, the running
 * ones get a second to end, exit 0. */
#include "server.h"

int main(int argc, char **argv)
{
    static const srv_program_t prog = {"fork-echo-server", SOCK_STREAM, SS_FORK, 0, 0,
                                       &echo_stream_handler};

    return srv_main(&prog, argc, argv);
}
