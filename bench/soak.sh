#!/usr/bin/env bash
# Soak under upstream faults, run by hand (not by CI): does the gateway keep answering, and keep its
# heap, threads and sockets flat, while about 30 % of its upstream calls fail in mixed ways?
#
# Starts `tokenwise simulate` and `tokenwise serve` in front of it (openai, anthropic and groq all point
# at the simulator; retry max_attempts 3; a policy for tag "soak" with a fallback chain), scripts
# random but reproducible faults on every model with `chance` rules, then drives a fixed rate of mixed
# calls (OpenAI and Anthropic, whole and streamed; soak/SoakDriver.java, open loop) for DURATION_S.
# Prints what clients saw (success rate, error breakdown, p50/p99 latency), the upstream attempts per
# call (the gateway's x-tokenwise-attempts, and the simulator's call count), the faults injected, and
# the gateway's heap after GC, threads, open files and RSS at start and end, with samples in between.
# Where the build ignores `fallback`, this measures a gateway without fallbacks: a baseline.
#
# Env: DURATION_S (600), RATE (50 calls/s), WARMUP_S (20, same rate, not counted), SEED (42),
#      FAULTS ("503:8 429:6 529:4 stall:4 reset:4 garbage:2 drop:2 truncate:2": kind:percent of the
#      upstream calls to each model; kinds 500 502 503 504 429 529 stall reset garbage drop truncate
#      inband html502; 529 only on claude-haiku-4-5), UPSTREAM_TIMEOUT (2s, the providers' timeout),
#      STALL_MS (3000), RETRY_AFTER_S (1), MAX_ATTEMPTS (3), FALLBACK ("anthropic/claude-haiku-4-5
#      groq/llama-3.3-70b-versatile"; empty for none), CALL_TIMEOUT_S (60), SAMPLE_S (30),
#      JVM_FLAGS (default: the launcher's), JAVA_HOME (a JDK 21+; default Temurin 25),
#      START_TIMEOUT_S (60), REBUILD=1 to rebuild target/tokenwise.jar even when it is up to date.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
BENCH_OUT="$BENCH_DIR/out"
mkdir -p "$BENCH_OUT"
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
SAMPLER_PID=
soak_cleanup() {
  [ -n "$SAMPLER_PID" ] && bench_stop "$SAMPLER_PID"
  bench_cleanup
}
trap soak_cleanup EXIT
trap 'exit 130' INT TERM

DURATION_S=${DURATION_S:-600}
RATE=${RATE:-50}
WARMUP_S=${WARMUP_S:-20}
SEED=${SEED:-42}
FAULTS=${FAULTS:-"503:8 429:6 529:4 stall:4 reset:4 garbage:2 drop:2 truncate:2"}
UPSTREAM_TIMEOUT=${UPSTREAM_TIMEOUT:-2s}
STALL_MS=${STALL_MS:-3000}
RETRY_AFTER_S=${RETRY_AFTER_S:-1}
MAX_ATTEMPTS=${MAX_ATTEMPTS:-3}
FALLBACK=${FALLBACK-"anthropic/claude-haiku-4-5 groq/llama-3.3-70b-versatile"}
CALL_TIMEOUT_S=${CALL_TIMEOUT_S:-60}
SAMPLE_S=${SAMPLE_S:-30}
START_TIMEOUT_S=${START_TIMEOUT_S:-60}
JVM_FLAGS=${JVM_FLAGS:-"$(sed -n 's/^readonly DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' tokenwise)"}
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
TW_JAR="$ROOT/target/tokenwise.jar"
STAMP=$(date +%Y%m%d-%H%M%S)
REPORT="$BENCH_OUT/soak-$STAMP.txt"
CLAUDE=claude-haiku-4-5

command -v curl > /dev/null || { echo "soak.sh: curl is not installed" >&2; exit 2; }
JH=$(bench_java_home) || { echo "soak.sh: needs a JDK 21+ (set JAVA_HOME)" >&2; exit 2; }
for tool in jcmd jstat; do
  [ -x "$JH/bin/$tool" ] || { echo "soak.sh: $JH has no $tool (a full JDK is needed)" >&2; exit 2; }
