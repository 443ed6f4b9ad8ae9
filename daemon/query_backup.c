/*
 * The backup query (PROTOCOL.md addition): {"q": "backup", "dir": DIR}
 * makes a consistent compacted copy of the store in DIR, a folder on the
 * daemon's host (absolute path), while ingest goes on in the main thread.
 *
 * The copy can take minutes on a large store, so it runs on a thread of its
 * own and the query thread goes on answering: the handler starts the job
 * and answers later (QUERY_LATER); the job packs its answer (the copy's
 * last_seq, its size and how long it took, or the error) and hands it over
 * an inproc pipe to the query thread, which sends it to the asker.  One
 * backup at a time.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "daemon/log.h"
#include "daemon/query_impl.h"
#include "domain/err.h"
#include "proto/pack.h"
#include "store/backup.h"

#define BACKUP_DONE_EP "inproc://irokpid-backup-done"

struct backup_job {
	struct daemon *d;
	pthread_t thread;
	struct query_asker asker;
	char dir[CONFIG_PATH_MAX];
};

static void
pack_error(msgpack_packer *pk, const char *why)
{
	msgpack_pack_map(pk, 2);
	pack_cstr(pk, "ok");
	msgpack_pack_false(pk);
	pack_cstr(pk, "error");
	pack_cstr(pk, why);
}

/* Make the copy and pack the answer into sb. */
static void
backup_run(struct backup_job *job, msgpack_sbuffer *sb)
{
	struct timespec t0, t1;
	uint64_t seq = 0, bytes = 0;
	msgpack_packer pk;
	char why[CONFIG_PATH_MAX + 64];
	double secs;
	int rc;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = store_backup(job->d->store, job->dir, &seq, &bytes)) != 0) {
		snprintf(why, sizeof(why), "backup %s: %s", job->dir,
		    rc == IRK_EDUP ? "it already holds a store (data.mdb)"
				   : irk_strerror(rc));
		log_warnx("%s", why);
		pack_error(&pk, why);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	log_info("backup: %s: last seq %llu, %llu bytes in %.3f s", job->dir,
	    (unsigned long long)seq, (unsigned long long)bytes, secs);
	msgpack_pack_map(&pk, 5);
	pack_cstr(&pk, "ok");
	msgpack_pack_true(&pk);
	pack_cstr(&pk, "dir");
	pack_cstr(&pk, job->dir);
	pack_cstr(&pk, "last_seq");
	msgpack_pack_uint64(&pk, seq);
	pack_cstr(&pk, "bytes");
	msgpack_pack_uint64(&pk, bytes);
	pack_cstr(&pk, "seconds");
	msgpack_pack_double(&pk, secs);
}

static void *
backup_main(void *arg)
{
	struct backup_job *job = arg;
	msgpack_sbuffer sb;
	void *pipe;

	msgpack_sbuffer_init(&sb);
	backup_run(job, &sb);
	/* The query thread waits for this message to reap the job, so it
	 * must get there: a PAIR over inproc does not drop. */
	if ((pipe = zmq_socket(job->d->zctx, ZMQ_PAIR)) == NULL ||
	    zmq_connect(pipe, BACKUP_DONE_EP) != 0 ||
	    zmq_send(pipe, sb.data, sb.size, 0) == -1)
		fatalx("backup: done pipe: %s", zmq_strerror(errno));
	zmq_close(pipe);
	msgpack_sbuffer_destroy(&sb);
	return NULL;
}

void *
backup_done_socket(struct daemon *d)
{
	void *s = zmq_socket(d->zctx, ZMQ_PAIR);

	if (s != NULL && zmq_bind(s, BACKUP_DONE_EP) != 0) {
		zmq_close(s);
		s = NULL;
	}
	return s;
}

void
backup_finish(struct daemon *d, void *done)
{
	struct backup_job *job = d->backup;
	zmq_msg_t m;

	if (job == NULL)
		return;
	zmq_msg_init(&m);
	while (zmq_msg_recv(&m, done, 0) == -1)
		if (errno != EINTR)
			fatalx("backup: done pipe: %s", zmq_strerror(errno));
	query_reply(d, &job->asker, zmq_msg_data(&m), zmq_msg_size(&m));
	zmq_msg_close(&m);
	pthread_join(job->thread, NULL);
	free(job);
	d->backup = NULL;
}

int
q_backup(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	struct backup_job *job;
	sigset_t all, old;
	bool has;
	int rc;

	(void)pk;
	if (d->backup != NULL) {
		snprintf(why, whylen,
		    "backup: one is being made into %s; ask again when it "
		    "has answered",
		    d->backup->dir);
		return IRK_EDUP;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL)
		return IRK_ENOMEM;
	if (query_arg_str(req, "dir", job->dir, sizeof(job->dir), &has) != 0 ||
	    !has || job->dir[0] != '/') {
		snprintf(why, whylen,
		    "backup: \"dir\" must be an absolute "
		    "path on the daemon's host");
		free(job);
		return IRK_EINVAL;
	}
	job->d = d;
	job->asker = *d->asker;
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&job->thread, NULL, backup_main, job);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		free(job);
		return IRK_ENOMEM;
	}
	d->backup = job;
	return QUERY_LATER;
}
