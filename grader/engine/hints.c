/* hints.c - the usual cause of an errno, and of a sanitizer's finding
 * (see hints.h). */
#define _GNU_SOURCE /* strcasestr */
#include "hints.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *text, *cause;
} causes[] = {
    {"EADDRINUSE", "Address already in use",
     "another socket holds this address and port. For a TCP server started again, the "
     "old one's connections may still wait in TIME_WAIT: set SO_REUSEADDR before bind(). "
     "If a socket really holds the port (a copy of your program still running, another "
     "listener, or any UDP socket), SO_REUSEADDR is not the cure: stop that program, or "
     "take another port (-p 0 takes a free one)"},
    {"ECONNREFUSED", "Connection refused",
     "nothing listens at that address and port: the server is not running (yet), or "
     "listens on another port or family (htons? AF_INET6?)"},
    {"EPIPE", "Broken pipe",
     "the peer closed the connection and this side went on writing: stop at the first "
     "error, and send with MSG_NOSIGNAL so it is EPIPE, not a SIGPIPE that kills"},
    {"ECONNRESET", "Connection reset by peer",
     "the peer reset the connection (it closed with unread data, or ended): drop that "
     "peer and go on with the others"},
    {"EAGAIN", "Resource temporarily unavailable",
     "a non-blocking socket (or one with a timeout) has nothing for now: wait with "
     "poll() for it to be ready, or it is the timeout you set running out"},
    {"EMFILE", "Too many open files",
     "the process ran out of descriptors: something is not closed (each accepted "
     "connection, each failed attempt, each error path)"},
    {"ETIMEDOUT", "Connection timed out",
     "no answer in time: a peer that never answers, or a timeout too short"},
    {"EINTR", "Interrupted system call",
     "a signal interrupted the call: call it again, unless the signal means stop"},
    {"ENOTCONN", "Transport endpoint is not connected",
     "the socket is not connected (any more): connect() first, or the peer went away"},
    {"EADDRNOTAVAIL", "Cannot assign requested address",
     "that address is not one of this machine's: bind to a local address (127.0.0.1, ::1)"},
};

/* EADDRINUSE for a UDP socket: there is no TIME_WAIT, and SO_REUSEADDR
 * would let a second socket bind the port and take its datagrams. */
static const char udp_in_use[] =
    "another socket really holds this UDP port (UDP has no TIME_WAIT): a copy of your "
    "program still running, or another program; stop it, or take another port (-p 0 takes "
    "a free one). SO_REUSEADDR is not the cure: with it a second UDP socket binds the same "
    "port and takes datagrams meant for the first";

/* ECONNREFUSED and EADDRINUSE of an AF_UNIX socket: a file or a name, no
 * port, no byte order. */
static const char unix_refused[] =
    "nothing listens on that socket file or abstract name: the server is not running "
    "(yet), listens on another path, or ended and left its socket file behind (a stale "
    "file refuses every connect)";
static const char unix_in_use[] =
    "the socket file (or abstract name) exists: a stale file left by a server that "
    "ended, or another server's. If connect() to it is refused, no one listens: unlink() "
    "it and bind again; never unlink a file a live server answers on";

/* Does the failure's message speak of AF_UNIX (a unix-... program, a
 * unix:PATH address)? */
static int about_unix(const char *message)
{
    return message && (strstr(message, "unix:") || strstr(message, "unix-") ||
                       strstr(message, "AF_UNIX"));
}

/* Does the failure's message speak of UDP (a lesson's udp-... program, a
 * datagram the harness sent or expected)? */
static int about_udp(const char *message)
{
    return message && (strcasestr(message, "udp") || strcasestr(message, "datagram"));
}

const char *hint_for_errno(const char *name, const char *message)
{
    static char line[768];
    for (size_t i = 0; name && i < sizeof causes / sizeof causes[0]; i++)
        if (strcmp(name, causes[i].name) == 0) {
            const char *cause = causes[i].cause;
            if (strcmp(name, "EADDRINUSE") == 0 && about_unix(message))
                cause = unix_in_use;
            else if (strcmp(name, "EADDRINUSE") == 0 && about_udp(message))
                cause = udp_in_use;
            else if (strcmp(name, "ECONNREFUSED") == 0 && about_unix(message))
                cause = unix_refused;
            snprintf(line, sizeof line, "%s (%s): %s.", causes[i].name, causes[i].text, cause);
            return line;
        }
    return NULL;
}

/* Does a program's name start at p and end with ": " before the reason at
 * r, with more text (what failed) and ": " between them? NAME: what: REASON */
static int program_line(const char *p, const char *r)
{
    const char *w = p;
    if (!(*w >= 'a' && *w <= 'z'))
        return 0;
    while ((*w >= 'a' && *w <= 'z') || (*w >= '0' && *w <= '9') || *w == '-' || *w == '_' ||
           *w == '.')
        w++;
    return w[0] == ':' && w[1] == ' ' && w + 2 < r - 2 && r[-2] == ':' && r[-1] == ' ';
}

/* Is the value that starts at v (after its quote) data a check compares:
 * does "got" or "expected" come just before it? */
