#!/usr/bin/env python3
"""The KPI equality check of bench/run: lac.review_timeliness and
cp.repeat_plans for financial years, from irokpid and from PostgreSQL
(bench/pg_kpi.sql over the events pg_load.py stored), side by side.

  pg_kpi.py irokpid DATA_DIR WINDOW...
      ask the running irokpid (the Python client, clients/python) for both
      KPIs over each window; prints one JSON document: per window and KPI
      num, den, value (and the per-child figure of review timeliness) and
      the median round trip of REPS queries in microseconds.
  pg_kpi.py check SOCKDIR HOLIDAYS IROKPID.json
      load the bank holidays (bank_holidays' output) and pg_kpi.sql, run
      the same KPIs in SQL, print one JSON line per window and KPI with both
      answers and times, and exit 1 (naming what differs on stderr) when
      any figure differs.

Both sides must hold the same events: bench/run asks irokpid when its log
holds the first N events of the scenario and PostgreSQL holds the same N.
Times are client round trips (psycopg2 / ZeroMQ), the median of REPS."""
import json
import os
import statistics
import sys
import time

REPS = 5
KPIS = ("lac.review_timeliness", "cp.repeat_plans")
# irokpid's breakdown item that the SQL also computes, per KPI.
EXTRA = {"lac.review_timeliness": "children"}


def percent(num, den):
    """KPIS.md: a per cent to one decimal, None without a denominator."""
    return round(100.0 * num / den, 1) if den else None


def timed(fn, reps):
    times, out = [], None
    for _ in range(reps):
        t = time.monotonic()
        out = fn()
        times.append(time.monotonic() - t)
    return out, round(statistics.median(times) * 1e6)


def ask_irokpid(data_dir, windows):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "clients", "python"))
    import irokpi  # noqa: E402 (Debian's python3-zmq, python3-msgpack)

    res = {}
    with irokpi.Client(data_dir=data_dir, timeout=30.0) as k:
        for w in windows:
            res[w] = {}
            for kpi in KPIS:
                ans, us = timed(lambda: k.kpi([kpi], w)["kpis"][kpi], REPS)
                r = {"num": ans["num"], "den": ans["den"],
                     "value": ans["value"], "us": us}
                if kpi in EXTRA:
                    b = ans["breakdown"][EXTRA[kpi]]
                    r[EXTRA[kpi]] = {"num": b["num"], "den": b["den"]}
                res[w][kpi] = r
    print(json.dumps(res))


def fy_bounds(window):
    """fyYYYY: 1 April YYYY to 31 March YYYY+1 (KPIS.md, "Period")."""
    if not (window.startswith("fy") and window[2:].isdigit()):
        raise SystemExit(f"pg_kpi: window {window}: only fyYYYY is supported")
    y = int(window[2:])
    return f"{y}-04-01", f"{y + 1}-03-31"


def ask_postgres(cur, window):
    lo, hi = fy_bounds(window)
    res = {}
    row, us = timed(lambda: (cur.execute(
        "select * from kpi_lac_review_timeliness(%s, %s)", (lo, hi)),
        cur.fetchone())[1], REPS)
    res["lac.review_timeliness"] = {
        "num": row[0], "den": row[1], "value": percent(row[0], row[1]),
        "us": us, "children": {"num": row[2], "den": row[3]}}
    row, us = timed(lambda: (cur.execute(
        "select * from kpi_cp_repeat_plans(%s, %s)", (lo, hi)),
        cur.fetchone())[1], REPS)
    res["cp.repeat_plans"] = {"num": row[0], "den": row[1],
                              "value": percent(row[0], row[1]), "us": us}
    return res


def figures(r):
    out = {"num": r["num"], "den": r["den"], "value": r["value"]}
    for name in EXTRA.values():
        if name in r:
            out[name] = r[name]
    return out


def check(sockdir, holidays, irk_path):
    import psycopg2  # Debian's python3-psycopg2

    irk = json.load(open(irk_path))
    conn = psycopg2.connect(host=sockdir, dbname="postgres")
    cur = conn.cursor()
    cur.execute("drop table if exists bank_holidays cascade")
    cur.execute("create table bank_holidays (day date primary key)")
    with open(holidays) as f:
        cur.copy_expert("copy bank_holidays (day) from stdin", f)
    cur.execute("select count(*) from bank_holidays")
    if cur.fetchone()[0] == 0:
        raise SystemExit("pg_kpi: no bank holidays loaded")
    here = os.path.dirname(os.path.abspath(__file__))
    cur.execute(open(os.path.join(here, "pg_kpi.sql")).read())
    conn.commit()
    cur.execute("select count(*) from events")
    events = cur.fetchone()[0]
    bad = []
    for w, kpis in irk.items():
        pg = ask_postgres(cur, w)
        for kpi in KPIS:
            a, b = figures(kpis[kpi]), figures(pg[kpi])
            same = a == b
            if not same:
                bad.append(f"{kpi} {w}: irokpid {a} but PostgreSQL {b}")
            print(json.dumps({"kind": "kpi_check", "r": {
                "events": events, "kpi": kpi, "window": w, "equal": same,
                "irokpid": a, "irokpid_us": kpis[kpi]["us"],
                "postgres": b, "postgres_us": pg[kpi]["us"]}}))
    conn.close()
    for b in bad:
        print(f"pg_kpi: DIFFERENT: {b}", file=sys.stderr)
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "irokpid":
        ask_irokpid(argv[2], argv[3:])
        return 0
    if len(argv) == 5 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
