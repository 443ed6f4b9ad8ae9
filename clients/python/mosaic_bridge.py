#!/usr/bin/python3
"""mosaic_bridge: publish a Mosaic CSV export's case events to irokpid.

    mosaic_bridge.py --data-dir /var/lib/irokpid --state bridge.state \\
        export.csv

One CSV row is one case event (the columns are in README.md). Rows are
sent in batches; after each ack the state file records the number of rows
acknowledged, so a bridge stopped half-way (or killed) starts again after
the last acknowledged row. Rows sent but not acknowledged before a stop are
sent again: their event ids make that safe (the daemon stores an id once).

Exit status: 0 every row stored or a duplicate; 1 some rows rejected (each
is listed on standard error with its line and field); 2 the daemon did not
answer, or bad usage.
"""

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import irokpi  # noqa: E402

# Columns by the kind of value they carry; every other column is a string.
# An empty cell leaves the field out.
BOOLS = {"disability", "permanence_plan", "child_attended", "advocacy"}
INTS = {"previous_plans", "stage", "v"}
LISTS = {"agencies_invited", "agencies_attended"}  # ";"-separated
NULLABLE = {"sw_report_at", "report_to_parents_at", "report_to_chair_at"}
NULL_WORDS = {"null", "none", "never"}
# Columns that are not event fields.
NOT_FIELDS = {"row_id"}


class RowError(ValueError):
    pass


def row_event(row, source):
    """The event map of one CSV row (a dict of column -> cell)."""
    ev = {}
    for col, cell in row.items():
        if col is None or col in NOT_FIELDS:
            continue
        cell = (cell or "").strip()
        if cell == "":
            continue
        if col in NULLABLE and cell.lower() in NULL_WORDS:
            ev[col] = None
        elif col in BOOLS:
            low = cell.lower()
            if low in ("true", "yes", "y", "1"):
                ev[col] = True
            elif low in ("false", "no", "n", "0"):
                ev[col] = False
            else:
                raise RowError("%s: %r is not yes or no" % (col, cell))
        elif col in INTS:
            try:
                ev[col] = int(cell)
            except ValueError:
                raise RowError("%s: %r is not a whole number" % (col, cell))
        elif col in LISTS:
            ev[col] = [a.strip() for a in cell.split(";") if a.strip()]
        else:
            ev[col] = cell
    row_id = (row.get("row_id") or "").strip()
    if "id" not in ev:
        if not row_id:
            raise RowError("no id and no row_id")
        ev["id"] = "mosaic-" + row_id
    if source and "source" not in ev:
        ev["source"] = source
    return ev


def read_state(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except FileNotFoundError:
        return 0


def write_state(path, rows_done):
    """Atomically: a stop mid-write leaves the old count, never half."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % rows_done)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Publish a Mosaic CSV export's case events to irokpid, "
        "resuming after the last acknowledged row.")
    ap.add_argument("csv", help="the export (UTF-8 CSV with a header row)")
    ap.add_argument("--data-dir", help="irokpid's data folder "
                    "(default $IROKPI_DIR)")
    ap.add_argument("--ingest", help="ingest endpoint instead of "
                    "DIR/ingest.sock")
    ap.add_argument("--state", help="state file: rows acknowledged so far "
                    "(default CSV.state)")
    ap.add_argument("--batch", type=int, default=500,
                    help="rows a batch (default 500)")
    ap.add_argument("--timeout", type=float, default=5.0,
                    help="seconds to wait for an ack before resending")
    ap.add_argument("--tries", type=int, default=5,
                    help="sends of a batch before giving up")
    ap.add_argument("--source", default="mosaic_bridge",
                    help="the events' source field (default mosaic_bridge)")
    a = ap.parse_args(argv)
    if not 1 <= a.batch <= irokpi.MAX_BATCH:
        ap.error("--batch must be 1 to %d" % irokpi.MAX_BATCH)
    state = a.state or a.csv + ".state"
    done = read_state(state)
    stored = dups = rejected = 0

    try:
        client = irokpi.Client(data_dir=a.data_dir, ingest=a.ingest,
                               timeout=a.timeout, tries=a.tries)
    except ValueError as e:
        ap.error(str(e))
    with client, open(a.csv, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        pending = []  # (line, event) of the batch being filled
        rowno = 0

        def flush():
            nonlocal stored, dups, rejected, done
            if not pending:
                return
            ack = client.publish([e for _, e in pending])
            stored += ack.stored
            dups += ack.duplicates
            for i, field, reason in ack.rejected:
                rejected += 1
                print("%s:%d: rejected: %s: %s"
                      % (a.csv, pending[i][0], field, reason),
                      file=sys.stderr)
            done += len(pending)
            write_state(state, done)
            pending.clear()

        try:
            for row in reader:
                rowno += 1
                if rowno <= done:
                    continue  # acknowledged by an earlier run
                try:
                    ev = row_event(row, a.source)
                except RowError as e:
                    # Never sent: resending would not mend it.  The rows
                    # before it are sent first so that the state file,
                    # a count of rows, stays exact.
                    flush()
                    rejected += 1
                    print("%s:%d: rejected: %s" % (a.csv, reader.line_num, e),
                          file=sys.stderr)
                    done += 1
                    write_state(state, done)
                    continue
                pending.append((reader.line_num, ev))
                if len(pending) >= a.batch:
                    flush()
            flush()
        except irokpi.IrokpiError as e:
            print("mosaic_bridge: %s; %d rows acknowledged, a re-run "
                  "resumes there" % (e, done), file=sys.stderr)
            return 2
    print("mosaic_bridge: %d rows acknowledged: %d stored, %d duplicates, "
          "%d rejected" % (done, stored, dups, rejected))
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
