/* results.c - a lesson's raw results as JSON, written and read (see results.h). */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "text.h"

static const char *const status_names[] = {
    [RES_PASS] = "pass",       [RES_FAIL] = "fail", [RES_CRASH] = "crash",
    [RES_TIMEOUT] = "timeout", [RES_TODO] = "todo", [RES_BUILD] = "build",
    [RES_ERROR] = "error",     [RES_SKIP] = "skip",
};

#define NSTATUS (sizeof status_names / sizeof status_names[0])

const char *res_status_name(res_status_t s)
{
    if ((unsigned)s >= NSTATUS)
        return "error";
    return status_names[s];
}

int res_status_parse(const char *name)
{
    for (size_t i = 0; name && i < NSTATUS; i++)
        if (strcmp(name, status_names[i]) == 0)
            return (int)i;
    return -1;
}

int res_score(const res_lesson_t *l)
{
    int sum = 0;

    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].status == RES_PASS)
            sum += l->tests[i].points;
    return sum;
}

int res_max_score(const res_lesson_t *l)
{
    int sum = 0;

    for (size_t i = 0; i < l->ntests; i++)
        sum += l->tests[i].status == RES_SKIP ? 0 : l->tests[i].points;
    return sum;
}

size_t res_passed(const res_lesson_t *l)
{
    size_t n = 0;

    for (size_t i = 0; i < l->ntests; i++)
        n += l->tests[i].status == RES_PASS;
    return n;
}

size_t res_ran(const res_lesson_t *l)
{
    size_t n = 0;

    for (size_t i = 0; i < l->ntests; i++)
        n += l->tests[i].status != RES_SKIP;
    return n;
}

/* ------------------------------------------------------------------------ */
/* Atomic output files                                                        */

