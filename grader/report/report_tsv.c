/* report_tsv.c - tab-separated lines and a one-line summary, for scripts
 * (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes raw (only its first line if first), cleaned, with tabs and
 * newlines as spaces; 0 or -1 (ENOMEM). */
static int field(FILE *f, const char *raw, int first)
{
    char *s = rep_clean(raw);
    if (!s)
        return -1;
    size_t len = first ? rep_line_len(s) : strlen(s);
    for (size_t i = 0; i < len; i++)
        fputc(s[i] == '\t' || s[i] == '\n' ? ' ' : s[i], f);
    free(s);
    return 0;
}

/* One line for test t of lesson l; 0 or -1 (ENOMEM). */
static int tsv_line(FILE *f, const res_lesson_t *l, const res_test_t *t)
{
    int pass = t->status == RES_PASS;
    if (field(f, l->lesson, 0) != 0)
        return -1;
    fprintf(f, "\t%d\t", t->task);
    if (field(f, t->name, 0) != 0)
        return -1;
    fprintf(f, "\t%s\t%d\t%d\t", res_status_name(t->status), pass ? t->points : 0,
            t->status == RES_SKIP ? 0 : t->points);
    if (field(f, pass ? "" : t->message, 1) != 0)
        return -1;
    fputc('\n', f);
    return 0;
}

/* 0, or -1 with errno set: ENOMEM when nomem, else the stream's error. */
static int done(FILE *f, int nomem)
{
    if (nomem) {
        errno = ENOMEM;
        return -1;
    }
    return ferror(f) ? -1 : 0;
}

int rep_tsv(FILE *out, const res_lesson_t *ls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ls[i].ntests; k++)
            if (tsv_line(out, &ls[i], &ls[i].tests[k]) != 0)
                return done(out, 1);
    return done(out, 0);
}

int rep_summary(FILE *out, const res_lesson_t *ls, size_t n)
{
    size_t passed = 0, failed = 0, todo = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < ls[i].ntests; k++) {
            res_status_t s = ls[i].tests[k].status;
            passed += s == RES_PASS;
            todo += s == RES_TODO;
            failed += s != RES_PASS && s != RES_TODO && s != RES_SKIP;
        }
    }
    int score, max;
    rep_totals(ls, n, &score, &max, NULL, NULL);
    fprintf(out, "%zu %zu %zu %d %d\n", passed, failed, todo, score, max);
    return done(out, 0);
}
