/*
 * Deadline arithmetic for the statutory timescales.  Kept apart from the
 * fact derivation so that the deadline index (breaches) and the KPIs can
 * never disagree about a due date.
 */
#include "domain/date.h"
#include "domain/timescale.h"

void
timescale_defaults(struct timescale *ts)
{
	ts->month_mode = MONTH_CALENDAR;
	ts->lac_first_review_wd = 20;
	ts->lac_second_review_m = 3;
	ts->lac_later_review_m = 6;
	ts->cp_first_review_m = 3;
	ts->cp_later_review_m = 6;
	ts->icpc_wd = 15;
	ts->review_record_wd = 20;
	ts->review_decisions_wd = 5;
	ts->conference_record_wd = 10;
	ts->qa_response_wd = 5;
	ts->plan_shared_wd = 5;
	ts->sw_report_days = 1;
	ts->parents_report_icpc_wd = 1;
	ts->parents_report_rcpc_wd = 3;
}

int32_t
timescale_add_months(const struct timescale *ts, int32_t day, int n)
{
	if (ts->month_mode == MONTH_DAYS)
		return day + (n * 365 + 6) / 12;
	return date_add_months(day, n);
}

int32_t
timescale_lac_review_due(const struct timescale *ts,
    const struct calendar *cal, int number, int32_t from)
{
	if (number <= 1)
		return calendar_add_working_days(
		    cal, from, ts->lac_first_review_wd);
	if (number == 2)
		return timescale_add_months(ts, from, ts->lac_second_review_m);
	return timescale_add_months(ts, from, ts->lac_later_review_m);
}

int32_t
timescale_rcpc_due(const struct timescale *ts, int number, int32_t from)
{
	return timescale_add_months(ts, from,
	    number <= 1 ? ts->cp_first_review_m : ts->cp_later_review_m);
}
