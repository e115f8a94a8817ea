#!/usr/bin/env bash
# BLAST speed against NCBI blastp on the same proteins, in the same run, alternating the sides.
# usage: bench/compare-blast.sh [ROUNDS] [QUERIES]   (from the repository root; needs
#        apt-get install ncbi-blast+ mmseqs2-examples)
# Prints the wall-clock seconds of every run and the medians: blastp -num_threads 1
# -comp_based_stats 0, `cosched blast search -n 1` and `-n 2`, and the ratios the issue targets.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
queries=${2:-100}
source bench/lib.sh

examples=/usr/share/doc/mmseqs2/example-data
for need in blastp makeblastdb; do
  command -v "$need" >/dev/null || { echo "compare-blast: $need missing (apt-get install ncbi-blast+)" >&2; exit 2; }
done
[[ -f $examples/DB.fasta.gz ]] || { echo "compare-blast: $examples missing (apt-get install mmseqs2-examples)" >&2; exit 2; }

work=$(mktemp -d /tmp/compare-blast-XXXXXX)
trap 'rm -rf "$work" "$frozen"' EXIT
zcat "$examples/DB.fasta.gz" > "$work/db.fasta"
zcat "$examples/QUERY.fasta.gz" | awk -v n="$queries" '/^>/ { k++ } k <= n' > "$work/q.fasta"
makeblastdb -in "$work/db.fasta" -dbtype prot -out "$work/ncbi" >/dev/null
cosched blast makedb --in "$work/db.fasta" --out "$work/cosched" --fragments 4 >/dev/null

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
declare -a blast one two
for ((r = 1; r <= rounds; r++)); do
  blast+=("$(seconds blastp -query "$work/q.fasta" -db "$work/ncbi" -outfmt 6 -comp_based_stats 0 -num_threads 1)")
  one+=("$(seconds cosched blast search -n 1 --db "$work/cosched" --query "$work/q.fasta")")
  two+=("$(seconds cosched blast search -n 2 --db "$work/cosched" --query "$work/q.fasta")")
  printf 'round %d: blastp %.2f s, cosched -n 1 %.2f s, -n 2 %.2f s\n' "$r" "${blast[-1]}" "${one[-1]}" "${two[-1]}"
done
b=$(printf '%s\n' "${blast[@]}" | median)
o=$(printf '%s\n' "${one[@]}" | median)
t=$(printf '%s\n' "${two[@]}" | median)
printf 'queries %d, medians of %d rounds: blastp %.2f s, cosched -n 1 %.2f s, -n 2 %.2f s\n' "$queries" "$rounds" "$b" "$o" "$t"
printf 'cosched -n 1 / blastp = %.2fx (target at most 2x); speed-up -n 1 / -n 2 = %.2fx (target at least 1.6x)\n' \
  "$(echo "$o / $b" | bc -l)" "$(echo "$o / $t" | bc -l)"
