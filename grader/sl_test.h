/**
 * @file sl_test.h
 * @brief Writing socklab tests: CUnit assertions plus points, hints and
 *        timeouts declared next to each test.
 *
 * A lesson's tests live in `lessons/NN-topic/tests/ *.c`. Each test is
 * declared once, with everything the grader needs to know about it:
 *
 * @code
 * SL_TEST(parse_rejects_empty, 1,
 *         "An empty string holds no address: return -1 and set errno to EINVAL.")
 * {
 *     struct sockaddr_storage ss;
 *     SL_ASSERT_FAILS_WITH(addr_parse("", &ss), EINVAL);
 * }
 * @endcode
 *
 * Inside a test use any CUnit assertion (`CU_ASSERT`, `CU_ASSERT_FATAL`, ...)
 * or the SL_ASSERT_* macros below, which say what was expected and what came.
 * Every test runs in a process of its own (see grader/runner.c), so a test may
 * crash, hang or call exit() without harming the others.
 */
#ifndef SL_TEST_H
#define SL_TEST_H

#include <stddef.h>

#include <CUnit/CUnit.h>

/** Default wall-clock limit of one test, in milliseconds. */
#define SL_DEFAULT_TIMEOUT_MS 3000

/** One test as the grader sees it. Filled in by SL_TEST(); do not build by hand. */
typedef struct sl_test {
    const char *name;       /**< identifier, unique within the lesson */
    int points;             /**< what passing it is worth */
    int timeout_ms;         /**< wall-clock limit; 0 means SL_DEFAULT_TIMEOUT_MS */
    const char *hint;       /**< one or two sentences that help a student who fails it */
    int solo;               /**< run with no other test beside it */
    void (*body)(void);     /**< the test itself: CUnit assertions */
    const char *file;       /**< where it is declared */
    int line;               /**< where it is declared */
    struct sl_test *next;   /**< registry link */
} sl_test_t;

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

/**
 * @brief Declares a test with a timeout of its own.
 * @param name_ identifier of the test (a C identifier, shown to students).
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
 * @param name_ identifier of the test.
 * @param points_ points the test is worth.
 * @param timeout_ms_ wall-clock limit in milliseconds (0: the default).
 * @param hint_ a hint shown when it fails.
 */
#define SL_TEST_SOLO(name_, points_, timeout_ms_, hint_)                      \
    SL_TEST_DECLARE(name_, points_, timeout_ms_, hint_, 1)

/** @brief What SL_TEST(), SL_TEST_TIMEOUT() and SL_TEST_SOLO() expand to. */
#define SL_TEST_DECLARE(name_, points_, timeout_ms_, hint_, solo_)            \
    static void sl_body_##name_(void);                                       \
    static sl_test_t sl_desc_##name_ = {#name_, (points_), (timeout_ms_),    \
        (hint_), (solo_), sl_body_##name_, __FILE__, __LINE__, NULL};        \
    __attribute__((constructor)) static void sl_reg_##name_(void)            \
    {                                                                         \
        sl_register(&sl_desc_##name_);                                       \
    }                                                                         \
    static void sl_body_##name_(void)

/**
 * @brief Declares a test with the default timeout.
 * @param name_ identifier of the test.
 * @param points_ points the test is worth.
 * @param hint_ a hint shown when it fails.
 */
#define SL_TEST(name_, points_, hint_) SL_TEST_TIMEOUT(name_, points_, 0, hint_)

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
 * @brief Compares two byte strings; on a mismatch records the offset of the
 *        first difference and both sides, escaped, around it.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what the expression checked, as written.
 * @param got the bytes that came (NULL with length (size_t)-1 for none).
 * @param got_len how many.
 * @param want the bytes expected (NULL with length (size_t)-1 for none).
 * @param want_len how many.
 * @return 1 if equal, 0 if not (a failure has then been recorded).
 */
int sl_check_bytes(const char *file, int line, int fatal, const char *what,
                   const void *got, size_t got_len,
                   const void *want, size_t want_len);

/**
 * @brief Compares two integers; on a mismatch records both values.
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what the expression checked, as written.
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
 * @param what the call, as written.
 * @param ret what the call returned.
 * @param err the errno it left.
 * @param want_err the errno it should have left.
 * @return 1 if so, 0 if not.
 */
int sl_check_fails(const char *file, int line, int fatal, const char *what,
                   long long ret, int err, int want_err);

/** @brief Records a failure with a printf-style message; the test goes on. */
#define SL_FAIL(...) sl_fail_at(__FILE__, __LINE__, 0, __VA_ARGS__)

/** @brief Records a failure with a printf-style message and ends the test. */
#define SL_FAIL_FATAL(...) sl_fail_at(__FILE__, __LINE__, 1, __VA_ARGS__)

/** @brief Two NUL-terminated strings are equal (NULL is shown as such). */
#define SL_ASSERT_STR_EQ(got, want)                                           \
    sl_check_str(__FILE__, __LINE__, 0, #got, (got), (want))

/** @brief Two byte ranges are equal; shows the first differing offset. */
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

/**
 * @brief Compares two NUL-terminated strings (either may be NULL) like
 *        sl_check_bytes().
 * @param file source file of the check.
 * @param line source line of the check.
 * @param fatal non-zero to end the test on a mismatch.
 * @param what the expression checked, as written.
 * @param got the string that came, or NULL.
 * @param want the string expected, or NULL.
 * @return 1 if equal, 0 if not.
 */
int sl_check_str(const char *file, int line, int fatal, const char *what,
                 const char *got, const char *want);

#include <errno.h>

#endif
