/* Task 1: Unix-domain addresses (ux_addr, ux_name, ux_local_name). The
 * sockets that bind to what ux_addr() gives are the test's own, and so
 * are the addresses ux_name() reads. */
#include "testutil.h"

SL_TASK(1, "Unix-domain addresses");

SL_LESSON_SANITIZER_HINT("overflow", "sun_path holds 108 bytes, and a buffer of the tests "
                         "exactly the size they pass: copy at most what fits, and count "
                         "the NUL.");
SL_LESSON_SANITIZER_HINT("leak", "Nothing in this lesson needs malloc(): the addresses fit "
                         "in a struct sockaddr_un, the control buffers in a union on the "
                         "stack.");

/* ux_addr(name) must work, or the test ends; the length it gave. */
static socklen_t addr_ok(const char *name, struct sockaddr_un *sun)
{
    socklen_t len = 0;
    int rc;

    memset(sun, 0x5a, sizeof *sun);   /* what it leaves untouched shows */
    errno = 0;
    rc = ux_addr(name, sun, &len);
    if (rc != 0)
        SL_FAIL_FATAL("ux_addr(\"%s\") returned %s: expected 0", name, sl_returned(rc, errno));
    return len;
}

SL_TEST(addr_of_a_path, 2,
        "A path goes into sun_path with its NUL, sun_family is AF_UNIX, and the length is "
        "offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1: memset() the address "
        "to 0 first, then copy.")
{
    static const char *const paths[] = {"/tmp/echo.sock", "relative.sock", "a"};
    struct sockaddr_un sun;

    for (size_t i = 0; i < SL_COUNT(paths); i++) {
        socklen_t len = addr_ok(paths[i], &sun), want = (socklen_t)(NM_SUN_OFFSET + strlen(paths[i]) + 1);
        char what[96];

        snprintf(what, sizeof what, "ux_addr(\"%s\"): sun_family", paths[i]);
        SL_CHECK_INT(what, sun.sun_family, AF_UNIX);
        snprintf(what, sizeof what, "ux_addr(\"%s\"): sun_path", paths[i]);
        SL_CHECK_BYTES(what, sun.sun_path, strlen(paths[i]) + 1, paths[i], strlen(paths[i]) + 1);
        snprintf(what, sizeof what, "ux_addr(\"%s\"): the length (the NUL counted)", paths[i]);
        SL_CHECK_INT(what, len, want);
        for (size_t k = strlen(paths[i]) + 1; k < sizeof sun.sun_path; k++)
            if (sun.sun_path[k] != 0) {
                SL_FAIL("ux_addr(\"%s\") left byte %zu of sun_path as 0x%02x: zero the "
                        "whole address first (memset())", paths[i], k,
                        (unsigned char)sun.sun_path[k]);
                break;
            }
    }
}

SL_TEST(addr_of_an_abstract_name, 3,
        "@NAME is an abstract name: sun_path[0] is a NUL, NAME's bytes follow with no NUL "
        "after them, and the length is offsetof(struct sockaddr_un, sun_path) + 1 + "
        "strlen(NAME). Every byte up to the length is part of the name: "
        "sizeof(struct sockaddr_un) names NAME and 107 - strlen(NAME) NUL bytes after it (103 "
        "for echo), which nobody else uses.")
{
    const char *name = nm_abstract("addr");
    struct sockaddr_un sun, mine;
    socklen_t len = addr_ok(name, &sun), want = (socklen_t)(NM_SUN_OFFSET + strlen(name));
    int lfd, c;

    SL_CHECK_INT("ux_addr(\"@...\"): sun_family", sun.sun_family, AF_UNIX);
    if (sun.sun_path[0] != '\0')
        SL_FAIL_FATAL("ux_addr(\"%s\") put 0x%02x in sun_path[0]: an abstract name starts "
                      "with a NUL byte (the '@' is only how it is written)", name,
                      (unsigned char)sun.sun_path[0]);
    SL_CHECK_BYTES("ux_addr(\"@...\"): the name's bytes after sun_path[0]", sun.sun_path + 1,
                   strlen(name) - 1, name + 1, strlen(name) - 1);
    if (len == sizeof(struct sockaddr_un))
        SL_FAIL_FATAL("ux_addr(\"%s\") gave the length sizeof(struct sockaddr_un) (%zu): for "
                      "an abstract name every byte up to the length is part of the name, so "
                      "that names \"%s\" and the NUL bytes after it, up to the end of "
                      "sun_path (ss shows it as %s@@@@...). Give offsetof(struct sockaddr_un, "
                      "sun_path) + 1 + the name's length: %u", name, sizeof(struct sockaddr_un),
                      name, name, (unsigned)want);
    SL_CHECK_INT("ux_addr(\"@...\"): the length (no NUL after the name)", len, want);
    /* A server of the test's on the name: a client that uses the
     * student's address must reach it. */
    lfd = nm_listener(name, SOCK_STREAM, 4);
    nm_sun(&mine, name);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&sun, len) < 0)
        SL_FAIL("connect() to the address ux_addr(\"%s\") gave (length %u) failed: %s; the "
                "test's server is bound to %s", name, (unsigned)len, strerror(errno),
                nm_bound(lfd));
    close(c);
    close(lfd);
}

