#!/usr/bin/env bash
# Issue 16: the co-scheduler's policies on this machine and in the simulator.
#   1. profiles the queue's applications (cosched profile, PROFILE_ROUNDS rounds);
#   2. runs bench/schedule-queue.json for real on one host of this machine's cores with every
#      policy, ROUNDS times (policies interleaved within a round), and prints per policy the
#      median makespan and mean bounded slowdown with their [min .. max] and the simulator's
#      makespan error on the same queue;
#   3. simulates a 10,000-job Lublin-Feitelson trace on 1,000 hosts of this machine's size with
#      the same profiles, beside the calibration error of step 2;
#   4. times each policy simulating 100,000 jobs on 1,000 hosts of 16 cores (goal: under a minute).
# Usage (as root for namespace VMs): bench/compare-schedule.sh [ROUNDS [PROFILE_ROUNDS]]  (3, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
profile_rounds=${2:-5}
out=bench-results/schedule
rm -rf "$out" && mkdir -p "$out"
cores=$(nproc)

cosched profile --queue bench/schedule-queue.json --rounds "$profile_rounds" --out "$out/profile" 2>"$out/profile.log" | tail -n +1 > "$out/profile.txt"
cat "$out/profile.txt"
for r in $(seq 1 "$rounds"); do
  cosched schedule run bench/schedule-queue.json --hosts 1 --policy exclusive,share,poncos,cosched \
    --profiles "$out/profile" --out "$out/round$r" --format json 2>"$out/round$r.log" > "$out/round$r.jsonl"
done

cosched schedule trace --jobs 10000 --max-procs $((1000 * cores)) --load 0.9 --seed 16 --out "$out/lf10k.swf" > /dev/null
# The last round's calibration sits beside the simulation in its report.
cosched schedule simulate "$out/lf10k.swf" --hosts 1000 --cores-per-host "$cores" --profiles "$out/profile" \
  --out "$out/round$rounds" --format json > "$out/simulated.jsonl"

python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
runs = {}
for r in range(1, rounds + 1):
    for line in open(f"{out}/round{r}.jsonl"):
        d = json.loads(line); runs.setdefault(d["policy"], []).append(d)
def stat(values):
    return f"{statistics.median(values):.2f} [{min(values):.2f} .. {max(values):.2f}]"
print(f"real: {rounds} rounds of bench/schedule-queue.json on 1 host")
print(f"{'policy':10} {'makespan_s':>26} {'mean_bounded_slowdown':>24} {'migrations':>10} {'sim makespan error':>26}")
ex = statistics.median(d["makespan_s"] for d in runs["exclusive"])
for p, ds in runs.items():
    ms = [d["makespan_s"] for d in ds]
    print(f"{p:10} {stat(ms):>26} {stat([d['mean_bounded_slowdown'] for d in ds]):>24} {statistics.median(d['migrations'] for d in ds):>10} "
          f"{stat([100 * d['calibration_makespan_error'] for d in ds]) + ' %':>26}   makespan vs exclusive {statistics.median(ms) / ex - 1:+.1%}")
print("simulated: 10,000 Lublin-Feitelson jobs (load 0.9) on 1,000 hosts")
sim = [json.loads(l) for l in open(f"{out}/simulated.jsonl")]
sx = next(d for d in sim if d["policy"] == "exclusive")["makespan_s"]
for d in sim:
    print(f"{d['policy']:10} makespan_s {d['makespan_s']:.0f} ({d['makespan_s'] / sx - 1:+.1%} vs exclusive)  mean_bounded_slowdown {d['mean_bounded_slowdown']:.2f}"
          f"  mean_wait_s {d['mean_wait_s']:.0f}  utilisation {d['utilisation']:.3f}  migrations {d['migrations']}")
PY
cosched schedule trace --jobs 100000 --max-procs 16000 --load 0.9 --seed 16 --out "$out/lf100k.swf" > /dev/null
echo "scale: 100,000 Lublin-Feitelson jobs on 1,000 hosts x 16 cores, wall seconds per policy"
for p in exclusive share poncos cosched; do
  t0=$(date +%s.%N)
  cosched schedule simulate "$out/lf100k.swf" --hosts 1000 --cores-per-host 16 --profiles "$out/profile" \
    --policy "$p" --out "$out/scale-$p" --format json > /dev/null
  printf '%-10s %6.1f s\n' "$p" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
done
echo "commit $(git rev-parse --short HEAD); report: $out/round$rounds/schedule-report.html"
