/* sanitizer.c - a sanitizer's report in one line, whose leak it is, and
 * the report made readable (see sanitizer.h). */
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
    {"WARNING: ThreadSanitizer: ", "ThreadSanitizer"},
};

enum { MARK_ASAN, MARK_LSAN, MARK_UBSAN, MARK_LSAN_FATAL, MARK_TSAN };

/* The start of the line that holds p. */
static const char *line_start(const char *text, const char *p)
{
    while (p > text && p[-1] != '\n')
        p--;
    return p;
}

/* The next line after the one at p (its end when p holds the last). */
static const char *next_line(const char *p)
{
    p += strcspn(p, "\n");
    return *p ? p + 1 : p;
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

/* ---- stack frames ---------------------------------------------------------- */

/* Whose code a frame is in. */
typedef enum fr_kind {
    FR_RUNTIME, /* the sanitizer's own (an interceptor such as malloc too) */
    FR_SYSTEM,  /* the C library, or any code outside the project */
    FR_PROJECT, /* the project's, not the student's: a test, the grader */
    FR_STUDENT  /* the student's sources (src_dir) */
} fr_kind_t;

/* A stack frame: "    #3 0x4f5a in func /path/file.c:12:5". */
typedef struct frame {
    char num[16];
    char func[256];
    char place[256];   /* file:line (the column dropped), or "(module+0x..)" */
    int has_file;      /* place is a source file and line */
    int interceptor;   /* a function of the C library the sanitizer checks */
    fr_kind_t kind;
} frame_t;

/* The path from the project's root on. */
static const char *shorten(const char *path, const char *root)
{
    size_t n = root ? strlen(root) : 0;
    if (n > 0 && strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static fr_kind_t kind_of(const frame_t *f, const char *line, const char *src_dir)
{
    static const char *const runtime[] = {"libsanitizer/", "compiler-rt/", "__sanitizer",
                                          "__asan", "__lsan", "__ubsan", "__tsan", "__interceptor_"};
    for (size_t i = 0; i < sizeof runtime / sizeof runtime[0]; i++)
        if (strstr(line, runtime[i]))
            return FR_RUNTIME;
    if (!f->has_file)
        return FR_SYSTEM;
    if (src_dir && *src_dir && strstr(f->place, src_dir) && strncmp(f->func, "sl_body_", 8) != 0)
        return FR_STUDENT;
    /* the project is compiled from its root: its paths are relative */
    return f->place[0] == '/' || f->place[0] == '.' ? FR_SYSTEM : FR_PROJECT;
}

/* The function and place of a frame line s: ASan's "#3 0x4f5a in func
 * file.c:12:5", or ThreadSanitizer's "#3 func file.c:12:5 (prog+0x11e9)".
 * 1 if both are there. */
static int split_frame(const char *s, frame_t *f, const char *root)
{
    const char *in = strstr(s, " in "), *last = strrchr(s, ' ');
    if (!in) { /* ThreadSanitizer's */
        char func[256], place[256];
        if (sscanf(s, "#%*[0-9] %255s %255s", func, place) != 2 || place[0] == '(')
            return 0;
        snprintf(f->func, sizeof f->func, "%s", func);
        snprintf(f->place, sizeof f->place, "%s", shorten(place, root));
        return 1;
    }
    if (!last || last <= in + 3)
        return 0;
    snprintf(f->func, sizeof f->func, "%.*s", (int)(last - in - 4), in + 4);
    snprintf(f->place, sizeof f->place, "%s", shorten(last + 1, root));
    return 1;
}

/* Parses the frame line at p; 1 if it is a frame. */
static int parse_frame(const char *p, const char *src_dir, const char *root, frame_t *f)
{
    char line[SAN_LINE];
    copy_line(p, line, sizeof line);
    const char *s = line + strspn(line, " \t");
    if (s[0] != '#' || sscanf(s, "#%15[0-9]", f->num) != 1)
        return 0;
    if (!split_frame(s, f, root))
        return 0;
    char *colon = strchr(f->place, ':');
    f->has_file = f->place[0] != '(' && colon && colon[1] >= '0' && colon[1] <= '9';
    char *second = colon ? strchr(colon + 1, ':') : NULL;
    if (f->has_file && second)
        *second = '\0'; /* drop the column */
    f->kind = kind_of(f, line, src_dir);
    f->interceptor = f->kind == FR_RUNTIME && !strstr(f->func, "::") &&
                     strncmp(f->func, "__asan", 6) != 0 && strncmp(f->func, "__sanitizer", 11) != 0;
    if (strncmp(f->func, "__interceptor_", 14) == 0)
        memmove(f->func, f->func + 14, strlen(f->func + 14) + 1);
    return 1;
}

/* The frame to name, from the frames in [from, to): the first in the
 * student's code, else the first of the project (a test), else the first
 * with a file outside the runtime. 1 if there is one. */
static int pick_frame(const char *from, const char *to, const char *src_dir, const char *root,
                      frame_t *out)
{
    frame_t f, project, other;
    int have_project = 0, have_other = 0;
    for (const char *p = from; *p && p < to; p = next_line(p)) {
        if (!parse_frame(p, src_dir, root, &f) || f.kind == FR_RUNTIME || !f.has_file)
            continue;
        if (f.kind == FR_STUDENT) {
            *out = f;
            return 1;
        }
        if (f.kind == FR_PROJECT && !have_project)
            project = f, have_project = 1;
        if (!have_other)
            other = f, have_other = 1;
    }
    if (have_project || have_other)
        *out = have_project ? project : other;
    return have_project || have_other;
}

/* ---- leaks ---------------------------------------------------------------- */

/* The next leak block ("Direct leak of ..." and its frames) from p, or
 * NULL; its end (the next block, or the summary) in *end. */
static const char *next_leak(const char *p, const char **end)
{
    const char *d = strstr(p, "Direct leak of "), *i = strstr(p, "Indirect leak of ");
    const char *at = d && (!i || d < i) ? d : i;
    if (!at)
        return NULL;
    const char *after = next_line(at), *nd = strstr(after, "Direct leak of ");
    const char *ni = strstr(after, "Indirect leak of "), *sum = strstr(after, "SUMMARY: ");
    *end = after + strlen(after);
    if (nd && nd < *end)
        *end = line_start(after, nd);
    if (ni && ni < *end)
        *end = line_start(after, ni);
    if (sum && sum < *end)
        *end = line_start(after, sum);
    return line_start(p, at);
}

/* Is the leak block [b, end) the test's own: its first frame outside the
 * runtime and the C library is in the project but not in src_dir? */
static int test_block(const char *b, const char *end, const char *src_dir, const char *root)
{
    frame_t f;
    for (const char *p = next_line(b); *p && p < end; p = next_line(p))
        if (parse_frame(p, src_dir, root, &f) && (f.kind == FR_STUDENT || f.kind == FR_PROJECT))
            return f.kind == FR_PROJECT;
    return 0; /* no frame to tell by: not known to be the test's */
}

/* The first leak block of the report that is not the test's own: a direct
 * one, or an indirect one when there is no direct leak. NULL if every leak
 * is the test's. Its end in *end. */
static const char *student_leak(const char *rep, const char *src_dir, const char *root,
                                const char **end)
{
    const char *b, *e, *indirect = NULL, *iend = NULL;
    int direct = 0;
    for (const char *p = rep; (b = next_leak(p, &e)) != NULL; p = e) {
        int is_direct = strstr(b, "Direct leak of ") == b + strspn(b, " ");
        direct |= is_direct;
        if (test_block(b, e, src_dir, root))
            continue;
        if (is_direct) {
            *end = e;
            return b;
        }
        if (!indirect)
            indirect = b, iend = e;
    }
    *end = iend;
    return direct ? NULL : indirect;
}

int san_leak_is_students(const char *out, const char *src_dir, const char *root)
{
    size_t which = 0;
    const char *m = first_mark(out, &which), *end;
    if (!m || which != MARK_LSAN)
        return 1;
    return student_leak(line_start(out, m), src_dir, root, &end) != NULL;
}

/* ---- the summary ------------------------------------------------------------ */

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

/* The place UBSan names itself, before "runtime error:": FILE:LINE. */
static void ubsan_place(const char *rep, const char *m, frame_t *f)
{
    char place[256];
    snprintf(place, sizeof place, "%.*s", (int)(m - rep), rep);
    char *col = strrchr(place, ':');
    if (col && strchr(place, ':') != col)
        *col = '\0';
    snprintf(f->place, sizeof f->place, "%s", place);
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
    const char *from = rep, *to = rep + strlen(rep);
    char kind[SAN_LINE + 64];
    if (which == MARK_LSAN_FATAL) {
        snprintf(buf, bufsz, "LeakSanitizer could not look for leaks (it needs a thread "
                 "of its own: too many processes or threads left running?)");
        return 1;
    }
    if (which == MARK_ASAN) {
        asan_kind(after, kind, sizeof kind);
    } else if (which == MARK_LSAN) {
        snprintf(kind, sizeof kind, "memory leak");
        const char *b = student_leak(rep, src_dir, root, &to);
        from = b ? b : rep;
        to = b ? to : rep + strlen(rep);
    } else {
        copy_line(after, kind, sizeof kind);
        char *pid = strstr(kind, " (pid=");
        if (which == MARK_TSAN && pid)
            *pid = '\0'; /* "data race (pid=123)" */
    }
    frame_t f;
    int have = pick_frame(from, to, src_dir, root, &f);
    if (which == MARK_UBSAN && (!have || f.kind != FR_STUDENT)) {
        ubsan_place(rep, m, &f);
        if (!have)
            snprintf(f.func, sizeof f.func, "?");
        have = 1;
    }
    const char *tool = marks[which].tool;
    if (have && strcmp(f.func, "?") != 0)
        snprintf(buf, bufsz, "%s: %s, in %s at %s", tool, kind, f.func, shorten(f.place, root));
    else if (have)
        snprintf(buf, bufsz, "%s: %s, at %s", tool, kind, shorten(f.place, root));
    else
        snprintf(buf, bufsz, "%s: %s", tool, kind);
    return 1;
}

/* ---- a report a student can read ----------------------------------------- */

#define SAN_FRAMES 8 /* frames kept of each stack, at most */

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

/* A buffer being filled: the text so far (NUL-terminated), its size. */
typedef struct out {
    char *buf;
    size_t size, n;
    const char *root;
} out_t;

/* Appends text, with the root cut from paths. */
static void put(out_t *o, const char *text)
{
    size_t rl = o->root ? strlen(o->root) : 0;
    for (const char *t = text; *t && o->n + 1 < o->size; t++) {
        if (rl && strncmp(t, o->root, rl) == 0 && t[rl] == '/') {
            t += rl;
            continue;
        }
        o->buf[o->n++] = *t;
    }
    o->buf[o->n] = '\0';
}

static void put_frame(out_t *o, const frame_t *f)
{
    char line[SAN_LINE + 64];
    if (f->interceptor)
        snprintf(line, sizeof line, "    #%s %s (checked by the sanitizer)\n", f->num, f->func);
    else
        snprintf(line, sizeof line, "    #%s %s %s\n", f->num, f->func, f->place);
    put(o, line);
}

/* A stack: the frame lines from p; returns the line after them. Kept: the
 * interceptors (malloc, free), the student's frames and the one that
 * called the first of them (a test), the C library's where a run of them
 * starts (the others counted); not the runtime's inner frames, nor the
 * start-up's; at most SAN_FRAMES. */
static const char *put_stack(out_t *o, const char *p, const char *src_dir)
{
    frame_t f;
    int kept = 0, student = 0, done = 0;
    size_t system_run = 0;
    char note[64];
    for (; p[strspn(p, " \t")] == '#'; p = next_line(p)) {
        char line[SAN_LINE];
        copy_line(p, line, sizeof line);
        if (!parse_frame(p, src_dir, o->root, &f) || done || noise_frame(line) ||
            (f.kind == FR_RUNTIME && !f.interceptor))
            continue;
        if (f.kind == FR_SYSTEM && system_run++ > 0)
            continue;
        if (f.kind != FR_SYSTEM && system_run > 1) {
            snprintf(note, sizeof note, "    ... (%zu more frames in the C library)\n",
                     system_run - 1);
            put(o, note);
        }
        if (f.kind != FR_SYSTEM)
            system_run = 0;
        put_frame(o, &f);
        done = ++kept >= SAN_FRAMES || (student && f.kind != FR_STUDENT);
        student |= f.kind == FR_STUDENT;
    }
    return p;
}

/* Keeps line of a report (with its newline) in its readable form. */
static void keep_line(out_t *o, const char *line)
{
    const char *s = line + strspn(line, " \t"), *p = past_pid(line);
    if (strncmp(line, "=====", 5) == 0 || strncmp(s, "HINT: this may be a false positive", 34) == 0 ||
        (strncmp(s, "SUMMARY: ", 9) == 0 && strstr(s, "libsanitizer/")) ||
        strncmp(s, "(longjmp and C++", 16) == 0 || (p && strncmp(p, "ABORTING", 8) == 0))
        return;
    char copy[SAN_LINE];
    snprintf(copy, sizeof copy, "%s", p ? p : line);
    char *pc = strstr(copy, " (pc 0x");
    if (!pc)
        pc = strstr(copy, " at pc 0x");
    if (pc && strstr(copy, "ERROR: "))
        *pc = '\0';
    char *regs = strstr(copy, " (see register values below)");
    if (regs && strncmp(copy, "Hint: ", 6) == 0)
        strcpy(regs, ".");
    put(o, copy);
    put(o, "\n");
}

/* A LeakSanitizer report, with no blank line: its first line, the leak the
 * summary names (the student's), how many more there were, its summary. */
static void condense_leaks(out_t *o, const char *rep, const char *src_dir)
{
    const char *end, *b = student_leak(rep, src_dir, o->root, &end), *e;
    size_t more = 0;
    char line[SAN_LINE];
    copy_line(rep, line, sizeof line);
    keep_line(o, line);
    if (!b)
        b = next_leak(rep, &end);
    for (const char *p = rep; (p = next_leak(p, &e)) != NULL; p = e)
        more += p != b;
    if (b) {
        copy_line(b, line, sizeof line);
        keep_line(o, line + strspn(line, " "));
        put_stack(o, next_line(b), src_dir);
    }
    if (more > 0) {
        snprintf(line, sizeof line, "(and %zu more leak%s, not shown)\n", more,
                 more == 1 ? "" : "s");
        put(o, line);
    }
    const char *sum = strstr(rep, "SUMMARY: ");
    if (sum) {
        copy_line(sum, line, sizeof line);
        keep_line(o, line);
    }
}

void san_condense(const char *rep, const char *src_dir, const char *root, char *buf,
                  size_t bufsz)
{
    out_t o = {buf, bufsz, 0, root};
    size_t which = 0;
    const char *m = first_mark(rep, &which);
    buf[0] = '\0';
    if (m && which == MARK_LSAN) {
        condense_leaks(&o, line_start(rep, m), src_dir);
        return;
    }
    for (const char *l = rep; *l;) {
        char line[SAN_LINE];
        copy_line(l, line, sizeof line);
        if (strncmp(line, "Shadow bytes around", 19) == 0) {
            const char *end = strstr(l, "ABORTING");
            if (!end)
                break;
            l = end;
            continue;
        }
        if (line[strspn(line, " \t")] == '#') {
            l = put_stack(&o, l, src_dir);
            continue;
        }
        keep_line(&o, line);
        l = next_line(l);
    }
    while (o.n > 0 && buf[o.n - 1] == '\n' && (o.n == 1 || buf[o.n - 2] == '\n'))
        buf[--o.n] = '\0'; /* no blank line at the end */
}
