/* prog.c - starting a program, reading its output, waiting for it,
 * stopping it (see sl_harness.h). Programs run in the test's process
 * group, so they end with the test whatever happens. */
#define _GNU_SOURCE
#include "harness.h"
#include "clock.h"
#include "text.h"
#include "todo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define HN_PROGS 32     /* programs a test may have running at once */
#define HN_STEP_MS 20   /* longest sleep of a wait: how late an exit may be seen
                         * while the program's pipes stay open */
#define HN_REAP_MS 5    /* the same once a running program's pipes are closed */
#define HN_DRAIN_MAX (1024 * 1024) /* bytes read from a pipe at a time, so
                                    * that a flood cannot hold up a wait */
#define HN_SETTLE 0.2   /* seconds an ended program's pipes get to close */

static sl_prog_t *live[HN_PROGS]; /* started and not yet freed */

static void track(sl_prog_t *p)
{
    for (int i = 0; i < HN_PROGS; i++)
        if (!live[i]) {
            live[i] = p;
            return;
        }
}

static void untrack(sl_prog_t *p)
{
    for (int i = 0; i < HN_PROGS; i++)
        if (live[i] == p)
            live[i] = NULL;
}

/* ---- output -------------------------------------------------------------- */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void append(sl_capture_t *c, const char *buf, size_t n)
{
    memcpy(c->data + c->len, buf, n);
    c->len += n;
}

/* Keeps buf in c: all of it while it fits; past SL_PROG_KEEP, the head
 * (SL_PROG_HEAD bytes) stays and the rest of data rolls, so that it ends
 * with the last bytes seen, a program's last words. */
static void keep(sl_capture_t *c, const char *buf, size_t n)
{
    const size_t tail = SL_PROG_KEEP - SL_PROG_HEAD;
    c->total += n;
    if (c->len + n > SL_PROG_KEEP && c->len < SL_PROG_HEAD) {
        size_t h = SL_PROG_HEAD - c->len;
        append(c, buf, h);
        buf += h;
        n -= h;
    }
    if (c->len + n <= SL_PROG_KEEP) {
        append(c, buf, n);
    } else if (n >= tail) {
        memcpy(c->data + SL_PROG_HEAD, buf + n - tail, tail);
        c->len = SL_PROG_KEEP;
    } else {
        /* the last tail - n bytes kept so far, then buf */
        memmove(c->data + SL_PROG_HEAD, c->data + c->len - (tail - n), tail - n);
        memcpy(c->data + SL_PROG_KEEP - n, buf, n);
        c->len = SL_PROG_KEEP;
    }
    c->data[c->len] = '\0';
}

/* Reads what fd holds now (up to HN_DRAIN_MAX); closes it at end of file. */
static void drain_fd(int *fd, sl_capture_t *c)
{
    char buf[64 * 1024]; /* a pipe's whole buffer, in one read */
    for (size_t got = 0; *fd >= 0 && got < HN_DRAIN_MAX;) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            keep(c, buf, (size_t)n);
            got += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            close_fd(fd);
        }
    }
}

/* Reaps p if it has ended. */
static void reap(sl_prog_t *p)
{
    int st;
    if (p->pid > 0 && !p->ended && waitpid(p->pid, &st, WNOHANG) == p->pid) {
        p->status = st;
        p->ended = 1;
    }
}

static void drain(sl_prog_t *p)
{
    drain_fd(&p->out_fd, &p->out);
    drain_fd(&p->err_fd, &p->err);
    reap(p);
}

void hn_drain_all(void)
{
    for (int i = 0; i < HN_PROGS; i++)
        if (live[i])
            drain(live[i]);
}

/* Adds p's open pipes to f[n...]; returns the new count. *step: how
 * long a poll may sleep before it looks for p's exit. */
