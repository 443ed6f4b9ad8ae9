/*
 * The LMDB layout: one environment, these named databases, these key
 * encodings.  Keys that must sort by number are big-endian with the default
 * comparator (no MDB_INTEGERKEY, so the order is the same on every machine);
 * signed day numbers are stored offset by 2^31 so that they sort as unsigned.
 * Values are native-endian: they never leave the machine.
 *
 *   evlog      seq (u64 BE) -> event, msgpack as received
 *   ids        event id -> seq (u64)
 *   timeline   child 0x00 day(u32 BE) rank(u8) id -> seq (u64)
 *   retracted  target event id 0x00 retraction id -> "" (retract.c)
 *   children   child -> "" (counted by mdb_stat)
 *   contrib    owner ("c" 0x00 child | "g" 0x00 group) -> points (series.h)
 *   members    group 0x00 child -> day (i32), flags (i64)
 *   buckets    series 0x00 'M' month(u32 BE) -> the month record, varints
 *              (series.h): total, a bitmap of its days with a count (bit
 *              d - 1 for day d), those counts in day order
 *              series 0x00 'Y' year(u32 BE) -> count (i64)
 *   intervals  series 0x00 day(u32 BE) until(u32 BE) -> count (i64)
 *   opens      series 0x00 month(u32 BE) until month(u32 BE; OPEN_NEVER
 *              while open) -> a month record, as in buckets, of the
 *              intervals that start in the month by the day they end
 *              (day 1 while open): the intervals again, by month, so
 *              that a window's whole months are counted a cell a month
 *              rather than an interval at a time (buckets.c, reader_open)
 *   meta       "schema" -> SCHEMA_VERSION (u32)
 *
 * Breaches (deadlines.c):
 *   deadlines month(u32 BE) child 0x00 series 0x00 deadline(u32 BE)
 *             start(u32 BE) -> resolved (i32; DAY_NEVER while open); a
 *             projection; month is the deadline's
 *   breaches  seq (u64 BE) -> struct store_breach; never emptied
 *   bmarks    kind(u8) series 0x00 child 0x00 deadline(u32 BE) -> seq
 *             (u64 BE): raised once ever; never emptied
 *
 * Months are date_month_index().  A count that comes back to zero is
 * deleted (a day from its month record, a month record with no day left),
 * so a rebuilt store equals the incremental one key for key.
 *
 * A store of an older SCHEMA_VERSION, from SCHEMA_REBUILDS_FROM on, differs
 * only in its projections: store_open() empties them and rebuilds them
 * from the log, which it keeps as it is.  Any other version is refused at
 * open (IRK_EVERSION).  A change to the log's own databases (evlog, ids,
 * timeline, retracted, children, breaches, bmarks) must move
 * SCHEMA_REBUILDS_FROM up to the new version.
 */
#ifndef IRK_SCHEMA_H
#define IRK_SCHEMA_H

#include <stdint.h>
#include <string.h>

/* 2: compact contrib points; 3: month records; 4: deadlines by month;
 * 5: intervals by month (opens) */
#define SCHEMA_VERSION       5
#define SCHEMA_REBUILDS_FROM 3
#define STORE_MAXDBS         16

#define GRAIN_MONTH 'M'
#define GRAIN_YEAR  'Y'
#define OPEN_NEVER  UINT32_MAX /* an opens key's until month while open */

static inline void
be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline uint32_t
be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
be64_put(unsigned char *p, uint64_t v)
{
	be32_put(p, (uint32_t)(v >> 32));
	be32_put(p + 4, (uint32_t)v);
}

static inline uint64_t
be64_get(const unsigned char *p)
{
	return (uint64_t)be32_get(p) << 32 | be32_get(p + 4);
}

/* LMDB's default order of keys: memcmp(), then the shorter first. */
static inline int
key_order(const void *a, size_t alen, const void *b, size_t blen)
{
	int c = alen && blen ? memcmp(a, b, alen < blen ? alen : blen) : 0;

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* A signed day as an unsigned, order-preserving key part. */
static inline uint32_t
day_key(int32_t day)
{
	return (uint32_t)day ^ 0x80000000u;
}

static inline int32_t
day_unkey(uint32_t k)
{
	return (int32_t)(k ^ 0x80000000u);
}

#endif
