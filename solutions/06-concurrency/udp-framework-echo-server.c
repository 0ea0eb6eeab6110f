/* udp-framework-echo-server.c - lesson 06: a UDP echo server on the
 * framework, each datagram a request (socketserver's UDPServer with a
 * DatagramRequestHandler), serially, in a child or in a thread per
 * datagram as -m says.
 *
 *   udp-framework-echo-server [-b ADDR] [-p PORT] [-d ADDR] [-m serial|fork|thread]
 *
 * Each datagram goes back to its sender unchanged. SIGTERM or SIGINT:
 * exit 0. */
#include "server.h"

int main(int argc, char **argv)
{
    static const srv_program_t prog = {"udp-framework-echo-server", SOCK_DGRAM, SS_SERIAL, 1, 0,
                                       &echo_datagram_handler};

    return srv_main(&prog, argc, argv);
}
