/**
 * @file bench_srv.h
 * @brief What the reference servers of `make bench` share: the command
 * line and the listening socket of the program contract (DESIGN.md §3).
 *
 *     NAME [-b ADDR] [-p PORT]
 *
 * listens on ADDR (127.0.0.1) and PORT (0: a free one), prints
 * `listening on ADDR:PORT` and serves until SIGTERM or SIGINT, then exits
 * 0. The servers (the plain epoll loop, and those on libuv and libevent)
 * differ only in their loop.
 */
#ifndef BENCH_SRV_H
#define BENCH_SRV_H

/**
 * @brief Reads `[-b ADDR] [-p PORT]` and opens a non-blocking listening
 * TCP socket there (SO_REUSEADDR, backlog SOMAXCONN).
 * @param name the program's name, for the usage line.
 * @param argc main()'s argc.
 * @param argv main()'s argv.
 * @return the socket; on bad usage exits 2, on an error says it on stderr
 *         ("NAME: what: reason") and exits 1.
 */
int bsrv_listen(const char *name, int argc, char **argv);

/**
 * @brief Prints `listening on ADDR:PORT` for socket fd, and flushes it.
 * @param name the program's name, for an error.
 * @param fd the listening socket.
 * @return 0, or -1 when its address cannot be read (said on stderr).
 */
int bsrv_announce(const char *name, int fd);

/**
 * @brief Raises the soft descriptor limit to the hard one, so that a
 * server holds as many clients as the machine lets it.
 */
void bsrv_raise_nofile(void);

#endif
