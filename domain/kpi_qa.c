/*
 * Quality assurance and the service (KPIS.md): the qa.*, iro.* and hsb.*
 * KPIs from the series facts_qa.c and facts_iro.c write.
 */
#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

/* KPIS.md order. */
const struct kpi_def kpi_qa_defs[] = {
	{ NULL, NULL, KPI_COUNT, false, TARGET_NONE, NULL },
};
const size_t kpi_qa_ndefs = 0;
