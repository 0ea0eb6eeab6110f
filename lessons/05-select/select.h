/**
 * @file select.h
 * @brief Lesson 05: select and poll. Waiting on many sockets at once with
 *        select(2) and poll(2), buffers that keep a client's partial lines
 *        and unsent replies, and the non-blocking reads and writes that let
 *        one process serve many clients.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 05 share. The lesson text (lessons/05-select/README.md) explains
 * the ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0 or the documented count. It never prints and never exits.
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL.
 * - Events are given and reported as bits: #MUX_READ, #MUX_WRITE (and, from
 *   mux_poll_ready() only, #MUX_GONE). The same bits serve both
 *   multiplexers, so a server can change from one to the other.
 * - No function here closes a descriptor: the caller opened it, the caller
 *   closes it, after taking it out of its set.
 */
#ifndef SOCKLAB_SELECT_H
#define SOCKLAB_SELECT_H

#include <poll.h>
#include <stddef.h>
#include <sys/select.h>
#include <sys/types.h>

/** @brief Event bit: the descriptor can be read without blocking (data,
 *         the end of the stream, an error to collect, or a connection to
 *         accept on a listening socket). */
#define MUX_READ 0x1

/** @brief Event bit: the descriptor can be written without blocking (there
 *         is room in its send buffer, or an error to collect). */
#define MUX_WRITE 0x2

/** @brief Event bit of mux_poll_ready() only: the entry's descriptor is not
 *         open (poll(2) said POLLNVAL). It was closed but left in the set:
 *         remove the entry. */
#define MUX_GONE 0x4

/** @brief The servers' limits (the lesson's programs and their tests share
 *         them).
 *
 * - #MUX_LINE_MAX: the longest line chat-server takes, its `\n` included
 *   (64 KiB); a client that sends a longer one is dropped.
 * - #MUX_QUEUE_MAX: the most a server queues for one client that does not
 *   read. An echo server reads a client only while its queue has room,
 *   and then no more than that room (so the queue never passes it), and
 *   stops reading a client whose queue is full (so the client's own sends
 *   stall, and no one else's); chat-server drops a client whose queue
 *   would grow past it.
 * - #MUX_READ_MAX: the most a server reads from one client at a time.
 */
#define MUX_LINE_MAX (64 * 1024)
/** @brief See #MUX_LINE_MAX. */
#define MUX_QUEUE_MAX (256 * 1024)
/** @brief See #MUX_LINE_MAX. */
#define MUX_READ_MAX (16 * 1024)

/* ------------------------------------------------------------------ */
/** @name Task 1: Waiting with select()
 *
 * select(2) takes three sets of descriptors (to read, to write, with an
 * exceptional condition), the highest descriptor plus one, and a timeout;
 * it waits until one descriptor of the sets is ready, then *overwrites*
 * each set with the descriptors that are ready. A `mux_sel_t` keeps what
 * the caller wants to watch apart from what the last wait found: the
 * wanted sets survive every call, and each wait copies them into the sets
 * that select(2) may overwrite (as redis's ae_select.c does).
 *
 * An `fd_set` is an array of FD_SETSIZE bits (1024 on Linux): a
 * descriptor of FD_SETSIZE or more has no bit in it, and FD_SET() on one
 * writes past the end of the set. These functions refuse such a
 * descriptor with ERANGE, and never touch memory outside the structure.
 * @{ */

/** @brief What a select() loop watches and what its last wait found. */
typedef struct mux_sel {
    fd_set want_read;   /**< descriptors to watch for reading */
    fd_set want_write;  /**< descriptors to watch for writing */
    fd_set readable;    /**< of want_read, those the last wait found ready */
    fd_set writable;    /**< of want_write, those the last wait found ready */
    int maxfd;          /**< the highest descriptor in want_read or want_write, -1 if none */
} mux_sel_t;

