/**
 * @file hints.h
 * @brief What an errno in a verdict usually means, for the student: a
 *        line added to the test's hint when its message names one.
 */
#ifndef SL_HINTS_H
#define SL_HINTS_H

/**
 * @brief The usual cause of the first errno that @p message names (by its
 *        symbol, "ECONNREFUSED", or its text, "Connection refused").
 * @return a sentence ("ECONNREFUSED (Connection refused): nothing listens
 *         ..."), or NULL when the message names none.
 */
const char *hint_for_errno(const char *message);

#endif
