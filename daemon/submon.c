/*
 * The peers of the breaches PUB socket, for irokpi_subscribers.  libzmq
 * says nothing about a PUB's peers except through a socket monitor: each
 * accepted connection and each disconnection arrives as a two-frame message
 * (event and value, then the endpoint) on an inproc PAIR, which the main
 * loop polls beside the ingest socket.  The count is an atomic, so the
 * metrics thread reads it without a lock.  A connection whose handshake
 * fails is accepted and then disconnected, so it leaves the count as it was.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <zmq.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "domain/err.h"

#define SUBMON_EP "inproc://irokpid-breaches-monitor"

int
submon_start(struct daemon *d)
{
	if (zmq_socket_monitor(d->breaches, SUBMON_EP,
		ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED) != 0) {
		log_warnx("breaches: monitor: %s", zmq_strerror(errno));
		return IRK_EIO;
	}
	if ((d->submon = zmq_socket(d->zctx, ZMQ_PAIR)) == NULL ||
	    zmq_connect(d->submon, SUBMON_EP) != 0) {
		log_warnx("breaches: monitor: %s", zmq_strerror(errno));
		zmq_socket_monitor(d->breaches, NULL, 0);
		if (d->submon != NULL)
			zmq_close(d->submon);
		d->submon = NULL;
		return IRK_EIO;
	}
	return 0;
}

void
submon_drain(struct daemon *d)
{
	zmq_msg_t m;
	uint16_t event;

	for (;;) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, d->submon, ZMQ_DONTWAIT) == -1) {
			zmq_msg_close(&m);
			return;
		}
		event = 0;
		if (zmq_msg_size(&m) >= sizeof(event))
			memcpy(&event, zmq_msg_data(&m), sizeof(event));
		/* The endpoint frame: not needed. */
		while (zmq_msg_more(&m)) {
			zmq_msg_close(&m);
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, d->submon, 0) == -1)
				break;
		}
		zmq_msg_close(&m);
		if (event == ZMQ_EVENT_ACCEPTED)
			atomic_fetch_add(&d->subscribers, 1);
		else if (event == ZMQ_EVENT_DISCONNECTED &&
			 atomic_load(&d->subscribers) > 0)
			atomic_fetch_sub(&d->subscribers, 1);
	}
}

void
submon_stop(struct daemon *d)
{
	if (d->submon == NULL)
		return;
	zmq_socket_monitor(d->breaches, NULL, 0);
	zmq_close(d->submon);
	d->submon = NULL;
}
