/*
 * The series the facts write and the KPIs read, in one place so that the two
 * sides cannot drift apart.  A trailing ':' marks a prefix that a breakdown
 * value completes ("lac.review_timeliness:late_reason:" + reason).
 */
#ifndef IRK_SERIES_NAMES_H
#define IRK_SERIES_NAMES_H

/* lac.review_timeliness */
#define S_LAC_REVIEWS         "lac.review_timeliness:reviews"
#define S_LAC_REVIEWS_TIMELY  "lac.review_timeliness:reviews_timely"
#define S_LAC_MEETINGS        "lac.review_timeliness:meetings"
#define S_LAC_MEETINGS_TIMELY "lac.review_timeliness:meetings_timely"
#define S_LAC_LATE_BY_NUMBER  "lac.review_timeliness:late:"
#define S_LAC_LATE_BY_REASON  "lac.review_timeliness:late_reason:"
#define S_LAC_DUE             "lac.review_timeliness:due"
#define G_LAC_MEETING         "lac.review_timeliness:meeting:"

/* cp.repeat_plans */
#define S_CP_PLANS        "cp.repeat_plans:plans"
#define S_CP_REPEAT       "cp.repeat_plans:repeat"
#define S_CP_REPEAT_SINCE "cp.repeat_plans:since:"
#define S_CP_REPEAT_AGE   "cp.repeat_plans:age:"

/* Member flag: this child's review in the meeting was late. */
#define MEMBER_LATE 1
/* Member flag: always set, so that a timely member is not a zero. */
#define MEMBER_SEEN 2

#endif
