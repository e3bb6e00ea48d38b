#!/usr/bin/env bash
# The kernel benchmarks in one JMH run: floors (read bandwidth, FMA peak), matmul per weight type
# (GEMV = 1 token, GEMM = 64 tokens), attention (decode, prefill), LoRA rank 16 on a Q4_0 GEMV.
# Writes the JMH JSON to $OUT (default target/jmh.json) and prints the README table: each
# kernel as a fraction of the floor measured in the same run.
#   usage: benchmarks/jmh.sh [SHAPE=4096x4096] [extra JMH options, e.g. -f 2 -wi 3 -i 5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source .ci/find-jdk.sh
shape="${1:-4096x4096}"; shift || true
out="${OUT:-$root/benchmarks/target/jmh.json}"
[ -f benchmarks/target/benchmarks.jar ] || ./mvnw -q -B package -DskipTests
# forks >= 2; short iterations keep the whole run near ten minutes on 2 cores
"$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar 'FloorsBench|MatmulBench|AttentionBench|LoraBench' \
  -p shape="$shape" -f 2 -wi 2 -w 1s -i 3 -r 1s -rf json -rff "$out" "$@" > "${out%.json}.log"
python3 benchmarks/jmh_table.py "$out"
