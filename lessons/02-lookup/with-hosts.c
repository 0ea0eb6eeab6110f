/* with-hosts.c - lesson 02's tool, given whole (it uses the C library
 * only): runs a command with an /etc/hosts of its own.
 *
 *   with-hosts FILE COMMAND [ARG...]
 *   with-hosts --lab COMMAND [ARG...]
 *
 * COMMAND runs with FILE as its /etc/hosts (with --lab: the lab's, the
 * lines of LAB_HOSTS in tests/lab.h, the same on every run), and with an
 * /etc/nsswitch.conf that looks host names up in that file alone: no name
 * server is asked, so the answers are the same on every machine. Nothing
 * changes for any other process. A COMMAND without a '/' is looked for
 * beside with-hosts first (the lesson's programs), then in PATH:
 *
 *   with-hosts lab.hosts lookup www web
 *   with-hosts lab.hosts getent ahosts www
 *   with-hosts lab.hosts python3 -c 'import socket; print(socket.gethostbyname_ex("web"))'
 *   with-hosts --lab lookup web        the command a test's transcript shows
 *   with-hosts --lab cat /etc/hosts    the lab's /etc/hosts
 *
 * It needs a user namespace, which the kernel may refuse (Docker's default
 * seccomp profile, Ubuntu's AppArmor policy): it then says why and exits
 * with status 125. Status 126 or 127: COMMAND could not be run. Otherwise
 * the status is COMMAND's, and a COMMAND killed by a signal kills
 * with-hosts with it. The lesson's tests give their programs the lab this
 * way, with --lab: the command in a test's transcript runs again by hand
 * as it is, with no file to make first.
 *
 * COMMAND runs in a child process: only a single-threaded process may
 * make a user namespace, and with-hosts itself may have a second thread
 * (AddressSanitizer starts one for its memory limits). */
#define _GNU_SOURCE
#include "tests/lab.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAME "with-hosts"

/* execv() of command beside this program, if it is there. */
static void exec_beside(const char *command, char *const argv[])
{
    char self[PATH_MAX], path[PATH_MAX + NAME_MAX + 2];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash;

    if (n <= 0)
        return;
    self[n] = '\0';
    slash = strrchr(self, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    snprintf(path, sizeof path, "%s/%s", self, command);
    if (access(path, X_OK) == 0)
        execv(path, argv);
}

/* In the child: the lab (hosts as its /etc/hosts; NULL: the lab's own,
 * LAB_HOSTS), then COMMAND; never returns. */
static _Noreturn void run(const char *hosts, char **command)
{
    char why[PATH_MAX + 128], file[64] = "";
    int rc;

    if (hosts == NULL) {
        if (lab_temp_file(file, sizeof file, LAB_HOSTS) < 0) {
            fprintf(stderr, NAME ": cannot write the lab's /etc/hosts in /tmp: %s\n",
                    strerror(errno));
            _exit(125);
        }
        hosts = file;
    }
    rc = lab_enter(hosts, why, sizeof why);
    if (file[0] != '\0')
        unlink(file);   /* bound over /etc/hosts, it lasts as long as COMMAND */
    if (rc < 0) {
        fprintf(stderr, NAME ": cannot give %s an /etc/hosts of its own here: %s\n", command[0],
                why);
        _exit(125);
    }
    if (strchr(command[0], '/') == NULL)
        exec_beside(command[0], command);
    execvp(command[0], command);
    fprintf(stderr, NAME ": cannot run %s: %s\n", command[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

/* Ends this process as status says the child ended. */
static int end_as(int status)
{
    struct sigaction dfl;

    if (!WIFSIGNALED(status))
        return WEXITSTATUS(status);
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(WTERMSIG(status), &dfl, NULL);
    kill(getpid(), WTERMSIG(status));
    return 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
    int lab = argc > 1 && strcmp(argv[1], "--lab") == 0, status;
    pid_t pid;

    if (argc < 3 || (argv[1][0] == '-' && !lab)) {
        fprintf(stderr, "usage: " NAME " FILE COMMAND [ARG...]\n"
                        "       " NAME " --lab COMMAND [ARG...]\n"
                        "  runs COMMAND with FILE as its /etc/hosts (and hosts looked up there alone);\n"
                        "  --lab: the lab's /etc/hosts, the one of the lesson's tests\n");
        return 2;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, NAME ": fork: %s\n", strerror(errno));
        return 125;
    }
    if (pid == 0)
        run(lab ? NULL : argv[1], argv + 2);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, NAME ": waitpid: %s\n", strerror(errno));
            return 125;
        }
    return end_as(status);
}
