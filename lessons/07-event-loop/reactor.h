/**
 * @file reactor.h
 * @brief Lesson 07: an event loop. A reactor in the shape of redis's ae.c
 *        (interest in a descriptor's readability and writability, with one
 *        callback and its data per descriptor; timers; run and stop), its backends
 *        (select, poll, epoll, and kqueue where it exists) chosen at run
 *        time from one table, and on top of it a protocol layer after
 *        Twisted's: a factory, a protocol per connection, a transport with
 *        output buffering and back-pressure, and a line receiver.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 07 share. The lesson text (lessons/07-event-loop/README.md)
 * explains the ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 (or NULL) and sets errno. It never
 *   prints and never exits.
 * - A NULL pointer argument that the function needs is EINVAL.
 * - Events are bits: #EL_READABLE, #EL_WRITABLE. Every backend reports
 *   them the same way, so the core and everything above it never know
 *   which backend runs.
 */
#ifndef SOCKLAB_REACTOR_H
#define SOCKLAB_REACTOR_H

#include <stddef.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* The reactor's types. */

/** @brief No interest (el_mask() of a descriptor not watched). */
#define EL_NONE 0
/** @brief Event bit: the descriptor can be read without blocking (data,
 *         the end of the stream, a pending error, a hang-up, or a
 *         connection to accept). */
#define EL_READABLE 1
/** @brief Event bit: the descriptor can be written without blocking (room,
 *         a pending error, or a hang-up). */
#define EL_WRITABLE 2
/** @brief What a timer callback returns to be called no more (any
 *         negative value means the same). */
#define EL_NOMORE (-1)

typedef struct el_loop el_loop_t;

/**
 * @brief A descriptor's callback: @p fd is ready for @p mask (one bit:
 *        #EL_READABLE or #EL_WRITABLE; a descriptor ready both ways in one
 *        round gets two calls, readable first), @p data is what el_add()
 *        was given.
 */
typedef void el_file_fn(el_loop_t *loop, int fd, void *data, int mask);

/**
 * @brief A timer's callback.
 * @return milliseconds until it is to be called again (0 or more: the
 *         timer is re-armed, due that long after the callback returned),
 *         or #EL_NOMORE (it is deleted; so is it for any negative value).
 */
typedef int el_timer_fn(el_loop_t *loop, long long id, void *data);

/**
 * @brief What the loop knows of one descriptor (ae.c's aeFileEvent, with
 *        one callback instead of two): 24 bytes on a 64-bit system.
 *
 * One callback per descriptor, told by its mask argument which way the
 * descriptor is ready, as libuv's uv_poll_cb and libevent's callbacks are
 * (one per handle, the events in an argument): an idle connection costs
 * the loop one pointer less than ae.c's rfileProc and wfileProc.
 */
typedef struct el_file {
    int mask;             /**< #EL_READABLE | #EL_WRITABLE wanted, #EL_NONE if not watched */
    el_file_fn *proc;     /**< called with the bit that fired */
    void *data;           /**< given to it */
} el_file_t;

/** @brief One event a backend found (ae.c's aeFiredEvent). */
typedef struct el_fired {
    int fd;    /**< the descriptor */
    int mask;  /**< what it is ready for: #EL_READABLE and/or #EL_WRITABLE */
} el_fired_t;

/** @brief A timer (a list of them, in no order, as ae.c keeps them). */
typedef struct el_timer {
    long long id;           /**< its id, from 1; -1 once deleted (freed later) */
    long long when_ms;      /**< when it is due, on el_now_ms()'s clock */
    el_timer_fn *proc;      /**< its callback */
    void *data;             /**< given to it */
    struct el_timer *next;  /**< the next timer */
} el_timer_t;

/** @name Task 3: The poll and epoll backends
 *
 * A backend is a table of functions, one file each: backend_select.c is
 * given whole as the worked example; backend_poll.c and backend_epoll.c
 * are the task; backend_kqueue.c (the BSDs, macOS) is given, compiled
 * where <sys/event.h> exists. backends.c (given) holds the table the loop
 * looks names up in (libevent's eventop array).
 * @{ */

/**
 * @brief A backend: the handful of functions that translate what the loop
 *        wants into one kernel interface and the kernel's answer back into
 *        a list of fired events (libevent's `struct eventop`, redis's
 *        ae_epoll.c and ae_select.c). None of them calls a callback.
 *
 * When add() and del() run, `loop->files[fd].mask` still holds the old
 * interest: the backend merges or removes @p mask itself. add() and del()
 * are only called with 0 <= fd < loop->setsize.
 */
