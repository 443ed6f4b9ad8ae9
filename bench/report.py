#!/usr/bin/env python3
"""Print bench/run's results as a table and as one JSON document.
usage: report.py RESULTS.jsonl TINY CORES CPU"""
import json
import platform
import sys

res = [json.loads(l) for l in open(sys.argv[1])]
setup = {"machine": platform.node(), "cpu": sys.argv[4], "cores": int(sys.argv[3]),
         "kernel": platform.release(), "tiny": sys.argv[2] == "1",
         "commit": "durable (LMDB fsync per batch; PostgreSQL synchronous_commit=on)",
         "producer": "bench_ingest: raw ZeroMQ DEALER, 1 or 4 batches in flight"
                     " per producer (fl; 4: libirokpi's default)"}
floor = {r["r"]["batch"]: r["r"] for r in res if r["kind"] == "floor"}
pg = {r["r"]["batch"]: r["r"] for r in res if r["kind"] == "postgres"}
print("setup: " + ", ".join(f"{k} {v}" for k, v in setup.items()))
print()
print(f"{'ingest':<8}{'batch':>6}{'prod':>5}{'fl':>3}{'events':>9}{'ev/s':>9}"
      f"{'ack p50 us':>11}{'ack p99 us':>11}{'floor ev/s':>11}{'share':>7}"
      f"{'pg ev/s':>9}{'vs pg':>7}")
for r in (r["r"] for r in res if r["kind"] == "ingest"):
    f = floor.get(r["batch"], {})
    p = pg.get(r["batch"], {})
    share = r["events_per_s"] / f["events_per_s"] if f else 0
    vs = r["events_per_s"] / p["events_per_s"] if p else 0
    print(f"{'':<8}{r['batch']:>6}{r['producers']:>5}"
          f"{r.get('inflight', 1):>3}{r['events']:>9}"
          f"{r['events_per_s']:>9}{r['ack_p50_us']:>11}{r['ack_p99_us']:>11}"
          f"{f.get('events_per_s', 0):>11}{share:>7.2f}"
          f"{p.get('events_per_s', 0):>9}{vs:>7.1f}")
print()
# "work": the same KPIs computed in process on the same store, no socket.
direct = {(r["r"]["events"], r["r"]["kpi"], r["r"]["window"]): r["r"]
          for r in res if r["kind"] == "query_direct"}
print(f"{'query':<8}{'events':>9}  {'kpi':<24}{'window':<26}{'p50 us':>8}"
      f"{'p99 us':>8}{'p99.9 us':>9}{'work p50':>9}{'work p99':>9}"
      f"{'work p99.9':>11}")
for r in (r["r"] for r in res if r["kind"] == "query"):
    d = direct.get((r["events"], r["kpi"], r["window"]), {})
    print(f"{'':<8}{r['events']:>9}  {r['kpi']:<24}{r['window']:<26}"
          f"{r['p50_us']:>8}{r['p99_us']:>8}{r['p999_us']:>9}"
          f"{d.get('p50_us', '-'):>9}{d.get('p99_us', '-'):>9}"
          f"{d.get('p999_us', '-'):>11}")
for r in (r["r"] for r in res if r["kind"] == "query_floor"):
    print(f"{'floor':<8}{'':>9}  {r['kpi']:<24}{r['window']:<26}"
          f"{r['p50_us']:>8}{r['p99_us']:>8}{r['p999_us']:>9}")
print()
for r in (r["r"] for r in res if r["kind"] == "rebuild"):
    s = float(r["seconds"] or 0)
    print(f"rebuild   {r['events']} events in {s:.2f} s: "
          f"{r['events'] / s if s else 0:.0f} events/s")
for r in (r["r"] for r in res if r["kind"] == "footprint"):
    print(f"footprint daemon peak RSS {r['peak_rss_kib'] / 1024:.1f} MiB "
          f"(LMDB pages included), anon peak {r['rss_anon_kib'] / 1024:.1f} MiB; "
          f"{r['disk_bytes'] / r['events']:.0f} bytes on disk per event")
for b, p in sorted(pg.items()):
    print(f"postgres  batch {b}: {p['events_per_s']} events/s, commit p50 "
          f"{p['commit_p50_us']} us p99 {p['commit_p99_us']} us, "
          f"{p['disk_bytes'] / max(p['stored'], 1):.0f} bytes per event")
checks = [r["r"] for r in res if r["kind"] == "kpi_check"]
if checks:
    print()
    print(f"{'kpi check':<10}{'events':>8}  {'kpi':<22}{'window':<8}"
          f"{'irokpid num/den value':>24}{'us':>7}"
          f"{'postgres num/den value':>25}{'us':>10}  equal")
for c in checks:
    a, p = c["irokpid"], c["postgres"]
    print(f"{'':<10}{c['events']:>8}  {c['kpi']:<22}{c['window']:<8}"
          f"{a['num']:>12}/{a['den']:<5}{a['value']!s:>6}{c['irokpid_us']:>7}"
          f"{p['num']:>13}/{p['den']:<5}{p['value']!s:>6}{c['postgres_us']:>10}"
          f"  {'yes' if c['equal'] else 'NO'}")
print()
print(json.dumps({"setup": setup, "results": res}))
