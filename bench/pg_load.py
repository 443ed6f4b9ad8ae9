#!/usr/bin/env python3
"""PostgreSQL baseline for bench/run: load N events from a JSON-lines file
into an append-only table (jsonb, unique event id) in batches of BATCH, one
durable commit per batch (synchronous_commit=on), as a BI team would.
Prints one JSON line.  usage: pg_load.py SOCKDIR EVENTS.jsonl BATCH N"""
import json
import sys
import time

import psycopg2
import psycopg2.extras

sockdir, path, batch, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
conn = psycopg2.connect(host=sockdir, dbname="postgres")
cur = conn.cursor()
cur.execute("drop table if exists events cascade")
cur.execute("create table events (seq bigserial primary key, "
            "id text not null unique, body jsonb not null)")
conn.commit()
rows = []
with open(path) as f:
    for line in f:
        if len(rows) == n:
            break
        rows.append((json.loads(line)["id"], line))
lat = []
t0 = time.monotonic()
for i in range(0, len(rows), batch):
    tb = time.monotonic()
    psycopg2.extras.execute_values(
        cur, "insert into events (id, body) values %s "
        "on conflict (id) do nothing", rows[i:i + batch],
        template="(%s, %s::jsonb)", page_size=batch)
    conn.commit()
    lat.append(time.monotonic() - tb)
t = time.monotonic() - t0
cur.execute("select pg_total_relation_size('events'), count(*) from events")
size, stored = cur.fetchone()
lat.sort()
print(json.dumps({"events": len(rows), "batch": batch, "seconds": round(t, 3),
                  "events_per_s": round(len(rows) / t),
                  "commit_p50_us": round(lat[len(lat) // 2] * 1e6),
                  "commit_p99_us": round(lat[int(0.99 * (len(lat) - 1))] * 1e6),
                  "stored": stored, "disk_bytes": size}))
