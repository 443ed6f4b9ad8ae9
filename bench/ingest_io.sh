#!/usr/bin/env bash
# What a commit costs: ingest N irokpi-sim events at batch BATCH (one raw
# ZeroMQ producer, bench_ingest send) into a fresh irokpid, then print the
# producer's line (events/s, ack latency), the bytes the daemon had written
# to disk (/proc/PID/io write_bytes), its CPU time, and the pages of each
# LMDB database (mdb_stat).  Bytes written and pages do not depend on the
# machine's load, so they compare builds on a shared machine.
#
# usage: bench/ingest_io.sh [BUILD_DIR] [EVENTS] [BATCH]
#        defaults: build/release 1000000 1000
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build/release}
n=${2:-1000000}
batch=${3:-1000}
. bench/daemon.sh
"$B/bench/bench_ingest" send "ipc://$work/d/ingest.sock" "$work/ev.bin" \
  "$batch" 1 0 "$n"
awk '/^write_bytes/ {printf "write_bytes %.0f (%.1f MB a batch)\n", $2,
  $2 / 1e6 / '"$(( (n + batch - 1) / batch ))"'}' "/proc/$pid/io"
awk -v hz="$(getconf CLK_TCK)" '{printf "cpu user %.1f s, sys %.1f s\n",
  $14 / hz, $15 / hz}' "/proc/$pid/stat"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
mdb_stat -a "$work/d" | awk '/^Status of/ {db = $3}
  /Leaf pages/ {leaf = $3} /Entries/ {printf "%-10s %8d leaf pages %9d entries\n", db, leaf, $2}'
