/* sanitizer.c - a sanitizer's report in one line (see sanitizer.h). */
#include "sanitizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAN_LINE 512 /* longest line of a report looked at */

/* The markers that start a report, and how each is named. */
static const struct {
    const char *mark;
    const char *tool;
} marks[] = {
    {"ERROR: AddressSanitizer: ", "AddressSanitizer"},
    {"ERROR: LeakSanitizer: ", "LeakSanitizer"},
    {": runtime error: ", "undefined behaviour"},
    {"LeakSanitizer has encountered a fatal error", "LeakSanitizer"},
};

/* The start of the line that holds p. */
static const char *line_start(const char *text, const char *p)
{
    while (p > text && p[-1] != '\n')
        p--;
    return p;
}

/* The first marker in out, its index in marks[] in *which. */
static const char *first_mark(const char *out, size_t *which)
{
    const char *best = NULL;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *p = strstr(out, marks[i].mark);
        if (p && (!best || p < best)) {
            best = p;
            *which = i;
        }
    }
    return best;
}

long san_report_start(const char *out)
{
    size_t which;
    const char *p = first_mark(out, &which);
    if (!p)
        return -1;
    const char *start = line_start(out, p);
    /* the line of '=' ASan draws above its report belongs to it */
    if (start > out) {
        const char *prev = line_start(out, start - 1);
        if (start - prev > 5 && strspn(prev, "=") == (size_t)(start - 1 - prev))
            start = prev;
    }
    return (long)(start - out);
}

/* Copies the line at p (up to a newline) into buf, trimmed. */
static void copy_line(const char *p, char *buf, size_t bufsz)
{
    size_t n = strcspn(p, "\n");
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
        n--;
    snprintf(buf, bufsz, "%.*s", (int)n, p);
}

/* A stack frame: "    #3 0x4f5a in func /path/file.c:12:5". */
typedef struct frame {
    char func[128];
    char place[256]; /* file:line */
} frame_t;

/* Parses the frame line at p; 1 if it is one with a source file. */
static int parse_frame(const char *p, frame_t *f)
{
    char line[SAN_LINE], func[128], file[256];
    copy_line(p, line, sizeof line);
    const char *s = line + strspn(line, " \t");
    if (s[0] != '#' || sscanf(s, "#%*d %*s in %127s %255s", func, file) != 2)
        return 0;
    char *colon = strchr(file, ':');
    if (!colon || colon[1] < '0' || colon[1] > '9')
        return 0;
    char *second = strchr(colon + 1, ':');
    if (second)
        *second = '\0'; /* drop the column */
    snprintf(f->func, sizeof f->func, "%s", func);
    snprintf(f->place, sizeof f->place, "%s", file);
    return 1;
}

/* Is f in the sanitizer's own runtime (an interceptor such as malloc)? */
static int runtime_frame(const frame_t *f)
{
    return strncmp(f->func, "__interceptor_", 14) == 0 || strncmp(f->func, "__asan", 6) == 0 ||
           strncmp(f->func, "__sanitizer", 11) == 0 || strstr(f->place, "libsanitizer/") ||
           strstr(f->place, "compiler-rt/");
}

/* The frame to name, from the report at rep: the first in src_dir, else
 * the first with a file outside the sanitizer's runtime. 1 if there is one. */
static int pick_frame(const char *rep, const char *src_dir, frame_t *out)
{
    int have = 0;
    for (const char *p = rep; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
        frame_t f;
        if (!parse_frame(p, &f) || runtime_frame(&f))
            continue;
        if (src_dir && *src_dir && strstr(f.place, src_dir)) {
            *out = f;
            return 1;
        }
        if (!have) {
            *out = f;
            have = 1;
        }
    }
    return have;
}