static nfds_t add_pipes(const sl_prog_t *p, struct pollfd *f, nfds_t n, int *step)
{
    if (p->out_fd >= 0)
        f[n++] = (struct pollfd){p->out_fd, POLLIN, 0};
    if (p->err_fd >= 0)
        f[n++] = (struct pollfd){p->err_fd, POLLIN, 0};
    if (!p->ended && p->out_fd < 0 && p->err_fd < 0)
        *step = HN_REAP_MS; /* only waitpid() will tell when it ends */
    return n;
}

static int is_live(const sl_prog_t *p)
{
    for (int i = 0; i < HN_PROGS; i++)
        if (live[i] == p)
            return 1;
    return 0;
}

int hn_wait(sl_prog_t *also, int fd, short events, double deadline)
{
    struct pollfd f[3 + 2 * HN_PROGS];
    nfds_t n = 0;
    int step = HN_STEP_MS;
    if (fd >= 0)
        f[n++] = (struct pollfd){fd, events, 0};
    for (int i = 0; i < HN_PROGS; i++)
        if (live[i])
            n = add_pipes(live[i], f, n, &step);
    if (also && !is_live(also))
        n = add_pipes(also, f, n, &step);
    else
        also = NULL;
    int left = hn_ms_left(deadline);
    int ready = poll(f, n, left < step ? left : step) > 0 && fd >= 0 && f[0].revents != 0;
    hn_drain_all();
    if (also)
        drain(also);
    return ready;
}

const char *hn_tail(const sl_capture_t *c, size_t max, char *out, size_t outsz)
{
    size_t len = c->len;
    while (len > 0 && (c->data[len - 1] == '\n' || c->data[len - 1] == ' '))
        len--;
    size_t from = len > max ? len - max : 0;
    const char *nl = from > 0 ? memchr(c->data + from, '\n', len - from) : NULL;
    if (nl && (size_t)(nl - c->data) + 1 < len)
        from = (size_t)(nl - c->data) + 1;
    char shown[2048], before[48] = "";
    sl_show(c->data + from, len - from, sizeof shown / 5, shown, sizeof shown);
    if (from > 0 || c->total > c->len)
        snprintf(before, sizeof before, "(\u2026 %zu earlier bytes) ", from + c->total - c->len);
    /* a tail is text: show it unquoted when it is printable */
    if (shown[0] == '"') {
        size_t n = strlen(shown);
        if (n >= 2 && shown[n - 1] == '"')
            shown[n - 1] = '\0';
        snprintf(out, outsz, "%s%s", before, shown + 1);
    } else {
        snprintf(out, outsz, "%s%s", before, shown);
    }
    return out;
}

/* ---- starting ------------------------------------------------------------ */

/* The folder of program name, and how to show it to a student. */
static int locate(const char *name, char *path, size_t pathsz, char *shown, size_t shownsz)
{
    int tool = strncmp(name, "sl-", 3) == 0 || strncmp(name, "libsl-", 6) == 0;
    const char *dir = getenv(tool ? "SOCKLAB_TOOLS_DIR" : "SOCKLAB_BIN_DIR");
    const char *as = getenv(tool ? "SOCKLAB_TOOLS_SHOWN" : "SOCKLAB_BIN_SHOWN");
    if (!dir || !*dir)
        return hn_error("%s is not set: run the tests through make grade (or sl-run --bin)",
                        tool ? "SOCKLAB_TOOLS_DIR" : "SOCKLAB_BIN_DIR");
    snprintf(path, pathsz, "%s/%s", dir, name);
    snprintf(shown, shownsz, "%s/%s", as && *as ? as : dir, name);
    if (access(path, tool && strstr(name, ".so") ? R_OK : X_OK) < 0)
        return hn_error("there is no program %s: it did not build (make grade named the "
                        "compiler's first error; make build shows them all)", shown);
    return 0;
}

const char *sl_tool_path(const char *name, char *buf, size_t bufsz)
{
    char shown[1024];
    return locate(name, buf, bufsz, shown, sizeof shown) == 0 ? buf : NULL;
}

