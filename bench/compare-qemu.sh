#!/usr/bin/env bash
# The qemu provider (run as root, with qemu-system-x86, linux-image-cloud-amd64, busybox-static,
# cpio, e2fsprogs), every part alternating round by round:
#  1. boot: a job of 2 ranks in 2 QEMU guests running /bin/true, from the command to its exit, and
#     the launcher's own figure (first QEMU started to every guest agent's hello);
#  2. pingpong 8 B and 1 MiB between 2 guests, per-vm (virtio-net, tcp) against locality (the host
#     segment as an ivshmem device), median round trip of --stats;
#  3. QEMU live migration of a guest of 256 MiB and of 1 GiB while pingpong runs (2 moves a run):
#     QEMU's total time and downtime (query-migrate), and the whole move with Cosched's phases.
# Guests run under TCG where KVM does not work (a VM host, as here): compare channels with each
# other, not with native figures.
# usage: bench/compare-qemu.sh [ROUNDS]   (from the repository root; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
source bench/lib.sh
work=$(mktemp -d /tmp/compare-qemu-XXXXXX)
trap 'rm -rf "$work" "$frozen"' EXIT
echo "# commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
cosched vm image >/dev/null   # build the guest image once, outside the timings
qemu=(--vms 2 --vm-kind qemu)

for ((r = 1; r <= rounds; r++)); do
  start=$(date +%s%N)
  cosched run -n 2 "${qemu[@]}" -- /bin/true 2> "$work/boot-$r.err"
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$work/boot-$r.ms"
  for channels in per-vm locality; do
    [[ $channels == per-vm ]] && small=2000 big=40 || small=20000 big=400
    cosched bench pingpong -n 2 "${qemu[@]}" --channels $channels --stats --size 8 --rounds $small --format json > "$work/pp8-$channels-$r.json" 2>/dev/null
    cosched bench pingpong -n 2 "${qemu[@]}" --channels $channels --stats --size 1048576 --rounds $big --format json > "$work/pp1m-$channels-$r.json" 2>/dev/null
  done
  for memory in 256 1024; do
    cosched bench pingpong -n 2 "${qemu[@]}" --hosts 2 --vm-memory $memory --timeseries --time 22 --migrate 2:1:0,12:1:1 --format json > "$work/move-$memory-$r.json" 2>/dev/null
  done
done

python3 - "$work" "$rounds" <<'PY'
import json, re, statistics as st, sys
work, rounds = sys.argv[1], int(sys.argv[2])
R = range(1, rounds + 1)
def fmt(xs, digits=2):
    xs = sorted(xs)
    return f"{st.median(xs):.{digits}f} [{xs[0]:.{digits}f} .. {xs[-1]:.{digits}f}] (n={len(xs)})"
boot = [float(open(f"{work}/boot-{r}.ms").read()) / 1000 for r in R]
booted = [float(m.group(1)) for r in R for m in [re.search(r"booted in ([\d.]+) s", open(f"{work}/boot-{r}.err").read())] if m]
print("## 1. a job of 2 ranks in 2 guests (s)")
print(f"command to exit   {fmt(boot)}")
if booted: print(f"guests booted     {fmt(booted)}")
print("## 2. pingpong between 2 guests, median round trip / 2 (us)")
for size, name in [("8", "pp8"), ("1 MiB", "pp1m")]:
    med = {c: [json.load(open(f"{work}/{name}-{c}-{r}.json"))["statistics"]["median_usec"] for r in R] for c in ["per-vm", "locality"]}
    ratio = st.median(med["per-vm"]) / st.median(med["locality"])
    print(f"{size:>6}: per-vm {fmt(med['per-vm'])}, locality {fmt(med['locality'])}, per-vm/locality {ratio:.1f}x")
print("## 3. QEMU live migration while pingpong runs (ms)")
for memory in [256, 1024]:
    moves = [m for r in R for m in json.load(open(f"{work}/move-{memory}-{r}.json"))["migrations"]]
    q = [m["qemu"] for m in moves]
    print(f"{memory} MiB: QEMU total {fmt([x['total_ms'] for x in q], 0)}, downtime {fmt([x['downtime_ms'] for x in q], 0)} (limit {q[0]['downtime_limit_ms']}), "
          f"sent {fmt([x['transferred_bytes'] / 2**20 for x in q], 0)} MiB; whole move {fmt([m['total_ms'] for m in moves], 0)}")
    for key in ["suspend_ms", "move_ms", "attach_ms", "reselect_ms", "longest_wait_ms"]:
        print(f"    {key:16} {fmt([m[key] for m in moves], 0)}")
    for key in ["detach_ms", "destination_start_ms", "attach_ms"]:
        print(f"    qemu {key:21} {fmt([x[key] for x in q], 0)}")
PY