SL_TEST(addr_rejects_what_is_no_name, 2,
        "An empty name, \"@\" alone, and a NULL pointer are EINVAL; a path or an abstract "
        "name of more than 107 bytes does not fit in sun_path (108 bytes, and a path keeps "
        "its NUL): ENAMETOOLONG. 107 bytes fit.")
{
    char longest[200], too_long[200];
    struct sockaddr_un sun;
    socklen_t len;

    memset(longest, 'p', 107);
    longest[107] = '\0';
    SL_MUST_RETURN(ux_addr(longest, &sun, &len), 0);
    SL_CHECK_INT("ux_addr(a path of 107 bytes): the length", len, NM_SUN_OFFSET + 108);
    longest[0] = '@';
    memset(longest + 1, 'a', 107);
    longest[108] = '\0';
    SL_MUST_RETURN(ux_addr(longest, &sun, &len), 0);
    SL_CHECK_INT("ux_addr(\"@\" and 107 bytes): the length", len, NM_SUN_OFFSET + 108);
    memset(too_long, 'p', 108);
    too_long[108] = '\0';
    SL_HINT("A path of 108 bytes leaves no room for its NUL in sun_path: ENAMETOOLONG. "
            "(Linux would take it, and getsockname() then returns 111 bytes, more than a "
            "struct sockaddr_un holds.)")
    {
        TU_FAILS_WITH(ux_addr(too_long, &sun, &len), ENAMETOOLONG);
    }
    too_long[0] = '@';
    too_long[109] = '\0';
    too_long[108] = 'a';
    TU_FAILS_WITH(ux_addr(too_long, &sun, &len), ENAMETOOLONG);
    TU_FAILS_WITH(ux_addr("", &sun, &len), EINVAL);
    TU_FAILS_WITH(ux_addr("@", &sun, &len), EINVAL);
    TU_FAILS_WITH(ux_addr(NULL, &sun, &len), EINVAL);
    TU_FAILS_WITH(ux_addr("/tmp/x", NULL, &len), EINVAL);
    TU_FAILS_WITH(ux_addr("/tmp/x", &sun, NULL), EINVAL);
}