const char *const *sl_shortio_env(sl_shortio_t *e, const char *seed, const char *modes,
                                  const char *log)
{
    char lib[2048], abs[PATH_MAX];
    if (!sl_tool_path("libsl-shortio.so", lib, sizeof lib))
        return NULL;
    const char *asan = getenv("ASAN_OPTIONS");
    snprintf(e->preload, sizeof e->preload, "LD_PRELOAD=%s", realpath(lib, abs) ? abs : lib);
    snprintf(e->asan, sizeof e->asan, "ASAN_OPTIONS=%.1000s%sverify_asan_link_order=0",
             asan ? asan : "", asan && *asan ? ":" : "");
    snprintf(e->seed, sizeof e->seed, "SL_SHORTIO_SEED=%.20s", seed);
    snprintf(e->modes, sizeof e->modes, "SL_SHORTIO=%.40s", modes);
    snprintf(e->log, sizeof e->log, "SL_SHORTIO_LOG=%.4000s", log ? log : "");
    const char *vars[] = {e->preload, e->asan, e->seed, e->modes, log ? e->log : NULL, NULL};
    memcpy(e->vars, vars, sizeof vars);
    sl_note("under libsl-shortio.so: %s %s (replay: LD_PRELOAD=<tools>/libsl-shortio.so "
            "%s %s PROGRAM)", e->modes, e->seed, e->modes, e->seed);
    return e->vars;
}

static int pipe_pair(int fds[2], int read_nonblock)
{
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    if (read_nonblock)
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
    return 0;
}

