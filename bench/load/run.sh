#!/usr/bin/env bash
# Load benchmark: direct to a fast fake model server, through Switchboard, and through claude-code-router, in one
# run on one machine against the same upstream; Switchboard through its three doors (Messages, Chat Completions and
# Responses) on the same conversations. See docs/PERFORMANCE.md.
#
#   bench/load/run.sh            the throughput/latency table (wrk)
#   bench/load/run.sh streams    many concurrent slow streams through one Switchboard (memory, added token latency)
#   bench/load/run.sh tenancy    the cost of admission + settlement: a limited stored key against a static key, on
#                                SQLite and (run under build/test-services.sh) PostgreSQL, and the ledger's row count
#   bench/load/run.sh passthrough  Messages → Anthropic-compatible upstream (passthrough) next to the translated path
#                                (Messages → OpenAI-compatible upstream) and direct (bench/load/passthrough.sh)
#   bench/load/run.sh telemetry  the cost of metrics and tracing: off, metrics, metrics + OTLP traces (telemetry.sh)
#   bench/load/run.sh affinity   pool affinity: prefix-cache hit rate and TTFT with and without it (affinity.sh)
#   bench/load/run.sh batches    interactive p50/p99 with and without a 1,000-request message batch running (batches.sh)
#   bench/load/run.sh latency    the field's method: added latency at one connection (p50/p99/p99.9, non-streamed and
#                                time to first token) and saturated requests/s, every door and the passthrough, gateway
#                                and upstream + load generator on separate cores, limited key, telemetry on (latency.sh)
#                                BASELINE_DLL=<another build's Switchboard.dll> adds that build's rows to the same run
#
# Settings (environment): CONCURRENCY=32 LATENCY_CONCURRENCY=4 DURATION=10 WARMUP=3 FIRST_WARMUP=10 TOKENS=300 WRK_THREADS=1
#   SKIP_CCR=1  CCR_DIR=/tmp/switchboard-bench-ccr  OUT=<results folder>
#   SWITCHBOARD_ARGS="--Logging:LogLevel:Switchboard=Warning"  SWITCHBOARD_ENV="DOTNET_gcServer=0"   (experiments)
#   STREAMS=5000 STREAM_RATE=3 STREAM_TOKENS=60 RAMP_SECONDS=15 STREAM_FIXTURE=small-request.json SKIP_YARP=0   (streams mode)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${1:-table}
CONCURRENCY=${CONCURRENCY:-32}
LATENCY_CONCURRENCY=${LATENCY_CONCURRENCY:-4}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
FIRST_WARMUP=${FIRST_WARMUP:-10}
TOKENS=${TOKENS:-300}
WRK_THREADS=${WRK_THREADS:-1}
SKIP_CCR=${SKIP_CCR:-0}
CCR_VERSION=2.0.0
CCR_DIR=${CCR_DIR:-/tmp/switchboard-bench-ccr}
OUT=${OUT:-/tmp/switchboard-bench-$(date +%Y%m%d-%H%M%S)}
STREAMS=${STREAMS:-5000}
STREAM_RATE=${STREAM_RATE:-3}
STREAM_TOKENS=${STREAM_TOKENS:-60}
RAMP_SECONDS=${RAMP_SECONDS:-15}
STREAM_FIXTURE=${STREAM_FIXTURE:-small-request.json}
UPSTREAM_PORT=18000 SWITCHBOARD_PORT=14000 CCR_PORT=13456
case $MODE in   # modes that are scripts of their own
  telemetry) exec "$ROOT/bench/load/telemetry.sh" ;;
  affinity) exec "$ROOT/bench/load/affinity.sh" ;;
  batches) exec "$ROOT/bench/load/batches.sh" ;;
esac
source "$ROOT/bench/load/common.sh"

# File descriptors: every stream holds a client and an upstream socket in the gateway.
ulimit -n "$(ulimit -Hn)" || true
log "ulimit -n = $(ulimit -n)"

