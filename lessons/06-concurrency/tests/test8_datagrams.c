/* Task 8: datagrams (ss_get_datagram), in the test's process, and the
 * framework over UDP serially. */
#include "fwutil.h"

SL_TASK(8, "Datagrams");

/* A UDP socket of the test, sending to 127.0.0.1:port. */
static int udp_to(int port, struct sockaddr_in *to)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    memset(to, 0, sizeof *to);
    to->sin_family = AF_INET;
    to->sin_port = htons((unsigned short)port);
    to->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cu_timeout(fd, 2000);
    return fd;
}

static int dgram_echo(ss_request_t *req)
{
    return ss_send(req, req->data, req->len);
}

static const ss_handler_t dgram_handler = {NULL, dgram_echo, NULL};

SL_TEST(get_datagram_makes_a_request_of_it, 3,
        "ss_get_datagram(): recvfrom() into a buffer of SS_DGRAM_MAX, then a request with a "
        "malloc()'ed copy of exactly the bytes that came (len 0 for an empty datagram, data "
        "still not NULL), the sender in peer/peerlen, and fd = srv->fd.")
{
    static unsigned char big[65507];
    fw_server_t f;
    struct sockaddr_in to;
    ss_request_t *req;
    int u;

    memset(&f, 0, sizeof f);
    SL_REQUIRE_OK(ss_server_init(&f.srv, "udp", SOCK_DGRAM, SS_SERIAL, &dgram_handler));
    f.srv.fd = fw_udp_socket(&f.port);
    errno = 0;
    req = ss_get_datagram(&f.srv);
    SL_CHECK_INT("ss_get_datagram() with nothing received: errno", req == NULL ? errno : 0, EAGAIN);
    u = udp_to(f.port, &to);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 7);
    sendto(u, "hello", 5, 0, (struct sockaddr *)&to, sizeof to);
    sendto(u, "", 0, 0, (struct sockaddr *)&to, sizeof to);
    sendto(u, big, sizeof big, 0, (struct sockaddr *)&to, sizeof to);
    sl_sleep_ms(50);
    req = ss_get_datagram(&f.srv);
    if (req == NULL)
        SL_FAIL_FATAL("ss_get_datagram() with a datagram waiting failed: %s", strerror(errno));
    SL_CHECK_BYTES("the first request's data", req->data, req->len, "hello", 5);
    SL_CHECK_INT("its fd (the server's socket)", req->fd, f.srv.fd);
    SL_CHECK_INT("its peer's family", req->peer.ss_family, AF_INET);
    if (req->server != &f.srv)
        SL_FAIL("req->server is not the server");
    free(req->data);
    free(req);
    req = ss_get_datagram(&f.srv);
    if (req == NULL)
        SL_FAIL_FATAL("ss_get_datagram() of an empty datagram failed: %s (it is a request too)",
                      strerror(errno));
    SL_CHECK_INT("the empty datagram's len", req->len, 0);
    if (req->data == NULL)
        SL_FAIL("an empty datagram's request has data NULL: malloc(1) rather, so that data is "
                "always a pointer the request owns");
    free(req->data);
    free(req);
    req = ss_get_datagram(&f.srv);
    if (req == NULL)
        SL_FAIL_FATAL("ss_get_datagram() of a 65507-byte datagram failed: %s", strerror(errno));
    SL_CHECK_BYTES("a 65507-byte datagram", req->data, req->len, big, sizeof big);
    free(req->data);
    free(req);
    close(u);
    close(f.srv.fd);
    ss_server_close(&f.srv);
}

SL_TEST_TIMEOUT(udp_server_answers_each_datagram, 3, 6000,
                "A SOCK_DGRAM server: ss_handle_request() takes ss_get_datagram() where a stream "
                "server accepts; ss_send() answers with sendto() to req->peer; ending the "
                "request frees its data but never closes the server's socket.")
{
    fw_server_t f;
    struct sockaddr_in to;
    char got[64];
    int u;

    fw_make(&f, SOCK_DGRAM, SS_SERIAL, &dgram_handler);
    fw_run(&f);
    u = udp_to(f.port, &to);
    for (int i = 0; i < 20; i++) {
        char text[32];
        int len = snprintf(text, sizeof text, "datagram %d", i);
        ssize_t n;

        sendto(u, text, (size_t)len, 0, (struct sockaddr *)&to, sizeof to);
        n = recv(u, got, sizeof got, 0);
        if (n < 0)
            SL_FAIL_FATAL("datagram %d got no answer within 2 s (after %d answered): %s", i, i,
                          i > 0 ? "was the server's socket closed with the first request?" :
                          "is each datagram a request, answered with ss_send()?");
        SL_CHECK_BYTES("the answer", got, (size_t)n, text, (size_t)len);
    }
    close(u);
    fw_end(&f);
    SL_CHECK_INT("served after 20 datagrams", cc_counter_get(&f.srv.served), 20);
    ss_server_close(&f.srv);
}