/* Does word need quotes for a shell to read it back as it is? */
static int needs_quotes(const char *word)
{
    return *word == '\0' || word[strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789@%+=:,./_-")] != '\0';
}

/* Appends word to buf (used n of size) as a shell reads it: as it is when
 * it can, else in single quotes ('' for the empty word, '\'' for a quote).
 * Returns the new length, or size when it did not fit. */
static size_t put_word(char *buf, size_t size, size_t n, const char *word)
{
    int q = needs_quotes(word);
    size_t need = (n > 0) + 2 * (size_t)q + strlen(word);
    for (const char *c = word; *c; c++)
        need += *c == '\'' ? 3 : 0;
    if (n + need >= size)
        return size;
    char *w = buf + n;
    if (n > 0)
        *w++ = ' ';
    if (q)
        *w++ = '\'';
    for (const char *c = word; *c; c++) {
        if (*c == '\'') {
            memcpy(w, "'\\''", 4);
            w += 4;
        } else {
            *w++ = *c;
        }
    }
    if (q)
        *w++ = '\'';
    *w = '\0';
    return (size_t)(w - buf);
}

/* The command line as a person types it again: every word shell-quoted;
 * if it is too long for the transcript, "…" and how much is missing. */
static void command_line(sl_prog_t *p, const char *shown, const char *const *args)
{
    static char all[64 * 1024];
    size_t n = put_word(all, sizeof all, 0, shown);
    for (size_t i = 0; args && args[i] && n < sizeof all; i++)
        n = put_word(all, sizeof all, n, args[i]);
    int k = snprintf(p->command, sizeof p->command, "%s", all);
    txt_cut(p->command, sizeof p->command, k < 0 ? 0 : (size_t)k);
}

/* Runs path, under SOCKLAB_PROG_WRAP when it is set (e.g. "valgrind
 * --leak-check=full --error-exitcode=99", for make test-long): the
 * wrapper's words, then the program and its arguments. Lesson programs
 * only: the grader's tools run as they are. */
static void wrapped_exec(const char *path, char *const argv[])
{
    const char *wrap = getenv("SOCKLAB_PROG_WRAP");
    const char *base = strrchr(path, '/');
    if (!wrap || !*wrap || strncmp(base ? base + 1 : path, "sl-", 3) == 0) {
        execv(path, argv);
        return;
    }
    static char words[1024];
    char *all[96];
    size_t n = 0;
    snprintf(words, sizeof words, "%s", wrap);
    for (char *w = strtok(words, " "); w && n < 30; w = strtok(NULL, " "))
        all[n++] = w;
    all[n++] = (char *)path;
    for (size_t i = 1; argv[i] && n < 94; i++)
        all[n++] = argv[i];
    all[n] = NULL;
    execvp(all[0], all);
}

static _Noreturn void child(const char *path, char *const argv[], int in, int out, int err,
                            const char *const *env)
{
    if (in < 0)
        in = open("/dev/null", O_RDONLY);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    /* The test process checks its own leaks when its body returns; a
     * program of the lesson checks its own at exit, and a leak is then
     * its exit status (1) with the report on its stderr. */
    putenv((char *)"LSAN_OPTIONS=leak_check_at_exit=1");
    for (size_t i = 0; env && env[i]; i++)
        putenv((char *)env[i]);
    signal(SIGPIPE, SIG_DFL);
    wrapped_exec(path, argv);
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", path, strerror(errno));
    _exit(127);
}

int sl_prog_start_env(sl_prog_t *p, const char *name, const char *const *args,
                      int with_stdin, const char *const *env)
{
    char path[1024], shown[1024];
    memset(p, 0, sizeof *p);
    p->in_fd = p->out_fd = p->err_fd = -1;
    snprintf(p->name, sizeof p->name, "%s", name);
    if (locate(name, path, sizeof path, shown, sizeof shown) < 0)
        return -1;
    command_line(p, shown, args);
    int in[2] = {-1, -1}, out[2], err[2];
    if (pipe_pair(out, 1) < 0 || pipe_pair(err, 1) < 0 || (with_stdin && pipe_pair(in, 0) < 0))
        return hn_error_errno(errno, "cannot start %s: pipe: %s", name, strerror(errno));
    char *argv[64] = {(char *)name};
    for (size_t i = 0; args && args[i] && i < 62; i++)
        argv[i + 1] = (char *)args[i];
    /* The program runs as the same user as this test process: made not
     * dumpable, the test cannot be traced by it, nor its descriptors taken
     * (pidfd_getfd), nor its verdict forged that way. */
    prctl(PR_SET_DUMPABLE, 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return hn_error_errno(errno, "cannot start %s: fork: %s", name, strerror(errno));
    if (pid == 0)
        child(path, argv, in[0], out[1], err[1], env);
    close(out[1]);
    close(err[1]);
    if (with_stdin) {
        close(in[0]);
        p->in_fd = in[1];
    }
    p->pid = pid;
    p->out_fd = out[0];
    p->err_fd = err[0];
    track(p);
    sl_note("started %s", p->command);
    return 0;
}

int sl_prog_start(sl_prog_t *p, const char *name, const char *const *args, int with_stdin)
{
    return sl_prog_start_env(p, name, args, with_stdin, NULL);
}

/* ---- reading, waiting, stopping ----------------------------------------- */

/* Does a complete line of c start with prefix? */
static int has_line(const sl_capture_t *c, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *l = c->data; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, prefix, n) == 0 && strchr(l, '\n'))
            return 1;
    return 0;
}

/* Once p has ended: what it left in its pipes, and until end at the most
 * their close, which comes with its exit unless a process it started
 * holds them. */
static void settle(sl_prog_t *p, double end)
{
    drain(p);
    while ((p->out_fd >= 0 || p->err_fd >= 0) && hn_ms_left(end) > 0)
        hn_wait(p, -1, 0, end);
}

