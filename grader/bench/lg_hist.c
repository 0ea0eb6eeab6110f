/* lg_hist.c - the latency histogram of the load generator (see lg.h).
 *
 * Values below 64 ns have a bucket each; above, each power of two is cut
 * in 32 buckets, so a bucket is at most 1/32 of its value wide, as in
 * HdrHistogram with two significant binary digits more. 1184 buckets
 * reach 2^41 ns (36 minutes); larger values land in the last. */
#include "lg.h"

#include <string.h>

#define LG_EXACT 64u                       /* values with a bucket each */
#define LG_SUB 32u                         /* buckets per power of two */
#define LG_BUCKETS (sizeof ((lg_hist_t *)0)->bucket / sizeof(uint64_t))

static unsigned top_bit(uint64_t v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

static size_t bucket_of(uint64_t ns)
{
    unsigned e;
    size_t i;

    if (ns < LG_EXACT)
        return (size_t)ns;
    e = top_bit(ns);                       /* 6 or more */
    i = LG_EXACT + (size_t)(e - 6) * LG_SUB + (size_t)((ns >> (e - 5)) & (LG_SUB - 1));
    return i < LG_BUCKETS ? i : LG_BUCKETS - 1;
}

/* The largest value bucket i holds. */
static uint64_t upper_edge(size_t i)
{
    unsigned e;
    uint64_t sub;

    if (i < LG_EXACT)
        return i;
    e = (unsigned)((i - LG_EXACT) / LG_SUB) + 6;
    sub = (i - LG_EXACT) % LG_SUB;
    return ((LG_SUB + sub) << (e - 5)) + ((uint64_t)1 << (e - 5)) - 1;
}

void lg_hist_reset(lg_hist_t *h)
{
    memset(h, 0, sizeof *h);
}

void lg_hist_add(lg_hist_t *h, uint64_t ns)
{
    h->bucket[bucket_of(ns)]++;
    h->count++;
    if (ns > h->max_ns)
        h->max_ns = ns;
}

uint64_t lg_hist_percentile(const lg_hist_t *h, double p)
{
    uint64_t want, seen = 0;
    size_t i;

    if (h->count == 0)
        return 0;
    want = (uint64_t)(p * (double)h->count + 0.5);
    if (want < 1)
        want = 1;
    for (i = 0; i < LG_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= want)
            return upper_edge(i) < h->max_ns ? upper_edge(i) : h->max_ns;
    }
    return h->max_ns;
}
