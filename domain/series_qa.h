/* Series of the qa.*, iro.* and hsb.* KPIs (facts_qa.c and facts_iro.c
 * write, kpi_qa.c reads). */
#ifndef IRK_SERIES_QA_H
#define IRK_SERIES_QA_H

/*
 * The value names the series are keyed by, in the order of the enums in
 * proto/event.h (enum area, enum alert_kind, enum brook; hsb.meeting_held's
 * kind uses CONF_INITIAL and CONF_REVIEW), so that a value indexes them.
 * They are also the keys of the KPIs' breakdowns.
 */
#define QA_AREA_NAMES           "lac", "cp"
#define QA_ALERT_KIND_NAMES     "good_practice", "concern"
#define HSB_KIND_NAMES          "initial", "review"
#define HSB_MEETING_BROOK_NAMES "amber", "amber_red", "red"
#define HSB_BROOK_NAMES         "green", HSB_MEETING_BROOK_NAMES

/* qa.alerts: alerts raised, one series per area and kind
 * ("qa.alerts:lac:concern"), on the raised date. */
#define S_QA_ALERTS "qa.alerts:"

/* qa.response_5wd: concern alerts on their raised date (kpi_deadline). */
#define S_QA_RESPONSE_MET     "qa.response_5wd:met"
#define S_QA_RESPONSE_DONE    "qa.response_5wd:responded"
#define S_QA_RESPONSE_PENDING "qa.response_5wd:pending"

/* qa.open_by_stage: running totals (+1 opens, -1 closes) of open concern
 * alerts by stage, "qa.open_by_stage:stage_1" .. "stage_4". */
#define S_QA_OPEN      "qa.open_by_stage:"
#define QA_STAGE_NAMES "stage_1", "stage_2", "stage_3", "stage_4"
#define QA_STAGE_MAX   4

/* iro.caseload: running totals of the children each IRO holds, unweighted
 * (the weights are query-time settings): + IRO id. */
#define S_IRO_CASELOAD_LAC "iro.caseload:lac:"
#define S_IRO_CASELOAD_CP  "iro.caseload:cp:"

/* hsb.meetings: meetings held, one series per kind and Brook category
 * ("hsb.meetings:initial:red"), on the meeting date. */
#define S_HSB_MEETINGS "hsb.meetings:"

/* hsb.journey: identifications by Brook category
 * ("hsb.journey:identified:amber"), and amber_red and red ones against
 * their 20-working-day deadline for an initial meeting (kpi_deadline), all
 * on the identification date. */
#define S_HSB_IDENTIFIED      "hsb.journey:identified:"
#define S_HSB_JOURNEY_MET     "hsb.journey:met"
#define S_HSB_JOURNEY_DONE    "hsb.journey:meeting_held"
#define S_HSB_JOURNEY_PENDING "hsb.journey:pending"

#endif
