/* util.c - helpers that tests of several lessons share (see sl_util.h). */
#define _GNU_SOURCE   /* strerrorname_np() */
#include "sl_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sl_errno_text(int err)
{
    static char bufs[6][96];
    static unsigned next;
    char *b = bufs[next++ % 6];
    const char *name = err ? strerrorname_np(err) : NULL;

    if (err == 0)
        snprintf(b, sizeof bufs[0], "0 (none set)");
    else
        snprintf(b, sizeof bufs[0], "%s (%s)", name ? name : "?", strerror(err));
    return b;
}

const char *sl_returned(long long ret, int err)
{
    static char bufs[4][128];
    static unsigned next;
    char *b = bufs[next++ % 4];

    if (ret == -1)
        snprintf(b, sizeof bufs[0], "-1 with errno %s", sl_errno_text(err));
    else
        snprintf(b, sizeof bufs[0], "%lld", ret);
    return b;
}

void sl_check_returned(const char *file, int line, int fatal, const char *what, long long ret,
                       int err, long long want)
{
    if (ret == want)
        return;
    if (fatal)
        sl_fail_at(file, line, 1, "%s must return %lld before the rest of this test means "
                   "anything; it returned %s", what, want, sl_returned(ret, err));
    else
        sl_fail_at(file, line, 0, "%s: expected %lld, got %s", what, want,
                   sl_returned(ret, err));
}

/* The blocks of sl_alloc() in use: reachable from here. */
static void *blocks[SL_BLOCKS];

void *sl_alloc(size_t len)
{
    void *p = malloc(len ? len : 1);
    int i = 0;

    if (p == NULL)
        sl_fail_at(__FILE__, __LINE__, 1, "test: out of memory");
    while (i < SL_BLOCKS && blocks[i] != NULL)
        i++;
    if (i == SL_BLOCKS) {
        free(p);
        sl_fail_at(__FILE__, __LINE__, 1, "test: more than %d blocks at once", SL_BLOCKS);
    }
    blocks[i] = p;
    return p;
}

void sl_free(void *p)
{
    for (int i = 0; p != NULL && i < SL_BLOCKS; i++)
        if (blocks[i] == p) {
            free(p);
            blocks[i] = NULL;
            return;
        }
}

void sl_pattern(void *buf, size_t len, uint32_t seed)
{
    unsigned char *p = buf;
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)(x >> 11);
    }
}

int sl_fd_count(pid_t pid)
{
    char path[64];
    struct dirent *e;
    DIR *d;
    int n = 0;

    snprintf(path, sizeof path, pid ? "/proc/%d/fd" : "/proc/self/fd", (int)pid);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return pid ? n : n - 1;
}