done

# ---- build: the jar must hold the simulator's chance rules, so rebuild when the sources are newer ----
if [ ! -f "$TW_JAR" ] || [ "${REBUILD:-0}" = 1 ] \
    || [ -n "$(find src pom.xml -newer "$TW_JAR" -type f -print 2>/dev/null | head -n 1)" ]; then
  bench_log "building $TW_JAR (./mvnw -q -B -DskipTests package)"
  JAVA_HOME="$JH" ./mvnw -q -B -DskipTests package > "$BENCH_OUT/soak-build.log" 2>&1 \
    || { tail -20 "$BENCH_OUT/soak-build.log" >&2; echo "soak.sh: build failed" >&2; exit 1; }
fi

# ---- the fault script: kind:percent pairs into simulator rules --------------------------------------
# Rules are tried oldest first and a rule whose chance passes a call over lets it through to the next,
# so each rule's chance is its share of what the rules before it let through: p / (1 - sum before).
fault_spec() { # KIND -> the rule's JSON fields after "model"
  case $1 in
    500|502|503|504) echo "\"action\":\"fail\",\"status\":$1" ;;
    429) echo "\"action\":\"fail\",\"status\":429,\"retry_after_s\":$RETRY_AFTER_S" ;;
    529) echo "\"action\":\"fail\",\"status\":529" ;;
    stall) echo "\"action\":\"stall\",\"ms\":$STALL_MS" ;;
    reset) echo "\"action\":\"reset\"" ;;
    garbage) echo "\"action\":\"garbage\"" ;;
    drop) echo "\"action\":\"drop_after\",\"events\":3" ;;
    truncate) echo "\"action\":\"truncate\"" ;;
    inband) echo "\"action\":\"fail\",\"status\":500,\"after_events\":3" ;;
    html502) echo "\"action\":\"fail\",\"status\":502,\"garbage\":true" ;;
    *) return 1 ;;
  esac
}

