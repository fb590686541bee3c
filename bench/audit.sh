#!/usr/bin/env bash
# How long the audit takes over a large request log, run by hand (not by CI): writes ROWS generated calls
# over the audited 30 days (and a quarter as many over the 30 days before) into a fresh SQLite file, or
# into the PostgreSQL database TOKENWISE_BENCH_PG_URL names (its requests table must be empty), then runs
# the audit with every rule three times and writes the markdown and JSON reports. The benchmark is a class
# of the test sources (src/test/java/dev/tokenwise/bench/AuditBench.java).
#
# Env: ROWS (1000000), JVM_FLAGS ("-XX:+UseSerialGC -Xmx2g"), JAVA_HOME (a JDK 21+; default Temurin 25),
#      OFFLINE=1 (Maven -o), TOKENWISE_BENCH_PG_URL (postgresql://…; default a SQLite file under bench/out).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
BENCH_OUT="$BENCH_DIR/out"
mkdir -p "$BENCH_OUT"
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"

ROWS=${ROWS:-1000000}
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseSerialGC -Xmx2g"}
MVN_OFFLINE=()
[ "${OFFLINE:-0}" = 1 ] && MVN_OFFLINE=(-o)

JH=$(bench_java_home) || { echo "audit.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 2; }
bench_log "compiling the test classes"
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" test-compile > "$BENCH_OUT/audit-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/audit-build.log" >&2; exit 1; }
JAVA_HOME="$JH" ./mvnw -q -B "${MVN_OFFLINE[@]}" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$BENCH_OUT/audit-classpath.txt" >> "$BENCH_OUT/audit-build.log" 2>&1 \
  || { tail -20 "$BENCH_OUT/audit-build.log" >&2; exit 1; }
CP="target/test-classes:target/classes:$(cat "$BENCH_OUT/audit-classpath.txt")"

DB="$BENCH_OUT/audit-bench.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
URL=${TOKENWISE_BENCH_PG_URL:-"sqlite:$DB"}
REPORT="$BENCH_OUT/audit-$(date +%Y%m%d-%H%M%S).txt"
echo "bench/audit.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  JVM_FLAGS: $JVM_FLAGS  store: ${URL%%:*}" \
  | tee "$REPORT"
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
timeout 1800 "$JH/bin/java" $JVM_FLAGS -cp "$CP" dev.tokenwise.bench.AuditBench "$URL" "$ROWS" \
  2> "$BENCH_OUT/audit-stderr.log" | tee -a "$REPORT"
echo "the machine is shared and noisy: compare within one run; report: $REPORT" | tee -a "$REPORT"
