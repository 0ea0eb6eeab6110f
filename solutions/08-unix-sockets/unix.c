/* unix.c - lesson 08, the reference: Unix-domain addresses, listening
 * without harm to a file or a live server, datagrams and records, a
 * socketpair between a parent and its child, descriptors passed with
 * SCM_RIGHTS, and the credentials of the peer. */
#define _GNU_SOURCE   /* struct ucred, SO_PEERCRED */
#include "unix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)   /* 107 */

/* Closes fd keeping errno; returns -1, for `return fail_close(fd);`. */
static int fail_close(int fd)
{
    int saved = errno;

    close(fd);
    errno = saved;
    return -1;
}

/* ---- Task 1: Unix-domain addresses ---------------------------------------- */

int ux_addr(const char *name, struct sockaddr_un *sun, socklen_t *len)
{
    size_t n;

    if (name == NULL || sun == NULL || len == NULL || name[0] == '\0' ||
        (name[0] == '@' && name[1] == '\0')) {
        errno = EINVAL;
        return -1;
    }
    n = strlen(name);
    if ((name[0] == '@' ? n - 1 : n) > SUN_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (name[0] == '@') {
        /* sun_path[0] stays NUL; every byte up to len is the name. */
        memcpy(sun->sun_path + 1, name + 1, n - 1);
        *len = (socklen_t)(SUN_PATH_OFFSET + n);
    } else {
        memcpy(sun->sun_path, name, n + 1);
        *len = (socklen_t)(SUN_PATH_OFFSET + n + 1);
    }
    return 0;
}

int ux_name(const struct sockaddr_un *sun, socklen_t len, char *buf, size_t size)
{
    size_t n, i, out = 0;
    int abstract;

    if (sun == NULL || buf == NULL || len == 1) {
        errno = EINVAL;
        return -1;
    }
    if (len != 0 && sun->sun_family != AF_UNIX) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    n = len > SUN_PATH_OFFSET ? len - SUN_PATH_OFFSET : 0;
    if (n > sizeof sun->sun_path)
        n = sizeof sun->sun_path;   /* a 108-byte path without its NUL */
    abstract = n > 0 && sun->sun_path[0] == '\0';
    if (!abstract)
        n = strnlen(sun->sun_path, n);
    if (n + 1 > size) {   /* "@" and n - 1 bytes, or n bytes: n, and the NUL */
        if (size > 0)
            buf[0] = '\0';
        errno = ENOSPC;
        return -1;
    }
    for (i = 0; i < n; i++)
        buf[out++] = sun->sun_path[i] == '\0' ? '@' : sun->sun_path[i];
    buf[out] = '\0';
    return 0;
}

int ux_local_name(int fd, char *buf, size_t size)
{
    struct sockaddr_un sun;
    socklen_t len = sizeof sun;

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&sun, &len) < 0)
        return -1;
    return ux_name(&sun, len, buf, size);
}

/* ---- Task 2: listening, connecting and stale sockets ---------------------- */

/* Does a socket of any type still hold the file at sun? 1 stale (nobody
 * bound), 0 alive, -1 cannot tell (errno). Non-blocking: a live server
 * with a full backlog says EAGAIN instead of making us wait. */
static int probe_stale(const struct sockaddr_un *sun, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r;

    if (fd < 0)
        return -1;
    r = connect(fd, (const struct sockaddr *)sun, len);
    if (r == 0 || errno == EAGAIN || errno == EPROTOTYPE)
        r = 0;
    else if (errno == ECONNREFUSED)
        r = 1;
    else
        r = -1;
    if (r < 0)
        return fail_close(fd);
    close(fd);
    return r;
}

