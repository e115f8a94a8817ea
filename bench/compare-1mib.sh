#!/usr/bin/env bash
# PingPong of 1 MiB over shared memory, Cosched against Open MPI, alternating round by round, and
# the same figure from a quick study's sweep: shows how much this host's large-message bandwidth
# varies between runs (both MPIs alike), which is why the study reports medians of rounds.
#
# Usage: bench/compare-1mib.sh [ROUNDS]   (default 9)
# Needs: apt-get install openmpi-bin libopenmpi-dev
set -euo pipefail
ROUNDS=${1:-9}
cd "$(dirname "$0")/.."
source bench/lib.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpicc -O2 -o "$frozen/pingpong-1mib" bench/pingpong-1mib.c

echo "| round | Cosched --msglog 20:20 | Cosched 1 MiB in --msglog 0:20 --time 0.03 | Open MPI |"
echo "|---:|---:|---:|---:|"
single=() sweep=() openmpi=()
for ((r = 1; r <= ROUNDS; r++)); do
  s=$(cosched bench pingpong -n 2 --msglog 20:20 | value 1048576 4)
  w=$(cosched bench pingpong -n 2 --msglog 0:20 --time 0.03 | value 1048576 4)
  o=$(mpirun -np 2 --bind-to core "$frozen/pingpong-1mib")
  single+=("$s") sweep+=("$w") openmpi+=("$o")
  echo "| $r | $s | $w | $o |"
done
echo "| median | $(printf '%s\n' "${single[@]}" | median) | $(printf '%s\n' "${sweep[@]}" | median) | $(printf '%s\n' "${openmpi[@]}" | median) |"
echo "(MB/s; commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'))"
