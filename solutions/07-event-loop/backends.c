/* backends.c - lesson 07: the table of backends, given whole. As libevent
 * keeps an array of `struct eventop` and takes the first that works, the
 * loop keeps one of el_backend_t, best first, and el_create() looks the
 * name up here: every backend is in every binary, chosen at run time. */
#include "backends.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* kqueue where <sys/event.h> exists (the BSDs, macOS); epoll on Linux. */
#if defined(__has_include)
#if __has_include(<sys/event.h>)
#define EL_HAVE_KQUEUE 1
#endif
#endif

static const el_backend_t *const table[] = {
#ifdef __linux__
    &el_backend_epoll,
#endif
#ifdef EL_HAVE_KQUEUE
    &el_backend_kqueue,
#endif
    &el_backend_poll,
    &el_backend_select,
};

const el_backend_t *el_backend_named(const char *name)
{
    size_t n = sizeof table / sizeof table[0];

    if (name == NULL || *name == '\0')
        return table[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    errno = ENOENT;
    return NULL;
}

const char *el_backend_list(void)
{
    static char list[64];

    if (list[0] == '\0') {
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
            if (i > 0)
                strcat(list, "|");
            strcat(list, table[i]->name);
        }
    }
    return list;
}

long long el_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
