#!/usr/bin/env bash
# The guard: every row Cosched is measured against a peer on, side by side in one run, Cosched and
# the peer alternating round by round so both see the same machine state. Prints one markdown
# table (medians, their [min .. max], the ratio oriented so that lower is better, the goal and
# whether it is met, and whether the two sides' spreads overlap) and the commit, so a regression
# shows as a row that stops meeting its goal.
#
# Usage: bench/compare-all.sh IMB-MPI1 NPB_BIN_DIR [ROUNDS]      (as root: the VM rows)
#   IMB-MPI1     built from the public intel/mpi-benchmarks sources (see docs/BENCHMARKS.md)
#   NPB_BIN_DIR  NPB3.4-MPI/bin holding ep.A.x cg.A.x ft.A.x mg.A.x is.A.x (docs/BENCHMARKS.md, issue 5)
#   ROUNDS       rounds per side, default 5
# Needs: apt-get install openmpi-bin libopenmpi-dev gfortran ncbi-blast+ mmseqs2-examples bc
# The launch row runs ./cosched itself (script included): do not edit sources while it runs, or
# that row times a rebuild.
set -euo pipefail
IMB=$(realpath "${1:?usage: $0 IMB-MPI1 NPB_BIN_DIR [ROUNDS]}")
NPB=$(realpath "${2:?usage: $0 IMB-MPI1 NPB_BIN_DIR [ROUNDS]}")
ROUNDS=${3:-5}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source bench/lib.sh
work=$(mktemp -d /tmp/compare-all-XXXXXX)
trap 'rm -rf "$work" "$frozen"' EXIT

# ---- how each side's number is taken (each prints one number, or nothing when the run failed) ----
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || return 0; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
mops() { awk '/Verification/ && /UNSUCCESSFUL/ { bad = 1 } /Mop\/s total/ { m = $NF } END { if (!bad && m != "") print m }'; }
imb() { mpirun "$@" 2>/dev/null; }
npb_ref() { mpirun -np 1 --bind-to core "$NPB/$1.A.x" 2>/dev/null | mops; }
npb_ours() { cosched npb "$1" --class A -n 1 2>/dev/null | mops; }
blast_setup() {
  local examples=/usr/share/doc/mmseqs2/example-data
  zcat "$examples/DB.fasta.gz" > "$work/db.fasta"
  zcat "$examples/QUERY.fasta.gz" | awk '/^>/ { k++ } k <= 100' > "$work/q.fasta"
  makeblastdb -in "$work/db.fasta" -dbtype prot -out "$work/ncbi" >/dev/null
  cosched blast makedb --in "$work/db.fasta" --out "$work/cosched" --fragments 4 >/dev/null
}

# spread MEDIAN MIN MAX: "median [min .. max]", three significant digits or more, never e-notation.
spread() {
  awk -v m="$1" -v lo="$2" -v hi="$3" 'function f(v) { return v >= 100 ? sprintf("%.0f", v) : v >= 1 ? sprintf("%.2f", v) : sprintf("%.3f", v) }
    BEGIN { printf "%s [%s .. %s]", f(m), f(lo), f(hi) }'
}

