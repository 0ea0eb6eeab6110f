/* failkind.c - kinds of the harness's own failures, and one cause told
 * apart from another up to ports and addresses (see failkind.h). */
#include "failkind.h"
#include "results.h"

#include <stdlib.h>
#include <string.h>

fk_kind_t fk_kind(const char *m)
{
    if (!m)
        return FK_OTHER;
    if (strstr(m, "printed no line 'listening on ADDR:PORT' within"))
        return FK_NO_LISTEN_LINE;
    if (strstr(m, " before listening") &&
        (strstr(m, "exited with status") || strstr(m, "was killed by SIG")))
        return FK_EXITED_EARLY;
    if (strstr(m, "before 'listening on ...'") || strstr(m, "expected 'listening on ADDR:PORT'"))
        return FK_BAD_LISTEN_LINE;
    if (strstr(m, "did not exit within ") && strstr(m, " of SIGTERM"))
        return FK_NO_EXIT_ON_TERM;
    if (strstr(m, "there is no program "))
        return FK_NO_PROGRAM;
    return FK_OTHER;
}

const char *fk_hint(fk_kind_t kind)
{
    switch (kind) {
    case FK_NO_LISTEN_LINE:
        return "Print the line `listening on ADDR:PORT` once the socket is bound (and, for "
               "TCP, listening), then fflush(stdout): stdout into a pipe is fully buffered, "
               "so an unflushed line reaches the test only when the program exits. Every "
               "test that starts the server waits for that line.";
    case FK_EXITED_EARLY:
        return "The program ended before it printed `listening on`: its last words on "
               "stderr (in the message) say why. Run the command of the transcript by hand "
               "to see it.";
    case FK_NO_EXIT_ON_TERM:
        return "A program blocked in recv()/accept()/recvfrom() does not see the signal's "
               "flag: wait with poll()/pselect() or check the flag after EINTR (do not set "
               "SA_RESTART), then close what is open and exit with status 0.";
    default:
        return NULL;
    }
}

int fk_deterministic(int status, const char *message)
{
    if (status == RES_TODO || status == RES_BUILD || status == RES_ERROR)
        return 1;
    if (message && (strncmp(message, "not implemented:", 16) == 0 ||
                    strstr(message, "(then: not implemented:")))
        return 1;
    fk_kind_t k = fk_kind(message);
    return k == FK_EXITED_EARLY || k == FK_BAD_LISTEN_LINE || k == FK_NO_PROGRAM;
}

/* Length of a `FILE:LINE: ` at s (no space in FILE), or 0. */
static size_t location_len(const char *s)
{
    size_t n = strcspn(s, " \n:");
    if (n == 0 || s[n] != ':')
        return 0;
    size_t d = strspn(s + n + 1, "0123456789");
    return d > 0 && s[n + 1 + d] == ':' && s[n + 2 + d] == ' ' ? n + d + 3 : 0;
}

/* What stands for a loopback address or a family at s, and its length. */
static const char *replaced(const char *s, size_t *len)
{
    static const char *const from[] = {"[::1]", "127.0.0.1", "[::]", "0.0.0.0", "::1",
                                       "AF_INET6"};
    static const char *const to[] = {"@", "@", "@", "@", "@", "AF_INET"};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (strncmp(s, from[i], strlen(from[i])) == 0) {
            *len = strlen(from[i]);
            return to[i];
        }
    return NULL;
}

/* One line (n bytes at s) normalized onto out at o; returns the new o. */
static size_t key_line(const char *s, size_t n, char *out, size_t o)
{
    size_t i = location_len(s);
    i = i < n ? i : 0;
    while (i < n) {
        size_t len = 0;
        const char *r = replaced(s + i, &len);
        if (r && i + len <= n) {
            memcpy(out + o, r, strlen(r));
            o += strlen(r);
            i += len;
        } else if (s[i] >= '0' && s[i] <= '9') {
            out[o++] = '#';
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        } else {
            out[o++] = s[i++];
        }
    }
    return o;
}

char *fk_key(const char *message)
{
    const char *m = message ? message : "";
    char *out = malloc(strlen(m) + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    while (*m) {
        size_t n = strcspn(m, "\n");
        if (strncmp(m, "(it failed in ", 14) != 0) {
            o = key_line(m, n, out, o);
            out[o++] = '\n';
        }
        m += n + (m[n] == '\n');
    }
    while (o > 0 && (out[o - 1] == '\n' || out[o - 1] == ' '))
        o--;
    out[o] = '\0';
    return out;
}

int fk_alike(const char *a, const char *b)
{
    if (a == b || (a && b && strcmp(a, b) == 0))
        return 1;
    char *ka = fk_key(a), *kb = fk_key(b);
    int same = ka && kb && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}
