/* net.h - lesson 09: what http-get and gopher-get share, given whole (it
 * is not a task): a TCP connection to a host and port with a time limit,
 * and a send that sends everything. Lesson 03 has you write both; here
 * they are done. */
#ifndef NET_H
#define NET_H

#include <stddef.h>

/* How long a connect may take, and then each read or write on the
 * connection (SO_RCVTIMEO, SO_SNDTIMEO): a server that stops talking
 * makes read() fail with EAGAIN after this long, not hang for ever. */
#define NET_CONNECT_MS 5000
#define NET_IO_MS 15000

/* Connects to host (a name, an IPv4 or an IPv6 address) and port, trying
 * each address getaddrinfo() gives in turn, each for at most
 * NET_CONNECT_MS. Returns the socket (blocking, close-on-exec, with the
 * I/O timeouts set), or -1 with a sentence in why ("lookup no.such:
 * Name or service not known", "connect to 127.0.0.1 port 8080:
 * Connection refused"). */
int net_connect(const char *host, int port, char *why, size_t whysz);

/* Sends all len bytes of buf (MSG_NOSIGNAL, again after EINTR and short
 * counts). 0, or -1 with errno. */
int net_send_all(int fd, const void *buf, size_t len);

#endif