typedef struct el_backend {
    const char *name;   /**< "select", "poll", "epoll", "kqueue" */
    int max_setsize;    /**< the most descriptors it can watch (select: FD_SETSIZE) */
    /** Makes `loop->state` for `loop->setsize` descriptors: 0, or -1 with errno. */
    int (*create)(el_loop_t *loop);
    /** Makes room for descriptors up to @p setsize - 1 (called before
     *  loop->setsize changes): 0, or -1 with errno (state unchanged). */
    int (*resize)(el_loop_t *loop, int setsize);
    /** Frees `loop->state` (closes what create() opened). */
    void (*destroy)(el_loop_t *loop);
    /** Adds @p mask to what @p fd is watched for: 0, or -1 with errno. */
    int (*add)(el_loop_t *loop, int fd, int mask);
    /** Stops watching @p fd for @p mask (what is left stays watched). */
    void (*del)(el_loop_t *loop, int fd, int mask);
    /** Waits at most @p timeout_ms (-1: no limit) and writes what is ready
     *  into loop->fired: their count, 0 if the time passed or a signal came
     *  (EINTR means no events, never an error), -1 with errno on an error. */
    int (*poll)(el_loop_t *loop, int timeout_ms);
} el_backend_t;

/** @brief An event loop (ae.c's aeEventLoop). */
struct el_loop {
    const el_backend_t *backend;  /**< the backend it runs on */
    void *state;                  /**< the backend's own (its fd_sets, pollfd array, epoll fd) */
    int setsize;                  /**< files[] and fired[] have room for descriptors 0 to setsize - 1 */
    int maxfd;                    /**< the highest descriptor watched, -1 if none */
    el_file_t *files;             /**< per descriptor: interest, callbacks, data */
    el_fired_t *fired;            /**< what the last poll found */
    int fired_size;               /**< entries of fired[]: setsize or more (it never shrinks:
                                       el_process() may be walking it while a callback
                                       resizes the loop) */
    int nfired;                   /**< while el_process() dispatches: the events in fired[]
                                       (el_del() clears a descriptor's); 0 otherwise */
    el_timer_t *timers;           /**< the timers */
    long long next_id;            /**< the id of the next timer */
    int stop;                     /**< el_stop() was called */
};

/** @brief The select backend (given, the worked example: backend_select.c). */
extern const el_backend_t el_backend_select;
/** @brief The poll backend (backend_poll.c). */
extern const el_backend_t el_backend_poll;
/** @brief The epoll backend (backend_epoll.c, Linux). */
extern const el_backend_t el_backend_epoll;
/** @brief The kqueue backend (backend_kqueue.c, the BSDs and macOS). */
extern const el_backend_t el_backend_kqueue;

/** @} */

/* el_backend_named(), el_backend_list() and el_now_ms(), given whole, are
 * declared in backends.h of the lesson's code. */

/** @name Task 1: The loop: descriptors and dispatch
 * @{ */

/**
 * @brief Makes an event loop on backend @p name.
 *
 * files[] and fired[] get @p setsize entries (every mask #EL_NONE); the
 * loop grows them by itself when el_add() is given a larger descriptor.
 * @param name as el_backend_named() takes it.
 * @param setsize room for descriptors 0 to setsize - 1 at first (1 or more).
 * @return the loop, or NULL with errno: EINVAL (setsize < 1), ERANGE
 *         (setsize past the backend's max_setsize: select's FD_SETSIZE),
 *         ENOENT (no such backend), or what the allocation or the backend's
 *         create() said.
 */
el_loop_t *el_create(const char *name, int setsize);

/** @brief Frees the loop, its timers and its backend's state. Closes no
 *         descriptor of the caller's. NULL: nothing. */
void el_free(el_loop_t *loop);

/** @brief The name of the loop's backend ("epoll"); NULL with errno EINVAL
 *         for a NULL loop. */
const char *el_backend_name(const el_loop_t *loop);

/**
 * @brief Watches @p fd for @p mask, calling @p proc with @p data when it is
 *        ready (ae.c's aeCreateFileEvent).
 *
 * Interest adds up: #EL_READABLE then #EL_WRITABLE watches both. A
 * descriptor has one callback: @p proc and @p data are the last given, for
 * both bits (as libuv's uv_poll_start() and libevent's event_assign() keep
 * one callback per handle, told the events by an argument). A descriptor of setsize or
 * more first grows the loop (el_resize() to at least twice the size, and
 * at most the backend's max_setsize).
 * @return 0, or -1 with errno: EINVAL (loop or proc NULL, mask 0 or with
 *         other bits), EBADF (fd negative), ERANGE (fd is the backend's
 *         max_setsize or more: select's FD_SETSIZE), or the backend's.
 *         On failure nothing changed.
 */
