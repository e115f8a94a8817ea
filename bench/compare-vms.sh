#!/usr/bin/env bash
# The paper's effect and its cure on this machine: the same micro-benchmarks natively, with the
# ranks split over VMs (network namespaces, root) using per-vm channels (tcp between VMs, what the
# paper measured) and locality channels (shared memory across VMs). With an IMB binary, Open MPI
# runs beside them in the same configurations: natively, and inside the same kind of VMs through
# `cosched mpirun` (vader inside a VM, tcp between VMs). Rounds alternate the configurations; the
# table gives medians and each configuration's factor against its own native run.
#
# Usage: bench/compare-vms.sh [ROUNDS] [IMB-MPI1]      (root: the namespace provider)
set -euo pipefail
ROUNDS=${1:-3}
IMB=${2:-}
cd "$(dirname "$0")/.."
source bench/lib.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

if [[ -n $IMB ]]; then
  echo "| benchmark | ranks in VMs | native | per-vm | per-vm factor | locality | locality factor | Open MPI native | Open MPI in VMs | Open MPI factor |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
else
  echo "| benchmark | ranks in VMs | native | per-vm | per-vm factor | locality | locality factor |"
  echo "|---|---|---|---|---|---|---|"
fi
factor() { # factor LABEL BASE OTHER: slowdown of OTHER against BASE (bandwidth rows: inverted)
  if [[ $1 == *MB/s* ]]; then echo "$2 / $3" | bc -l; else echo "$3 / $2" | bc -l; fi
}
row() { # row LABEL RANKS VMS EXTRACT IMB-NAME BENCH-ARGS...
  local label=$1 n=$2 k=$3 extract=$4 imbname=$5; shift 5
  local -a nat=() per=() loc=() onat=() ovm=()
  for ((i = 0; i < ROUNDS; i++)); do
    nat+=("$(cosched bench "$@" -n "$n" 2>/dev/null | eval "$extract")")
    per+=("$(cosched bench "$@" -n "$n" --vms "$k" --channels per-vm 2>/dev/null | eval "$extract")")
    loc+=("$(cosched bench "$@" -n "$n" --vms "$k" --channels locality 2>/dev/null | eval "$extract")")
    if [[ -n $IMB ]]; then
      local imbargs=("$imbname" -npmin "$n" -mem 1)
      [[ ${2:-} == --msglog ]] && imbargs+=(-msglog "$3")
      onat+=("$(cosched mpirun -n "$n" -- "$IMB" "${imbargs[@]}" 2>/dev/null | eval "$extract")")
      ovm+=("$(cosched mpirun -n "$n" --vms "$k" -- "$IMB" "${imbargs[@]}" 2>/dev/null | eval "$extract")")
    fi
  done
  local a b c
  a=$(printf '%s\n' "${nat[@]}" | median) b=$(printf '%s\n' "${per[@]}" | median) c=$(printf '%s\n' "${loc[@]}" | median)
  echo "$label $n/$k: native ${nat[*]} | per-vm ${per[*]} | locality ${loc[*]} | openmpi ${onat[*]:-} | openmpi-vms ${ovm[*]:-}" >&2
  printf '| %s | %s in %s | %.2f | %.2f | %.2fx | %.2f | %.2fx |' "$label" "$n" "$k" "$a" "$b" "$(factor "$label" "$a" "$b")" "$c" "$(factor "$label" "$a" "$c")"
  if [[ -n $IMB ]]; then
    local d e
    d=$(printf '%s\n' "${onat[@]}" | median) e=$(printf '%s\n' "${ovm[@]}" | median)
    printf ' %.2f | %.2f | %.2fx |' "$d" "$e" "$(factor "$label" "$d" "$e")"
  fi
  echo
}
row "pingpong 8 B (usec)" 2 2 "value 8 3" PingPong pingpong --msglog 3:3
row "pingpong 1 MiB (MB/s)" 2 2 "value 1048576 4" PingPong pingpong --msglog 20:20
row "barrier (usec)" 2 2 "barrier" Barrier barrier
row "allreduce 8 B (usec)" 2 2 "value 8 5" Allreduce allreduce --msglog 3:3
row "alltoall 8 B (usec)" 2 2 "value 8 5" Alltoall alltoall --msglog 3:3
row "barrier (usec)" 8 8 "barrier" Barrier barrier
row "allreduce 8 B (usec)" 8 8 "value 8 5" Allreduce allreduce --msglog 3:3
row "alltoall 8 B (usec)" 8 8 "value 8 5" Alltoall alltoall --msglog 3:3
