#!/usr/bin/env bash
# The daemon's CPU for an ingest and a rebuild, to compare two builds on a
# machine whose load changes: ingest N irokpi-sim events (bench_ingest
# send, 4 producers, batch 1000) into a fresh irokpid, then run one
# `irokpi admin rebuild`, and print each one's events/s or seconds with
# the daemon's task-clock (perf stat -p) during it.  Run it for the old
# and the new build alternately.
#
# usage: bench/ab_cpu.sh BUILD_DIR [EVENTS]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:?usage: bench/ab_cpu.sh BUILD_DIR [EVENTS]}
n=${2:-1000000}
. bench/daemon.sh
clock() { # the task-clock in ms of a perf stat output file
  awk '/task-clock/ {gsub(",", "", $1); print $1}' "$1"
}
perf stat -e task-clock -p "$pid" -o "$work/ingest.perf" & ps=$!
sleep 0.3
"$B/bench/bench_ingest" send "ipc://$work/d/ingest.sock" "$work/ev.bin" \
  1000 4 0 "$n" | sed -E 's/.*"events_per_s": ([0-9]+).*/ingest: \1 ev\/s/'
kill -INT "$ps"; wait "$ps" || true
perf stat -e task-clock -p "$pid" -o "$work/rebuild.perf" & ps=$!
sleep 0.3
"$B/clients/irokpi" --data-dir "$work/d" --timeout 600000 admin rebuild
kill -INT "$ps"; wait "$ps" || true
echo "ingest: daemon cpu $(clock "$work/ingest.perf") ms"
echo "rebuild: daemon cpu $(clock "$work/rebuild.perf") ms"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