need wrk wrk
need python3 python3
build_projects

make_bodies() { # fixture name stream
  dotnet "$LOADTOOL_DLL" body "$ROOT/bench/fixtures/$1" --stream "$3" --anthropic "$OUT/$2.anthropic.json" --chat "$OUT/$2.chat.json" >&2
}

make_chat_body() { # fixture name stream: a Chat Completions client's body, compacted, with stream (and usage) set
  python3 - "$ROOT/bench/fixtures/$1" "$3" "$OUT/$2.openai.json" >&2 <<'PY'
import json, sys
source, stream, out = sys.argv[1:]
body = json.load(open(source, encoding="utf-8"))
body["stream"] = stream == "true"
if body["stream"]:
    body["stream_options"] = {"include_usage": True}
data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
open(out, "wb").write(data)
print(f"{out.rsplit('/', 1)[-1]}: {len(data)} bytes")
PY
}

make_responses_body() { # fixture name stream: the same conversation as a Responses client sends it (as Codex does:
  # store:false, the whole history as input items, earlier reasoning as reasoning items), compacted
  python3 - "$ROOT/bench/fixtures/$1" "$3" "$OUT/$2.responses.json" >&2 <<'PY'
import json, sys
source, stream, out = sys.argv[1:]
chat = json.load(open(source, encoding="utf-8"))

def parts(content, kind):
    if isinstance(content, str):
        return [{"type": kind, "text": content}]
    return [{"type": kind, "text": p["text"]} for p in content or [] if p.get("type") == "text"]

items = []
for m in chat["messages"]:
    role = m["role"]
    if role in ("system", "developer"):
        items.append({"type": "message", "role": "developer", "content": parts(m["content"], "input_text")})
    elif role == "user":
        items.append({"type": "message", "role": "user", "content": parts(m["content"], "input_text")})
    elif role == "assistant":
        if m.get("reasoning_content"):
            items.append({"type": "reasoning", "summary": [{"type": "summary_text", "text": m["reasoning_content"]}]})
        if m.get("content"):
            items.append({"type": "message", "role": "assistant", "content": parts(m["content"], "output_text")})
        for call in m.get("tool_calls") or []:
            items.append({"type": "function_call", "call_id": call["id"], "name": call["function"]["name"], "arguments": call["function"]["arguments"]})
    elif role == "tool":
        items.append({"type": "function_call_output", "call_id": m["tool_call_id"], "output": m["content"] if isinstance(m["content"], str) else json.dumps(m["content"])})
body = {"model": chat["model"], "input": items, "stream": stream == "true", "store": False}
if chat.get("tools"):
    body["tools"] = [{"type": "function", "name": t["function"]["name"], "description": t["function"].get("description", ""),
                      "parameters": t["function"].get("parameters", {}), "strict": False} for t in chat["tools"]]
    body["tool_choice"] = "auto"
    body["parallel_tool_calls"] = True
if chat.get("max_completion_tokens") or chat.get("max_tokens"):
    body["max_output_tokens"] = chat.get("max_completion_tokens") or chat.get("max_tokens")
if chat.get("reasoning_effort"):
    body["reasoning"] = {"effort": chat["reasoning_effort"], "summary": "auto"}
    body["include"] = ["reasoning.encrypted_content"]
data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
open(out, "wb").write(data)
print(f"{out.rsplit('/', 1)[-1]}: {len(data)} bytes, {len(items)} input items")
PY
}

