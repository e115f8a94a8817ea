#!/usr/bin/env bash
# Cosched and Open MPI (+ Intel MPI Benchmarks) side by side on a Slurm cluster, both started by the
# same `srun --mpi=pmix` on the same nodes, alternating round by round. Prints a markdown table of
# medians with their spread (min..max of the rounds) and the ratio Cosched / Open MPI (for a
# bandwidth Open MPI / Cosched, so lower is better for every row).
#
# Usage: bench/compare-slurm.sh PATH/TO/IMB-MPI1 [ROUNDS]
# Needs: a cluster of at least 3 nodes, for example the test cluster on this machine (root):
#   eval "$(scripts/slurm-cluster up --nodes 3)"; bench/compare-slurm.sh ../imb/IMB-MPI1; scripts/slurm-cluster down
# and IMB-MPI1 built with Open MPI from the public intel/mpi-benchmarks sources
# (make CC=mpicc CXX=mpicxx CPPFLAGS=-DOMPI_SKIP_MPICXX=1 IMB-MPI1).
set -euo pipefail
IMB=$(realpath "${1:?usage: $0 PATH/TO/IMB-MPI1 [ROUNDS]}")
ROUNDS=${2:-5}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source bench/lib.sh
command -v srun >/dev/null || { echo "compare-slurm: srun is not installed" >&2; exit 1; }
sinfo -h >/dev/null || { echo "compare-slurm: no Slurm cluster answers (eval \"\$(scripts/slurm-cluster up --nodes 3)\" first)" >&2; exit 1; }
step=(srun --mpi=pmix --time=5)
cli=(dotnet "$frozen/Cosched.Cli.dll")

dotnet build -c Release -v q examples/hello >/dev/null
hello_cs=(dotnet examples/hello/bin/Release/net10.0/hello.dll)
hello_c=$frozen/hello-openmpi
cat >"$frozen/hello.c" <<'C'
#include <mpi.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int rank, size; char host[256];
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank); MPI_Comm_size(MPI_COMM_WORLD, &size);
    gethostname(host, sizeof host);
    printf("hello from rank %d of %d on %s\n", rank, size, host);
    MPI_Finalize();
    return 0;
}
C
mpicc -O2 -o "$hello_c" "$frozen/hello.c"

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "compare-slurm: failed: $*" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
spread() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f..%.3f", lo, hi }'; }

declare -A samples
names=()
sample() { # sample NAME SIDE VALUE
  [[ -n $3 ]] || { echo "compare-slurm: $1 ($2) gave no value" >&2; exit 1; }
  samples[$1/$2]+="$3 "
  [[ " ${names[*]} " == *" $1 "* ]] || names+=("$1")
}
imb_row() { # imb_row NAME EXTRACT NODES RANKS -- COSCHED-BENCH-ARGS -- IMB-ARGS
  local name=$1 extract=$2 nodes=$3 ranks=$4; shift 5
  local -a a=() b=(); local side=a
  for x in "$@"; do if [[ $x == -- ]]; then side=b; elif [[ $side == a ]]; then a+=("$x"); else b+=("$x"); fi; done
  sample "$name" cosched "$("${step[@]}" -N "$nodes" -n "$ranks" "${cli[@]}" bench "${a[@]}" 2>/dev/null | eval "$extract")"
  sample "$name" openmpi "$("${step[@]}" -N "$nodes" -n "$ranks" "$IMB" "${b[@]}" 2>/dev/null | eval "$extract")"
}

for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round of $ROUNDS" >&2
  imb_row "pingpong 8 B, 2 nodes (usec)" "value 8 3" 2 2 -- pingpong --msglog 3:3 -- PingPong -msglog 3:3
  imb_row "pingpong 1 MiB, 2 nodes (MB/s)" "value 1048576 4" 2 2 -- pingpong --msglog 20:20 -- PingPong -msglog 20:20
  # The test cluster's 3 nodes share this machine's cores: 6 ranks oversubscribe 2 cores. Open MPI
  # polls without yielding unless told, so it also runs with mpi_yield_when_idle (its own setting
  # for oversubscribed nodes), and IMB gets a repetition count and a time limit it can finish in.
  imb_row "allreduce 8 B, 6 ranks on 3 nodes (usec)" "value 8 5" 3 6 -- allreduce --msglog 3:3 -- Allreduce -msglog 3:3 -npmin 6 -iter 200 -time 60
  sample "allreduce 8 B, 6 ranks on 3 nodes, Open MPI yielding (usec)" cosched "$(tr ' ' '\n' <<<"${samples["allreduce 8 B, 6 ranks on 3 nodes (usec)/cosched"]}" | grep . | tail -1)"
  sample "allreduce 8 B, 6 ranks on 3 nodes, Open MPI yielding (usec)" openmpi "$(OMPI_MCA_mpi_yield_when_idle=1 "${step[@]}" -N 3 -n 6 "$IMB" Allreduce -msglog 3:3 -npmin 6 -iter 200 -time 60 2>/dev/null | value 8 5)"
  sample "srun -N 3 -n 6 of a hello (s)" cosched "$(seconds "${step[@]}" -N 3 -n 6 "${hello_cs[@]}")"
  sample "srun -N 3 -n 6 of a hello (s)" openmpi "$(seconds "${step[@]}" -N 3 -n 6 "$hello_c")"
  sample "srun -N 3 -n 6 of a hello (s)" hostname "$(seconds srun --time=5 -N 3 -n 6 hostname)"
done

echo
echo "| row | Cosched median (spread) | Open MPI median (spread) | ratio of medians |"
echo "|---|---|---|---|"
for name in "${names[@]}"; do
  a=$(tr ' ' '\n' <<<"${samples[$name/cosched]}" | grep . | median)
  b=$(tr ' ' '\n' <<<"${samples[$name/openmpi]}" | grep . | median)
  if [[ $name == *MB/s* ]]; then r=$(echo "$b / $a" | bc -l); else r=$(echo "$a / $b" | bc -l); fi
  printf '| %s | %.3f (%s) | %.3f (%s) | %.2fx |\n' "$name" "$a" "$(tr ' ' '\n' <<<"${samples[$name/cosched]}" | grep . | spread)" \
    "$b" "$(tr ' ' '\n' <<<"${samples[$name/openmpi]}" | grep . | spread)" "$r"
done
h=${samples["srun -N 3 -n 6 of a hello (s)/hostname"]}
printf '\n`srun -N 3 -n 6 hostname`: median %.3f s (%s)\n' "$(tr ' ' '\n' <<<"$h" | grep . | median)" "$(tr ' ' '\n' <<<"$h" | grep . | spread)"
echo "commit $(git rev-parse --short HEAD), $ROUNDS rounds, $(date -u +%Y-%m-%d)"
