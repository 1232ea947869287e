#!/usr/bin/env bash
# Sweep benchmark (issue 13): 8 runs of one LeNet-300-100 epoch on Fashion-MNIST
# with workers=1 and workers=2 (the bar: workers=2 in at most 0.6 × the time of
# workers=1), and what a run costs around its work, locally and through the one-node
# Slurm cluster of scripts/slurm-local (8 trivial runs, 2 at a time).
# Each sweep starts from an empty folder. The load average is printed before and
# after: on a shared machine, read the figures with it.
#   bench/sweep.sh            all of it        bench/sweep.sh --no-slurm   without Slurm
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup
swift build -c release --product tks 2>&1 | grep -E 'error' && exit 1
tks="$root/.build/release/tks"
work="$(mktemp -d /tmp/tickets-bench-sweep.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cores=$(nproc)
echo "== machine: $cores cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Prints the seconds a sweep took (as the script measured it, start-up included).
sweep_seconds() {
  local folder="$work/$1"; shift
  local start end
  start=$(date +%s.%N)
  (cd "$work" && "$tks" "$root/bench/sweep.tks" folder="$folder" "$@" >/dev/null)
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

echo "== 8 runs of one LeNet-300-100 epoch (Fashion-MNIST, batch 60)"
w1=$(sweep_seconds w1 kind=lenet workers=1)
w2=$(sweep_seconds w2 kind=lenet workers=2)
printf "%-38s %8.2f s  (%.2f s a run)\n" "workers=1 (TICKETS_THREADS=$cores)" "$w1" "$(echo "$w1 / 8" | bc -l)"
printf "%-38s %8.2f s  (%.2f s a run)\n" "workers=2 (TICKETS_THREADS=$((cores / 2 > 0 ? cores / 2 : 1)))" "$w2" "$(echo "$w2 / 8" | bc -l)"
w1s=$(TICKETS_THREADS=1 sweep_seconds w1s kind=lenet workers=1)
printf "%-38s %8.2f s  (%.2f s a run)\n" "workers=1 (TICKETS_THREADS=1)" "$w1s" "$(echo "$w1s / 8" | bc -l)"
ratio=$(echo "$w2 / $w1" | bc -l)
verdict=$(echo "$ratio <= 0.6" | bc -l)
printf "%-38s %8.2f    (the bar: ≤ 0.60; %s)\n" "workers=2 / workers=1" "$ratio" "$([ "$verdict" = 1 ] && echo met || echo NOT met)"
printf "%-38s %8.2f    (the processes alone, one thread each)\n" "workers=2 / workers=1 at 1 thread" "$(echo "$w2 / $w1s" | bc -l)"

echo "== what a run costs around its work: 8 trivial runs, 2 at a time"
tl=$(sweep_seconds tl kind=trivial workers=2)
printf "%-38s %8.2f s  (%.3f s a run)\n" "local workers=2" "$tl" "$(echo "$tl * 2 / 8" | bc -l)"
if [ "${1:-}" != "--no-slurm" ]; then
  was_running=0
  scripts/slurm-local status >/dev/null 2>&1 && was_running=1
  if slurm_env="$(scripts/slurm-local start 2>/dev/null)"; then
    eval "$slurm_env"
    [ $was_running -eq 1 ] || trap 'scripts/slurm-local stop; rm -rf "$work"' EXIT
    ts=$(sweep_seconds ts kind=trivial backend=slurm workers=2)
    printf "%-38s %8.2f s  (%.3f s a run; %.3f s more than local)\n" "Slurm, --array=0-7%2" "$ts" \
      "$(echo "$ts * 2 / 8" | bc -l)" "$(echo "($ts - $tl) * 2 / 8" | bc -l)"
    sl=$(sweep_seconds sl kind=lenet backend=slurm workers=2)
    printf "%-38s %8.2f s  (vs %.2f s with local workers=2)\n" "8 LeNet epochs on Slurm, 2 at a time" "$sl" "$w2"
  else
    echo "Slurm: SKIPPED (scripts/slurm-local could not start a cluster)"
  fi
fi
echo "== one Conv-2 training iteration (batch 60, Adam, CIFAR-10 shapes, one thread), for docs/sweeps.md"
# Random images in CIFAR-10's binary format: the cost of an iteration does not depend
# on the pixels.
python3 - "$work/cifar" <<'PY'
import os, random, sys
folder = sys.argv[1]; os.makedirs(folder, exist_ok=True)
rng = random.Random(0)
def write(name, n):
    with open(os.path.join(folder, name), "wb") as f:
        for i in range(n):
            f.write(bytes([i % 10]) + bytes(rng.randrange(256) for _ in range(3072)))
for b in range(1, 6): write(f"data_batch_{b}.bin", 24)
write("test_batch.bin", 60)
PY
cat > "$work/conv2.tks" <<TKS
d = dataset("cifar10", "$work/cifar")
net = conv(2, d, seed=0)
train(net, d, steps=5, batch=60, optimizer="adam", lr=0.0002, quiet=true)
t = time()
train(net, d, steps=60, batch=60, optimizer="adam", lr=0.0002, quiet=true)
print("{(time() - t) / 60}")
TKS
it=$(TICKETS_THREADS=1 "$tks" "$work/conv2.tks" | tail -1)
printf "%-38s %8.4f s  (20,000 iterations: %.2f core-hours)\n" "Conv-2 iteration, 1 thread" "$it" "$(echo "$it * 20000 / 3600" | bc -l)"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
