/* run.c - sl-run, the grader's driver: lists a lesson's tests, runs each in
 * a sandboxed supervisor of its own, several at once, and writes the
 * lesson's raw results (results.h). Built from grader/ alone: it never
 * loads a lesson's code, so nothing a student writes can keep it from
 * finishing or from writing its report. */
#include "clock.h"
#include "failkind.h"
#include "hints.h"
#include "listing.h"
#include "results.h"
#include "sandbox.h"
#include "sanitizer.h"
#include "supervise.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_GRACE_S 10.0   /* a supervisor's allowance past its test's limit */
#define RUN_LIST_S 10.0    /* listing the tests (no student code) */
#define RUN_PROBE_MS 3000  /* reaching main() of the student's test binary */
#define RUN_OUT_SHOWN 4096 /* output bytes kept in the results */
#define RUN_SAN_SHOWN 8192 /* ... when they hold a sanitizer's report */
#define RUN_SAN_BEFORE 600 /* output bytes kept from before such a report */
#define RUN_MAX_JOBS 256
#define RUN_NOFILE 4096         /* descriptors of a test */
#define RUN_NOFILE_SOLO 16384   /* ... of a solo test (thousands of connections;
                                   never above the hard limit in force) */

typedef struct options {
    const char *tests, *impl_tests, *bin_dir, *tools_dir, *src_dir, *share_dir;
    const char *lesson, *impl, *out, *build_log;
    const char **only;
    size_t nonly;
    int jobs, list, sanitized, want_ns, want_netns, quiet, sandbox, until_failure;
    double scale;
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sl-run --tests BIN [--impl-tests BIN] [options]\n"
        "       sl-run --sandbox\n"
        "       sl-run --tests BIN --list\n"
        "       sl-run --tests BIN --build-failed LOG [-o RESULTS.json]\n"
        "Runs a lesson's tests, each in a sandboxed process of its own, and writes\n"
        "the raw results as JSON (default: stdout). Render them with sl-report.\n"
        "  --tests BIN       the lesson's tests without student code: lists them,\n"
        "                    and runs those that drive programs (and every test\n"
        "                    when there is no --impl-tests)\n"
        "  --impl-tests BIN  the same tests linked with the student's code\n"
        "  --bin DIR         the lesson's programs (SOCKLAB_BIN_DIR of the tests)\n"
        "  --tools DIR       the grader's fault injectors (SOCKLAB_TOOLS_DIR)\n"
        "  --share-dir DIR   a folder tests may write in (all else is read-only)\n"
        "  --src DIR         the student's sources (named in sanitizer verdicts)\n"
        "  --sanitized       the binaries are built with the sanitizers\n"
        "  -j JOBS           tests at once, 1 to %d (default: one per core)\n"
        "  -o FILE           where the results go\n"
        "  -i IMPL, -l NAME  the implementation and lesson named in the results\n"
        "  -t TEST           run only this test (repeatable)\n"
        "  -q                no note about the sandbox\n"
        "  --until-failure   run the tasks in order, and stop after the first task\n"
        "                    with a failure (no reruns): what make hint needs\n"
        "  --list            print the tests, their points and timeouts\n"
        "  --build-failed LOG  report every test as not built, with LOG's first error\n"
        "  --sandbox         say how tests would be isolated here, and exit\n"
        "Environment: SOCKLAB_TIMEOUT_SCALE multiplies every timeout; SOCKLAB_JOBS;\n"
        "SOCKLAB_NETNS=0 keeps the tests in this network namespace;\n"
        "SOCKLAB_SANDBOX=basic uses no namespaces at all.\n", RUN_MAX_JOBS);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static double env_double(const char *name, double dflt)
{
    const char *v = getenv(name);
    double d = v && *v ? atof(v) : 0;
    return d > 0 ? d : dflt;
}

/* A number of jobs in [1, RUN_MAX_JOBS], or -1. */
static int jobs_value(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return *s && !*end && n >= 1 && n <= RUN_MAX_JOBS ? (int)n : -1;
}

static void defaults(options_t *o, int argc)
{
    memset(o, 0, sizeof *o);
    o->impl = "skeletons";
    o->out = "-";
    const char *j = getenv("SOCKLAB_JOBS");
    o->jobs = j && *j ? jobs_value(j) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs > RUN_MAX_JOBS)
        o->jobs = RUN_MAX_JOBS;
    const char *ns = getenv("SOCKLAB_SANDBOX"), *net = getenv("SOCKLAB_NETNS");
    o->want_ns = !(ns && strcmp(ns, "basic") == 0);
    o->want_netns = !(net && strcmp(net, "0") == 0);
    o->scale = env_double("SOCKLAB_TIMEOUT_SCALE", 1.0);
    o->only = calloc((size_t)argc, sizeof *o->only);
}

