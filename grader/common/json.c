/* json.c - jansson helpers shared by results and reports (see json.h). */
#include "json.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int jsn_set(json_t *obj, const char *key, json_t *v)
{
    if (!obj) {
        json_decref(v);
        return -1;
    }
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

json_t *jsn_str(const char *s)
{
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (j)
        return j;
    char *clean = txt_clean(s, strlen(s));
    if (!clean)
        return NULL;
    j = json_string(clean);
    free(clean);
    return j;
}

json_t *jsn_take(char *s)
{
    json_t *j = s ? jsn_str(s) : NULL;
    free(s);
    return j;
}

json_t *jsn_secs(double s)
{
    if (!isfinite(s) || s <= 0 || s > 1e9)
        return json_real(0.0);
    /* 0 < s <= 1e9: the cast rounds down, as floor() would, without libm */
    return json_real((double)(long long)(s * 1000 + 0.5) / 1000);
}
