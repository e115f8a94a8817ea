#!/usr/bin/env bash
# NAS Parallel Benchmarks: Cosched's C# kernels against NPB 3.4's MPI reference (Fortran and C,
# gfortran/gcc -O3, Open MPI) on this machine, in one run, alternating the two so that both see the
# same machine state. One rank per core. Prints a markdown table of median Mop/s and the ratio
# Cosched / reference (higher is better; the issue asks for at least 0.7).
#
# Usage: bench/compare-npb.sh REFERENCE_BIN_DIR [KERNELS] [CLASS] [RANKS] [ROUNDS]
#   REFERENCE_BIN_DIR  NPB3.4-MPI/bin holding ep.A.x, cg.A.x, ... (built outside the repository:
#                      config/make.def with MPIFC=mpif90 MPICC=mpicc FFLAGS=CFLAGS=-O3, then
#                      `make ep CLASS=A`, one kernel at a time)
#   KERNELS            comma-separated, default ep,cg,is   CLASS default A
#   RANKS              comma-separated, default 1,2        ROUNDS default 3
# Needs: apt-get install openmpi-bin libopenmpi-dev gfortran
set -euo pipefail
BIN=$(realpath "${1:?usage: $0 REFERENCE_BIN_DIR [KERNELS] [CLASS] [RANKS] [ROUNDS]}")
KERNELS=${2:-ep,cg,is}
CLASS=${3:-A}
RANKS=${4:-1,2}
ROUNDS=${5:-3}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source bench/lib.sh
# mops: the Mop/s total of an NPB report; empty when the run did not verify.
mops() { awk '/Verification/ && /UNSUCCESSFUL/ { bad = 1 } /Mop\/s total/ { m = $NF } END { if (!bad && m != "") print m }'; }

echo "| kernel | class | ranks | reference Mop/s | Cosched Mop/s | Cosched / reference |"
echo "|---|---|---|---|---|---|"
for kernel in ${KERNELS//,/ }; do
  exe="$BIN/$kernel.$CLASS.x"
  [[ -x $exe ]] || { echo "cosched: $exe is missing (build it with make $kernel CLASS=$CLASS)" >&2; exit 2; }
  for n in ${RANKS//,/ }; do
    ref=() ours=()
    for ((i = 0; i < ROUNDS; i++)); do
      ref+=("$(mpirun -np "$n" --bind-to core "$exe" 2>/dev/null | mops)")
      ours+=("$(cosched npb "$kernel" --class "$CLASS" -n "$n" 2>/dev/null | mops)")
    done
    echo "$kernel class $CLASS, $n ranks: reference ${ref[*]} | cosched ${ours[*]}" >&2
    if [[ " ${ref[*]} ${ours[*]} " == *"  "* || ${#ref[@]} -ne $ROUNDS ]]; then
      echo "cosched: a run of $kernel on $n ranks failed or did not verify" >&2; exit 1
    fi
    r=$(printf '%s\n' "${ref[@]}" | median)
    o=$(printf '%s\n' "${ours[@]}" | median)
    printf '| %s | %s | %s | %.2f | %.2f | %.2f |\n' "${kernel^^}" "$CLASS" "$n" "$r" "$o" "$(echo "$o / $r" | bc -l)"
  done
done