/**
 * @brief Makes @p s watch nothing: all four sets empty, maxfd -1.
 *
 * Cannot fail; @p s must not be NULL.
 * @param s the structure, in memory the caller owns.
 */
void mux_sel_init(mux_sel_t *s);

/**
 * @brief Watches @p fd for @p events as well as for what it was watched for
 *        before.
 *
 * Adds @p fd to want_read (#MUX_READ) and/or want_write (#MUX_WRITE), and
 * raises maxfd to @p fd if it is higher. Adding what is there already
 * changes nothing. On failure @p s is left exactly as it was.
 *
 * @param s the sets.
 * @param fd an open descriptor, from 0 to FD_SETSIZE - 1.
 * @param events #MUX_READ, #MUX_WRITE or both.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p s is NULL, or @p events is 0 or has other bits.
 *         - EBADF: @p fd is negative.
 *         - ERANGE: @p fd is FD_SETSIZE or more: it has no bit in an
 *           fd_set. (A server closes such a client at once.)
 */
int mux_sel_add(mux_sel_t *s, int fd, int events);

/**
 * @brief Stops watching @p fd for @p events.
 *
 * Takes @p fd out of want_read (#MUX_READ) and/or want_write (#MUX_WRITE),
 * and out of readable and writable as well, so that what is left of this
 * round no longer sees it ready. When @p fd was maxfd and is now in
 * neither wanted set, maxfd drops to the highest descriptor still wanted
 * (-1 if none). Removing what is not there changes nothing. A server calls
 * it with both bits *before* it closes a client: a closed descriptor left
 * in a set makes the next select(2) fail with EBADF.
 *
 * @param s the sets.
 * @param fd a descriptor, from 0 to FD_SETSIZE - 1 (it need not be open).
 * @param events #MUX_READ, #MUX_WRITE or both.
 * @return 0, or -1 with errno set as mux_sel_add() does.
 */
int mux_sel_del(mux_sel_t *s, int fd, int events);

/**
 * @brief Waits until a watched descriptor is ready, or the timeout passes.
 *
 * Copies want_read into readable and want_write into writable, then calls
 * select(2) with them, maxfd + 1 (nfds counts descriptors from 0: it is one
 * more than the highest), no exception set, and a timeout made afresh for
 * this call (Linux writes the time that was left into it: one kept from
 * call to call soon says 0). A signal ends the wait with EINTR: select(2)
 * is never restarted, whatever SA_RESTART says.
 *
 * @param s the sets.
 * @param timeout_ms how long to wait at most, in milliseconds: -1 for as
 *        long as it takes, 0 not at all (just look).
 * @return how many descriptors are ready (a descriptor ready for both
 *         counts twice), 0 if the timeout passed; or -1 with errno set to
 *         EINVAL (@p s is NULL, or @p timeout_ms is less than -1), or what
 *         select(2) failed with: EINTR (a signal came), EBADF (a descriptor
 *         in a set is not open). After -1, readable and writable are empty.
 */
int mux_sel_wait(mux_sel_t *s, int timeout_ms);

/**
 * @brief What the last mux_sel_wait() found @p fd ready for.
 *
 * @param s the sets (NULL: nothing is ready).
 * @param fd any descriptor (one outside 0 to FD_SETSIZE - 1 is never ready).
 * @return #MUX_READ if @p fd is in readable, plus #MUX_WRITE if it is in
 *         writable; 0 if neither.
 */
