#!/usr/bin/env bash
# End-to-end benchmark runner: makes the synthetic 1b decoders (q4_0, q8_0, f16) and the
# clip-l-336 mmproj once, then runs `vlm4j bench` per model and backend with the same thread count
# and prints a markdown table. Every row carries the read bandwidth and FMA peak measured in the
# same process, so the ratios are comparable; the absolute numbers are not (shared machines).
#   usage: benchmarks/e2e.sh [DIR=/tmp/vlm4j-bench] [THREADS=2]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-/tmp/vlm4j-bench}"
threads="${2:-2}"
mkdir -p "$dir"
v() { "$root/vlm4j" "$@" 2>/dev/null; }
for t in q4_0 q8_0 f16; do
  [ -f "$dir/1b-$t.gguf" ] || v make-test-model --shape 1b --type "$t" -o "$dir/1b-$t.gguf" >/dev/null
done
[ -f "$dir/clip-l-336-f16.gguf" ] || v make-test-model --shape clip-l-336 --type f16 -o "$dir/clip-l-336-f16.gguf" >/dev/null

echo "| model | backend | pp t/s | tg t/s | tg floor (bandwidth ÷ weights) t/s | tg / floor | read GB/s | FMA GFLOP/s |"
echo "|---|---|---|---|---|---|---|---|"
for t in q4_0 q8_0 f16; do
  cat "$dir/1b-$t.gguf" > /dev/null   # page the weights in: we measure memory, not the disk
  for b in java reference; do
    if [ "$b" = reference ]; then args=(-p 4 -n 2 -r 1); else args=(-p 128 -n 32 -r 3); fi
    j=$(v bench -m "$dir/1b-$t.gguf" --backend "$b" -t "$threads" --json "${args[@]}" | grep '^{')
    python3 - "$j" "$t" "$b" "${args[*]}" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
print(f"| 1b {sys.argv[2]} | {sys.argv[3]} ({sys.argv[4]}) | {d['pp']:.2f} | {d['tg']:.2f} | {d['tg_bandwidth_floor']:.1f} | "
      f"{d['tg'] / d['tg_bandwidth_floor']:.2f} | {d['read_bandwidth_gbs']:.1f} | {d['fma_gflops']:.0f} |")
PY
  done
done
echo
echo "| mmproj | backend | image encode ms (576 patches) | GFLOP | GFLOP/s | of FMA peak |"
echo "|---|---|---|---|---|---|"
cat "$dir/clip-l-336-f16.gguf" > /dev/null
j=$(v bench --mmproj "$dir/clip-l-336-f16.gguf" --backend java -t "$threads" -r 3 --json | grep '^{')
python3 - "$j" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
print(f"| clip-l-336 f16 | java | {d['image_encode_ms']:.0f} | {d['image_gflop']:.1f} | {d['image_gflops']:.1f} | {d['image_gflops'] / d['fma_gflops']:.2f} |")
PY
