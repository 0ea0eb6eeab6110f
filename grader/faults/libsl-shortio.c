/* libsl-shortio.c - an LD_PRELOAD library that makes socket I/O behave as
 * the kernel may, on purpose and often: short counts, EINTR, EAGAIN.
 *
 *   LD_PRELOAD=build/grader/bin/libsl-shortio.so SL_SHORTIO_SEED=7 ./server
 *
 * Only calls on sockets are touched (fstat(): S_ISSOCK); files, pipes and
 * terminals pass through untouched, and do not move the schedule. Each
 * call on a socket draws one number from a xorshift64* generator seeded by
 * SL_SHORTIO_SEED (default 1), one generator per thread, each started from
 * the seed, so a given seed and sequence of calls always meets the same
 * faults. The number chooses, in this order:
 *
 *   eintr   1 in 8: fail with EINTR, before any byte moved;
 *   eagain  1 in 8, non-blocking sockets only (O_NONBLOCK, MSG_DONTWAIT):
 *           fail with EAGAIN;
 *   short   3 in 4, stream sockets only and more than 1 byte asked: pass
 *           on a length from 1 to one less than asked (datagrams are never
 *           cut: the kernel does not cut them either).
 *
 * SL_SHORTIO lists the faults to use, e.g. "short" or "short,eintr"
 * (default all three; "none" for none). SL_SHORTIO_LOG=FILE appends a line
 * to FILE for each fault. Wrapped: send, recv, sendto, recvfrom, sendmsg,
 * recvmsg, read, write, readv, writev, and the _FORTIFY_SOURCE forms
 * __read_chk, __recv_chk, __recvfrom_chk. The real functions come from
 * dlsym(RTLD_NEXT), so under a dynamic ASan runtime they are its
 * interceptors; nothing here calls a wrapped function, so nothing recurses.
 *
 * In a program built with gcc -fsanitize=address (dynamic libasan) ASan
 * wants its runtime first in the list of libraries: add
 * verify_asan_link_order=0 to ASAN_OPTIONS. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define SIO_SHORT 1u
#define SIO_EINTR 2u
#define SIO_EAGAIN 4u
#define SIO_MAX_IOV 64 /* more iovecs than this are not shortened */

static unsigned sio_modes = SIO_SHORT | SIO_EINTR | SIO_EAGAIN;
static uint64_t sio_seed = 1;
static int sio_log = -1;

static __thread uint64_t sio_state __attribute__((tls_model("initial-exec")));

/* ---- the real functions --------------------------------------------------- */

static void *sio_real(const char *name, void **slot)
{
    void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!f) {
        f = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    }
    return f;
}

/* REAL(send) is the next send() after this library, of send's own type. */
#define REAL(name) ((__typeof__(&name))sio_real(#name, &sio_real_##name))
#define SLOT(name) static void *sio_real_##name

SLOT(send);
SLOT(recv);
SLOT(sendto);
SLOT(recvfrom);
SLOT(sendmsg);
SLOT(recvmsg);
SLOT(read);
SLOT(write);
SLOT(readv);
SLOT(writev);
SLOT(__read_chk);
SLOT(__recv_chk);
SLOT(__recvfrom_chk);

/* glibc's checking forms, declared by no header without _FORTIFY_SOURCE. */
ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
                       __SOCKADDR_ARG addr, socklen_t *addrlen);

/* ---- configuration -------------------------------------------------------- */

static void sio_say(const char *line)
{
    ssize_t rc = REAL(write)(STDERR_FILENO, line, strlen(line));
    (void)rc; /* nowhere to report it */
}

static void sio_parse_modes(const char *s)
{
    char word[32];
    sio_modes = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        snprintf(word, sizeof word, "%.*s", (int)(n < 31 ? n : 31), s);
        if (strcmp(word, "short") == 0)
            sio_modes |= SIO_SHORT;
        else if (strcmp(word, "eintr") == 0)
            sio_modes |= SIO_EINTR;
        else if (strcmp(word, "eagain") == 0)
            sio_modes |= SIO_EAGAIN;
        else if (strcmp(word, "none") != 0 && n > 0)
            sio_say("libsl-shortio: SL_SHORTIO: unknown fault (known: short, eintr, eagain, "
                    "none)\n");
        s += n + (s[n] == ',');
    }
}

