#!/usr/bin/env bash
# The affinity experiment (docs/POOLS.md): four replicas of one model that model a prefix cache
# (bench/FastUpstream --prefix-cache: a prompt prefix the replica has seen costs no prefill), behind one Switchboard,
# under a multi-session Claude-Code-like workload (bench/load/affinity.py). Three runs, each on fresh replicas:
#   off      Pools:Affinity=false: the power of two choices on requests in flight, no regard for the conversation
#   session  affinity keyed by the session header Claude Code sends (x-claude-code-session-id)
#   prefix   affinity without a header: keyed by a hash of the start of the prompt
# Reports the replicas' cache hit rate (bytes of prompt found cached / bytes sent) and the client's time to first token.
#
# Settings (environment): SESSIONS=24 TURNS=10 PREFILL_US_PER_KB=5000 REPLICAS=4 OUT=<results folder>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SESSIONS=${SESSIONS:-24}
TURNS=${TURNS:-10}
PREFILL_US_PER_KB=${PREFILL_US_PER_KB:-5000}
REPLICAS=${REPLICAS:-4}
OUT=${OUT:-/tmp/switchboard-affinity-$(date +%Y%m%d-%H%M%S)}
BASE_PORT=18100 SWITCHBOARD_PORT=14100
source "$ROOT/bench/load/common.sh"
build_projects src/Switchboard bench/FastUpstream

run_mode() { # mode
  local mode=$1 roots=() upstreams="" targets="" affinity=true header_flag="" switchboard_port=$((SWITCHBOARD_PORT + RUN))
  RUN=$((RUN + 1))
  [ "$mode" = off ] && affinity=false
  [ "$mode" = prefix ] && header_flag=--no-session-header
  for i in $(seq 0 $((REPLICAS - 1))); do
    local port=$((BASE_PORT + 10 * RUN + i))
    dotnet "$UPSTREAM_DLL" --port "$port" --tokens 40 --prefix-cache --prefill-us-per-kb "$PREFILL_US_PER_KB" >"$OUT/replica-$mode-$i.log" 2>&1 &
    PIDS+=($!)
    roots+=("http://127.0.0.1:$port")
    upstreams+="${upstreams:+,}\"r$i\": { \"BaseUrl\": \"http://127.0.0.1:$port/v1\", \"Tokenizer\": \"estimate\" }"
    targets+="${targets:+,}{ \"Upstream\": \"r$i\" }"
  done
  cat >"$OUT/config-$mode.json" <<JSON
{ "Switchboard": {
    "Upstreams": { $upstreams },
    "Models": [ { "Name": "bench-model", "ContextLength": 200000, "Targets": [ $targets ] } ],
    "Pools": { "Affinity": $affinity } },
  "Logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  for root in "${roots[@]}"; do wait_for "$root/health" 600; done
  dotnet "$SWITCHBOARD_DLL" --config "$OUT/config-$mode.json" --port "$switchboard_port" --data-dir "$OUT/data-$mode" >"$OUT/switchboard-$mode.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$switchboard_port/healthz" 600
  log "mode $mode: $SESSIONS sessions x $TURNS turns"
  local IFS=,
  python3 "$ROOT/bench/load/affinity.py" "http://127.0.0.1:$switchboard_port" "${roots[*]}" --sessions "$SESSIONS" --turns "$TURNS" $header_flag \
    | sed "s/^{/{\"mode\": \"$mode\", /" | tee "$OUT/result-$mode.json"
  cleanup
  sleep 0.5
}

RUN=0
for mode in off session prefix; do run_mode "$mode"; done

python3 - "$OUT" "$SESSIONS" "$TURNS" "$PREFILL_US_PER_KB" "$REPLICAS" >"$OUT/report.md" <<'PY'
import json, sys
out, sessions, turns, prefill, replicas = sys.argv[1:]
rows = [json.load(open(f"{out}/result-{m}.json")) for m in ("off", "session", "prefix")]
print(f"Affinity experiment: {replicas} replicas with a modelled prefix cache ({prefill} us of prefill per uncached KiB, one prefill at a time per replica), "
      f"{sessions} concurrent Claude-Code-like sessions x {turns} turns (30 KB shared system prompt and tools, then ~6.5 KB more per turn: a tool result and the answer).\n")
print("| affinity | requests (failed) | cache hit rate | TTFT p50 | TTFT p90 | TTFT mean | TTFT p50, turns 2+ | requests per replica |")
print("|---|---|---|---|---|---|---|---|")
names = {"off": "off (power of two choices)", "session": "session header", "prefix": "prompt-prefix hash"}
for r in rows:
    print(f"| {names[r['mode']]} | {r['requests']} ({r['failed']}) | {r['hit_rate']*100:.1f}% | {r['ttft_ms_p50']} ms | {r['ttft_ms_p90']} ms | "
          f"{r['ttft_ms_mean']} ms | {r['later_turns_ttft_ms_p50']} ms | {' / '.join(map(str, r['requests_per_replica']))} |")
PY
cat "$OUT/report.md"
log "results in $OUT"