int sl_prog_read(sl_prog_t *p, const char *line_prefix, double deadline)
{
    for (;;) {
        drain(p);
        if (line_prefix && has_line(&p->out, line_prefix))
            return 1;
        if (p->ended) {
            /* its own exit counts, whoever else holds its pipes */
            double end = clk_now() + HN_SETTLE;
            settle(p, end < deadline ? end : deadline);
            if (line_prefix && has_line(&p->out, line_prefix))
                return 1;
            return line_prefix ? -1 : 1;
        }
        if (hn_ms_left(deadline) == 0)
            return 0;
        hn_wait(p, -1, 0, deadline);
    }
}

int sl_prog_wait(sl_prog_t *p, double deadline)
{
    for (;;) {
        drain(p);
        if (p->ended) {
            settle(p, clk_now() + HN_SETTLE);
            return 0;
        }
        if (hn_ms_left(deadline) == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        hn_wait(p, -1, 0, deadline);
    }
}

/* The project's path of a file a sanitizer names: from "skeletons/",
 * "solutions/" or "lessons/" on, where the path holds one. */
static const char *project_path(const char *path, const char *end)
{
    static const char *const roots[] = {"/skeletons/", "/solutions/", "/lessons/"};
    const char *word = path + strspn(path, " "); /* the build's own paths are relative */
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        size_t n = strlen(roots[i]);
        if ((size_t)(end - word) > n && strncmp(word, roots[i] + 1, n - 1) == 0)
            return word;
        const char *at = memmem(path, (size_t)(end - path), roots[i], n);
        if (at)
            return at + 1;
    }
    return path;
}

/* Where the first leak LeakSanitizer lists was allocated in the lesson's
 * code: " in FUNC at solutions/L/f.c:46" from its first frame there
 * ("#1 0x55f1 in FUNC /path/solutions/L/f.c:46:5"), into out; "" if none. */
static void leak_place(const char *from, const char *end, char *out, size_t outsz)
{
    const char *line = memmem(from, (size_t)(end - from), "leak of ", 8);
    out[0] = '\0';
    for (int first = 1; line && line < end; first = 0) {
        const char *nl = memchr(line, '\n', (size_t)(end - line)), *stop = nl ? nl : end;
        if (!first && stop - line < 2)
            return; /* the blank line after the first leak's frames */
        const char *in = memmem(line, (size_t)(stop - line), " in ", 4);
        const char *func = in ? in + 4 : NULL;
        const char *space = func ? memchr(func, ' ', (size_t)(stop - func)) : NULL;
        const char *path = space ? project_path(space, stop) : NULL;
        if (path && path != space) {
            const char *col = memchr(path, ':', (size_t)(stop - path));
            const char *col2 = col ? memchr(col + 1, ':', (size_t)(stop - col - 1)) : NULL;
            int flen = (int)(space - func), plen = (int)((col2 ? col2 : stop) - path);
            snprintf(out, outsz, " in %.*s at %.*s", flen < 80 ? flen : 80, func,
                     plen < 120 ? plen : 120, path);
            return;
        }
        line = nl ? nl + 1 : NULL;
    }
}

/* The last "SUMMARY: ...Sanitizer: ..." line of p's stderr, shortened
 * (" (ThreadSanitizer: data race solutions/06-x/x.c:31 in f)"), into out;
 * "" when there is none. */
static void sanitizer_summary(const sl_prog_t *p, char *out, size_t outsz)
{
    const char *mark = "SUMMARY: ", *at = NULL, *from = p->err.data, *hit;
    const char *end = p->err.data + p->err.len;
    out[0] = '\0';
    while (from < end && (hit = memmem(from, (size_t)(end - from), mark, strlen(mark))) != NULL)
        at = hit, from = hit + 1;
    if (!at)
        return;
    at += strlen(mark);
    const char *nl = memchr(at, '\n', (size_t)(end - at)), *stop = nl ? nl : end;
    const char *space = memchr(at, ' ', (size_t)(stop - at));
    const char *slash = space ? memchr(space, '/', (size_t)(stop - space)) : NULL;
    if (!memmem(at, (size_t)(stop - at), "Sanitizer", 9))
        return;
    const char *path = slash ? project_path(slash, stop) : stop;
    int head = (int)((slash ? slash : stop) - at), tail = (int)(stop - path);
    char where[256] = "";
    if (memmem(at, (size_t)(stop - at), " leaked in ", 11)) { /* where LeakSanitizer saw it */
        leak_place(p->err.data, end, where, sizeof where);
        snprintf(out, outsz, " (LeakSanitizer: memory leak%s)", where);
        return;
    }
    snprintf(out, outsz, " (%.*s%.*s)", head < 150 ? head : 150, at, tail < 150 ? tail : 150, path);
}