__attribute__((constructor)) static void sio_configure(void)
{
    const char *modes = getenv("SL_SHORTIO"), *seed = getenv("SL_SHORTIO_SEED");
    const char *log = getenv("SL_SHORTIO_LOG");
    if (modes && *modes)
        sio_parse_modes(modes);
    if (seed && *seed) {
        char *end;
        sio_seed = strtoull(seed, &end, 10);
        if (*end) {
            sio_say("libsl-shortio: SL_SHORTIO_SEED is not a number: using 1\n");
            sio_seed = 1;
        }
    }
    if (log && *log)
        sio_log = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

/* ---- the schedule --------------------------------------------------------- */

/* splitmix64, to spread the seed; then xorshift64*. */
static uint64_t sio_next(void)
{
    if (sio_state == 0) {
        uint64_t x = sio_seed + 0x9E3779B97F4A7C15ULL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        sio_state = (x ^ (x >> 31)) | 1;
    }
    uint64_t x = sio_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sio_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* SOCK_STREAM, SOCK_DGRAM, ... if fd is a socket; 0 if not. */
static int sio_sock_type(int fd)
{
    struct stat st;
    int type = 0;
    socklen_t len = sizeof type;
    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
        return 0;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
        return 0;
    return type;
}

static void sio_note(const char *call, int fd, size_t len, const char *what)
{
    char line[160];
    if (sio_log < 0)
        return;
    int n = snprintf(line, sizeof line, "%s fd %d: %zu bytes -> %s\n", call, fd, len, what);
    ssize_t rc = REAL(write)(sio_log, line, (size_t)n);
    (void)rc; /* a log is best effort */
}

/* What a call of len bytes on fd gets: -1 (errno EINTR or EAGAIN) to fail
 * it, else the length to pass on, from 1 to len. */
static ssize_t sio_plan(const char *call, int fd, size_t len, int dontwait)
{
    char shown[32];
    int type = sio_sock_type(fd);
    if (!type)
        return (ssize_t)len;
    uint64_t r = sio_next();
    if ((sio_modes & SIO_EINTR) && r % 8 == 0) {
        sio_note(call, fd, len, "EINTR");
        errno = EINTR;
        return -1;
    }
    if ((sio_modes & SIO_EAGAIN) && r % 8 == 1 &&
        (dontwait || (fcntl(fd, F_GETFL) & O_NONBLOCK))) {
        sio_note(call, fd, len, "EAGAIN");
        errno = EAGAIN;
        return -1;
    }
    if ((sio_modes & SIO_SHORT) && type == SOCK_STREAM && len > 1 && (r >> 8) % 4 != 0) {
        size_t cut = 1 + (size_t)((r >> 16) % (len - 1));
        snprintf(shown, sizeof shown, "%zu", cut);
        sio_note(call, fd, len, shown);
        return (ssize_t)cut;
    }
    return (ssize_t)len;
}

/* ---- vectors -------------------------------------------------------------- */

static size_t sio_iov_total(const struct iovec *iov, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += iov[i].iov_len;
    return total;
}

/* Copies iov into out cut to len bytes; returns how many entries. */
static size_t sio_iov_cut(const struct iovec *iov, size_t n, size_t len, struct iovec *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && len > 0; i++) {
        out[k] = iov[i];
        if (out[k].iov_len > len)
            out[k].iov_len = len;
        len -= out[k++].iov_len;
    }
    return k;
}

/* The length a vector call is given: -1 to fail it, else a length; when
 * it is shorter than the vector's, iov and *n are replaced by a cut copy. */
static ssize_t sio_plan_iov(const char *call, int fd, const struct iovec **iov, size_t *n,
                            int dontwait, struct iovec *cut)
{
    size_t total = sio_iov_total(*iov, *n);
    if (*n > SIO_MAX_IOV)
        return sio_plan(call, fd, 0, dontwait); /* may fail it; never cuts it */
    ssize_t len = sio_plan(call, fd, total, dontwait);
    if (len >= 0 && (size_t)len < total) {
        *n = sio_iov_cut(*iov, *n, (size_t)len, cut);
        *iov = cut;
    }
    return len;
}

/* ---- the wrappers --------------------------------------------------------- */

/* The plain calls, shared by the checking forms: calls between functions
 * of this library go through these, never through the exported names. */
static ssize_t sio_read(int fd, void *buf, size_t len)
{
    ssize_t n = sio_plan("read", fd, len, 0);
    return n < 0 ? -1 : REAL(read)(fd, buf, (size_t)n);
}

static ssize_t sio_recv(int fd, void *buf, size_t len, int flags)
{
    ssize_t n = sio_plan("recv", fd, len, flags & MSG_DONTWAIT);
    return n < 0 ? -1 : REAL(recv)(fd, buf, (size_t)n, flags);
}

static ssize_t sio_recvfrom(int fd, void *buf, size_t len, int flags, __SOCKADDR_ARG addr,
                            socklen_t *addrlen)
{
    ssize_t n = sio_plan("recvfrom", fd, len, flags & MSG_DONTWAIT);
    return n < 0 ? -1 : REAL(recvfrom)(fd, buf, (size_t)n, flags, addr, addrlen);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    ssize_t n = sio_plan("send", fd, len, flags & MSG_DONTWAIT);
    return n < 0 ? -1 : REAL(send)(fd, buf, (size_t)n, flags);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    return sio_recv(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, __CONST_SOCKADDR_ARG addr,
               socklen_t addrlen)
{
    ssize_t n = sio_plan("sendto", fd, len, flags & MSG_DONTWAIT);
    return n < 0 ? -1 : REAL(sendto)(fd, buf, (size_t)n, flags, addr, addrlen);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, __SOCKADDR_ARG addr,
                 socklen_t *addrlen)
{
    return sio_recvfrom(fd, buf, len, flags, addr, addrlen);
}

ssize_t read(int fd, void *buf, size_t len)
{
    return sio_read(fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    ssize_t n = sio_plan("write", fd, len, 0);
    return n < 0 ? -1 : REAL(write)(fd, buf, (size_t)n);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
    struct iovec cut[SIO_MAX_IOV];
    size_t n = iovcnt > 0 ? (size_t)iovcnt : 0;
    if (iovcnt > 0 && sio_plan_iov("readv", fd, &iov, &n, 0, cut) < 0)
        return -1;
    return REAL(readv)(fd, iov, iovcnt > 0 ? (int)n : iovcnt);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    struct iovec cut[SIO_MAX_IOV];
    size_t n = iovcnt > 0 ? (size_t)iovcnt : 0;
    if (iovcnt > 0 && sio_plan_iov("writev", fd, &iov, &n, 0, cut) < 0)
        return -1;
    return REAL(writev)(fd, iov, iovcnt > 0 ? (int)n : iovcnt);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    struct iovec cut[SIO_MAX_IOV];
    struct msghdr m = *msg;
    const struct iovec *iov = m.msg_iov;
    size_t n = m.msg_iovlen;
    if (sio_plan_iov("sendmsg", fd, &iov, &n, flags & MSG_DONTWAIT, cut) < 0)
        return -1;
    m.msg_iov = (struct iovec *)iov;
    m.msg_iovlen = n;
    return REAL(sendmsg)(fd, &m, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    struct iovec cut[SIO_MAX_IOV];
    const struct iovec *iov = msg->msg_iov;
    size_t n = msg->msg_iovlen;
    if (sio_plan_iov("recvmsg", fd, &iov, &n, flags & MSG_DONTWAIT, cut) < 0)
        return -1;
    if (iov == msg->msg_iov)
        return REAL(recvmsg)(fd, msg, flags);
    struct msghdr m = *msg;
    m.msg_iov = cut;
    m.msg_iovlen = n;
    ssize_t got = REAL(recvmsg)(fd, &m, flags);
    msg->msg_namelen = m.msg_namelen; /* what the kernel filled in */
    msg->msg_controllen = m.msg_controllen;
    msg->msg_flags = m.msg_flags;
    return got;
}

ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen)
{
    if (len > buflen)
        return REAL(__read_chk)(fd, buf, len, buflen); /* it reports the overflow */
    return sio_read(fd, buf, len);
}

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
    if (len > buflen)
        return REAL(__recv_chk)(fd, buf, len, buflen, flags);
    return sio_recv(fd, buf, len, flags);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
                       __SOCKADDR_ARG addr, socklen_t *addrlen)
{
    if (len > buflen)
        return REAL(__recvfrom_chk)(fd, buf, len, buflen, flags, addr, addrlen);
    return sio_recvfrom(fd, buf, len, flags, addr, addrlen);
}
