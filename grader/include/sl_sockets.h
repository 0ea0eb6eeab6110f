/**
 * @file sl_sockets.h
 * @brief Sockets, descriptors and child processes the tests make with
 *        plain system calls (never with the student's functions, so that
 *        each task is graded on its own): numeric addresses, a send that
 *        must go through, a reset, a small buffer, a peer in a child
 *        process, a process that interrupts the test with SIGALRM.
 *
 * For library tests and program tests alike; the code is in
 * grader/harness/sockets.c. Setup that fails ends the test ("test setup:
 * fork: ...").
 *
 * @code
 * struct sockaddr_storage ss;
 * socklen_t len = sl_addr(&ss, "::1", 8080);
 * int before = sl_fd_count(0);
 * SL_RETURNS(tcp_connect("::1", "8080"), -1);
 * SL_NO_FD_LEAK(before, "tcp_connect() to a closed port");
 * @endcode
 */
#ifndef SL_SOCKETS_H
#define SL_SOCKETS_H

#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "sl_util.h"

/**
 * @brief Fills @p ss with a numeric address and a port; ends the test if
 *        @p host is not a numeric IPv4 or IPv6 address (bad test data).
 * @param ss where.
 * @param host "127.0.0.1", "::1".
 * @param port the port.
 * @return the length of the address.
 */
socklen_t sl_addr(struct sockaddr_storage *ss, const char *host, int port);

/**
 * @brief The family of a numeric address.
 * @param host the address.
 * @return AF_INET6 if it holds a ':', else AF_INET.
 */
int sl_family(const char *host);

/**
 * @brief The family of a numeric address in words, for messages.
 * @param host the address.
 * @return "IPv6" or "IPv4".
 */
const char *sl_family_name(const char *host);

/**
 * @brief The port of an IPv4 or IPv6 address.
 * @param ss the address.
 * @return the port, or -1 for another family.
 */
int sl_port_in(const struct sockaddr_storage *ss);

/**
 * @brief The port socket @p fd is bound to (getsockname()).
 * @param fd the socket.
 * @return the port, or -1.
 */
int sl_port_of(int fd);

/**
 * @brief A port on numeric @p host where no socket of @p type is now, and
 *        that no socket bound to port 0 takes meanwhile: one below the
 *        kernel's range of ephemeral ports (ip_local_port_range), found
 *        free by a bind. (A port of that range, freed, may go at once to a
 *        socket that a test running alongside binds to port 0, which would
 *        then answer what was meant to be refused.) Where the range starts
 *        too low, a port bound and closed. Ends the test if nothing binds.
 * @param host the address.
 * @param type SOCK_STREAM or SOCK_DGRAM.
 * @return the port.
 */
int sl_closed_port(const char *host, int type);

/**
 * @brief Sends all of @p buf on socket @p fd (MSG_NOSIGNAL, again after
 *        EINTR), for a child of the test, where no check may end a test.
 * @param fd the socket.
 * @param buf the bytes.
 * @param len how many.
 * @return 0, or -1 with errno if a send() failed (or sent nothing).
 */
int sl_send_all(int fd, const void *buf, size_t len);

/**
 * @brief sl_send_all() in the test itself: ends the test if a send()
 *        fails.
 * @param fd the socket.
 * @param buf the bytes.
 * @param len how many.
 */
void sl_sock_send(int fd, const void *buf, size_t len);

/**
 * @brief Reads from @p fd (a stream socket or a pipe: the test's own
 *        read() calls) into @p buf until @p len bytes came, the stream
 *        ended, or @p ms (scaled) passed.
 * @param fd the descriptor.
 * @param buf where.
 * @param len how many bytes at most.
 * @param ms how long at most.
 * @return how many bytes came.
 */
size_t sl_read_within(int fd, void *buf, size_t len, int ms);

/**
 * @brief Closes TCP socket @p fd with a reset (SO_LINGER 0): the peer's
 *        next call fails with ECONNRESET.
 * @param fd the socket.
 */
void sl_sock_reset(int fd);

/**
 * @brief Sets a buffer size of socket @p fd; ends the test if it cannot.
 * @param fd the socket.
 * @param option SO_SNDBUF or SO_RCVBUF.
 * @param bytes the size asked for (the kernel doubles it).
 */
void sl_sock_buffer(int fd, int option, int bytes);

/**
 * @brief Is there something to read on @p fd now (poll(), no wait)?
 * @param fd the descriptor.
 * @return 1 yes, 0 no.
 */