static int parse_options(int argc, char **argv, options_t *o)
{
    static const struct option longs[] = {
        {"tests", required_argument, NULL, 'T'}, {"impl-tests", required_argument, NULL, 'I'},
        {"bin", required_argument, NULL, 'b'},   {"src", required_argument, NULL, 's'},
        {"tools", required_argument, NULL, 'O'}, {"share-dir", required_argument, NULL, 'W'},
        {"sanitized", no_argument, NULL, 'S'},   {"list", no_argument, NULL, 'L'},
        {"build-failed", required_argument, NULL, 'B'}, {"help", no_argument, NULL, 'h'},
        {"sandbox", no_argument, NULL, 'X'}, {"until-failure", no_argument, NULL, 'U'},
        {NULL, 0, NULL, 0}};
    defaults(o, argc);
    int c;
    while ((c = getopt_long(argc, argv, "j:o:i:l:t:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'T': o->tests = optarg; break;
        case 'I': o->impl_tests = optarg; break;
        case 'b': o->bin_dir = optarg; break;
        case 'O': o->tools_dir = optarg; break;
        case 'W': o->share_dir = optarg; break;
        case 's': o->src_dir = optarg; break;
        case 'S': o->sanitized = 1; break;
        case 'j': o->jobs = jobs_value(optarg); break;
        case 'o': o->out = optarg; break;
        case 'i': o->impl = optarg; break;
        case 'l': o->lesson = optarg; break;
        case 't': o->only[o->nonly++] = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'L': o->list = 1; break;
        case 'B': o->build_log = optarg; break;
        case 'X': o->sandbox = 1; break;
        case 'U': o->until_failure = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (o->jobs < 1) {
        fprintf(stderr, "sl-run: the number of jobs must be a whole number from 1 to %d\n",
                RUN_MAX_JOBS);
        return -1;
    }
    if (optind != argc || (!o->tests && !o->sandbox)) {
        usage(stderr);
        return -1;
    }
    if (!o->lesson && o->tests)
        o->lesson = base_name(o->tests);
    return 0;
}

/* Every -t names a test; says which does not. */
static int known_tests(const options_t *o, const lst_list_t *l)
{
    for (size_t k = 0; k < o->nonly; k++) {
        if (!lst_find(l, o->only[k])) {
            fprintf(stderr, "sl-run: no test named '%s' in %s (see --list)\n",
                    o->only[k], o->lesson);
            return 0;
        }
    }
    return 1;
}

static int selected(const options_t *o, const lst_test_t *t)
{
    if (o->nonly == 0)
        return 1;
    for (size_t i = 0; i < o->nonly; i++)
        if (strcmp(o->only[i], t->name) == 0)
            return 1;
    return 0;
}

static double limit_of(const options_t *o, int timeout_ms)
{
    return timeout_ms / 1000.0 * o->scale;
}

/* ---- the run ------------------------------------------------------------- */

/* One lesson's run: its tests, where they run, and their slots. */
typedef struct run {
    const options_t *o;
    const lst_list_t *list;
    const char *meta, *impl; /* the binaries, as the tests' uid reaches them */
    sup_slot_t *slots;
    double *started, *ended;  /* per test, driver's clock */
    int jobs;                 /* tests at once in this pass */
} run_t;

typedef struct job {
    pid_t pid;    /* supervisor, 0 when the slot is free */
    size_t index; /* test it runs */
    double deadline;
    int overran;  /* the driver killed it at its deadline */
} job_t;

static sb_limits_t limits_of(const options_t *o, int timeout_ms, int solo, unsigned job)
{
    sb_limits_t lim = {limit_of(o, timeout_ms), 1UL << 30, solo ? RUN_NOFILE_SOLO : RUN_NOFILE,
                       256, job};
    if (o->sanitized)
        lim.mem_bytes = 0; /* the sanitizers reserve terabytes of address
                              space: ASAN_OPTIONS limits their memory */
    return lim;
}

/* What the signals that end a run (Ctrl-C, kill, a closed terminal) and
 * the end of a supervisor wake the driver with; all stay blocked. */
static void handled_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

/* Starts a supervisor for job (a test, or the probe when t is NULL). */
static pid_t start_supervisor(const sup_job_t *job, sup_slot_t *slot)
{
    memset(slot, 0, sizeof *slot);
    slot->status = -1;
    pid_t driver = getpid(), pid = sb_spawn();
    if (pid == 0) {
        /* A supervisor dies with the driver (kill -9, a crash). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (!sb_in_namespace() && getppid() != driver)
            _exit(0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        sup_run(job, slot);
        _exit(0);
    }
    if (pid < 0) {
        slot->status = RES_ERROR;
        snprintf(slot->message, sizeof slot->message, "grader: fork: %s", strerror(errno));
    }
    return pid;
}

static void start_job(run_t *r, job_t *j, unsigned k, size_t i)
{
    const lst_test_t *t = &r->list->tests[i];
    sup_job_t job = {t->programs || !r->impl ? r->meta : r->impl, t->name,
                     r->o->src_dir, limits_of(r->o, t->timeout_ms, t->solo, k)};
    r->started[i] = clk_now();
    pid_t pid = start_supervisor(&job, &r->slots[i]);
    if (pid < 0) {
        r->ended[i] = clk_now();
        return;
    }
    j->pid = pid;
    j->index = i;
    j->deadline = r->started[i] + job.limits.timeout_s + RUN_GRACE_S;
    j->overran = 0;
}

static void stop_job(job_t *j, sup_slot_t *slot)
{
    if (slot->body > 0)
        kill(-slot->body, SIGKILL);
    kill(j->pid, SIGKILL);
    j->overran = 1;
}

/* A supervisor that ended without a verdict: its test killed it, or it
 * overran its allowance and the driver did. */
static void lost_supervisor(sup_slot_t *s, int overran)
{
    if (s->status >= 0)
        return;
    if (s->body > 0)
        kill(-s->body, SIGKILL);
    s->status = overran ? RES_TIMEOUT : RES_FAIL;
    snprintf(s->message, sizeof s->message, "%s", overran ?
             "timed out: the test and its supervisor were still running well past "
             "the test's limit (did the code under test stop the supervisor?)" :
             "the test's supervisor was killed before its verdict: does the code "
             "under test kill its parent or other processes?");
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
            lost_supervisor(&r->slots[jobs[k].index], jobs[k].overran);
            r->ended[jobs[k].index] = clk_now();
            jobs[k].pid = 0;
            freed++;
        }
    }
    return freed;
}

static void expire_jobs(run_t *r, job_t *jobs)
{
    double now = clk_now();
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

static int solo_running(const run_t *r, const job_t *jobs)
{
    for (int k = 0; k < r->jobs; k++)
        if (jobs[k].pid && r->list->tests[jobs[k].index].solo)
            return 1;
    return 0;
}

/* Waits for a supervisor to end or a deadline to pass; handles a signal
 * that ends the run. Returns how many jobs ended. */
static int wait_jobs(run_t *r, job_t *jobs)
{
    sigset_t set;
    handled_signals(&set);
    struct timespec tick = {0, 200 * 1000000};
    int sig = sigtimedwait(&set, NULL, &tick);
    if (sig > 0 && sig != SIGCHLD)
        interrupted(r, jobs, sig);
    int ended = reap_jobs(r, jobs);
    expire_jobs(r, jobs);
    return ended;
}

/* Runs the tests marked in want, r->jobs at once; a solo test waits for
 * the others to end, and the next wait for it. */
static void run_pass(run_t *r, const char *want)
{
    job_t *jobs = calloc((size_t)r->jobs, sizeof *jobs);
    size_t next = 0, n = r->list->n;
    int running = 0;
    for (;;) {
        while (next < n && running < r->jobs && !solo_running(r, jobs)) {
            if (!want[next]) {
                next++;
                continue;
            }
            if (r->list->tests[next].solo && running > 0)
                break;
            int k = free_job(r, jobs);
            start_job(r, &jobs[k], (unsigned)k, next++);
            running += jobs[k].pid != 0;
        }
        if (running == 0 && next >= n)
            break;
        running -= wait_jobs(r, jobs);
    }
    free(jobs);
}

/* Did test i hold many processes at its end (a fork loop)? Not only its
 * allowance counts: where the driver's own limit is shared, a fork loop
 * may get far fewer before the others' forks fail too. */
#define RUN_GREEDY 32

static int greedy(const run_t *r, size_t i)
{
    return r->slots[i].swept >= RUN_GREEDY;
}

/* Where parallel tests share one uid, they share its process limit: a
 * test that used it up may have made the forks of the tests beside it
 * fail. Marks in again every such test that did not pass; returns how many. */
static size_t contended(const run_t *r, const char *want, char *again)
{
    size_t count = 0, n = r->list->n;
    memset(again, 0, n);
    for (size_t g = 0; g < n; g++) {
        if (!want[g] || !greedy(r, g))
            continue;
        for (size_t i = 0; i < n; i++) {
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
    char *again = calloc(r->list->n ? r->list->n : 1, 1);
    if (again && contended(r, want, again) > 0) {
        r->jobs = 1;
        run_pass(r, again);
    }
    free(again);
}

/* ---- reruns: does a failed test of a program fail every time? ------------ */

#define RUN_RERUNS 2         /* runs again of a failed test of a program */
#define RUN_RERUN_MAX 10     /* tests run again at most */
#define RUN_RERUN_S 15.0     /* seconds of reruns per lesson at most */

/* Was a test before i of the same status and message (fk_alike()) chosen
 * already? It stands for test i: one cause is worth one rerun. */
static int represented(const run_t *r, const char *again, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (again[k] && r->slots[k].status == r->slots[i].status &&
            fk_alike(r->slots[k].message, r->slots[i].message))
            return 1;
    return 0;
}

/* Which tests to run again: the first RUN_RERUN_MAX tests of programs that
 * failed or crashed (not timed out: that would cost the budget), but not a
 * failure that reads the same in every run (fk_deterministic()), and of
 * tests that failed alike only the first. */
static size_t rerun_wanted(const run_t *r, const char *want, char *again)
{
    size_t count = 0;
    for (size_t i = 0; i < r->list->n; i++) {
        const sup_slot_t *s = &r->slots[i];
        again[i] = want[i] && r->list->tests[i].programs && count < RUN_RERUN_MAX &&
                   (s->status == RES_FAIL || s->status == RES_CRASH) &&
                   !fk_deterministic(s->status, s->message) && !represented(r, again, i);
        count += again[i];
    }
    return count;
}

/* Appends to test i's message how often it failed in runs runs. */
static void say_reruns(sup_slot_t *s, int failed, int runs)
{
    size_t len = strlen(s->message);
    if (failed == runs)
        snprintf(s->message + len, sizeof s->message - len, "\n(it failed in each of %d runs)",
                 runs);
    else
        snprintf(s->message + len, sizeof s->message - len, "\n(it failed in %d of %d runs: "
                 "a race in your code, or a slow machine? the transcript has the seeds)",
                 failed, runs);
}

/* About how long a pass over the tests in again takes: the slowest of
 * them, or their time shared among the jobs, whichever is longer. */
static double pass_estimate(const run_t *r, const char *again)
{
    double sum = 0, most = 0;
    for (size_t i = 0; i < r->list->n; i++)
        if (again[i]) {
            sum += r->slots[i].seconds;
            most = r->slots[i].seconds > most ? r->slots[i].seconds : most;
        }
    return sum / r->jobs > most ? sum / r->jobs : most;
}

/* A failed test of a program is run again: the report then says whether
 * it fails every time, or only sometimes (a race in the student's code,
 * or a machine too slow). The first verdict stands. A pass starts only if
 * it should end within RUN_RERUN_S of the first. */
static void rerun_failed(run_t *r, const char *want)
{
    size_t n = r->list->n;
    char *again = calloc(n ? n : 1, 1);
    sup_slot_t *first = again ? malloc((n ? n : 1) * sizeof *first) : NULL;
    int *failed = first ? calloc(n ? n : 1, sizeof *failed) : NULL;
    if (failed && rerun_wanted(r, want, again) > 0) {
        memcpy(first, r->slots, n * sizeof *first);
        double end = clk_now() + RUN_RERUN_S, cost = pass_estimate(r, again);
        int runs = 1;
        for (; runs <= RUN_RERUNS && clk_now() + cost <= end; runs++) {
            run_pass(r, again);
            for (size_t i = 0; i < n; i++)
                failed[i] += again[i] && r->slots[i].status != RES_PASS;
        }
        for (size_t i = 0; i < n; i++)
            if (again[i]) {
                r->slots[i] = first[i];
                if (runs > 1)
                    say_reruns(&r->slots[i], failed[i] + 1, runs);
            }
    }
    free(again), free(first), free(failed);
}

/* ---- the probe: does the student's test binary reach main()? --------------- */

/* Runs the probe in slot; 1 if main() was reached and the probe passed. */
static int probe(run_t *r, sup_slot_t *slot)
{
    sup_job_t job = {r->impl, NULL, r->o->src_dir, limits_of(r->o, RUN_PROBE_MS, 0, 0)};
    job_t j = {start_supervisor(&job, slot), 0, clk_now() + job.limits.timeout_s + RUN_GRACE_S, 0};
    if (j.pid < 0)
        return 0;
    run_t one = *r;
    one.jobs = 1;
    one.slots = slot;
    lst_test_t fake = {0};
    lst_list_t list = {&fake, 1, 1, NULL, 0, NULL, 0};
    one.list = &list;
    double t0 = 0, t1 = 0;
    one.started = &t0, one.ended = &t1;
    while (j.pid)
        wait_jobs(&one, &j);
    return slot->status == RES_PASS;
}

#define RUN_PROBE_HINT                                                        \
    "Code of yours runs before main(): a function marked "                    \
    "__attribute__((constructor)), or one it calls. Remove it, or make it "   \
    "return at once; a test binary must reach main() to run any test."

/* Every test that loads the student's code gets the probe's verdict. */
static void fail_unprobed(run_t *r, const char *want, sup_slot_t *probe_slot, char *left)
{
    if (probe_slot->status != RES_ERROR)
        snprintf(probe_slot->hint, sizeof probe_slot->hint, "%s", RUN_PROBE_HINT);
    for (size_t i = 0; i < r->list->n; i++) {
        left[i] = want[i];
        if (!want[i] || r->list->tests[i].programs)
            continue;
        r->slots[i] = *probe_slot;
        r->slots[i].seconds = 0;
        left[i] = 0;
    }
}

/* ---- results ------------------------------------------------------------- */

/* The output as a NUL-terminated copy. */
static char *output_text(const sup_slot_t *s)
{
    char *all = malloc(s->output_len + 1);
    if (all) {
        memcpy(all, s->output, s->output_len);
        all[s->output_len] = '\0';
    }
    return all;
}

/* "[... N earlier bytes not shown ...]\n" and len bytes of body (which
 * may hold NULs), cleaned; body freed. */
static char *with_note(char *body, size_t len, size_t earlier)
{
    char *clean = body ? txt_clean(body, len) : NULL;
    free(body);
    if (!clean || earlier == 0)
        return clean;
    size_t size = strlen(clean) + 64;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "[... %zu earlier bytes not shown ...]\n%s", earlier, clean);
    free(clean);
    return out;
}

/* The sanitizer's report (kept from its start), made readable, after the
 * last lines printed before it when the output still holds them. */
static char *sanitizer_output(const sup_slot_t *s, const char *src_dir, const char *all,
                              long rep)
{
    char root[PATH_MAX], *body = malloc(RUN_SAN_SHOWN + RUN_OUT_SHOWN);
    if (!body)
        return NULL;
    if (!getcwd(root, sizeof root))
        root[0] = '\0';
    size_t at = rep >= 0 ? (size_t)rep : 0;
    size_t from = at > RUN_SAN_BEFORE ? at - RUN_SAN_BEFORE : 0;
    while (from > 0 && from < at && all[from - 1] != '\n')
        from++;
    int n = snprintf(body, RUN_SAN_SHOWN, "%.*s", (int)(at - from), all + from);
    san_condense(s->san, src_dir, root, body + n, RUN_SAN_SHOWN + RUN_OUT_SHOWN - (size_t)n);
    size_t earlier = rep >= 0 ? s->output_total - (s->output_len - from) : 0;
    return with_note(body, strlen(body), earlier);
}

/* What of a test's output goes into the results: the last RUN_OUT_SHOWN
 * bytes; a compiler's log from its first error (it starts there); a
 * sanitizer's report, made readable, when it is the verdict. A report
 * that is not (a leak found after a failed check, or the test's own leak)
 * is left out: the output ends where it began. */
static char *shown_output(const sup_slot_t *s, const char *src_dir)
{
    char *all = output_text(s);
    if (!all)
        return NULL;
    if (s->san_verdict && s->san_len > 0) {
        char *out = sanitizer_output(s, src_dir, all, san_report_start(all));
        free(all);
        return out;
    }
    size_t len = s->output_len, total = s->output_total;
    long rep = s->san_len > 0 ? san_report_start(all) : -1;
    if (rep >= 0) {
        total -= len - (size_t)rep;
        len = (size_t)rep;
    }
    size_t keep = s->status == RES_BUILD ? SUP_OUT_MAX : RUN_OUT_SHOWN;
    size_t from = len > keep ? len - keep : 0;
    memmove(all, all + from, len - from);
    return with_note(all, len - from, total - (len - from));
}

/* base, then more on a line of its own (if any); a new string. */
static char *joined(const char *base, const char *more)
{
    if (!more || !*more)
        return strdup(base);
    size_t size = strlen(base) + strlen(more) + 4;
    char *both = malloc(size);
    if (both)
        snprintf(both, size, "%s%s%s", base, *base ? "\n" : "", more);
    return both;
}

/* The hint of a test. For a sanitizer's finding: the lesson's hint for its
 * kind, else the grader's, then the SL_HINT() it stopped in. For a failure
 * of the harness's own with a generic cause (no `listening on` line, no
 * exit after SIGTERM, ...): the grader's hint for it, then the check's own
 * if it has one (not the test's, which is about what the test checks).
 * Otherwise: the failing check's own, else the test's; then the usual cause of the
 * errno a failed step gave as its cause, unless the lesson turned those off. */
static char *full_hint(const lst_list_t *l, const lst_test_t *t, const sup_slot_t *s)
{
    if (s->status == RES_PASS || s->status == RES_SKIP)
        return strdup(t->hint);
    if (s->san_kind[0]) {
        const char *kind = lst_san_hint(l, s->san_kind);
        if (!kind)
            kind = hint_for_finding(s->san_kind);
        if (kind)
            return joined(kind, s->hint);
    }
    const char *errno_hint = l->errno_hints ? hint_for_errno(s->cause, s->message) : NULL;
    const char *kind = t->programs ? fk_hint(fk_kind(s->message)) : NULL;
    if (kind) { /* a cause the harness knows: its hint, and the check's if it adds one */
        const char *own = s->hint[0] && strcmp(s->hint, t->hint) != 0 ? s->hint : NULL;
        char *both = joined(kind, own), *all = both ? joined(both, errno_hint) : NULL;
        free(both);
        return all;
    }
    const char *hint = s->hint[0] ? s->hint : t->hint;
    return joined(hint, errno_hint);
}

static void fill_test(res_test_t *r, const options_t *o, const lst_list_t *l, size_t i,
                      const sup_slot_t *s)
{
    const lst_test_t *t = &l->tests[i];
    r->name = strdup(t->name);
    r->points = t->points;
    r->status = (res_status_t)s->status;
    r->message = txt_clean(s->message, strlen(s->message));
    r->hint = full_hint(l, t, s);
    r->task = t->task;
    r->task_title = strdup(t->task_title);
    r->hidden = t->hidden;
    r->output = shown_output(s, o->src_dir);
    r->file = strdup(t->file);
    r->line = t->line;
    r->seconds = s->seconds;
}

/* Writes the results of the selected tests; with ran (not NULL), only of
 * those marked there, and how many were left unrun. */
static int write_results(const options_t *o, const lst_list_t *l, const sup_slot_t *slots,
                         double seconds, const char *ran)
{
    res_lesson_t res = {strdup(o->lesson), strdup(o->impl), seconds, NULL, 0, 0};
    res.tests = calloc(l->n ? l->n : 1, sizeof *res.tests);
    for (size_t i = 0; res.tests && i < l->n; i++) {
        if (!selected(o, &l->tests[i]))
            continue;
        if (ran && !ran[i])
            res.unrun++;
        else
            fill_test(&res.tests[res.ntests++], o, l, i, &slots[i]);
    }
    int rc = res.tests ? res_write(&res, o->out) : -1;
    if (rc < 0)
        fprintf(stderr, "sl-run: %s: %s\n", o->out, strerror(errno));
    res_free(&res);
    return rc;
}

/* A compiler log into a slot's output: from its first error on, or its
 * last bytes when no error line can be found. */
static void log_into(const char *path, sup_slot_t *s)
{
    static char log[(1 << 20) + 1];
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t len = fread(log, 1, sizeof log - 1, f), before;
    fclose(f);
    log[len] = '\0';
    const char *first = txt_first_error(log, &before);
    size_t from = first ? (size_t)(first - log) : len > SUP_OUT_MAX ? len - SUP_OUT_MAX : 0;
    s->output_len = len - from < SUP_OUT_MAX ? len - from : SUP_OUT_MAX;
    memcpy(s->output, log + from, s->output_len);
    s->output_total = s->output_len;
}

static int report_build_failure(const options_t *o, const lst_list_t *l, sup_slot_t *slots)
{
    for (size_t i = 0; i < l->n; i++) {
        slots[i].status = RES_BUILD;
        snprintf(slots[i].message, sizeof slots[i].message,
                 "the lesson did not build: fix the compiler's first error");
        log_into(o->build_log, &slots[i]);
    }
    return write_results(o, l, slots, 0.0, NULL);
}

static void list_tests(const options_t *o, const lst_list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const lst_test_t *t = &l->tests[i];
        printf("%-40s %3d pt  %5.1f s  task %d%s  %s:%d\n", t->name, t->points,
               limit_of(o, t->timeout_ms), t->task, t->programs ? " (programs)" : "",
               t->file, t->line);
    }
}

/* ---- setting up ---------------------------------------------------------- */

/* A folder of programs for the tests: where they run it from (shared
 * with their uid), and how to show it to a student. */
static void program_dir(const char *dir, const char *var, const char *shown_var)
{
    char shared[PATH_MAX];
    if (!dir || sb_share(dir, shared, sizeof shared) < 0)
        return;
    setenv(var, shared, 1);
    setenv(shown_var, dir, 1);
}

/* What every test process gets in its environment. */
static void test_environment(const options_t *o, const char *exe_dir)
{
    program_dir(o->bin_dir, "SOCKLAB_BIN_DIR", "SOCKLAB_BIN_SHOWN");
    program_dir(o->tools_dir, "SOCKLAB_TOOLS_DIR", "SOCKLAB_TOOLS_SHOWN");
    if (exe_dir)
        setenv("SOCKLAB_EXE_DIR", exe_dir, 1);
    char scale[32];
    snprintf(scale, sizeof scale, "%g", o->scale);
    setenv("SOCKLAB_TIMEOUT_SCALE", scale, 1);
    setenv("ASAN_OPTIONS", "detect_leaks=1:allocator_may_return_null=1:"
           "soft_rss_limit_mb=1024:hard_rss_limit_mb=1536:print_legend=0:"
           "color=never:detect_odr_violation=0", 1);
    setenv("LSAN_OPTIONS", "leak_check_at_exit=0", 1);
    setenv("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:color=never", 1);
    setenv("TSAN_OPTIONS", "halt_on_error=1:second_deadlock_stack=1:color=never", 1);
}

/* The folder of path, shared with the tests' uid; NULL on failure. */
static int share_dir_of(const char *path, char *out, size_t outsz)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    return sb_share(dir, out, outsz);
}

/* The binaries and folders the tests use, where their uid reaches them. */
static int share_paths(const options_t *o, char *meta, char *impl, size_t sz)
{
    char exe_dir[PATH_MAX];
    if (share_dir_of(o->tests, exe_dir, sizeof exe_dir) < 0 || sz < PATH_MAX + NAME_MAX + 2) {
        fprintf(stderr, "sl-run: cannot share %s with the tests: %s\n", o->tests, strerror(errno));
        return -1;
    }
    snprintf(meta, sz, "%s/%s", exe_dir, base_name(o->tests));
    if (o->impl_tests && sb_share(o->impl_tests, impl, sz) < 0) {
        fprintf(stderr, "sl-run: %s: %s\n", o->impl_tests, strerror(errno));
        return -1;
    }
    test_environment(o, exe_dir);
    return 0;
}

/* ---- make hint: the tasks in order, up to the first that fails ---------- */

/* The smallest task number above after (-1: any) among the tests in want, or -1. */
static int next_task(const run_t *r, const char *want, int after)
{
    int best = -1;
    for (size_t i = 0; i < r->list->n; i++) {
        int task = r->list->tests[i].task > 0 ? r->list->tests[i].task : 0;
        if (want[i] && task > after && (best < 0 || task < best))
            best = task;
    }
    return best;
}

/* Runs the tests in left task by task (no task first), and stops after the
 * first task in which a test did not pass (one the probe failed counts);
 * marks in ran what ran. A hint needs the earliest failure, not a whole
 * grading and its reruns. */
static void until_failure(run_t *r, const char *selected, const char *left, char *ran)
{
    size_t n = r->list->n;
    char *want = calloc(n ? n : 1, 1);
    if (!want) {
        run_all(r, left);
        memcpy(ran, left, n);
        return;
    }
    int failed = 0;
    for (int task = next_task(r, selected, -1); task >= 0 && !failed;
         task = next_task(r, selected, task)) {
        for (size_t i = 0; i < n; i++) {
            int t = r->list->tests[i].task > 0 ? r->list->tests[i].task : 0;
            want[i] = left[i] && t == task;
            ran[i] |= selected[i] && t == task; /* the probe's verdicts too */
        }
        run_all(r, want);
        for (size_t i = 0; i < n; i++) {
            int t = r->list->tests[i].task > 0 ? r->list->tests[i].task : 0;
            failed |= selected[i] && t == task && r->slots[i].status != RES_PASS &&
                      r->slots[i].status != RES_SKIP;
        }
    }
    free(want);
}

/* Is program tool on PATH (a file we may execute)? */
static int on_path(const char *tool)
{
    const char *path = getenv("PATH");
    char file[PATH_MAX];
    if (!path || strchr(tool, '/'))
        return 0;
    for (const char *d = path; *d;) {
        size_t n = strcspn(d, ":");
        if (n > 0 && (size_t)snprintf(file, sizeof file, "%.*s/%s", (int)n, d, tool) < sizeof file &&
            access(file, X_OK) == 0)
            return 1;
        d += n + (d[n] == ':');
    }
    return 0;
}

/* Tests in left that need a tool this machine lacks (SL_TEST_NEEDS()) are
 * not run: their verdict is RES_SKIP, which counts neither way. The driver
 * decides it from the listing, never from what a test process says. */
static void skip_unmet(run_t *r, char *left)
{
    for (size_t i = 0; i < r->list->n; i++) {
        const char *tool = left[i] ? lst_need(r->list, r->list->tests[i].name) : NULL;
        if (!tool || on_path(tool))
            continue;
        left[i] = 0;
        r->slots[i].status = RES_SKIP;
        snprintf(r->slots[i].message, sizeof r->slots[i].message,
                 "skipped: it needs %.64s, which is not installed here (Debian: apt-get install "
                 "-y %.64s)", tool, tool);
    }
}

static int run_tests(const options_t *o, const lst_list_t *l, sup_slot_t *slots)
{
    char meta[PATH_MAX + NAME_MAX + 2], impl[PATH_MAX + NAME_MAX + 2];
    char *want = calloc(l->n ? l->n : 1, 1), *left = calloc(l->n ? l->n : 1, 1);
    char *ran = calloc(l->n ? l->n : 1, 1);
    double *times = calloc(2 * (l->n ? l->n : 1), sizeof *times);
    if (!want || !left || !ran || !times || share_paths(o, meta, impl, sizeof meta) < 0) {
        free(want), free(left), free(times), free(ran);
        return -1;
    }
    run_t r = {o, l, meta, o->impl_tests ? impl : NULL, slots, times, times + l->n, o->jobs};
    int impl_wanted = 0;
    for (size_t i = 0; i < l->n; i++) {
        want[i] = left[i] = (char)selected(o, &l->tests[i]);
        impl_wanted |= want[i] && !l->tests[i].programs && r.impl;
    }
    double start = clk_now();
    sup_slot_t *probe_slot = &slots[l->n]; /* the slots have one spare */
    if (impl_wanted && !probe(&r, probe_slot))
        fail_unprobed(&r, want, probe_slot, left);
    skip_unmet(&r, left);
    if (o->until_failure) {
        until_failure(&r, want, left, ran);
    } else {
        run_all(&r, left);
        rerun_failed(&r, left);
    }
    sb_sweep(0, 2.0);
    int rc = write_results(o, l, slots, clk_now() - start, o->until_failure ? ran : NULL);
    free(want), free(left), free(times), free(ran);
    return rc;
}

static int run(const options_t *o, const lst_list_t *l)
{
    size_t n = l->n ? l->n : 1;
    sup_slot_t *slots = mmap(NULL, (n + 1) * sizeof *slots, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED) {
        fprintf(stderr, "sl-run: mmap: %s\n", strerror(errno));
        return 1;
    }
    if (o->build_log)
        return report_build_failure(o, l, slots) < 0;
    sigset_t set;
    handled_signals(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (o->share_dir && sb_share_dir(o->share_dir) < 0) {
        fprintf(stderr, "sl-run: --share-dir %s: %s\n", o->share_dir, strerror(errno));
        return 2;
    }
    sb_hide_dir("solutions");
    sb_level_t level = sb_init(o->want_ns, o->want_netns);
    if (level == SB_BASIC && !o->quiet)
        fprintf(stderr, "sl-run: note: %s: tests are isolated by process groups and "
                "limits only\n", sb_why_basic());
    else if (*sb_why_files() && !o->quiet)
        fprintf(stderr, "sl-run: note: %s: tests can write what this user can\n",
                sb_why_files());
    int rc = run_tests(o, l, slots);
    sb_finish();
    return rc < 0;
}

/* Descriptors 0, 1 and 2 open (on /dev/null if they were closed), so no
 * pipe or socket of ours lands on them. */
static void standard_descriptors(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
            _exit(1);
}

int main(int argc, char **argv)
{
    standard_descriptors();
    options_t o;
    if (parse_options(argc, argv, &o) < 0)
        return 2;
    if (o.sandbox) {
        sb_level_t level = sb_init(o.want_ns, o.want_netns);
        printf("%s%s%s%s%s\n", level == SB_NAMESPACES ? "namespaces" : "basic",
               level == SB_NAMESPACES ? "" : ": ", sb_why_basic(),
               *sb_why_files() ? "; " : "", sb_why_files());
        return 0;
    }
    lst_list_t l;
    char err[512];
    if (lst_load(o.tests, RUN_LIST_S, &l, err, sizeof err) < 0) {
        fprintf(stderr, "sl-run: cannot list the tests: %s\n", err);
        return 1;
    }
    int rc = 2;
    if (known_tests(&o, &l))
        rc = o.list ? (list_tests(&o, &l), 0) : run(&o, &l);
    lst_free(&l);
    free(o.only);
    return rc;
}
