/* thread-echo-server.c - lesson 06: an echo server that serves each client
 * in a thread of its own (the framework in SS_THREAD).
 *
 *   thread-echo-server [-b ADDR] [-p PORT] [-d ADDR]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, the connection closes. SIGTERM or SIGINT: no more clients,
 * the running ones get a second to end, exit 0 (stderr says how many
 * requests were served). */
#include "server.h"

int main(int argc, char **argv)
{
    static const srv_program_t prog = {"thread-echo-server", SOCK_STREAM, SS_THREAD, 0, 0,
                                       &echo_stream_handler};

    return srv_main(&prog, argc, argv);
}
