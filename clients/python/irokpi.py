"""irokpi: a small Python client for irokpid (proto/PROTOCOL.md, version 1).

Built on Debian's python3-zmq and python3-msgpack only:

    apt-get install python3-zmq python3-msgpack

    import irokpi
    with irokpi.Client(data_dir="/var/lib/irokpid") as k:
        ack = k.publish([{"id": "e1", "type": "lac.started",
                          "at": "2019-04-01", "child": "P0000042"}])
        print(ack.stored, ack.duplicates, ack.rejected)
        print(k.query({"q": "stats"}))

publish() sends a batch on a DEALER socket (a header map, then one frame
an event) and waits for its ack.  Without an ack in time it sends the very
same batch again: the daemon recognises events by their "id", so a resend
stores nothing twice.  Acks for batches given up on are read and dropped.

query() sends one map on a DEALER socket behind an empty delimiter frame
(what a REQ socket would send) and returns the answer map.  After a timeout
the socket is closed and a fresh one is made for the next query ("lazy
pirate"), so a late answer is never taken for the next one's.

watch() subscribes to the breaches PUB socket and yields each breach once,
in sequence order, filling gaps (a restart of either side, a slow joiner,
topics it does not subscribe to) from the breaches query: ZeroMQ's
"Clone" pattern.  With a state file it resumes after its own restart.
"""

import os
import random
import time

import msgpack
import zmq

PROTOCOL_VERSION = 1
MAX_BATCH = 10000

__all__ = ["Ack", "Client", "IrokpiError", "Rejected", "Unavailable"]


class IrokpiError(Exception):
    """The daemon answered with an error, or did not answer at all."""


class Unavailable(IrokpiError):
    """No answer after every try: the daemon is down or unreachable."""


class Rejected(IrokpiError):
    """The daemon refused a whole batch or query; retry says if it may pass."""

    def __init__(self, reason, retry=False):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class Ack:
    """One batch's ack: status[i] is 0 stored, 1 duplicate, or
    (2, field, reason) rejected, for the i-th event sent."""

    def __init__(self, batch, last_seq, status):
        self.batch = batch
        self.last_seq = last_seq
        self.status = [s if isinstance(s, int) else tuple(s) for s in status]

    @property
    def stored(self):
        return sum(1 for s in self.status if s == 0)

    @property
    def duplicates(self):
        return sum(1 for s in self.status if s == 1)

    @property
    def rejected(self):
        """[(index, field, reason), ...] of the events not stored."""
        return [(i, s[1], s[2]) for i, s in enumerate(self.status)
                if not isinstance(s, int)]

    def __repr__(self):
        return ("Ack(batch=%r, last_seq=%r, stored=%d, duplicates=%d, "
                "rejected=%d)" % (self.batch, self.last_seq, self.stored,
                                  self.duplicates, len(self.rejected)))


def _endpoints(data_dir, ingest, query, breaches=None):
    if data_dir is None:
        data_dir = os.environ.get("IROKPI_DIR")
    if ingest is None and data_dir is not None:
        ingest = "ipc://%s/ingest.sock" % data_dir
    if query is None and data_dir is not None:
        query = "ipc://%s/query.sock" % data_dir
    if breaches is None and data_dir is not None:
        breaches = "ipc://%s/breaches.sock" % data_dir
    return ingest, query, breaches


def read_seq(path):
    """The sequence number a state file holds; 0 when there is none."""
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except FileNotFoundError:
        return 0


