#!/usr/bin/env bash
# Compares the candidate HTTP server + upstream client pairs of bench/servers on the gateway's hot
# path (parse JSON, forward, read and parse the answer, add headers), against the nginx stub.
# For each variant: warm-up, 1 connection with --latency (p50/p99), 32 connections (requests/s),
# peak RSS (VmHWM). Prints a table with ratios to the best variant.
#
# Env: WARMUP_S (default 20), DURATION_S (15), CONNS (32), VARIANTS ("helidon+helidon ..."),
#      JVM_FLAGS (default "-Xmx256m -XX:+UseSerialGC"), JAVA_HOME (a JDK 21+; default Temurin 25).
# Quick try: WARMUP_S=3 DURATION_S=3 bench/servers/compare.sh
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
BENCH_OUT="$BENCH_DIR/out/servers"
mkdir -p "$BENCH_OUT"
# shellcheck source=../lib.sh
source "$BENCH_DIR/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

WARMUP_S=${WARMUP_S:-20}
DURATION_S=${DURATION_S:-15}
CONNS=${CONNS:-32}
VARIANTS=${VARIANTS:-"helidon+helidon helidon+jdk jetty+jetty jetty+jdk"}
JVM_FLAGS=${JVM_FLAGS:-"-Xmx256m -XX:+UseSerialGC"}
JAVA_HOME=$(bench_java_home) || { echo "compare.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 2; }
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JAR="$BENCH_DIR/servers/target/bench-servers.jar"

for tool in wrk nginx curl; do
  command -v "$tool" > /dev/null || { echo "compare.sh: $tool is not installed" >&2; exit 2; }
done

bench_log "building bench/servers with $JAVA_HOME"
if ! mvn -f "$BENCH_DIR/servers/pom.xml" -q -B package > "$BENCH_OUT/build.log" 2>&1; then
  tail -30 "$BENCH_OUT/build.log" >&2
  echo "compare.sh: build of bench/servers failed (log: $BENCH_OUT/build.log)" >&2
  exit 1
fi

bench_start_stub || exit 1
STUB_URL="http://127.0.0.1:$STUB_PORT"
HEADERS="Authorization: Bearer sk-bench"

declare -A P50 P99 RPS RSS ERR
FAILED=0

# The stub alone: the floor that every proxy adds its latency to. Measured before and after the
# variants; the lower figure of the two is the floor, so that one burst of noise from other work on
# the machine does not turn into a negative "added latency".
measure_stub() { # LABEL
  bench_log "stub ($1): 1 connection, ${DURATION_S}s"
  bench_wrk "stub-$1-c1" "$STUB_URL" 1 1 "$DURATION_S" "$HEADERS"
  ERR[stub]=$((${ERR[stub]:-0} + W_NON2XX + W_SOCKERR))
  P50[stub]=$(awk -v a="${P50[stub]:-1e9}" -v b="$W_P50_MS" 'BEGIN {print (b < a ? b : a)}')
  P99[stub]=$(awk -v a="${P99[stub]:-1e9}" -v b="$W_P99_MS" 'BEGIN {print (b < a ? b : a)}')
  bench_wrk "stub-$1-c$CONNS" "$STUB_URL" "$CONNS" 2 "$DURATION_S" "$HEADERS"
  ERR[stub]=$((ERR[stub] + W_NON2XX + W_SOCKERR))
  RPS[stub]=$(awk -v a="${RPS[stub]:-0}" -v b="$W_RPS" 'BEGIN {print (b > a ? b : a)}')
}
RSS[stub]=n/a
measure_stub before

for variant in $VARIANTS; do
  server=${variant%+*}; client=${variant#*+}
  port=$(bench_free_port)
  log="$BENCH_OUT/$server-$client.log"
  bench_log "$variant: starting on 127.0.0.1:$port ($JVM_FLAGS)"
  # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
  "$JAVA" $JVM_FLAGS -jar "$JAR" --server "$server" --client "$client" --port "$port" \
    --upstream "$STUB_URL/v1" > "$log" 2>&1 &
  pid=$!
  bench_track "$pid"
  url="http://127.0.0.1:$port"
  if ! bench_wait_ready "$variant" "$pid" 30 -X POST -H 'Content-Type: application/json' \
      -H "$HEADERS" --data-binary "@$BENCH_DIR/chat-request.json" "$url/v1/chat/completions" \
    || ! curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' -H "$HEADERS" \
      --data-binary "@$BENCH_DIR/chat-request.json" "$url/v1/chat/completions" \
      | grep -qi '^x-bench-virtual-thread: true'; then
    bench_log "$variant: did not answer 2xx from a virtual thread"
    tail -20 "$log" >&2
    P50[$variant]=FAIL; P99[$variant]=FAIL; RPS[$variant]=0; RSS[$variant]=n/a; ERR[$variant]=start
    FAILED=1
    bench_stop "$pid"
    continue
  fi
  bench_log "$variant: warm-up ${WARMUP_S}s at $CONNS connections"
  bench_wrk "$variant-warmup" "$url" "$CONNS" 2 "$WARMUP_S" "$HEADERS"
  bench_log "$variant: 1 connection, ${DURATION_S}s"
  bench_wrk "$variant-c1" "$url" 1 1 "$DURATION_S" "$HEADERS"
  P50[$variant]=$W_P50_MS; P99[$variant]=$W_P99_MS; ERR[$variant]=$((W_NON2XX + W_SOCKERR))
  [ "$W_OK" = 1 ] || ERR[$variant]=wrk
  bench_log "$variant: $CONNS connections, ${DURATION_S}s"
  bench_wrk "$variant-c$CONNS" "$url" "$CONNS" 2 "$DURATION_S" "$HEADERS"
  RPS[$variant]=$W_RPS
  if [ "$W_OK" = 1 ] && [ "${ERR[$variant]}" != wrk ]; then
    ERR[$variant]=$((ERR[$variant] + W_NON2XX + W_SOCKERR))
  else
    ERR[$variant]=wrk
  fi
  RSS[$variant]=$(bench_rss_mb "$pid")
  bench_stop "$pid"
  [ "${ERR[$variant]}" = 0 ] || FAILED=1
done

measure_stub after

# Best of each column among the variants that ran cleanly.
best_p50=""; best_p99=""; best_rps=""; best_rss=""
for v in $VARIANTS; do
  [ "${ERR[$v]}" = 0 ] || continue
  best_p50=$(awk -v a="${best_p50:-1e9}" -v b="${P50[$v]}" 'BEGIN {print (b < a ? b : a)}')
  best_p99=$(awk -v a="${best_p99:-1e9}" -v b="${P99[$v]}" 'BEGIN {print (b < a ? b : a)}')
  best_rps=$(awk -v a="${best_rps:-0}" -v b="${RPS[$v]}" 'BEGIN {print (b > a ? b : a)}')
  best_rss=$(awk -v a="${best_rss:-1e9}" -v b="${RSS[$v]}" 'BEGIN {print (b < a ? b : a)}')
done

{
  echo
  echo "bench/servers/compare.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  $(uname -r)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)   JVM flags: $JVM_FLAGS"
  echo "warm-up ${WARMUP_S}s at $CONNS conns, then ${DURATION_S}s at 1 conn (--latency) and ${DURATION_S}s at $CONNS conns (2 wrk threads)"
  echo "ratios: to the best variant (latency and RSS: variant / best, 1.00 = best; rps: variant / best)"
  printf '%-16s %9s %9s %10s %10s %9s %9s %9s %9s %8s %7s %7s\n' \
    variant "p50 ms" "p99 ms" "+p50 ms" "+p99 ms" "p50 x" "p99 x" "rps@$CONNS" "rps x" "RSS MB" "RSS x" errors
  printf '%-16s %9s %9s %10s %10s %9s %9s %9s %9s %8s %7s %7s\n' \
    "nginx stub*" "${P50[stub]}" "${P99[stub]}" - - - - "${RPS[stub]}" - - - "${ERR[stub]}"
  for v in $VARIANTS; do
    if [ "${P50[$v]}" = FAIL ]; then
      printf '%-16s %s\n' "$v" "FAILED TO START (log: $BENCH_OUT/${v/+/-}.log)"
      continue
    fi
    printf '%-16s %9s %9s %10s %10s %9s %9s %9s %9s %8s %7s %7s\n' "$v" \
      "${P50[$v]}" "${P99[$v]}" "$(bench_minus "${P50[$v]}" "${P50[stub]}")" "$(bench_minus "${P99[$v]}" "${P99[stub]}")" \
      "$(bench_ratio "${P50[$v]}" "$best_p50")" "$(bench_ratio "${P99[$v]}" "$best_p99")" \
      "${RPS[$v]}" "$(bench_ratio "${RPS[$v]}" "$best_rps")" "${RSS[$v]}" "$(bench_ratio "${RSS[$v]}" "$best_rss")" "${ERR[$v]}"
  done
  echo "* stub: the lower latency and higher rps of two runs, one before and one after the variants"
  [ "$FAILED" = 0 ] || echo "SOME VARIANTS FAILED OR ANSWERED WITH ERRORS: see the errors column and $BENCH_OUT/"
} | tee "$BENCH_OUT/compare-$(date +%Y%m%d-%H%M%S).txt"

exit "$FAILED"