start_ccr() { # upstream port
  if [[ ! -f $CCR_DIR/node_modules/@musistudio/claude-code-router/dist/cli.js ]]; then
    log "installing claude-code-router $CCR_VERSION into $CCR_DIR"
    mkdir -p "$CCR_DIR"
    npm install --prefix "$CCR_DIR" --no-audit --no-fund --loglevel=error "@musistudio/claude-code-router@$CCR_VERSION" >&2
  fi
  local home=$OUT/ccr-home
  mkdir -p "$home/.claude-code-router"
  cat >"$home/.claude-code-router/config.json" <<JSON
{
  "LOG": false,
  "HOST": "127.0.0.1",
  "PORT": $CCR_PORT,
  "NON_INTERACTIVE_MODE": true,
  "API_TIMEOUT_MS": 600000,
  "Providers": [
    { "name": "bench", "api_base_url": "http://127.0.0.1:$1/v1/chat/completions", "api_key": "bench", "models": ["bench-model"] }
  ],
  "Router": { "default": "bench,bench-model" }
}
JSON
  CCR_PID=$(HOME=$home start "claude-code-router" "$OUT/ccr.log" node "$CCR_DIR/node_modules/@musistudio/claude-code-router/dist/cli.js" start)
  PIDS+=("$CCR_PID")
  wait_for "http://127.0.0.1:$CCR_PORT/"
}

warm() { # port path body seconds
  BODY_FILE=$3 REQUEST_PATH=$2 wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"${4}s" --timeout 30s -s "$ROOT/bench/load/post.lua" \
    "http://127.0.0.1:$1" >/dev/null
}

# One measurement: warm up, then a timed wrk run with CPU and peak RSS of the gateway and the upstream.
measure() { # target gateway_pid port path body workload concurrency
  local target=$1 gw=$2 port=$3 path=$4 body=$5 workload=$6 conc=$7
  local url="http://127.0.0.1:$port"
  BODY_FILE=$body REQUEST_PATH=$path wrk -t"$WRK_THREADS" -c"$conc" -d"${WARMUP}s" --timeout 30s -s "$ROOT/bench/load/post.lua" "$url" >/dev/null
  reset_hwm "$gw"
  local gw_before up_before log_before=0
  gw_before=$(cpu_ticks "$gw"); up_before=$(cpu_ticks "$UPSTREAM_PID")
  [[ $target == switchboard ]] && log_before=$(wc -l <"$OUT/switchboard.log")
  BODY_FILE=$body REQUEST_PATH=$path wrk -t"$WRK_THREADS" -c"$conc" -d"${DURATION}s" --timeout 30s -s "$ROOT/bench/load/post.lua" "$url" \
    >"$OUT/wrk-$target-$workload-c$conc.txt"
  local gw_after up_after hwm
  gw_after=$(cpu_ticks "$gw"); up_after=$(cpu_ticks "$UPSTREAM_PID"); hwm=$(hwm_kib "$gw")
  local overhead=$OUT/overhead-$workload-c$conc.txt
  : >"$overhead"
  if [[ $target == switchboard ]]; then
    sleep 0.5   # the console logger writes behind the requests
    tail -n +"$((log_before + 1))" "$OUT/switchboard.log" | grep -o 'overhead_us=[0-9]*' | cut -d= -f2 >"$overhead" || true
  fi
  local line
  line=$(grep '^RESULT' "$OUT/wrk-$target-$workload-c$conc.txt")
  python3 - "$line" "$target" "$workload" "$conc" "$((gw_after - gw_before))" "$((up_after - up_before))" "$hwm" "$TICKS" "$overhead" >>"$OUT/results.tsv" <<'PY'
import sys
line, target, workload, conc, gw, up, hwm, ticks, overhead = sys.argv[1:]
f = dict(kv.split("=") for kv in line.split()[1:])
requests, seconds = int(f["requests"]), int(f["duration_us"]) / 1e6
per_1k = lambda t: (int(t) / int(ticks)) / max(requests, 1) * 1000
values = sorted(int(v) for v in open(overhead) if v.strip())
pick = lambda p: str(values[min(len(values) - 1, max(0, int(p * len(values) + 0.5) - 1))]) if values else ""
o50, o99 = pick(0.50), pick(0.99)
print("\t".join(map(str, [workload, conc, target, f"{requests / seconds:.1f}", f"{int(f['p50_us']) / 1000:.3f}",
      f"{int(f['p99_us']) / 1000:.3f}", f["errors"], f"{per_1k(gw):.4f}", f"{per_1k(up):.4f}", f"{int(hwm) / 1024:.1f}", o50, o99])))
PY
  log "$(tail -1 "$OUT/results.tsv")"
}

