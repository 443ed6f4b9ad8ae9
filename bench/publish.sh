#!/usr/bin/env bash
# Ingest benchmark through the real path: irokpi-sim writes N events, the
# irokpi CLI publishes them to a fresh irokpid (durable acks, LMDB fsync on
# every commit), and this script prints events/s, the daemon's peak memory
# (anonymous, i.e. its own; and total RSS, which includes LMDB's mapped
# pages) and bytes on disk per event.
#
# usage: bench/publish.sh [BUILD_DIR] [EVENTS] [BATCH]
#        defaults: build/release 1000000 1000
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
events=${2:-1000000}
batch=${3:-1000}
if [ ! -x "$build/daemon/irokpid" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$build/sim/irokpi-sim" --events "$events" >"$work/events.jsonl"
"$build/daemon/irokpid" --data-dir "$work/data" -d 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 100); do
  "$build/clients/irokpi" --data-dir "$work/data" --timeout 200 stats \
    >/dev/null 2>&1 && break
  sleep 0.1
done

# Sample the daemon's memory every 50 ms while it works.
( peak_anon=0 peak_rss=0
  while kill -0 "$pid" 2>/dev/null; do
    a=$(awk '/^RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    r=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ "${a:-0}" -gt "$peak_anon" ] && peak_anon=$a
    [ "${r:-0}" -gt "$peak_rss" ] && peak_rss=$r
    echo "$peak_anon $peak_rss" >"$work/mem"
    sleep 0.05
  done ) &
sampler=$!

start=$(date +%s.%N)
"$build/clients/irokpi" --data-dir "$work/data" publish --batch "$batch" \
  "$work/events.jsonl" >"$work/summary"
end=$(date +%s.%N)
sleep 0.2
read -r anon rss <"$work/mem"
"$build/bench/bench_query" "ipc://$work/data/query.sock" 2000 >"$work/query"
kill "$pid"; wait "$pid" 2>/dev/null || true
kill "$sampler" 2>/dev/null || true
bytes=$(stat -c %s "$work/data/data.mdb")
stored=$(sed -E 's/stored ([0-9]+).*/\1/' "$work/summary")

awk -v n="$events" -v s="$start" -v e="$end" -v anon="$anon" -v rss="$rss" \
    -v bytes="$bytes" -v stored="$stored" -v batch="$batch" \
    -v cpu="$(nproc)" -v summary="$(cat "$work/summary")" 'BEGIN {
  t = e - s
  printf "setup: %d events (irokpi-sim), batch %d, 1 producer (irokpi publish), %d cores, durable commits\n", n, batch, cpu
  printf "result: %s\n", summary
  printf "elapsed_s      %.2f\n", t
  printf "events_per_s   %.0f\n", n / t
  printf "peak_anon_mib  %.1f\n", anon / 1024
  printf "peak_rss_mib   %.1f   (includes LMDB pages mapped from the file)\n", rss / 1024
  printf "disk_bytes_per_event %.0f\n", bytes / stored
}'
echo
cat "$work/query"
