/* engine_run.c - nested gradings for the engine's self-tests (see
 * engine_run.h). */
#include "engine_run.h"
#include "clock.h"
#include "sl_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void er_path(const char *name, char *out, size_t outsz)
{
    const char *dir = getenv("SOCKLAB_EXE_DIR");
    if (dir && *dir) {
        snprintf(out, outsz, "%s/%s", dir, name);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, outsz, "%s/%s", exe, name);
}

int er_spawn(char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int st = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0)
        waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return st;
}

int er_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#else
    return 0;
#endif
#else
    return 0;
#endif
}

static int scratch(er_run_t *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "/tmp/sl-selftest-XXXXXX");
    if (!mkdtemp(r->dir)) {
        SL_FAIL("mkdtemp: %s", strerror(errno));
        return -1;
    }
    chmod(r->dir, 0777); /* as root, sl-run gives its tests to other uids */
    snprintf(r->json, sizeof r->json, "%s/results.json", r->dir);
    setenv("FIXTURE_DIR", r->dir, 1);
    return 0;
}

/* argv of sl-run for w, in bufs (PATH_MAX each). */
static void build_argv(const er_what_t *w, er_run_t *r, char *argv[48], char bufs[3][PATH_MAX])
{
    int k = 0;
    er_path("sl-run", bufs[0], PATH_MAX);
    er_path(w->tests, bufs[1], PATH_MAX);
    argv[k++] = bufs[0];
    argv[k++] = "--tests", argv[k++] = bufs[1];
    if (w->impl) {
        er_path(w->impl, bufs[2], PATH_MAX);
        argv[k++] = "--impl-tests", argv[k++] = bufs[2];
    }
    if (w->src)
        argv[k++] = "--src", argv[k++] = (char *)w->src;
    if (er_sanitized())
        argv[k++] = "--sanitized";
    argv[k++] = "-q", argv[k++] = "-j", argv[k++] = (char *)(w->jobs ? w->jobs : "2");
    argv[k++] = "--share-dir", argv[k++] = r->dir; /* FIXTURE_DIR, where tests note things */
    argv[k++] = "-o", argv[k++] = r->json;
    if (w->option)
        argv[k++] = (char *)w->option;
    for (const char *const *t = w->only; t && *t && k < 46; t++)
        argv[k++] = "-t", argv[k++] = (char *)*t;
    argv[k] = NULL;
}

int er_grade(const er_what_t *w, er_run_t *r)
{
    char *argv[48], bufs[3][PATH_MAX], log[128];
    if (scratch(r) < 0)
        return -1;
    build_argv(w, r, argv, bufs);
    snprintf(log, sizeof log, "%s/log", r->dir);
    if (w->sandbox)
        setenv("SOCKLAB_SANDBOX", w->sandbox, 1);
    double start = clk_now();
    r->status = er_spawn(argv, log);
    r->seconds = clk_now() - start;
    unsetenv("SOCKLAB_SANDBOX");
    const char *err;
    if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0) {
        SL_FAIL("sl-run on %s failed (wait status %d); see %s", w->tests, r->status, log);
        return -1;
    }
    if (res_read(r->json, &r->res, &err) < 0) {
        SL_FAIL("sl-run's results do not parse: %s", err);
        return -1;
    }
    return 0;
}

const res_test_t *er_test(const er_run_t *r, const char *name)
{
    for (size_t i = 0; i < r->res.ntests; i++)
        if (strcmp(r->res.tests[i].name, name) == 0)
            return &r->res.tests[i];
    SL_FAIL("no test %s in the results", name);
    return NULL;
}

const res_test_t *er_one(const char *name, er_run_t *r)
{
    const char *only[] = {name, NULL};
    er_what_t w = {.tests = "fixtures", .only = only};
    if (er_grade(&w, r) < 0)
        return NULL;
    if (r->res.ntests != 1) {
        SL_FAIL("expected exactly the fixture %s in the results", name);
        return NULL;
    }
    return er_test(r, name);
}

void er_cleanup(er_run_t *r)
{
    res_free(&r->res);
    DIR *d = opendir(r->dir);
    struct dirent *e;
    char path[PATH_MAX];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        if (unlink(path) < 0)
            SL_FAIL("cannot remove %s: %s", path, strerror(errno));
    }
    if (d)
        closedir(d);
    if (r->dir[0] && rmdir(r->dir) < 0)
        SL_FAIL("cannot remove %s: %s", r->dir, strerror(errno));
}

/* Alive files in dir, and how many are still locked (their process lives). */
static int count_alive(const char *dir, int quiet, int *locked)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int count = 0;
    while (d && (e = readdir(d))) {
        char path[PATH_MAX];
        if (strncmp(e->d_name, "alive-", 6) != 0)
            continue;
        count++;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
            (*locked)++;
            if (!quiet)
                SL_FAIL("a process started by the test is still there (%s is locked)",
                        e->d_name);
        }
        if (fd >= 0)
            close(fd);
    }
    if (d)
        closedir(d);
    return d ? count : -1;
}

int er_all_gone(const char *dir)
{
    int locked = 0;
    return count_alive(dir, 0, &locked);
}

int er_all_gone_quiet(const char *dir)
{
    int locked = 0;
    count_alive(dir, 1, &locked);
    return locked;
}

/* The first line sl-run --sandbox prints, into line. */
static void sandbox_line(char *line, size_t size)
{
    char bin[PATH_MAX], out[160];
    er_path("sl-run", bin, sizeof bin);
    snprintf(out, sizeof out, "/tmp/sl-sandbox-%d", (int)getpid());
    char *argv[] = {bin, "--sandbox", NULL};
    unlink(out);
    er_spawn(argv, out);
    FILE *f = fopen(out, "r");
    line[0] = '\0';
    if (f) {
        if (!fgets(line, (int)size, f))
            line[0] = '\0';
        fclose(f);
    }
    unlink(out);
}

int er_files_isolated(void)
{
    char line[256];
    sandbox_line(line, sizeof line);
    return strncmp(line, "namespaces", 10) == 0 && !strstr(line, "files are not isolated");
}

int er_namespaces(void)
{
    char bin[PATH_MAX], out[160];
    er_path("sl-run", bin, sizeof bin);
    snprintf(out, sizeof out, "/tmp/sl-sandbox-%d", (int)getpid());
    char *argv[] = {bin, "--sandbox", NULL};
    unlink(out);
    int st = er_spawn(argv, out);
    FILE *f = fopen(out, "r");
    char line[256] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    unlink(out);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 && strncmp(line, "namespaces", 10) == 0;
}
