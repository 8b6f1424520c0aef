#!/usr/bin/env bash
# How far two processes at once scale on this machine when they only stream memory (from DRAM,
# from L3, or from an L3 share that fits one copy but not two) or only compute: the ceiling for
# `npm run bench -- --workers 2` (README, "Speed"). Needs gcc.
#   bash bench/machine-scaling.sh [rounds]
set -eu
rounds=${1:-3}
case $rounds in (""|*[!0-9]*|0) echo "machine-scaling: rounds must be a whole number >= 1, got '$rounds'" >&2; exit 2;; esac
command -v gcc >/dev/null || { echo "machine-scaling: needs gcc (apt-get install -y gcc)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gcc -O3 -mavx2 -mfma "$(dirname "$0")/machine-scaling.c" -o "$tmp/m"
row() {  # label, then the arguments of one run
  local label=$1; shift
  for r in $(seq "$rounds"); do
    one=$("$tmp/m" "$@")
    two=$( ("$tmp/m" "$@" & "$tmp/m" "$@"; wait) | paste -sd' ')
    awk -v l="$label" -v r="$r" -v one="$one" -v two="$two" \
      'BEGIN { split(two, t, " "); printf "%s, round %s: one %s, two at once %s + %s, ratio %.2f\n", l, r, one, t[1], t[2], (t[1] + t[2]) / one }'
  done
}
row "triad 400 MB (memory), GB/s" triad 400000000 4
row "triad 8 MB (L3), GB/s" triad 8000000 4
row "triad 16 MB (L3 for one copy, not for two), GB/s" triad 16000000 4
row "fma (registers only), GFLOP/s" fma 4
