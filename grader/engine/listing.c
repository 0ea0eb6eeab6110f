/* listing.c - a lesson's tests from `BINARY --sl-list` (see listing.h). */
#define _GNU_SOURCE
#include "listing.h"
#include "clock.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LST_MAX (4 << 20) /* the longest listing read */

/* Undoes the escapes of a field (\t, \n, \\) in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* A whole number of at most 9 digits, or -1. */
static int number(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n < 10 && s[n] == '\0' ? atoi(s) : -1;
}

/* One line into t; 0, or -1 with err set. */
static int parse_line(char *line, lst_test_t *t, size_t lineno, char *err, size_t errsz)
{
    char *f[PROTO_LIST_FIELDS];
    size_t k = 0;
    for (char *p = line; k < PROTO_LIST_FIELDS; k++) {
        f[k] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (k != PROTO_LIST_FIELDS - 1) {
        snprintf(err, errsz, "listing line %zu: expected %d fields", lineno, PROTO_LIST_FIELDS);
        return -1;
    }
    for (size_t i = 0; i < PROTO_LIST_FIELDS; i++)
        unescape(f[i]);
    t->points = number(f[1]);
    t->timeout_ms = number(f[2]);
    t->solo = number(f[3]);
    t->task = number(f[4]);
    t->programs = number(f[6]);
    t->line = number(f[8]);
    t->hidden = number(f[10]);
    if (t->points < 0 || t->timeout_ms < 0 || t->solo < 0 || t->task < 0 ||
        t->programs < 0 || t->line < 0 || t->hidden < 0) {
        snprintf(err, errsz, "listing line %zu: a number field is not a number", lineno);
        return -1;
    }
    t->name = strdup(f[0]);
    t->task_title = strdup(f[5]);
    t->file = strdup(f[7]);
    t->hint = strdup(f[9]);
    if (!t->name || !t->task_title || !t->file || !t->hint) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    return 0;
}

int lst_parse(const char *text, lst_list_t *out, char *err, size_t errsz)
{
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    memset(out, 0, sizeof *out);
    out->errno_hints = 1;
    char *copy = strdup(text);
    out->tests = calloc(lines ? lines : 1, sizeof *out->tests);
    if (!copy || !out->tests) {
        free(copy);
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (parse_line(line, &out->tests[out->n], out->n + 1, err, errsz) < 0) {
            out->n++;
            free(copy);
            lst_free(out);
            return -1;
        }
        out->n++;
    }
    free(copy);
    return 0;
}

/* Reads fd to its end, for at most timeout_s; a NUL-terminated buffer. */
static char *read_all(int fd, double timeout_s, size_t *len)
{
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    double end = clk_now() + timeout_s;
    *len = 0;
    while (buf) {
        double left = end - clk_now();
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) == 0)
            break;
        if (*len + 1 >= cap) {
            char *bigger = cap < LST_MAX ? realloc(buf, cap *= 2) : NULL;
            if (!bigger)
                break;
            buf = bigger;
        }
        ssize_t n = read(fd, buf + *len, cap - *len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            buf[*len] = '\0';
            return buf;
        }
        *len += (size_t)n;
    }
    free(buf);
    return NULL;
}

/* Adds "test needs tool" to l; 0, or -1 (out of memory). */
static int add_need(lst_list_t *l, const char *test, const char *tool)
{
    lst_need_t *more = realloc(l->needs, (l->nneeds + 1) * sizeof *more);
    if (!more)
        return -1;
    l->needs = more;
    more[l->nneeds].test = strdup(test);
    more[l->nneeds].tool = strdup(tool);
    if (!more[l->nneeds].test || !more[l->nneeds].tool) {
        free(more[l->nneeds].test);
        free(more[l->nneeds].tool);
        return -1;
    }
    l->nneeds++;
    return 0;
}