/* The path from the project's root on. */
static const char *shorten(const char *path, const char *root)
{
    size_t n = root ? strlen(root) : 0;
    if (n > 0 && strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* "heap-buffer-overflow (WRITE of size 1)": the kind of an ASan report
 * from its first line and the access on the next. */
static void asan_kind(const char *mark_end, char *buf, size_t bufsz)
{
    char first[SAN_LINE], next[SAN_LINE] = "";
    copy_line(mark_end, first, sizeof first);
    char *on = strstr(first, " on address");
    if (on)
        *on = '\0';
    char *pc = strstr(first, " (pc ");
    if (pc)
        *pc = '\0';
    const char *nl = strchr(mark_end, '\n');
    if (nl)
        copy_line(nl + 1, next, sizeof next);
    char *at = strstr(next, " at 0x");
    if (at && (strncmp(next, "READ", 4) == 0 || strncmp(next, "WRITE", 5) == 0)) {
        *at = '\0';
        snprintf(buf, bufsz, "%.200s (%.200s)", first, next);
    } else if (strstr(mark_end, "address points to the zero page") &&
               strncmp(first, "SEGV", 4) == 0) {
        snprintf(buf, bufsz, "%.200s (a NULL pointer dereference)", first);
    } else {
        snprintf(buf, bufsz, "%.300s", first);
    }
}

/* "memory leak: 46 byte(s) in 1 object(s)": the first leak of an LSan report. */
static void leak_kind(const char *rep, char *buf, size_t bufsz)
{
    const char *p = strstr(rep, "leak of ");
    char line[SAN_LINE];
    if (!p) {
        snprintf(buf, bufsz, "memory leak");
        return;
    }
    copy_line(p + strlen("leak of "), line, sizeof line);
    char *from = strstr(line, " allocated from");
    if (from)
        *from = '\0';
    snprintf(buf, bufsz, "memory leak of %.200s", line);
}

int san_summary(const char *out, const char *src_dir, const char *root,
                char *buf, size_t bufsz)
{
    size_t which = 0;
    const char *m = first_mark(out, &which);
    buf[0] = '\0';
    if (!m)
        return 0;
    const char *rep = line_start(out, m), *after = m + strlen(marks[which].mark);
    char kind[SAN_LINE + 64];
    if (which == 3) {
        snprintf(buf, bufsz, "LeakSanitizer could not look for leaks (it needs a thread "
                 "of its own: too many processes or threads left running?)");
        return 1;
    }
    if (which == 0) {
        asan_kind(after, kind, sizeof kind);
    } else if (which == 1) {
        leak_kind(rep, kind, sizeof kind);
    } else {
        copy_line(after, kind, sizeof kind);
    }
    frame_t f;
    int have = pick_frame(rep, src_dir, &f);
    if (which == 2 && (!have || !src_dir || !strstr(f.place, src_dir))) {
        /* UBSan names the place itself, before the marker: FILE:LINE:COL */
        char place[256];
        snprintf(place, sizeof place, "%.*s", (int)(m - rep), rep);
        char *col = strrchr(place, ':');
        if (col && strchr(place, ':') != col)
            *col = '\0';
        snprintf(f.place, sizeof f.place, "%s", place);
        if (!have)
            snprintf(f.func, sizeof f.func, "?");
        have = 1;
    }
    const char *tool = which == 1 ? "LeakSanitizer" : marks[which].tool;
    if (have && strcmp(f.func, "?") != 0)
        snprintf(buf, bufsz, "%s: %s, in %s at %s", tool, kind, f.func, shorten(f.place, root));
    else if (have)
        snprintf(buf, bufsz, "%s: %s, at %s", tool, kind, shorten(f.place, root));
    else
        snprintf(buf, bufsz, "%s: %s", tool, kind);
    return 1;
}

/* ---- a report a student can read ----------------------------------------- */

#define SAN_FRAMES 6 /* frames kept of each stack */

/* Frames nobody needs to read: the grader's, CUnit's, libc's start-up. */
static int noise_frame(const char *line)
{
    static const char *const noise[] = {"libcunit.so", "grader/test/", "__libc_start",
                                        " in _start ", "CU_run_test", " in main grader/"};
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
        if (strstr(line, noise[i]))
            return 1;
    return 0;
}

/* "==123==" at the front of a sanitizer's line, or NULL. */
static const char *past_pid(const char *line)
{
    if (line[0] != '=' || line[1] != '=')
        return NULL;
    const char *p = line + 2 + strspn(line + 2, "0123456789");
    return p[0] == '=' && p[1] == '=' ? p + 2 : NULL;
}

/* Appends text to buf (of size sz, used n), with root cut from paths. */
static void put(char *buf, size_t sz, size_t *n, const char *text, const char *root)
{
    size_t rl = root ? strlen(root) : 0;
    for (const char *t = text; *t && *n + 1 < sz; t++) {
        if (rl && strncmp(t, root, rl) == 0 && t[rl] == '/') {
            t += rl;
            continue;
        }
        buf[(*n)++] = *t;
    }
    buf[*n] = '\0';
}

/* One frame line without its address: "    #1 addr_from_text FILE:LINE". */
static void put_frame(char *buf, size_t sz, size_t *n, const char *line, const char *root)
{
    char num[16], rest[SAN_LINE];
    const char *s = line + strspn(line, " \t");
    if (sscanf(s, "#%15s 0x%*x in %511[^\n]", num, rest) == 2 ||
        sscanf(s, "#%15s 0x%*x %511[^\n]", num, rest) == 2) {
        char out[SAN_LINE + 64];
        if (strncmp(rest, "__interceptor_", 14) == 0 && strstr(rest, "libsanitizer/"))
            snprintf(out, sizeof out, "    #%s %.*s (checked by the sanitizer)\n", num,
                     (int)strcspn(rest + 14, " "), rest + 14);
        else
            snprintf(out, sizeof out, "    #%s %s\n", num, rest);
        put(buf, sz, n, out, root);
    }
}

/* Keeps line of a report (with its newline) in its readable form. */
static void keep_line(char *buf, size_t sz, size_t *n, const char *line, const char *root,
                      int *frames)
{
    const char *s = line + strspn(line, " \t"), *p = past_pid(line);
    if (s[0] == '#') {
        if (!noise_frame(line) && (*frames)++ < SAN_FRAMES)
            put_frame(buf, sz, n, line, root);
        return;
    }
    *frames = 0;
    if (strncmp(line, "=====", 5) == 0 || strncmp(s, "HINT: this may be a false positive", 34) == 0 ||
        (strncmp(s, "SUMMARY: ", 9) == 0 && strstr(s, "libsanitizer/")) ||
        strncmp(s, "(longjmp and C++", 16) == 0 || (p && strncmp(p, "ABORTING", 8) == 0))
        return;
    char copy[SAN_LINE];
    snprintf(copy, sizeof copy, "%s", p ? p : line);
    char *pc = strstr(copy, " at pc 0x");
    if (pc && strstr(copy, "ERROR: "))
        *pc = '\0';
    put(buf, sz, n, copy, root);
    put(buf, sz, n, "\n", NULL);
}

void san_condense(const char *rep, const char *root, char *buf, size_t bufsz)
{
    size_t n = 0;
    int frames = 0;
    buf[0] = '\0';
    for (const char *l = rep; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0)) {
        char line[SAN_LINE];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(l, "\n"), l);
        if (strncmp(line, "Shadow bytes around", 19) == 0) {
            const char *end = strstr(l, "ABORTING");
            if (!end)
                break;
            l = end;
            continue;
        }
        keep_line(buf, bufsz, &n, line, root, &frames);
    }
    while (n > 0 && buf[n - 1] == '\n' && (n == 1 || buf[n - 2] == '\n'))
        buf[--n] = '\0'; /* no blank line at the end */
}
