/*
 * The series the facts write and the KPIs read, one header per area of the
 * catalogue, so that the two sides cannot drift apart.  A trailing ':'
 * marks a prefix that a breakdown value completes
 * ("lac.review_timeliness:late_reason:" + reason).  Names start with the KPI
 * id they serve; series shared by several KPIs start with the area
 * ("lac:", "cp:").
 */
#ifndef IRK_SERIES_NAMES_H
#define IRK_SERIES_NAMES_H

#include "domain/series_cp.h"
#include "domain/series_lac.h"
#include "domain/series_qa.h"

/* Member flag: this child's item in the group (meeting) was late. */
#define MEMBER_LATE 1
/* Member flag: always set, so that a timely member is not a zero. */
#define MEMBER_SEEN 2

#endif