int sl_readable(int fd);

/**
 * @brief Accepts a connection on listening socket @p lfd within @p ms
 *        (scaled).
 * @param lfd the listening socket.
 * @param ms how long to wait.
 * @return the connected socket, or -1 if none came or accept() failed.
 */
int sl_accept_within(int lfd, int ms);

/**
 * @brief Is descriptor @p fd open?
 * @param fd the descriptor.
 * @return 1 yes, 0 no.
 */
int sl_fd_is_open(int fd);

/**
 * @brief fork(), with what stdio holds written first (else the child
 *        writes it again); ends the test if fork() fails ("test setup:
 *        fork: ...").
 * @return the child's pid in the parent, 0 in the child.
 */
pid_t sl_fork(void);

/**
 * @brief Runs fn(fd, arg) in a child process (no interval timer of the
 *        test's running there), which then exits with status 0; ends the
 *        test if fork() fails.
 * @param fn what the child does.
 * @param fd its first argument (a socket the child keeps).
 * @param arg its second.
 * @return the child's pid; reap it with waitpid().
 */
pid_t sl_child(void (*fn)(int fd, long arg), int fd, long arg);

/**
 * @brief Waits for child @p pid, killing it if it is still there after
 *        @p ms (scaled).
 * @param pid the child.
 * @param ms how long it may take.
 * @return its exit status, or -1 if it was killed (by a signal, or at the
 *         deadline) or is no child.
 */
int sl_reap(pid_t pid, int ms);

/**
 * @brief A child process that sends this one SIGALRM every @p every_ms for
 *        @p for_ms, so that the test's system calls are interrupted
 *        (EINTR) while a student's function runs; ends the test if fork()
 *        fails.
 * @param every_ms how often.
 * @param for_ms for how long, after which it exits.
 * @return its pid; reap it with waitpid().
 */
pid_t sl_ticker(int every_ms, int for_ms);

/**
 * @brief Waits until the kernel stamps the datagrams of UDP socket @p fd
 *        (SO_TIMESTAMPNS on) when they come. Linux turns its clock of
 *        arrival on for the whole system a moment after the first socket
 *        asks for it (in a deferred work, which a busy machine runs late),
 *        and a datagram that came before then is stamped when it is read:
 *        later than it came, which would make the gap to the next one look
 *        short. So @p fd sends itself a datagram until one comes back
 *        stamped at least 3 ms before it is read (at most 40 tries of
 *        5 ms), then takes every probe off its queue.
 * @param fd the bound UDP socket.
 */
void sl_wait_stamps(int fd);

/** @brief How many SIGALRM came since sl_timer_start() (its handler counts them). */
extern volatile sig_atomic_t sl_ticks;

/**
 * @brief SIGALRM every @p interval_us microseconds, first after
 *        @p first_us (0 and 0: no timer, the handler only), caught by a
 *        handler installed without SA_RESTART: a blocking call it
 *        interrupts fails with EINTR (nothing moved yet) or returns a
 *        short count. sl_ticks starts again from 0.
 * @param first_us the first, in microseconds.
 * @param interval_us then every, in microseconds (0: once).
 */
void sl_timer_start(long first_us, long interval_us);

/**
 * @brief sl_timer_start() with a handler of the test's own (which counts
 *        in sl_ticks too, if sl_timer_stop() is to say how many came).
 * @param on the handler of SIGALRM.
 * @param first_us the first, in microseconds.
 * @param interval_us then every, in microseconds (0: once).
 */
void sl_timer_start_on(void (*on)(int), long first_us, long interval_us);

/**
 * @brief Stops the timer of sl_timer_start(); SIGALRM is ignored after.
 * @return how many times it fired (sl_ticks).
 */
int sl_timer_stop(void);

/**
 * @brief Fails if the number of this process's open descriptors
 *        (sl_fd_count()) is not @p before: @p what (words for the call)
 *        left one open.
 */
#define SL_NO_FD_LEAK(before, what)                                           \
    do {                                                                      \
        int sl_now_ = sl_fd_count(0);                                         \
        if (sl_now_ != (before))                                              \
            SL_FAIL("%s left %d descriptor%s open (count them: every socket " \
                    "a failed attempt made must be closed)",                  \
                    (what), sl_now_ - (before), sl_now_ - (before) == 1 ? "" : "s"); \
    } while (0)

#endif
