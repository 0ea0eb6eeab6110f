/* report.c - the one dispatch to the renderers, writing a report to
 * a file, and the --expect check (see report.h). It sits over the
 * renderers as redis's ae.c sits over its backends. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int rep_render(FILE *out, rep_format_t f, const res_lesson_t *ls, size_t n,
               const rep_opts_t *o)
{
    switch (f) {
    case REP_TEXT:  return rep_text(out, ls, n, o);
    case REP_JSON:  return rep_json(out, ls, n, o);
    case REP_JUNIT: return rep_junit(out, ls, n, o);
    case REP_TSV:   return rep_tsv(out, ls, n);
    case REP_CLASS: {
        rep_student_t one = {.name = n > 0 ? ls[0].impl : "", .lessons = ls, .nlessons = n};
        return rep_class(out, &one, 1, o);
    }
    }
    errno = EINVAL;
    return -1;
}

int rep_write(const char *path, rep_format_t f, const res_lesson_t *ls, size_t n,
              const rep_opts_t *o)
{
    res_out_t out;
    if (res_out_open(&out, path) != 0)
        return -1;
    if (rep_render(out.fp, f, ls, n, o) != 0) {
        res_out_abort(&out);
        return -1;
    }
    return res_out_commit(&out);
}

/* Does l fall short of e? If so, say how in why. */
static int short_of(const res_lesson_t *l, rep_expect_t e, char *why, size_t whysz)
{
    int sc = res_score(l), mx = res_max_score(l), bad = 1;
    char *name = rep_clean(l->lesson);
    const char *nm = name ? name : "?";

    if (e == REP_EXPECT_FULL && sc != mx)
        snprintf(why, whysz, "expected full marks, got %d/%d in %s", sc, mx, nm);
    else if (e == REP_EXPECT_ZERO && sc != 0)
        snprintf(why, whysz, "expected zero, got %d/%d in %s", sc, mx, nm);
    else if (e == REP_EXPECT_ZERO && rep_unbuilt(l))
        snprintf(why, whysz, "expected zero, but %s did not build", nm);
    else
        bad = 0;
    free(name);
    return bad;
}

/* The first test of l that the grader could not run, or NULL. */
static const res_test_t *grader_error(const res_lesson_t *l)
{
    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].status == RES_ERROR)
            return &l->tests[i];
    return NULL;
}

/* Says in why that test t of lesson l could not run; returns -1. */
static int not_run(const res_lesson_t *l, const res_test_t *t, char *why, size_t whysz)
{
    char *name = rep_clean(l->lesson), *test = rep_clean(t->name);
    snprintf(why, whysz, "expected zero, but %s: %s: grader error", name ? name : "?",
             test ? test : "?");
    free(name);
    free(test);
    return -1;
}

int rep_expect(const res_lesson_t *ls, size_t n, rep_expect_t e, char *why, size_t whysz)
{
    for (size_t i = 0; e != REP_EXPECT_NONE && i < n; i++) {
        if (short_of(&ls[i], e, why, whysz))
            return -1;
        const res_test_t *t = e == REP_EXPECT_ZERO ? grader_error(&ls[i]) : NULL;
        if (t)
            return not_run(&ls[i], t, why, whysz);
    }
    return 0;
}
