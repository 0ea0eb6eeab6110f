/* runner.c - main() of every lesson's test binary.
 *
 * Runs each registered test in a supervisor process of its own (see
 * supervise.h), several at once, and writes the lesson's raw results as JSON
 * (see results.h) for the reporters.
 */
#include "results.h"
#include "sandbox.h"
#include "sl_test.h"
#include "supervise.h"
#include "text.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUN_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RUN_SANITIZED 1
#endif

#define RUN_GRACE_S 10.0 /* a supervisor's own allowance past its test's limit */

typedef struct options {
    const char *lesson, *impl, *out, *build_log;
    const char **only;
    size_t nonly;
    int jobs, list, netns;
    double scale;
} options_t;

typedef struct job {
    pid_t pid;    /* supervisor, 0 when the slot is free */
    size_t index; /* test it runs */
    double deadline;
} job_t;

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
        "usage: %s [-j JOBS] [-o RESULTS.json] [-i IMPL] [-l LESSON] [-t TEST]...\n"
        "       %s --list | --build-failed LOG [-o RESULTS.json]\n"
        "Runs the lesson's tests, each in a process of its own, and writes the\n"
        "raw results as JSON (default: stdout). Render them with sl-report.\n"
        "  -j JOBS   tests at once (default: the number of cores; SOCKLAB_JOBS)\n"
        "  -t TEST   run only this test (repeatable)\n"
        "  --list    print the tests, their points and timeouts\n"
        "  --build-failed LOG  report every test as not built, with LOG's tail\n"
        "Environment: SOCKLAB_TIMEOUT_SCALE multiplies every timeout;\n"
        "SOCKLAB_NETNS=0 keeps the tests in this network namespace.\n",
        prog, prog);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : dflt;
}

static double env_double(const char *name, double dflt)
{
    const char *v = getenv(name);
    double d = v && *v ? atof(v) : 0;
    return d > 0 ? d : dflt;
}

