/*
 * Statutory timescales and the local standards that configure them
 * (KPIS.md, "Shared rules").  Every deadline the KPIs and the deadline index
 * use is computed here, from a calendar and the configuration, so that a
 * council that changes a standard changes it in one place.
 */
#ifndef IRK_TIMESCALE_H
#define IRK_TIMESCALE_H

#include <stdint.h>

#include "domain/calendar.h"

/* How "n months" is counted: the regulations' calendar month, or Mosaic's
 * warehouse convention of 91 days for 3 months and 183 for 6. */
enum month_mode { MONTH_CALENDAR, MONTH_DAYS };

/* Local standards; timescale_defaults() gives the KPIS.md defaults. */
struct timescale {
	enum month_mode month_mode;
	int lac_first_review_wd; /* 1st LAC review: 20 working days */
	int lac_second_review_m; /* 2nd: 3 months after the 1st */
	int lac_later_review_m;  /* later: 6 months after the previous */
	int cp_first_review_m;   /* 1st RCPC: 3 months after the plan starts */
	int cp_later_review_m;   /* later RCPCs: 6 months */
	int icpc_wd;             /* ICPC: 15 working days from strategy */
	int review_record_wd;    /* review record uploaded: 20 working days */
	int review_decisions_wd; /* decisions uploaded: 5 working days */
	int conference_record_wd;   /* conference record distributed: 10 */
	int qa_response_wd;         /* QA alert response: 5 */
	int plan_shared_wd;         /* CP plan shared with the family: 5 */
	int sw_report_days;         /* SW report before a review: 1 day */
	int parents_report_icpc_wd; /* report to parents before an ICPC: 1 */
	int parents_report_rcpc_wd; /* before a review conference: 3 */
};

void timescale_defaults(struct timescale *ts);

/* day + n months in the configured mode (calendar: clamped to month end;
 * days: n * 365 / 12 days rounded, so 3 -> 91 and 6 -> 183). */
int32_t timescale_add_months(const struct timescale *ts, int32_t day, int n);

/*
 * Due date of LAC review number `number` (1 = first) given `from`: the day
 * the episode started for the first review, else the previous review's day.
 */
int32_t timescale_lac_review_due(const struct timescale *ts,
    const struct calendar *cal, int number, int32_t from);

/* Due date of review conference `number` (1 = first) given the plan's start
 * for the first, else the previous review conference's day. */
int32_t timescale_rcpc_due(
    const struct timescale *ts, int number, int32_t from);

#endif
