/**
 * @file sl_test.h
 * @brief Writing socklab tests: tasks, tests with points, hints and
 *        timeouts, and checks that say what was expected and what came.
 *
 * A lesson's tests live in `lessons/NN-topic/tests/ *.c`. Each file first
 * names the task of the lesson its tests belong to, then declares them:
 *
 * @code
 * SL_TASK(3, "host:port");
 *
 * SL_TEST(parse_rejects_empty, 1,
 *         "An empty string holds no address: return -1 and set errno to EINVAL.")
 * {
 *     struct sockaddr_storage ss;
 *     socklen_t len;
 *     SL_ASSERT_FAILS_WITH(addr_parse("", &ss, &len), EINVAL);
 * }
 * @endcode
 *
 * A file whose tests only drive the lesson's programs (over sockets, as
 * separate processes) declares SL_TASK_PROGRAMS() instead: its tests then
 * run in a binary that holds no student code at all.
 *
 * Inside a test use the SL_ASSERT_* and SL_CHECK_* checks below (or any
 * CUnit assertion). Every test runs in a process of its own, started by the
 * grader's driver, so a test may crash, hang or call exit() without harming
 * the others; it passes only if its body returns with no failed check.
 */
#ifndef SL_TEST_H
#define SL_TEST_H

#include <errno.h>
#include <stddef.h>

#include <CUnit/CUnit.h>

/** Default wall-clock limit of one test, in milliseconds. */
#define SL_DEFAULT_TIMEOUT_MS 3000

/** The task of a lesson that a file's tests belong to (see SL_TASK()). */
typedef struct sl_task {
    int number;         /**< the task's number in the lesson's README */
    const char *title;  /**< its title, as the README gives it */
    int programs;       /**< 1: the tests drive programs and load no student code */
    int hidden;         /**< 1: a teacher's hidden test (hidden/NN-topic/), not handed out */
} sl_task_t;

/** 1 in a file of hidden tests: the build of hidden/NN-topic/ sets it. */
#ifndef SL_HIDDEN_FILE
#define SL_HIDDEN_FILE 0
#endif

/** One test as the grader sees it. Filled in by SL_TEST(); do not build by hand. */
typedef struct sl_test {
    const char *name;       /**< identifier, unique within the lesson */
    int points;             /**< what passing it is worth */
    int timeout_ms;         /**< wall-clock limit; 0 means SL_DEFAULT_TIMEOUT_MS */
    const char *hint;       /**< one or two sentences that help a student who fails it */
    int solo;               /**< run with no other test beside it */
    const sl_task_t *task;  /**< the task it belongs to */
    void (*body)(void);     /**< the test itself */
    const char *file;       /**< where it is declared */
    int line;               /**< where it is declared */
    struct sl_test *next;   /**< registry link */
} sl_test_t;

/**
 * @brief Names the task of the lesson that the tests of this file belong
 *        to. Once per file, before its first test.
 * @param number_ the task's number, as in the lesson's README ("Task 3").
 * @param title_ the task's title, as in the README.
 */
#define SL_TASK(number_, title_)                                              \
    __attribute__((unused)) static const sl_task_t sl_task_ = {(number_), (title_), 0,   \
                                                               SL_HIDDEN_FILE}

/**
 * @brief Like SL_TASK(), for a file whose tests only drive the lesson's
 *        programs: they run with no student code in the test process, and
 *        may not call a function of the lesson's header.
 * @param number_ the task's number.
 * @param title_ the task's title.
 */
#define SL_TASK_PROGRAMS(number_, title_)                                     \
    __attribute__((unused)) static const sl_task_t sl_task_ = {(number_), (title_), 1,   \
                                                               SL_HIDDEN_FILE}

/**
 * @brief Adds a test to the lesson's registry (called by SL_TEST() before main).
 * @param t the test; must live for the whole run.
 */
void sl_register(sl_test_t *t);

/**
 * @brief The registered tests, sorted by file then line.
 * @param count set to the number of tests.
 * @return an array of @p count pointers, owned by the registry.
 */
sl_test_t **sl_tests(size_t *count);

