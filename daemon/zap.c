/*
 * The ZAP handler thread (zap.h).  The key folders are read into memory at
 * start and on SIGHUP, so a handshake costs a lookup, not a folder scan; a
 * mutex guards the swap.  The thread polls its REP socket with a short
 * timeout and checks a stop flag, so it needs no pipe of its own.
 *
 * A ZAP request (RFC 27) is: version "1.0", request id, domain, address,
 * routing id, mechanism, then the credentials (for CURVE, the client's 32
 * byte public key).  The reply is: version, request id, status code, status
 * text, user id, metadata.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "daemon/log.h"
#include "daemon/zap.h"
#include "domain/err.h"

#define ZAP_EP       "inproc://zeromq.zap.01"
#define ZAP_FRAMES   8
#define KEY_NAME_MAX 64

struct key {
	uint8_t pub[32];
	char name[KEY_NAME_MAX]; /* the file's name without .pub */
};

struct keyset {
	struct key *v;
	size_t n, cap;
};

struct zap {
	void *rep;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock; /* guards producers and readers */
	struct keyset producers, readers;
};

static void
keyset_free(struct keyset *ks)
{
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}

/* Every DIR/NAME.pub; unreadable or malformed files are logged, skipped. */
static int
keyset_load(const char *dir, struct keyset *ks)
{
	char path[CONFIG_PATH_MAX + 300], z85[ZAP_KEY_Z85];
	struct dirent *de;
	DIR *dp;
	int rc;

	memset(ks, 0, sizeof(*ks));
	if (dir[0] == '\0')
		return 0;
	if ((dp = opendir(dir)) == NULL) {
		log_warn("keys: %s", dir);
		return IRK_EIO;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);
		struct key *k;

		if (len <= 4 || strcmp(de->d_name + len - 4, ".pub") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((rc = keyfile_read(path, z85)) != 0) {
			log_warnx(
			    "keys: %s: not a Z85 public key, skipped", path);
			continue;
		}
		if (ks->n == ks->cap) {
			size_t cap = ks->cap ? ks->cap * 2 : 8;
			struct key *v = realloc(ks->v, cap * sizeof(*v));

			if (v == NULL) {
				closedir(dp);
				keyset_free(ks);
				return IRK_ENOMEM;
			}
			ks->v = v;
			ks->cap = cap;
		}
		k = &ks->v[ks->n++];
		zmq_z85_decode(k->pub, z85);
		snprintf(k->name, sizeof(k->name), "%.*s", (int)(len - 4),
		    de->d_name);
	}
	closedir(dp);
	return 0;
}

static const struct key *
keyset_find(const struct keyset *ks, const void *pub)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (memcmp(ks->v[i].pub, pub, 32) == 0)
			return &ks->v[i];
	return NULL;
}

int
zap_reload(struct zap *z, const struct config *cfg, size_t *producers,
    size_t *readers)
{
	struct keyset p, r;
	int rc;

	if ((rc = keyset_load(cfg->producers_dir, &p)) != 0)
		return rc;
	if ((rc = keyset_load(cfg->readers_dir, &r)) != 0) {
		keyset_free(&p);
		return rc;
	}
	pthread_mutex_lock(&z->lock);
	keyset_free(&z->producers);
	keyset_free(&z->readers);
	z->producers = p;
	z->readers = r;
	pthread_mutex_unlock(&z->lock);
	*producers = p.n;
	*readers = r.n;
	return 0;
}

static bool
frame_is(const zmq_msg_t *m, const char *s)
{
	size_t n = strlen(s);

	return zmq_msg_size((zmq_msg_t *)m) == n &&
	       memcmp(zmq_msg_data((zmq_msg_t *)m), s, n) == 0;
}

/* Decide one request; user gets the key's name when allowed. */
static bool
zap_decide(struct zap *z, zmq_msg_t *f, size_t n, char *user, size_t ulen,
    const char **why)
{
	const struct keyset *ks;
	const struct key *k;
	bool ok = false;

	if (n < 7 || !frame_is(&f[0], "1.0")) {
		*why = "malformed request";
		return false;
	}
	if (!frame_is(&f[5], "CURVE") || zmq_msg_size(&f[6]) != 32) {
		*why = "CURVE required";
		return false;
	}
	if (frame_is(&f[2], ZAP_DOMAIN_INGEST))
		ks = &z->producers;
	else if (frame_is(&f[2], ZAP_DOMAIN_READ))
		ks = &z->readers;
	else {
		*why = "unknown domain";
		return false;
	}
	pthread_mutex_lock(&z->lock);
	if ((k = keyset_find(ks, zmq_msg_data(&f[6]))) != NULL) {
		snprintf(user, ulen, "%s", k->name);
		ok = true;
	}
	pthread_mutex_unlock(&z->lock);
	*why = ok ? "OK" : "key not allowed here";
	return ok;
}