int el_add(el_loop_t *loop, int fd, int mask, el_file_fn *proc, void *data);

/**
 * @brief Stops watching @p fd for @p mask (ae.c's aeDeleteFileEvent).
 *
 * A fired event of this round that the descriptor is no longer watched for
 * is not dispatched: call it before you close a descriptor, from any
 * callback. When @p fd is left watched for nothing, the events of this
 * round not yet dispatched for it are dropped (`loop->fired[i].mask`
 * cleared for each i below `loop->nfired` with that fd, as libuv's
 * uv__platform_invalidate_fd() does): a descriptor closed and its number
 * taken by a new one within the round never gets the old one's event
 * (level-triggered, the new one's own comes next round). Lowers maxfd when
 * @p fd was the highest and is now unwatched.
 * A descriptor not watched, out of range, or negative: nothing happens.
 */
void el_del(el_loop_t *loop, int fd, int mask);

/** @brief What @p fd is watched for now (#EL_NONE if not, or out of range). */
int el_mask(const el_loop_t *loop, int fd);

/**
 * @brief Grows (or shrinks) the loop to room for @p setsize descriptors:
 *        the backend's resize() first, then files[], and fired[] if it
 *        must grow (it never shrinks: this may be called from a callback,
 *        while el_process() walks the round's events; an event of a
 *        descriptor now past setsize is not dispatched).
 * @return 0, or -1 with errno: EINVAL (setsize < 1), ERANGE (more than the
 *         backend's max_setsize, or a descriptor of setsize or more is
 *         watched), ENOMEM. On failure nothing changed.
 */
int el_resize(el_loop_t *loop, int setsize);

/**
 * @brief One round (ae.c's aeProcessEvents): waits for events, no longer
 *        than @p timeout_ms nor than the nearest timer, dispatches each
 *        fired event, then calls the timers that are due.
 *
 * For each fired event: the callback with #EL_READABLE if the descriptor
 * is watched for reading *now* and the event (`loop->fired[i]`, read again)
 * still has it, then with #EL_WRITABLE if it is watched for writing now and
 * the event, read again after the read call, still has it (el_del() down
 * to #EL_NONE clears it: a read callback may have closed its descriptor
 * and a new one taken the number, whose callback and data may well be the
 * same). Interest is checked again after each callback: a callback may
 * have removed it, or closed another descriptor that fired in the same
 * round. `loop->nfired` is the round's event count while it dispatches.
 * Timers added during the round wait for the next one.
 * @param loop the loop.
 * @param timeout_ms -1: until an event or a timer; 0: do not wait.
 * @return the number of callbacks called (file and timer), or -1 with
 *         errno if the backend failed. A signal is not a failure: the
 *         round returns 0 events.
 */
int el_process(el_loop_t *loop, int timeout_ms);

/** @brief Rounds until el_stop(): 0, or -1 with errno if a round failed. */
int el_run(el_loop_t *loop);

/** @brief Makes el_run() return after the round it is in. */
void el_stop(el_loop_t *loop);

/** @} */

/** @name Task 2: Timers
 *
 * The timers are a list in no order, as ae.c keeps them: few timers, each
 * round looks at them all. el_process() (Task 1) waits no longer than the
 * nearest and calls those due.
 * @{ */

/**
 * @brief Calls @p proc with @p data in @p ms milliseconds (and again after
 *        what it returns, until it returns #EL_NOMORE).
 * @param loop the loop.
 * @param ms from 0 to INT_MAX (about 24.8 days, the most a callback can
 *        return).
 * @param proc the callback.
 * @param data passed to @p proc.
 * @return the timer's id (1 or more), or -1 with errno: EINVAL (loop or
 *         proc NULL, ms negative or past INT_MAX), ENOMEM.
 */
long long el_timer_add(el_loop_t *loop, long long ms, el_timer_fn *proc, void *data);

/**
 * @brief Deletes timer @p id: it is not called again (not even later in
 *        this round). Safe from any callback, its own included.
 * @return 0, or -1 with errno ENOENT (no such timer, or deleted already).
 */
int el_timer_del(el_loop_t *loop, long long id);