def write_seq(path, seq):
    """Write seq to path atomically (a crash leaves the old number)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % seq)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Client:
    """A connection to one irokpid.

    data_dir names the daemon's data folder (default $IROKPI_DIR), whose
    ipc sockets are used; ingest and query give endpoints instead.
    timeout is in seconds per try; tries how many times a batch or query
    is sent before Unavailable is raised.
    """

    def __init__(self, data_dir=None, ingest=None, query=None, timeout=5.0,
                 tries=3, breaches=None):
        self.ingest_ep, self.query_ep, self.breaches_ep = _endpoints(
            data_dir, ingest, query, breaches)
        if self.ingest_ep is None and self.query_ep is None:
            raise ValueError("no endpoint: give data_dir, ingest or query")
        self.timeout_ms = int(timeout * 1000)
        self.tries = max(1, tries)
        self._ctx = zmq.Context()
        self._ingest = None
        self._query = None
        self._batch = random.getrandbits(32)

    # -- plumbing --

    def _socket(self, endpoint):
        s = self._ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(endpoint)
        return s

    def close(self):
        for s in (self._ingest, self._query):
            if s is not None:
                s.close(0)
        self._ingest = self._query = None
        self._ctx.destroy(linger=0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- ingest --

    def publish(self, events):
        """Send events (a list of dicts, 1..10000) as one batch and return
        its Ack once the daemon has made it durable.  Resends after each
        timeout; raises Unavailable after the last try, Rejected when the
        daemon refuses the whole batch for good."""
        if not 1 <= len(events) <= MAX_BATCH:
            raise ValueError("a batch holds 1 to %d events" % MAX_BATCH)
        if self.ingest_ep is None:
            raise ValueError("no ingest endpoint")
        if self._ingest is None:
            self._ingest = self._socket(self.ingest_ep)
        self._batch = (self._batch + 1) & 0xFFFFFFFF
        batch = self._batch
        frames = [msgpack.packb({"v": PROTOCOL_VERSION, "batch": batch})]
        frames += [msgpack.packb(e, use_bin_type=True) for e in events]
        for _ in range(self.tries):
            self._ingest.send_multipart(frames)
            reply = self._await_ack(batch)
            if reply is None:
                continue  # no ack in time: the same batch again
            if "error" in reply:
                if reply.get("retry"):
                    continue
                raise Rejected(reply["error"], False)
            return Ack(batch, reply.get("last_seq"), reply["status"])
        raise Unavailable("no ack for batch %d after %d tries"
                          % (batch, self.tries))

    def _await_ack(self, batch):
        """The ack map for batch, or None on timeout; others dropped."""
        poller = zmq.Poller()
        poller.register(self._ingest, zmq.POLLIN)
        deadline = time.monotonic() + self.timeout_ms / 1000.0
        while True:
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0 or not poller.poll(left):
                return None
            frames = self._ingest.recv_multipart()
            try:
                reply = msgpack.unpackb(frames[-1], raw=False)
            except (ValueError, msgpack.UnpackException, IndexError):
                continue
            if not isinstance(reply, dict):
                continue
            if reply.get("batch") == batch:
                return reply
            if reply.get("batch") is None and "error" in reply:
                return reply
            # An ack for a batch given up on: drop it, keep waiting.

    # -- queries --

    def query(self, request):
        """Send one query map ({"q": ...}) and return the answer map.
        Raises Rejected when the answer has ok false, Unavailable when no
        answer came after every try."""
        if self.query_ep is None:
            raise ValueError("no query endpoint")
        payload = msgpack.packb(request, use_bin_type=True)
        for _ in range(self.tries):
            if self._query is None:
                self._query = self._socket(self.query_ep)
            self._query.send_multipart([b"", payload])
            if self._query.poll(self.timeout_ms, zmq.POLLIN):
                frames = self._query.recv_multipart()
                reply = msgpack.unpackb(frames[-1], raw=False)
                if not reply.get("ok"):
                    raise Rejected(reply.get("error", "refused"))
                return reply
            # Lazy pirate: a fresh socket, so a late answer is not read
            # as the next query's.
            self._query.close(0)
            self._query = None
        raise Unavailable("no answer to %r after %d tries"
                          % (request.get("q"), self.tries))

    def stats(self):
        return self.query({"q": "stats"})

    def kpi(self, ids=None, window=None, as_at=None):
        req = {"q": "kpi"}
        if ids:
            req["ids"] = list(ids)
        if window:
            req["window"] = window
        if as_at:
            req["as_at"] = as_at
        return self.query(req)

    def child(self, child, as_at=None):
        req = {"q": "child", "child": child}
        if as_at:
            req["as_at"] = as_at
        return self.query(req)

    def caseload(self, as_at=None):
        req = {"q": "caseload"}
        if as_at:
            req["as_at"] = as_at
        return self.query(req)

    def deadlines(self, within=None, as_at=None):
        """Deadlines open on as_at falling due within N days of it."""
        req = {"q": "deadlines"}
        if within is not None:
            req["within"] = int(within)
        if as_at:
            req["as_at"] = as_at
        return self.query(req)

    # -- breaches --

    def breaches(self, after=0, limit=None):
        """One page of the breach log after seq `after`: the answer map,
        {"last": S, "more": bool, "breaches": [...]}."""
        req = {"q": "breaches", "after": int(after)}
        if limit:
            req["limit"] = int(limit)
        return self.query(req)

    def _catch_up(self, last, topics):
        """Breaches after last matching topics, and the new last."""
        out = []
        while True:
            page = self.breaches(after=last)
            for b in page.get("breaches", []):
                if b["seq"] > last:
                    last = b["seq"]
                    if any(b.get("topic", "").startswith(t) for t in topics):
                        out.append(b)
            if not page.get("more"):
                last = max(last, page.get("last") or 0)
                return out, last

    def watch(self, topics=("breach.",), after=0, state=None, idle=None,
              catch_up_only=False):
        """Yield every breach after seq `after` (or the seq in the file
        `state`) whose topic starts with one of `topics`, in order, each
        once, then the new ones as they are published.

        After the consumer is done with a breach (the generator resumes)
        its seq is written to `state`, so a watcher restarted with the same
        state file goes on after the last breach it handled.  `idle`
        (seconds): stop when nothing arrives for that long.
        catch_up_only: stop after the log has been read."""
        if self.breaches_ep is None:
            raise ValueError("no breaches endpoint")
        topics = tuple(topics) or ("breach.",)
        if state is not None:
            after = max(after, read_seq(state))
        last = after
        sub = self._ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        try:
            # Subscribe before reading the log: a breach published in
            # between is then seen on the socket, not lost.
            for t in topics:
                sub.setsockopt(zmq.SUBSCRIBE, t.encode())
            sub.setsockopt(zmq.SUBSCRIBE, b"heartbeat")
            sub.connect(self.breaches_ep)

            def handled(b):
                if state is not None:
                    write_seq(state, b["seq"])

            pending, last = self._catch_up(last, topics)
            for b in pending:
                yield b
                handled(b)
            if catch_up_only:
                return
            wait_ms = int(idle * 1000) if idle is not None else -1
            while True:
                if not sub.poll(wait_ms, zmq.POLLIN):
                    return  # idle
                frames = sub.recv_multipart()
                if len(frames) < 2:
                    continue
                topic = frames[0].decode("utf-8", "replace")
                body = msgpack.unpackb(frames[1], raw=False)
                seq = body.get("seq") or 0
                if topic == "heartbeat":
                    if seq <= last:
                        continue
                elif seq <= last:
                    continue  # seen already, from the log
                elif seq == last + 1:
                    last = seq
                    yield body
                    handled(body)
                    continue
                # A gap (missed messages, or topics not subscribed):
                # read the log from the last one seen.
                pending, last = self._catch_up(last, topics)
                for b in pending:
                    yield b
                    handled(b)
        finally:
            sub.close(0)
