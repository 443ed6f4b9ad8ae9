/* Series of the lac.* KPIs (facts_lac.c writes, kpi_lac.c reads). */
#ifndef IRK_SERIES_LAC_H
#define IRK_SERIES_LAC_H

/* lac.review_timeliness */
#define S_LAC_REVIEWS         "lac.review_timeliness:reviews"
#define S_LAC_REVIEWS_TIMELY  "lac.review_timeliness:reviews_timely"
#define S_LAC_MEETINGS        "lac.review_timeliness:meetings"
#define S_LAC_MEETINGS_TIMELY "lac.review_timeliness:meetings_timely"
#define S_LAC_LATE_BY_NUMBER  "lac.review_timeliness:late:"
#define S_LAC_LATE_BY_REASON  "lac.review_timeliness:late_reason:"
#define S_LAC_DUE             "lac.review_timeliness:due"
#define G_LAC_MEETING         "lac.review_timeliness:meeting:"

#endif
