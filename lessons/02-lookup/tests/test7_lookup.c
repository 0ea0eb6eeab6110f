/* Task 7: the lookup program, run as a student would run it, directly or
 * in the lab (with-hosts). What it must print is built by the test from
 * the C library's own answers; no student code runs in these tests'
 * process. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The lookup program");

SL_TEST(lookup_localhost, 2,
        "For each NAME: lk_host_info(NAME, family, &h), then for each address one line "
        "\"CANONICAL has address A\" (IPv4) or \"CANONICAL has IPv6 address A\", the address "
        "from lk_addr_text(). Exit status 0 when every name resolved.")
{
    cu_answers_quickly("localhost");
    PU_LOOKUP("localhost");
    PU_LOOKUP("127.0.0.1");
    PU_LOOKUP("localhost", "127.0.0.1");
}

SL_TEST(lookup_both_families, 2,
        "An IPv6 address prints \"has IPv6 address\": look at each address's family (AF_INET6), "
        "and print it with lk_addr_text(), which takes either family.")
{
    PU_LOOKUP("::1");
    PU_LOOKUP("::1", "127.0.0.1");
    PU_LOOKUP("2001:db8::1", "192.0.2.1", "::ffff:192.0.2.1");
}

SL_TEST(lookup_every_address_once, 2,
        "Print every address of h.addrs, h.count of them, each once (lk_host_info() has "
        "dropped the repeats): www.lab.example has three in the lab, of both families.")
{
    static const pu_case_t lab[] = {
        {{"www.lab.example", NULL}}, {{"www.lab.example", "mail.lab.example", NULL}},
    };
    pu_lab_t *l = pu_lab_refs(lab, SL_COUNT(lab));

    PU_LOOKUP("127.0.0.1", "::1");
    if (l == NULL)
        return;
    SL_HINT("In the lab, www.lab.example has 192.0.2.10, 192.0.2.11 and 2001:db8::10 (and "
            "192.0.2.10 on two lines): three lines, one per address, in getaddrinfo()'s "
            "order.")
    {
        for (size_t i = 0; i < l->n; i++)
            PU_LOOKUP_LAB(l, i);
    }
}

SL_TEST(lookup_aliases, 2,
        "When the name asked is not the canonical name, first print \"NAME is an alias for "
        "CANONICAL\" (h.alias is then the name), then the addresses under the canonical name.")
{
    static const pu_case_t lab[] = {
        {{"web", NULL}}, {{"www", "mail", NULL}}, {{"WWW.LAB.EXAMPLE", "v6only", NULL}},
    };
    pu_lab_t *l = pu_lab_refs(lab, SL_COUNT(lab));

    PU_LOOKUP("localhost");
    if (l == NULL)
        return;
    SL_HINT("The lab's /etc/hosts has \"192.0.2.10 www.lab.example www web\": lookup web "
            "prints \"web is an alias for www.lab.example\", then \"www.lab.example has "
            "address 192.0.2.10\". A name that is the canonical one (letter case aside) is "
            "no alias.")
    {
        for (size_t i = 0; i < l->n; i++)
            PU_LOOKUP_LAB(l, i);
    }
}

SL_TEST(lookup_family_options, 3,
        "-4 asks lk_host_info() for AF_INET alone, -6 for AF_INET6 alone (no option: "
        "AF_UNSPEC). An address of the other family is an error line, as any name that fails. "
        "No AI_ADDRCONFIG: here it would make -6 ::1 fail.")
{
    static const pu_case_t lab[] = {
        {{"-4", "www", NULL}}, {{"-6", "www", NULL}}, {{"-4", "v6only", "mail", NULL}},
    };
    pu_lab_t *l = pu_lab_refs(lab, SL_COUNT(lab));

    PU_LOOKUP("-6", "::1");
    PU_LOOKUP("-4", "127.0.0.1");
    SL_HINT("-4 ::1 cannot be: lk_host_info() returns EAI_ADDRFAMILY, the program prints "
            "\"lookup: ::1: \" and lk_strerror()'s text on stderr, and exits with status 1.")
    {
        PU_LOOKUP("-4", "::1");
        PU_LOOKUP("-6", "127.0.0.1", "::1");
    }
    cu_answers_quickly("localhost");
    PU_LOOKUP("-6", "localhost");
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        PU_LOOKUP_LAB(l, i);
}

SL_TEST(lookup_unknown_name_goes_on, 3,
        "A name that fails is one line on stderr, \"lookup: NAME: \" and lk_strerror(code, "
        "errno saved at once) (gai_strerror()'s text, not strerror()), and the next name is "
        "looked up all the same; the exit status is then 1.")
{
    static const pu_case_t lab[] = {
        {{"nowhere.lab.example", "web", NULL}},
    };
    pu_lab_t *l = pu_lab_refs(lab, SL_COUNT(lab));

    PU_LOOKUP("localhost");
    cu_answers_quickly("no.such.invalid");
    PU_LOOKUP("no.such.invalid", "localhost");
    SL_HINT("Every name gets its turn: after a failure go on with the next one, and remember "
            "that one failed for the exit status.")
    {
        PU_LOOKUP("localhost", "no.such.invalid", "::1");
        PU_LOOKUP("no-such-host.invalid", "no.such.invalid");
    }
    SL_HINT("An empty name is no name: lk_host_info(\"\") fails, the line is \"lookup: : \" "
            "and its text; never a crash.")
    {
        PU_LOOKUP("", "127.0.0.1");
    }
    if (l == NULL)
        return;
    SL_HINT("In the lab no name server is asked: a name the lab's /etc/hosts lacks is "
            "EAI_NONAME, \"Name or service not known\".")
    {
        PU_LOOKUP_LAB(l, 0);
    }
}

SL_TEST(lookup_reverse, 3,
        "-r ADDRESS...: for each, lk_reverse(); \"ADDRESS has name NAME\", or an error line "
        "\"lookup: ADDRESS: \" and lk_strerror()'s text (an address with no name, a text that "
        "is no address); the exit status 1 if any failed.")
{
    static const pu_case_t lab[] = {
        {{"-r", "192.0.2.11", "2001:db8::25", NULL}}, {{"-r", "192.0.2.99", "198.51.100.7", NULL}},
    };
    pu_lab_t *l = pu_lab_refs(lab, SL_COUNT(lab));

    PU_LOOKUP("-r", "127.0.0.1");
    cu_answers_quickly("localhost");
    SL_HINT("::1 has no name on this machine (no /etc/hosts line), and localhost is no "
            "address (-r takes numbers): both are error lines, and the exit status is 1.")
    {
        PU_LOOKUP("-r", "::1", "127.0.0.1");
        PU_LOOKUP("-r", "localhost");
    }
    if (l == NULL)
        return;
    SL_HINT("In the lab, 192.0.2.11 is www.lab.example and 2001:db8::25 v6only.lab.example; "
            "192.0.2.99 has no name, an error (NI_NAMEREQD), never its own number.")
    {
        for (size_t i = 0; i < l->n; i++)
            PU_LOOKUP_LAB(l, i);
    }
}

SL_TEST(lookup_services, 3,
        "-s SERVICE[/PROTO]...: for each, lk_service_port(SERVICE, PROTO or NULL); "
        "\"SERVICE/PROTO has port N\" (the operand as given), or an error line with "
        "lk_strerror()'s text; the exit status 1 if any failed.")
{
    PU_LOOKUP("-s", "http/tcp");
    PU_LOOKUP("-s", "domain/udp", "ssh", "8080/tcp");
    SL_HINT("ntp is UDP alone: ntp/tcp is an error line (EAI_SERVICE's text), and the next "
            "operand is looked up all the same.")
    {
        PU_LOOKUP("-s", "ntp/tcp", "ntp/udp", "ntp");
        PU_LOOKUP("-s", "no-such-service", "70000/tcp", "http/sctp");
    }
}

SL_TEST(lookup_command_line, 2,
        "lookup [-4|-6] NAME..., lookup -r ADDRESS..., lookup -s SERVICE[/PROTO]...: no "
        "operand, an unknown option, -4 with -6, -r with -s, or -4/-6 with -r or -s is bad "
        "usage: the usage on stderr, nothing on stdout, exit status 2.")
{
    static const char *const none[] = {NULL}, *const unknown[] = {"-x", "localhost", NULL},
                            *const both[] = {"-4", "-6", "localhost", NULL},
                            *const r_alone[] = {"-r", NULL}, *const s_alone[] = {"-s", NULL},
                            *const r_s[] = {"-r", "-s", "http", NULL},
                            *const four_r[] = {"-4", "-r", "127.0.0.1", NULL},
                            *const six_s[] = {"-6", "-s", "http", NULL};

    PU_LOOKUP("localhost");
    pu_bad_usage(none, "no operand");
    pu_bad_usage(unknown, "an unknown option");
    pu_bad_usage(both, "-4 with -6");
    pu_bad_usage(r_alone, "-r and no address");
    pu_bad_usage(s_alone, "-s and no service");
    pu_bad_usage(r_s, "-r with -s");
    pu_bad_usage(four_r, "-4 with -r");
    pu_bad_usage(six_s, "-6 with -s");
}
