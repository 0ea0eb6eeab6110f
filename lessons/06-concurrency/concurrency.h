/**
 * @file concurrency.h
 * @brief Lesson 06: concurrency. A process per client (fork, and the
 *        children reaped), a thread per client (state shared under a
 *        mutex), a fixed pool of threads fed by a bounded queue, and a
 *        small server framework after Python's socketserver that runs the
 *        same request handler serially, forking or threading, over streams
 *        and datagrams.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 06 share. The lesson text (lessons/06-concurrency/README.md)
 * explains the ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0 or the documented count. It never prints and never exits
 *   (the framework's default handle_error() aside, whose job it is).
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL.
 * - `cc_` is the concurrency toolkit (Tasks 1 to 3), `ss_` the framework
 *   (Tasks 4 to 8).
 */
#ifndef SOCKLAB_CONCURRENCY_H
#define SOCKLAB_CONCURRENCY_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/** @name Task 1: Children and signals
 *
 * A child that has ended stays a *zombie* (state Z in /proc/PID/stat)
 * until its parent collects its status with wait(2) or waitpid(2). A
 * forking server collects its children as they end, from a SIGCHLD
 * handler. Signals do not queue: several children that end between two
 * deliveries of SIGCHLD raise it once, so the handler reaps in a loop,
 * waitpid(-1, &status, WNOHANG) until no ended child is left.
 * @{ */

/**
 * @brief Reaps every child that has ended, without waiting for those that
 *        run.
 *
 * Calls waitpid(-1, &status, WNOHANG) until it returns 0 (children run,
 * none has ended) or -1 with ECHILD (no child at all), and counts the
 * children it collected (WNOHANG never sleeps, so it never fails with
 * EINTR). Async-signal-safe, so that a SIGCHLD handler may call it, and
 * it leaves errno as it found it (the handler runs in the middle of any
 * call of the program, which may look at errno next).
 *
 * waitpid(-1) takes *any* child's status: a program that also runs
 * children of its own and waits for them (system(3), popen(3)) finds
 * them taken (ECHILD). Python's ForkingMixIn waits for the pids it forked
 * instead, by polling (collect_children()), with no SIGCHLD handler.
 *
 * @return how many children it reaped (0 if none had ended); never fails.
 */
int cc_reap(void);

/**
 * @brief Reaps children as they end: installs a SIGCHLD handler that
 *        calls cc_reap() and adds what it reaped to cc_reaped().
 *
 * sigaction(2) with SA_RESTART (a system call the signal interrupts is
 * restarted, rather than failing with EINTR) and SA_NOCLDSTOP (no signal
 * when a child is only stopped). Installing it twice is no error.
 *
 * @return 0, or -1 with errno from sigaction(2).
 */
int cc_catch_sigchld(void);

/**
 * @brief How many children the SIGCHLD handler of cc_catch_sigchld() has
 *        reaped since the program began.
 *
 * The handler adds to a lock-free `atomic_long` (atomic_fetch_add()), which
 * the program reads with atomic_load() from any thread (C11 7.14.1.1p5
 * allows a handler lock-free atomics). Never a lock: pthread_mutex_lock()
 * is not async-signal-safe, and a handler that interrupts the lock's
 * holder waits for ever. A `volatile sig_atomic_t` will not do either: a
 * handler may only assign it (`n += ...` reads it too), and between
 * threads a volatile object is still a data race.
 * @return the count.
 */
long cc_reaped(void);

/**
 * @brief Accepts a connection, going round again where a call that did not
 *        fail for good would: after EINTR (a signal whose handler was
 *        installed without SA_RESTART interrupts a blocking accept()),
 *        ECONNABORTED and EPROTO, and the network errors that accept(2)
 *        NOTES lists: ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET,
 *        EHOSTUNREACH, ENETUNREACH (not EOPNOTSUPP, which also says "not
 *        a listening stream socket", for good).
 *
 * ECONNABORTED for "a client that gave up while queued" is BSD's and
 * POSIX's (UNP 5.11). Linux returns that connection all the same, and the
 * first recv() on it fails with ECONNRESET; what it passes through instead
 * are the errors of the list above, to be treated like EAGAIN.
 *
 * accept4(2) with SOCK_CLOEXEC: FD_CLOEXEC set in the same call, so that
 * no other thread's fork() and exec() come between (fcntl() after
 * accept() would leave that window). FD_CLOEXEC acts on exec only: a
 * child of fork() without exec (SS_FORK) inherits every descriptor.
 * The socket is blocking: on Linux an accepted socket never inherits the
 * listener's O_NONBLOCK (accept(2) NOTES; on BSD it does), and the
 * framework's handlers rely on it.
 *
 * @param lfd the listening socket (blocking or not).
 * @param peer where to write the client's address, or NULL.
 * @param len in: the room at @p peer; out: the address's length (may be
 *        NULL when @p peer is).
 * @return the connected socket, or -1 with errno (EAGAIN: a non-blocking
 *         listener with no client waiting; EMFILE: out of descriptors; ...).
 */
int cc_accept(int lfd, struct sockaddr *peer, socklen_t *len);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Shared state
 *
 * Threads share all memory: a counter that two threads increment at once
 * loses increments (each reads the old value, adds one, writes it back,
 * and one write is lost). A mutex makes the read-add-write one step. A
 * condition variable lets a thread sleep until the value it waits for
 * comes (the framework waits for its running handlers to reach 0 when it
 * stops).
 * @{ */

/** @brief A counter that many threads change at once, and that a thread
 *         can wait on until it is 0. */
typedef struct cc_counter {
    pthread_mutex_t lock;  /**< guards value */
    pthread_cond_t zero;   /**< signalled when value comes down to 0 */
    long value;            /**< the count: read and written under lock only */
} cc_counter_t;

/**
 * @brief Makes a counter at 0, with its mutex and condition variable; the
 *        condition's timed waits read CLOCK_MONOTONIC
 *        (pthread_condattr_setclock(3)), so that a change of the wall
 *        clock moves no deadline.
 * @param c the counter, in memory the caller owns.
 * @return 0, or -1 with errno (EINVAL: @p c is NULL; what
 *         pthread_mutex_init(3) or pthread_cond_init(3) returned).
 */
int cc_counter_init(cc_counter_t *c);

/**
 * @brief Adds @p delta (negative to take away) to the counter, as one step
 *        that no other thread can come between; when the value comes down
 *        to 0, wakes every thread in cc_counter_wait_zero().
 * @param c the counter.
 * @param delta what to add.
 * @return the value after the addition.
 */
long cc_counter_add(cc_counter_t *c, long delta);

/**
 * @brief The counter's value now, read under its lock.
 * @param c the counter.
 * @return the value.
 */
long cc_counter_get(cc_counter_t *c);

/**
 * @brief Waits until the counter is 0, at most @p timeout_ms.
 *
 * pthread_cond_timedwait(3) in a loop that checks the value again after
 * every wake-up (a wake-up may come with the value not 0: spuriously, or
 * because another thread changed it again), against one deadline on
 * CLOCK_MONOTONIC computed once before the loop; the loop ends when the
 * value is 0 or the wait returns an error (ETIMEDOUT), never spins.
 * @param c the counter.
 * @param timeout_ms the most to wait, in milliseconds (0: just look; less
 *        than 0: as long as it takes, pthread_cond_wait(3)).
 * @return 0 once it is 0, or -1 with errno ETIMEDOUT.
 */
int cc_counter_wait_zero(cc_counter_t *c, int timeout_ms);

/**
 * @brief Destroys the counter's mutex and condition variable.
 * @param c the counter; no thread may use it any more.
 */
void cc_counter_destroy(cc_counter_t *c);

/**
 * @brief Writes one line to @p fd, whole, even while other threads write
 *        theirs: the shared log of a threaded server.
 *
 * Formats the line (a `\n` added) into a buffer of its own first, then
 * writes it with one write(2) call at a time (again after EINTR and after
 * a short count) under a mutex that every cc_log() shares, so that the
 * lines of two threads never mix. A line longer than CC_LOG_MAX bytes
 * (its `\n` included) is cut, its `\n` kept.
 * @param fd where to write (2 for stderr).
 * @param fmt printf-style, without the `\n`.
 * @return 0, or -1 with errno from write(2).
 */
int cc_log(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief The longest line cc_log() writes, its `\n` included. */
#define CC_LOG_MAX 1024

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: A bounded queue
 *
 * A fixed pool of threads takes its work from a queue that the acceptor
 * fills. Bounded: when it holds its capacity, cc_queue_push() waits (or
 * fails), so the acceptor stops accepting and the clients wait in the
 * kernel's listen backlog: back-pressure, where an unbounded queue would
 * grow with every client, until memory runs out.
 * @{ */

/** @brief A queue of pointers of fixed capacity, shared by threads: a ring
 *         buffer under a mutex, and two condition variables. */
typedef struct cc_queue {
    pthread_mutex_t lock;       /**< guards all the fields below */
    pthread_cond_t not_empty;   /**< signalled when an item comes in, and on close */
    pthread_cond_t not_full;    /**< signalled when an item goes out, and on close */
    void **items;               /**< the ring: @ref cap slots, from calloc() */
    size_t cap;                 /**< how many items it holds at most; never changes */
    size_t head;                /**< the slot of the oldest item */
    size_t len;                 /**< how many items it holds now, 0 to @ref cap */
    int closed;                 /**< 1 once cc_queue_close() was called */
} cc_queue_t;

/**
 * @brief Makes an empty, open queue of @p cap slots.
 * @param q the queue, in memory the caller owns.
 * @param cap its capacity, 1 or more.
 * @return 0, or -1 with errno EINVAL (@p q NULL, @p cap 0), ENOMEM, or what
 *         pthread_mutex_init(3) or pthread_cond_init(3) returned.
 */
int cc_queue_init(cc_queue_t *q, size_t cap);

/**
 * @brief Adds @p item at the end; while the queue is full, waits up to
 *        @p timeout_ms for a slot (a deadline on CLOCK_MONOTONIC: the
 *        conditions are made so by cc_queue_init()).
 * @param q the queue.
 * @param item any pointer (NULL too).
 * @param timeout_ms how long to wait for a slot: -1 as long as it takes,
 *        0 not at all.
 * @return 0, or -1 with errno: EAGAIN (full, @p timeout_ms 0), ETIMEDOUT
 *         (still full after @p timeout_ms), EPIPE (the queue is closed,
 *         before or while it waited; @p item is then not in it).
 */
int cc_queue_push(cc_queue_t *q, void *item, int timeout_ms);

/**
 * @brief Takes the oldest item, waiting as long as the queue is empty and
 *        open.
 *
 * A closed queue still hands out what it holds: only once it is closed
 * *and* empty does it fail.
 * @param q the queue.
 * @param item where to write the item.
 * @return 0, or -1 with errno EPIPE (closed and empty).
 */
int cc_queue_pop(cc_queue_t *q, void **item);

/**
 * @brief How many items the queue holds now (at most its capacity).
 * @param q the queue.
 * @return the count.
 */
size_t cc_queue_len(cc_queue_t *q);

/**
 * @brief Closes the queue: from now on cc_queue_push() fails with EPIPE,
 *        and cc_queue_pop() does once the queue is empty. Wakes every
 *        thread that waits in either. Closing twice is no error.
 * @param q the queue.
 */
void cc_queue_close(cc_queue_t *q);

/**
 * @brief Frees the slots and destroys the mutex and condition variables.
 *        The items still in it are the caller's (pop them first).
 * @param q the queue; no thread may use it any more.
 */
void cc_queue_destroy(cc_queue_t *q);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: The framework
 *
 * After Python's socketserver. A *server* owns a socket (listening, or a
 * datagram socket) and a *handler*: three functions, setup(), handle() and
 * finish(), that serve one request. ss_serve_forever() waits for requests;
 * for each, ss_handle_request() gets it (accepts a connection, or receives
 * a datagram), asks verify_request() whether to serve it, and hands it to
 * ss_process_request(), which runs it here and now (SS_SERIAL), in a child
 * (SS_FORK), in a thread of its own (SS_THREAD) or in a thread of a fixed
 * pool (SS_POOL). Wherever it runs, ss_run_request() calls
 * ss_finish_request() (setup, handle, finish), then handle_error() if that
 * failed, and ends the request.
 *
 * The handler is written once; the mode is chosen at run time.
 * @{ */

/** @brief Where a request runs. */
typedef enum ss_mode {
    SS_SERIAL = 0,  /**< in the server's own thread, one after another */
    SS_FORK,        /**< in a child process of its own */
    SS_THREAD,      /**< in a thread of its own */
    SS_POOL         /**< in one of a fixed pool of threads, through a bounded queue */
} ss_mode_t;

/** @brief Room for a peer's address as text, "[ADDR]:PORT" included. */
#define SS_ADDRSTRLEN 72

/** @brief The largest datagram a request holds (UDP over IPv4 carries at
 *         most 65507 bytes of data; IPv6 may carry 65527). */
#define SS_DGRAM_MAX 65535

/** @brief A thread's stack, for the threads the framework starts: far
 *         less than the default (RLIMIT_STACK's soft limit, commonly
 *         8 MiB: pthread_create(3)), so that a hundred threads fit in the
 *         grader's address space. */
#define SS_STACK_SIZE (256 * 1024)

struct ss_server;

/** @brief One request: a connection, or a datagram. Made by
 *         ss_handle_request() on the heap, ended (and freed) by
 *         ss_run_request(). */
typedef struct ss_request {
    struct ss_server *server;       /**< the server it came to */
    int fd;                         /**< stream: the connected socket, the request's own;
                                         datagram: the server's socket (shared: never closed
                                         by the request) */
    struct sockaddr_storage peer;   /**< the client's address */
    socklen_t peerlen;              /**< its length */
    char peer_text[SS_ADDRSTRLEN];  /**< the client as text: "127.0.0.1:51000", "[::1]:51000" */
    unsigned char *data;            /**< datagram: its bytes (malloc(), the request's own);
                                         stream: NULL */
    size_t len;                     /**< datagram: how many bytes; stream: 0 */
    void *user;                     /**< the handler's own, from setup() to finish() */
} ss_request_t;

/** @brief What serves a request: setup() (optional), handle(), finish()
 *         (optional). setup() and handle() return 0, or -1 with errno. */
typedef struct ss_handler {
    int (*setup)(ss_request_t *req);    /**< before handle(); NULL: nothing to do */
    int (*handle)(ss_request_t *req);   /**< serves the request */
    void (*finish)(ss_request_t *req);  /**< after handle(), whatever it returned, when
                                             setup() succeeded; NULL: nothing to do */
} ss_handler_t;

/** @brief A server: its socket, its handler, its mode, and what its
 *         requests share. */
typedef struct ss_server {
    const char *name;              /**< the program's name, for messages */
    int type;                      /**< SOCK_STREAM or SOCK_DGRAM */
    ss_mode_t mode;                /**< where requests run */
    int fd;                        /**< the listening socket (non-blocking) or the datagram
                                        socket; the caller opens it */
    int stop_fd;                   /**< readable once the server is to stop (the read end of
                                        a pipe that a signal handler writes to); -1: never */
    const ss_handler_t *handler;   /**< serves each request */
    /** May the request be served? 1 yes, 0 no (it is then dropped: a
     *  connection closed, a datagram unanswered). NULL: every request is. */
    int (*verify_request)(struct ss_server *srv, const ss_request_t *req);
    /** Called, where the request ran, when ss_finish_request() failed with
     *  errno @p err; NULL: the framework's default, one line on stderr. */
    void (*handle_error)(struct ss_server *srv, const ss_request_t *req, int err);
    void *user;                    /**< the program's own */
    int stop_ms;                   /**< at the end of ss_serve_forever(), how long to wait
                                        for the requests still running */
    size_t threads;                /**< SS_POOL: how many threads */
    size_t queue_cap;              /**< SS_POOL: how many requests wait, at most */
    cc_counter_t active;           /**< SS_THREAD, SS_POOL: requests running now */
    cc_counter_t served;           /**< requests run to their end (SS_FORK: children
                                        started) */
    long forked;                   /**< SS_FORK: children started (the parent's count) */
    cc_queue_t queue;              /**< SS_POOL: the requests waiting for a thread */
    pthread_t *workers;            /**< SS_POOL: the threads, @ref threads of them */
    cc_counter_t workers_left;     /**< SS_POOL: threads that have not ended yet */
} ss_server_t;

/**
 * @brief Makes a server of @p type and @p mode with handler @p h: the
 *        other fields as "nothing yet" (fd and stop_fd -1, no
 *        verify_request nor handle_error: the defaults), stop_ms 1000,
 *        threads 4, queue_cap 16, the counters at 0.
 * @param srv the server, in memory the caller owns.
 * @param name the program's name.
 * @param type SOCK_STREAM or SOCK_DGRAM.
 * @param mode where requests run.
 * @param h the handler (its handle() not NULL).
 * @return 0, or -1 with errno EINVAL (a NULL argument, a bad type or
 *         mode, no handle()), or what cc_counter_init() failed with.
 */
int ss_server_init(ss_server_t *srv, const char *name, int type, ss_mode_t mode,
                   const ss_handler_t *h);

/**
 * @brief Frees what ss_server_init() made (the counters). The caller closes
 *        srv->fd.
 * @param srv the server; no request may run any more.
 */
void ss_server_close(ss_server_t *srv);

/**
 * @brief Serves one request with the handler: setup(), then handle(),
 *        then finish(), as socketserver's BaseRequestHandler does.
 *
 * When setup() fails, neither handle() nor finish() is called. When
 * setup() succeeds, finish() is always called, after handle(), whatever
 * handle() returned (it frees what setup() took).
 * @param srv the server.
 * @param req the request.
 * @return 0, or -1 with the errno of the step that failed (setup() or
 *         handle()), kept across finish().
 */
int ss_finish_request(ss_server_t *srv, ss_request_t *req);

/**
 * @brief Runs a request to its end, wherever it runs (in the server's
 *        thread, a child, a thread): ss_finish_request(), then, if it
 *        failed, handle_error() (the server's, or the default) with its
 *        errno; then ends the request: closes a stream request's socket
 *        (never the server's socket of a datagram), adds 1 to srv->served,
 *        frees the request.
 * @param srv the server.
 * @param req the request; freed.
 * @return 0 if the request was served, -1 if it failed (handle_error()
 *         was called).
 */
int ss_run_request(ss_server_t *srv, ss_request_t *req);

/**
 * @brief Gets one request and has it served: the body of
 *        ss_serve_forever()'s loop, once srv->fd is readable.
 *
 * A stream server accepts a connection (cc_accept()); a datagram server
 * receives one (ss_get_datagram()). The request, on the heap, holds the
 * client's address in `peer` and as text in `peer_text`. verify_request()
 * says 0: the request is dropped (its connection closed), and that is no
 * error. Otherwise ss_process_request() takes it.
 * @param srv the server.
 * @return 0 (served, dropped, or no request after all: EAGAIN from a
 *         non-blocking socket), or -1 with errno when getting the request
 *         failed otherwise (EMFILE, ENOMEM...): the server goes on.
 */
int ss_handle_request(ss_server_t *srv);

/**
 * @brief Hands a request over to where the server's mode runs it: runs it
 *        here with ss_run_request() (SS_SERIAL), or calls
 *        ss_process_fork(), ss_process_thread() or ss_process_pool().
 * @param srv the server.
 * @param req the request; from now on the mode's.
 * @return 0, or -1 with errno if it could not be handed over (the request
 *         has then been ended and freed).
 */
int ss_process_request(ss_server_t *srv, ss_request_t *req);

/**
 * @brief Sends a handler's reply to the request's client: for a stream,
 *        all @p len bytes (send(2) with MSG_NOSIGNAL, again after a short
 *        count and EINTR); for a datagram, one datagram to req->peer with
 *        sendto(2).
 * @param req the request.
 * @param buf the bytes.
 * @param len how many.
 * @return 0, or -1 with errno (EPIPE, ECONNRESET: the client has gone).
 */
int ss_send(ss_request_t *req, const void *buf, size_t len);

/**
 * @brief Serves requests until srv->stop_fd is readable, then stops
 *        gracefully.
 *
 * Waits with poll(2) for srv->fd and srv->stop_fd (EINTR: go round
 * again), and calls ss_handle_request() each time srv->fd is readable.
 * Once stop_fd is readable it accepts nothing more and waits, up to
 * srv->stop_ms in all, for the requests that still run: SS_FORK, the
 * children (srv->forked against cc_reaped()); SS_THREAD, srv->active; SS_POOL,
 * ss_pool_stop(). A thread still running after that ends with the process,
 * when the program exits. A child does not: it is a process of its own,
 * goes on serving its client after the server has exited, and is
 * reparented to init (Python's ForkingMixIn.server_close() likewise waits
 * for its children, collect_children(blocking=block_on_close), and leaves
 * them be when it does not block).
 * @param srv the server (for SS_POOL, ss_pool_start() is called first).
 * @return 0 once stopped, or -1 with errno when poll(2) failed otherwise.
 */
int ss_serve_forever(ss_server_t *srv);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Forking
 * @{ */

/**
 * @brief Runs a request in a child process of its own (socketserver's
 *        ForkingMixIn).
 *
 * fork(2), with SIGTERM, SIGINT and SIGCHLD blocked (pthread_sigmask(3))
 * from before it until each process is done with them: else a SIGTERM, or
 * the Ctrl-C that signals the whole process group, landing in the child
 * before it resets its handlers runs the parent's handler there (and
 * writes into the parent's stop pipe). The child: SIGTERM, SIGINT and
 * SIGCHLD back to their default action, srv->stop_fd closed, the mask
 * back as it was; closes the *listening* socket of a stream server (it
 * serves one client, and must not keep the port open once the server has
 * gone); ss_run_request(); _exit(2) with 0 if it was served, 1 if not.
 * The parent: the mask back; closes the *connected* socket (the child has
 * its own copy: while the parent's stays open, the client never sees the
 * end of the stream), frees its copy of the request, and counts the child
 * in srv->forked and srv->served. The parent reaps its children with
 * cc_catch_sigchld() (installed by the program before it serves).
 *
 * The server must have one thread when it forks. After fork(2) in a
 * process of several threads the child has one thread, and until it execs
 * may call only async-signal-safe functions (fork(2), and POSIX's RATIONALE
 * of fork()): a lock another thread held at the fork stays locked for
 * ever, and the child runs malloc(), free(), cc_log()'s mutex and the
 * handler. fork-echo-server and udp-framework-echo-server -m fork have
 * one thread; SS_FORK never mixes with SS_THREAD or SS_POOL.
 *
 * There is no bound on the children (Python's ForkingMixIn has
 * max_children = 40, and waits for one to end when it has that many): a
 * flood of clients makes a flood of processes, until fork() fails with
 * EAGAIN (RLIMIT_NPROC) and the request is ended.
 * @param srv the server.
 * @param req the request; freed in the parent.
 * @return 0, or -1 with errno from fork(2) (the request was then ended).
 */
int ss_process_fork(ss_server_t *srv, ss_request_t *req);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: Threading
 * @{ */

/**
 * @brief Runs a request in a thread of its own (socketserver's
 *        ThreadingMixIn), detached: nobody joins it; it ends by itself.
 *
 * The thread gets the request's own pointer (on the heap, one per request:
 * never the address of a variable of the acceptor, which the next request
 * overwrites) and a stack of SS_STACK_SIZE. srv->active counts the threads
 * that run: 1 added before pthread_create(3), taken away by the thread
 * when its request has ended (and at once if pthread_create() failed).
 * @param srv the server.
 * @param req the request; the thread's from now on.
 * @return 0, or -1 with errno from pthread_create(3) (the request was then
 *         ended).
 */
int ss_process_thread(ss_server_t *srv, ss_request_t *req);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 7: A thread pool
 * @{ */

/**
 * @brief Starts the pool: a queue of srv->queue_cap requests
 *        (cc_queue_init()) and srv->threads threads (stacks of
 *        SS_STACK_SIZE, joinable), each taking requests from the queue with
 *        cc_queue_pop() and running them with ss_run_request(), until the
 *        queue is closed and empty. srv->workers_left counts the threads
 *        that have not ended.
 * @param srv the server (threads and queue_cap 1 or more).
 * @return 0, or -1 with errno (EINVAL for 0 threads or queue_cap; what
 *         pthread_create(3) failed with: the threads started are stopped).
 */
int ss_pool_start(ss_server_t *srv);

/**
 * @brief Queues a request for the pool. While the queue is full it waits
 *        for a slot, and meanwhile accepts nothing more: the clients that
 *        come wait in the kernel's listen backlog (back-pressure). It
 *        waits in steps of 50 ms at most, and gives up (ending the
 *        request) once srv->stop_fd is readable.
 * @param srv the server, its pool started.
 * @param req the request; the pool's from now on.
 * @return 0, or -1 with errno (EPIPE: the server is stopping; the request
 *         was then ended).
 */
int ss_process_pool(ss_server_t *srv, ss_request_t *req);

/**
 * @brief Stops the pool: closes the queue (the threads run what it still
 *        holds, then end), waits up to @p timeout_ms for every thread to
 *        end (srv->workers_left at 0), then joins them and frees the queue.
 *        Threads still running after @p timeout_ms are left to end with
 *        the process (neither joined nor freed).
 * @param srv the server.
 * @param timeout_ms how long to wait.
 * @return 0, or -1 with errno ETIMEDOUT.
 */
int ss_pool_stop(ss_server_t *srv, int timeout_ms);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 8: Datagrams
 * @{ */

/**
 * @brief Receives one datagram on srv->fd into a new request (socketserver's
 *        UDPServer: the request is the datagram and the socket).
 *
 * recvfrom(2) into a buffer of SS_DGRAM_MAX bytes (again after EINTR);
 * the request gets a malloc()'ed copy of exactly the bytes that came (an
 * empty datagram is a request too, with len 0 and data not NULL), the
 * sender's address, and fd = srv->fd (shared: the reply goes out on it).
 * @param srv a SOCK_DGRAM server.
 * @return the request, or NULL with errno (EAGAIN: nothing came after all;
 *         ENOMEM...).
 */
ss_request_t *ss_get_datagram(ss_server_t *srv);

/** @} */

#endif