const char *sl_prog_how(const sl_prog_t *p, char *buf, size_t bufsz)
{
    char san[300];
    if (!p->ended)
        snprintf(buf, bufsz, "is still running");
    else if (WIFEXITED(p->status) && (sanitizer_summary(p, san, sizeof san), san[0]))
        snprintf(buf, bufsz, "exited with status %d%s", WEXITSTATUS(p->status), san);
    else if (WIFEXITED(p->status))
        snprintf(buf, bufsz, "exited with status %d", WEXITSTATUS(p->status));
    else if (WIFSIGNALED(p->status))
        snprintf(buf, bufsz, "was killed by SIG%s (%s)", sigabbrev_np(WTERMSIG(p->status)) ?
                 sigabbrev_np(WTERMSIG(p->status)) : "?", strsignal(WTERMSIG(p->status)));
    else
        snprintf(buf, bufsz, "ended (wait status %d)", p->status);
    return buf;
}

/* The last place of mark in c (whatever bytes come before), or NULL. */
static const char *last_of(const sl_capture_t *c, const char *mark)
{
    const char *at = NULL, *from = c->data, *end = c->data + c->len, *hit;
    size_t n = strlen(mark);
    while ((hit = memmem(from, (size_t)(end - from), mark, n)) != NULL) {
        at = hit;
        from = hit + 1;
    }
    return at;
}

/* "FUNC (FILE:LINE, called by PROG)" from what TODO() printed, "FUNC (FILE:LINE)"
 * (or "FUNC" from an older todo.o: "FUNC (in PROG)"), into out. */
static void todo_where(const char *said, size_t n, const char *prog, char *out, size_t outsz)
{
    n = n < 300 ? n : 300;
    if (n > 2 && said[n - 1] == ')' && memchr(said, '(', n))
        snprintf(out, outsz, "%.*s, called by %s)", (int)(n - 1), said, prog);
    else
        snprintf(out, outsz, "%.*s (in %s)", (int)n, said, prog);
}

#define TODO_MARK "not implemented: "

/* What TODO() said after its mark ("FUNC (FILE:LINE)\n..."), if p ended
 * at one (status 3, the mark in its stderr), else NULL. */
static const char *todo_said(const sl_prog_t *p)
{
    if (!p->ended || !WIFEXITED(p->status) || WEXITSTATUS(p->status) != 3)
        return NULL;
    /* TODO() says so last, at the end of the kept tail */
    const char *at = last_of(&p->err, TODO_MARK);
    return at ? at + strlen(TODO_MARK) : NULL;
}

void sl_prog_check_todo(const sl_prog_t *p)
{
    const char *said = todo_said(p);
    if (!said)
        return;
    char func[400];
    todo_where(said, strcspn(said, "\n"), p->name, func, sizeof func);
    sl_note("%s says: not implemented: %.*s", p->name, (int)strcspn(said, "\n"), said);
    sl_todo(func, NULL, 0);
}