const char *lst_need(const lst_list_t *l, const char *name)
{
    for (size_t i = 0; i < l->nneeds; i++)
        if (strcmp(l->needs[i].test, name) == 0)
            return l->needs[i].tool;
    return NULL;
}

int lst_parse_settings(const char *text, lst_list_t *l)
{
    char *copy = strdup(text), *save = NULL;
    if (!copy)
        return -1;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[3] = {line, NULL, NULL};
        for (int k = 1; k < 3 && f[k - 1]; k++)
            if ((f[k] = strchr(f[k - 1], '\t')) != NULL)
                *f[k]++ = '\0';
        for (int k = 0; k < 3; k++)
            if (f[k])
                unescape(f[k]);
        if (strcmp(f[0], "errno-hints") == 0 && f[1])
            l->errno_hints = strcmp(f[1], "0") != 0;
        if (strcmp(f[0], "needs") == 0 && f[1] && f[2] && add_need(l, f[1], f[2]) < 0) {
            free(copy);
            return -1;
        }
        if (strcmp(f[0], "sanitizer-hint") != 0 || !f[1] || !f[2])
            continue;
        lst_san_hint_t *more = realloc(l->san_hints, (l->nsan_hints + 1) * sizeof *more);
        if (!more) {
            free(copy);
            return -1;
        }
        l->san_hints = more;
        more[l->nsan_hints].kind = strdup(f[1]);
        more[l->nsan_hints++].text = strdup(f[2]);
    }
    free(copy);
    return 0;
}

const char *lst_san_hint(const lst_list_t *l, const char *kind)
{
    for (size_t i = 0; i < l->nsan_hints; i++)
        if (l->san_hints[i].kind && l->san_hints[i].text && strcmp(l->san_hints[i].kind, kind) == 0)
            return l->san_hints[i].text;
    return NULL;
}

/* Runs binary with mode ("--sl-list"); its output, or NULL with err set. */
static char *run_lister(const char *binary, const char *mode, double timeout_s, char *err,
                        size_t errsz)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        return NULL;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        dup2(fds[1], STDOUT_FILENO);
        execl(binary, binary, mode, (char *)NULL);
        fprintf(stderr, "sl-run: %s: %s\n", binary, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0;
    char *text = pid > 0 ? read_all(fds[0], timeout_s, &len) : NULL;
    close(fds[0]);
    int st = 0;
    if (pid > 0) {
        kill(-pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    if (!text || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(err, errsz, "%s %s %s", binary, mode,
                 !text ? "did not finish" : "failed");
        free(text);
        return NULL;
    }
    return text;
}

int lst_load(const char *binary, double timeout_s, lst_list_t *out, char *err, size_t errsz)
{
    char *text = run_lister(binary, "--sl-list", timeout_s, err, errsz);
    if (!text)
        return -1;
    int rc = lst_parse(text, out, err, errsz);
    free(text);
    char ignored[256];
    text = rc == 0 ? run_lister(binary, "--sl-lesson", timeout_s, ignored, sizeof ignored) : NULL;
    if (text && lst_parse_settings(text, out) < 0) {
        snprintf(err, errsz, "out of memory");
        rc = -1;
    }
    free(text);
    return rc;
}

void lst_free(lst_list_t *l)
{
    for (size_t i = 0; l->tests && i < l->n; i++) {
        free(l->tests[i].name);
        free(l->tests[i].task_title);
        free(l->tests[i].file);
        free(l->tests[i].hint);
    }
    free(l->tests);
    for (size_t i = 0; i < l->nsan_hints; i++) {
        free(l->san_hints[i].kind);
        free(l->san_hints[i].text);
    }
    free(l->san_hints);
    for (size_t i = 0; i < l->nneeds; i++) {
        free(l->needs[i].test);
        free(l->needs[i].tool);
    }
    free(l->needs);
    memset(l, 0, sizeof *l);
}

const lst_test_t *lst_find(const lst_list_t *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->tests[i].name, name) == 0)
            return &l->tests[i];
    return NULL;
}