/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: Transports and protocols
 *
 * A server (pr_serve()) accepts connections on a listening socket. Each
 * one gets the *slot* of its descriptor in the server's array of slots
 * (no allocation per connection): a protocol of `factory->size` bytes
 * (zeroed, its `transport` set) and after it a transport; then
 * the factory's connection_made() is called. Each recv() that brings bytes
 * calls data_received(); when the connection ends, connection_lost() is
 * called once, then the slot is zeroed for the next connection on that
 * descriptor. The protocol answers with pr_write() and ends with
 * pr_lose_connection() or pr_abort().
 *
 * After connection_lost() returns, a pointer to the protocol or to its
 * transport names *whatever connection takes that descriptor next*: the
 * slot is the descriptor's, not the connection's. Keep none past
 * connection_lost() (unlink it from any list there). On a free slot
 * (`t->server` NULL) pr_write() fails with EPIPE, pr_fd() returns -1
 * (EPIPE), pr_lose_connection() and pr_abort() do nothing, and
 * pr_disconnecting() says 1; but once a new client has the slot, nothing
 * can tell a late pointer from the newcomer's, and pr_write() sends to
 * the newcomer. The reference poisons free slots under AddressSanitizer
 * (all but the transport's `server`, which the scans read): until the
 * slot is taken again, a late read or write of the protocol (p->transport
 * included) or of the transport past `server` is reported; the library's
 * own functions, given a late transport, read only `server` and fail as
 * above.
 * @{ */

/** @brief The most a transport reads at once, into the server's one shared
 *         buffer (no idle connection holds a read buffer). */
#define PR_READ_MAX (16 * 1024)
/** @brief Back-pressure: with this much output waiting, a transport stops
 *         reading its peer (el_del() #EL_READABLE)... */
#define PR_OUT_HIGH (256 * 1024)
/** @brief ...and reads again once what waits has drained below this. */
#define PR_OUT_LOW (64 * 1024)
/** @brief The longest line the line receiver takes, its `\n` included. */
#define PR_LINE_MAX (64 * 1024)

typedef struct pr_server pr_server_t;
typedef struct pr_transport pr_transport_t;

/** @brief The head of every protocol: the user's protocol struct starts
 *         with it (`typedef struct { pr_protocol_t base; ... } echo_t;`). */
typedef struct pr_protocol {
    pr_transport_t *transport;  /**< where to write; set before connection_made() */
} pr_protocol_t;

/** @brief A factory (Twisted's Factory with its Protocol class): how big a
 *         protocol is and what to call. */
typedef struct pr_factory {
    size_t size;  /**< sizeof the protocol struct (at least sizeof(pr_protocol_t)) */
    /** The connection is up (NULL: nothing to do). */
    void (*connection_made)(pr_protocol_t *p);
    /** @p len (1 or more) bytes came; they are valid during the call only. */
    void (*data_received)(pr_protocol_t *p, const char *data, size_t len);
    /** The connection is closed (@p err: 0 for a clean end, ETIMEDOUT when
     *  idle too long, else the errno that ended it); the protocol still
     *  holds what the connection left in it, and p->transport is still
     *  valid but closed (pr_write(): EPIPE). The slot is zeroed after it
     *  returns: free what it holds, and unlink it from wherever it is
     *  linked (the next connection on that descriptor gets the slot).
     *  Never pr_server_free() from here. NULL: nothing to do. */
    void (*connection_lost)(pr_protocol_t *p, int err);
    void *data;   /**< the factory's own (a chat room) */
    /** A client was accepted but not served, and is closed already
     *  (@p err: ERANGE, its descriptor past the server's slots; EMFILE or
     *  ENFILE, no descriptor left in the process or the system; EBUSY, the
     *  slot of its descriptor is still taken (a protocol close()d pr_fd()
     *  itself); or what the loop's el_add() said: ENOMEM, epoll's
     *  ENOSPC). For the program to say so: the library never prints.
     *  NULL: nothing said. */
    void (*refused)(pr_server_t *srv, int err);
} pr_factory_t;

/** @brief Bytes waiting to be sent: data[start, end) of cap. Allocated
 *         only while bytes wait. */
typedef struct pr_buf {
    size_t start;            /**< the first byte that waits */
    size_t end;              /**< one past the last */
    size_t cap;              /**< the room in data */
    char data[];             /**< the bytes */
} pr_buf_t;

/** @brief Transport flag: being closed (no more reading; no more writing). */
#define PR_DOOMED 0x1
/** @brief Transport flag: pr_lose_connection() was called; closes once the
 *         output has drained. */
#define PR_CLOSING 0x2
/** @brief Transport flag: not read (back-pressure) until output drains. */
#define PR_PAUSED 0x4

/**
 * @brief A connection (Twisted's transport): 24 bytes on a 64-bit system.
 *
 * It is in its descriptor's slot in `server->slots`, after the protocol,
 * so its descriptor is its slot's index (pr_fd()) and needs no field. Nothing links transports: the idle sweep and the reap timer
 * scan the slots up to `server->maxfd`. errno values are small positive
 * ints (Linux's stay below 200), so 16 bits hold `err`; three flags fit in
 * 16 more.
 */
struct pr_transport {
    pr_server_t *server;          /**< the server it belongs to; NULL: the slot is free */
    pr_buf_t *out;                /**< output waiting, NULL while none */
    unsigned last_ms;             /**< when it was last active: el_now_ms() - server->epoch_ms,
                                       modulo 2^32 (compare as unsigned differences) */
    unsigned short flags;         /**< #PR_DOOMED, #PR_CLOSING, #PR_PAUSED */
    unsigned short err;           /**< the errno that ended it, 0 if none */
};

/**
 * @brief A server: its listening socket, factory, connections, timers.
 *
 * `slots` is one calloc() of `nslots` slots (the loop's setsize once
 * pr_serve() watched the listener), slot `fd` for the connection on
 * descriptor `fd`, `slot_size` bytes: the protocol at the slot's start
 * (factory->size bytes), then the transport at `transport_at`
 * (factory->size rounded up to a multiple of _Alignof(pr_transport_t));
 * slot_size is transport_at + sizeof(pr_transport_t) rounded up to a
 * multiple of _Alignof(max_align_t), so every protocol is aligned as
 * malloc() would align it (the echo protocol's slot: 8 + 24 = 32 bytes).
 * The array never moves, so pointers to transports and protocols stay
 * valid (but see connection_lost()). A slot's pages cost memory once a
 * connection has used it (with glibc, a calloc() this large is mmap()-ed,
 * untouched pages not resident: the lesson's README says when; a slot
 * once used stays resident). A client whose descriptor is nslots or more
 * is refused (closed; factory->refused() told, with ERANGE): make the loop
 * as large as the descriptors the process may have.
 */
struct pr_server {
    el_loop_t *loop;                  /**< the loop it runs in */
    const pr_factory_t *factory;      /**< what makes protocols */
    int lfd;                          /**< the listening socket, non-blocking */
    int spare_fd;                     /**< kept for EMFILE: closed, accept, close the client */
    int idle_ms;                      /**< close a connection idle this long (0: never) */
    long long epoch_ms;               /**< el_now_ms() when it started */
    long long idle_timer;             /**< the sweep timer's id, 0 if none */
    long long reap_timer;             /**< the timer that closes doomed transports, 0 if none armed */
    char *slots;                      /**< nslots slots of slot_size bytes, indexed by descriptor */
    size_t slot_size;                 /**< the protocol, then the transport, aligned */
    size_t transport_at;              /**< where the transport is in a slot: factory->size
                                           rounded up to _Alignof(pr_transport_t) */
    int nslots;                       /**< slots in the array */
    int maxfd;                        /**< the highest slot in use (live or doomed), -1 if none */
    size_t count;                     /**< live connections */
    size_t ndoomed;                   /**< doomed ones the reap timer has still to close */
    char rbuf[PR_READ_MAX];           /**< the one read buffer all its connections share */
};

/**
 * @brief Serves connections on @p lfd with @p factory in @p loop.
 *
 * Makes @p lfd non-blocking and watches it for reading, then makes the
 * slots (one calloc() of loop->setsize slots: see struct pr_server); each
 * time @p lfd is readable, accepts up to 128 waiting clients (each made
 * non-blocking and watched for reading; one past the slots, or that the
 * loop refuses, is closed at once and factory->refused() told). With @p idle_ms > 0, a timer every idle_ms / 4
 * ms (at least 10) closes connections that have received nothing and sent
 * nothing for idle_ms (connection_lost() with ETIMEDOUT).
 * @return the server, or NULL with errno (EINVAL: a NULL argument, a
 *         negative idle_ms, or a factory of size below sizeof(pr_protocol_t)
 *         or above 2^30, where slot_size would come near wrapping around;
 *         ENOMEM; what el_add() said of @p lfd).
 */
pr_server_t *pr_serve(el_loop_t *loop, int lfd, const pr_factory_t *factory, int idle_ms);

/**
 * @brief Closes every connection (connection_lost() with 0 for each),
 *        deletes the server's timers, stops watching @p lfd (does not close
 *        it) and frees the server. NULL: nothing. Not from one of the
 *        server's own callbacks (connection_lost() above all: the slot it
 *        is called for is zeroed after it returns, in the freed array).
 */
void pr_server_free(pr_server_t *srv);

/**
 * @brief Sends @p len bytes on @p t, in order after what waits: what the
 *        socket takes now goes now, the rest is kept (allocated only then)
 *        and sent when the socket is writable. With #PR_OUT_HIGH bytes or
 *        more waiting, stops reading the peer (back-pressure).
 * @return 0, or -1 with errno: EINVAL, EPIPE (the transport is closing or
 *         doomed, or its slot is free: see connection_lost()), ENOMEM; a
 *         send error dooms the transport and is said.
 */
int pr_write(pr_transport_t *t, const void *data, size_t len);

/** @brief How many bytes wait to be sent on @p t. */
size_t pr_pending(const pr_transport_t *t);

/** @brief The socket of @p t: the index of its slot in
 *         `t->server->slots`, `((char *)t - srv->slots) / srv->slot_size`
 *         (t is inside its slot, so the division drops its offset); -1
 *         with errno EPIPE for a free slot (`t->server` NULL). */
int pr_fd(const pr_transport_t *t);

/**
 * @brief Closes @p t once what waits has been sent (Twisted's
 *        loseConnection): no more reading now. The close itself, and
 *        connection_lost(), come later, from the loop: @p t stays valid
 *        until the current callback returns. A free slot: nothing.
 */
void pr_lose_connection(pr_transport_t *t);

/** @brief Closes @p t without sending what waits (a peer too slow); like
 *         pr_lose_connection(), the close comes later, from the loop. A
 *         free slot: nothing. */
void pr_abort(pr_transport_t *t);

/** @brief 1 once pr_lose_connection() or pr_abort() was called on @p t, or
 *         the connection failed, or its slot is free: write nothing more,
 *         read nothing more. */
int pr_disconnecting(const pr_transport_t *t);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: The line receiver
 *
 * A protocol that cuts what comes into lines: its data_received is
 * pr_line_data_received(); it calls the ops' line_received() once per
 * complete line, without its `\n`, however the bytes were split. A partial
 * line waits in a buffer allocated only while one waits. In raw mode, the
 * bytes go to raw_data_received() as they come.
 * @{ */

typedef struct pr_line_receiver pr_line_receiver_t;

/** @brief What a line receiver calls (its "subclass"). */
typedef struct pr_line_ops {
    /** One complete line, without its `\n` (a `\r` before it stays). */
    void (*line_received)(pr_line_receiver_t *lr, const char *line, size_t len);
    /** Raw mode: the bytes as they came (NULL: thrown away). */
    void (*raw_data_received)(pr_line_receiver_t *lr, const char *data, size_t len);
    /** A line longer than max_line came (NULL: pr_abort() the transport). */
    void (*line_too_long)(pr_line_receiver_t *lr);
    size_t max_line;   /**< the longest line, its `\n` included (0: #PR_LINE_MAX) */
} pr_line_ops_t;

/** @brief The head of a line-receiving protocol. */
struct pr_line_receiver {
    pr_protocol_t base;        /**< the protocol head */
    const pr_line_ops_t *ops;  /**< set in connection_made() */
    pr_buf_t *in;              /**< a partial line, NULL while none waits */
    int raw;                   /**< 1: raw mode */
};

/**
 * @brief The data_received of a line receiver (put it in the factory).
 *
 * Appends to the partial line and calls line_received() for each complete
 * line, in order; stops as soon as the transport is disconnecting. A line
 * whose length with its `\n` passes max_line (or max_line bytes with no
 * `\n` yet) calls line_too_long() and ends the delivery. When a callback
 * switches to raw mode, the bytes after that line go to
 * raw_data_received() at once. What is left is kept for the next call.
 */
void pr_line_data_received(pr_protocol_t *p, const char *data, size_t len);

/** @brief Switches @p lr to raw mode (1) or line mode (0). */
void pr_line_set_raw(pr_line_receiver_t *lr, int raw);

/** @brief Frees the partial line: call it from connection_lost(). */
void pr_line_release(pr_line_receiver_t *lr);

/** @} */

#endif
