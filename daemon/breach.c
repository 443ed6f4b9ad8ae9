/*
 * Breaches on the main loop: the sweep as the day turns, publishing the log
 * on the PUB socket, and the heartbeat.
 *
 * What is published is always the log: after a sweep or a batch commits,
 * every breach past the last one published goes out in seq order, topic
 * frame then msgpack body.  The log and its once-ever markers are written
 * in the transaction that causes them (store/deadlines.c), so a restart
 * publishes nothing again; what a subscriber missed (a restart of either
 * side, a slow joiner, a full queue) it finds from the heartbeat's seq and
 * fetches with the breaches query.
 */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "daemon/breach.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/query_impl.h"
#include "domain/date.h"
#include "domain/err.h"
#include "proto/pack.h"

#define HEARTBEAT_MS 2000

const char *
breach_kind_name(int kind)
{
	switch (kind) {
	case BREACH_DUE_SOON:
		return "due_soon";
	case BREACH_OVERDUE:
		return "overdue";
	case BREACH_MET_LATE:
		return "met_late";
	}
	return "unknown";
}

void
breach_subject(const char *series, char *buf, size_t len)
{
	static const struct {
		const char *series, *subject;
	} names[] = {
		{ "lac.review_timeliness:due", "lac.review" },
		{ "lac.record_20wd:pending", "lac.review_record" },
		{ "lac.decisions_5wd:pending", "lac.review_decisions" },
		{ "cp.rcpc_timeliness:due", "cp.rcpc" },
		{ "cp.record_distribution:pending", "cp.conference_record" },
		{ "cp.plan_shared_5wd:pending", "cp.plan_shared" },
		{ "qa.response_5wd:pending", "qa.response" },
		{ "hsb.journey:pending", "hsb.initial_meeting" },
	};
	const char *colon;
	size_t i;

	for (i = 0; i < NITEMS(names); i++)
		if (strcmp(series, names[i].series) == 0) {
			snprintf(buf, len, "%s", names[i].subject);
			return;
		}
	colon = strchr(series, ':');
	snprintf(buf, len, "%.*s",
	    (int)(colon != NULL ? (size_t)(colon - series) : strlen(series)),
	    series);
}

void
breach_topic(const struct store_breach *b, char *buf, size_t len)
{
	char subject[SERIES_MAX];

	breach_subject(b->series, subject, sizeof(subject));
	snprintf(buf, len, "breach.%s.%s", breach_kind_name(b->kind), subject);
}

void
breach_pack(msgpack_packer *pk, const struct store_breach *b)
{
	char topic[BREACH_TOPIC_MAX], subject[SERIES_MAX];
	bool done = b->kind == BREACH_MET_LATE;

	breach_topic(b, topic, sizeof(topic));
	breach_subject(b->series, subject, sizeof(subject));
	msgpack_pack_map(pk, done ? 8 : 7);
	pack_cstr(pk, "seq");
	msgpack_pack_uint64(pk, b->seq);
	pack_cstr(pk, "kind");
	pack_cstr(pk, breach_kind_name(b->kind));
	pack_cstr(pk, "topic");
	pack_cstr(pk, topic);
	pack_cstr(pk, "subject");
	pack_cstr(pk, subject);
	pack_cstr(pk, "child");
	pack_cstr(pk, b->child);
	pack_cstr(pk, "deadline");
	pack_day(pk, b->deadline);
	pack_cstr(pk, "raised");
	pack_day(pk, b->raised);
	if (done) {
		pack_cstr(pk, "done");
		pack_day(pk, b->resolved);
	}
}

/* Two frames; a PUB never blocks, and drops when a subscriber is full. */
static void
send_msg(struct daemon *d, const char *topic, const msgpack_sbuffer *sb)
{
	if (zmq_send(d->breaches, topic, strlen(topic), ZMQ_SNDMORE) == -1 ||
	    zmq_send(d->breaches, sb->data, sb->size, 0) == -1)
		log_warnx("breaches: send: %s", zmq_strerror(zmq_errno()));
}

static int
publish_one(void *arg, const struct store_breach *b)
{
	struct daemon *d = arg;
	char topic[BREACH_TOPIC_MAX];
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	breach_pack(&pk, b);
	breach_topic(b, topic, sizeof(topic));
	send_msg(d, topic, &sb);
	msgpack_sbuffer_destroy(&sb);
	log_debug(
	    "breach %llu: %s %s", (unsigned long long)b->seq, topic, b->child);
	d->pub_seq = b->seq;
	atomic_fetch_add(&d->breaches_published, 1);
	return 0;
}

void
breach_publish_new(struct daemon *d)
{
	struct store_view *v = NULL;
	int rc;

	if ((rc = store_view_begin(d->store, &v)) != 0) {
		log_warnx("breaches: %s", irk_strerror(rc));
		return;
	}
	if ((rc = store_breaches_after(v, d->pub_seq, publish_one, d)) != 0)
		log_warnx("breaches: %s", irk_strerror(rc));
	store_view_end(&v);
}

void
breach_init(struct daemon *d)
{
	struct store_view *v = NULL;
	int rc;

	if ((rc = store_view_begin(d->store, &v)) != 0 ||
	    (rc = store_breach_last(v, &d->pub_seq)) != 0)
		fatalx("breaches: %s", irk_strerror(rc));
	store_view_end(&v);
	d->swept_day = 0;
	d->next_heartbeat = 0;
}

static void
heartbeat(struct daemon *d)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	pack_cstr(&pk, "seq");
	msgpack_pack_uint64(&pk, d->pub_seq);
	pack_cstr(&pk, "today");
	pack_day(&pk, daemon_today(d));
	send_msg(d, "heartbeat", &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
sweep(struct daemon *d, int32_t today)
{
	char day[DATE_STRLEN];
	uint64_t n = 0;
	int32_t until;
	int rc;

	until =
	    calendar_add_working_days(d->cal, today, (int)d->cfg.due_soon_wd);
	store_set_today(d->store, today, until);
	if ((rc = store_sweep(d->store, today, until, &n)) != 0) {
		log_warnx("breaches: sweep: %s", irk_strerror(rc));
		return; /* tried again next turn */
	}
	d->swept_day = today;
	date_format(today, day);
	if (n > 0)
		log_info("breaches: sweep of %s: %llu new", day,
		    (unsigned long long)n);
	breach_publish_new(d);
}

int64_t
breach_tick(struct daemon *d, int64_t now)
{
	int32_t today;

	daemon_clock_poll(d);
	today = daemon_today(d);
	if (today != d->swept_day)
		sweep(d, today);
	if (now >= d->next_heartbeat) {
		breach_publish_new(d); /* a rebuild's, if any */
		heartbeat(d);
		d->next_heartbeat = now + HEARTBEAT_MS;
	}
	return d->next_heartbeat - now;
}
