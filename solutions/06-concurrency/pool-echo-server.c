/* pool-echo-server.c - lesson 06: an echo server with a fixed pool of
 * threads fed by a bounded queue (the framework in SS_POOL).
 *
 *   pool-echo-server [-b ADDR] [-p PORT] [-d ADDR] [-t THREADS] [-q QUEUE]
 *
 * THREADS clients (default 4) are served at once; QUEUE more (default 16)
 * wait, accepted, for a thread; past that the server accepts nothing until
 * a slot frees, and the next clients wait in the kernel's listen backlog.
 * SIGTERM or SIGINT: no more clients, the running and waiting ones get a
 * second to end, exit 0. */
#include "server.h"

int main(int argc, char **argv)
{
    static const srv_program_t prog = {"pool-echo-server", SOCK_STREAM, SS_POOL, 0, 1,
                                       &echo_stream_handler};

    return srv_main(&prog, argc, argv);
}