SL_TEST(name_of_each_kind_of_address, 3,
        "ux_name() reads len - offsetof(struct sockaddr_un, sun_path) bytes of sun_path: "
        "none (len 0 or sizeof(sa_family_t)) is an unnamed socket, \"\"; a NUL first is an "
        "abstract name, '@' and its bytes (every NUL in it written '@'); else a path, up "
        "to its first NUL.")
{
    struct sockaddr_un sun;
    char buf[UX_NAMESTRLEN];
    socklen_t len;
    static const char odd[] = "\0odd\0name";   /* an abstract name with a NUL inside */

    len = nm_sun(&sun, "/tmp/sl08/echo.sock");
    SL_RETURNS(ux_name(&sun, len, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(the path /tmp/sl08/echo.sock)", buf, "/tmp/sl08/echo.sock");
    SL_RETURNS(ux_name(&sun, sizeof sun, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(a path, len sizeof(struct sockaddr_un))", buf, "/tmp/sl08/echo.sock");
    len = nm_sun(&sun, "@echo");
    SL_RETURNS(ux_name(&sun, len, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(the abstract name \"\\0echo\")", buf, "@echo");
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, odd, sizeof odd - 1);
    SL_RETURNS(ux_name(&sun, (socklen_t)(NM_SUN_OFFSET + sizeof odd - 1), buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(the abstract name \"\\0odd\\0name\")", buf, "@odd@name");
    SL_RETURNS(ux_name(&sun, sizeof(sa_family_t), buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(an unnamed socket, len sizeof(sa_family_t))", buf, "");
    SL_RETURNS(ux_name(&sun, 0, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_name(len 0, a sender with no name as recvfrom() gives it)", buf, "");
    /* 108 bytes of path and no NUL: what getsockname() returns for a path
     * Linux took whole. */
    memset(sun.sun_path, 'q', sizeof sun.sun_path);
    memset(buf, 'x', sizeof buf);
    SL_RETURNS(ux_name(&sun, (socklen_t)(NM_SUN_OFFSET + 109), buf, sizeof buf), 0);
    SL_HINT("A path that fills sun_path has no NUL: read at most sizeof sun_path (108) bytes, "
            "even when len says more (getsockname() says 111 for it), and end the text with "
            "a NUL of your own.")
    {
        SL_CHECK_INT("strlen of ux_name(a path of 108 bytes without its NUL)",
                     strnlen(buf, sizeof buf), 108);
    }
}

SL_TEST(name_refuses_what_does_not_fit, 2,
        "When the text and its NUL do not fit in size bytes, return -1 with ENOSPC and "
        "leave \"\" in buf, never a name cut short; a family other than AF_UNIX is "
        "EAFNOSUPPORT; len 1 or a NULL pointer is EINVAL.")
{
    struct sockaddr_un sun;
    struct sockaddr_in in;
    socklen_t len = nm_sun(&sun, "@abcdef");   /* "@abcdef": 7 bytes and the NUL */
    char *buf = malloc(8);

    if (buf == NULL)
        SL_FAIL_FATAL("test: out of memory");
    SL_MUST_RETURN(ux_name(&sun, len, buf, 8), 0);
    SL_CHECK_STR("ux_name(\"@abcdef\", size 8)", buf, "@abcdef");
    TU_FAILS_WITH(ux_name(&sun, len, buf, 7), ENOSPC);
    SL_CHECK_STR("buf after ux_name(\"@abcdef\", size 7) failed", buf, "");
    len = nm_sun(&sun, "/abcdefg");
    TU_FAILS_WITH(ux_name(&sun, len, buf, 8), ENOSPC);
    SL_CHECK_STR("buf after ux_name(\"/abcdefg\", size 8) failed", buf, "");
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    TU_FAILS_WITH(ux_name((struct sockaddr_un *)&in, sizeof in, buf, 8), EAFNOSUPPORT);
    TU_FAILS_WITH(ux_name(&sun, 1, buf, 8), EINVAL);
    TU_FAILS_WITH(ux_name(NULL, len, buf, 8), EINVAL);
    TU_FAILS_WITH(ux_name(&sun, len, NULL, 8), EINVAL);
    free(buf);
}

SL_TEST(local_name_of_bound_sockets, 2,
        "ux_local_name(): getsockname() into a struct sockaddr_un with len = sizeof it, "
        "then ux_name() with the length getsockname() returned.")
{
    const char *path = nm_path("local.sock"), *name = nm_abstract("local");
    char buf[UX_NAMESTRLEN];
    sa_family_t family = AF_UNIX;
    int p = nm_listener(path, SOCK_STREAM, 1), a = nm_listener(name, SOCK_STREAM, 1);
    int unbound = socket(AF_UNIX, SOCK_STREAM, 0), autob = socket(AF_UNIX, SOCK_DGRAM, 0);

    SL_RETURNS(ux_local_name(p, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_local_name(a socket bound to a path)", buf, path);
    SL_RETURNS(ux_local_name(a, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_local_name(a socket bound to an abstract name)", buf, name);
    SL_RETURNS(ux_local_name(unbound, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_local_name(a socket bound to nothing)", buf, "");
    bind(autob, (struct sockaddr *)&family, sizeof family);   /* autobind */
    SL_RETURNS(ux_local_name(autob, buf, sizeof buf), 0);
    SL_CHECK_STR("ux_local_name(an autobound socket)", buf, nm_bound(autob));
    TU_FAILS_WITH(ux_local_name(-1, buf, sizeof buf), EBADF);
    close(p);
    close(a);
    close(unbound);
    close(autob);
}
