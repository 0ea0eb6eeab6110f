/* report_main.c - sl-report: renders a course's results (see report.h). */
#include "report.h"

int main(int argc, char **argv)
{
    return rep_main(argc, argv);
}
