/**
 * @file unix.h
 * @brief Lesson 08: Unix-domain sockets. Names in the filesystem and in
 *        Linux's abstract namespace, listening without harm to a file or a
 *        live server, datagrams and records that keep their boundaries, a
 *        socketpair between a parent and its child, descriptors passed from
 *        one process to another, and the credentials of the peer.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 08 share. The lesson text (lessons/08-unix-sockets/README.md) explains the
 * ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0, a descriptor or the documented count. It never prints and
 *   never exits.
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL (only where a parameter says NULL is allowed is it not).
 * - A *name* is text: a filesystem path (`/run/echo.sock`, `echo.sock`),
 *   or `@` and the bytes of an abstract name (`@echo`), the form ss(8)
 *   and /proc/net/unix show.
 * - Functions that take a descriptor expect an AF_UNIX socket; a
 *   descriptor that is not open fails with EBADF, one that is not a
 *   socket with ENOTSOCK, as the system calls report them.
 * - A system call that a signal interrupts (EINTR) before it did anything
 *   is made again: EINTR never comes out of these functions.
 * - Every descriptor a function opens is closed again on every path where
 *   it does not hand it to the caller: no failure leaks one.
 */
#ifndef UNIX_H
#define UNIX_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/**
 * @brief Size of a buffer that holds any name ux_name() or ux_local_name()
 *        writes, with its NUL.
 *
 * `sun_path` has 108 bytes. A path holds at most 107 and its NUL; an
 * abstract name is the NUL in `sun_path[0]` and up to 107 bytes after it,
 * written `@` and those bytes: 108 characters and the NUL.
 */
#define UX_NAMESTRLEN 109

/**
 * @brief The most descriptors one message may carry: Linux's SCM_MAX_FD.
 *
 * A sendmsg(2) with more fails with EINVAL.
 */
#define UX_MAX_FDS 253

/* ------------------------------------------------------------------ */
/** @name Task 1: Unix-domain addresses
 * @{ */

/**
 * @brief Fills a `struct sockaddr_un` from a name, and says how many of
 *        its bytes are the address.
 *
 * - A path (`/tmp/echo.sock`, `echo.sock`): copied into `sun_path` with its
 *   NUL; @p *len is `offsetof(struct sockaddr_un, sun_path)` + the path's
 *   length + 1 (the NUL counted, as getsockname(2) counts it). 107 bytes at
 *   most, so that the NUL fits.
 * - `@NAME`: an abstract name (Linux). `sun_path[0]` is a NUL and the
 *   bytes of NAME follow, with no NUL after them; @p *len is
 *   `offsetof(struct sockaddr_un, sun_path)` + 1 + the length of NAME.
 *   Every byte up to @p *len is part of the name: a length of
 *   `sizeof(struct sockaddr_un)` would name `NAME` followed by NUL bytes up
 *   to the end of `sun_path`, another name, that nobody else uses. 107
 *   bytes at most.
 *
 * The bytes of @p sun after the name are zero.
 *
 * @code
 * ux_addr("/tmp/e.sock", &sun, &len);   len == 2 + 11 + 1 == 14
 * ux_addr("@echo", &sun, &len);         sun_path "\0echo", len == 2 + 1 + 4 == 7
 * @endcode
 *
 * @param name the name: a path, or `@` and an abstract name.
 * @param sun filled in.
 * @param len set to the length of the address, for bind(2) or connect(2).
 * @return 0, or -1 with errno set to:
 *         - EINVAL: a pointer is NULL, @p name is empty, or is `@` alone
 *           (an abstract name of no bytes).
 *         - ENAMETOOLONG: the path or the abstract name is longer than 107
 *           bytes.
 */
int ux_addr(const char *name, struct sockaddr_un *sun, socklen_t *len);

