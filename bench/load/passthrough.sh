# Sourced by bench/load/run.sh (mode "passthrough"): the cost of an Anthropic-compatible upstream behind Switchboard.
# One fast fake server answers both /v1/messages and /v1/chat/completions; one Switchboard has two upstreams on it:
#   direct        the Messages body sent straight to the server's /v1/messages
#   passthrough   Messages door → Api "anthropic" upstream (the body forwarded with only the model changed, the
#                 answer relayed event by event)
#   translated    Messages door → Api "openai-chat" upstream (translated both ways, as before)
# Uses run.sh's helpers (start, wait_for, warm, measure, make_bodies) and settings.

run_passthrough() {
  machine_info
  make_bodies small-request.json small false
  make_bodies claude-code-request.json cc false
  make_bodies claude-code-request.json cc-stream true
  for workload in small cc cc-stream; do
    # The same body, asking for the model routed to the Anthropic-compatible upstream.
    python3 - "$OUT/$workload.anthropic.json" "$OUT/$workload.passthrough.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1], encoding="utf-8"))
body["model"] = "bench-claude"
open(sys.argv[2], "wb").write(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
PY
  done
  UPSTREAM_PID=$(start "fast upstream" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" --tokens "$TOKENS")
  PIDS+=("$UPSTREAM_PID")
  wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"
  local base="http://127.0.0.1:$UPSTREAM_PORT/v1"
  SWITCHBOARD_PID=$(start "Switchboard" "$OUT/switchboard.log" env ${SWITCHBOARD_ENV:-} dotnet "$SWITCHBOARD_DLL" --port "$SWITCHBOARD_PORT" \
    --data-dir "$OUT/data" --Switchboard:Upstreams:chat:BaseUrl="$base" \
    --Switchboard:Upstreams:claude:BaseUrl="$base" --Switchboard:Upstreams:claude:Api=anthropic \
    --Switchboard:Models:0:Name=bench-model --Switchboard:Models:0:Upstream=chat --Switchboard:Models:0:Aliases:0="claude-*" \
    --Switchboard:Models:1:Name=bench-claude --Switchboard:Models:1:Upstream=claude --Switchboard:Models:1:UpstreamModel=bench-model \
    ${SWITCHBOARD_ARGS:-})
  PIDS+=("$SWITCHBOARD_PID")
  wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"

  log "warming up every path (${FIRST_WARMUP}s per workload)"
  for workload in small cc cc-stream; do
    warm "$UPSTREAM_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$FIRST_WARMUP"
    warm "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.passthrough.json" "$FIRST_WARMUP"
    warm "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$FIRST_WARMUP"
  done

  printf 'workload\tconcurrency\ttarget\trps\tp50_ms\tp99_ms\terrors\tgateway_cpu_per_1k\tupstream_cpu_per_1k\tgateway_hwm_mib\toverhead_p50_us\toverhead_p99_us\n' >"$OUT/results.tsv"
  for spec in "small $CONCURRENCY" "cc $CONCURRENCY" "cc-stream $CONCURRENCY" "small $LATENCY_CONCURRENCY"; do
    read -r workload conc <<<"$spec"
    measure direct "$UPSTREAM_PID" "$UPSTREAM_PORT" /v1/messages "$OUT/$workload.anthropic.json" "direct-$workload" "$conc"
    measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.passthrough.json" "passthrough-$workload" "$conc"
    measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.anthropic.json" "translated-$workload" "$conc"
  done

  {
    echo "## Passthrough run $(date -u +%Y-%m-%d)"
    echo
    cat "$OUT/machine.md"
    echo "- Upstream answer: $TOKENS tokens; wrk $WRK_THREADS thread(s), ${DURATION}s per cell after ${WARMUP}s warm-up"
    echo
    python3 - "$OUT/results.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
names = {"small": "Small, non-streaming", "cc": "Claude-Code-sized, non-streaming", "cc-stream": "Claude-Code-sized, streaming"}
paths = {"direct": "direct to /v1/messages", "passthrough": "Switchboard → anthropic upstream (passthrough)",
         "translated": "Switchboard → openai-chat upstream (translated)"}
print("| Workload | Concurrency | Path | Requests/s | p50 ms | p99 ms | Gateway CPU s per 1k req | In-process overhead p50 / p99 µs | Errors |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    path, workload = r["workload"].split("-", 1)
    overhead = f"{r['overhead_p50_us']} / {r['overhead_p99_us']}" if r["overhead_p50_us"] else "—"
    cpu = f"{float(r['gateway_cpu_per_1k']):.3f}" if path != "direct" else "—"
    print(f"| {names[workload]} | {r['concurrency']} | {paths[path]} | {float(r['rps']):,.0f} | {float(r['p50_ms']):.2f} | "
          f"{float(r['p99_ms']):.2f} | {cpu} | {overhead} | {r['errors']} |")
PY
  } >"$OUT/report.md"
  cat "$OUT/report.md"
  log "results in $OUT"
}
