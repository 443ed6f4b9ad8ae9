/*
 * The 2019-20 seed scenario: a council's case events, built so that the KPI
 * catalogue asked for fy2019 gives the figures of the IRO annual report
 * 2019-20 that KPIS.md's "2019-20" column quotes (1407 of 1430 review
 * meetings in time, the PN0-PN7 table, 156 repeat plans of 721, ...).
 *
 * The events are JSON lines (EVENTS.md) with pseudonymous ids only.  They
 * cover the financial year 2019-20 and the history its figures need (the
 * earlier reviews that number this year's, the earlier plans that make this
 * year's repeats), plus the few events after it that the year's deadlines
 * look at (uploads, an overdue review held in April 2020).  They are written
 * in a shuffled order with some lines twice, so that a test of the figures
 * is also a test of order independence and deduplication.
 *
 * The content is fixed; only the order (and which lines are sent twice)
 * depends on the seed.
 */
#ifndef IRK_SEED_SCENARIO_H
#define IRK_SEED_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

/*
 * What the generator put in the scenario, counted by its own reading of
 * KPIS.md as it wrote each case, for fy2019 (1 April 2019 - 31 March 2020;
 * as-at figures on 31 March 2020; deadlines judged on 30 June 2020).  A
 * test compares these with the report's figures (is the scenario what it
 * claims to be?) and the daemon's answers with both.
 */
struct seed_tally {
	long events;     /* distinct event lines, retractions included */
	long duplicates; /* lines written a second time */
	long retracted;  /* events withdrawn by an event.retracted */

	/* lac.review_timeliness */
	long lac_meetings, lac_meetings_timely;
	long lac_reviews, lac_reviews_timely;
	long lac_late_first, lac_late_second, lac_late_later;
	long lac_late_not_notified, lac_late_family, lac_late_iro,
	    lac_late_unknown;
	long lac_outstanding;
	/* lac.participation: reviews by code PN0..PN7 */
	long lac_pn[8];
	/* lac.sw_report_24h */
	long lac_sw_24h;
	/* lac.record_20wd, lac.decisions_5wd */
	long lac_record_den, lac_record_met;
	long lac_decisions_den, lac_decisions_met;
	/* lac.permanence_second_review, lac.permanence_later_reviews */
	long lac_second, lac_second_permanence;
	long lac_later, lac_later_permanence;
	/* lac.population on 31 March 2019 and 31 March 2020 */
	long lac_population_start, lac_population;
	/* lac.pep, lac.health_assessment, lac.dental_check */
	long lac_pep_den, lac_pep;
	long lac_health_den, lac_health, lac_dental;

	/* cp.icpc_timeliness, cp.icpc_no_plan */
	long cp_icpc, cp_icpc_timely, cp_icpc_no_plan;
	long cp_transfer_in;
	/* cp.rcpc_timeliness (the late ones are not plans' first) */
	long cp_rcpc, cp_rcpc_timely, cp_rcpc_outstanding;
	/* cp.report_to_parents: initial and review conferences */
	long cp_parents_den, cp_parents_in_time, cp_parents_late_before,
	    cp_parents_on_day, cp_parents_none;
	/* cp.repeat_plans, cp.categories */
	long cp_plans_started, cp_repeat;
	long cp_repeat_since[4]; /* under_6m, 6_12m, 1_2y, over_2y */
	long cp_repeat_age[4];   /* 1_4, 5_9, 10_15, 16_17 */
	long cp_category[5];     /* neglect, emotional, physical, multiple,
				    sexual */
	/* cp.plans_open on 31 March 2019 and 31 March 2020, and of those on
	 * 31 March 2020 cp.plans_over_18m and cp.plans_at_9m */
	long cp_open_start, cp_open, cp_over_18m, cp_at_9m;
	/* cp.plan_duration: plans ended by up_to_3m, 3_6m, 6_12m, 1_2y,
	 * 2y_plus */
	long cp_duration[5];
	/* cp.ended_at_first_review */
	long cp_ended, cp_ended_first_review;
	/* cp.conferences_disrupted: meetings; stood down by reason, in
	 * EVENTS.md's order (interpreter ... other) */
	long cp_meetings, cp_stood_down;
	long cp_stood_down_reason[12];
	/* cp.record_distribution, cp.plan_shared_5wd */
	long cp_record_den, cp_record_met;
	long cp_shared_den, cp_shared_met;
	/* cp.chair_consistency, cp.agency_attendance */
	long cp_chair_reviews, cp_chair_same;
	long cp_agency_invited, cp_agency_attended;
	/* cp.child_voice */
	long cp_attended, cp_advocacy;

	/* qa.alerts, qa.response_5wd */
	long qa_lac_good, qa_lac_concern, qa_cp_good, qa_cp_concern;
	long qa_lac_2018;
	long qa_response_den, qa_response_met;
	/* qa.open_by_stage on 31 March 2020: stage 1..4 */
	long qa_open[4];

	/* iro.caseload on 31 March 2020: weights in halves (1.5 = 3), IROs
	 * over the ceiling of 105 */
	long iro_count, iro_weight_halves, iro_over_ceiling;
};

/*
 * Write the scenario to f, one event a line, in an order (and with
 * duplicates) chosen by order_seed.  Fills *t when t is not NULL.  Returns
 * 0, IRK_ENOMEM, IRK_EIO when writing f failed, or IRK_EINVAL when the
 * scenario broke one of its own checks (a deadline meant to be met that is
 * not, a deck of counts not dealt out exactly): a bug in the generator,
 * named on stderr.
 */
int seed_scenario_write(FILE *f, uint64_t order_seed, struct seed_tally *t);

#endif
