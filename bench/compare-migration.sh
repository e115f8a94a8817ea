#!/usr/bin/env bash
# Live migration between simulated hosts (namespace VMs: run as root), side by side with the runs
# it must match, alternating round by round:
#  1. move times: 4 ranks in 2 VMs (2 ranks each, scatter: pingpong 0<->1 crosses the VMs) on 2
#     hosts, a VM moving every 0.2 s for 4 s of pingpong; medians and spread of every phase;
#  2. pingpong 8 B in ONE --timeseries run of 2 ranks in 2 VMs on 2 hosts, consolidated at 1 s
#     and spread again at 2 s, beside native shared memory on the consolidated host's one core
#     (taskset) and per-vm tcp between the two hosts without moves;
#  3. NPB CG class A and B, 4 ranks in 4 VMs on 2 hosts, with --migrate rotate:1 and without.
# usage: bench/compare-migration.sh [ROUNDS]   (from the repository root; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
source bench/lib.sh
work=$(mktemp -d /tmp/compare-migration-XXXXXX)
trap 'rm -rf "$work" "$frozen"' EXIT
echo "# commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"

for ((r = 1; r <= rounds; r++)); do
  cosched bench pingpong -n 4 --pin scatter --vms 2 --hosts 2 --timeseries --time 4 --migrate rotate:0.2 --format json > "$work/moves-$r.json" 2>/dev/null
  cosched bench pingpong -n 2 --vms 2 --hosts 2 --timeseries --time 3 --migrate 1:1:0,2:1:1 --format json > "$work/series-$r.json" 2>/dev/null
  taskset -c 0 dotnet "$frozen/Cosched.Cli.dll" bench pingpong -n 2 --timeseries --time 1 --format json > "$work/native-$r.json" 2>/dev/null
  cosched bench pingpong -n 2 --vms 2 --hosts 2 --channels per-vm --timeseries --time 1 --format json > "$work/pervm-$r.json" 2>/dev/null
  for class in A B; do
    cosched npb cg --class $class -n 4 --vms 4 --hosts 2 --format json > "$work/cg$class-still-$r.json" 2>/dev/null
    cosched npb cg --class $class -n 4 --vms 4 --hosts 2 --migrate rotate:1 --format json > "$work/cg$class-moving-$r.json" 2>"$work/cg$class-moving-$r.err"
  done
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics as st, sys, glob, re
work, rounds = sys.argv[1], int(sys.argv[2])
load = lambda p: json.load(open(p))
def spread(xs):
    xs = sorted(xs); q = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))]
    return f"median {st.median(xs):.3f}, p10 {q(0.1):.3f}, p90 {q(0.9):.3f}, max {xs[-1]:.3f} (n={len(xs)})"
moves = [m for r in range(1, rounds + 1) for m in load(f"{work}/moves-{r}.json")["migrations"]]
print("## 1. move of a VM with 2 ranks (ms)")
for key in ["total_ms", "suspend_ms", "move_ms", "attach_ms", "reselect_ms", "longest_wait_ms"]:
    print(f"{key:16} {spread([m[key] for m in moves])}")

def windows(series, lo, hi, channel):
    return [w["latency_us"] for w in series["timeseries"] if lo <= w["time_s"] <= hi and w["channel"] == channel]
print("\n## 2. pingpong 8 B one-way latency (usec), median of each run's windows; rounds:")
rows = {"before (tcp)": [], "consolidated (shm-host)": [], "spread (tcp)": [], "native shm, one core": [], "per-vm tcp, 2 hosts": []}
for r in range(1, rounds + 1):
    s = load(f"{work}/series-{r}.json"); at = [m["at_s"] for m in s["migrations"]]
    if len(at) != 2: print(f"round {r}: {len(at)} moves instead of 2"); continue
    ends = [m["at_s"] + m["total_ms"] / 1000 for m in s["migrations"]]
    rows["before (tcp)"].append(st.median(windows(s, 0.1, at[0] - 0.03, "tcp")))
    rows["consolidated (shm-host)"].append(st.median(windows(s, ends[0] + 0.05, at[1] - 0.03, "shm-host")))
    rows["spread (tcp)"].append(st.median(windows(s, ends[1] + 0.05, 99, "tcp")))
    rows["native shm, one core"].append(st.median(windows(load(f"{work}/native-{r}.json"), 0.1, 99, "shm")))
    rows["per-vm tcp, 2 hosts"].append(st.median(windows(load(f"{work}/pervm-{r}.json"), 0.1, 99, "tcp")))
for name, xs in rows.items(): print(f"{name:26} {st.median(xs):8.3f}   [{' '.join(f'{x:.3f}' for x in xs)}]")
print(f"consolidated / native shm on one core: {st.median(rows['consolidated (shm-host)']) / st.median(rows['native shm, one core']):.2f}x (goal <= 1.2x)")
print(f"spread / per-vm tcp between hosts:     {st.median(rows['spread (tcp)']) / st.median(rows['per-vm tcp, 2 hosts']):.2f}x (goal <= 1.2x)")

print("\n## 3. NPB CG, 4 ranks in 4 VMs on 2 hosts (seconds of the timed phase)")
for c in "AB":
    still = [load(f"{work}/cg{c}-still-{r}.json") for r in range(1, rounds + 1)]
    moving = [load(f"{work}/cg{c}-moving-{r}.json") for r in range(1, rounds + 1)]
    counts = [len(re.findall(r"^cosched: move \d+:", open(f"{work}/cg{c}-moving-{r}.err").read(), re.M)) for r in range(1, rounds + 1)]
    ok = all(x["verified"] for x in still + moving)
    a, b = st.median(x["seconds"] for x in still), st.median(x["seconds"] for x in moving)
    runs = lambda xs: " ".join(f"{x['seconds']:.2f}" for x in xs)
    print(f"class {c}: without moves {a:.2f} s [{runs(still)}], rotate:1 {b:.2f} s [{runs(moving)}], "
          f"moves per run {counts}, overhead {100 * (b / a - 1):+.1f}%, verification {'successful' if ok else 'FAILED'}")
PY