/**
 * @brief Writes the name of an AF_UNIX address as text: the reverse of
 *        ux_addr().
 *
 * - An unnamed socket (@p len is 0, as recvfrom(2) leaves it for a sender
 *   that has no name, or `sizeof(sa_family_t)`, as accept(2) and
 *   getpeername(2) leave it): the empty string.
 * - An abstract name (`sun_path[0]` is NUL): `@` and the bytes of the name
 *   up to @p len; a NUL byte inside the name is written `@`, as ss(8) and
 *   /proc/net/unix write it.
 * - A path: the bytes of `sun_path` up to the first NUL, or up to @p len.
 *
 * @param sun the address.
 * @param len its length, as bind(2) was given it or accept(2),
 *        getsockname(2) or recvfrom(2) returned it (at most
 *        `sizeof(struct sockaddr_un)` is read).
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #UX_NAMESTRLEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p sun or @p buf is NULL, or @p len is 1 (less than a
 *           family, and not 0).
 *         - EAFNOSUPPORT: the family is not AF_UNIX.
 *         - ENOSPC: the text and its NUL do not fit in @p size bytes;
 *           @p buf then holds the empty string (if @p size > 0).
 */
int ux_name(const struct sockaddr_un *sun, socklen_t len, char *buf, size_t size);

/**
 * @brief Writes the name a socket is bound to: getsockname(2), then
 *        ux_name(). The text every socklab Unix-domain server prints after
 *        `listening on unix:`.
 *
 * @param fd an AF_UNIX socket.
 * @param buf where to write the NUL-terminated text (empty: not bound).
 * @param size size of @p buf; #UX_NAMESTRLEN is always enough.
 * @return 0, or -1 with errno set as ux_name() does, and EBADF, ENOTSOCK.
 */
