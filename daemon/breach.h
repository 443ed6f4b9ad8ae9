/*
 * Breach messages, shared by the publisher (breach.c) and the breaches
 * query: the topic of a breach and its msgpack body (PROTOCOL.md,
 * "Breaches").  A body carries the pseudonymous child id, the IRO, the
 * deadline and the kind; never any other personal data.
 */
#ifndef IRK_BREACH_H
#define IRK_BREACH_H

#include <msgpack.h>
#include <stddef.h>

#include "store/store.h"

#define BREACH_TOPIC_MAX 160 /* "breach." kind "." subject (< SERIES_MAX) */

/* "due_soon", "overdue", "met_late", "kpi_rag_changed", "over_ceiling". */
const char *breach_kind_name(int kind);

/* What is due, short: "lac.review", "cp.rcpc", "qa.response", ... */
void breach_subject(const char *series, char *buf, size_t len);

/* "breach.KIND.SUBJECT" */
void breach_topic(const struct store_breach *b, char *buf, size_t len);

/* The body map: seq, kind, topic, subject, iro (when known), child,
 * deadline, raised and (met_late) done; for kpi_rag_changed seq, kind,
 * topic, subject and kpi (the KPI id), old, new (RAG or nil), value and
 * raised; for over_ceiling seq, kind, topic, subject, iro, value (the
 * weighted caseload) and raised. */
void breach_pack(msgpack_packer *pk, const struct store_breach *b);

#endif
