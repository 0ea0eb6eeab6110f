/* unix.c - lesson 08: Unix-domain addresses, listening without harm to a
 * file or a live server, datagrams and records, a socketpair between a
 * parent and its child, descriptors passed with SCM_RIGHTS, and the
 * credentials of the peer.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code. unix.h says exactly what each function must do (every error
 * case and its errno); the lesson's README explains the ideas. Check your
 * work with `make grade LESSON=08`.
 *
 * You may add helper functions: make them static. Several functions share
 * work (a socket bound to a name, with a stale file replaced; closing a
 * descriptor while keeping errno): write it once. */
#define _GNU_SOURCE   /* struct ucred, SO_PEERCRED */
#include "unix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 1: Unix-domain addresses ----------------------------------------
 * offsetof(struct sockaddr_un, sun_path) is where the name starts (2 on
 * Linux); sizeof sun->sun_path is 108. A path keeps its NUL; an abstract
 * name has a NUL first and none after: its length says where it ends. */

int ux_addr(const char *name, struct sockaddr_un *sun, socklen_t *len)
{
    /* memset() the whole address to 0, sun_family = AF_UNIX, then copy the
     * path with its NUL, or the bytes after '@' to sun_path + 1. */
    (void)name;
    (void)sun;
    (void)len;
    TODO();
}

int ux_name(const struct sockaddr_un *sun, socklen_t len, char *buf, size_t size)
{
    /* len - offsetof(...) bytes of sun_path are the name (at most 108):
     * none is unnamed; a NUL first is abstract (write every NUL as '@');
     * else a path, up to its first NUL (strnlen()). */
    (void)sun;
    (void)len;
    (void)buf;
    (void)size;
    TODO();
}

int ux_local_name(int fd, char *buf, size_t size)
{
    (void)fd;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 2: listening, connecting and stale sockets ----------------------
 * A stale socket file makes bind() fail with EADDRINUSE, like a live one
 * and like a file that is not a socket: only lstat() and a probe tell
 * them apart. Never unlink() what you have not proved stale. */

int ux_remove_stale(const char *path)
{
    /* lstat(): S_ISSOCK() or ENOTSOCK. Then a socket(AF_UNIX, SOCK_STREAM
     * | SOCK_NONBLOCK) probe: connect() failing with ECONNREFUSED, and only
     * that, means stale: unlink(). 0, EAGAIN, EPROTOTYPE: alive. */
    (void)path;
    TODO();
}

int ux_listen(const char *name, int type, int backlog)
{
    /* socket(AF_UNIX, type | SOCK_CLOEXEC, 0), bind() (on EADDRINUSE for a path:
     * ux_remove_stale(), then bind() once more), chmod(name, 0600) for a
     * path, listen(). A failure after bind() unlinks the file it made. */
    (void)name;
    (void)type;
    (void)backlog;
    TODO();
}

int ux_connect(const char *name, int type)
{
    /* ux_addr(), socket(AF_UNIX, type | SOCK_CLOEXEC, 0), connect() with the length
     * ux_addr() gave (not sizeof: an abstract name would change). */
    (void)name;
    (void)type;
    TODO();
}

/* ---- Task 3: datagrams and records ------------------------------------------ */

int ux_dgram(const char *name)
{
    /* A name: as ux_listen() binds it, with SOCK_DGRAM and no listen().
     * NULL: bind() with an address of sizeof(sa_family_t) bytes, the
     * family alone: the kernel picks an abstract name. */
    (void)name;
    TODO();
}

ssize_t ux_recv_record(int fd, void *buf, size_t size, char *from, size_t fromsize)
{
    /* recvmsg() with msg_name a struct sockaddr_un: the sender, its
     * length in msg_namelen afterwards. MSG_TRUNC in msg_flags: it did
     * not fit. */
    (void)fd;
    (void)buf;
    (void)size;
    (void)from;
    (void)fromsize;
    TODO();
}

/* ---- Task 4: a socketpair between parent and child -------------------------- */

pid_t ux_fork_pair(int type, int *fd)
{
    /* socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv), fflush(NULL),
     * fork(). The parent keeps sv[0] and closes sv[1]; the child the
     * other way round. */
    (void)type;
    (void)fd;
    TODO();
}

/* ---- Task 5: passing descriptors --------------------------------------------
 * A control buffer must be aligned for struct cmsghdr, and CMSG_SPACE()
 * bytes long for what it carries:
 *
 *   union {
 *       char buf[CMSG_SPACE(sizeof(int) * UX_MAX_FDS)];
 *       struct cmsghdr align;
 *   } control;
 *
 * msg_controllen says how much of it a call may use. */

int ux_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
    /* msg_iov: the bytes; msg_control: one cmsghdr from CMSG_FIRSTHDR(),
     * SOL_SOCKET, SCM_RIGHTS, cmsg_len CMSG_LEN(nfds * sizeof(int)), the
     * descriptors memcpy()'d to CMSG_DATA(). sendmsg(..., MSG_NOSIGNAL). */
    (void)sock;
    (void)buf;
    (void)len;
    (void)fds;
    (void)nfds;
    TODO();
}

ssize_t ux_recv_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds)
{
    /* recvmsg(..., MSG_CMSG_CLOEXEC) with msg_controllen
     * CMSG_SPACE(maxfds * sizeof(int)); walk CMSG_FIRSTHDR()/CMSG_NXTHDR()
     * for SCM_RIGHTS. MSG_CTRUNC, or more than maxfds: close every one
     * you got, EMSGSIZE. */
    (void)sock;
    (void)buf;
    (void)len;
    (void)fds;
    (void)maxfds;
    (void)nfds;
    TODO();
}

/* ---- Task 6: peer credentials ----------------------------------------------- */

int ux_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
    /* getsockopt(fd, SOL_SOCKET, SO_DOMAIN, ...) first; then SO_PEERCRED
     * into a struct ucred (pid, uid, gid). pid 0: no peer. */
    (void)fd;
    (void)pid;
    (void)uid;
    (void)gid;
    TODO();
}

int ux_peer_allowed(int fd, uid_t uid)
{
    (void)fd;
    (void)uid;
    TODO();
}