int ux_remove_stale(const char *path)
{
    struct sockaddr_un sun;
    struct stat st;
    socklen_t len;
    int stale;

    if (path == NULL || path[0] == '@') {
        errno = EINVAL;
        return -1;
    }
    if (ux_addr(path, &sun, &len) < 0)
        return -1;
    if (lstat(path, &st) < 0)
        return -1;
    if (!S_ISSOCK(st.st_mode)) {
        errno = ENOTSOCK;
        return -1;
    }
    stale = probe_stale(&sun, len);
    if (stale < 0)
        return -1;
    if (!stale) {
        errno = EADDRINUSE;
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT)
        return -1;
    return 0;
}

/* bind() to the name, replacing a stale socket file once. */
static int bind_name(int fd, const char *name, const struct sockaddr_un *sun, socklen_t len)
{
    if (bind(fd, (const struct sockaddr *)sun, len) == 0)
        return 0;
    if (errno != EADDRINUSE || name[0] == '@')
        return -1;
    /* ENOENT: the file went away since our bind(), so bind again. Any other
     * failure leaves the file alone: a live socket, not a socket, or one
     * we may not probe (EACCES: no write permission), all said as bind()
     * said them, EADDRINUSE. */
    if (ux_remove_stale(name) < 0 && errno != ENOENT) {
        errno = EADDRINUSE;
        return -1;
    }
    return bind(fd, (const struct sockaddr *)sun, len);
}

/* A socket of type bound to name: the descriptor, or -1. */
static int bound_socket(const char *name, int type)
{
    struct sockaddr_un sun;
    socklen_t len;
    int fd;

    if (ux_addr(name, &sun, &len) < 0)
        return -1;
    fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind_name(fd, name, &sun, len) < 0)
        return fail_close(fd);
    return fd;
}

