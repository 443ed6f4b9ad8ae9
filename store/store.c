/*
 * The environment: opening it (and its databases, and a rebuild that did
 * not finish), growing the map, closing it; the writer's shared helpers
 * and the log's statistics.  The batch transaction is in ingest.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "domain/err.h"
#include "store/derive.h"
#include "store/store_impl.h"

int
store_err(int rc, const char *what)
{
	switch (rc) {
	case 0:
		return 0;
	case MDB_NOTFOUND:
		return IRK_ENOTFOUND;
	case MDB_KEYEXIST:
		return IRK_EDUP;
	case MDB_MAP_FULL:
		return IRK_EFULL;
	case ENOMEM:
		log_warnx("store: %s: %s", what, mdb_strerror(rc));
		return IRK_ENOMEM;
	case ENOSPC:
	case EIO:
	case EACCES:
	case EROFS:
	case ENOENT:
		log_warnx("store: %s: %s", what, mdb_strerror(rc));
		return IRK_EIO;
	default:
		log_warnx("store: %s: %s", what, mdb_strerror(rc));
		return IRK_ESTORE;
	}
}

/* Open the databases; *upgraded: an older schema's, whose projections
 * are to be rebuilt. */
static int
open_dbis(struct store *s, bool *upgraded)
{
	static const struct {
		const char *name;
		size_t off;
	} dbs[] = {
		{ "evlog", offsetof(struct store, evlog) },
		{ "ids", offsetof(struct store, ids) },
		{ "timeline", offsetof(struct store, timeline) },
		{ "retracted", offsetof(struct store, retracted) },
		{ "children", offsetof(struct store, children) },
		{ "contrib", offsetof(struct store, contrib) },
		{ "members", offsetof(struct store, members) },
		{ "buckets", offsetof(struct store, buckets) },
		{ "intervals", offsetof(struct store, intervals) },
		{ "opens", offsetof(struct store, opens) },
		{ "meta", offsetof(struct store, meta) },
		{ "deadlines", offsetof(struct store, deadlines) },
		{ "breaches", offsetof(struct store, breaches) },
		{ "bmarks", offsetof(struct store, bmarks) },
		{ "iros", offsetof(struct store, iros) },
	};
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint32_t version = SCHEMA_VERSION, found = 0;
	size_t i;
	int rc;

	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0)
		return store_err(rc, "begin");
	for (i = 0; i < NITEMS(dbs); i++) {
		MDB_dbi *dbi = (MDB_dbi *)((char *)s + dbs[i].off);

		if ((rc = mdb_dbi_open(txn, dbs[i].name, MDB_CREATE, dbi)) !=
		    0)
			goto fail;
	}
	if ((rc = mdb_set_compare(txn, s->evlog, evlog_key_cmp)) != 0)
		goto fail;
	k.mv_data = "schema";
	k.mv_size = 6;
	if ((rc = mdb_get(txn, s->meta, &k, &v)) == MDB_NOTFOUND) {
		v.mv_data = &version;
		v.mv_size = sizeof(version);
		if ((rc = mdb_put(txn, s->meta, &k, &v, 0)) != 0)
			goto fail;
	} else if (rc != 0)
		goto fail;
	else if (v.mv_size != sizeof(version) ||
		 memcmp(v.mv_data, &version, sizeof(version)) != 0) {
		if (v.mv_size == sizeof(found))
			memcpy(&found, v.mv_data, sizeof(found));
		if (found < SCHEMA_REBUILDS_FROM || found > SCHEMA_VERSION) {
			log_warnx(
			    "store: written by another irokpid (schema "
			    "%u; this one reads %d, and rebuilds %d and "
			    "later): start the irokpid that wrote it, or "
			    "publish the events again into an empty "
			    "data folder",
			    (unsigned)found, SCHEMA_VERSION,
			    SCHEMA_REBUILDS_FROM);
			mdb_txn_abort(txn);
			return IRK_EVERSION;
		}
		v.mv_data = &version;
		v.mv_size = sizeof(version);
		if ((rc = mdb_put(txn, s->meta, &k, &v, 0)) != 0)
			goto fail;
		if ((rc = rebuild_mark_set(s, txn)) != 0) {
			mdb_txn_abort(txn);
			return rc;
		}
	}
	if ((rc = mdb_cursor_open(txn, s->evlog, &cur)) != 0)
		goto fail;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == 8)
		s->last_seq = be64_get(k.mv_data);
	else if (rc != MDB_NOTFOUND && rc != 0)
		goto fail;
	mdb_cursor_close(cur);
	cur = NULL;
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc != 0)
		goto fail;
	if ((*upgraded = found != 0))
		log_info("store: schema %u, from an older irokpid: the event "
			 "log is kept and the projections are rebuilt from it "
			 "for schema %d",
		    (unsigned)found, SCHEMA_VERSION);
	return 0;

fail:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return store_err(rc, "open databases");
}