RULES=()       # JSON bodies for POST /_sim/rules, in order
RULE_NAMES=()  # the kind of each, for the report
SHARED_PCT=0
CLAUDE_PCT=0
plan_faults() {
  local pair kind pct spec cum=0 chance
  local -a shared=() only_claude=()
  for pair in $FAULTS; do
    kind=${pair%%:*}; pct=${pair#*:}
    fault_spec "$kind" > /dev/null || { echo "soak.sh: unknown fault kind '$kind' in FAULTS" >&2; return 1; }
    awk -v p="$pct" 'BEGIN {exit !(p > 0 && p < 100)}' || { echo "soak.sh: bad percent in '$pair'" >&2; return 1; }
    if [ "$kind" = 529 ]; then only_claude+=("$pair"); else shared+=("$pair"); fi
  done
  for pair in "${shared[@]}" "${only_claude[@]}"; do
    kind=${pair%%:*}; pct=${pair#*:}
    chance=$(awk -v p="$pct" -v c="$cum" 'BEGIN {printf "%.6f", p / (100 - c)}')
    awk -v x="$chance" 'BEGIN {exit !(x > 0 && x <= 1)}' \
      || { echo "soak.sh: FAULTS add up to 100 % or more" >&2; return 1; }
    spec=$(fault_spec "$kind")
    if [ "$kind" = 529 ]; then
      RULES+=("{\"model\":\"$CLAUDE\",$spec,\"chance\":$chance}")
      CLAUDE_PCT=$(awk -v a="$CLAUDE_PCT" -v p="$pct" 'BEGIN {print a + p}')
    else
      RULES+=("{\"model\":\"*\",$spec,\"chance\":$chance}")
      SHARED_PCT=$(awk -v a="$SHARED_PCT" -v p="$pct" 'BEGIN {print a + p}')
    fi
    RULE_NAMES+=("$kind")
    cum=$(awk -v a="$cum" -v p="$pct" 'BEGIN {print a + p}')
  done
}
plan_faults || exit 2

# Drops the simulator's rules and calls, seeds it, and adds the fault rules again (fresh counts).
script_faults() {
  local r code
  curl -s -o /dev/null --max-time 5 -X POST "$SIM_URL/_sim/reset" -d "{\"seed\":$SEED}" || return 1
  for r in "${RULES[@]}"; do
    code=$(curl -s -o "$BENCH_OUT/soak-rule.json" -w '%{http_code}' --max-time 5 "$SIM_URL/_sim/rules" -d "$r")
    [ "$code" = 201 ] || { echo "soak.sh: the simulator refused $r: $(cat "$BENCH_OUT/soak-rule.json")" >&2; return 1; }
  done
}

# ---- the gateway's figures --------------------------------------------------------------------------
# jvm_snapshot PID LABEL: after a full GC, heap used, platform and virtual threads, OS threads, open
# files, RSS. Sets SNAP_<LABEL>_{HEAP,PLAT,VIRT,OS,FDS,RSS}.
heap_used_mb() { # PID: survivor + eden + old used, from jstat (KB)
  "$JH/bin/jstat" -gc "$1" 2>/dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR == 2 {printf "%.1f", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024}'
}
platform_threads() { "$JH/bin/jcmd" "$1" PerfCounter.print 2>/dev/null | sed -n 's/^java.threads.live=//p'; }
os_threads() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
open_files() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
virtual_threads() { # PID: the virtual threads a thread dump lists (those in tracked containers)
  local f="$BENCH_OUT/soak-threads-$1.json"
  rm -f "$f"
  "$JH/bin/jcmd" "$1" Thread.dump_to_file -format=json "$f" > /dev/null 2>&1 || { echo n/a; return; }
  grep -c '"virtual": *true' "$f"
  rm -f "$f"
}
jvm_snapshot() {
  local pid=$1 label=$2
  "$JH/bin/jcmd" "$pid" GC.run > /dev/null 2>&1
  printf -v "SNAP_${label}_HEAP" '%s' "$(heap_used_mb "$pid")"
  printf -v "SNAP_${label}_PLAT" '%s' "$(platform_threads "$pid")"
  printf -v "SNAP_${label}_VIRT" '%s' "$(virtual_threads "$pid")"
  printf -v "SNAP_${label}_OS" '%s' "$(os_threads "$pid")"
  printf -v "SNAP_${label}_FDS" '%s' "$(open_files "$pid")"
  printf -v "SNAP_${label}_RSS" '%s' "$(rss_mb "$pid")"
}

# Every SAMPLE_S seconds while the load runs (no forced GC: heap used includes garbage).
sampler() { # PID FILE
  local pid=$1 file=$2 t0=$SECONDS
  echo "t_s heap_used_mb platform_threads os_threads open_files rss_mb" > "$file"
  while bench_alive "$pid"; do
    echo "$((SECONDS - t0)) $(heap_used_mb "$pid") $(platform_threads "$pid") $(os_threads "$pid") $(open_files "$pid") $(rss_mb "$pid")" >> "$file"
    sleep "$SAMPLE_S"
  done
}

# ---- simulator --------------------------------------------------------------------------------------
sim_port=$(bench_free_port) || { echo "soak.sh: no free port" >&2; exit 1; }
"$JH/bin/java" -jar "$TW_JAR" simulate --port "$sim_port" > "$BENCH_OUT/soak-sim.log" 2>&1 &
SIM_PID=$!
bench_track "$SIM_PID"
SIM_URL="http://127.0.0.1:$sim_port"
if ! bench_wait_ready simulator "$SIM_PID" "$START_TIMEOUT_S" "$SIM_URL/_sim/rules"; then
  tail -15 "$BENCH_OUT/soak-sim.log" >&2; exit 1
fi
# A simulator from before the chance rules answers 400 here: better to stop now than to soak without faults.
probe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$SIM_URL/_sim/rules" \
  -d '{"model":"soak-probe","action":"reset","chance":0.5}')
[ "$probe" = 201 ] || { echo "soak.sh: the simulator does not take chance/reset rules (HTTP $probe); REBUILD=1?" >&2; exit 1; }
curl -s -o /dev/null -X DELETE "$SIM_URL/_sim/rules"

# ---- gateway ----------------------------------------------------------------------------------------
write_config() { # PORT WITH_FALLBACK(0|1)
  local fb="" m
  if [ "$2" = 1 ] && [ -n "$FALLBACK" ]; then
    for m in $FALLBACK; do fb+="${fb:+, }\"$m\""; done
  fi
  {
    echo "# Generated by bench/soak.sh: tokenwise in front of the provider simulator."
    echo "server: { host: 127.0.0.1, port: $1 }"
    echo "store: { url: \"sqlite:bench/out/soak.db\" }"
    echo "providers:"
    echo "  openai: { base_url: \"$SIM_URL/v1\", api_key: \"sk-soak\", timeout: $UPSTREAM_TIMEOUT }"
    echo "  anthropic: { base_url: \"$SIM_URL\", api_key: \"sk-soak\", timeout: $UPSTREAM_TIMEOUT }"
    echo "  groq: { base_url: \"$SIM_URL/v1\", api_key: \"sk-soak\", timeout: $UPSTREAM_TIMEOUT }"
    echo "retry: { max_attempts: $MAX_ATTEMPTS }"
    if [ -n "$fb" ]; then
      echo "policies:"
      echo "  - match: { tag: soak }"
      echo "    fallback: [ $fb ]"
    fi
  } > "$BENCH_OUT/soak.yaml"
}

start_gateway() { # WITH_FALLBACK
  local port
  port=$(bench_free_port) || return 1
  rm -f "$BENCH_OUT"/soak.db*
  write_config "$port" "$1"
  # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
  "$JH/bin/java" $JVM_FLAGS -jar "$TW_JAR" serve --config "$BENCH_OUT/soak.yaml" > "$BENCH_OUT/soak-gateway.log" 2>&1 &
  GW_PID=$!
  bench_track "$GW_PID"
  GW_URL="http://127.0.0.1:$port"
  bench_wait_ready tokenwise "$GW_PID" "$START_TIMEOUT_S" "$GW_URL/health"
}

FALLBACK_NOTE="fallback chain for tag soak: [${FALLBACK// /, }]"
[ -n "$FALLBACK" ] || FALLBACK_NOTE="no fallback chain (FALLBACK is empty)"
if ! start_gateway 1; then
  echo "---- last lines of $BENCH_OUT/soak-gateway.log:" >&2; tail -15 "$BENCH_OUT/soak-gateway.log" >&2
  if [ -n "$FALLBACK" ] && grep -qi fallback "$BENCH_OUT/soak-gateway.log"; then
    bench_log "this build refuses the fallback policy: measuring without it"
    bench_stop "$GW_PID"
    FALLBACK_NOTE="fallback chain REFUSED by this build: measured without fallbacks"
    start_gateway 0 || { tail -15 "$BENCH_OUT/soak-gateway.log" >&2; exit 1; }
  else
    exit 1
  fi
fi
bench_log "tokenwise on $GW_URL (pid $GW_PID), simulator on $SIM_URL (pid $SIM_PID)"

# One call of each dialect before any fault: the path through the gateway must work.
for body in '/v1/chat/completions|{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"user","content":"ping"}]}' \
            '/v1/messages|{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"ping"}]}'; do
  code=$(curl -s -o "$BENCH_OUT/soak-probe.json" -w '%{http_code}' --max-time 10 "$GW_URL${body%%|*}" \
    -H 'content-type: application/json' -H 'authorization: Bearer sk-soak' -H 'x-api-key: sk-soak' \
    -H 'anthropic-version: 2023-06-01' -H 'x-tokenwise-tag: soak' -d "${body#*|}")
  [ "$code" = 200 ] || { echo "soak.sh: a first call to ${body%%|*} answered HTTP $code: $(head -c 300 "$BENCH_OUT/soak-probe.json")" >&2; exit 1; }
done

# ---- load -------------------------------------------------------------------------------------------
jvm_snapshot "$GW_PID" IDLE
script_faults || exit 1
SYNC="$BENCH_OUT/soak-sync-$STAMP"
rm -rf "$SYNC"; mkdir -p "$SYNC"
DRIVER_OUT="$BENCH_OUT/soak-driver-$STAMP.txt"
bench_log "load: ${WARMUP_S}s warm-up, then ${DURATION_S}s at $RATE calls/s with faults ($FAULTS)"
timeout $((WARMUP_S + DURATION_S + 2 * CALL_TIMEOUT_S + 400)) \
  "$JH/bin/java" -cp "$TW_JAR" "$BENCH_DIR/soak/SoakDriver.java" "$GW_URL" "$RATE" "$DURATION_S" "$WARMUP_S" \
  "$SEED" "$CALL_TIMEOUT_S" "$BENCH_OUT/soak-calls-$STAMP.csv" "$SYNC" > "$DRIVER_OUT" 2> >(tee "$BENCH_OUT/soak-driver-stderr.log" >&2) &
DRIVER_PID=$!
bench_track "$DRIVER_PID"
deadline=$((SECONDS + WARMUP_S + 2 * CALL_TIMEOUT_S + 120))
while [ ! -e "$SYNC/warm" ]; do
  bench_alive "$DRIVER_PID" || { echo "soak.sh: the driver stopped during the warm-up" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "soak.sh: the warm-up did not end in time" >&2; exit 1; }
  sleep 0.2
done
# The measured run starts from here: fresh simulator counts, the gateway's figures at rest (the driver
# closed its connections; the same pause comes before the figures at the end).
script_faults || exit 1
sleep 2
jvm_snapshot "$GW_PID" START
sampler "$GW_PID" "$BENCH_OUT/soak-samples-$STAMP.txt" &
SAMPLER_PID=$!
GO_MS=$(date +%s%3N)
touch "$SYNC/go"
wait "$DRIVER_PID"
DRIVER_RC=$?
bench_stop "$SAMPLER_PID"; SAMPLER_PID=
sleep 2
jvm_snapshot "$GW_PID" END
SIM_STATS=$(curl -s --max-time 30 "$SIM_URL/_sim/stats")
SIM_RULES=$(curl -s --max-time 30 "$SIM_URL/_sim/rules")
GW_ALIVE=yes; bench_alive "$GW_PID" || GW_ALIVE=NO
# The request log, read after the writer's flush: one row per call of the run, with its attempts.
LOG_ROWS=
if command -v sqlite3 > /dev/null; then
  LOG_ROWS=$(sqlite3 -separator ' ' "file:$BENCH_OUT/soak.db?mode=ro" \
    "select count(*), printf('%.3f', avg(attempts)), max(attempts) from requests where time_ms >= $GO_MS" 2>/dev/null)
fi
rm -rf "$SYNC"

# ---- report -----------------------------------------------------------------------------------------
summary=$(grep '^#soak ' "$DRIVER_OUT" | tail -1)
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " ${summary#\#soak }"; }
CALLS=$(kv calls); OK=$(kv ok); DRAINED=$(kv drained)
UP_CALLS=$(sed -n 's/.*"calls":\([0-9]*\).*/\1/p' <<< "$SIM_STATS")
json_map() { # the flat object under KEY in SIM_STATS, as "k v, k v"
  sed -n "s/.*\"$1\":{\([^}]*\)}.*/\1/p" <<< "$SIM_STATS" | tr -d '"' | sed 's/:/ /g; s/,/, /g'
}
applied=()
while read -r n; do applied+=("$n"); done < <(grep -o '"applied":[0-9]*' <<< "$SIM_RULES" | cut -d: -f2)
growth() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || a == "n/a" || b == "n/a") print "n/a"; else printf "%+g", b - a}'; }
FAILED=0
{
  echo "bench/soak.sh  $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  $(uname -r)"
  echo "gateway JVM: $("$JH/bin/java" -version 2>&1 | head -1)   JVM_FLAGS: $JVM_FLAGS"
  echo "gateway config: retry max_attempts $MAX_ATTEMPTS; providers openai, anthropic, groq -> simulator, timeout $UPSTREAM_TIMEOUT;"\
    "$FALLBACK_NOTE"
  echo "load: $RATE calls/s for ${DURATION_S}s after a ${WARMUP_S}s warm-up (not counted); open loop; a quarter each of"\
    "OpenAI whole/streamed to gpt-4o-mini and Anthropic whole/streamed to $CLAUDE; seed $SEED; client timeout ${CALL_TIMEOUT_S}s"
  echo "faults scripted ($FAULTS; % of the upstream calls to each model, stall = ${STALL_MS} ms before the first byte):"\
    "${SHARED_PCT} % of calls to every model, $(awk -v a="$SHARED_PCT" -v b="$CLAUDE_PCT" 'BEGIN {print a + b}') % to $CLAUDE"
  echo
  grep -v '^#soak ' "$DRIVER_OUT"
  [ "$DRIVER_RC" = 0 ] || { echo "RUN FAILED: the driver exited with status $DRIVER_RC (see $BENCH_OUT/soak-driver-stderr.log)"; FAILED=1; }
  [ "$DRAINED" = true ] || { echo "RUN FAILED: calls were still unanswered $CALL_TIMEOUT_S s after the last was sent"; FAILED=1; }
  echo
  if [ -n "$LOG_ROWS" ]; then
    read -r rows mean max <<< "$LOG_ROWS"
    echo "request log (sqlite, rows of the run): $rows rows for $CALLS calls; attempts mean $mean, max $max"
  else
    echo "request log: not read (no sqlite3)"
  fi
  echo "upstream (the simulator, during the measured run): ${UP_CALLS:-n/a} calls = $(bench_ratio "${UP_CALLS:-}" "${CALLS:-}") per client call"
  echo "  by status (0 = nothing sent): $(json_map by_status)"
  echo "  by how the answer ended: $(json_map by_state)"
  line="  faults injected:"
  for i in "${!RULE_NAMES[@]}"; do
    line+=" ${RULE_NAMES[$i]} ${applied[$i]:-?} ($(awk -v n="${applied[$i]:-0}" -v t="${UP_CALLS:-0}" 'BEGIN {if (t > 0) printf "%.1f %%", 100 * n / t; else print "n/a"}'))"
  done
  echo "$line"
  echo
  echo "gateway JVM (pid $GW_PID, alive at the end: $GW_ALIVE), after a full GC each time:"
  printf '  %-28s %8s %8s %8s %10s\n' "" idle start end "end-start"
  for m in "HEAP:heap used MB" "PLAT:platform threads" "VIRT:virtual threads (dump)" "OS:OS threads" "FDS:open files" "RSS:RSS MB"; do
    k=${m%%:*}; name=${m#*:}
    i="SNAP_IDLE_$k"; s="SNAP_START_$k"; e="SNAP_END_$k"
    printf '  %-28s %8s %8s %8s %10s\n' "$name" "${!i:-n/a}" "${!s:-n/a}" "${!e:-n/a}" "$(growth "${!s:-}" "${!e:-}")"
  done
  echo "  samples during the run (every ${SAMPLE_S}s, no forced GC):"
  sed 's/^/    /' "$BENCH_OUT/soak-samples-$STAMP.txt" | column -t | sed 's/^/    /'
  verdict=$(awk -v h="$(growth "$SNAP_START_HEAP" "$SNAP_END_HEAP")" -v p="$(growth "$SNAP_START_PLAT" "$SNAP_END_PLAT")" \
    -v f="$(growth "$SNAP_START_FDS" "$SNAP_END_FDS")" 'BEGIN {
      ok = (h != "n/a" && h + 0 <= 16 && p != "n/a" && p + 0 <= 2 && f != "n/a" && f + 0 <= 8)
      print (ok ? "no growth" : "GREW") " (heap after GC " h " MB, platform threads " p ", open files " f \
        "; limits +16 MB, +2, +8)" }')
  echo "  $verdict"
  [ "$GW_ALIVE" = yes ] || { echo "RUN FAILED: the gateway died"; FAILED=1; }
  echo
  echo "per-call lines: $BENCH_OUT/soak-calls-$STAMP.csv; logs: $BENCH_OUT/soak-gateway.log, soak-sim.log"
  echo "the machine is shared and noisy: compare runs on one machine, and repeat before believing small differences"
} | tee "$REPORT"
grep -q "RUN FAILED" "$REPORT" && FAILED=1
echo "report: $REPORT" >&2
exit "$FAILED"