int ux_local_name(int fd, char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Listening, connecting and stale sockets
 * @{ */

/**
 * @brief Removes a socket file that no server listens on any more, and
 *        nothing else.
 *
 * A server that ends without removing its socket file (a crash, a
 * SIGKILL) leaves it behind, and bind(2) on that path then fails with
 * EADDRINUSE. Whether a server still holds it only a connection tells:
 *
 * 1. lstat(2) the path (never stat(2): a symbolic link is not a socket);
 *    anything but a socket is left alone.
 * 2. Probe it: connect(2) from a non-blocking `SOCK_STREAM` socket.
 *    ECONNREFUSED says that no socket is bound to the file any more: it is
 *    stale. A connection (0), EAGAIN (a live server whose backlog is
 *    full: a blocking probe would wait there) or EPROTOTYPE (a live
 *    socket of another type: datagram, seqpacket) says that it is alive.
 * 3. Only a stale file is removed, with unlink(2).
 *
 * (A server that has bound but not yet called listen(2) refuses too: the
 * README tells that race.)
 *
 * @param path the path of the socket file (not an abstract name: those
 *        have no file, and go when their last socket closes).
 * @return 0 once a stale socket file was removed, or -1 with errno set to:
 *         - EINVAL: @p path is NULL or empty, or starts with `@`.
 *         - ENOENT: there is no file at @p path.
 *         - ENOTSOCK: the file is not a socket (a regular file, a
 *           directory, a symbolic link...): it is left alone.
 *         - EADDRINUSE: a live socket holds the file: it is left alone.
 *         - what the probe failed with otherwise (EACCES: no permission
 *           to connect, so no way to tell): the file is left alone.
 */
int ux_remove_stale(const char *path);

/**
 * @brief Opens a Unix-domain socket that listens on a name.
 *
 * socket(2) with AF_UNIX and @p type, bind(2) to the name (ux_addr()),
 * listen(2). For a path:
 *
 * - a bind(2) that fails with EADDRINUSE tries ux_remove_stale() once; if
 *   it removed a stale file, bind(2) again; if not, the call fails with
 *   EADDRINUSE, leaving whatever is there as it was;
 * - between bind(2) and listen(2), chmod(2) the new file to 0600, so that
 *   only this user may connect (connect(2) needs write permission on the
 *   file). No one can connect before listen(2), so there is no window in
 *   which others can;
 * - a failure after bind(2) removes the file that bind(2) made.
 *
 * An abstract name has no file, no permissions and no stale state: a
 * name in use (EADDRINUSE) is held by a live socket.
 *
 * @param name a path or `@NAME` (see ux_addr()).
 * @param type `SOCK_STREAM` or `SOCK_SEQPACKET`.
 * @param backlog passed to listen(2); 0 or more.
 * @return the listening socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p name is NULL, or as ux_addr() says; @p type is
 *           neither `SOCK_STREAM` nor `SOCK_SEQPACKET`; @p backlog is
 *           negative.
 *         - ENAMETOOLONG: see ux_addr().
 *         - EADDRINUSE: a live socket, or a file that is not a socket,
 *           holds the name.
 *         - what bind(2) failed with otherwise: ENOENT (a folder of the
 *           path does not exist), EACCES (no permission to create the file
 *           there), ...
 */
int ux_listen(const char *name, int type, int backlog);

/**
 * @brief Connects a Unix-domain socket of @p type to a name.
 *
 * @param name a path or `@NAME` (see ux_addr()).
 * @param type `SOCK_STREAM`, `SOCK_SEQPACKET` or `SOCK_DGRAM` (a connected
 *        datagram socket: send(2) goes to that name).
 * @return the connected socket (blocking), or -1 with errno set to:
 *         - EINVAL, ENAMETOOLONG: see ux_addr(); or @p type is none of
 *           the three.
 *         - ECONNREFUSED: nothing listens on the name (a stale socket
 *           file, a file that is not a socket, an abstract name nobody
 *           holds).
 *         - ENOENT: there is no file at the path.
 *         - EACCES: no write permission on the socket file (or no search
 *           permission on a folder of the path).
 *         - EPROTOTYPE: the socket bound to the name is of another type.
 */
int ux_connect(const char *name, int type);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: Datagrams and records
 * @{ */

/**
 * @brief Opens a Unix-domain datagram socket bound to a name, where
 *        datagrams sent to that name arrive.
 *
 * A stale socket file at a path is replaced, as ux_listen() does; a file
 * that is not a socket, or a live socket, is left alone (EADDRINUSE). A
 * datagram socket that is not bound has no name: whoever it sends to
 * cannot answer (sendto(2) to the empty address fails with ENOTCONN). So
 * with @p name NULL the socket is bound all the same, by Linux's
 * *autobind*: bind(2) with an address of `sizeof(sa_family_t)` bytes
 * gives it an abstract name the kernel picks, five hex digits
 * (`@0001f`).
 *
 * @param name a path or `@NAME`; NULL for a name the kernel picks.
 * @return the bound socket (blocking), or -1 with errno set as ux_addr()
 *         does, EADDRINUSE (see above), or what bind(2) failed with.
 */
int ux_dgram(const char *name);

/**
 * @brief Receives one datagram, or one record of a `SOCK_SEQPACKET`
 *        socket, whole, and the name of its sender.
 *
 * recvmsg(2) into @p buf, with a `struct sockaddr_un` for the sender's
 * address. A datagram or record longer than @p size does not fit: its
 * first @p size bytes are in @p buf, the kernel discards the rest and sets
 * `MSG_TRUNC` in `msg_flags`, and the call fails with EMSGSIZE (the next
 * call receives the next message: nothing of this one is left).
 *
 * @param fd a `SOCK_DGRAM` or `SOCK_SEQPACKET` socket.
 * @param buf where to put the bytes.
 * @param size its size, more than 0.
 * @param from where to write the sender's name as ux_name() does (the
 *        empty string for a sender that has no name, as every client of a
 *        seqpacket server that did not bind), or NULL.
 * @param fromsize size of @p from, #UX_NAMESTRLEN or more (unless @p from
 *        is NULL).
 * @return the length of the message; 0 for an empty datagram or record,
 *         and, on `SOCK_SEQPACKET`, at the end of the connection too (the
 *         two look the same); or -1 with errno set to:
 *         - EINVAL: @p buf is NULL, @p size is 0, or @p from is too small.
 *         - EMSGSIZE: the message was longer than @p size (see above).
 *         - EAGAIN or EWOULDBLOCK: non-blocking, and nothing is waiting.
 *         - ECONNRESET, ENOTCONN, EBADF, ENOTSOCK: as recvmsg(2) reports them.
 */
ssize_t ux_recv_record(int fd, void *buf, size_t size, char *from, size_t fromsize);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: A socketpair between parent and child
 * @{ */

/**
 * @brief fork(2) with a channel: a socketpair(2) whose one end stays in
 *        the parent and the other goes to the child. Python's
 *        `socket.socketpair()` and `os.fork()`, in one call.
 *
 * Both ends are made close-on-exec (`SOCK_CLOEXEC`), so that no program
 * either process runs inherits them by accident (a child that execs a
 * program to give it its end clears FD_CLOEXEC on that end first: that
 * program finds it by its number, as Python's `socket.fromfd()` does).
 * Before fork(2), stdio's buffers are flushed (fflush(NULL)), so that
 * output buffered before the call is not written twice. After it, each
 * process closes the end that is the other's: otherwise neither sees the
 * end of the stream when the other closes its own end or exits.
 *
 * @code
 * int fd;
 * pid_t pid = ux_fork_pair(SOCK_STREAM, &fd);
 * if (pid == 0) {          the child: fd is its end
 *     ...
 *     _exit(0);
 * }
 * if (pid > 0) {           the parent: fd is its end; waitpid(pid) later
 *     ...
 * }
 * @endcode
 *
 * @param type `SOCK_STREAM`, `SOCK_SEQPACKET` or `SOCK_DGRAM`.
 * @param fd set to this process's end of the channel (in both).
 * @return in the parent the child's pid, in the child 0; or -1 (no child,
 *         no descriptor left open) with errno set to:
 *         - EINVAL: @p fd is NULL, or @p type is none of the three.
 *         - EMFILE, ENFILE: out of descriptors.
 *         - EAGAIN, ENOMEM: fork(2) failed (too many processes).
 */
pid_t ux_fork_pair(int type, int *fd);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Passing descriptors
 *
 * A descriptor is a number that means something in one process only. To
 * give another process an open file, pipe or socket, send it as *ancillary
 * data* of type `SCM_RIGHTS` on a Unix-domain socket: the kernel installs
 * a new descriptor in the receiver, for the same open file (as dup(2)
 * does across processes).
 * @{ */

/**
 * @brief Sends @p len bytes and, with them, the descriptors @p fds.
 *
 * One sendmsg(2) (with `MSG_NOSIGNAL`) whose control buffer holds one
 * `cmsghdr` of level `SOL_SOCKET`, type `SCM_RIGHTS`, `cmsg_len`
 * `CMSG_LEN(nfds * sizeof(int))`, in a buffer of
 * `CMSG_SPACE(nfds * sizeof(int))` bytes aligned for `struct cmsghdr` (a
 * union with one does it). On a stream a short count sends the rest with
 * plain send(2): the descriptors went with the first byte. The sender
 * keeps its own descriptors, open: close them when they are no longer
 * yours to use.
 *
 * @param sock a connected AF_UNIX socket (any type).
 * @param buf the bytes; at least one: on `SOCK_STREAM`, a sendmsg(2) of no
 *        byte returns 0 and carries nothing, descriptors included.
 * @param len how many, 1 or more.
 * @param fds the descriptors to send.
 * @param nfds how many, 1 to #UX_MAX_FDS.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p buf or @p fds is NULL, @p len is 0, or @p nfds is
 *           0 or more than #UX_MAX_FDS.
 *         - EBADF: one of @p fds is not an open descriptor (nothing is
 *           sent), or @p sock is not.
 *         - EPIPE, ECONNRESET: the peer is gone.
 *         - EMSGSIZE, ENOTCONN, ENOTSOCK, ETOOMANYREFS: as sendmsg(2)
 *           reports them.
 */
int ux_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/**
 * @brief Receives bytes and the descriptors that came with them.
 *
 * One recvmsg(2), with `MSG_CMSG_CLOEXEC` (each descriptor received is
 * close-on-exec: a program run later does not inherit it by accident),
 * into @p buf and a control buffer of `CMSG_SPACE(maxfds * sizeof(int))`
 * bytes aligned for `struct cmsghdr`. The descriptors are in the
 * `SCM_RIGHTS` messages among the control messages (CMSG_FIRSTHDR(),
 * CMSG_NXTHDR()), `(cmsg_len - CMSG_LEN(0)) / sizeof(int)` in each.
 *
 * They are the caller's from then on, to use and to close. If more came
 * than fit (the kernel sets `MSG_CTRUNC` and closes those that did not fit
 * into the control buffer, or that the receiver had no descriptor free
 * for, `RLIMIT_NOFILE`; and CMSG_SPACE() rounds up, so it may hold
 * more than @p maxfds), the message cannot be handled as sent: every
 * descriptor received is closed and the call fails with EMSGSIZE (its
 * bytes are consumed).
 *
 * On a stream, bytes sent without descriptors before those that carry
 * some may come in the same call; bytes sent after them never do.
 *
 * @param sock a connected AF_UNIX socket.
 * @param buf where to put the bytes.
 * @param len its size, more than 0.
 * @param fds where to put the descriptors (may be NULL if @p maxfds is 0).
 * @param maxfds how many @p fds has room for, 0 to #UX_MAX_FDS.
 * @param nfds set to how many descriptors came (0 if none).
 * @return the number of bytes received; 0 at the end of the stream (no
 *         descriptor then); or -1 (no descriptor left open) with errno
 *         set to:
 *         - EINVAL: @p buf or @p nfds is NULL, @p len is 0, @p fds is
 *           NULL with @p maxfds not 0, or @p maxfds is more than
 *           #UX_MAX_FDS.
 *         - EMSGSIZE: more descriptors came than @p maxfds (see above).
 *         - EAGAIN, ECONNRESET, EBADF, ENOTSOCK: as recvmsg(2) reports them.
 */
ssize_t ux_recv_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: Peer credentials
 * @{ */

/**
 * @brief The process that made the connection: getsockopt(2)
 *        `SO_PEERCRED`.
 *
 * The kernel records the pid, uid and gid of a process when it calls
 * connect(2), listen(2) or socketpair(2), and keeps them with the
 * connection: a process that receives the socket later (ux_recv_fds())
 * sees the same, and so does every process that shares it. The peer can
 * neither choose nor forge them. A server's accepted socket gives its
 * client's; a client's socket gives those the server had at listen().
 *
 * @param fd a connected AF_UNIX socket: stream or seqpacket, or either end
 *        of a socketpair of any type (SOCK_DGRAM too).
 * @param pid set to the peer's pid (NULL: not wanted; 0 for a peer in a
 *        pid namespace this process cannot see).
 * @param uid set to its effective uid (NULL: not wanted).
 * @param gid set to its effective gid (NULL: not wanted).
 * @return 0, or -1 with errno set to:
 *         - EAFNOSUPPORT: @p fd is not an AF_UNIX socket (`SO_DOMAIN`).
 *         - ENOTCONN: it has no peer (Linux gives pid 0 and uid -1 then;
 *           a listening socket is not one: it gives its own process).
 *         - EBADF, ENOTSOCK: see the conventions.
 */
int ux_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/**
 * @brief Is the peer a process of user @p uid? The check of a server that
 *        serves one user only.
 *
 * @param fd a connected AF_UNIX stream or seqpacket socket.
 * @param uid the one user allowed.
 * @return 0 if the peer's effective uid is @p uid, or -1 with errno set to:
 *         - EACCES: it is another user's.
 *         - what ux_peer_cred() failed with.
 */
int ux_peer_allowed(int fd, uid_t uid);

/** @} */

#endif
