#!/usr/bin/env bash
# Cosched as an MPI library: the Intel MPI Benchmarks and NPB 3.4's own code built twice, with
# `cosched mpicc`/`mpif90` and with Open MPI's wrappers, run side by side in one run (alternating
# round by round): IMB-MPI1 PingPong and Allreduce 8 B on 2 ranks beside `cosched bench` (the cost of
# the C layer) and beside Open MPI; every NPB kernel given, class A, 1 and 2 ranks, Mop/s of both;
# and the same NPB binaries on 2 ranks in 2 VMs: Cosched's with locality channels against Open MPI's
# in the same VMs (`cosched mpirun`), the paper's cure for the paper's own programs. IMB's rows get
# more rounds (IMB_ROUNDS, default 7): a launch lands in a fast or a slow state and stays there.
#
# Usage: bench/compare-mpi-library.sh IMB_SOURCE NPB_SOURCE [KERNELS] [CLASS] [ROUNDS]
#   IMB_SOURCE  a checkout of intel/mpi-benchmarks (built here, outside the repository)
#   NPB_SOURCE  NPB3.4-MPI of the NPB 3.4 sources (copied and built outside the repository)
#   KERNELS     comma-separated, default is (the C kernel; Fortran ones need the mpif90 bindings)
# Needs: apt-get install openmpi-bin libopenmpi-dev gfortran clang lld
set -euo pipefail
IMB=$(realpath "${1:?usage: $0 IMB_SOURCE NPB_SOURCE [KERNELS] [CLASS] [ROUNDS]}")
NPB=$(realpath "${2:?usage: $0 IMB_SOURCE NPB_SOURCE [KERNELS] [CLASS] [ROUNDS]}")
KERNELS=${3:-is}
CLASS=${4:-A}
ROUNDS=${5:-3}
IMB_ROUNDS=${IMB_ROUNDS:-7}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source bench/lib.sh
work=$(mktemp -d /tmp/compare-mpi-library-XXXXXX)
trap 'rm -rf "$work" "$frozen"' EXIT
./cosched mpi-env >/dev/null
ours=$PWD/.build/mpi/bin
for side in cosched openmpi; do
  if [[ $side == cosched ]]; then cc=$ours/mpicc cxx=$ours/mpicxx fc=$ours/mpif90; else cc=mpicc.openmpi cxx=mpicxx.openmpi fc=mpif90.openmpi; fi
  cp -r "$IMB" "$work/imb-$side"
  make -C "$work/imb-$side" clean >/dev/null 2>&1 || true
  make -C "$work/imb-$side" CC="$cc" CXX="$cxx" CPPFLAGS=-DOMPI_SKIP_MPICXX=1 IMB-MPI1 >"$work/imb-$side.log" 2>&1 \
    || { echo "compare-mpi-library: IMB with $side failed: $work/imb-$side.log" >&2; exit 1; }
  cp -r "$NPB" "$work/npb-$side"
  make -C "$work/npb-$side" clean >/dev/null 2>&1 || true
  # gfortran 10 and later reject NPB's mpif.h calls without -fallow-argument-mismatch (cosched mpif90 adds it itself).
  sed "s|^MPIFC *=.*|MPIFC = $fc|; s|^MPICC *=.*|MPICC = $cc|; s|^FFLAGS[[:space:]]*=.*|FFLAGS = -O3 -fallow-argument-mismatch|" \
    "$NPB/config/make.def.template" > "$work/npb-$side/config/make.def"
  mkdir -p "$work/npb-$side/bin"
  for k in ${KERNELS//,/ }; do
    make -C "$work/npb-$side" "$k" CLASS="$CLASS" >"$work/npb-$side-$k.log" 2>&1 \
      || { echo "compare-mpi-library: NPB $k with $side failed: $work/npb-$side-$k.log" >&2; exit 1; }
  done
done
echo "# commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"

# usec ROW: t[usec] (pingpong) or t_avg (collectives) of the 8-byte row of IMB's output.
usec() { awk '$1 == 8 && NF >= 4 { print (NF >= 5 ? $5 : $3); exit }'; }
mops() { awk '/Verification/ && /UNSUCCESSFUL/ { bad = 1 } /Mop\/s total/ { m = $NF } END { if (!bad && m != "") print m }'; }
declare -A rounds
for ((r = 1; r <= IMB_ROUNDS; r++)); do
  for b in PingPong Allreduce; do
    lower=${b,,}
    rounds[$b-imb]+=" $(cosched run -n 2 -- "$work/imb-cosched/IMB-MPI1" $b -msglog 3:3 -iter 20000 2>/dev/null | usec)"
    rounds[$b-bench]+=" $(cosched bench $lower -n 2 --msglog 3:3 2>/dev/null | usec)"
    rounds[$b-ompi]+=" $(mpirun -np 2 --bind-to core "$work/imb-openmpi/IMB-MPI1" $b -msglog 3:3 -iter 20000 2>/dev/null | usec)"
  done
done
# ranks KERNEL: the counts NPB allows it here (BT and SP want a square number: 1 rank on 2 cores).
ranks() { case $1 in bt|sp) echo 1 ;; *) echo 1 2 vm ;; esac; }
for ((r = 1; r <= ROUNDS; r++)); do
  for k in ${KERNELS//,/ }; do
    for n in $(ranks "$k"); do
      [[ $n == vm ]] && continue
      rounds[$k-$n-cosched]+=" $(cosched run -n $n -- "$work/npb-cosched/bin/$k.$CLASS.x" 2>/dev/null | mops)"
      rounds[$k-$n-ompi]+=" $(mpirun -np $n --bind-to core "$work/npb-openmpi/bin/$k.$CLASS.x" 2>/dev/null | mops)"
    done
    [[ $(ranks "$k") == *vm* ]] || continue
    rounds[$k-vm-cosched]+=" $(cosched run -n 2 --vms 2 --channels locality -- "$work/npb-cosched/bin/$k.$CLASS.x" 2>/dev/null | mops)"
    rounds[$k-vm-ompi]+=" $(cosched mpirun -n 2 --vms 2 -- "$work/npb-openmpi/bin/$k.$CLASS.x" 2>/dev/null | mops)"
  done
done
med() { printf '%s\n' $1 | median; }
echo "| row | IMB on Cosched | cosched bench | IMB on Open MPI | IMB-Cosched / bench | IMB-Cosched / Open MPI |"
echo "|---|---|---|---|---|---|"
for b in PingPong Allreduce; do
  i=$(med "${rounds[$b-imb]}"); c=$(med "${rounds[$b-bench]}"); o=$(med "${rounds[$b-ompi]}")
  printf '| %s 8 B, 2 ranks (usec) | %s [%s ] | %s [%s ] | %s [%s ] | %.2fx | %.2fx |\n' "$b" "$i" "${rounds[$b-imb]}" "$c" "${rounds[$b-bench]}" "$o" "${rounds[$b-ompi]}" \
    "$(echo "$i / $c" | bc -l)" "$(echo "$i / $o" | bc -l)"
done
echo
echo "| NPB kernel | class | ranks | Cosched-built Mop/s | Open MPI-built Mop/s | Cosched / Open MPI |"
echo "|---|---|---|---|---|---|"
for k in ${KERNELS//,/ }; do
  for n in $(ranks "$k"); do
    words=(${rounds[$k-$n-cosched]}); [[ ${#words[@]} -eq $ROUNDS ]] || { echo "compare-mpi-library: $k on $n ranks (Cosched) failed or did not verify" >&2; exit 1; }
    words=(${rounds[$k-$n-ompi]}); [[ ${#words[@]} -eq $ROUNDS ]] || { echo "compare-mpi-library: $k on $n ranks (Open MPI) failed or did not verify" >&2; exit 1; }
    c=$(med "${rounds[$k-$n-cosched]}"); o=$(med "${rounds[$k-$n-ompi]}")
    where=$([[ $n == vm ]] && echo "2 in 2 VMs (locality / Open MPI per-vm)" || echo "$n")
    printf '| %s | %s | %s | %s [%s ] | %s [%s ] | %.2fx |\n' "${k^^}" "$CLASS" "$where" "$c" "${rounds[$k-$n-cosched]}" "$o" "${rounds[$k-$n-ompi]}" "$(echo "$c / $o" | bc -l)"
  done
done
