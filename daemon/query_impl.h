/*
 * Private to the query thread's files: the shape of a query handler and the
 * helpers they share.  A handler reads its arguments from the request map
 * and packs a whole reply map ("ok": true first); on failure it returns
 * IRK_E* with a reason in why, and whatever it packed is discarded.
 */
#ifndef IRK_QUERY_IMPL_H
#define IRK_QUERY_IMPL_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/daemon.h"
#include "domain/kpi.h"

/*
 * A handler that answers later returns QUERY_LATER, having kept a copy of
 * d->asker: nothing is sent now, and query_reply() sends the answer when it
 * is ready (the asker may have gone by then; the answer is then dropped).
 */
#define QUERY_LATER 1

/* The ROUTER envelope of a request: the asker's identity, and whether it
 * sent an empty delimiter frame (a REQ socket) to be echoed. */
struct query_asker {
	unsigned char id[256];
	size_t id_len;
	bool delimiter;
};

/* Send body (a whole reply map) to the asker.  Query thread only. */
void query_reply(struct daemon *d, const struct query_asker *to,
    const void *body, size_t len);

/*
 * query_backup.c.  backup_done_socket(): the inproc PAIR a finished backup
 * reports on, bound by the query thread, which polls it and then calls
 * backup_finish() to send the backup's answer and reap its thread.
 * backup_finish() blocks until the backup reports; NULL-safe when none is
 * running.
 */
void *backup_done_socket(struct daemon *d);
void backup_finish(struct daemon *d, void *done);

typedef int (*query_fn)(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen);

/* The handlers, one file each but stats (query.c). */
int q_backup(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
/* q_kpi and q_caseload under the settings lock (reload.c): the table's. */
int q_kpi_locked(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen);
int q_caseload_locked(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen);
int q_breaches(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
int q_deadlines(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen);
int q_caseload(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
int q_child(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
int q_kpi(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
int q_rebuild(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);
int q_rebuild_status(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen);
int q_stats(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen);

/*
 * Copy the string under key into buf (len bytes with the NUL).  Absent or
 * nil: 0 with *present false.  Not a string, or too long: IRK_EINVAL.
 */
int query_arg_str(const msgpack_object *req, const char *key, char *buf,
    size_t len, bool *present);

/*
 * One KPI answer as PROTOCOL.md's kpi query gives it: title, unit, num, den,
 * value, as_at (as-at KPIs), target, rag, previous (when prev is not NULL)
 * and breakdown.
 */
void pack_kpi_result(msgpack_packer *pk, const struct kpi_result *res,
    const struct kpi_result *prev);

/* "YYYY-MM-DD". */
void pack_day(msgpack_packer *pk, int32_t day);

#endif
