/* Task 8: udp-framework-echo-server in each mode, driven over UDP. */
#include "servertests.h"

SL_TASK_PROGRAMS(8, "Datagrams");

#define NAME "udp-framework-echo-server"

/* 10 sockets each send 10 datagrams at once, then collect the 10 answers
 * (in any order: in -m thread or fork they may overtake each other); each
 * must come back to its sender, whole, exactly once. */
static void udp_echo(const char *host, const char *mode)
{
    const char *args[] = {"-m", mode, NULL};
    sl_server_t s;
    sl_udp_t u[10];
    char text[64], got[128];

    CU_START(&s, NAME, host, args);
    for (int i = 0; i < 10; i++)
        SL_UDP_OPEN(&u[i], &s);
    for (int round = 0; round < 10; round++)
        for (int i = 0; i < 10; i++) {
            int len = snprintf(text, sizeof text, "datagram %d of socket %d", round, i);

            SL_UDP_SEND(&u[i], text, (size_t)len);
        }
    for (int i = 0; i < 10; i++) {
        int seen[10] = {0};

        for (int k = 0; k < 10; k++) {
            size_t len = 0;
            int round, sock, end = 0;

            if (sl_udp_recv(&u[i], got, sizeof got - 1, &len, 2000) != 1)
                SL_FAIL_FATAL("-m %s: socket %d sent 10 datagrams at once and got %d answers "
                              "within 2 s", mode, i, k);
            got[len] = '\0';
            if (sscanf(got, "datagram %d of socket %d%n", &round, &sock, &end) != 2 ||
                (size_t)end != len || sock != i || round < 0 || round > 9 || seen[round]++)
                SL_FAIL_FATAL("-m %s: socket %d, of 10 datagrams in flight, got %s: each "
                              "request needs its own copy of its datagram and its own peer "
                              "(a buffer or request shared by the threads?)", mode, i,
                              sl_bytes(got, len));
        }
    }
    SL_UDP_SEND(&u[0], "", 0);
    SL_UDP_EXPECT(&u[0], "", 0, 2000);
    for (int i = 0; i < 10; i++)
        sl_udp_close(&u[i]);
    SL_SERVER_STOP(&s);
}

SL_NET_TEST(udp_echo_serial, 2, 8000,
            "-m serial: each datagram a request, run at once in the server's thread: "
            "ss_get_datagram(), then the handler answers with ss_send() (sendto() to the peer).")
{
    udp_echo(host, "serial");
}

SL_NET_TEST(udp_echo_fork, 2, 8000,
            "-m fork: a child per datagram; the child keeps the server's socket (it replies on "
            "it: socketserver's ForkingUDPServer does so), and is reaped when it ends.")
{
    udp_echo(host, "fork");
}

SL_NET_TEST(udp_echo_thread, 2, 8000,
            "-m thread: a thread per datagram, handed a request of its own with its own copy "
            "of the datagram.")
{
    udp_echo(host, "thread");
}

SL_TEST_TIMEOUT(udp_fork_no_zombie, 2, 8000,
                "In -m fork, a child per datagram: 300 datagrams, 300 children, each reaped.")
{
    const char *args[] = {"-m", "fork", NULL};
    sl_server_t s;
    sl_udp_t u;
    char got[16];
    size_t len;
    int z;
    double end;

    CU_START(&s, NAME, "127.0.0.1", args);
    SL_UDP_OPEN(&u, &s);
    for (int i = 0; i < 300; i++)
        SL_UDP_SEND(&u, "z", 1);
    for (int i = 0; i < 300 && sl_udp_recv(&u, got, sizeof got, &len, 1000) == 1; i++)
        ;
    end = sl_now_ms() + sl_scaled_ms(1500);
    while ((z = cu_zombies(s.prog.pid, NULL)) > 0 && sl_now_ms() < end)
        sl_sleep_ms(50);
    if (z > 0)
        SL_FAIL_FATAL("%d zombies after 300 datagrams in -m fork: reap every child (a loop of "
                      "waitpid(WNOHANG) per SIGCHLD)", z);
    sl_udp_close(&u);
    SL_SERVER_STOP(&s);
}

SL_TEST(udp_verify_request_refuses_a_peer, 1,
        "-d 127.0.0.2: verify_request() refuses a datagram from 127.0.0.2, which gets no "
        "answer; the server goes on answering the others.")
{
    const char *args[] = {"-d", "127.0.0.2", NULL};
    sl_server_t s;
    sl_udp_t u;
    struct sockaddr_in from;
    int fd;
    char got[16];

    CU_START(&s, NAME, "127.0.0.1", args);
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&from, 0, sizeof from);
    from.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
    if (bind(fd, (struct sockaddr *)&from, sizeof from) < 0)
        SL_FAIL_FATAL("test setup: bind 127.0.0.2: %s", strerror(errno));
    sendto(fd, "refuse me", 9, 0, (struct sockaddr *)&s.addr, s.addrlen);
    cu_timeout(fd, 500);
    if (recv(fd, got, sizeof got, 0) >= 0)
        SL_FAIL_FATAL("a datagram from 127.0.0.2 was answered: -d 127.0.0.2 refuses it");
    close(fd);
    SL_UDP_OPEN(&u, &s);
    SL_UDP_SEND(&u, "me", 2);
    SL_UDP_EXPECT(&u, "me", 2, 2000);
    sl_udp_close(&u);
    SL_SERVER_STOP(&s);
}

SL_TEST(udp_bad_mode_is_bad_usage, 1,
        "-m takes serial, fork or thread: anything else is bad usage (exit 2, the usage on "
        "stderr); with no -m the server is serial.")
{
    sl_server_t s;
    sl_udp_t u;

    CU_START(&s, NAME, "127.0.0.1", NULL);
    SL_UDP_OPEN(&u, &s);
    SL_UDP_SEND(&u, "default", 7);
    SL_UDP_EXPECT(&u, "default", 7, 2000);
    sl_udp_close(&u);
    SL_SERVER_STOP(&s);
    st_bad_usage(NAME, "-m", "pool");
}
