# Sourced by bench/ingest_io.sh and bench/rebuild.sh, with B (build dir)
# and n (events) set: a work folder ($work), n irokpi-sim events prepared
# for bench_ingest ($work/ev.bin) and a fresh irokpid on $work/d ($pid),
# killed and removed on exit.
work=$(mktemp -d /tmp/irk-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$B/sim/irokpi-sim" --events "$n" >"$work/ev.jsonl"
"$B/bench/bench_ingest" prep "$work/ev.jsonl" "$work/ev.bin" 2>/dev/null
"$B/daemon/irokpid" --data-dir "$work/d" -d 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 200); do
  [ -S "$work/d/ingest.sock" ] && "$B/clients/irokpi" --data-dir "$work/d" \
    --timeout 200 stats >/dev/null 2>&1 && break
  sleep 0.05
done
