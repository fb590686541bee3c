#!/usr/bin/env bash
# A model-eval sweep against the built-in simulator, run by hand (not by CI): 2 × SAMPLE production calls of
# one pattern go through a gateway into a fresh SQLite log, then `Evals.run` sweeps SAMPLE of them on the
# model in use and 6 candidates with the exact scorer. Prints the sweep's wall time, each model's pass
# rate and latency, and the latency per call through the gateway's own dispatch against the same requests
# sent straight to the simulator: the difference is the gateway's overhead per call. The benchmark is a
# class of the test sources (src/test/java/dev/tokenwise/bench/EvalBench.java).
#
# Env: SAMPLE (50), JVM_FLAGS ("-XX:+UseSerialGC -Xmx2g"), JAVA_HOME (a JDK 21+; default Temurin 25),
#      OFFLINE=1 (Maven -o).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
BENCH_OUT="$BENCH_DIR/out"
mkdir -p "$BENCH_OUT"
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"

SAMPLE=${SAMPLE:-50}
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseSerialGC -Xmx2g"}
MVN_OFFLINE=()
[ "${OFFLINE:-0}" = 1 ] && MVN_OFFLINE=(-o)

JH=$(bench_java_home) || { echo "eval.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 2; }
bench_log "compiling the test classes"
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" test-compile > "$BENCH_OUT/eval-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/eval-build.log" >&2; exit 1; }
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$BENCH_OUT/eval-classpath.txt" >> "$BENCH_OUT/eval-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/eval-build.log" >&2; exit 1; }
CP="target/test-classes:target/classes:$(cat "$BENCH_OUT/eval-classpath.txt")"

REPORT="$BENCH_OUT/eval-$(date +%Y%m%d-%H%M%S).txt"
echo "bench/eval.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  JVM_FLAGS: $JVM_FLAGS  SAMPLE: $SAMPLE" \
  | tee "$REPORT"
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
timeout 900 "$JH/bin/java" $JVM_FLAGS -cp "$CP" dev.tokenwise.bench.EvalBench "$BENCH_OUT/eval" "$SAMPLE" \
  2> "$BENCH_OUT/eval-stderr.log" | tee -a "$REPORT"
echo "the machine is shared and noisy: compare within one run; report: $REPORT" | tee -a "$REPORT"
