/* Series of the cp.* KPIs (facts_cp.c writes, kpi_cp.c reads). */
#ifndef IRK_SERIES_CP_H
#define IRK_SERIES_CP_H

/* cp.repeat_plans */
#define S_CP_PLANS        "cp.repeat_plans:plans"
#define S_CP_REPEAT       "cp.repeat_plans:repeat"
#define S_CP_REPEAT_SINCE "cp.repeat_plans:since:"
#define S_CP_REPEAT_AGE   "cp.repeat_plans:age:"

#endif
