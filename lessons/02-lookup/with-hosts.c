/* with-hosts.c - lesson 02's tool, given whole (it uses the C library
 * only): runs a command with an /etc/hosts of its own.
 *
 *   with-hosts FILE COMMAND [ARG...]
 *
 * COMMAND runs with FILE as its /etc/hosts, and with an
 * /etc/nsswitch.conf that looks host names up in that file alone: no name
 * server is asked, so the answers are the same on every machine. Nothing
 * changes for any other process. A COMMAND without a '/' is looked for
 * beside with-hosts first (the lesson's programs), then in PATH:
 *
 *   with-hosts lab.hosts lookup www web
 *   with-hosts lab.hosts getent ahosts www
 *   with-hosts lab.hosts python3 -c 'import socket; print(socket.gethostbyname_ex("web"))'
 *
 * It needs a user namespace, which the kernel may refuse (Docker's default
 * seccomp profile, Ubuntu's AppArmor policy): it then says why and exits
 * with status 125. Status 126 or 127: COMMAND could not be run. Otherwise
 * the status is COMMAND's, and a COMMAND killed by a signal kills
 * with-hosts with it. The lesson's tests give their programs the lab this
 * way (tests/lab.h has the lab's /etc/hosts).
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

/* In the child: the lab, then COMMAND; never returns. */
static _Noreturn void run(const char *hosts, char **command)
{
    char why[PATH_MAX + 128];

    if (lab_enter(hosts, why, sizeof why) < 0) {
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
    pid_t pid;
    int status;

    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: " NAME " FILE COMMAND [ARG...]\n"
                        "  runs COMMAND with FILE as its /etc/hosts (and hosts looked up there alone)\n");
        return 2;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, NAME ": fork: %s\n", strerror(errno));
        return 125;
    }
    if (pid == 0)
        run(argv[1], argv + 2);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, NAME ": waitpid: %s\n", strerror(errno));
            return 125;
        }
    return end_as(status);
}