int sl_prog_errno(const sl_prog_t *p)
{
    const char *data = p->err.data, *end = data + p->err.len;
    while (end > data && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
        end--;
    const char *line = end;
    while (line > data && line[-1] != '\n')
        line--;
    size_t name = strlen(p->name), len = (size_t)(end - line);
    if (len <= name + 2 || strncmp(line, p->name, name) != 0 || line[name] != ':')
        return 0;
    const char *reason = NULL;
    for (const char *c = line + name + 1; c + 1 < end; c++)
        if (c[0] == ':' && c[1] == ' ')
            reason = c + 2; /* the text after the last ": " */
    for (int e = 1; reason && e < 256; e++) {
        const char *text = strerror(e);
        if (strlen(text) == (size_t)(end - reason) && strncmp(reason, text, strlen(text)) == 0)
            return e;
    }
    return 0;
}

/* ", its last words: ..." from the end of p's stderr, or "". */
static const char *last_words(const sl_prog_t *p, char *buf, size_t bufsz)
{
    char tail[600];
    if (p->err.len == 0)
        snprintf(buf, bufsz, "%s", "");
    else
        snprintf(buf, bufsz, ": %s", hn_tail(&p->err, 400, tail, sizeof tail));
    return buf;
}

int sl_prog_stop(sl_prog_t *p, int sig, int grace_ms)
{
    char how[96], words[640];
    if (p->pid <= 0)
        return hn_error("%s was never started", p->name);
    drain(p);
    if (!p->ended) {
        kill(p->pid, sig);
        sl_note("sent SIG%s to %s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", p->name);
    }
    if (sl_prog_wait(p, sl_deadline(grace_ms)) < 0) {
        kill(p->pid, SIGKILL);
        sl_prog_wait(p, sl_deadline(1000));
        return hn_error_errno(sl_prog_errno(p), "%s did not exit within %d ms of SIG%s (it was "
                              "killed)%s", p->name,
                        sl_scaled_ms(grace_ms), sigabbrev_np(sig), last_words(p, words, sizeof words));
    }
    sl_note("%s %s", p->name, sl_prog_how(p, how, sizeof how));
    if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0)
        return 0;
    sl_prog_check_todo(p);
    return hn_error_errno(sl_prog_errno(p), "%s %s after SIG%s (expected exit status 0)%s",
                          p->name,
                    sl_prog_how(p, how, sizeof how), sigabbrev_np(sig),
                    last_words(p, words, sizeof words));
}

/* The TODO() of a program the test has freed already ("FUNC (FILE:LINE,
 * called by PROG)"), for a failure that comes after: the first one. */
static char todo_freed[400];

void sl_prog_free(sl_prog_t *p)
{
    if (p->pid > 0) {
        drain(p); /* its last words, a TODO()'s among them */
        if (!todo_freed[0] && todo_said(p))
            todo_where(todo_said(p), strcspn(todo_said(p), "\n"), p->name, todo_freed,
                       sizeof todo_freed);
    }
    if (p->pid > 0 && !p->ended) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, &p->status, 0);
        p->ended = 1;
    }
    close_fd(&p->in_fd);
    close_fd(&p->out_fd);
    close_fd(&p->err_fd);
    untrack(p);
}

/* ---- before a failure is recorded ---------------------------------------- */

#define HN_TODO_WAIT_MS 500 /* how long a program that printed TODO()'s line
                             * gets to exit (it does at once) */
#define HN_END_WAIT_MS 200  /* how long the programs get to be seen ending
                             * after a connection was refused or reset */

