/*
 * Hot backups: a consistent, compacted copy of the store while ingest goes
 * on.  LMDB copies from one read transaction (mdb_env_copy2 with
 * MDB_CP_COMPACT), so the copy is the store as of one commit: every event up
 * to the copy's last sequence number and every projection derived from them.
 * Restoring is starting irokpid on a folder holding the copy's data.mdb.
 */
#ifndef IRK_BACKUP_H
#define IRK_BACKUP_H

#include <stdint.h>

#include "store/store.h"

/*
 * Copy s into dir, which is created (mode 0700) if missing and must hold no
 * data.mdb.  On success *last_seq is the last event sequence number in the
 * copy and *bytes the copy's size.  Blocks the calling thread for the copy;
 * other readers and the writer go on, but the map cannot grow meanwhile.
 * Returns 0, IRK_EDUP (dir already holds a store), IRK_EIO or IRK_ESTORE.
 */
int store_backup(
    struct store *s, const char *dir, uint64_t *last_seq, uint64_t *bytes);

#endif