static void
zap_handle(struct zap *z)
{
	zmq_msg_t f[ZAP_FRAMES];
	char user[KEY_NAME_MAX] = "", addr[64] = "", dom[16] = "", key[41];
	const char *why = "";
	size_t n = 0, i;
	bool ok;
	int more = 1;

	while (more) {
		zmq_msg_t tmp, *m = n < ZAP_FRAMES ? &f[n] : &tmp;

		zmq_msg_init(m);
		if (zmq_msg_recv(m, z->rep, 0) == -1) {
			zmq_msg_close(m);
			goto done;
		}
		more = zmq_msg_more(m);
		if (n < ZAP_FRAMES)
			n++;
		else
			zmq_msg_close(&tmp);
	}
	ok = zap_decide(z, f, n, user, sizeof(user), &why);
	if (n >= 4) {
		snprintf(addr, sizeof(addr), "%.*s",
		    (int)zmq_msg_size(&f[3]) < 63 ? (int)zmq_msg_size(&f[3])
						  : 63,
		    (const char *)zmq_msg_data(&f[3]));
		snprintf(dom, sizeof(dom), "%.*s",
		    (int)zmq_msg_size(&f[2]) < 15 ? (int)zmq_msg_size(&f[2])
						  : 15,
		    (const char *)zmq_msg_data(&f[2]));
	}
	if (ok)
		log_debug("zap: %s from %s allowed on %s", user, addr, dom);
	else {
		if (n >= 7 && zmq_msg_size(&f[6]) == 32)
			zmq_z85_encode(key, zmq_msg_data(&f[6]), 32);
		else
			snprintf(key, sizeof(key), "(none)");
		log_info(
		    "zap: refused %s from %s on %s: %s", key, addr, dom, why);
	}
	if (n >= 2) {
		zmq_send(z->rep, "1.0", 3, ZMQ_SNDMORE);
		zmq_send(z->rep, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]),
		    ZMQ_SNDMORE);
		zmq_send(z->rep, ok ? "200" : "400", 3, ZMQ_SNDMORE);
		zmq_send(z->rep, why, strlen(why), ZMQ_SNDMORE);
		zmq_send(z->rep, user, strlen(user), ZMQ_SNDMORE);
		zmq_send(z->rep, "", 0, 0);
	}
done:
	for (i = 0; i < n; i++)
		zmq_msg_close(&f[i]);
}

static void *
zap_main(void *arg)
{
	struct zap *z = arg;
	zmq_pollitem_t it = { z->rep, 0, ZMQ_POLLIN, 0 };

	while (!atomic_load(&z->stop)) {
		if (zmq_poll(&it, 1, 200) == -1) {
			if (errno == EINTR)
				continue;
			log_warnx("zap: poll: %s", zmq_strerror(errno));
			break;
		}
		if (it.revents & ZMQ_POLLIN)
			zap_handle(z);
	}
	return NULL;
}

int
zap_start(void *zctx, const struct config *cfg, struct zap **out)
{
	struct zap *z;
	sigset_t all, old;
	size_t np, nr;
	int zero = 0, rc;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return IRK_ENOMEM;
	pthread_mutex_init(&z->lock, NULL);
	atomic_init(&z->stop, false);
	if ((z->rep = zmq_socket(zctx, ZMQ_REP)) == NULL ||
	    zmq_setsockopt(z->rep, ZMQ_LINGER, &zero, sizeof(zero)) != 0 ||
	    zmq_bind(z->rep, ZAP_EP) != 0) {
		log_warnx("zap: bind %s: %s", ZAP_EP, zmq_strerror(errno));
		rc = IRK_EIO;
		goto fail;
	}
	if ((rc = zap_reload(z, cfg, &np, &nr)) != 0)
		goto fail;
	log_info("zap: %zu producer keys, %zu reader keys", np, nr);
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&z->thread, NULL, zap_main, z);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		rc = IRK_ENOMEM;
		goto fail;
	}
	*out = z;
	return 0;
fail:
	if (z->rep != NULL)
		zmq_close(z->rep);
	keyset_free(&z->producers);
	keyset_free(&z->readers);
	pthread_mutex_destroy(&z->lock);
	free(z);
	return rc;
}

void
zap_stop(struct zap **zp)
{
	struct zap *z;

	if (zp == NULL || (z = *zp) == NULL)
		return;
	atomic_store(&z->stop, true);
	pthread_join(z->thread, NULL);
	zmq_close(z->rep);
	keyset_free(&z->producers);
	keyset_free(&z->readers);
	pthread_mutex_destroy(&z->lock);
	free(z);
	*zp = NULL;
}