/* The last line p wrote on stderr, bounded, into out ("" if none). */
static const char *last_line(const sl_prog_t *p, char *out, size_t outsz)
{
    const char *data = p->err.data, *end = data + p->err.len;
    while (end > data && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
        end--;
    const char *line = end;
    while (line > data && line[-1] != '\n')
        line--;
    sl_show(line, (size_t)(end - line), 200, out, outsz);
    if (out[0] == '"' && out[strlen(out) - 1] == '"') { /* text: unquoted */
        out[strlen(out) - 1] = '\0';
        memmove(out, out + 1, strlen(out));
    }
    return out;
}

/* "NAME exited with status N (its last words: LINE)", into out. */
static const char *ended_words(const sl_prog_t *p, char *out, size_t outsz)
{
    char how[96], line[1000];
    sl_prog_how(p, how, sizeof how);
    if (p->err.len == 0)
        snprintf(out, outsz, "%s %s (it printed nothing on stderr)", p->name, how);
    else
        snprintf(out, outsz, "%s %s (its last words: %s)", p->name, how,
                 last_line(p, line, sizeof line));
    return out;
}

int sl_prog_fd_count(sl_prog_t *p)
{
    char words[1200], path[64];
    if (p->pid <= 0)
        return hn_error("%s was never started", p->name);
    drain(p);
    if (p->ended) /* reaped: its pid may be another process's now */
        return hn_error_errno(sl_prog_errno(p), "%s", ended_words(p, words, sizeof words));
    /* not reaped, so pid is still p's (a zombie's at worst: checked below) */
    snprintf(path, sizeof path, "/proc/%d/fd", (int)p->pid);
    DIR *d = opendir(path);
    int n = 0, err = errno;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    reap(p);
    if (p->ended)
        return hn_error_errno(sl_prog_errno(p), "%s", ended_words(p, words, sizeof words));
    if (!d)
        return hn_error_errno(err, "cannot count the descriptors of %s (%s): %s", p->name,
                              path, strerror(err));
    return n;
}

/* Does a failure say that a connection was refused or reset? */
static int conn_failed(const char *msg, int cause)
{
    return cause == ECONNREFUSED || cause == ECONNRESET || strstr(msg, strerror(ECONNREFUSED)) ||
           strstr(msg, strerror(ECONNRESET));
}

/* Waits, up to a short while, for the programs to be seen ending: those
 * that printed TODO()'s line; after a refused or reset connection (conn),
 * until any has ended. */
static void await_ends(int conn)
{
    double todo_end = sl_deadline(HN_TODO_WAIT_MS), conn_end = sl_deadline(HN_END_WAIT_MS);
    for (;;) {
        int todo = 0, running = 0, ended = 0;
        hn_drain_all();
        for (int i = 0; i < HN_PROGS; i++) {
            if (!live[i])
                continue;
            ended += live[i]->ended;
            running += !live[i]->ended;
            todo += !live[i]->ended && last_of(&live[i]->err, TODO_MARK) != NULL;
        }
        int wait_conn = conn && running && !ended && hn_ms_left(conn_end) > 0;
        if (!(todo && hn_ms_left(todo_end) > 0) && !wait_conn)
            return;
        hn_wait(NULL, -1, 0, todo ? todo_end : conn_end);
    }
}

/* Puts in front of msg that a program the test started had exited, when
 * one had: the cause of a connection refused or reset. */
static void say_who_ended(char *msg, size_t msgsz, int *cause)
{
    for (int i = 0; i < HN_PROGS; i++) {
        if (!live[i] || !live[i]->ended)
            continue;
        char words[1200], *was = strdup(msg);
        if (!was)
            return;
        int n = snprintf(msg, msgsz, "%s before this; then: %s",
                         ended_words(live[i], words, sizeof words), was);
        txt_cut(msg, msgsz, n < 0 ? 0 : (size_t)n);
        free(was);
        if (sl_prog_errno(live[i]))
            *cause = sl_prog_errno(live[i]);
        return;
    }
}

void sl_harness_on_failure(char *msg, size_t msgsz, int *cause)
{
    int conn = conn_failed(msg, *cause);
    await_ends(conn);
    for (int i = 0; i < HN_PROGS; i++)
        if (live[i])
            sl_prog_check_todo(live[i]); /* ends the test if it ended at TODO() */
    if (todo_freed[0]) {
        sl_note("a program of this test had stopped at a TODO(): %s", todo_freed);
        sl_todo(todo_freed, NULL, 0);
    }
    if (conn)
        say_who_ended(msg, msgsz, cause);
}