# ---- one row: Cosched's and the peer's commands alternate ROUNDS times ----
rows=()
# row NAME KIND GOAL OURS PEER: KIND "time" (lower is better, ratio = ours / peer) or "rate"
# (higher is better, ratio = peer / ours); GOAL the largest ratio that meets it; OURS and PEER
# are command strings that print the measured number.
row() {
  local name=$1 kind=$2 goal=$3 ours=$4 peer=$5 a=() b=() x
  for ((i = 0; i < ROUNDS; i++)); do
    x=$(eval "$ours") && [[ -n $x ]] && a+=("$x")
    x=$(eval "$peer") && [[ -n $x ]] && b+=("$x")
  done
  echo "$name: cosched ${a[*]:-} | peer ${b[*]:-}" >&2
  if ((${#a[@]} == 0 || ${#b[@]} == 0)); then rows+=("| $name | failed | failed | | $goal | no |"); return; fi
  local ma mb alo ahi blo bhi ratio met
  ma=$(printf '%s\n' "${a[@]}" | median) mb=$(printf '%s\n' "${b[@]}" | median)
  alo=$(printf '%s\n' "${a[@]}" | sort -g | head -1) ahi=$(printf '%s\n' "${a[@]}" | sort -g | tail -1)
  blo=$(printf '%s\n' "${b[@]}" | sort -g | head -1) bhi=$(printf '%s\n' "${b[@]}" | sort -g | tail -1)
  if [[ $kind == rate ]]; then ratio=$(echo "$mb / $ma" | bc -l); else ratio=$(echo "$ma / $mb" | bc -l); fi
  met=$(echo "$ratio <= $goal" | bc -l | sed 's/1/yes/; s/0/no/')
  # Where the two sides' [min .. max] overlap, the difference is inside the spread: not a finding.
  (( $(echo "$alo <= $bhi && $blo <= $ahi" | bc -l) )) && met+=" (spreads overlap)"
  rows+=("$(printf '| %s | %s | %s | %.2fx | <= %sx | %s |' "$name" "$(spread "$ma" "$alo" "$ahi")" "$(spread "$mb" "$blo" "$bhi")" "$ratio" "$goal" "$met")")
}

row "pingpong 8 B shm, latency (us)" time 1.0 \
  "cosched bench pingpong -n 2 --msglog 3:3 | value 8 3" \
  "imb -np 2 --bind-to core $IMB PingPong -msglog 3:3 | value 8 3"
row "pingpong 1 MiB shm, bandwidth (MB/s)" rate 1.0 \
  "cosched bench pingpong -n 2 --msglog 20:20 | value 1048576 4" \
  "imb -np 2 --bind-to core $IMB PingPong -msglog 20:20 | value 1048576 4"
row "pingpong 8 B tcp loopback (us)" time 1.0 \
  "cosched bench pingpong -n 2 --channels network --msglog 3:3 | value 8 3" \
  "imb -np 2 --bind-to core --mca btl tcp,self $IMB PingPong -msglog 3:3 | value 8 3"
row "allreduce 8 B, 2 ranks (us)" time 1.0 \
  "cosched bench allreduce -n 2 --msglog 3:3 | value 8 5" \
  "imb -np 2 --bind-to core $IMB Allreduce -msglog 3:3 | value 8 5"
row "barrier, 8 ranks on the cores (us)" time 1.0 \
  "cosched bench barrier -n 8 | barrier" \
  "imb -np 8 --oversubscribe $IMB Barrier -npmin 8 | barrier"
# The real entry point, script included, against mpirun.
row "cosched run -n 2 -- true, wall (s)" time 1.0 \
  "seconds ./cosched run -n 2 -- true" \
  "seconds mpirun -np 2 true"
for kernel in ep ft cg mg is; do
  row "NPB ${kernel^^} class A, 1 rank (Mop/s)" rate 1.0 "npb_ours $kernel" "npb_ref $kernel"
done
# 8 ranks in 8 VMs wrap round the cores, one core each: the fair baseline is native ranks pinned
# the same way (rank r on core r mod cores); the unbound native run is the issue's ratio.
row "alltoall 8 B, 8 ranks in 8 VMs (locality) / native pinned alike (us)" time 1.0 \
  "cosched bench alltoall -n 8 --vms 8 --channels locality --msglog 3:3 | value 8 5" \
  "cosched run -n 8 --bind-to core -- dotnet $frozen/Cosched.Cli.dll bench alltoall -n 8 --msglog 3:3 | value 8 5"
row "alltoall 8 B, 8 ranks in 8 VMs (locality) / native unbound (us)" time 1.5 \
  "cosched bench alltoall -n 8 --vms 8 --channels locality --msglog 3:3 | value 8 5" \
  "cosched bench alltoall -n 8 --msglog 3:3 | value 8 5"
blast_setup
row "BLAST 100 queries, 1 rank, wall (s)" time 0.8 \
  "seconds cosched blast search -n 1 --db $work/cosched --query $work/q.fasta" \
  "seconds blastp -query $work/q.fasta -db $work/ncbi -outfmt 6 -comp_based_stats 0 -num_threads 1"

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds per side, $(nproc) cores, load at the end $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| row | Cosched median [min .. max] | peer median [min .. max] | ratio (lower is better) | goal | met |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
