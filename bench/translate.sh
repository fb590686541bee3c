#!/usr/bin/env bash
# What translation adds to a streamed call: time to first token and total time of a call whose provider
# speaks the other dialect, against one of the same dialect, both through tokenwise to its simulator
# (which answers at once, so the figures are the gateway's own). Run by hand from the repository root:
#   bench/translate.sh                 # 300 warm-up and 1000 measured calls per case
#   WARMUP=50 CALLS=200 bench/translate.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=bench
BENCH_OUT=bench/out
source bench/lib.sh
trap bench_cleanup EXIT
WARMUP=${WARMUP:-300}
CALLS=${CALLS:-1000}
JVM_FLAGS=${JVM_FLAGS:-"$(sed -n 's/^readonly DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' tokenwise)"}
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
jh=$(bench_java_home)
TW_JAR=target/tokenwise.jar
[ -f "$TW_JAR" ] || JAVA_HOME="$jh" ./mvnw -q -B -DskipTests package
mkdir -p bench/out
sim_port=$(bench_free_port)
gw_port=$(bench_free_port)
"$jh/bin/java" -jar "$TW_JAR" simulate --port "$sim_port" > bench/out/translate-sim.log 2>&1 &
bench_track $!
cat > bench/out/translate.yaml <<YAML
server: { port: $gw_port }
store: { url: "sqlite:bench/out/translate.db" }
providers:
  openai: { base_url: "http://127.0.0.1:$sim_port/v1" }
  anthropic: { base_url: "http://127.0.0.1:$sim_port" }
YAML
rm -f bench/out/translate.db*
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
"$jh/bin/java" $JVM_FLAGS -jar "$TW_JAR" serve --config bench/out/translate.yaml > bench/out/translate-gw.log 2>&1 &
bench_track $!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$gw_port/health" > /dev/null && break
  sleep 0.2
done
echo "bench/translate.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  JVM_FLAGS: $JVM_FLAGS"
"$jh/bin/java" bench/translate/TranslateBench.java "http://127.0.0.1:$gw_port" "$WARMUP" "$CALLS"