int mux_sel_ready(const mux_sel_t *s, int fd);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Waiting with poll()
 *
 * poll(2) takes an array of `struct pollfd`, one entry per descriptor with
 * the events wanted, and fills in each entry's `revents`: no limit on the
 * descriptor's value, no set to rebuild, and the array only as long as the
 * descriptors watched. A `mux_poll_t` keeps that array, and beside it one
 * pointer of the caller's per entry (its client, say). When an entry goes,
 * the last one moves into its place, so the array stays packed.
 * @{ */

/** @brief A poll() array and the caller's data for each entry. */
typedef struct mux_poll {
    struct pollfd *fds;  /**< fds[0, count): the array poll(2) takes */
    void **data;         /**< data[i]: the caller's pointer for fds[i] */
    size_t count;        /**< entries in use */
    size_t cap;          /**< room in both arrays */
} mux_poll_t;

/**
 * @brief Makes @p p an empty array (no memory yet).
 *
 * Cannot fail; @p p must not be NULL.
 * @param p the structure, in memory the caller owns.
 */
void mux_poll_init(mux_poll_t *p);

/**
 * @brief Appends an entry for @p fd at index count, growing the arrays
 *        when they are full (double their room, or 16 entries at first).
 *
 * @p events become POLLIN (#MUX_READ) and POLLOUT (#MUX_WRITE) in the
 * entry's `events`; its `revents` start at 0. Events 0 are allowed: the
 * entry still reports a hang-up, an error or a closed descriptor, which
 * poll(2) reports whether asked or not. On failure @p p is unchanged.
 *
 * @param p the array.
 * @param fd an open descriptor, 0 or more (any value: poll has no FD_SETSIZE).
 * @param events #MUX_READ, #MUX_WRITE, both, or 0.
 * @param data the caller's pointer for this entry (may be NULL).
 * @return the new entry's index, or -1 with errno set to:
 *         - EINVAL: @p p is NULL, or @p events has other bits.
 *         - EBADF: @p fd is negative.
 *         - ENOMEM: no memory to grow the arrays.
 */
int mux_poll_add(mux_poll_t *p, int fd, int events, void *data);

/**
 * @brief Changes what entry @p i waits for: POLLIN for #MUX_READ, POLLOUT
 *        for #MUX_WRITE, nothing else.
 *
 * @param p the array.
 * @param i the entry, from 0 to count - 1.
 * @param events #MUX_READ, #MUX_WRITE, both, or 0.
 * @return 0, or -1 with errno EINVAL (@p p is NULL, @p i is not an entry,
 *         or @p events has other bits).
 */
int mux_poll_set(mux_poll_t *p, size_t i, int events);

/**
 * @brief Removes entry @p i: the last entry (fds and data) moves into its
 *        place, and count drops by one.
 *
 * The order of the entries is not kept; the caller whose records hold an
 * entry's index updates the one that moved (data[i] after the call says
 * which). A loop over the entries that removes some goes from the last to
 * the first: the entry that moves in has been seen already.
 *
 * @param p the array.
 * @param i the entry, from 0 to count - 1.
 * @return 0, or -1 with errno EINVAL (@p p is NULL or @p i is not an entry).
 */
int mux_poll_remove(mux_poll_t *p, size_t i);

/**
 * @brief Waits until an entry is ready, or the timeout passes: poll(2) on
 *        the whole array.
 *
 * A signal ends the wait with EINTR (poll(2) is never restarted).
 *
 * @param p the array (it may be empty: then only the timeout or a signal
 *        ends the wait).
 * @param timeout_ms how long to wait at most, in milliseconds: -1 for as
 *        long as it takes, 0 not at all.
 * @return how many entries have something to report (0 if the timeout
 *         passed), or -1 with errno set to EINVAL (@p p is NULL, or
 *         @p timeout_ms is less than -1) or what poll(2) failed with
 *         (EINTR, ENOMEM). After -1, every entry reports nothing.
 */
int mux_poll_wait(mux_poll_t *p, int timeout_ms);

/**
 * @brief What the last mux_poll_wait() found entry @p i ready for, from
 *        its `revents`.
 *
 * - #MUX_READ for POLLIN, and for POLLHUP and POLLERR too: a hang-up or an
 *   error is there to collect, and the read that comes next says which
 *   (0 for the end of the stream, -1 with ECONNRESET, ...).
 * - #MUX_WRITE for POLLOUT, and for POLLERR when the entry waits for
 *   POLLOUT (the send that comes next reports the error).
 * - #MUX_GONE for POLLNVAL: the descriptor is not open.
 *
 * @param p the array (NULL: nothing is ready).
 * @param i the entry (one past the end is never ready).
 * @return a combination of the bits above, 0 if nothing.
 */
int mux_poll_ready(const mux_poll_t *p, size_t i);

/**
 * @brief Frees the arrays; @p p is then empty, as after mux_poll_init().
 *
 * Closes no descriptor. @p p NULL is allowed (does nothing).
 * @param p the array.
 */
void mux_poll_free(mux_poll_t *p);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: Buffers and partial lines
 *
 * A server that serves many clients cannot wait for one client's line to
 * be complete, nor for one client to take its reply: it keeps, per client,
 * the bytes that came but are not a whole line yet, and the bytes it owes
 * but could not send yet. A `mux_buf_t` holds such bytes: it grows on the
 * heap as needed, bytes are appended at its end and consumed from its
 * start.
 * @{ */

/** @brief Bytes kept for later: data[start, end) are waiting. */
typedef struct mux_buf {
    char *data;    /**< the bytes, on the heap; NULL until the first append */
    size_t start;  /**< first byte not consumed yet */
    size_t end;    /**< one past the last byte */
    size_t cap;    /**< size of data */
} mux_buf_t;

/**
 * @brief Makes @p b an empty buffer (no memory yet).
 *
 * Cannot fail; @p b must not be NULL.
 * @param b the buffer, in memory the caller owns.
 */
void mux_buf_init(mux_buf_t *b);

/**
 * @brief Appends @p len bytes at the end of @p b, unless the buffer would
 *        then hold more than @p limit bytes.
 *
 * Makes room as needed: first by moving the waiting bytes to the front of
 * data (when start is past 0), and only when that is not enough by growing
 * data with realloc(3) (to double its size, or to what is needed if that is
 * more). So a buffer through which bytes keep passing, appended at one end
 * and consumed at the other, stays at most about twice as large as the
 * most it ever held at once. Any byte may be appended, NUL included. On failure @p b is
 * unchanged.
 *
 * @param b the buffer.
 * @param bytes the bytes (may be NULL when @p len is 0).
 * @param len how many.
 * @param limit the most the buffer may hold after the append.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p b is NULL, or @p bytes is NULL and @p len is not 0.
 *         - ENOBUFS: the buffer would hold more than @p limit bytes; nothing
 *           was appended. (A server drops a client that lets that happen.)
 *         - ENOMEM: no memory.
 */
int mux_buf_append(mux_buf_t *b, const void *bytes, size_t len, size_t limit);

/**
 * @brief The length of the first complete line in @p b: its bytes up to and
 *        including the first `\n`.
 *
 * The line starts at `b->data + b->start`; it stays in the buffer until
 * mux_buf_consume() takes it. A line may hold any byte, NUL and `\r`
 * included. Bytes with no `\n` after them are a *partial* line: they wait
 * for the rest.
 *
 * @code
 * holds "hi\nthere"     returns 3 ("hi\n"); after consuming 3, returns 0
 * holds "abc", max 4    returns 0: wait for more
 * holds "abcd", max 4   -1 EMSGSIZE: no \n within 4 bytes, nor can one come
 * holds "abc\n", max 4  returns 4: a line of exactly max bytes is allowed
 * @endcode
 *
 * @param b the buffer.
 * @param max the longest line allowed, its `\n` included; more than 0.
 * @return the length of the first line (1 to @p max) if a `\n` is among
 *         the first @p max bytes; 0 if there is no `\n` yet and fewer than
 *         @p max bytes wait; or -1 with errno set to:
 *         - EINVAL: @p b is NULL, or @p max is 0.
 *         - EMSGSIZE: @p max bytes or more wait and none of the first @p max
 *           is a `\n`: this line is too long.
 */
ssize_t mux_buf_line(const mux_buf_t *b, size_t max);

/**
 * @brief Consumes the first @p n bytes of @p b (all of them if @p n is more
 *        than it holds). When that empties it, start and end go back to 0.
 *
 * @p b NULL is allowed (does nothing).
 * @param b the buffer.
 * @param n how many bytes.
 */
void mux_buf_consume(mux_buf_t *b, size_t n);

/**
 * @brief Frees the bytes of @p b; it is then empty, as after mux_buf_init().
 *
 * @p b NULL is allowed (does nothing).
 * @param b the buffer.
 */
void mux_buf_free(mux_buf_t *b);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: Non-blocking reads and writes
 *
 * A server of many clients must never wait on one of them. Its sockets are
 * non-blocking: a recv(2) with nothing to read and a send(2) with no room
 * fail at once with EAGAIN (or EWOULDBLOCK) instead of waiting, and the
 * server goes back to select() or poll(), which say when to try again.
 * @{ */

/**
 * @brief Makes @p fd non-blocking: adds O_NONBLOCK to its file status
 *        flags (fcntl(2) F_GETFL, then F_SETFL), keeping the others.
 *
 * On Linux a socket that accept(2) returns is blocking, whatever the
 * listening socket is: set each one.
 *
 * @param fd an open descriptor.
 * @return 0, or -1 with errno set by fcntl(2) (EBADF).
 */
int mux_set_nonblocking(int fd);

/**
 * @brief Reads once from @p fd: one recv(2) of up to @p max bytes, appended
 *        to @p b.
 *
 * Makes room for @p max bytes at the end of @p b first, as
 * mux_buf_append() does (moving, then growing); @p b has no limit of its
 * own: the caller decides how much it lets a client send before it stops
 * reading or drops it. A recv(2) that a signal interrupts is made again.
 *
 * @param fd a connected stream socket, non-blocking.
 * @param b the buffer the bytes go to.
 * @param max the most to read, more than 0.
 * @return the number of bytes read (1 to @p max, now at the end of @p b);
 *         0 at the end of the stream (the peer closed or half-closed); or
 *         -1 with errno set to:
 *         - EINVAL: @p b is NULL or @p max is 0.
 *         - EAGAIN or EWOULDBLOCK: nothing to read now (no error: wait
 *           until the socket is readable again).
 *         - ENOMEM: no memory to make room.
 *         - what recv(2) failed with: ECONNRESET, ETIMEDOUT, EBADF, ...
 *         Nothing is appended on -1 or 0.
 */
ssize_t mux_recv(int fd, mux_buf_t *b, size_t max);

/**
 * @brief Sends as much of @p b as @p fd takes now, and consumes what went.
 *
 * Calls send(2) with MSG_NOSIGNAL until the buffer is empty or
 * send(2) fails with EAGAIN or EWOULDBLOCK (the socket's buffer is full:
 * that is no error, the rest goes once the socket is writable). Short
 * counts and EINTR go on with the rest. An empty buffer sends nothing. A
 * send(2) that returns 0 is taken as "not now", as EAGAIN is.
 *
 * Once the peer's RST has come (the first send after its close() brings
 * it), or after our own shutdown(SHUT_WR), send(2) fails with EPIPE and
 * raises SIGPIPE, whose default action kills the process; the send that
 * meets the reset itself fails with ECONNRESET. MSG_NOSIGNAL stops the
 * signal for that call (the servers' frame also ignores SIGPIPE, because
 * write(2) has no flags).
 *
 * @param fd a connected stream socket, non-blocking (on a blocking one
 *        send(2) would wait for room, and the whole server with it).
 * @param b the bytes to send.
 * @return how many bytes are still waiting in @p b (0: all sent); or -1
 *         with errno set to EINVAL (@p b is NULL) or what send(2) failed
 *         with: EPIPE, ECONNRESET (the peer is gone: drop it), EBADF, ...
 *         The bytes sent before a failure are consumed.
 */
ssize_t mux_flush(int fd, mux_buf_t *b);

/** @} */

#endif
