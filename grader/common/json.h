/**
 * @file json.h
 * @brief The few jansson helpers the results file and the reports share.
 */
#ifndef SL_JSON_H
#define SL_JSON_H

#include <jansson.h>

/** Reals as short as they can be: 0.84, not 0.83999999999999997. */
#define JSN_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(9))

/**
 * @brief Sets obj[key] = v, taking v.
 * @return 0, or -1 (v dropped) on failure, including v NULL.
 */
int jsn_set(json_t *obj, const char *key, json_t *v);

/** @brief A JSON string of @p s: "" for NULL, cleaned if not valid UTF-8. */
json_t *jsn_str(const char *s);

/** @brief A JSON string of a malloc'd @p s, which it frees; NULL for NULL. */
json_t *jsn_take(char *s);

/** @brief Seconds, rounded to the millisecond; 0 for NaN, negative or huge values. */
json_t *jsn_secs(double s);

#endif
