/*
 * Rebuild in the background: `irokpi admin rebuild` asks the query thread,
 * which starts one rebuild thread; store_rebuild() re-derives every
 * projection in one write transaction while queries keep answering from the
 * last commit.  Its progress is polled with the rebuild_status query.
 */
#ifndef IRK_REBUILD_H
#define IRK_REBUILD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum rebuild_state {
	REBUILD_IDLE,
	REBUILD_RUNNING,
	REBUILD_DONE,
	REBUILD_FAILED
};

struct rebuild {
	pthread_mutex_t lock;
	pthread_t thread;
	bool joinable;
	enum rebuild_state state;
	struct store *store;
	struct store_rebuild_stats stats;
	double seconds;
	int error; /* IRK_E* when failed */
};

/* What a status query reports; a copy taken under the lock. */
struct rebuild_status {
	enum rebuild_state state;
	struct store_rebuild_stats stats;
	double seconds;
	int error;
};

/* Set up r for store s (borrowed).  Returns 0 or IRK_ENOMEM. */
int rebuild_init(struct rebuild *r, struct store *s);

/* Start a rebuild unless one is running: 0, or IRK_EDUP when one is. */
int rebuild_start(struct rebuild *r);

void rebuild_get_status(struct rebuild *r, struct rebuild_status *out);

/* Whether the projections are part derived: a rebuild is running, or
 * failed and none has succeeded since. */
bool rebuild_partial(struct rebuild *r);
const char *rebuild_state_name(enum rebuild_state s);

/* Wait for a running rebuild to end and release r. */
void rebuild_fini(struct rebuild *r);

#endif
