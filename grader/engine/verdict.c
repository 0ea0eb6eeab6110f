/* verdict.c - records and an ending into a verdict (see verdict.h). */
#include "verdict.h"
#include "hints.h"
#include "protocol.h"
#include "results.h"
#include "sandbox.h"
#include "text.h"

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define VD_LATER_SHOWN 3  /* failed checks shown after the first */
#define VD_LATER_MAX 640  /* bytes of each (their first line), cut with a note */

#define VD_FIELDS 5       /* of a failure record */

/* The fields of a failure record: FILE \0 LINE \0 MESSAGE \0 HINT \0 CAUSE
 * (older records end after HINT: their cause is ""). */
static void failure_fields(const char *p, size_t n, char *buf, const char *field[VD_FIELDS])
{
    size_t k = 0, start = 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    for (size_t i = 0; i < VD_FIELDS; i++)
        field[i] = "";
    for (size_t i = 0; i <= n && k < VD_FIELDS; i++)
        if (buf[i] == '\0') {
            field[k++] = buf + start;
            start = i + 1;
        }
}

/* A later failure, one line ("then: FILE:LINE: MESSAGE"), after the first:
 * the first line of its message, cut at a boundary past VD_LATER_MAX. */
static void take_later_failure(vd_records_t *r, const char *p, size_t n)
{
    char buf[PROTO_PAYLOAD_MAX + 1], one[VD_LATER_MAX];
    const char *field[VD_FIELDS];
    failure_fields(p, n, buf, field);
    size_t len = strlen(r->rest), msg = strcspn(field[2], "\n");
    snprintf(one, sizeof one, "%.*s", (int)msg, field[2]);
    txt_cut(one, sizeof one, msg);
    if (len + 16 < sizeof r->rest)
        snprintf(r->rest + len, sizeof r->rest - len, "\nthen: %s:%s: %s", field[0], field[1],
                 one);
}

