/* Series of the qa.*, iro.* and hsb.* KPIs (facts_qa.c and facts_iro.c
 * write, kpi_qa.c reads). */
#ifndef IRK_SERIES_QA_H
#define IRK_SERIES_QA_H

#endif
