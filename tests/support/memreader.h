/*
 * A series reader over an in-memory list of points: the KPI code's view of
 * the projections without LMDB, for unit and property tests.  Linear scans;
 * fine for test sizes.
 */
#ifndef IRK_MEMREADER_H
#define IRK_MEMREADER_H

#include "domain/kpi.h"
#include "domain/series.h"

/* r reads ps (borrowed; bucket and interval points, any order). */
void memreader_init(struct series_reader *r, const struct points *ps);

#endif
