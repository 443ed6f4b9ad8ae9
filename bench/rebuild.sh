#!/usr/bin/env bash
# What a rebuild costs: ingest N irokpi-sim events at batch 1000 (one raw
# ZeroMQ producer, bench_ingest send) into a fresh irokpid, then run
# `irokpi admin rebuild` RUNS times and print, for each, its seconds and
# events/s and the daemon's anonymous memory at its highest during the
# rebuild (RssAnon sampled every 20 ms: LMDB keeps a write transaction's
# dirty pages in malloc'd memory), with VmHWM (the mapped pages included),
# and the daemon's CPU time (user + sys) during it, which depends less than
# seconds on what else the machine runs.
#
# usage: bench/rebuild.sh [BUILD_DIR] [EVENTS] [RUNS]
#        defaults: build/release 1000000 3
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build/release}
n=${2:-1000000}
runs=${3:-3}
. bench/daemon.sh
"$B/bench/bench_ingest" send "ipc://$work/d/ingest.sock" "$work/ev.bin" \
  1000 1 0 "$n" >/dev/null
stored=$("$B/clients/irokpi" --data-dir "$work/d" stats --json |
  sed -nE 's/.*"events": *([0-9]+).*/\1/p')
anon() { awk '/^RssAnon/ {print $2}' "/proc/$pid/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # ticks
for r in $(seq "$runs"); do
  "$B/clients/irokpi" --data-dir "$work/d" --timeout 600000 admin rebuild \
    >"$work/rb.txt" &
  cli=$!
  top=0 c0=$(cpu)
  while kill -0 "$cli" 2>/dev/null; do
    a=$(anon); [ "$a" -gt "$top" ] && top=$a
    sleep 0.02
  done
  wait "$cli"
  s=$(sed -nE 's/.* in ([0-9.]+) s.*/\1/p' "$work/rb.txt")
  awk -v r="$r" -v n="$stored" -v s="$s" -v top="$top" \
    -v c="$(( $(cpu) - c0 ))" -v hz="$(getconf CLK_TCK)" \
    -v hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")" \
    'BEGIN {printf "rebuild %d: %d events in %.2f s: %.0f events/s, cpu %.2f s, peak anon %.1f MiB, VmHWM %.1f MiB\n",
      r, n, s, n / s, c / hz, top / 1024, hwm / 1024}'
done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