int
store_open(const char *dir, size_t map_size, const struct timescale *ts,
    const struct calendar *cal, struct store **out)
{
	struct store *s;
	MDB_envinfo info;
	bool upgraded = false;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return IRK_ENOMEM;
	s->ts = ts;
	s->cal = cal;
	if (pthread_rwlock_init(&s->resize_lock, NULL) != 0) {
		free(s);
		return IRK_ENOMEM;
	}
	if (pthread_mutex_init(&s->writer_lock, NULL) != 0) {
		pthread_rwlock_destroy(&s->resize_lock);
		free(s);
		return IRK_ENOMEM;
	}
	/* MDB_NOTLS: views are begun in the query thread and reader slots
	 * must not be tied to threads. */
	if ((rc = mdb_env_create(&s->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(s->env, STORE_MAXDBS)) != 0 ||
	    (rc = mdb_env_set_maxreaders(s->env, 126)) != 0 ||
	    (rc = mdb_env_set_mapsize(s->env, map_size)) != 0 ||
	    (rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0600)) != 0) {
		rc = store_err(rc, dir);
		goto fail;
	}
	store_clear_stale_readers(s);
	/* An existing map may be larger than asked for: keep its size. */
	s->map_size =
	    mdb_env_info(s->env, &info) == 0 ? info.me_mapsize : map_size;
	/* A map no larger than the data (LMDB's size when asked for less)
	 * leaves no room for an upgrade's new databases: grow it. */
	while ((rc = open_dbis(s, &upgraded)) == IRK_EFULL &&
	       (rc = store_grow(s)) == 0)
		;
	if (rc != 0 || (rc = retraction_filter_load(s)) != 0 ||
	    (rc = rebuild_resume(s, upgraded)) != 0)
		goto fail;
	*out = s;
	return 0;

fail:
	store_close(&s);
	return rc;
}

int
store_clear_stale_readers(struct store *s)
{
	int dead = 0;

	if (mdb_reader_check(s->env, &dead) == 0 && dead > 0)
		log_info("store: cleared %d stale reader slot(s)", dead);
	return dead;
}

void
store_close(struct store **sp)
{
	struct store *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	deriver_free(&s->ingest_deriver);
	overlay_free(&s->overlay);
	mdb_env_close(s->env);
	pthread_rwlock_destroy(&s->resize_lock);
	pthread_mutex_destroy(&s->writer_lock);
	free(s->retract_filter);
	free(s);
	*sp = NULL;
}

void
store_set_rules(
    struct store *s, const struct timescale *ts, const struct calendar *cal)
{
	s->ts = ts;
	s->cal = cal;
}

/* Double the map.  Called with no transaction of ours open. */
int
store_grow(struct store *s)
{
	size_t want = s->map_size * 2;
	int rc;

	pthread_rwlock_wrlock(&s->resize_lock);
	rc = mdb_env_set_mapsize(s->env, want);
	pthread_rwlock_unlock(&s->resize_lock);
	if (rc != 0)
		return store_err(rc, "grow map");
	log_info("store: map full at %zu MiB, grown to %zu MiB",
	    s->map_size >> 20, want >> 20);
	s->map_size = want;
	return 0;
}

int
touched_add(struct touched *t, const char *str, size_t len)
{
	char **v, *copy;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		if ((v = realloc(t->v, cap * sizeof(*v))) == NULL)
			return IRK_ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	if ((copy = malloc(len + 1)) == NULL)
		return IRK_ENOMEM;
	memcpy(copy, str, len);
	copy[len] = '\0';
	t->v[t->n++] = copy;
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
touched_sort_unique(struct touched *t)
{
	size_t i, out = 0;

	if (t->n == 0)
		return;
	qsort(t->v, t->n, sizeof(t->v[0]), str_cmp);
	for (i = 0; i < t->n; i++) {
		if (out > 0 && strcmp(t->v[out - 1], t->v[i]) == 0) {
			free(t->v[i]);
			continue;
		}
		t->v[out++] = t->v[i];
	}
	t->n = out;
}

bool
touched_has(const struct touched *t, const char *s)
{
	return t->n > 0 &&
	       bsearch(&s, t->v, t->n, sizeof(t->v[0]), str_cmp) != NULL;
}

void
touched_free(struct touched *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int
store_stats(struct store *s, struct store_stats *out)
{
	MDB_stat st;
	MDB_envinfo info;
	MDB_txn *txn = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_rwlock_rdlock(&s->resize_lock);
	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)) != 0)
		goto done;
	if ((rc = mdb_stat(txn, s->evlog, &st)) != 0)
		goto done;
	out->events = st.ms_entries;
	if ((rc = mdb_stat(txn, s->children, &st)) != 0)
		goto done;
	out->children = st.ms_entries;
	out->last_seq = s->last_seq;
	if ((rc = mdb_env_info(s->env, &info)) != 0 ||
	    (rc = mdb_env_stat(s->env, &st)) != 0)
		goto done;
	out->map_size = info.me_mapsize;
	out->map_used = (info.me_last_pgno + 1) * (uint64_t)st.ms_psize;
done:
	if (txn != NULL)
		mdb_txn_abort(txn);
	pthread_rwlock_unlock(&s->resize_lock);
	return store_err(rc, "stats");
}

int
store_view_begin(struct store *s, struct store_view **out)
{
	struct store_view *v;
	int rc;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return IRK_ENOMEM;
	v->s = s;
	pthread_rwlock_rdlock(&s->resize_lock);
	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &v->txn)) != 0) {
		pthread_rwlock_unlock(&s->resize_lock);
		free(v);
		return store_err(rc, "begin view");
	}
	buckets_reader_init(&v->reader, v);
	*out = v;
	return 0;
}

void
store_view_end(struct store_view **vp)
{
	struct store_view *v;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	mdb_txn_abort(v->txn);
	pthread_rwlock_unlock(&v->s->resize_lock);
	free(v);
	*vp = NULL;
}

const struct series_reader *
store_view_reader(struct store_view *v)
{
	return &v->reader;
}

MDB_txn *
store_view_txn(struct store_view *v)
{
	return v->txn;
}

struct store *
store_view_store(struct store_view *v)
{
	return v->s;
}
