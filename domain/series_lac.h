/*
 * Series of the lac.* KPIs (facts_lac.c writes, kpi_lac.c reads).
 *
 * Three shapes: window sums (a bucket on the counted-on day), deadline
 * items (kpi_deadline(): met, done and pending), and running totals read
 * with kpi_asat() (+1 on the first day a child counts, -1 on the first day
 * it no longer does).
 */
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
/* A due date still outstanding when the episode ended: 1 on the end day.
 * Not met, so not met late (store/deadlines.c: a ":due" interval whose
 * owner has "<stem>:lapsed" on its until was closed, not done). */
#define S_LAC_DUE_LAPSED "lac.review_timeliness:lapsed"
#define G_LAC_MEETING    "lac.review_timeliness:meeting:"

/* lac.participation: reviews by code, "PN0".."PN7" completes the name. */
#define S_LAC_PARTICIPATION "lac.participation:code:"

/* lac.sw_report_24h: every review held is in exactly one of the three. */
#define S_LAC_SW_REPORT_IN_TIME      "lac.sw_report_24h:in_time"
#define S_LAC_SW_REPORT_LATE         "lac.sw_report_24h:late"
#define S_LAC_SW_REPORT_NOT_RECEIVED "lac.sw_report_24h:not_received"

/* lac.record_20wd: deadline items on the review's day. */
#define S_LAC_RECORD_MET     "lac.record_20wd:met"
#define S_LAC_RECORD_DONE    "lac.record_20wd:done"
#define S_LAC_RECORD_PENDING "lac.record_20wd:pending"

/* lac.decisions_5wd: deadline items on the review's day. */
#define S_LAC_DECISIONS_MET     "lac.decisions_5wd:met"
#define S_LAC_DECISIONS_DONE    "lac.decisions_5wd:done"
#define S_LAC_DECISIONS_PENDING "lac.decisions_5wd:pending"

/* lac.permanence_second_review and lac.permanence_later_reviews */
#define S_LAC_PERM_SECOND           "lac.permanence_second_review:reviews"
#define S_LAC_PERM_SECOND_WITH_PLAN "lac.permanence_second_review:with_plan"
#define S_LAC_PERM_LATER            "lac.permanence_later_reviews:reviews"
#define S_LAC_PERM_LATER_WITH_PLAN  "lac.permanence_later_reviews:with_plan"

/* lac.population: running total of children looked after. */
#define S_LAC_POPULATION "lac.population:looked_after"

/*
 * lac.pep: running totals over the end day T of a 12-month period, the
 * cohort (looked after in it, aged 5-15 at T) and those of it with a PEP.
 */
#define S_LAC_PEP_COHORT "lac.pep:cohort"
#define S_LAC_PEP_DONE   "lac.pep:done"

/*
 * lac.health_assessment and lac.dental_check: running totals over T of the
 * children looked after continuously for 12 months at T (shared by both),
 * and those of them with a completion in the 12 months to T.
 */
#define S_LAC_CONTINUOUS_12M "lac:continuous_12m"
#define S_LAC_HEALTH_DONE    "lac.health_assessment:done"
#define S_LAC_DENTAL_DONE    "lac.dental_check:done"

#endif
