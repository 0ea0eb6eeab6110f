/* fakeresults.c - forged results files: addr_htons() writes full marks,
 * as the grader's raw results, as Gradescope's results.json and as JUnit,
 * where the grader keeps its own (build/skeletons/results/, the OUT file
 * run.sh names: results.json at the top of the tree) and where platforms
 * look (/autograder/results/), then returns a wrong answer. Each forgery
 * holds the word FORGED-BY-HOSTILE; run.sh looks for it.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char hostile_raw[] =
    "{\"lesson\": \"01-addressing\", \"impl\": \"skeletons\", \"seconds\": 0.1, \"tests\": ["
    "{\"name\": \"htons_matches_libc\", \"points\": 122, \"status\": \"pass\", \"message\": \"\","
    " \"hint\": \"FORGED-BY-HOSTILE\", \"task\": 1, \"task_title\": \"Byte order by hand\","
    " \"output\": \"\", \"file\": \"x.c\", \"line\": 1, \"seconds\": 0.001}]}\n";
static const char hostile_gradescope[] =
    "{\"score\": 122, \"max_score\": 122, \"output\": \"FORGED-BY-HOSTILE\", \"tests\": []}\n";
static const char hostile_junit[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"socklab\" tests=\"82\" "
    "failures=\"0\" errors=\"0\"><!-- FORGED-BY-HOSTILE --></testsuites>\n";

static void hostile_forge(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        printf("hostile: cannot write %s: %s\n", path, strerror(errno));
    else
        printf("hostile: wrote %s\n", path);
}

uint16_t addr_htons(uint16_t host)
{
    static int done;

    (void)host;
    hostile_mark();
    if (done++)
        return 0;
    hostile_forge("build/skeletons/results/01-addressing.json", hostile_raw);
    hostile_forge("results.json", hostile_gradescope);
    hostile_forge("results.xml", hostile_junit);
    mkdir("/autograder", 0755);
    mkdir("/autograder/results", 0755);
    hostile_forge("/autograder/results/results.json", hostile_gradescope);
    fflush(stdout);
    return 0;
}
