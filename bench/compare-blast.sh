#!/usr/bin/env bash
# BLAST speed against NCBI blastp on the same proteins, in the same run, alternating the sides.
# usage: bench/compare-blast.sh [ROUNDS] [QUERIES]   (from the repository root; needs
#        apt-get install ncbi-blast+ mmseqs2-examples)
# Prints the wall-clock and CPU (user + system, all processes) seconds of every run and the
# medians: blastp -num_threads 1 -comp_based_stats 0, `cosched blast search -n 1` and `-n 2`,
# the ratios the issue targets, and blastp -num_threads 2 beside the two ranks. On a loaded machine compare the CPU columns: Linux groups a
# session's processes (autogroup), so two ranks there get no more CPU than one.
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

# measure NAME COMMAND...: appends wall and CPU seconds to the arrays NAME_wall and NAME_cpu.
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null
  read -r wall user system < "$work/time"
  eval "${name}_wall+=($wall); ${name}_cpu+=($(echo "$user + $system" | bc -l))"
}
declare -a blast_wall blast_cpu one_wall one_cpu two_wall two_cpu blast2_wall blast2_cpu
for ((r = 1; r <= rounds; r++)); do
  measure blast blastp -query "$work/q.fasta" -db "$work/ncbi" -outfmt 6 -comp_based_stats 0 -num_threads 1
  measure one dotnet "$frozen/Cosched.Cli.dll" blast search -n 1 --db "$work/cosched" --query "$work/q.fasta"
  measure two dotnet "$frozen/Cosched.Cli.dll" blast search -n 2 --db "$work/cosched" --query "$work/q.fasta"
  measure blast2 blastp -query "$work/q.fasta" -db "$work/ncbi" -outfmt 6 -comp_based_stats 0 -num_threads 2
  printf 'round %d: wall blastp %.2f s, cosched -n 1 %.2f s, -n 2 %.2f s, blastp 2 threads %.2f s; cpu %.2f, %.2f, %.2f, %.2f s (load %s)\n' "$r" \
    "${blast_wall[-1]}" "${one_wall[-1]}" "${two_wall[-1]}" "${blast2_wall[-1]}" "${blast_cpu[-1]}" "${one_cpu[-1]}" "${two_cpu[-1]}" "${blast2_cpu[-1]}" "$(cut -d' ' -f1 /proc/loadavg)"
done
med() { local -n values=$1; printf '%s\n' "${values[@]}" | median; }
bw=$(med blast_wall); ow=$(med one_wall); tw=$(med two_wall); b2w=$(med blast2_wall)
bc_=$(med blast_cpu); oc=$(med one_cpu); tc=$(med two_cpu)
printf 'queries %d, medians of %d rounds: wall blastp %.2f s, cosched -n 1 %.2f s, -n 2 %.2f s; cpu %.2f, %.2f, %.2f s\n' \
  "$queries" "$rounds" "$bw" "$ow" "$tw" "$bc_" "$oc" "$tc"
printf 'cosched -n 1 / blastp: wall %.2fx, cpu %.2fx (target at most 2x); speed-up -n 1 / -n 2: wall %.2fx (target at least 1.6x), cpu of -n 2 / -n 1 %.2fx\n' \
  "$(echo "$ow / $bw" | bc -l)" "$(echo "$oc / $bc_" | bc -l)" "$(echo "$ow / $tw" | bc -l)" "$(echo "$tc / $oc" | bc -l)"
printf 'cosched -n 2 / blastp -num_threads 2: wall %.2fx (%.2f s against %.2f s)\n' "$(echo "$tw / $b2w" | bc -l)" "$tw" "$b2w"