/** @brief What SL_TEST(), SL_TEST_TIMEOUT() and SL_TEST_SOLO() expand to. */
#define SL_TEST_DECLARE(name_, points_, timeout_ms_, hint_, solo_)            \
    static void sl_body_##name_(void);                                       \
    static sl_test_t sl_desc_##name_ = {#name_, (points_), (timeout_ms_),    \
        (hint_), (solo_), &sl_task_, sl_body_##name_, __FILE__, __LINE__,    \
        NULL};                                                                \
    __attribute__((constructor)) static void sl_reg_##name_(void)            \
    {                                                                         \
        sl_register(&sl_desc_##name_);                                       \
    }                                                                         \
    static void sl_body_##name_(void)

/**
 * @brief Declares a test with the default timeout.
 * @param name_ identifier of the test (a C identifier, shown to students).
 * @param points_ points the test is worth (more than 0).
 * @param hint_ a hint shown when it fails.
 */
#define SL_TEST(name_, points_, hint_) SL_TEST_DECLARE(name_, points_, 0, hint_, 0)

/**
 * @brief Declares a test with a timeout of its own.
 * @param name_ identifier of the test.
 * @param points_ points the test is worth.
 * @param timeout_ms_ wall-clock limit in milliseconds.
 * @param hint_ a hint shown when it fails.
 */
#define SL_TEST_TIMEOUT(name_, points_, timeout_ms_, hint_)                   \
    SL_TEST_DECLARE(name_, points_, timeout_ms_, hint_, 0)

/**
 * @brief Declares a test that runs alone: no other test of the lesson runs
 *        while it does. For tests that load the machine (many processes,
 *        connections or bytes) and would disturb, or be disturbed by, others.
 *        It may open 16384 descriptors (the others 4096), or as many as the
 *        machine's hard limit allows when that is lower.
 * @param name_ identifier of the test.
 * @param points_ points the test is worth.
 * @param timeout_ms_ wall-clock limit in milliseconds (0: the default).
 * @param hint_ a hint shown when it fails.
 */
#define SL_TEST_SOLO(name_, points_, timeout_ms_, hint_)                      \
    SL_TEST_DECLARE(name_, points_, timeout_ms_, hint_, 1)

/* ---- the lesson's settings ------------------------------------------------ */

/**
 * @brief Records a setting of the lesson (called by the SL_LESSON_*()
 *        macros before main).
 * @param key "errno-hints", "sanitizer-hint" or "needs".
 * @param kind for a sanitizer hint, the kind of finding; for "needs", the
 *        test's name; else NULL.
 * @param value "0" for errno hints; the hint's text; the tool a test needs.
 */
void sl_lesson_set(const char *key, const char *kind, const char *value);

/** @brief A unique name for a file-scope declaration of the macros below. */
#define SL_LESSON_NAME_(line_) SL_LESSON_NAME2_(line_)
/** @brief SL_LESSON_NAME_() once its argument is expanded (__LINE__ to a number). */
#define SL_LESSON_NAME2_(line_) sl_lesson_setting_##line_

/**
 * @brief Says that test @p test_ runs program @p tool_ (found on PATH):
 *        where it is not installed, the grader does not run the test and
 *        its verdict is "skipped", with a note that names the tool; its
 *        points then count neither way (not in the score, not in the
 *        maximum). The driver decides it before the test starts, so no
 *        code under test can make a test skipped. After the test, at file
 *        scope.
 * @code
 * SL_TEST(get_from_python_http_server, 3, "...") { ... }
 * SL_TEST_NEEDS(get_from_python_http_server, "python3");
 * @endcode
 */
#define SL_TEST_NEEDS(test_, tool_)                                           \
    __attribute__((constructor)) static void SL_LESSON_NAME_(__LINE__)(void)  \
    {                                                                         \
        sl_lesson_set("needs", #test_, (tool_));                              \
    }                                                                         \
    struct sl_lesson_semicolon_

/**
 * @brief Lesson-wide, once in any test file of the lesson: no errno hints.
 *
 * When a test fails because a step failed with an errno (the harness's
 * connect() refused, a program that said "NAME: bind: Address already in
 * use"), the grader adds that errno's usual cause to the hint. A lesson
 * whose tests open no socket (name lookup, say) may find those causes
 * beside the point: this turns them off for all its tests.
 */
#define SL_LESSON_NO_ERRNO_HINTS()                                           \
    __attribute__((constructor)) static void SL_LESSON_NAME_(__LINE__)(void)  \
    {                                                                         \
        sl_lesson_set("errno-hints", NULL, "0");                              \
    }                                                                         \
    struct sl_lesson_semicolon_

/**
 * @brief Lesson-wide, once per kind in any test file of the lesson: the
 *        hint a sanitizer's finding of that kind carries in this lesson,
 *        instead of the grader's general one. Kinds: "leak", "overflow" (a
 *        read or write past a buffer), "use-after-free", "bad-free" (a
 *        double free, or a free of what malloc() did not give), "segv" (a
 *        bad pointer followed), "stack-overflow", "undefined" (UBSan);
 *        under SAN=thread "data-race", "signal-unsafe" (a call in a
 *        handler that signal-safety(7) does not allow) and "deadlock".
 * @code
 * SL_LESSON_SANITIZER_HINT("leak", "Every list getaddrinfo() returns is freed "
 *                          "with freeaddrinfo(), on every path.");
 * @endcode
 * @param kind_ the kind of finding.
 * @param text_ the hint.
 */
#define SL_LESSON_SANITIZER_HINT(kind_, text_)                                \
    __attribute__((constructor)) static void SL_LESSON_NAME_(__LINE__)(void)  \
    {                                                                         \
        sl_lesson_set("sanitizer-hint", (kind_), (text_));                    \
    }                                                                         \
    struct sl_lesson_semicolon_

/* ---- the test's own time ------------------------------------------------- */

/** @brief When this test began, on the clock of clk_now() (CLOCK_MONOTONIC). */
double sl_test_started(void);

/**
 * @brief When the grader will stop this test (its timeout), on the same
 *        clock; checks that wait should give up a little before it.
 */
double sl_test_deadline(void);

/* ---- hints of their own ------------------------------------------------- */

/**
 * @brief Sets the hint that failures recorded from now on carry; NULL for
 *        none (the test's own hint). Used by SL_HINT().
 * @param hint the hint, a string that outlives the checks.
 * @return the hint that was set before.
 */
const char *sl_hint_set(const char *hint);

/** @brief The hint SL_HINT() has set now, or NULL. */
const char *sl_hint_now(void);

/**
 * @brief Gives the checks in the block after it a hint of their own, shown
 *        instead of the test's hint when one of them is the test's first
 *        failure (or when a sanitizer ends the test inside the block):
 *
 * @code
 * SL_HINT("The port is 16 bits: 65536 and above do not fit, and must be "
 *         "refused with EINVAL rather than wrap around to 0.")
 * {
 *     SL_ASSERT_FAILS_WITH(addr_parse("127.0.0.1:65536", &ss, &len), EINVAL);
 * }
 * @endcode
 * @param text_ the hint.
 */
#define SL_HINT(text_)                                                        \
    for (const char *sl_prev_ = sl_hint_set(text_), *sl_once_ = "";         \
         sl_once_; sl_hint_set(sl_prev_), sl_once_ = NULL)

/* ---- the checks --------------------------------------------------------- */

/**
 * @brief Records a failure with a formatted message at a given place.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test here (like CU_ASSERT_FATAL).
 * @param fmt printf-style message: say what was expected and what came.
 */
void sl_fail_at(const char *file, int line, int fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * @brief Like sl_fail_at(), for a failure whose cause is errno @p err: a
 *        step of the test failed with it (a connect() refused, a program
 *        that said "echo-server: bind: Address already in use"). The
 *        grader then adds that errno's usual cause to the hint. Not for an
 *        errno that is data a check compares: use sl_fail_at() for those.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test here.
 * @param err the errno of the step that failed (0: none, as sl_fail_at()).
 * @param fmt printf-style message.
 */
void sl_fail_errno_at(const char *file, int line, int fatal, int err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/**
 * @brief Compares two byte strings; on a mismatch records where they first
 *        differ and both sides around it: as quoted text when both are
 *        text (whole up to 200 bytes, with sl_text_difference()'s words
 *        on a line of their own), else as hex bytes (`expected 12 34, got
 *        34 12`).
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what what was checked, in words or as written.
 * @param got the bytes that came (NULL for none).
 * @param got_len how many.
 * @param want the bytes expected (NULL for none).
 * @param want_len how many.
 * @return 1 if equal, 0 if not (a failure has then been recorded).
 */
int sl_check_bytes(const char *file, int line, int fatal, const char *what,
                   const void *got, size_t got_len,
                   const void *want, size_t want_len);

/**
 * @brief Compares two NUL-terminated strings (either may be NULL) like
 *        sl_check_bytes().
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what what was checked.
 * @param got the string that came, or NULL.
 * @param want the string expected, or NULL.
 * @return 1 if equal, 0 if not.
 */
int sl_check_str(const char *file, int line, int fatal, const char *what,
                 const char *got, const char *want);

/**
 * @brief Compares two integers; on a mismatch records both values.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what what was checked.
 * @param got the value that came.
 * @param want the value expected.
 * @return 1 if equal, 0 if not.
 */
int sl_check_int(const char *file, int line, int fatal, const char *what,
                 long long got, long long want);

/**
 * @brief Checks that a call failed with -1 and the given errno.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what the call, in words or as written.
 * @param ret what the call returned.
 * @param err the errno it left.
 * @param want_err the errno it should have left.
 * @return 1 if so, 0 if not.
 */
int sl_check_fails(const char *file, int line, int fatal, const char *what,
                   long long ret, int err, int want_err);

/**
 * @brief Ends the test unless a call on valid input returned @p want.
 *
 * A test of rejections first requires that the function gives the right
 * answer on a valid input of the same kind: otherwise a function that
 * rejects everything would pass it. The message says so.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param what the call, in words or as written.
 * @param got what it returned.
 * @param err the errno it left.
 * @param want what it must return.
 */
void sl_require(const char *file, int line, const char *what, long long got,
                int err, long long want);

/** @brief The symbolic name of an errno value ("EINVAL"), or NULL. */
const char *sl_errno_name(int err);

/**
 * @brief Where two texts first differ, in words that find it: `differs at
 *        column 30: expected end of line, got ' ' (a trailing space)`, with
 *        `line L, ` in front when either text has several lines. Spaces,
 *        tabs, carriage returns and the end of a line are named, not shown.
 *
 * sl_check_bytes() and sl_check_str() say it under a mismatch of text; a
 * test that compares text its own way (line by line, say) can add it to
 * its message.
 * @param got the text that came.
 * @param got_len its length.
 * @param want the text expected.
 * @param want_len its length.
 * @param out where to write; "" when the texts are equal.
 * @param outsz its size (120 bytes hold any answer).
 * @return @p out.
 */
const char *sl_text_difference(const void *got, size_t got_len, const void *want,
                               size_t want_len, char *out, size_t outsz);

/* ---- a library function prints nothing ----------------------------------- */

/**
 * @brief Points the test's stderr (descriptor 2) at a pipe of its own, so
 *        that sl_stderr_capture_end() can tell whether the code called in
 *        between printed. One capture at a time. A TODO(), an exit(), a
 *        sanitizer or a fatal signal that ends the test inside gives what
 *        was caught (a sanitizer's report) back to the real stderr.
 * @return 0, or -1 if it could not (a capture runs already, no pipe): then
 *         nothing is checked.
 */
int sl_stderr_capture_begin(void);

/**
 * @brief Puts the real stderr back and, if @p func printed anything since
 *        sl_stderr_capture_begin(), records the failure "FUNC printed to
 *        stderr: a library function returns -1 with errno and prints
 *        nothing (it printed "...")", with a hint of its own. A sanitizer's
 *        report goes through to the real stderr instead: it is the
 *        sanitizer's to tell. errno is kept as the call left it.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param func the call, in words or as written.
 * @return 1 if it printed nothing (or no capture ran), 0 if it printed.
 */
int sl_stderr_capture_end(const char *file, int line, const char *func);

/**
 * @brief Evaluates @p expr with the test's stderr captured, assigns its
 *        value to @p ret, and records a failure if it printed (DESIGN §6:
 *        a library function returns its errors, it never prints them).
 *        errno after it is the call's.
 * @code
 * int fd;
 * SL_QUIET_CALL(fd, udp_bind("127.0.0.1", "99999"));
 * SL_CHECK_FAILS("udp_bind(port 99999)", fd, errno, EINVAL);
 * @endcode
 */
#define SL_QUIET_CALL(ret, expr)                                              \
    do {                                                                      \
        sl_stderr_capture_begin();                                            \
        (ret) = (expr);                                                       \
        sl_stderr_capture_end(__FILE__, __LINE__, #expr);                     \
    } while (0)

/** @brief Records a failure with a printf-style message; the test goes on. */
#define SL_FAIL(...) sl_fail_at(__FILE__, __LINE__, 0, __VA_ARGS__)

/** @brief Records a failure with a printf-style message and ends the test. */
#define SL_FAIL_FATAL(...) sl_fail_at(__FILE__, __LINE__, 1, __VA_ARGS__)

/** @brief Two NUL-terminated strings are equal (NULL is shown as such). */
#define SL_ASSERT_STR_EQ(got, want)                                           \
    sl_check_str(__FILE__, __LINE__, 0, #got, (got), (want))

/** @brief Two byte ranges are equal; shows where they first differ. */
#define SL_ASSERT_BYTES_EQ(got, got_len, want, want_len)                      \
    sl_check_bytes(__FILE__, __LINE__, 0, #got, (got), (got_len), (want),   \
                   (want_len))

/** @brief Two integers are equal; shows both values. */
#define SL_ASSERT_INT_EQ(got, want)                                           \
    sl_check_int(__FILE__, __LINE__, 0, #got, (long long)(got),             \
                 (long long)(want))

/** @brief Like SL_ASSERT_INT_EQ() but ends the test on a mismatch. */
#define SL_ASSERT_INT_EQ_FATAL(got, want)                                     \
    sl_check_int(__FILE__, __LINE__, 1, #got, (long long)(got),             \
                 (long long)(want))

/**
 * @brief The call @p expr returns -1 and sets errno to @p err.
 *
 * errno is cleared before the call, so a stale value cannot pass.
 */
#define SL_ASSERT_FAILS_WITH(expr, err)                                       \
    do {                                                                      \
        errno = 0;                                                            \
        long long sl_ret_ = (long long)(expr);                                \
        int sl_err_ = errno;                                                  \
        sl_check_fails(__FILE__, __LINE__, 0, #expr, sl_ret_, sl_err_, (err)); \
    } while (0)

/** @brief Strings equal; @p what names the call in words, e.g.
 *  `addr_format(127.0.0.1:80)`. */
#define SL_CHECK_STR(what, got, want)                                         \
    sl_check_str(__FILE__, __LINE__, 0, (what), (got), (want))

/** @brief Byte ranges equal; @p what names the call in words. */
#define SL_CHECK_BYTES(what, got, got_len, want, want_len)                    \
    sl_check_bytes(__FILE__, __LINE__, 0, (what), (got), (got_len), (want), \
                   (want_len))

/** @brief Integers equal; @p what names the call in words. */
#define SL_CHECK_INT(what, got, want)                                         \
    sl_check_int(__FILE__, __LINE__, 0, (what), (long long)(got),           \
                 (long long)(want))

/** @brief A call that returned @p ret leaving errno @p err should have
 *  failed with @p want; @p what names the call in words. */
#define SL_CHECK_FAILS(what, ret, err, want)                                  \
    sl_check_fails(__FILE__, __LINE__, 0, (what), (long long)(ret), (err),  \
                   (want))

/** @brief The call (on valid input) must return @p want, or the test ends. */
#define SL_REQUIRE(call, want)                                                \
    do {                                                                      \
        errno = 0;                                                            \
        long long sl_ret_ = (long long)(call);                                \
        sl_require(__FILE__, __LINE__, #call, sl_ret_, errno, (want));       \
    } while (0)

/** @brief The call (on valid input) must succeed, returning 0, or the test ends. */
#define SL_REQUIRE_OK(call) SL_REQUIRE(call, 0)

/** @brief Number of elements of an array. */
#define SL_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
