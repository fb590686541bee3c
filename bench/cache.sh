#!/usr/bin/env bash
# What the response cache costs, run by hand (not by CI): the embedding, a semantic lookup with its
# embedding at 10 000 and 100 000 entries in one scope (p50/p99), an exact lookup (the request's key and
# a read at 10 000 and 100 000 answers in memory, and from Redis when TOKENWISE_BENCH_REDIS_URL is set), the hit and false-hit rates of the
# labelled question pairs over a sweep of thresholds, and the heap of 100 000 entries. The benchmark is
# a class of the test sources (src/test/java/dev/tokenwise/bench/CacheBench.java), so that it runs the
# real classes on the project's class path; nothing here listens on a port.
#
# Env: LOOKUPS (2000 per size), WARMUP (500), JVM_FLAGS ("-XX:+UseSerialGC -Xms256m -Xmx1g"; the serial
#      collector as in the launcher, with room for 100 000 entries twice over), JAVA_HOME (a JDK 21+;
#      default Temurin 25), OFFLINE=1 (Maven -o).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
BENCH_OUT="$BENCH_DIR/out"
mkdir -p "$BENCH_OUT"
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"

LOOKUPS=${LOOKUPS:-2000}
WARMUP=${WARMUP:-500}
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseSerialGC -Xms256m -Xmx1g"}
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
MVN_OFFLINE=()
[ "${OFFLINE:-0}" = 1 ] && MVN_OFFLINE=(-o)

JH=$(bench_java_home) || { echo "cache.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 2; }
bench_log "compiling the test classes"
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" test-compile > "$BENCH_OUT/cache-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/cache-build.log" >&2; exit 1; }
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$BENCH_OUT/cache-classpath.txt" >> "$BENCH_OUT/cache-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/cache-build.log" >&2; exit 1; }
CP="target/test-classes:target/classes:$(cat "$BENCH_OUT/cache-classpath.txt")"

REPORT="$BENCH_OUT/cache-$(date +%Y%m%d-%H%M%S).txt"
echo "bench/cache.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  JVM_FLAGS: $JVM_FLAGS" | tee "$REPORT"
# The model's libraries log their start-up (and a GPU probe) at INFO and WARNING: keep that out of the report.
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
timeout 900 "$JH/bin/java" $JVM_FLAGS -cp "$CP" dev.tokenwise.bench.CacheBench "$LOOKUPS" "$WARMUP" \
  2> "$BENCH_OUT/cache-stderr.log" | tee -a "$REPORT"
echo "the machine is shared and noisy: compare within one run; report: $REPORT" | tee -a "$REPORT"
