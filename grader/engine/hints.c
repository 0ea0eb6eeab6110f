/* hints.c - the usual cause of an errno (see hints.h). */
#include "hints.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *text, *cause;
} causes[] = {
    {"EADDRINUSE", "Address already in use",
     "another socket holds this address and port: a server of yours still running, or "
     "one whose connections wait in TIME_WAIT (set SO_REUSEADDR before bind())"},
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

/* Does message hold word as a whole word (not EAGAINX, not xEPIPE)? */
static int has_word(const char *message, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(message, word); p; p = strstr(p + 1, word)) {
        int before = p == message || !((p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '_');
        int after = !((p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_');
        if (before && after)
            return 1;
    }
    return 0;
}

const char *hint_for_errno(const char *message)
{
    static char line[512];
    const char *first = NULL;
    size_t k = 0;
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++) {
        const char *at = has_word(message, causes[i].name) ? strstr(message, causes[i].name)
                                                           : strstr(message, causes[i].text);
        if (at && (!first || at < first)) {
            first = at;
            k = i;
        }
    }
    if (!first)
        return NULL;
    snprintf(line, sizeof line, "%s (%s): %s.", causes[k].name, causes[k].text, causes[k].cause);
    return line;
}