/* Creates a fresh temporary file next to path; its name goes to *tmp. */
static int open_tmp(const char *path, char **tmp)
{
    static unsigned counter;
    size_t sz = strlen(path) + 64;
    char *name = malloc(sz);

    if (!name)
        return -1;
    for (int tries = 0; tries < 100; tries++) {
        snprintf(name, sz, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp = name;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    free(name);
    return -1;
}

/*
 * Should path be written in place? Yes when it exists and is no regular
 * file: a terminal, a pipe, /dev/null, or a symbolic link (such as
 * /dev/stdout), which a rename would replace rather than follow.
 */
static int in_place(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

/* Opens a temporary file next to path as o->fp; NULL when that fails. */
static void open_via_tmp(res_out_t *o, const char *path)
{
    int fd = open_tmp(path, &o->tmp);
    if (fd < 0)
        return;
    o->fp = fdopen(fd, "w");
    if (!o->fp)
        close(fd);
}

int res_out_open(res_out_t *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    o->path = strdup(path);
    if (!o->path)
        return -1;
    if (in_place(path))
        o->fp = fopen(path, "w");
    else
        open_via_tmp(o, path);
    if (!o->fp) {
        int e = errno;
        res_out_abort(o);
        errno = e;
        return -1;
    }
    return 0;
}

/* Frees o's names and forgets its stream. */
static void out_forget(res_out_t *o)
{
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

int res_out_commit(res_out_t *o)
{
    int err = 0;

    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        err = errno ? errno : EIO;
    if (o->fp == stdout) {
        out_forget(o);
        return err ? (errno = err, -1) : 0;
    }
    if (fclose(o->fp) != 0 && !err)
        err = errno;
    o->fp = NULL;
    if (!err && o->tmp && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err && o->tmp)
        unlink(o->tmp);
    out_forget(o);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

void res_out_abort(res_out_t *o)
{
    int e = errno;

    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    out_forget(o);
    errno = e;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                    */

static json_t *test_to_json(const res_test_t *t)
{
    json_t *o = json_object();
    int rc = 0;

    if (!o)
        return NULL;
    rc |= jsn_set(o, "name", jsn_str(t->name));
    rc |= jsn_set(o, "points", json_integer(t->points));
    rc |= jsn_set(o, "status", json_string(res_status_name(t->status)));
    rc |= jsn_set(o, "message", jsn_str(t->message));
    rc |= jsn_set(o, "hint", jsn_str(t->hint));
    rc |= jsn_set(o, "task", json_integer(t->task));
    rc |= jsn_set(o, "task_title", jsn_str(t->task_title));
    if (t->hidden)
        rc |= jsn_set(o, "hidden", json_true());
    rc |= jsn_set(o, "output", jsn_str(t->output));
    rc |= jsn_set(o, "file", jsn_str(t->file));
    rc |= jsn_set(o, "line", json_integer(t->line));
    rc |= jsn_set(o, "seconds", jsn_secs(t->seconds));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *lesson_to_json(const res_lesson_t *l)
{
    json_t *o = json_object(), *tests = json_array();
    int rc = (!o || !tests) ? -1 : 0;

    for (size_t i = 0; rc == 0 && i < l->ntests; i++)
        rc = json_array_append_new(tests, test_to_json(&l->tests[i]));
    if (rc == 0) {
        rc |= jsn_set(o, "lesson", jsn_str(l->lesson));
        rc |= jsn_set(o, "impl", jsn_str(l->impl));
        rc |= jsn_set(o, "seconds", jsn_secs(l->seconds));
        if (l->unrun > 0)
            rc |= jsn_set(o, "unrun", json_integer((json_int_t)l->unrun));
        rc |= jsn_set(o, "tests", json_incref(tests));
    }
    json_decref(tests);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int res_write(const res_lesson_t *l, const char *path)
{
    json_t *root = lesson_to_json(l);
    if (!root) {
        errno = ENOMEM;
        return -1;
    }
    res_out_t out;
    if (res_out_open(&out, path) != 0) {
        json_decref(root);
        return -1;
    }
    errno = 0;
    if (json_dumpf(root, out.fp, JSN_FLAGS) != 0 || fputc('\n', out.fp) == EOF) {
        json_decref(root);
        if (!errno)
            errno = EIO;
        res_out_abort(&out);
        return -1;
    }
    json_decref(root);
    return res_out_commit(&out);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                    */

static char errbuf[512];

/* Where the reader is, for error messages: the file and the object. */
typedef struct rd {
    const char *path;
    char where[48];     /* "tests[3]", or "" at the top */
} rd_t;

/* Records "path: where.key: what" and returns -1. */
static int rd_fail(const rd_t *r, const char *key, const char *what)
{
    const char *dot = r->where[0] && key ? "." : "";

    if (!r->where[0] && !key)
        snprintf(errbuf, sizeof errbuf, "%s: %s", r->path, what);
    else
        snprintf(errbuf, sizeof errbuf, "%s: %s%s%s: %s", r->path, r->where, dot,
                 key ? key : "", what);
    return -1;
}

/* obj[key], or NULL when it is absent or null. */
static json_t *rd_get(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_null(v) ? NULL : v;
}

/*
 * Reads a string member into a new, cleaned copy (clean text stays as it
 * is; a \u0000 or \u001b from elsewhere becomes \x00 or \x1b); "" when
 * optional and absent.
 */
static int rd_str(const rd_t *r, json_t *obj, const char *key, int required, char **out)
{
    json_t *v = rd_get(obj, key);

    if (!v && required)
        return rd_fail(r, key, "missing");
    if (v && !json_is_string(v))
        return rd_fail(r, key, "expected a string");
    *out = v ? txt_clean(json_string_value(v), json_string_length(v)) : strdup("");
    return *out ? 0 : rd_fail(r, key, "out of memory");
}

/* Reads an integer member in [0, INT_MAX]; 0 when optional and absent. */
static int rd_int(const rd_t *r, json_t *obj, const char *key, int required, int *out)
{
    json_t *v = rd_get(obj, key);

    *out = 0;
    if (!v)
        return required ? rd_fail(r, key, "missing") : 0;
    if (!json_is_integer(v))
        return rd_fail(r, key, "expected an integer");
    if (json_integer_value(v) < 0 || json_integer_value(v) > INT_MAX)
        return rd_fail(r, key, "out of range");
    *out = (int)json_integer_value(v);
    return 0;
}

/* Reads an optional true or false; false when absent. */
static int rd_bool(const rd_t *r, json_t *obj, const char *key, int *out)
{
    json_t *v = rd_get(obj, key);
    *out = 0;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return rd_fail(r, key, "expected true or false");
    *out = json_is_true(v);
    return 0;
}

/* Reads an optional number of seconds (>= 0); 0 when absent. */
static int rd_secs(const rd_t *r, json_t *obj, const char *key, double *out)
{
    json_t *v = rd_get(obj, key);

    *out = 0;
    if (!v)
        return 0;
    if (!json_is_number(v))
        return rd_fail(r, key, "expected a number");
    *out = json_number_value(v);
    if (!isfinite(*out) || *out < 0)
        return rd_fail(r, key, "out of range");
    return 0;
}

/* Reads the status member: one of res_status_name(). */
static int rd_status(const rd_t *r, json_t *obj, res_status_t *out)
{
    char *name = NULL;
    if (rd_str(r, obj, "status", 1, &name) != 0)
        return -1;
    int s = res_status_parse(name);
    if (s < 0) {
        char what[96], esc[40];
        txt_escape(name, strlen(name), esc, sizeof esc);
        snprintf(what, sizeof what, "unknown status \"%s\"", esc);
        free(name);
        return rd_fail(r, "status", what);
    }
    free(name);
    *out = (res_status_t)s;
    return 0;
}

static int rd_test(rd_t *r, json_t *v, size_t i, res_test_t *t)
{
    snprintf(r->where, sizeof r->where, "tests[%zu]", i);
    if (!json_is_object(v))
        return rd_fail(r, NULL, "expected an object");
    if (rd_str(r, v, "name", 1, &t->name) || rd_int(r, v, "points", 1, &t->points) ||
        rd_status(r, v, &t->status) || rd_str(r, v, "message", 0, &t->message) ||
        rd_str(r, v, "hint", 0, &t->hint) || rd_int(r, v, "task", 0, &t->task) ||
        rd_str(r, v, "task_title", 0, &t->task_title) || rd_str(r, v, "output", 0, &t->output) ||
        rd_str(r, v, "file", 0, &t->file) || rd_int(r, v, "line", 0, &t->line) ||
        rd_secs(r, v, "seconds", &t->seconds) || rd_bool(r, v, "hidden", &t->hidden))
        return -1;
    return 0;
}

static int rd_tests(rd_t *r, json_t *root, res_lesson_t *l)
{
    json_t *arr = rd_get(root, "tests");
    if (!arr)
        return rd_fail(r, "tests", "missing");
    if (!json_is_array(arr))
        return rd_fail(r, "tests", "expected an array");
    size_t n = json_array_size(arr);
    l->tests = calloc(n ? n : 1, sizeof *l->tests);
    if (!l->tests)
        return rd_fail(r, "tests", "out of memory");
    l->ntests = n;
    for (size_t i = 0; i < n; i++)
        if (rd_test(r, json_array_get(arr, i), i, &l->tests[i]) != 0)
            return -1;
    return 0;
}

static int rd_lesson(rd_t *r, json_t *root, res_lesson_t *l)
{
    if (!json_is_object(root))
        return rd_fail(r, NULL, "expected a JSON object");
    int unrun = 0;
    if (rd_str(r, root, "lesson", 1, &l->lesson) || rd_str(r, root, "impl", 0, &l->impl) ||
        rd_secs(r, root, "seconds", &l->seconds) || rd_int(r, root, "unrun", 0, &unrun))
        return -1;
    l->unrun = (size_t)unrun;
    return rd_tests(r, root, l);
}

/* Parses the file (or stdin for "-"); NULL with errbuf set on failure. */
static json_t *load(const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        snprintf(errbuf, sizeof errbuf, "%s: %s", path, strerror(errno));
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (fp != stdin)
        fclose(fp);
    if (!root)
        snprintf(errbuf, sizeof errbuf, "%s: line %d, column %d: %s", path, je.line,
                 je.column, je.text);
    return root;
}

int res_read(const char *path, res_lesson_t *out, const char **err)
{
    json_t *root = load(path);
    *err = errbuf;
    if (!root)
        return -1;
    rd_t r = {.path = path, .where = ""};
    res_lesson_t l = {0};
    int rc = rd_lesson(&r, root, &l);
    json_decref(root);
    if (rc != 0) {
        res_free(&l);
        return -1;
    }
    *out = l;
    *err = NULL;
    return 0;
}

static void free_test(res_test_t *t)
{
    free(t->name);
    free(t->message);
    free(t->hint);
    free(t->task_title);
    free(t->output);
    free(t->file);
}

void res_free(res_lesson_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->tests && i < l->ntests; i++)
        free_test(&l->tests[i]);
    free(l->tests);
    free(l->lesson);
    free(l->impl);
    memset(l, 0, sizeof *l);
}
