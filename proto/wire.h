/*
 * Constants of the wire protocol (PROTOCOL.md) shared by the daemon and the
 * client library.  The message layouts themselves are documented there.
 */
#ifndef IRK_WIRE_H
#define IRK_WIRE_H

#define WIRE_VERSION          1
#define WIRE_BATCH_MAX        10000 /* events in one ingest message */
#define WIRE_FRAME_MAX        65536 /* ZMQ_MAXMSGSIZE on the ROUTER sockets */
#define WIRE_STATUS_STORED    0
#define WIRE_STATUS_DUPLICATE 1
#define WIRE_STATUS_REJECTED  2

#define WIRE_INGEST_SOCK   "ingest.sock"
#define WIRE_QUERY_SOCK    "query.sock"
#define WIRE_BREACHES_SOCK "breaches.sock"

#endif
