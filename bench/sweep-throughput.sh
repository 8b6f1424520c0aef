#!/usr/bin/env bash
# Trials per hour of `randwire sweep run` on this machine: one worker (on both cores, then on
# one), two workers, and two through a local Redis queue (one `randwire worker --concurrency 2`),
# on six trials of the wiring preset's size (bench/sweep-throughput.json). Needs Fashion-MNIST and redis-server.
#   bash bench/sweep-throughput.sh
set -eu
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "sweep-throughput: needs redis-server (apt-get install -y redis-server)" >&2; exit 2; }
worker=
tmp=$(mktemp -d); trap '[ -n "$worker" ] && kill "$worker" 2>/dev/null; redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
port=$((20000 + RANDOM % 20000))
spec=bench/sweep-throughput.json
trials=$(node bin/randwire.js sweep plan "$spec" --json | wc -l)
timed() {  # label, then the command; prints trials per hour
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$tmp/out.log" 2>&1 || { cat "$tmp/out.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$trials" 'BEGIN { printf "%-34s %3d trials in %6.1f s: %6.1f trials/hour\n", l, n, e - s, n * 3600 / (e - s) }'
}
timed "local, --workers 1" node bin/randwire.js sweep run "$spec" --out "$tmp/one" --workers 1
# The scaling baseline: one worker on one core (alone, a worker's kernels use both cores).
timed "local, --workers 1, one thread" env RANDWIRE_THREADS=1 node bin/randwire.js sweep run "$spec" --out "$tmp/one-thread" --workers 1
timed "local, --workers 2" node bin/randwire.js sweep run "$spec" --out "$tmp/two" --workers 2
redis-server --port "$port" --bind 127.0.0.1 --save '' --daemonize yes --logfile "$tmp/redis.log" --dir "$tmp"
sleep 0.5
node bin/randwire.js worker --queue "redis://127.0.0.1:$port" --concurrency 2 --work "$tmp/work" > "$tmp/worker.log" 2>&1 &
worker=$!
timed "queue, one worker --concurrency 2" node bin/randwire.js sweep run "$spec" --out "$tmp/queue" --queue "redis://127.0.0.1:$port"
# The same trials give the same numbers whichever way they ran.
for d in two queue; do
  cmp <(cut -d, -f1-17 "$tmp/one/report/trials.csv") <(cut -d, -f1-17 "$tmp/$d/report/trials.csv") >/dev/null || echo "sweep-throughput: $d differs from one worker in trials.csv" >&2
done
