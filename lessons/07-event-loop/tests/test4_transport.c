/* Task 4: transports (proto.c): the factory, the callbacks, output that
 * waits, back-pressure, closing, idle connections. The server runs in
 * this test process (pr_serve() on a listening socket of the test's) and
 * the test's clients are plain sockets; the loop is pumped between. */
#include "libutil.h"

#include <arpa/inet.h>
#include <sys/resource.h>

SL_TASK(4, "Transports and protocols");

/* ---- a protocol that records ------------------------------------------------------- */

typedef struct probe {
    pr_protocol_t base;
    size_t got;
    int made, lost, err;
} probe_t;

static probe_t *last_probe;   /* the protocol of the last connection made */
static int made, lost, lost_err;
static size_t received;
static char first_bytes[64];
static size_t big_write;      /* connection_made writes this many bytes, if not 0 */
static int lose_after_write;  /* then pr_lose_connection() */
static int abort_after_write; /* then pr_abort() */
static int disconnecting;     /* pr_disconnecting() right after */
static int write_after = -2;  /* pr_write() after those: its return, then its errno */
static int write_after_err;
static int lost_inside;       /* connection_lost() calls by the end of connection_made() */
static int echo_mode;
static int small_sndbuf;      /* connection_made sets SO_SNDBUF 4096 on the server's socket */
static probe_t *watched;      /* a protocol the test follows; NULL once it is lost */
static int watched_lost, watched_err;
static size_t watched_got;
static probe_t *aborter;      /* data_received of this one pr_abort()s watched */

static const char *pattern(void)
{
    static char buf[1 << 20];

    if (buf[0] == 0)
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (char)('a' + (i * 7 + i / 1024) % 26);
    return buf;
}

static int made_fd = -1;       /* pr_fd() of the last connection made */
static int made_dirty;         /* connection_made() found the protocol not zeroed */
static int lost_made = -1;     /* the protocol's made, got, and transport != NULL */
static size_t lost_got;        /* as connection_lost() saw them, last time */
static int lost_transport = -1;

static void probe_made(pr_protocol_t *p)
{
    probe_t *pr = (probe_t *)p;

    made++;
    if (pr->got != 0 || pr->made != 0 || pr->lost != 0 || pr->err != 0)
        made_dirty++;
    made_fd = pr_fd(p->transport);
    pr->made = 1;
    last_probe = pr;
    if (big_write > 0 || small_sndbuf) {   /* a small send buffer: the kernel cannot take it all */
        int small = 4096;

        setsockopt(pr_fd(p->transport), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    }
    for (size_t sent = 0; sent < big_write; sent += 1 << 16) {
        size_t n = big_write - sent < (1 << 16) ? big_write - sent : 1 << 16;

        if (pr_write(p->transport, pattern() + sent % (1 << 19), n) < 0)
            SL_FAIL("pr_write() of %zu bytes in connection_made failed: %s", n, strerror(errno));
    }
    if (lose_after_write)
        pr_lose_connection(p->transport);
    if (abort_after_write)
        pr_abort(p->transport);
    disconnecting = pr_disconnecting(p->transport);
    if (lose_after_write || abort_after_write) {
        errno = 0;
        write_after = pr_write(p->transport, "x", 1);
        write_after_err = errno;
    }
    lost_inside = lost;
}

static void probe_data(pr_protocol_t *p, const char *data, size_t len)
{
    probe_t *pr = (probe_t *)p;

    if (received < sizeof first_bytes)
        memcpy(first_bytes + received, data,
               len < sizeof first_bytes - received ? len : sizeof first_bytes - received);
    received += len;
    pr->got += len;
    if (pr == watched)
        watched_got += len;
    if (pr == aborter && watched != NULL)
        pr_abort(watched->base.transport);
    if (echo_mode)
        (void)pr_write(p->transport, data, len);
}

static void probe_lost(pr_protocol_t *p, int err)
{
    probe_t *pr = (probe_t *)p;

    lost++;
    lost_err = err;
    lost_made = pr->made;
    lost_got = pr->got;
    lost_transport = p->transport != NULL;
    pr->lost = 1;   /* marks the slot: the next connection on it must find it zeroed */
    pr->err = err != 0 ? err : -1;
    if (last_probe == (probe_t *)p)
        last_probe = NULL;
    if (watched == (probe_t *)p) {
        watched = NULL;
        watched_lost++;
        watched_err = err;
    }
    if (aborter == (probe_t *)p)
        aborter = NULL;
}

static int refused, refused_err;

static void probe_refused(pr_server_t *srv, int err)
{
    (void)srv;
    refused++;
    refused_err = err;
}

static const pr_factory_t probe_factory = {sizeof(probe_t), probe_made, probe_data, probe_lost,
                                           NULL, probe_refused};

static void reset_probe(void)
{
    last_probe = NULL;
    made = lost = lost_err = 0;
    refused = refused_err = 0;
    received = 0;
    big_write = 0;
    lose_after_write = 0;
    abort_after_write = 0;
    disconnecting = -1;
    write_after = -2;
    write_after_err = 0;
    echo_mode = 0;
    small_sndbuf = 0;
    watched = aborter = NULL;
    watched_lost = watched_err = 0;
    watched_got = 0;
}

/* Ends the test if the server closed the connection it serves for the
 * test's client (connection_lost() was called): the transport the test
 * holds is zeroed then, its slot free for the next connection. */
static void still_served(const char *during)
{
    if (lost > 0)
        SL_FAIL_FATAL("the server closed the connection %s (connection_lost() with err %s, "
                      "%s)%s", during, sl_errno_name(lost_err), strerror(lost_err),
                      lost_err == EAGAIN ? ": EAGAIN from send() or recv() is \"not now\", "
                      "never an error" : "");
}

/* Waits until connection_made() was called want times in all. */
static void until_made(el_loop_t *loop, int want)
{
    for (double end = sl_now_ms() + sl_scaled_ms(1000); made < want && sl_now_ms() < end;)
        RT_ROUND(loop, 10);
    if (made < want)
        SL_FAIL_FATAL("%d clients connected, but connection_made() was called %d times", want,
                      made);
}

/* A listening socket on 127.0.0.1, port in *port. */
static int listener(int *port)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
        SL_FAIL_FATAL("could not listen on 127.0.0.1: %s", strerror(errno));
    *port = ntohs(sin.sin_port);
    return fd;
}