/* A failure record into "FILE:LINE: MESSAGE", its hint and its cause. */
static void take_failure(vd_records_t *r, const char *p, size_t n)
{
    char buf[PROTO_PAYLOAD_MAX + 1];
    const char *field[VD_FIELDS];
    failure_fields(p, n, buf, field);
    snprintf(r->first, sizeof r->first, "%s:%s: %s", field[0], field[1], field[2]);
    snprintf(r->hint, sizeof r->hint, "%s", field[3]);
    if (strspn(field[4], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(field[4]))
        snprintf(r->cause, sizeof r->cause, "%s", field[4]);
}

static void take(vd_records_t *r, int type, const char *p, size_t n, const char *nonce,
                 int *counted)
{
    switch (type) {
    case PROTO_BEGAN: r->began = 1; break;
    case PROTO_SANITIZER:
        if (!r->sanitizer && n > 0)
            snprintf(r->san_hint, sizeof r->san_hint, "%.*s", (int)n, p);
        r->sanitizer = 1;
        break;
    case PROTO_LEAK: r->leak = 1; break;
    case PROTO_COUNT: *counted = atoi(p); break;
    case PROTO_DONE:
        r->done = n == strlen(nonce) && memcmp(p, nonce, n) == 0;
        break;
    case PROTO_TODO:
        if (!r->todo && !r->error)
            snprintf(r->what, sizeof r->what, "%.*s", (int)n, p);
        r->todo = 1;
        break;
    case PROTO_ERROR: /* believed only with the nonce: else the code under test wrote it */
        if (n < strlen(nonce) || memcmp(p, nonce, strlen(nonce)) != 0)
            break;
        if (!r->error)
            snprintf(r->what, sizeof r->what, "%.*s", (int)(n - strlen(nonce)),
                     p + strlen(nonce));
        r->error = 1;
        break;
    case PROTO_FAIL:
        if (r->failures++ == 0)
            take_failure(r, p, n);
        else if (r->failures <= VD_LATER_SHOWN + 1)
            take_later_failure(r, p, n);
        break;
    default: break;
    }
}

void vd_parse(const char *buf, size_t len, const char *nonce, vd_records_t *r)
{
    int counted = 0;
    memset(r, 0, sizeof *r);
    for (size_t off = 0; off + 5 <= len;) {
        uint32_t n;
        memcpy(&n, buf + off + 1, 4);
        if (n > PROTO_PAYLOAD_MAX || off + 5 + n > len)
            break;
        char payload[PROTO_PAYLOAD_MAX + 1];
        memcpy(payload, buf + off + 5, n);
        payload[n] = '\0';
        take(r, buf[off], payload, n, nonce, &counted);
        off += 5 + n;
    }
    if (counted > 0 && r->failures == 0)
        snprintf(r->first, sizeof r->first, "%d check%s failed, but the test could not say "
                 "which (did it run out of memory?)", counted, counted == 1 ? "" : "s");
    if (counted > r->failures)
        r->failures = counted;
}

static void set_verdict(sup_slot_t *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_verdict(sup_slot_t *s, int status, const char *fmt, ...)
{
    va_list ap;
    s->status = status;
    va_start(ap, fmt);
    int n = vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    txt_cut(s->message, sizeof s->message, n < 0 ? 0 : (size_t)n);
}

/* "; before that: FIRST" when a check failed first, else "". */
static const char *before(const vd_records_t *r, char *buf, size_t bufsz)
{
    if (r->failures)
        snprintf(buf, bufsz, "; before that: %s", r->first);
    else
        buf[0] = '\0';
    return buf;
}

/* main() was never reached: the student's code ran first and ended the
 * process or kept it. */
static void judge_unbegun(const vd_end_t *e, sup_slot_t *s)
{
    static const char why[] = "before any test runs (a constructor or static "
                              "initializer?)";
    char sig[96];
    s->san_verdict = e->sanitizer[0] != '\0';
    if (e->sanitizer[0])
        set_verdict(s, RES_CRASH, "crashed: your code crashes %s: %s", why, e->sanitizer);
    else if (e->timed_out)
        set_verdict(s, RES_TIMEOUT, "timed out: your code hangs %s: still running "
                    "after %.1f s%s%s", why, e->limit_s, e->blocked[0] ? ", " : "", e->blocked);
    else if (WIFSIGNALED(e->status))
        set_verdict(s, RES_CRASH, "crashed: your code crashes %s: killed by %s", why,
                    sb_signal_desc(WTERMSIG(e->status), sig, sizeof sig));
    else
        set_verdict(s, RES_FAIL, "your code exits (status %d) or closes the grader's "
                    "descriptors %s", WEXITSTATUS(e->status), why);
}

/* "\n(and N more failed checks)" past the ones shown, else "". */
static const char *more_failures(const vd_records_t *r, char *buf, size_t bufsz)
{
    int more = r->failures - 1 - VD_LATER_SHOWN;
    if (more > 0)
        snprintf(buf, bufsz, "\n(and %d more failed check%s)", more, more == 1 ? "" : "s");
    else
        buf[0] = '\0';
    return buf;
}

/* A line saying that the student's code also leaked, after a failure:
 * the failure is the verdict, the leak (maybe from the test stopping
 * there) a note. "" when there is no such leak. */
static const char *leak_note(const vd_records_t *r, const vd_end_t *e, char *buf, size_t bufsz)
{
    const char *at = strstr(e->sanitizer, ", in ");
    if (!r->leak || e->test_leak)
        buf[0] = '\0';
    else
        snprintf(buf, bufsz, "\n(at the end of the test LeakSanitizer also found memory never "
                 "freed%.300s; it may come from the test stopping at the failure above)",
                 at ? at : "");
    return buf;
}

/* The body ended by itself, with no sanitizer, signal or timeout. */
static void judge_finished(const vd_records_t *r, const vd_end_t *e, sup_slot_t *s)
{
    char b[SUP_MSG_MAX + 32], more[64], note[512];
    if (!r->done) {
        set_verdict(s, RES_FAIL, "the test did not finish: exit(%d) was called during "
                    "the test%s", WEXITSTATUS(e->status), before(r, b, sizeof b));
    } else if (r->failures) {
        set_verdict(s, RES_FAIL, "%s%s%s%s", r->first, r->rest, more_failures(r, more, sizeof more),
                    leak_note(r, e, note, sizeof note));
        snprintf(s->cause, sizeof s->cause, "%s",
                 r->cause[0] ? r->cause : hint_cause_in_message(r->first));
    } else if (r->leak && !e->test_leak) {
        set_verdict(s, RES_FAIL, "%s%s", e->sanitizer[0] ? e->sanitizer :
                    "LeakSanitizer: memory leak: the code under test did not free what it "
                    "allocated", " (the report is in the output)");
        s->san_verdict = 1;
    } else {
        set_verdict(s, RES_PASS, "%s", "");
    }
}

/* A sanitizer ended the process: its finding is the verdict. */
static void judge_sanitizer(const vd_records_t *r, const vd_end_t *e, sup_slot_t *s)
{
    char b[SUP_MSG_MAX + 32];
    s->san_verdict = 1;
    set_verdict(s, RES_CRASH, "crashed: %s%s", e->sanitizer[0] ? e->sanitizer :
                "the sanitizer found a memory or undefined-behaviour error (its "
                "report is in the output)", before(r, b, sizeof b));
}

/* Did the kernel end the process at its CPU limit (SIGXCPU at the soft
 * limit, SIGKILL at the hard one, having used that much CPU)? */
static int cpu_limit(const vd_end_t *e)
{
    int sig = WTERMSIG(e->status);
    return sig == SIGXCPU || (sig == SIGKILL && e->cpu_s >= e->limit_s);
}

void vd_judge(const vd_records_t *r, const vd_end_t *e, sup_slot_t *s)
{
    char sig[96], b[SUP_MSG_MAX + 32];
    s->began = r->began;
    s->hint[0] = s->cause[0] = '\0';
    s->san_verdict = 0;
    if (r->failures && !r->error)
        snprintf(s->hint, sizeof s->hint, "%s", r->hint);
    else if (r->sanitizer && !r->error)
        snprintf(s->hint, sizeof s->hint, "%s", r->san_hint);
    if (r->error)
        set_verdict(s, RES_ERROR, "grader: %s", r->what);
    else if (!r->began)
        judge_unbegun(e, s);
    else if (e->probe)
        set_verdict(s, RES_PASS, "%s", "");
    else if (r->todo && r->failures)
        set_verdict(s, RES_FAIL, "%s\n(then: not implemented: %s)", r->first, r->what);
    else if (r->todo)
        set_verdict(s, RES_TODO, "not implemented: %s", r->what);
    else if (r->sanitizer)
        judge_sanitizer(r, e, s);
    else if (e->timed_out)
        set_verdict(s, RES_TIMEOUT, "timed out: still running after %.1f s%s%s%s",
                    e->limit_s, e->blocked[0] ? ", " : "", e->blocked, before(r, b, sizeof b));
    else if (WIFSIGNALED(e->status) && cpu_limit(e))
        set_verdict(s, RES_TIMEOUT, "timed out: used more than %.0f s of CPU time (a busy "
                    "loop, in several threads?)%s", e->limit_s + 1, before(r, b, sizeof b));
    else if (WIFSIGNALED(e->status))
        set_verdict(s, RES_CRASH, "crashed: killed by %s%s",
                    sb_signal_desc(WTERMSIG(e->status), sig, sizeof sig), before(r, b, sizeof b));
    else
        judge_finished(r, e, s);
}