static int compared(const char *message, const char *v)
{
    size_t back = (size_t)(v - message) < 24 ? (size_t)(v - message) : 24;
    char before[32];
    snprintf(before, sizeof before, "%.*s", (int)back, v - back);
    return strstr(before, "got") || strstr(before, "expected") || strstr(before, "want");
}

/* Is the errno text at r (n bytes) the reason of a program's error line? */
static int reason_at(const char *message, const char *r, size_t n)
{
    char end = r[n];
    if (!(end == '\0' || end == '"' || end == '\n' || (end == '\\' && r[n + 1] == 'n')))
        return 0;
    const char *start = r;
    while (start > message && start[-1] != '"' && start[-1] != '\n')
        start--;
    if (start > message && start[-1] == '"' && compared(message, start))
        return 0;
    for (const char *q = start; q < r; q++)
        if ((q == start || (q - start >= 2 && q[-2] == ':' && q[-1] == ' ')) &&
            program_line(q, r))
            return 1;
    return 0;
}

const char *hint_cause_in_message(const char *message)
{
    for (size_t i = 0; message && i < sizeof causes / sizeof causes[0]; i++) {
        size_t n = strlen(causes[i].text);
        for (const char *r = strstr(message, causes[i].text); r; r = strstr(r + 1, causes[i].text))
            if (r - message > 2 && reason_at(message, r, n))
                return causes[i].name;
    }
    return "";
}

/* The kinds of finding: what in a summary says it, and its hint. */
static const struct {
    const char *kind, *marks, *hint;
} findings[] = {
    {"leak", "LeakSanitizer: memory leak",
     "Memory your code allocated was never freed: free what you allocate on every path, "
     "the error paths too (e.g. freeaddrinfo() once per successful getaddrinfo(), free() "
     "once per malloc()). The function named is where it was allocated."},
    {"overflow", "buffer-overflow|buffer-underflow|container-overflow",
     "Your code read or wrote past the end (or before the start) of a buffer: check each "
     "size you pass (the buffer's, not a pointer's sizeof; room for the '\\0') and each "
     "index against the length. The report says which buffer, and where it was allocated."},
    {"use-after-free", "use-after-free|use-after-return|use-after-scope|use-after-poison",
     "Your code used memory after it was freed (or a local variable after its function "
     "returned): free it only once nothing uses it, and keep no pointer into what you "
     "freed (a result of getaddrinfo() after freeaddrinfo(), say)."},
    {"bad-free", "double-free|attempting free|bad-free|alloc-dealloc-mismatch|invalid-free",
     "Your code freed memory twice, or freed what malloc() did not give (a local array, a "
     "pointer into a block, one that was never set): free each block once, and only "
     "what was allocated."},
    {"stack-overflow", "stack-overflow",
     "The stack ran out: a recursion that does not end, or a very large local array "
     "(allocate it with malloc() instead)."},
    {"out-of-memory", "rss limit|allocation-size-too-big|out of memory|requested allocation",
     "Your code asked for more memory than a test allows (about 1 GiB): a size computed "
     "wrongly (a negative length made unsigned?), or an allocation in a loop that never "
     "frees."},
    {"segv", "SEGV|BUS on",
     "Your code followed a pointer to memory that is not there: NULL, never set (a "
     "result a failed call did not fill in), or already freed. The function named is "
     "where; look at which pointer it reads there."},
    {"data-race", "ThreadSanitizer: data race",
     "Two threads touched the same memory at once, one of them writing, with nothing "
     "ordering them: guard it with one mutex in every thread that touches it (both "
     "accesses are in the report), or make it an atomic; never hand a thread a pointer "
     "to something that changes before it reads it (a loop variable)."},
    {"signal-unsafe", "signal-unsafe call",
     "A signal handler called a function that is not async-signal-safe (printf, malloc, "
     "a mutex: see signal-safety(7)): in a handler only set a volatile sig_atomic_t or "
     "atomic flag, write() to a pipe, or call waitpid(); do the rest in the main loop."},
    {"deadlock", "lock-order-inversion|double lock|unlock of an unlocked mutex",
     "Threads take locks in different orders (a possible deadlock), or a mutex is "
     "locked twice or unlocked by a thread that does not hold it: take locks always in "
     "one order, and unlock on every path the function returns by."},
    {"undefined", "undefined behaviour",
     "The C standard gives this operation no meaning (a signed overflow, a shift too far "
     "or of a negative value, a misaligned or NULL pointer): use unsigned types for bit "
     "work, and check the values before the operation."},
};

/* Does summary hold one of the '|'-separated marks? */
static int holds_mark(const char *summary, const char *marks)
{
    for (const char *m = marks; *m;) {
        size_t n = strcspn(m, "|");
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)n, m);
        if (strstr(summary, one))
            return 1;
        m += n + (m[n] == '|');
    }
    return 0;
}

const char *hint_finding_kind(const char *summary)
{
    for (size_t i = 0; summary && i < sizeof findings / sizeof findings[0]; i++)
        if (holds_mark(summary, findings[i].marks))
            return findings[i].kind;
    return "";
}

const char *hint_for_finding(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof findings / sizeof findings[0]; i++)
        if (strcmp(kind, findings[i].kind) == 0)
            return findings[i].hint;
    return NULL;
}
