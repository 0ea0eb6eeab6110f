/* results-check.c - is FILE a results.json that Gradescope will take?
 *
 *   results-check FILE
 *
 * Reads FILE with jansson (which socklab depends on already: no python3 or
 * jq needed) and checks the shape Gradescope's specification asks for: an
 * object with a numeric "score", and "tests" each with a name, a numeric
 * score and max_score, a status of "passed" or "failed" and a visibility
 * Gradescope knows. Then prints one line for scripts to read:
 *
 *   score=S max_score=M tests=N visible=V after_due_date=H other=O failed=F
 *
 * (max_score is the sum over the tests when the file has none.) Exits 0
 * when FILE is valid, 1 with one line on stderr saying why it is not.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int bad(const char *file, const char *why, const char *what)
{
    fprintf(stderr, "results-check: %s: %s%s%s\n", file, why, what ? ": " : "", what ? what : "");
    return 1;
}

static int known_visibility(const char *v)
{
    return strcmp(v, "visible") == 0 || strcmp(v, "hidden") == 0 ||
           strcmp(v, "after_due_date") == 0 || strcmp(v, "after_published") == 0;
}

int main(int argc, char **argv)
{
    json_error_t err;
    json_t *root, *tests, *t;
    size_t i;
    double sum = 0, sum_max = 0;
    int visible = 0, after = 0, other = 0, failed = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: results-check FILE\n");
        return 2;
    }
    root = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return bad(argv[1], "not valid JSON", err.text);
    if (!json_is_object(root))
        return bad(argv[1], "not a JSON object", NULL);
    if (!json_is_number(json_object_get(root, "score")))
        return bad(argv[1], "no numeric top-level \"score\"", NULL);
    tests = json_object_get(root, "tests");
    if (tests && !json_is_array(tests))
        return bad(argv[1], "\"tests\" is not an array", NULL);
    json_array_foreach(tests, i, t) {
        json_t *name = json_object_get(t, "name"), *st = json_object_get(t, "status");
        json_t *vis = json_object_get(t, "visibility");
        if (!json_is_object(t) || !json_is_string(name))
            return bad(argv[1], "a test with no name", NULL);
        if (!json_is_number(json_object_get(t, "score")) ||
            !json_is_number(json_object_get(t, "max_score")))
            return bad(argv[1], "a test with no numeric score and max_score", json_string_value(name));
        if (!json_is_string(st) || (strcmp(json_string_value(st), "passed") != 0 &&
                                    strcmp(json_string_value(st), "failed") != 0))
            return bad(argv[1], "a test whose status is not passed or failed", json_string_value(name));
        if (vis && (!json_is_string(vis) || !known_visibility(json_string_value(vis))))
            return bad(argv[1], "a test of unknown visibility", json_string_value(name));
        sum += json_number_value(json_object_get(t, "score"));
        sum_max += json_number_value(json_object_get(t, "max_score"));
        if (strcmp(json_string_value(st), "failed") == 0)
            failed++;
        if (!vis || strcmp(json_string_value(vis), "visible") == 0)
            visible++;
        else if (strcmp(json_string_value(vis), "after_due_date") == 0)
            after++;
        else
            other++;
    }
    double score = json_number_value(json_object_get(root, "score"));
    json_t *max = json_object_get(root, "max_score");
    if (tests && json_array_size(tests) && score != sum)
        return bad(argv[1], "the top-level score is not the sum of the tests' scores", NULL);
    if (max && !json_is_number(max))
        return bad(argv[1], "\"max_score\" is not a number", NULL);
    printf("score=%g max_score=%g tests=%zu visible=%d after_due_date=%d other=%d failed=%d\n", score,
           max ? json_number_value(max) : sum_max, json_array_size(tests), visible, after, other, failed);
    json_decref(root);
    return 0;
}
