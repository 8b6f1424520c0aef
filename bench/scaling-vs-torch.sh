#!/usr/bin/env bash
# Two-worker scaling of randwire next to PyTorch's own, in the same minutes: each round runs
# `npm run bench -- --case randwire-ws-c32-n32 --workers 2 --rounds 1` (one worker alone, then two
# at once, one thread each), then PyTorch's reference of the same network (torch_bench.py, one
# thread, batch 128) alone and two copies at once. A shared machine drifts from minute to
# minute, so the two are only comparable when measured side by side. Not a test.
#   bash bench/scaling-vs-torch.sh [rounds] [torch_bench.py]     (npm run bench:scaling-vs-torch)
# Needs Debian's python3-torch (../shared/bench/README.md).
set -eu
rounds=${1:-3}
torch_bench=${2:-../shared/bench/torch_bench.py}
py=/usr/bin/python3
case $rounds in (""|*[!0-9]*|0) echo "scaling-vs-torch: rounds must be a whole number >= 1, got '$rounds'" >&2; exit 2;; esac
[ -f "$torch_bench" ] || { echo "scaling-vs-torch: no PyTorch reference at $torch_bench (pass its path)" >&2; exit 2; }
"$py" -c 'import torch' 2>/dev/null || { echo "scaling-vs-torch: $py has no torch (apt-get install -y python3-torch python3-numpy libopenblas0-pthread)" >&2; exit 2; }

out=$(mktemp); err=$(mktemp); trap 'rm -f "$out" "$err"' EXIT
# A run that fails says why in one line (its last line of stderr) instead of a silent exit.
fail() { echo "scaling-vs-torch: $1 failed: $(tail -1 "$err")" >&2; exit 1; }
torch_once() {
  "$py" "$torch_bench" --model randwire --graph ws --K 4 --P 0.75 --C 32 --N 32 --batch 128 --threads 1 \
    --modes train --steps 16 --warmup 3 --wait-quiet 0 2>>"$err" | grep -o '"imgs_per_s_all": [0-9.]*' | grep -o '[0-9.]*$' || true
}
field() { grep -o "\"$1\":[0-9.]*" | tail -1 | cut -d: -f2; }

for r in $(seq "$rounds"); do
  ours=$(npm run --silent bench -- --case randwire-ws-c32-n32 --workers 2 --rounds 1 2>"$err" | tail -1) || fail "npm run bench"
  oa=$(echo "$ours" | field aloneImagesPerSec || true); ot=$(echo "$ours" | field togetherImagesPerSec || true)
  [ -n "$oa" ] && [ -n "$ot" ] || fail "npm run bench"
  : >"$err"
  ta=$(torch_once)
  tt=$( (torch_once & torch_once; wait) | awk '{ s += $1; n++ } END { if (n == 2) print s }')
  [ -n "$ta" ] && [ -n "$tt" ] || fail "$torch_bench"
  awk -v r="$r" -v oa="$oa" -v ot="$ot" -v ta="$ta" -v tt="$tt" 'BEGIN {
    printf "round %s: randwire alone %.1f, two at once %.1f, ratio %.2f | pytorch alone %.1f, two at once %.1f, ratio %.2f\n",
      r, oa, ot, ot / oa, ta, tt, tt / ta }' | tee -a "$out"
done
awk '{ o[NR] = $11 + 0; t[NR] = $(NF) + 0 }
  function med(a, n,   i, j, x) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { n = NR; printf "median ratio over %d rounds: randwire %.2f, pytorch %.2f\n", n, med(o, n), med(t, n) }' "$out"
