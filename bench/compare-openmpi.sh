#!/usr/bin/env bash
# Side-by-side measurement of Cosched and Open MPI (+ Intel MPI Benchmarks) on this machine, in one
# run, alternating the two so that both see the same machine state. Prints a markdown table of
# medians and their ratio (Cosched / Open MPI; for bandwidth Open MPI / Cosched, so lower is better).
#
# Usage: bench/compare-openmpi.sh PATH/TO/IMB-MPI1 [ROUNDS]
# Needs: apt-get install openmpi-bin libopenmpi-dev; IMB-MPI1 built from the public
# intel/mpi-benchmarks sources (make CC=mpicc CXX=mpicxx CPPFLAGS=-DOMPI_SKIP_MPICXX=1 IMB-MPI1).
set -euo pipefail
IMB=${1:?usage: $0 PATH/TO/IMB-MPI1 [ROUNDS]}
ROUNDS=${2:-5}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source bench/lib.sh
# best: the lowest time, or for a bandwidth (MB/s) the highest, of the rounds.
best() { if [[ $1 == *MB/s* ]]; then sort -g | tail -1; else sort -g | head -1; fi; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

declare -A ours theirs ours_best theirs_best
run() { # run NAME EXTRACT -- COSCHED-ARGS -- MPIRUN-ARGS
  local name=$1 extract=$2; shift 2
  local -a a=() b=(); local side=a
  shift # --
  for x in "$@"; do if [[ $x == -- ]]; then side=b; elif [[ $side == a ]]; then a+=("$x"); else b+=("$x"); fi; done
  local oa=() ob=()
  for ((i = 0; i < ROUNDS; i++)); do
    oa+=("$(cosched "${a[@]}" 2>/dev/null | eval "$extract")")
    ob+=("$(mpirun "${b[@]}" 2>/dev/null | eval "$extract")")
  done
  ours[$name]=$(printf '%s\n' "${oa[@]}" | median)
  theirs[$name]=$(printf '%s\n' "${ob[@]}" | median)
  ours_best[$name]=$(printf '%s\n' "${oa[@]}" | best "$name")
  theirs_best[$name]=$(printf '%s\n' "${ob[@]}" | best "$name")
  echo "$name: cosched ${oa[*]} | open mpi ${ob[*]}" >&2
}

run "pingpong 8 B shm (usec)" "value 8 3" -- bench pingpong -n 2 --msglog 3:3 -- -np 2 --bind-to core "$IMB" PingPong -msglog 3:3
run "pingpong 1 MiB shm (MB/s)" "value 1048576 4" -- bench pingpong -n 2 --msglog 20:20 -- -np 2 --bind-to core "$IMB" PingPong -msglog 20:20
run "allreduce 8 B, 2 ranks (usec)" "value 8 5" -- bench allreduce -n 2 --msglog 3:3 -- -np 2 --bind-to core "$IMB" Allreduce -msglog 3:3
run "barrier, 8 ranks on 2 cores (usec)" "barrier" -- bench barrier -n 8 -- -np 8 --oversubscribe "$IMB" Barrier -npmin 8
run "pingpong 8 B tcp loopback (usec)" "value 8 3" -- bench pingpong -n 2 --channels network --msglog 3:3 -- -np 2 --bind-to core --mca btl tcp,self "$IMB" PingPong -msglog 3:3

sa=() sb=()
for ((i = 0; i < ROUNDS * 4; i++)); do
  sa+=("$(seconds ./cosched run -n 2 -- true)")  # the real entry point, script included
  sb+=("$(seconds mpirun -np 2 true)")
done
ours["start 2 ranks of true (s)"]=$(printf '%s\n' "${sa[@]}" | median)
theirs["start 2 ranks of true (s)"]=$(printf '%s\n' "${sb[@]}" | median)
ours_best["start 2 ranks of true (s)"]=$(printf '%s\n' "${sa[@]}" | best s)
theirs_best["start 2 ranks of true (s)"]=$(printf '%s\n' "${sb[@]}" | best s)

echo "| measurement | Cosched median | Open MPI median | ratio of medians | Cosched best | Open MPI best | ratio of bests |"
echo "|---|---|---|---|---|---|---|"
for name in "pingpong 8 B shm (usec)" "pingpong 1 MiB shm (MB/s)" "allreduce 8 B, 2 ranks (usec)" \
  "barrier, 8 ranks on 2 cores (usec)" "pingpong 8 B tcp loopback (usec)" "start 2 ranks of true (s)"; do
  a=${ours[$name]} b=${theirs[$name]} c=${ours_best[$name]} d=${theirs_best[$name]}
  if [[ $name == *MB/s* ]]; then r=$(echo "$b / $a" | bc -l) q=$(echo "$d / $c" | bc -l); else r=$(echo "$a / $b" | bc -l) q=$(echo "$c / $d" | bc -l); fi
  printf '| %s | %.3f | %.3f | %.2fx | %.3f | %.3f | %.2fx |\n' "$name" "$a" "$b" "$r" "$c" "$d" "$q"
done