run_table() {
  machine_info
  make_bodies small-request.json small false
  make_bodies claude-code-request.json cc false
  make_bodies claude-code-request.json cc-stream true
  make_chat_body chat-small-request.json chat-small false
  make_chat_body chat-claude-code-request.json chat-cc false
  make_chat_body chat-claude-code-request.json chat-cc-stream true
  make_responses_body chat-small-request.json resp-small false
  make_responses_body chat-claude-code-request.json resp-cc false
  make_responses_body chat-claude-code-request.json resp-cc-stream true
  UPSTREAM_PID=$(start "fast upstream" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" --tokens "$TOKENS")
  PIDS+=("$UPSTREAM_PID")
  wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"
  SWITCHBOARD_PID=$(start "Switchboard" "$OUT/switchboard.log" env ${SWITCHBOARD_ENV:-} dotnet "$SWITCHBOARD_DLL" \
    --upstream "http://127.0.0.1:$UPSTREAM_PORT/v1" --model bench-model --port "$SWITCHBOARD_PORT" --data-dir "$OUT/data" ${SWITCHBOARD_ARGS:-})
  PIDS+=("$SWITCHBOARD_PID")
  wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"
  if [[ $SKIP_CCR != 1 ]]; then start_ccr "$UPSTREAM_PORT"; fi

  # .NET promotes hot code to optimized tiers only after it has run a while, later still on a busy machine: every
  # path is driven for a while before anything is measured, so the table shows steady state, not start-up.
  log "warming up every path (${FIRST_WARMUP}s per workload)"
  for workload in small cc cc-stream; do
    warm "$UPSTREAM_PORT" /v1/chat/completions "$OUT/$workload.chat.json" "$FIRST_WARMUP"
    warm "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$FIRST_WARMUP"
    if [[ $SKIP_CCR != 1 ]]; then warm "$CCR_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$FIRST_WARMUP"; fi
    warm "$UPSTREAM_PORT" /v1/chat/completions "$OUT/chat-$workload.openai.json" "$FIRST_WARMUP"
    warm "$SWITCHBOARD_PORT" /v1/chat/completions "$OUT/chat-$workload.openai.json" "$FIRST_WARMUP"
    warm "$SWITCHBOARD_PORT" /v1/responses "$OUT/resp-$workload.responses.json" "$FIRST_WARMUP"
  done

  printf 'workload\tconcurrency\ttarget\trps\tp50_ms\tp99_ms\terrors\tgateway_cpu_per_1k\tupstream_cpu_per_1k\tgateway_hwm_mib\toverhead_p50_us\toverhead_p99_us\n' >"$OUT/results.tsv"
  for spec in "small $CONCURRENCY" "cc $CONCURRENCY" "cc-stream $CONCURRENCY" "small $LATENCY_CONCURRENCY"; do
    read -r workload conc <<<"$spec"
    measure direct "$UPSTREAM_PID" "$UPSTREAM_PORT" /v1/chat/completions "$OUT/$workload.chat.json" "$workload" "$conc"
    measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$workload" "$conc"
    if [[ $SKIP_CCR != 1 ]]; then
      measure ccr "$CCR_PID" "$CCR_PORT" /v1/messages "$OUT/$workload.anthropic.json" "$workload" "$conc"
    fi
    # The same conversation from a Chat Completions client: direct is that client's own body sent to the model server.
    measure direct "$UPSTREAM_PID" "$UPSTREAM_PORT" /v1/chat/completions "$OUT/chat-$workload.openai.json" "chat-$workload" "$conc"
    measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/chat/completions "$OUT/chat-$workload.openai.json" "chat-$workload" "$conc"
    # The same conversation from a Responses client (Codex's shape): direct is the Chat Completions body to the model
    # server, since a Responses client in front of a Chat Completions server is what the door stands in for.
    measure direct "$UPSTREAM_PID" "$UPSTREAM_PORT" /v1/chat/completions "$OUT/chat-$workload.openai.json" "resp-$workload" "$conc"
    measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/responses "$OUT/resp-$workload.responses.json" "resp-$workload" "$conc"
  done

  {
    echo "## Load run $(date -u +%Y-%m-%d)"
    echo
    cat "$OUT/machine.md"
    echo "- Upstream answer: $TOKENS tokens; wrk $WRK_THREADS thread(s), ${DURATION}s per cell after ${WARMUP}s warm-up"
    echo
    python3 "$ROOT/bench/load/report.py" "$OUT/results.tsv"
  } >"$OUT/report.md"
  cat "$OUT/report.md"
  log "results in $OUT"
}

run_streams() {
  machine_info
  make_bodies "$STREAM_FIXTURE" stream true
  UPSTREAM_PID=$(start "fast upstream (paced, stamped)" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" \
    --tokens "$STREAM_TOKENS" --rate "$STREAM_RATE" --stamp)
  PIDS+=("$UPSTREAM_PID")
  wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"
  SWITCHBOARD_PID=$(start "Switchboard" "$OUT/switchboard.log" env ${SWITCHBOARD_ENV:-} dotnet "$SWITCHBOARD_DLL" \
    --upstream "http://127.0.0.1:$UPSTREAM_PORT/v1" --model bench-model --port "$SWITCHBOARD_PORT" --data-dir "$OUT/data" ${SWITCHBOARD_ARGS:-})
  PIDS+=("$SWITCHBOARD_PID")
  wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"
  # Warm the path first (a fifth of the streams), so JIT tiering and connection set-up are not what is measured.
  log "warm-up: $((STREAMS / 5)) streams"
  dotnet "$LOADTOOL_DLL" streams --url "http://127.0.0.1:$SWITCHBOARD_PORT/v1/messages" --body "$OUT/stream.anthropic.json" \
    --streams "$((STREAMS / 5))" --ramp-seconds 3 --label warmup >/dev/null
  log "direct: $STREAMS streams"
  dotnet "$LOADTOOL_DLL" streams --url "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" --body "$OUT/stream.chat.json" \
    --streams "$STREAMS" --ramp-seconds "$RAMP_SECONDS" --label direct | tee "$OUT/streams-direct.txt"
  local gw_before up_before
  gw_before=$(cpu_ticks "$SWITCHBOARD_PID"); up_before=$(cpu_ticks "$UPSTREAM_PID")
  log "through Switchboard: $STREAMS streams"
  dotnet "$LOADTOOL_DLL" streams --url "http://127.0.0.1:$SWITCHBOARD_PORT/v1/messages" --body "$OUT/stream.anthropic.json" \
    --streams "$STREAMS" --ramp-seconds "$RAMP_SECONDS" --pid "$SWITCHBOARD_PID" --label switchboard | tee "$OUT/streams-switchboard.txt"
  local gw_cpu=$(( $(cpu_ticks "$SWITCHBOARD_PID") - gw_before )) up_cpu=$(( $(cpu_ticks "$UPSTREAM_PID") - up_before ))
  # The floor: YARP relaying the same streams from the same upstream unchanged (no translation, no accounting), the
  # per-token cost of one more .NET hop on this machine. SKIP_YARP=1 leaves it out.
  local yarp_cpu=0 yarp_up_cpu=0
  if [[ ${SKIP_YARP:-0} != 1 ]]; then
    local yarp_port=$((SWITCHBOARD_PORT + 90)) yarp_pid
    yarp_pid=$(start "YARP floor" "$OUT/yarp.log" env ${SWITCHBOARD_ENV:-} dotnet "$YARP_DLL" --port "$yarp_port" --to "http://127.0.0.1:$UPSTREAM_PORT")
    PIDS+=("$yarp_pid")
    wait_for "http://127.0.0.1:$yarp_port/floor-health"
    dotnet "$LOADTOOL_DLL" streams --url "http://127.0.0.1:$yarp_port/v1/chat/completions" --body "$OUT/stream.chat.json" \
      --streams "$((STREAMS / 5))" --ramp-seconds 3 --label warmup >/dev/null
    log "through YARP: $STREAMS streams"
    local yarp_before=$(cpu_ticks "$yarp_pid") yarp_up_before=$(cpu_ticks "$UPSTREAM_PID")
    dotnet "$LOADTOOL_DLL" streams --url "http://127.0.0.1:$yarp_port/v1/chat/completions" --body "$OUT/stream.chat.json" \
      --streams "$STREAMS" --ramp-seconds "$RAMP_SECONDS" --pid "$yarp_pid" --label yarp | tee "$OUT/streams-yarp.txt"
    yarp_cpu=$(( $(cpu_ticks "$yarp_pid") - yarp_before )) yarp_up_cpu=$(( $(cpu_ticks "$UPSTREAM_PID") - yarp_up_before ))
  fi
  python3 - "$OUT" "$STREAMS" "$STREAM_RATE" "$STREAM_TOKENS" "$gw_cpu" "$up_cpu" "$TICKS" "$STREAM_FIXTURE" "$yarp_cpu" "$yarp_up_cpu" >"$OUT/report.md" <<'PY'
import os, sys
out, streams, rate, tokens, gw_cpu, up_cpu, ticks, fixture, yarp_cpu, yarp_up_cpu = sys.argv[1:]
def read(name):
    line = next(l for l in open(f"{out}/streams-{name}.txt") if l.startswith("STREAMS"))
    return dict(kv.split("=") for kv in line.split()[1:])
d, s = read("direct"), read("switchboard")
y = read("yarp") if os.path.exists(f"{out}/streams-yarp.txt") else None
print(f"## Streaming scale: {streams} concurrent streams, {rate} tokens/s, {tokens} tokens each, request {fixture}\n")
print(open(f"{out}/machine.md").read())
print("| Path | Streams failed | Tokens seen | Token delay p50 / p99 / max ms | Once all open: delay p50 / p99 ms | Gap change p50 / p99 ms | Gateway RSS idle → all open MiB | Memory per stream KiB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, r in (("direct to upstream", d), ("Switchboard", s)) + ((("YARP forwarding (floor)", y),) if y else ()):
    rss = f"{r['rss_before_mib']} → {r['rss_open_mib']}" if r is not d else "—"
    per = r["kib_per_stream"] if r is not d else "—"
    print(f"| {name} | {r['failed']} | {r['tokens']} | {r['delay_p50_ms']} / {r['delay_p99_ms']} / {r['delay_max_ms']} | {r['plateau_delay_p50_ms']} / {r['plateau_delay_p99_ms']} | {r['gapdiff_p50_ms']} / {r['gapdiff_p99_ms']} | {rss} | {per} |")
added50 = float(s["delay_p50_ms"]) - float(d["delay_p50_ms"])
added99 = float(s["delay_p99_ms"]) - float(d["delay_p99_ms"])
plateau50 = float(s["plateau_delay_p50_ms"]) - float(d["plateau_delay_p50_ms"])
plateau99 = float(s["plateau_delay_p99_ms"]) - float(d["plateau_delay_p99_ms"])
print(f"\nAdded token latency through Switchboard: p50 {added50:+.3f} ms, p99 {added99:+.3f} ms over the whole run; "
      f"p50 {plateau50:+.3f} ms, p99 {plateau99:+.3f} ms once every stream was open.")
tokens_seen = max(int(s["tokens"]), 1)
print(f"CPU during the Switchboard run: Switchboard {int(gw_cpu) / int(ticks):.1f} s ({int(gw_cpu) / int(ticks) / tokens_seen * 1e6:.1f} µs per token), "
      f"upstream {int(up_cpu) / int(ticks):.1f} s ({int(up_cpu) / int(ticks) / tokens_seen * 1e6:.1f} µs per token).")
if y:
    yarp_tokens = max(int(y["tokens"]), 1)
    print(f"CPU during the YARP run: YARP {int(yarp_cpu) / int(ticks):.1f} s ({int(yarp_cpu) / int(ticks) / yarp_tokens * 1e6:.1f} µs per token), "
          f"upstream {int(yarp_up_cpu) / int(ticks):.1f} s ({int(yarp_up_cpu) / int(ticks) / yarp_tokens * 1e6:.1f} µs per token); "
          f"added token latency through YARP: p50 {float(y['delay_p50_ms']) - float(d['delay_p50_ms']):+.3f} ms, "
          f"p99 {float(y['plateau_delay_p99_ms']) - float(d['plateau_delay_p99_ms']):+.3f} ms once every stream was open.")
PY
  cat "$OUT/report.md"
  log "results in $OUT"
}

load_with_key() { # key seconds conc
  API_KEY=$1 BODY_FILE=$OUT/small.anthropic.json REQUEST_PATH=/v1/messages wrk -t"$WRK_THREADS" -c"$3" -d"${2}s" --timeout 30s \
    -s "$ROOT/bench/load/post.lua" "http://127.0.0.1:$SWITCHBOARD_PORT" >/dev/null
}

run_tenancy() {
  machine_info
  make_bodies small-request.json small false
  UPSTREAM_PID=$(start "fast upstream" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" --tokens "$TOKENS")
  PIDS+=("$UPSTREAM_PID")
  wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"
  printf 'workload\tconcurrency\ttarget\trps\tp50_ms\tp99_ms\terrors\tgateway_cpu_per_1k\tupstream_cpu_per_1k\tgateway_hwm_mib\toverhead_p50_us\toverhead_p99_us\n' >"$OUT/results.tsv"
  : >"$OUT/ledger.tsv"
  local static_key=sk-bench-static stores=(sqlite)
  [[ -n ${SWITCHBOARD_TEST_POSTGRES:-} ]] && stores+=(postgres) || log "SWITCHBOARD_TEST_POSTGRES unset (run under build/test-services.sh): SQLite only"
  for store in "${stores[@]}"; do
    local store_args=(--data-dir "$OUT/data-$store")
    [[ $store == postgres ]] && store_args=(--postgres "$SWITCHBOARD_TEST_POSTGRES")
    # Limits far above what this machine can send: every request is admitted, counted and settled.
    local limited
    limited=$(dotnet "$SWITCHBOARD_DLL" keys create "${store_args[@]}" --name "bench-$store" --rpm 1000000000 \
      --input-tpm 1000000000000 --output-tpm 1000000000000 --concurrency 100000 --budget 1000000000 | grep -o 'sk-sb-[A-Za-z0-9-]*' | head -1)
    [[ -n $limited ]] || { log "keys create printed no key"; exit 1; }
    SWITCHBOARD_PID=$(start "Switchboard ($store)" "$OUT/switchboard.log" env ${SWITCHBOARD_ENV:-} dotnet "$SWITCHBOARD_DLL" \
      --upstream "http://127.0.0.1:$UPSTREAM_PORT/v1" --model bench-model --port "$SWITCHBOARD_PORT" --api-key "$static_key" \
      "${store_args[@]}" ${SWITCHBOARD_ARGS:-})
    PIDS+=("$SWITCHBOARD_PID")
    wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"
    log "warming up ($store)"
    load_with_key "$static_key" "$FIRST_WARMUP" "$CONCURRENCY"
    load_with_key "$limited" "$FIRST_WARMUP" "$CONCURRENCY"
    for conc in "$CONCURRENCY" "$LATENCY_CONCURRENCY"; do
      for which in static limited; do
        local key=$static_key; [[ $which == limited ]] && key=$limited
        API_KEY=$key measure switchboard "$SWITCHBOARD_PID" "$SWITCHBOARD_PORT" /v1/messages "$OUT/small.anthropic.json" "$which-$store" "$conc"
      done
    done
    # The ledger is written behind the requests: a graceful stop drains it, then its rows are counted.
    stop "$SWITCHBOARD_PID"
    # Every request Switchboard logged for the key (wrk's own count leaves out those cut off when a run ends).
    local sent rows
    sent=$(grep -c " key=$(cut -d- -f3 <<<"$limited") " "$OUT/switchboard.log" || true)
    rows=$(dotnet "$SWITCHBOARD_DLL" usage --by key --json "${store_args[@]}" | python3 -c 'import json,sys; key=sys.argv[1]; d=json.load(sys.stdin); rows=d if isinstance(d,list) else d.get("data",d.get("rows",[])); print(sum(int(r.get("requests",0)) for r in rows if key in (r.get("group"),r.get("key_id"),r.get("key"))))' "$(cut -d- -f3 <<<"$limited")")
    printf '%s\t%s\t%s\n' "$store" "$sent" "$rows" >>"$OUT/ledger.tsv"
    log "ledger ($store): $rows rows for $sent requests sent with the limited key"
  done
  {
    echo "## Tenancy cost run $(date -u +%Y-%m-%d)"
    echo
    cat "$OUT/machine.md"
    echo "- Small request, upstream answer $TOKENS tokens; wrk $WRK_THREADS thread(s), ${DURATION}s per cell after ${WARMUP}s warm-up"
    echo
    python3 - "$OUT/results.tsv" "$OUT/ledger.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| Store | Concurrency | Key | Requests/s | p50 ms | p99 ms | Gateway CPU s per 1k req | In-process overhead p50 / p99 µs | Errors |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
by = {}
for r in rows:
    which, store = r["workload"].split("-", 1)
    by[(store, r["concurrency"], which)] = r
    print(f"| {store} | {r['concurrency']} | {which} | {float(r['rps']):,.0f} | {float(r['p50_ms']):.2f} | {float(r['p99_ms']):.2f} | "
          f"{float(r['gateway_cpu_per_1k']):.3f} | {r['overhead_p50_us']} / {r['overhead_p99_us']} | {r['errors']} |")
print()
for (store, conc, which), r in sorted(by.items()):
    if which != "limited" or (store, conc, "static") not in by:
        continue
    s = by[(store, conc, "static")]
    print(f"- {store}, concurrency {conc}: admission + settlement add {int(r['overhead_p50_us']) - int(s['overhead_p50_us']):+d} µs at p50 "
          f"({r['overhead_p50_us']} vs {s['overhead_p50_us']} µs), throughput {100 * float(r['rps']) / float(s['rps']):.0f}% of the static key's")
print()
print("| Store | Requests with the limited key (request log) | Ledger rows for it | Lost |")
print("|---|---:|---:|---:|")
for line in open(sys.argv[2]):
    store, sent, got = line.split()
    print(f"| {store} | {int(sent):,} | {int(got):,} | {int(sent) - int(got):,} |")
PY
  } >"$OUT/report.md"
  cat "$OUT/report.md"
  log "results in $OUT"
}

case $MODE in
  table) run_table ;;
  streams) run_streams ;;
  tenancy) run_tenancy ;;
  passthrough) source "$ROOT/bench/load/passthrough.sh"; run_passthrough ;;
  latency) source "$ROOT/bench/load/latency.sh"; run_latency ;;
  *) echo "usage: $0 [table|streams|tenancy|passthrough|telemetry|affinity|batches|latency]" >&2; exit 2 ;;
esac
