/*
 * store_backup(): mdb_env_copy2(MDB_CP_COMPACT), then read the copy's last
 * sequence number back from the copy itself, since the copy's read
 * transaction is LMDB's own and the store may have moved on since.
 */
#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon/log.h"
#include "domain/err.h"
#include "store/backup.h"
#include "store/schema.h"
#include "store/store_impl.h"

static int
copy_last_seq(const char *dir, uint64_t *last_seq)
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_dbi dbi;
	MDB_val k, v;
	int rc;

	*last_seq = 0;
	if ((rc = mdb_env_create(&env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(env, STORE_MAXDBS)) != 0 ||
	    (rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK, 0600)) !=
		0 ||
	    (rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "evlog", 0, &dbi)) != 0 ||
	    (rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		goto leave;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == 8)
		*last_seq = be64_get(k.mv_data);
	else if (rc == MDB_NOTFOUND)
		rc = 0;
leave:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
	return rc;
}

int
store_backup(
    struct store *s, const char *dir, uint64_t *last_seq, uint64_t *bytes)
{
	char path[4200];
	struct stat st;
	int rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_warn("backup: %s", dir);
		return IRK_EIO;
	}
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) == 0)
		return IRK_EDUP;
	/* Growing the map needs no read transaction open in the process. */
	pthread_rwlock_rdlock(&s->resize_lock);
	rc = mdb_env_copy2(s->env, dir, MDB_CP_COMPACT);
	pthread_rwlock_unlock(&s->resize_lock);
	if (rc != 0)
		return store_err(rc, "backup copy");
	if ((rc = copy_last_seq(dir, last_seq)) != 0)
		return store_err(rc, "backup read back");
	*bytes = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}