int ux_listen(const char *name, int type, int backlog)
{
    int fd, saved;

    if ((type != SOCK_STREAM && type != SOCK_SEQPACKET) || backlog < 0) {
        errno = EINVAL;
        return -1;
    }
    fd = bound_socket(name, type);
    if (fd < 0)
        return -1;
    /* Before listen(), no one can connect: the mode is set in time. */
    if ((name[0] != '@' && chmod(name, 0600) < 0) || listen(fd, backlog) < 0) {
        saved = errno;
        if (name[0] != '@')
            unlink(name);   /* the file our bind() made */
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int ux_connect(const char *name, int type)
{
    struct sockaddr_un sun;
    socklen_t len;
    int fd;

    if (type != SOCK_STREAM && type != SOCK_SEQPACKET && type != SOCK_DGRAM) {
        errno = EINVAL;
        return -1;
    }
    if (ux_addr(name, &sun, &len) < 0)
        return -1;
    fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* A connect() that waits for room in a full backlog and is interrupted
     * made no connection (unlike TCP's, it goes on with nothing): again. */
    while (connect(fd, (struct sockaddr *)&sun, len) < 0)
        if (errno != EINTR)
            return fail_close(fd);
    return fd;
}

/* ---- Task 3: datagrams and records ---------------------------------------- */

int ux_dgram(const char *name)
{
    sa_family_t family = AF_UNIX;
    int fd;

    if (name != NULL)
        return bound_socket(name, SOCK_DGRAM);
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* Autobind: an address of the family alone asks the kernel for a name. */
    if (bind(fd, (struct sockaddr *)&family, sizeof family) < 0)
        return fail_close(fd);
    return fd;
}

ssize_t ux_recv_record(int fd, void *buf, size_t size, char *from, size_t fromsize)
{
    struct sockaddr_un sun;
    struct iovec iov = {.iov_base = buf, .iov_len = size};
    struct msghdr msg;
    ssize_t n;

    if (buf == NULL || size == 0 || (from != NULL && fromsize < UX_NAMESTRLEN)) {
        errno = EINVAL;
        return -1;
    }
    do {
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &sun;
        msg.msg_namelen = sizeof sun;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (from != NULL)
        ux_name(&sun, msg.msg_namelen, from, fromsize);
    if (msg.msg_flags & MSG_TRUNC) {
        errno = EMSGSIZE;
        return -1;
    }
    return n;
}

/* ---- Task 4: a socketpair between parent and child ------------------------ */

pid_t ux_fork_pair(int type, int *fd)
{
    int sv[2];
    pid_t pid;

    if (fd == NULL || (type != SOCK_STREAM && type != SOCK_SEQPACKET && type != SOCK_DGRAM)) {
        errno = EINVAL;
        return -1;
    }
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    fflush(NULL);   /* else what stdio holds is written by both */
    pid = fork();
    if (pid < 0) {
        int saved = errno;

        close(sv[0]);
        close(sv[1]);
        errno = saved;
        return -1;
    }
    /* Each keeps its own end only: the other's would hide the end of the
     * stream when the other side closes or exits. */
    close(sv[pid == 0 ? 0 : 1]);
    *fd = sv[pid == 0 ? 1 : 0];
    return pid;
}

/* ---- Task 5: passing descriptors ------------------------------------------ */

/* A control buffer for the most descriptors a message may carry, aligned
 * for struct cmsghdr as CMSG_FIRSTHDR() needs it. */
union ux_control {
    char buf[CMSG_SPACE(sizeof(int) * UX_MAX_FDS)];
    struct cmsghdr align;
};

/* send() of all of buf[off, len), after a short sendmsg(). */
static int send_rest(int sock, const char *buf, size_t off, size_t len)
{
    while (off < len) {
        ssize_t n = send(sock, buf + off, len - off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

int ux_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
    union ux_control control;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr msg;
    struct cmsghdr *c;
    ssize_t n;

    if (buf == NULL || len == 0 || fds == NULL || nfds == 0 || nfds > UX_MAX_FDS) {
        errno = EINVAL;
        return -1;
    }
    memset(&msg, 0, sizeof msg);
    memset(&control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    return send_rest(sock, buf, (size_t)n, len);
}

/* Closes the n descriptors of fds, keeping errno. */
static void close_all(const int *fds, size_t n)
{
    int saved = errno;

    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    errno = saved;
}

/* Takes the descriptors of every SCM_RIGHTS message of msg into fds (room
 * for max), closing those beyond it. Returns how many came in all. */
static size_t take_fds(struct msghdr *msg, int *fds, size_t max, size_t *kept)
{
    size_t all = 0;

    *kept = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        size_t k;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++, all++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
            if (*kept < max)
                fds[(*kept)++] = fd;
            else
                close(fd);
        }
    }
    return all;
}

ssize_t ux_recv_fds(int sock, void *buf, size_t len, int *fds, size_t maxfds, size_t *nfds)
{
    union ux_control control;
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr msg;
    size_t all, kept;
    ssize_t n;

    if (buf == NULL || len == 0 || nfds == NULL || (fds == NULL && maxfds > 0) ||
        maxfds > UX_MAX_FDS) {
        errno = EINVAL;
        return -1;
    }
    *nfds = 0;
    do {
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * maxfds);
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    all = take_fds(&msg, fds, maxfds, &kept);
    if ((msg.msg_flags & MSG_CTRUNC) || all > kept) {
        close_all(fds, kept);
        errno = EMSGSIZE;
        return -1;
    }
    *nfds = kept;
    return n;
}

/* ---- Task 6: peer credentials ---------------------------------------------- */

int ux_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
    struct ucred cred;
    socklen_t len = sizeof(int);
    int domain;

    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
        return -1;
    if (domain != AF_UNIX) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
        return -1;
    if (cred.pid == 0 && cred.uid == (uid_t)-1) {   /* no peer (pid 0 alone: */
        errno = ENOTCONN;                            /* one we cannot see) */
        return -1;
    }
    if (pid)
        *pid = cred.pid;
    if (uid)
        *uid = cred.uid;
    if (gid)
        *gid = cred.gid;
    return 0;
}

int ux_peer_allowed(int fd, uid_t uid)
{
    uid_t peer;

    if (ux_peer_cred(fd, NULL, &peer, NULL) < 0)
        return -1;
    if (peer != uid) {
        errno = EACCES;
        return -1;
    }
    return 0;
}
