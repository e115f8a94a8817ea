#!/usr/bin/env bash
# The paper's effect and its cure on this machine: the same micro-benchmarks natively, with the
# ranks split over VMs (network namespaces, root) using per-vm channels (tcp between VMs, what the
# paper measured) and locality channels (shared memory across VMs). Rounds alternate the three
# configurations; the table gives medians and each VM configuration's factor against native.
#
# Usage: bench/compare-vms.sh [ROUNDS]      (root: the namespace provider)
set -euo pipefail
ROUNDS=${1:-3}
cd "$(dirname "$0")/.."
source bench/lib.sh

echo "| benchmark | ranks in VMs | native | per-vm | per-vm factor | locality | locality factor |"
echo "|---|---|---|---|---|---|---|"
row() { # row LABEL RANKS VMS EXTRACT BENCH-ARGS...
  local label=$1 n=$2 k=$3 extract=$4; shift 4
  local -a nat=() per=() loc=()
  for ((i = 0; i < ROUNDS; i++)); do
    nat+=("$(cosched bench "$@" -n "$n" 2>/dev/null | eval "$extract")")
    per+=("$(cosched bench "$@" -n "$n" --vms "$k" --channels per-vm 2>/dev/null | eval "$extract")")
    loc+=("$(cosched bench "$@" -n "$n" --vms "$k" --channels locality 2>/dev/null | eval "$extract")")
  done
  local a b c
  a=$(printf '%s\n' "${nat[@]}" | median) b=$(printf '%s\n' "${per[@]}" | median) c=$(printf '%s\n' "${loc[@]}" | median)
  echo "$label $n/$k: native ${nat[*]} | per-vm ${per[*]} | locality ${loc[*]}" >&2
  if [[ $label == *MB/s* ]]; then
    printf '| %s | %s in %s | %.2f | %.2f | %.2fx | %.2f | %.2fx |\n' "$label" "$n" "$k" "$a" "$b" "$(echo "$a / $b" | bc -l)" "$c" "$(echo "$a / $c" | bc -l)"
  else
    printf '| %s | %s in %s | %.2f | %.2f | %.2fx | %.2f | %.2fx |\n' "$label" "$n" "$k" "$a" "$b" "$(echo "$b / $a" | bc -l)" "$c" "$(echo "$c / $a" | bc -l)"
  fi
}
row "pingpong 8 B (usec)" 2 2 "value 8 3" pingpong --msglog 3:3
row "pingpong 1 MiB (MB/s)" 2 2 "value 1048576 4" pingpong --msglog 20:20
row "barrier (usec)" 2 2 "barrier" barrier
row "allreduce 8 B (usec)" 2 2 "value 8 5" allreduce --msglog 3:3
row "alltoall 8 B (usec)" 2 2 "value 8 5" alltoall --msglog 3:3
row "barrier (usec)" 8 8 "barrier" barrier
row "allreduce 8 B (usec)" 8 8 "value 8 5" allreduce --msglog 3:3
row "alltoall 8 B (usec)" 8 8 "value 8 5" alltoall --msglog 3:3
