/* addressing.c - Task 1 of lesson 01 done the way that only looks right:
 * a plain byte swap, which ignores the host's byte order. On this
 * little-endian machine it passes every test of the lesson; on s390x
 * (grader/scripts/bigendian.sh) it must fail. The other tasks are left
 * out: the big-endian checker calls only these four. */
#include "addressing.h"

uint16_t addr_htons(uint16_t host)
{
    return (uint16_t)(host << 8 | host >> 8);
}

uint32_t addr_htonl(uint32_t host)
{
    return (host << 24) | ((host << 8) & 0x00ff0000u) | ((host >> 8) & 0x0000ff00u) | (host >> 24);
}

uint16_t addr_ntohs(uint16_t net)
{
    return addr_htons(net);
}

uint32_t addr_ntohl(uint32_t net)
{
    return addr_htonl(net);
}