static int parse_options(int argc, char **argv, options_t *o)
{
    static const struct option longs[] = {
        {"list", no_argument, NULL, 'L'},
        {"build-failed", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof o[0]);
    o->lesson = base_name(argv[0]);
    o->impl = "skeletons";
    o->out = "-";
    o->jobs = env_int("SOCKLAB_JOBS", (int)sysconf(_SC_NPROCESSORS_ONLN));
    o->netns = env_int("SOCKLAB_NETNS", 1);
    o->scale = env_double("SOCKLAB_TIMEOUT_SCALE", 1.0);
    o->only = calloc((size_t)argc, sizeof *o->only);
    int c;
    while ((c = getopt_long(argc, argv, "j:o:i:l:t:h", longs, NULL)) != -1) {
        switch (c) {
        case 'j': o->jobs = atoi(optarg); break;
        case 'o': o->out = optarg; break;
        case 'i': o->impl = optarg; break;
        case 'l': o->lesson = optarg; break;
        case 't': o->only[o->nonly++] = optarg; break;
        case 'L': o->list = 1; break;
        case 'B': o->build_log = optarg; break;
        case 'h': usage(stdout, argv[0]); exit(0);
        default: usage(stderr, argv[0]); return -1;
        }
    }
    if (optind != argc || o->jobs < 1) {
        usage(stderr, argv[0]);
        return -1;
    }
    return 0;
}

/* Every -t names a test; says which does not. */
static int known_tests(const options_t *o, sl_test_t **tests, size_t n)
{
    for (size_t k = 0; k < o->nonly; k++) {
        size_t i = 0;
        while (i < n && strcmp(tests[i]->name, o->only[k]) != 0)
            i++;
        if (i == n) {
            fprintf(stderr, "grader: no test named '%s' in %s (see --list)\n",
                    o->only[k], o->lesson);
            return 0;
        }
    }
    return 1;
}

static int selected(const options_t *o, const sl_test_t *t)
{
    if (o->nonly == 0)
        return 1;
    for (size_t i = 0; i < o->nonly; i++)
        if (strcmp(o->only[i], t->name) == 0)
            return 1;
    return 0;
}

static double limit_of(const options_t *o, const sl_test_t *t)
{
    int ms = t->timeout_ms > 0 ? t->timeout_ms : SL_DEFAULT_TIMEOUT_MS;
    return ms / 1000.0 * o->scale;
}

static sb_limits_t limits_of(const options_t *o, const sl_test_t *t)
{
    sb_limits_t lim = {limit_of(o, t), 1UL << 30, 4096, 256, 0};
#ifdef RUN_SANITIZED
    lim.mem_bytes = 0; /* the sanitizers reserve terabytes of address space */
#endif
    return lim;
}

/* ---- running ------------------------------------------------------------- */

/* What the runner waits for: its children, and the signals that end a run
 * (Ctrl-C, kill, a closed terminal, Ctrl-\). All stay blocked, so no test
 * is left behind by a handler that runs at the wrong moment. */
static void handled_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

/* One pass over the tests, and what the passes share. */
typedef struct run {
    const options_t *o;
    sl_test_t **tests;
    CU_pTest *cu;
    CU_pSuite suite;
    size_t n;
    sup_slot_t *slots;
    double *started, *ended; /* per test, runner's clock */
    int jobs;                /* tests at once in this pass */
} run_t;

static void start_job(run_t *r, job_t *j, unsigned job, size_t i)
{
    sup_slot_t *slot = &r->slots[i];
    sb_limits_t lim = limits_of(r->o, r->tests[i]);
    lim.job = job;
    memset(slot, 0, sizeof *slot);
    slot->status = -1;
    r->started[i] = sb_now();
    pid_t runner = getpid(), pid = fork();
    if (pid == 0) {
        /* A supervisor dies with the runner (kill -9, a crash). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != runner)
            _exit(0);
        sup_run(r->suite, r->cu[i], &lim, slot);
        _exit(0);
    }
    if (pid < 0) {
        slot->status = RES_ERROR;
        snprintf(slot->message, sizeof slot->message, "grader: fork: %s",
                 strerror(errno));
        r->ended[i] = sb_now();
        return;
    }
    j->pid = pid;
    j->index = i;
    j->deadline = r->started[i] + lim.timeout_s + RUN_GRACE_S;
}

static void stop_job(job_t *j, sup_slot_t *slot)
{
    if (slot->body > 0)
        kill(-slot->body, SIGKILL);
    kill(j->pid, SIGKILL);
}

/* Reaps ended supervisors (and stray orphans); returns how many jobs ended. */
static int reap_jobs(run_t *r, job_t *jobs)
{
    int freed = 0, st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        for (int k = 0; k < r->jobs; k++) {
            if (jobs[k].pid != pid)
                continue;
            sup_slot_t *s = &r->slots[jobs[k].index];
            if (s->status < 0) {
                s->status = RES_ERROR;
                snprintf(s->message, sizeof s->message,
                         "grader: the test's supervisor ended before its verdict");
            }
            r->ended[jobs[k].index] = sb_now();
            jobs[k].pid = 0;
            freed++;
        }
    }
    return freed;
}

static void expire_jobs(run_t *r, job_t *jobs)
{
    double now = sb_now();
    for (int k = 0; k < r->jobs; k++)
        if (jobs[k].pid && now > jobs[k].deadline)
            stop_job(&jobs[k], &r->slots[jobs[k].index]);
}

/* Ends every test, then dies of the same signal, so that whoever started
 * the grader (make, a shell loop) sees it was interrupted and stops too. */
static _Noreturn void interrupted(run_t *r, job_t *jobs, int sig)
{
    for (int k = 0; k < r->jobs; k++)
        if (jobs[k].pid)
            stop_job(&jobs[k], &r->slots[jobs[k].index]);
    sb_sweep(0, 5.0);
    sb_finish();
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    signal(sig, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

static int free_job(const run_t *r, const job_t *jobs)
{
    for (int k = 0; k < r->jobs; k++)
        if (!jobs[k].pid)
            return k;
    return -1;
}

/* Is a solo test running? */
static int solo_running(const run_t *r, const job_t *jobs)
{
    for (int k = 0; k < r->jobs; k++)
        if (jobs[k].pid && r->tests[jobs[k].index]->solo)
            return 1;
    return 0;
}

/* Runs the tests marked in want, r->jobs at once; a solo test waits for
 * the others to end, and the next wait for it. */
static void run_pass(run_t *r, const char *want)
{
    sigset_t set;
    handled_signals(&set);
    job_t *jobs = calloc((size_t)r->jobs, sizeof *jobs);
    size_t next = 0;
    int running = 0;
    for (;;) {
        while (next < r->n && running < r->jobs && !solo_running(r, jobs)) {
            if (!want[next]) {
                next++;
                continue;
            }
            if (r->tests[next]->solo && running > 0)
                break;
            int k = free_job(r, jobs);
            start_job(r, &jobs[k], (unsigned)k, next++);
            running += jobs[k].pid != 0;
        }
        if (running == 0 && next >= r->n)
            break;
        struct timespec tick = {0, 200 * 1000000};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig > 0 && sig != SIGCHLD)
            interrupted(r, jobs, sig);
        running -= reap_jobs(r, jobs);
        expire_jobs(r, jobs);
    }
    free(jobs);
}

/* Did test i use up most of its process allowance (a fork loop)? */
static int greedy(const run_t *r, size_t i)
{
    sb_limits_t lim = limits_of(r->o, r->tests[i]);
    return r->slots[i].swept >= (int)(lim.nproc / 2);
}

/* Where parallel tests share one uid, they share its process limit: a
 * test that used it up may have made the forks of the tests beside it
 * fail. Marks in again every such test that did not pass; returns how many. */
static size_t contended(const run_t *r, const char *want, char *again)
{
    size_t count = 0;
    memset(again, 0, r->n);
    for (size_t g = 0; g < r->n; g++) {
        if (!want[g] || !greedy(r, g))
            continue;
        for (size_t i = 0; i < r->n; i++) {
            int overlap = r->started[i] < r->ended[g] && r->started[g] < r->ended[i];
            if (want[i] && i != g && overlap && !again[i] &&
                r->slots[i].status != RES_PASS && !greedy(r, i))
                again[i] = 1, count++;
        }
    }
    return count;
}

static void run_all(run_t *r, const char *want)
{
    run_pass(r, want);
    if (!sb_jobs_share_uid() || r->jobs == 1)
        return;
    char *again = calloc(r->n ? r->n : 1, 1);
    if (again && contended(r, want, again) > 0) {
        r->jobs = 1;
        run_pass(r, again);
    }
    free(again);
}

/* ---- results ------------------------------------------------------------- */

static char *clean_output(const sup_slot_t *s)
{
    char *body = txt_clean(s->output, s->output_len);
    if (!body || s->output_total <= s->output_len)
        return body;
    size_t size = strlen(body) + 64;
    char *all = malloc(size);
    if (all)
        snprintf(all, size, "[... %zu earlier bytes not shown ...]\n%s",
                 s->output_total - s->output_len, body);
    free(body);
    return all;
}

static void fill_test(res_test_t *r, const sl_test_t *t, const sup_slot_t *s)
{
    r->name = strdup(t->name);
    r->points = t->points;
    r->status = (res_status_t)s->status;
    r->message = txt_clean(s->message, strlen(s->message));
    r->hint = strdup(t->hint ? t->hint : "");
    r->output = clean_output(s);
    r->file = strdup(t->file);
    r->line = t->line;
    r->seconds = s->seconds;
}

static int write_results(const options_t *o, sl_test_t **tests, size_t n,
                         const sup_slot_t *slots, double seconds)
{
    res_lesson_t l = {strdup(o->lesson), strdup(o->impl), seconds, NULL, 0};
    l.tests = calloc(n ? n : 1, sizeof *l.tests);
    for (size_t i = 0; i < n; i++)
        if (selected(o, tests[i]))
            fill_test(&l.tests[l.ntests++], tests[i], &slots[i]);
    int rc = res_write(&l, o->out);
    if (rc < 0)
        fprintf(stderr, "grader: %s: %s\n", o->out, strerror(errno));
    res_free(&l);
    return rc;
}

/* Offset of the line that holds the compiler's first error (or the
 * context line just before it), or -1. */
static long first_error(const char *log)
{
    static const char *marks[] = {"error:", "undefined reference", "Error "};
    const char *at = NULL;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *p = strstr(log, marks[i]);
        if (p && (!at || p < at))
            at = p;
    }
    if (!at)
        return -1;
    const char *line = at;
    while (line > log && line[-1] != '\n')
        line--;
    const char *prev = line > log ? line - 1 : line;
    while (prev > log && prev[-1] != '\n')
        prev--;
    const char *context = strstr(prev, "In function");
    if (prev < line && context && context < line)
        line = prev;
    return line - log;
}

/* A compiler log into a slot's output: from its first error on, or its
 * last SUP_OUT_MAX bytes when no error line can be found. */
static void log_into(const char *path, sup_slot_t *s)
{
    static char log[(1 << 20) + 1];
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t len = fread(log, 1, sizeof log - 1, f);
    fclose(f);
    log[len] = '\0';
    long from = first_error(log);
    if (from < 0)
        from = len > SUP_OUT_MAX ? (long)(len - SUP_OUT_MAX) : 0;
    s->output_len = len - (size_t)from < SUP_OUT_MAX ? len - (size_t)from : SUP_OUT_MAX;
    memcpy(s->output, log + from, s->output_len);
    s->output_total = s->output_len;
}

static int report_build_failure(const options_t *o, sl_test_t **tests,
                                size_t n, sup_slot_t *slots)
{
    for (size_t i = 0; i < n; i++) {
        slots[i].status = RES_BUILD;
        snprintf(slots[i].message, sizeof slots[i].message,
                 "the lesson did not build: fix the compiler's first error");
        log_into(o->build_log, &slots[i]);
    }
    return write_results(o, tests, n, slots, 0.0);
}

static void list_tests(const options_t *o, sl_test_t **tests, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%-40s %3d pt  %5.1f s  %s:%d\n", tests[i]->name,
               tests[i]->points, limit_of(o, tests[i]), tests[i]->file,
               tests[i]->line);
}

static CU_pTest *register_cunit(const char *lesson, sl_test_t **tests,
                                size_t n, CU_pSuite *suite)
{
    CU_pTest *cu = calloc(n ? n : 1, sizeof *cu);
    if (!cu || CU_initialize_registry() != CUE_SUCCESS)
        return NULL;
    *suite = CU_add_suite(lesson, NULL, NULL);
    for (size_t i = 0; *suite && i < n; i++)
        if (!(cu[i] = CU_add_test(*suite, tests[i]->name, tests[i]->body)))
            return NULL;
    return *suite ? cu : NULL;
}

/* Runs the selected tests, then writes their results: 0, or -1. */
static int run_tests(const options_t *o, sl_test_t **tests, size_t n,
                     sup_slot_t *slots)
{
    CU_pSuite suite = NULL;
    CU_pTest *cu = register_cunit(o->lesson, tests, n, &suite);
    double *times = calloc(2 * (n ? n : 1), sizeof *times);
    char *want = calloc(n ? n : 1, 1);
    int rc = -1;
    if (!cu || !times || !want) {
        fprintf(stderr, "grader: cannot set up the tests: %s\n",
                cu ? strerror(ENOMEM) : CU_get_error_msg());
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        want[i] = (char)selected(o, tests[i]);
    sigset_t set;
    handled_signals(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sb_init(o->netns);
    run_t r = {o, tests, cu, suite, n, slots, times, times + n, o->jobs};
    double start = sb_now();
    run_all(&r, want);
    sb_sweep(0, 2.0);
    sb_finish();
    rc = write_results(o, tests, n, slots, sb_now() - start);
out:
    CU_cleanup_registry();
    free(cu);
    free(times);
    free(want);
    return rc;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse_options(argc, argv, &o) < 0)
        return 2;
    size_t n;
    sl_test_t **tests = sl_tests(&n);
    if (!known_tests(&o, tests, n)) {
        free(o.only);
        return 2;
    }
    if (o.list) {
        list_tests(&o, tests, n);
        free(o.only);
        return 0;
    }
    sup_slot_t *slots = mmap(NULL, (n ? n : 1) * sizeof *slots,
                             PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED) {
        fprintf(stderr, "grader: mmap: %s\n", strerror(errno));
        return 1;
    }
    sup_hide(slots, (n ? n : 1) * sizeof *slots);
    if (o.build_log) {
        int failed = report_build_failure(&o, tests, n, slots) < 0;
        free(o.only);
        return failed;
    }
    int rc = run_tests(&o, tests, n, slots);
    free(o.only);
    return rc < 0;
}
