#!/usr/bin/env bash
# Flat against two-level (shared-memory-group aware) collectives: barrier, bcast and allreduce at 8 B
# and 64 KiB, on 4 and 8 ranks natively and split over 2 VMs (network namespaces, root), compact and
# scatter, with per-vm channels (tcp between the VMs: two shared-memory groups) and locality channels
# (shared memory across the VMs: one group). "flat" is the selection table with two-level algorithms
# ruled out (COSCHED_TOPOLOGY_AWARE=0), "two-level" forces them (--algorithm X=two-level). Rounds
# alternate the two sides; the table gives medians of t_avg in microseconds and two-level / flat
# (below 1: two-level wins). With "native" and "locality" the ranks form one shared-memory group, so
# two-level runs the flat algorithm on it: those rows show the noise of the machine.
#
# Usage: bench/compare-hierarchical.sh [ROUNDS] [all|per-vm] [COLLECTIVE...]    (root: the namespace provider)
#   defaults: 3 rounds, all placements, barrier bcast allreduce (reduce and allgather have two-level too)
set -euo pipefail
ROUNDS=${1:-3}
WHERE=${2:-all}
COLLECTIVES=("${@:3}")
[[ ${#COLLECTIVES[@]} -gt 0 ]] || COLLECTIVES=(barrier bcast allreduce)
cd "$(dirname "$0")/.."
source bench/lib.sh

echo "| ranks | where | collective | flat (usec) | two-level (usec) | two-level / flat |"
echo "|---|---|---|---|---|---|"
config() { # config N WHERE VM-ARGS...
  local n=$1 where=$2; shift 2
  if [[ $WHERE == per-vm && $where != *per-vm* ]]; then return; fi
  for collective in "${COLLECTIVES[@]}"; do
    local -a flat8=() two8=() flat64=() two64=()
    for ((i = 0; i < ROUNDS; i++)); do
      local a b
      a=$(COSCHED_TOPOLOGY_AWARE=0 cosched bench "$collective" -n "$n" "$@" --msglog 3:16 --time 0.2 2>/dev/null)
      b=$(cosched bench "$collective" -n "$n" "$@" --msglog 3:16 --time 0.2 --algorithm "$collective=two-level" 2>/dev/null)
      if [[ $collective == barrier ]]; then
        flat8+=("$(barrier <<<"$a")") two8+=("$(barrier <<<"$b")")
      else
        flat8+=("$(value 8 5 <<<"$a")") two8+=("$(value 8 5 <<<"$b")")
        flat64+=("$(value 65536 5 <<<"$a")") two64+=("$(value 65536 5 <<<"$b")")
      fi
    done
    emit() { # emit LABEL FLAT... -- TWO...
      local label=$1 f t; shift
      f=$(printf '%s\n' "${@:1:ROUNDS}" | median) t=$(printf '%s\n' "${@:ROUNDS+1}" | median)
      echo "$n $where $label: flat ${*:1:ROUNDS} | two-level ${*:ROUNDS+1}" >&2
      printf '| %s | %s | %s | %.1f | %.1f | %.2f |\n' "$n" "$where" "$label" "$f" "$t" "$(echo "$t / $f" | bc -l)"
    }
    if [[ $collective == barrier ]]; then
      emit barrier "${flat8[@]}" "${two8[@]}"
    else
      emit "$collective 8 B" "${flat8[@]}" "${two8[@]}"
      emit "$collective 64 KiB" "${flat64[@]}" "${two64[@]}"
    fi
  done
}
for n in 4 8; do
  config "$n" native
  config "$n" "2 VMs compact, per-vm" --vms 2 --pin compact --channels per-vm
  config "$n" "2 VMs scatter, per-vm" --vms 2 --pin scatter --channels per-vm
  config "$n" "2 VMs compact, locality" --vms 2 --pin compact --channels locality
  config "$n" "2 VMs scatter, locality" --vms 2 --pin scatter --channels locality
done