/* A client connected to port, its receive buffer rcvbuf if not 0. */
static int client(int port, int rcvbuf)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0)
        SL_FAIL_FATAL("could not connect to 127.0.0.1:%d: %s", port, strerror(errno));
    rt_nonblock(fd);
    return fd;
}

typedef struct served {
    el_loop_t *loop;
    pr_server_t *srv;
    int lfd, port;
} served_t;

static void serve(served_t *s, const char *backend, int idle_ms)
{
    reset_probe();
    s->loop = RT_LOOP(backend, 64);
    s->lfd = listener(&s->port);
    errno = 0;
    s->srv = pr_serve(s->loop, s->lfd, &probe_factory, idle_ms);
    if (s->srv == NULL)
        sl_fail_errno_at(__FILE__, __LINE__, 1, errno, "pr_serve() returned NULL");
}

static void unserve(served_t *s)
{
    pr_server_free(s->srv);
    el_free(s->loop);
    close(s->lfd);
}

/* Reads what comes on fd for ms (pumping the loop): the bytes into buf (up
 * to cap), the count returned; *eof set at the end of the stream. */
static size_t drain(served_t *s, int fd, char *buf, size_t cap, size_t want, int ms, int *eof)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    size_t total = 0;
    char tmp[65536];

    *eof = 0;
    while (sl_now_ms() < end && !*eof && total < want) {
        ssize_t n;

        RT_ROUND(s->loop, 2);
        while ((n = recv(fd, tmp, sizeof tmp, 0)) > 0) {
            if (buf != NULL && total < cap)
                memcpy(buf + total, tmp, (size_t)n < cap - total ? (size_t)n : cap - total);
            total += (size_t)n;
        }
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            *eof = 1;
    }
    return total;
}

/* An accepted socket must be non-blocking (a blocking one stalls the
 * whole loop in send() or recv()) and close-on-exec (a program the server
 * exec()s would hold the client open), both at once, from accept4(). */
