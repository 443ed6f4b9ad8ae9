/*
 * Series of the cp.* KPIs (facts_cp.c writes, kpi_cp.c reads), and the
 * breakdown keys both sides list.  As-at series hold running totals: +1 on
 * the day a plan (or one of its breakdown values) starts to count, -1 on
 * the day it stops (KPIS.md, "Open on a date D").
 */
#ifndef IRK_SERIES_CP_H
#define IRK_SERIES_CP_H

/*
 * Breakdown keys.  The first four follow the order of their enums in
 * proto/event.h, so that the facts index them by the event's value.
 */
#define CP_CATEGORY_KEYS \
	"neglect", "emotional", "physical", "sexual", "multiple"
#define CP_OUTCOME_KEYS "plan", "no_plan", "continue", "end"
#define CP_STOOD_DOWN_REASON_KEYS                                           \
	"interpreter", "late_request", "parent_unavailable", "not_quorate", \
	    "sw_absent", "chair_unavailable", "no_chair_or_clerk",          \
	    "information_missing", "child_upset", "premises", "unknown",    \
	    "other"
/* enum gender, then "unknown" for a child never registered. */
#define CP_GENDER_KEYS "F", "M", "U", "unknown"
/* facts_age_band()'s values. */
#define CP_AGE_BAND_KEYS \
	"unborn", "under_1", "1_4", "5_9", "10_15", "16_17", "unknown"
#define CP_DURATION_KEYS "up_to_3m", "3_6m", "6_12m", "1_2y", "2y_plus"

/* cp.icpc_timeliness: initial conferences after a strategy discussion. */
#define S_CP_ICPC             "cp.icpc_timeliness:conferences"
#define S_CP_ICPC_TIMELY      "cp.icpc_timeliness:timely"
#define S_CP_ICPC_NO_STRATEGY "cp.icpc_timeliness:no_strategy"

/* cp.rcpc_timeliness; the due intervals run from a due date to the day
 * the conference was held or the plan ended (outstanding meanwhile). */
#define S_CP_RCPC                "cp.rcpc_timeliness:conferences"
#define S_CP_RCPC_TIMELY         "cp.rcpc_timeliness:timely"
#define S_CP_RCPC_LATE_BY_NUMBER "cp.rcpc_timeliness:late:"
#define S_CP_RCPC_LATE_BY_REASON "cp.rcpc_timeliness:late_reason:"
#define S_CP_RCPC_DUE            "cp.rcpc_timeliness:due"
#define S_CP_RCPC_LAPSED         "cp.rcpc_timeliness:lapsed" /* as lac's */

/* cp.icpc_no_plan: initial conferences by outcome. */
#define S_CP_ICPC_OUTCOME "cp.icpc_no_plan:outcome:"

/* cp.report_to_parents: by conference kind ("initial", "review"), and by
 * when the report came ("before", "on_the_day", "none"). */
#define S_CP_REPORT_CONFERENCES "cp.report_to_parents:conferences:"
#define S_CP_REPORT_TIMELY      "cp.report_to_parents:timely:"
#define S_CP_REPORT_RECEIVED    "cp.report_to_parents:received:"

/* cp.repeat_plans */
#define S_CP_PLANS        "cp.repeat_plans:plans"
#define S_CP_REPEAT       "cp.repeat_plans:repeat"
#define S_CP_REPEAT_SINCE "cp.repeat_plans:since:"
#define S_CP_REPEAT_AGE   "cp.repeat_plans:age:"

/* cp.plans_open, cp.plans_over_18m, cp.plans_at_9m: running totals. */
#define S_CP_OPEN          "cp.plans_open:plans"
#define S_CP_OPEN_AGE      "cp.plans_open:age:"
#define S_CP_OPEN_GENDER   "cp.plans_open:gender:"
#define S_CP_OPEN_CATEGORY "cp.plans_open:category:"
#define S_CP_OVER_18M      "cp.plans_over_18m:plans"
#define S_CP_AT_9M         "cp.plans_at_9m:plans"

/* Breaches (store/deadlines.c): a plan reaching 9 and 18 months is a ":due"
 * deadline on that day, open until the plan ends, which closes it without
 * meeting it (":lapsed" on the end day, as S_LAC_DUE_LAPSED). */
#define S_CP_PLAN_9M_DUE     "cp.plan_9_months:due"
#define S_CP_PLAN_9M_LAPSED  "cp.plan_9_months:lapsed"
#define S_CP_PLAN_18M_DUE    "cp.plan_18_months:due"
#define S_CP_PLAN_18M_LAPSED "cp.plan_18_months:lapsed"

/* cp.plan_duration: plans ended, by CP_DURATION_KEYS. */
#define S_CP_DURATION "cp.plan_duration:band:"

/* cp.ended_at_first_review: plans ended, and those with no review
 * conference ("none") or one ("one"). */
#define S_CP_ENDED            "cp.ended_at_first_review:plans"
#define S_CP_ENDED_BY_REVIEWS "cp.ended_at_first_review:reviews:"

/* cp.categories: plans started, by CP_CATEGORY_KEYS. */
#define S_CP_CATEGORY "cp.categories:category:"

/* cp.conferences_disrupted: meetings and children, held and stood down;
 * meetings of siblings are groups, counted once by facts_group_cp(). */
#define S_CP_MEETINGS_HELD       "cp.conferences_disrupted:meetings_held"
#define S_CP_MEETINGS_STOOD_DOWN "cp.conferences_disrupted:meetings_stood_down"
#define S_CP_STOOD_DOWN_REASON   "cp.conferences_disrupted:reason:"
#define S_CP_CHILDREN_HELD       "cp.conferences_disrupted:children_held"
#define S_CP_CHILDREN_STOOD_DOWN "cp.conferences_disrupted:children_stood_down"
#define G_CP_HELD_MEETING        "cp.conferences_disrupted:held_meeting:"
#define G_CP_STOOD_DOWN_MEETING  "cp.conferences_disrupted:stood_down_meeting:"

/* cp.record_distribution (a deadline KPI, kpi_deadline()). */
#define S_CP_RECORD_MET     "cp.record_distribution:met"
#define S_CP_RECORD_DONE    "cp.record_distribution:done"
#define S_CP_RECORD_PENDING "cp.record_distribution:pending"

/* cp.plan_shared_5wd (a deadline KPI). */
#define S_CP_SHARED_MET     "cp.plan_shared_5wd:met"
#define S_CP_SHARED_DONE    "cp.plan_shared_5wd:done"
#define S_CP_SHARED_PENDING "cp.plan_shared_5wd:pending"

/* cp.chair_consistency: review conferences in plans with a starting
 * conference, those with its chair, and those in plans without one. */
#define S_CP_CHAIR_REVIEWS  "cp.chair_consistency:reviews"
#define S_CP_CHAIR_SAME     "cp.chair_consistency:same"
#define S_CP_CHAIR_NO_START "cp.chair_consistency:no_starting_conference"

/* cp.agency_attendance: totals, and per agency code. */
#define S_CP_AGENCY_INVITATIONS "cp.agency_attendance:invitations"
#define S_CP_AGENCY_ATTENDANCES "cp.agency_attendance:attendances"
#define S_CP_AGENCY_INVITED     "cp.agency_attendance:invited:"
#define S_CP_AGENCY_ATTENDED    "cp.agency_attendance:attended:"

/* cp.child_voice */
#define S_CP_VOICE_CONFERENCES "cp.child_voice:conferences"
#define S_CP_VOICE_ATTENDED    "cp.child_voice:attended"
#define S_CP_VOICE_ADVOCACY    "cp.child_voice:advocacy"

#endif
