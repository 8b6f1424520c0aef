#!/usr/bin/env bash
# How busy the workers of a halving search stay, and the coordinator's own time per trial (planning
# decisions and writing sweep.db, measured inside it): `randwire sweep run` of a Hyperband search
# (bench/search-halving.json: 15 trials of the wiring preset's size, 1..9 epochs, eta 3) with 2
# workers, one line per run. Issue #27's target: busy >= 90 %. Needs Fashion-MNIST; run it on a quiet machine.
#   bash bench/search-busy.sh [sweep file] [worker counts, default "2"]
set -eu
cd "$(dirname "$0")/.."
spec=${1:-bench/search-halving.json}
counts=${2:-2}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
trials=$(node bin/randwire.js sweep plan "$spec" --json | wc -l)
for workers in $counts; do
  start=$(date +%s.%N)
  node bin/randwire.js sweep run "$spec" --out "$tmp/w$workers" --workers "$workers" > "$tmp/out.log" 2>&1 || { cat "$tmp/out.log" >&2; exit 1; }
  end=$(date +%s.%N)
  line=$(grep -E '^workers busy ' "$tmp/out.log" | tail -1)
  [ -n "$line" ] || { echo "search-busy: sweep run printed no 'workers busy' line (not a halving search?)" >&2; cat "$tmp/out.log" >&2; exit 1; }
  jobs=$(node -e "const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});console.log(d.prepare('SELECT COUNT(*) n FROM search_rungs').get().n)" "$tmp/w$workers/sweep.db")
  awk -v w="$workers" -v n="$trials" -v j="$jobs" -v s="$start" -v e="$end" -v l="$line" 'BEGIN { printf "halving, --workers %d: %d trials, %d rung jobs in %7.1f s; %s\n", w, n, j, e - s, l }'
done