static void accepted_flags(int fd)
{
    SL_HINT("Accept with accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC): a blocking "
            "client socket stalls every client in one send() or recv(), and one without "
            "FD_CLOEXEC is inherited by any program the server exec()s. Both flags in the one "
            "call, with no window between accept() and fcntl().")
    {
        SL_CHECK_INT("O_NONBLOCK set on the accepted socket (fcntl(F_GETFL))",
                     (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, 1);
        SL_CHECK_INT("FD_CLOEXEC set on the accepted socket (fcntl(F_GETFD))",
                     (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, 1);
    }
}

/* A connection is the slot of its descriptor: the protocol first, the
 * transport after it. */
static void in_its_slot(const served_t *s, const pr_transport_t *t)
{
    const size_t at = (sizeof(probe_t) + _Alignof(pr_transport_t) - 1) /
                      _Alignof(pr_transport_t) * _Alignof(pr_transport_t);
    const size_t size = (at + sizeof(pr_transport_t) + _Alignof(max_align_t) - 1) /
                        _Alignof(max_align_t) * _Alignof(max_align_t);
    const char *want = s->srv->slots + (size_t)pr_fd(t) * s->srv->slot_size;

    SL_HINT("Each connection is the slot of its descriptor, srv->slots + fd * srv->slot_size: "
            "the protocol at its start, the transport at srv->transport_at (factory->size "
            "rounded up to a multiple of _Alignof(pr_transport_t)); slot_size is transport_at "
            "+ sizeof(pr_transport_t) rounded up to a multiple of _Alignof(max_align_t); "
            "pr_serve() makes loop->setsize slots in one calloc().")
    {
        SL_CHECK_INT("slots of the server (the loop's setsize)", s->srv->nslots, 64);
        SL_CHECK_INT("transport_at for the test's protocol", s->srv->transport_at, at);
        SL_CHECK_INT("slot_size for the test's protocol", s->srv->slot_size, size);
        SL_CHECK_INT("the protocol is at the start of slot pr_fd(t)",
                     last_probe != NULL && (const char *)last_probe == want, 1);
        SL_CHECK_INT("the transport is at transport_at in its slot",
                     (const char *)t == want + at, 1);
    }
}

/* A protocol of an odd size (13 bytes): its transport at 16, the next
 * multiple of _Alignof(pr_transport_t), its slot 48 bytes. */
static void odd_sized_slots(served_t *s)
{
    static const pr_factory_t odd = {sizeof(pr_protocol_t) + 5, NULL, probe_data, NULL, NULL,
                                     NULL};
    const size_t at = (odd.size + _Alignof(pr_transport_t) - 1) / _Alignof(pr_transport_t) *
                      _Alignof(pr_transport_t);
    const size_t size = (at + sizeof(pr_transport_t) + _Alignof(max_align_t) - 1) /
                        _Alignof(max_align_t) * _Alignof(max_align_t);
    int port, lfd = listener(&port);
    pr_server_t *srv;

    errno = 0;
    srv = pr_serve(s->loop, lfd, &odd, 0);
    if (srv == NULL)
        sl_fail_errno_at(__FILE__, __LINE__, 1, errno, "pr_serve() of a factory of size %zu "
                         "returned NULL", odd.size);
    SL_HINT("transport_at is factory->size rounded up to a multiple of _Alignof(pr_transport_t) "
            "(a protocol of 13 bytes: the transport at 16, not 13, where its pointer would be "
            "misaligned); slot_size is transport_at + sizeof(pr_transport_t) rounded up to a "
            "multiple of _Alignof(max_align_t).")
    {
        SL_CHECK_INT("transport_at for a protocol of 13 bytes", srv->transport_at, at);
        SL_CHECK_INT("slot_size for a protocol of 13 bytes", srv->slot_size, size);
    }
    pr_server_free(srv);
    close(lfd);
}

/* A new client on the number the last one left (the test's client, made
 * first, takes the lower free number): its protocol must come zeroed,
 * protocol and transport, though the last connection's protocol marked
 * the slot in connection_lost(). */
static void reused_slot(served_t *s, int *fd)
{
    int was = made_fd, eof;

    close(*fd);
    made = made_dirty = 0;
    *fd = client(s->port, 0);
    rt_until(s->loop, &made, 1000);
    SL_CHECK_INT("connection_made() calls for the next client", made, 1);
    if (made_fd != was)
        sl_note("the next client came on descriptor %d, not %d: the slot was not reused",
                made_fd, was);
    SL_HINT("A slot given to a new connection must be all zeros, the protocol too: zero all "
            "slot_size bytes once its last connection is closed (after connection_lost()), "
            "not only the transport.")
    {
        SL_CHECK_INT("connection_made() found the reused slot's protocol not zeroed",
                     made_dirty, 0);
    }
    lost = 0;
    shutdown(*fd, SHUT_WR);
    drain(s, *fd, NULL, 0, 1, 1000, &eof);
    rt_until(s->loop, &lost, 1000);
    SL_CHECK_INT("connection_lost() calls for the next client", lost, 1);
    close(*fd);
    *fd = -1;
}

/* A client whose descriptor is past the slots: the test takes every
 * descriptor below 64 (the loop's setsize, so the server's slots). */
static void refused_past_the_slots(served_t *s)
{
    int fillers[64], nfill = 0, fd, eof;

    for (int d; nfill < 64 && (d = dup(s->lfd)) >= 0; fillers[nfill++] = d) {
        if (d >= 64) {   /* every one below is taken: the next accepted is past the slots */
            close(d);
            break;
        }
    }
    made = 0;
    fd = client(s->port, 0);
    drain(s, fd, NULL, 0, 1, 1000, &eof);
    SL_HINT("A client accepted with a descriptor at or past srv->nslots has no slot: close it "
            "at once (no connection_made()), tell factory->refused(srv, ERANGE) if it is set "
            "(the program says so: the library never prints), and go on serving.")
    {
        SL_CHECK_INT("the client past the slots was closed at once", eof, 1);
        SL_CHECK_INT("connection_made() calls for it", made, 0);
        SL_CHECK_INT("factory->refused() calls for it", refused, 1);
        SL_CHECK_INT("factory->refused()'s err is ERANGE", refused_err, ERANGE);
    }
    close(fd);
    for (int i = 0; i < nfill; i++)
        close(fillers[i]);
}

/* Out of descriptors: a client waits to be accepted while every number
 * below the process's (lowered) RLIMIT_NOFILE is taken; the server must
 * take it with its spare descriptor and close it (EMFILE), not leave the
 * listener readable for ever. The limit is put back after. */
static void refused_out_of_descriptors(served_t *s)
{
    struct rlimit was = {0, 0}, low;
    int fd = client(s->port, 0), eof = 0, next = dup(0);

    made = refused = refused_err = 0;
    if (next < 0 || getrlimit(RLIMIT_NOFILE, &was) < 0)
        SL_FAIL_FATAL("dup() or getrlimit() failed: %s", strerror(errno));
    close(next);   /* every number below next is taken */
    low = was;
    low.rlim_cur = (rlim_t)next;
    if (setrlimit(RLIMIT_NOFILE, &low) < 0)
        SL_FAIL_FATAL("setrlimit(RLIMIT_NOFILE, %d) failed: %s", next, strerror(errno));
    sl_note("RLIMIT_NOFILE lowered to %d, every descriptor below it taken: accept() fails with "
            "EMFILE", next);
    for (double end = sl_now_ms() + sl_scaled_ms(500); refused == 0 && sl_now_ms() < end;)
        RT_ROUND(s->loop, 5);
    setrlimit(RLIMIT_NOFILE, &was);
    drain(s, fd, NULL, 0, 1, 300, &eof);
    SL_HINT("accept() failing with EMFILE (or ENFILE) leaves the client waiting and the "
            "listener readable: the loop spins, and the client is never told. Keep a spare "
            "descriptor (srv->spare_fd, open(\"/dev/null\")): close it, accept the client, "
            "close it, tell factory->refused(srv, EMFILE), and open the spare again.")
    {
        SL_CHECK_INT("factory->refused() calls for a client accepted with no descriptor left",
                     refused, 1);
        SL_CHECK_INT("factory->refused()'s err is EMFILE", refused_err, EMFILE);
        SL_CHECK_INT("the client turned away was closed", eof, 1);
        SL_CHECK_INT("connection_made() calls for it", made, 0);
    }
    close(fd);
}

RT_BACKENDS(transport_calls_made_received_lost, 3, 0,
            "pr_serve() watches the listener; each client accepted gets the slot of its "
            "descriptor in the server's one array (the protocol, the transport after it, "
            "zeroed), its protocol's transport set, and connection_made(); each recv() that "
            "brings bytes calls data_received(); the end of the stream calls "
            "connection_lost(p, 0) once. A client past the slots is closed at once "
            "(factory->refused(srv, ERANGE)).")
{
    served_t s;
    pr_transport_t *gone;
    int fd, eof;

    serve(&s, backend, 0);
    SL_CHECK_INT("el_mask() of the listening socket", el_mask(s.loop, s.lfd), EL_READABLE);
    fd = client(s.port, 0);
    rt_until(s.loop, &made, 1000);
    SL_CHECK_INT("connection_made() calls for one client", made, 1);
    if (last_probe != NULL)
        SL_CHECK_INT("the protocol's transport is set", last_probe->base.transport != NULL, 1);
    if (last_probe != NULL && last_probe->base.transport != NULL) {
        accepted_flags(pr_fd(last_probe->base.transport));
        in_its_slot(&s, last_probe->base.transport);
    }
    odd_sized_slots(&s);
    gone = last_probe != NULL ? last_probe->base.transport : NULL;
    SL_REQUIRE(send(fd, "hello\n", 6, MSG_NOSIGNAL), 6);
    for (double end = sl_now_ms() + 1000; received < 6 && sl_now_ms() < end;)
        RT_ROUND(s.loop, 10);
    SL_CHECK_BYTES("what data_received() got", first_bytes, received < 6 ? received : 6,
                   "hello\n", 6);
    shutdown(fd, SHUT_WR);
    drain(&s, fd, NULL, 0, 1, 1000, &eof);
    rt_until(s.loop, &lost, 1000);
    if (lost == 0 && last_probe != NULL && (last_probe->base.transport->flags & PR_DOOMED))
        SL_FAIL("a doomed slot never reaped: the transport was doomed (PR_DOOMED) at the end of "
                "the stream, and 1 s later it was still open, connection_lost() not called. "
                "doom() arms a timer of 0 ms (when none is armed) whose callback closes every "
                "doomed slot from 0 up to and including srv->maxfd, while srv->ndoomed > 0");
    SL_HINT(lost > 0 && !eof ? "connection_lost() was called, yet the client never saw the "
            "end of the stream: closing a connection is el_del() both ways, close() its "
            "descriptor, connection_lost(), then zero the slot (a slot whose descriptor stays "
            "open is not reused either)." : "")
    {
        SL_CHECK_INT("the server closed after the client's end of stream", eof, 1);
    }
    SL_CHECK_INT("connection_lost() calls", lost, 1);
    SL_CHECK_INT("connection_lost()'s err for a clean end", lost_err, 0);
    SL_HINT("connection_lost() must see the protocol as the connection left it (its fields, "
            "its transport): call it before you zero the slot, not after.")
    {
        SL_CHECK_INT("the protocol's field set in connection_made(), seen in connection_lost()",
                     lost_made, 1);
        SL_CHECK_INT("the bytes data_received() counted in the protocol, seen in "
                     "connection_lost()", (long long)lost_got, 6);
        SL_CHECK_INT("p->transport is set in connection_lost()", lost_transport, 1);
    }
    if (gone != NULL && lost == 1) {
        SL_HINT("On a free slot (t->server NULL, the connection gone) the library reads only "
                "t->server: pr_disconnecting() says 1, pr_write() fails with EPIPE, pr_fd() "
                "returns -1 (EPIPE).")
        {
            SL_CHECK_INT("pr_disconnecting() on the free slot of a connection gone",
                         pr_disconnecting(gone), 1);
            SL_ASSERT_FAILS_WITH(pr_write(gone, "x", 1), EPIPE);
            SL_ASSERT_FAILS_WITH(pr_fd(gone), EPIPE);
        }
    }
    SL_HINT("Once the last connection is gone, srv->maxfd comes down to -1 (destroy() lowers "
            "it past the free slots): the sweep and the reap timer scan up to it.")
    {
        SL_CHECK_INT("srv->maxfd once every connection is gone", s.srv->maxfd, -1);
    }
    reused_slot(&s, &fd);
    refused_past_the_slots(&s);
    refused_out_of_descriptors(&s);
    fd = client(s.port, 0);
    rt_until(s.loop, &made, 1000);
    SL_CHECK_INT("connection_made() calls for a client after one was refused", made, 1);
    made = 0;
    rt_until(s.loop, &made, 200);   /* nothing more */
    pr_server_free(s.srv);
    SL_CHECK_INT("connection_lost() calls after pr_server_free() with one client left", lost, 2);
    el_free(s.loop);
    close(s.lfd);
    close(fd);
}

/* Output waits (the socket is full); the client reads a little, so that
 * the socket turns writable while bytes still wait in the transport; then
 * 64 KiB more is written, with no round between: it must go after what
 * waits. What the client read is kept in got; its count returned. */
static size_t more_while_bytes_wait(int fd, pr_transport_t *t, char *got, size_t cap)
{
    struct pollfd pfd = {.fd = pr_fd(t), .events = POLLOUT};
    size_t early = 0, at = (cap - (1 << 16)) % (1 << 19);
    ssize_t n;

    for (double end = sl_now_ms() + sl_scaled_ms(500); early < 4096 && sl_now_ms() < end;) {
        n = recv(fd, got + early, 4096 - early, 0);
        if (n > 0)
            early += (size_t)n;
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        else
            sl_sleep_ms(1);
    }
    if (poll(&pfd, 1, (int)sl_scaled_ms(500)) != 1 || !(pfd.revents & POLLOUT))
        sl_note("the server's socket did not turn writable after the client read %zu bytes",
                early);
    sl_note("the client read %zu bytes; with %zu waiting and the socket writable, the test "
            "calls pr_write() of 64 KiB more", early, pr_pending(t));
    if (pr_write(t, pattern() + at, 1 << 16) < 0)
        SL_FAIL("pr_write() of 64 KiB while output waits failed: %s", strerror(errno));
    return early;
}

RT_BACKENDS(transport_keeps_what_the_socket_does_not_take, 4, 5000,
            "pr_write() sends what the socket takes now and keeps the rest in the transport's "
            "output buffer, sent in order when the socket is writable (EL_WRITABLE watched "
            "only while bytes wait). 2 MiB written at once to a client that is not reading "
            "yet must all arrive, in order, and so must what is written after it.")
{
    static char got[(2 << 20) + (1 << 16)];
    served_t s;
    int fd, eof;
    size_t n, early = 0;

    serve(&s, backend, 0);
    big_write = 2 << 20;
    fd = client(s.port, 4096);
    rt_until(s.loop, &made, 1000);
    if (last_probe != NULL) {
        SL_HINT("Output dropped when the socket is full? 2 MiB cannot fit in the socket: what "
                "send() did not take must wait in the transport's output (pr_pending() counts "
                "it), to be sent when the socket is writable.")
        {
            SL_CHECK_INT("pr_pending() > 0 after 2 MiB written to a client that reads nothing",
                         pr_pending(last_probe->base.transport) > 0, 1);
        }
        SL_CHECK_INT("EL_WRITABLE watched while output waits",
                     (el_mask(s.loop, pr_fd(last_probe->base.transport)) & EL_WRITABLE) != 0, 1);
        early = more_while_bytes_wait(fd, last_probe->base.transport, got, sizeof got);
    }
    n = early + drain(&s, fd, got + early, sizeof got - early, sizeof got - early, 4000, &eof);
    SL_HINT("Output dropped when the socket is full: what send() did not take (EAGAIN, or a "
            "short count) must be kept and sent when the socket is writable.")
    {
        SL_CHECK_INT("bytes the client got of 2 MiB + 64 KiB written", n, sizeof got);
    }
    for (size_t i = 0; i < n && i < sizeof got; i += 1 << 16) {
        size_t len = n - i < (1 << 16) ? n - i : 1 << 16;

        if (memcmp(got + i, pattern() + i % (1 << 19), len) != 0) {
            while (got[i] == pattern()[i % (1 << 19)])
                i++;
            SL_HINT("Bytes out of order: while bytes wait in the transport's output, pr_write() "
                    "must append to them and send nothing itself (try send() at once only when "
                    "pr_pending() is 0). The socket may well be writable then: the peer read a "
                    "little, or its writable event is still to come this round; what pr_write() "
                    "sent at once went ahead of what waited.")
            {
                SL_FAIL("the bytes from offset %zu are not those written there: output out of "
                        "order (the client read %zu bytes, then 64 KiB more was written while "
                        "bytes waited and the socket was writable)", i, early);
            }
            break;
        }
    }
    if (last_probe != NULL) {
        SL_HINT("Once the output has all gone, free its buffer (an idle connection holds none) "
                "and stop watching EL_WRITABLE (a socket is nearly always writable: the loop "
                "would spin).")
        {
            SL_CHECK_INT("output buffer of a drained transport is NULL",
                         last_probe->base.transport->out == NULL, 1);
            SL_CHECK_INT("EL_WRITABLE watched once drained",
                         el_mask(s.loop, pr_fd(last_probe->base.transport)) & EL_WRITABLE, 0);
        }
    }
    close(fd);
    unserve(&s);
}

RT_BACKENDS(transport_back_pressure, 4, 6000,
            "With PR_OUT_HIGH bytes waiting, stop reading the peer (el_del() EL_READABLE, "
            "flag PR_PAUSED): an echo client that sends and never reads then stalls itself, "
            "and the server's memory stays bounded. Once what waits drains below PR_OUT_LOW, "
            "read it again.")
{
    served_t s;
    pr_transport_t *t;
    int fd, eof;
    size_t sent = 0, back;
    double end;

    serve(&s, backend, 0);
    echo_mode = 1;
    small_sndbuf = 1;   /* the output drains a few KiB at a time */
    fd = client(s.port, 4096);
    rt_until(s.loop, &made, 1000);
    if (last_probe == NULL)
        SL_FAIL_FATAL("connection_made() was not called");
    t = last_probe->base.transport;
    end = sl_now_ms() + 1500;
    for (double stalled = sl_now_ms(); sl_now_ms() < end && sent < (32u << 20);) {
        ssize_t n = send(fd, pattern(), 1 << 16, MSG_NOSIGNAL);

        if (n > 0) {
            sent += (size_t)n;
            stalled = sl_now_ms();
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            SL_FAIL_FATAL("the server closed or reset the connection while the client sent "
                          "(%zu bytes sent): send() said %s", sent, strerror(errno));
        } else if (sl_now_ms() - stalled > 150) {
            break;   /* nothing taken for 150 ms: the server stopped reading */
        }
        RT_ROUND(s.loop, 1);
        still_served("while the client sent");
    }
    sl_note("the client sent %zu bytes and read none; %zu wait in the transport", sent,
            pr_pending(t));
    if (sent >= (32u << 20) && pr_pending(t) < PR_OUT_HIGH) {
        SL_HINT("Output dropped when the socket is full: what send() did not take (EAGAIN, or "
                "a short count) must wait in the transport's output, counted by pr_pending(); "
                "with PR_OUT_HIGH of it waiting, stop reading the peer.")
        {
            SL_FAIL("the server took all 32 MiB from a client that read none of its echo, yet "
                    "only %zu bytes wait for it: the echo was dropped, not kept", pr_pending(t));
        }
    }
    SL_HINT("No back-pressure: the client never read its echo, yet the server read it all and "
            "kept the echo. With PR_OUT_HIGH waiting, el_del(EL_READABLE) and set PR_PAUSED.")
    {
        SL_CHECK_INT("the server stopped taking bytes (the client could not send 32 MiB)",
                     sent < (32u << 20), 1);
        if (pr_pending(t) > PR_OUT_HIGH + PR_READ_MAX)
            SL_FAIL("%zu bytes wait for a client that does not read: at most PR_OUT_HIGH + "
                    "PR_READ_MAX (%d)", pr_pending(t), PR_OUT_HIGH + PR_READ_MAX);
        SL_CHECK_INT("EL_READABLE watched for a peer with PR_OUT_HIGH waiting",
                     el_mask(s.loop, pr_fd(t)) & EL_READABLE, 0);
        SL_CHECK_INT("PR_PAUSED set", (t->flags & PR_PAUSED) != 0, 1);
    }
    back = 0;
    if (t->flags & PR_PAUSED) {   /* read slowly: the pause must last down to PR_OUT_LOW */
        char buf[4096];
        ssize_t n;

        for (double stop = sl_now_ms() + sl_scaled_ms(4000);
             (t->flags & PR_PAUSED) && sl_now_ms() < stop;) {
            if ((n = recv(fd, buf, sizeof buf, 0)) > 0)
                back += (size_t)n;
            RT_ROUND(s.loop, 1);
            still_served("while the client read its echo");
        }
        SL_HINT("Back-pressure released too early: reading resumes only once what waits is "
                "below PR_OUT_LOW (64 KiB), not as soon as it is below PR_OUT_HIGH; else a slow "
                "reader flips the interest on and off at every send.")
        {
            if (!(t->flags & PR_PAUSED) && pr_pending(t) >= PR_OUT_LOW)
                SL_FAIL("the transport was read again with %zu bytes waiting: at most "
                        "PR_OUT_LOW (%d) may wait when it resumes", pr_pending(t), PR_OUT_LOW);
        }
    }
    back += drain(&s, fd, NULL, 0, sent - back, 4000, &eof);
    SL_HINT("Back-pressure never released: once the output drained below PR_OUT_LOW, the peer "
            "must be read again (el_add() EL_READABLE), or the rest of its bytes are never "
            "echoed. If you call el_add() there, check what it returns: it takes the callback "
            "and its data again (el_add(loop, fd, EL_READABLE, proc, t); a NULL proc fails "
            "with EINVAL and changes nothing), and clear PR_PAUSED only once it succeeded.")
    {
        still_served("while the client read its echo");
        SL_CHECK_INT("echo bytes the client got once it read", back, sent);
        SL_CHECK_INT("EL_READABLE watched again once drained",
                     el_mask(s.loop, pr_fd(t)) & EL_READABLE, EL_READABLE);
    }
    close(fd);
    unserve(&s);
}

RT_BACKENDS(transport_lose_connection_sends_first, 3, 5000,
            "pr_lose_connection() closes once what waits has gone: 1 MiB written, then "
            "pr_lose_connection(), must all reach the client before the end of the stream; "
            "connection_lost() comes after, from the loop, never inside pr_lose_connection().")
{
    served_t s;
    int fd, eof;
    size_t n;

    serve(&s, backend, 0);
    big_write = 1 << 20;
    lose_after_write = 1;
    fd = client(s.port, 4096);
    rt_until(s.loop, &made, 1000);
    SL_CHECK_INT("connection_lost() called inside pr_lose_connection() with output waiting",
                 lost_inside, 0);
    SL_CHECK_INT("pr_disconnecting() after pr_lose_connection()", disconnecting, 1);
    SL_HINT("A transport that is closing (pr_lose_connection()) or doomed (pr_abort(), an "
            "error) takes no more output: pr_write() fails with EPIPE, queues nothing.")
    {
        if (write_after != -1 || write_after_err != EPIPE)
            SL_FAIL("pr_write() after pr_lose_connection() returned %d (errno %s): expected -1 "
                    "with errno EPIPE", write_after, sl_errno_name(write_after_err));
    }
    n = drain(&s, fd, NULL, 0, (size_t)-1, 4000, &eof);
    SL_CHECK_INT("bytes before the end of the stream", n, 1 << 20);
    SL_CHECK_INT("the end of the stream came", eof, 1);
    rt_until(s.loop, &lost, 1000);
    SL_CHECK_INT("connection_lost() calls", lost, 1);
    close(fd);
    sl_note("a second client: 128 KiB written (below PR_OUT_HIGH: not paused), then "
            "pr_lose_connection()");
    big_write = 128 << 10;
    made = lost = 0;
    fd = client(s.port, 4096);
    rt_until(s.loop, &made, 1000);
    if (made == 1 && lost == 0) {
        SL_HINT("pr_lose_connection() means no more reading now, though the output still "
                "drains: el_del() EL_READABLE at once (the close comes once what waits has "
                "gone).")
        {
            SL_CHECK_INT("EL_READABLE watched after pr_lose_connection() with output waiting",
                         el_mask(s.loop, made_fd) & EL_READABLE, 0);
        }
    }
    n = drain(&s, fd, NULL, 0, (size_t)-1, 4000, &eof);
    SL_CHECK_INT("bytes the second client got before the end of the stream", n, 128 << 10);
    close(fd);
    unserve(&s);
}

/* Why an idle connection was not closed, from what the server holds: a
 * slot doomed but never reaped, a connection_lost() with no close(), or
 * no doom at all (the sweep). */
static const char *idle_why(const served_t *s, int lost_before)
{
    for (int fd = 0; fd < s->srv->nslots; fd++) {
        const pr_transport_t *t = (const pr_transport_t *)(s->srv->slots +
                                                           (size_t)fd * s->srv->slot_size +
                                                           s->srv->transport_at);

        if (t->server != NULL && (t->flags & PR_DOOMED))
            return "An idle connection was doomed but never closed: the reap timer must close "
                   "every doomed slot, and srv->reap_timer must go back to 0 when the reap "
                   "timer ends (its callback returns EL_NOMORE), so that the next doom() arms a "
                   "new one; else every doom after the first waits for ever.";
    }
    if (lost > lost_before && lost_err == ETIMEDOUT)
        return "connection_lost(p, ETIMEDOUT) was called, yet the client never saw the end of "
               "the stream: the reap must close() the descriptor (el_del(), close(), "
               "connection_lost(), then zero the slot).";
    return "An idle connection was never doomed. The sweep timer must run every idle_ms / 4 ms "
           "for ever (its callback returns its period; EL_NOMORE runs it once, before anyone "
           "is idle), and doom the connections with now - last_ms >= idle_ms (unsigned "
           "differences); or doomed but never closed: the reap timer must close() it, and "
           "srv->reap_timer must go back to 0 when the reap timer ends.";
}

RT_BACKENDS(transport_idle_timeout, 4, 5000,
            "pr_serve(..., idle_ms) arms a timer that runs every idle_ms / 4 ms for ever (it "
            "returns its period): each run closes the connections that did nothing for "
            "idle_ms, with connection_lost(p, ETIMEDOUT). A busy connection stays.")
{
    served_t s;
    int a, b, c, d, eof = 0, lost_before;
    char junk[256];
    double start;

    serve(&s, backend, 200);
    a = client(s.port, 0);
    c = client(s.port, 0);
    d = client(s.port, 0);
    until_made(s.loop, 3);
    watched = last_probe;   /* d's: the server sends to it, it sends nothing */
    start = sl_now_ms();
    while (sl_now_ms() - start < 400) {
        send(c, "k", 1, MSG_NOSIGNAL);   /* busy */
        if (watched != NULL)
            (void)pr_write(watched->base.transport, "n", 1);   /* d: busy receiving */
        rt_pump(s.loop, 40);
        while (recv(d, junk, sizeof junk, 0) > 0)
            ;
    }
    drain(&s, a, NULL, 0, 1, 10, &eof);
    SL_HINT(eof ? "" : idle_why(&s, 0))
    {
        SL_CHECK_INT("an idle connection closed 400 ms after it came (idle_ms 200)", eof, 1);
    }
    SL_CHECK_INT("connection_lost()'s err for an idle connection", lost_err, ETIMEDOUT);
    SL_HINT("A client that only receives was closed as idle: bytes sent to it are activity "
            "too. touch() the transport when pr_write() sends at once, not only in the read and "
            "write callbacks (a chat client that only listens would be dropped with "
            "ETIMEDOUT while lines reach it).")
    {
        if (watched_lost)
            SL_FAIL("a client sent a byte every 40 ms by pr_write() (and reading it) was closed "
                    "as idle (err %s)", sl_errno_name(watched_err));
    }
    sl_note("a second client comes 400 ms in, after several sweeps");
    lost_before = lost;
    b = client(s.port, 0);
    start = sl_now_ms();
    while (sl_now_ms() - start < 400) {
        send(c, "k", 1, MSG_NOSIGNAL);
        rt_pump(s.loop, 40);
    }
    drain(&s, b, NULL, 0, 1, 10, &eof);
    SL_HINT(eof ? "" : idle_why(&s, lost_before))
    {
        SL_CHECK_INT("a later idle connection closed 400 ms after it came", eof, 1);
    }
    drain(&s, c, NULL, 0, 1, 10, &eof);
    SL_HINT("A busy connection was closed as idle: every recv() that brings bytes, and every "
            "send() that takes some, is activity: touch() the transport there (t->last_ms = "
            "el_now_ms() - srv->epoch_ms), in the read callback above all.")
    {
        SL_CHECK_INT("a busy connection (a byte every 40 ms) closed", eof, 0);
    }
    close(a);
    close(b);
    close(c);
    close(d);
    pr_server_free(s.srv);
    SL_HINT("pr_server_free() must delete the server's timers (the sweep, the reap timer) "
            "before it frees the server: left in the loop, they run on with data pointing at "
            "freed memory.")
    {
        SL_CHECK_INT("callbacks of a round of 120 ms after pr_server_free()", RT_ROUND(s.loop, 120),
                     0);
    }
    el_free(s.loop);
    close(s.lfd);
}

RT_BACKENDS(transport_abort_drops_what_waits, 2, 5000,
            "pr_abort() closes without sending what waits (a chat client too slow to keep): "
            "the output is freed, and the close and connection_lost() come from the loop, "
            "after the callback; pr_disconnecting() says 1 at once.")
{
    served_t s;
    int fd, eof;
    size_t n;

    serve(&s, backend, 0);
    big_write = 1 << 20;
    abort_after_write = 1;
    fd = client(s.port, 4096);
    rt_until(s.loop, &made, 1000);
    SL_HINT("connection_lost() was called inside pr_abort(), while the protocol's callback "
            "still runs and may use the transport: doom it, and close it from the loop (a "
            "timer of 0 ms).")
    {
        SL_CHECK_INT("connection_lost() called inside pr_abort()", lost_inside, 0);
    }
    SL_CHECK_INT("pr_disconnecting() after pr_abort()", disconnecting, 1);
    SL_HINT("A doomed transport (pr_abort(), an error) takes no more output: pr_write() fails "
            "with EPIPE, queues nothing.")
    {
        if (write_after != -1 || write_after_err != EPIPE)
            SL_FAIL("pr_write() after pr_abort() returned %d (errno %s): expected -1 with "
                    "errno EPIPE", write_after, sl_errno_name(write_after_err));
    }
    n = drain(&s, fd, NULL, 0, (size_t)-1, 3000, &eof);
    SL_CHECK_INT("the connection ended", eof, 1);
    if (n >= 1 << 20)
        SL_FAIL("the client got all %zu bytes written before pr_abort(): what waits is dropped",
                n);
    rt_until(s.loop, &lost, 1000);
    SL_CHECK_INT("connection_lost() calls", lost, 1);
    close(fd);
    unserve(&s);
}

/* ---- stale readiness, the end of the stream, a doomed transport ----------------------- */

static int steal_fd = -1;
static size_t stolen;

/* Reads the transport's socket before its own callback runs (a level-
 * triggered event that is stale by the time it is dispatched). */
static void steal(el_loop_t *loop, int fd, void *data, int mask)
{
    char buf[256];
    ssize_t n;

    (void)data;
    (void)mask;
    while (read(fd, buf, sizeof buf) > 0)
        ;
    while ((n = recv(steal_fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
        stolen += (size_t)n;
    el_del(loop, fd, EL_READABLE);
}

RT_BACKENDS(transport_survives_stale_readiness, 2, 5000,
            "A readable event may be stale when its callback runs: an earlier callback of the "
            "round drained the socket (or the kernel changed its mind). recv() then fails with "
            "EAGAIN: that is \"nothing now\", not an error; the connection stays.")
{
    served_t s;
    int h[2], fd;

    serve(&s, backend, 0);
    RT_PAIR(h);   /* below the client's descriptor: its callback runs first */
    fd = client(s.port, 0);
    until_made(s.loop, 1);
    steal_fd = pr_fd(last_probe->base.transport);
    stolen = 0;
    SL_REQUIRE_OK(el_add(s.loop, h[0], EL_READABLE, steal, NULL));
    SL_REQUIRE(write(h[1], "x", 1), 1);   /* first: epoll reports it first */
    SL_REQUIRE(send(fd, "stolen\n", 7, MSG_NOSIGNAL), 7);
    sl_sleep_ms(20);
    sl_note("one round: the first callback reads the transport's socket dry, then the "
            "transport's read callback runs on a stale event");
    RT_ROUND(s.loop, 1000);
    rt_pump(s.loop, 30);
    SL_CHECK_INT("bytes the first callback took from the transport's socket", stolen, 7);
    SL_HINT("EAGAIN treated as an error in recv(): a readable event that is stale by the time "
            "its callback runs (another callback drained the socket) makes recv() fail with "
            "EAGAIN or EWOULDBLOCK. Return, and wait for the next event; do not doom.")
    {
        SL_CHECK_INT("connection_lost() calls after a stale readable event", lost, 0);
    }
    if (lost == 0) {
        SL_REQUIRE(send(fd, "after\n", 6, MSG_NOSIGNAL), 6);
        for (double end = sl_now_ms() + sl_scaled_ms(1000); received < 6 && sl_now_ms() < end;)
            RT_ROUND(s.loop, 10);
        SL_CHECK_INT("bytes data_received() got after the stale event", received, 6);
    }
    close(fd);
    close(h[0]);
    close(h[1]);
    unserve(&s);
}

#define EOF_ECHO (192 * 1024)   /* below PR_OUT_HIGH: never paused */

RT_BACKENDS(transport_end_of_stream_sends_what_waits, 3, 5000,
            "recv() returning 0 is the end of the peer's stream, not of the connection: "
            "pr_lose_connection(), so that the output that waits still goes, then the close "
            "(an echo client that half-closes gets the rest of its echo). pr_abort() there "
            "drops it.")
{
    served_t s;
    pr_transport_t *t;
    size_t sent = 0, n;
    int fd, eof;

    serve(&s, backend, 0);
    echo_mode = 1;
    small_sndbuf = 1;
    fd = client(s.port, 4096);
    until_made(s.loop, 1);
    t = last_probe->base.transport;
    for (double end = sl_now_ms() + sl_scaled_ms(2000); sent < EOF_ECHO && sl_now_ms() < end;) {
        ssize_t k = send(fd, pattern() + sent, EOF_ECHO - sent, MSG_NOSIGNAL);

        if (k > 0)
            sent += (size_t)k;
        RT_ROUND(s.loop, 1);
        still_served("while the client sent");
    }
    for (double end = sl_now_ms() + sl_scaled_ms(1000); received < sent && sl_now_ms() < end;)
        RT_ROUND(s.loop, 5);
    still_served("while the client sent");
    sl_note("the client sent %zu bytes without reading; %zu of the echo wait in the transport",
            sent, pr_pending(t));
    shutdown(fd, SHUT_WR);
    n = drain(&s, fd, NULL, 0, (size_t)-1, 4000, &eof);
    SL_HINT("The end of the client's stream dropped the echo that waited: on recv() == 0 call "
            "pr_lose_connection() (close once the output has gone), not pr_abort().")
    {
        SL_CHECK_INT("echo bytes the client got after it half-closed", n, sent);
    }
    SL_CHECK_INT("the end of the stream came after the echo", eof, 1);
    close(fd);
    unserve(&s);
}

RT_BACKENDS(transport_doomed_is_not_read, 2, 5000,
            "A transport aborted by another connection's callback (a chat server dropping a "
            "slow reader) may have its own event later in the same round: doom() must "
            "el_del() both bits at once, so that no callback of the round reaches a protocol "
            "that is closing; it is closed and its slot zeroed after the round.")
{
    served_t s;
    int x, y;

    serve(&s, backend, 0);
    x = client(s.port, 0);
    until_made(s.loop, 1);
    aborter = last_probe;
    y = client(s.port, 0);
    until_made(s.loop, 2);
    watched = last_probe;
    SL_REQUIRE(send(x, "drop the other\n", 15, MSG_NOSIGNAL), 15);   /* first */
    SL_REQUIRE(send(y, "still here?\n", 12, MSG_NOSIGNAL), 12);
    sl_sleep_ms(20);
    sl_note("both clients' bytes ready in one round; the first one's data_received() "
            "pr_abort()s the second");
    RT_ROUND(s.loop, 1000);
    rt_pump(s.loop, 30);
    SL_HINT("A doomed transport was still read: doom() (pr_abort(), pr_lose_connection() with "
            "nothing waiting, an error) must el_del() EL_READABLE | EL_WRITABLE at once, not "
            "only when the reap timer closes it; else its event later in the round calls its "
            "data_received().")
    {
        SL_CHECK_INT("bytes data_received() gave the aborted connection", watched_got, 0);
    }
    SL_CHECK_INT("connection_lost() calls of the aborted connection", watched_lost, 1);
    close(x);
    close(y);
    unserve(&s);
}
