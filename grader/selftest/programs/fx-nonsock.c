/* fx-nonsock.c - for the self-tests of libsl-shortio: read() and write()
 * on a file, a pipe and stdout must come back whole under the library, as
 * it touches sockets only; on a socket pair they must not (the library is
 * loaded). Prints what it saw; exit 0 if files and pipes were whole. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ROUNDS 20
#define LEN 1000

static char buf[LEN];

/* Writes, then reads back, LEN bytes ROUNDS times; the short calls. */
static int short_calls(int wfd, int rfd, int rewind)
{
    int shorts = 0;
    for (int i = 0; i < ROUNDS; i++) {
        ssize_t w = write(wfd, buf, LEN);
        if (rewind)
            lseek(rfd, 0, SEEK_SET);
        ssize_t r = read(rfd, buf, (size_t)(w > 0 ? w : 1));
        shorts += (w != LEN) + (r != w);
    }
    return shorts;
}

int main(void)
{
    char path[] = "/tmp/fx-nonsock-XXXXXX";
    int file = mkstemp(path), p[2], sv[2];
    if (file < 0 || pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        perror("fx-nonsock: setup");
        return 2;
    }
    unlink(path);
    memset(buf, 'x', sizeof buf);
    int in_file = short_calls(file, file, 1), in_pipe = short_calls(p[1], p[0], 0);
    int in_socket = 0;
    for (int i = 0; i < ROUNDS; i++) {
        ssize_t w = write(sv[0], buf, LEN);
        in_socket += w != LEN;
        while (w > 0) {
            ssize_t r = read(sv[1], buf, (size_t)w);
            w -= r > 0 ? r : w;
        }
    }
    ssize_t out = write(STDOUT_FILENO, "stdout whole\n", 13);
    printf("short calls: file %d, pipe %d, stdout %d, socket %d\n", in_file, in_pipe,
           out != 13, in_socket);
    return in_file || in_pipe || out != 13 ? 1 : 0;
}
