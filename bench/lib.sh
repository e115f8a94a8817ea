# Shared by the bench/*.sh comparison scripts (source it from the repository root).

# Build the CLI once, then measure a frozen copy, so that a source edit during the run cannot
# trigger a rebuild mid-way. `cosched` runs that copy.
./cosched --help >/dev/null
frozen=$(mktemp -d /tmp/frozen-cli-XXXXXX)
trap 'rm -rf "$frozen"' EXIT
cp -r .build/cli/. "$frozen"
cosched() { dotnet "$frozen/Cosched.Cli.dll" "$@"; }

# value ROW COLUMN: the COLUMNth field of the first output row whose first field is ROW.
value() { awk -v row="$1" -v col="$2" '$1 == row && NF >= col { print $col; exit }'; }
# barrier rows have no #bytes column: take t_avg of the first row after the header.
barrier() { awk '/t_avg/ { getline; print $4; exit }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
