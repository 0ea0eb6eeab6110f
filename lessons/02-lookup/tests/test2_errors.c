/* Task 2: errors a person can read (lk_strerror). The texts are those of
 * the C library itself: gai_strerror() for the EAI_ codes, strerror() for
 * the errno of EAI_SYSTEM. */
#include "testutil.h"

SL_TASK(2, "Errors a person can read");

/* lk_strerror(code, err) must be want; code_words names the code. */
static void text_is(const char *file, int line, int code, const char *code_words, int err,
                    const char *want)
{
    char what[160];
    const char *got = lk_strerror(code, err);

    snprintf(what, sizeof what, "lk_strerror(%s, %s)", code_words,
             err == 0 ? "0" : sl_errno_name(err) ? sl_errno_name(err) : "?");
    if (got == NULL)
        sl_fail_at(file, line, 0, "%s returned NULL: expected \"%s\" (never NULL: a caller "
                   "prints it)", what, want);
    else if (strcmp(got, want) != 0)
        sl_fail_at(file, line, 0, "%s gave \"%.200s\": expected \"%s\", %s", what, got, want,
                   code == EAI_SYSTEM ? "strerror(err): EAI_SYSTEM says that err holds the reason"
                   : strcmp(got, strerror(err)) == 0 || strcmp(got, strerror(errno)) == 0
                   ? "gai_strerror(code): an EAI_ code is no errno value, and strerror() of "
                     "errno says something unrelated"
                   : "gai_strerror(code)");
}

#define TEXT_IS(code, err, want) text_is(__FILE__, __LINE__, (code), #code, (err), (want))

SL_TEST(strerror_resolver_codes, 2,
        "An EAI_ code is no errno value: its text is gai_strerror(code), whatever errno holds "
        "(strerror(errno) after a failed lookup says \"Success\" or something unrelated).")
{
    static const struct { int code; const char *name; } codes[] = {
        {EAI_NONAME, "EAI_NONAME"}, {EAI_AGAIN, "EAI_AGAIN"}, {EAI_FAIL, "EAI_FAIL"},
        {EAI_FAMILY, "EAI_FAMILY"}, {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
        {EAI_SERVICE, "EAI_SERVICE"}, {EAI_MEMORY, "EAI_MEMORY"},
        {EAI_BADFLAGS, "EAI_BADFLAGS"}, {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
        {EAI_NODATA, "EAI_NODATA"},
    };
    struct addrinfo hints, *res;
    int code;

    for (size_t i = 0; i < SL_COUNT(codes); i++) {
        text_is(__FILE__, __LINE__, codes[i].code, codes[i].name, 0, gai_strerror(codes[i].code));
        text_is(__FILE__, __LINE__, codes[i].code, codes[i].name, ENOENT,
                gai_strerror(codes[i].code));
    }
    SL_HINT("glibc's gai_strerror() has no text of its own for EAI_OVERFLOW (it says "
            "\"Unknown error\"), nor for codes it does not know: return what it says, never "
            "NULL and never strerror().")
    {
        TEXT_IS(EAI_OVERFLOW, 0, gai_strerror(EAI_OVERFLOW));
        text_is(__FILE__, __LINE__, 12345, "12345", EINVAL, gai_strerror(12345));
        text_is(__FILE__, __LINE__, 0, "0", EINVAL, gai_strerror(0));
    }
    SL_HINT("The code a real lookup returns, as the program would print it: the text of the "
            "code, not of the errno the lookup left behind.")
    {
        cu_answers_quickly("no.such.invalid");
        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        errno = 0;
        code = getaddrinfo("no.such.invalid", NULL, &hints, &res);
        if (code == 0) {
            freeaddrinfo(res);
            SL_FAIL_FATAL("test setup: no.such.invalid resolves on this machine (RFC 6761 says "
                          "it never does)");
        }
        text_is(__FILE__, __LINE__, code, cu_code_name(code), errno, gai_strerror(code));
    }
}

SL_TEST(strerror_system_errors, 2,
        "EAI_SYSTEM says only \"the reason is in errno\": its text is strerror(err), the errno "
        "saved right after the call, not gai_strerror(EAI_SYSTEM) (\"System error\").")
{
    TEXT_IS(EAI_NONAME, 0, gai_strerror(EAI_NONAME));
    TEXT_IS(EAI_SYSTEM, EMFILE, strerror(EMFILE));
    TEXT_IS(EAI_SYSTEM, ENOENT, strerror(ENOENT));
    TEXT_IS(EAI_SYSTEM, EINVAL, strerror(EINVAL));
    SL_HINT("Use the err argument, not errno itself: the caller saved errno at the failed "
            "call, and anything called since (printf() too) may have changed errno.")
    {
        errno = EPERM;
        TEXT_IS(EAI_SYSTEM, ENOSPC, strerror(ENOSPC));
        errno = 0;
        TEXT_IS(EAI_SYSTEM, ECONNREFUSED, strerror(ECONNREFUSED));
    }
}
