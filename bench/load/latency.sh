# Sourced by bench/load/run.sh (mode "latency"): the field's method (a 2026 side-by-side benchmark of gateways: a mock
# upstream with a fixed delay, added latency at ONE connection, sustained requests/s at saturation), on this
# machine, for every door and the Anthropic passthrough, with the configuration people run (a limited stored key,
# telemetry on, the request log on).
#
#   - Two bench/FastUpstream processes: one with a fixed delay (LAT_DELAY_MS, 20 ms) for the latency cells, one without
#     for saturation. Each answers Chat Completions and Messages, so one Switchboard has four upstreams on them.
#   - The gateway is pinned to one core (GATEWAY_CPU), the upstreams and the load generators to the other (CLIENT_CPU),
#     with taskset, so the load generator does not steal the gateway's CPU.
#   - Latency: `LoadTool latency`, one connection, one request at a time, LAT_SECONDS per cell: a small non-streamed
#     request timed to the end of its body, a small streamed one to its first content event (time to first token).
#     Direct (to the upstream) and through Switchboard, in the same run; "added" is the difference of percentiles.
#   - Saturation: wrk at SAT_CONCURRENCY connections against the undelayed upstream, small non-streamed request:
#     requests/s and the gateway's CPU time per request.
#   - Switchboard runs with a stored key with limits (far above what is sent, so every request is admitted, counted
#     and settled into the SQLite ledger), metrics on (the default) and its request log line going to a file.
#   - BASELINES="<label>=<another build's Switchboard.dll> ..." measures those builds too, in the same run, each on its
#     own port (before/after of each change side by side); BASELINE_DLL=<dll> is one of them labelled "baseline".
#   - YARP (bench/YarpFloor: forwarding every request unchanged, nothing else) on the gateway's core, measured on the
#     direct requests: the floor that one more Kestrel + HttpClient hop costs on this machine, under any .NET gateway.
#   - Saturation also with the Claude-Code-sized request (77 KB, 24 tools) through the Messages door: requests/s and CPU
#     per request where translation, not the hop, is the work.
#
# Settings: LAT_DELAY_MS=20 LAT_SECONDS=15 LAT_WARMUP=3 LAT_TOKENS=20 SAT_CONCURRENCY=32 DURATION=10 WARMUP=3
#   FIRST_WARMUP=10 GATEWAY_CPU=0 CLIENT_CPU=1 BASELINE_DLL= BASELINES= SKIP_YARP=0
#   PATHS="messages chat responses passthrough" (a subset for experiments), STATIC_KEY=1 (an unlimited configured key
#   instead of the stored limited one: no admission or settlement), SWITCHBOARD_ARGS / SWITCHBOARD_ENV (every build)

run_latency() {
  local delay=${LAT_DELAY_MS:-20} lat_seconds=${LAT_SECONDS:-15} lat_warmup=${LAT_WARMUP:-3} tokens=${LAT_TOKENS:-20}
  local sat_conc=${SAT_CONCURRENCY:-32} gw_cpu=${GATEWAY_CPU:-0} client_cpu=${CLIENT_CPU:-1}
  local slow_port=18200 fast_port=18201
  need taskset util-linux
  machine_info
  echo "- Gateway pinned to CPU $gw_cpu; upstreams and load generators to CPU $client_cpu (taskset)" >>"$OUT/machine.md"
  make_bodies small-request.json small false
  make_bodies small-request.json small-stream true
  make_chat_body chat-small-request.json chat-small false
  make_chat_body chat-small-request.json chat-small-stream true
  make_responses_body chat-small-request.json resp-small false
  make_responses_body chat-small-request.json resp-small-stream true
  make_bodies claude-code-request.json cc false
  # The same bodies naming the models routed to the Anthropic-compatible upstreams (passthrough) and to the undelayed
  # upstreams (saturation).
  local body
  for body in small.anthropic small-stream.anthropic chat-small.openai resp-small.responses cc.anthropic; do
    python3 - "$OUT/$body.json" <<'PY'
import json, sys
path = sys.argv[1]
body = json.load(open(path, encoding="utf-8"))
def write(suffix, model):
    b = dict(body, model=model)
    open(path.replace(".json", f".{suffix}.json"), "wb").write(json.dumps(b, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
write("claude", "bench-claude")
write("fast", "bench-fast")
write("claudefast", "bench-claude-fast")
PY
  done

  UPSTREAM_PID=$(start "fast upstream (delay ${delay} ms)" "$OUT/upstream-slow.log" taskset -c "$client_cpu" dotnet "$UPSTREAM_DLL" --port "$slow_port" --tokens "$tokens" --delay-ms "$delay")
  PIDS+=("$UPSTREAM_PID")
  local fast_pid
  fast_pid=$(start "fast upstream (no delay)" "$OUT/upstream-fast.log" taskset -c "$client_cpu" dotnet "$UPSTREAM_DLL" --port "$fast_port" --tokens "$tokens")
  PIDS+=("$fast_pid")
  wait_for "http://127.0.0.1:$slow_port/health"
  wait_for "http://127.0.0.1:$fast_port/health"

  # Each Switchboard build gets a fresh store and a limited key: GW_PID, GW_KEY, GW_PORT, GW_LOG by label.
  local gateways=(switchboard) spec_b
  declare -gA GW_PID GW_KEY GW_PORT GW_LOG GW_DLL
  GW_DLL[switchboard]=$SWITCHBOARD_DLL
  [[ -n ${BASELINE_DLL:-} ]] && { gateways+=(baseline); GW_DLL[baseline]=$BASELINE_DLL; }
  for spec_b in ${BASELINES:-}; do gateways+=("${spec_b%%=*}"); GW_DLL[${spec_b%%=*}]=${spec_b#*=}; done
  local g i=0
  for g in "${gateways[@]}"; do
    local dll=${GW_DLL[$g]} port=$((SWITCHBOARD_PORT + 200 + i))
    i=$((i + 1))
    local key args=()
    if [[ ${STATIC_KEY:-0} == 1 ]]; then
      key=sk-bench-static-key-0123456789 args=(--api-key "$key")
    else key=$(dotnet "$dll" keys create --data-dir "$OUT/data-$g" --name "bench-$g" --rpm 1000000000 --input-tpm 1000000000000 \
      --output-tpm 1000000000000 --concurrency 100000 --budget 1000000000 | grep -o 'sk-sb-[A-Za-z0-9-]*' | head -1)
    fi
    [[ -n $key ]] || { log "keys create printed no key"; exit 1; }
    local pid
    pid=$(start "$g" "$OUT/$g.log" env ${SWITCHBOARD_ENV:-} taskset -c "$gw_cpu" dotnet "$dll" --port "$port" --data-dir "$OUT/data-$g" \
      --Switchboard:Upstreams:chat:BaseUrl="http://127.0.0.1:$slow_port/v1" \
      --Switchboard:Upstreams:claude:BaseUrl="http://127.0.0.1:$slow_port/v1" --Switchboard:Upstreams:claude:Api=anthropic \
      --Switchboard:Upstreams:chatfast:BaseUrl="http://127.0.0.1:$fast_port/v1" \
      --Switchboard:Upstreams:claudefast:BaseUrl="http://127.0.0.1:$fast_port/v1" --Switchboard:Upstreams:claudefast:Api=anthropic \
      --Switchboard:Models:0:Name=bench-model --Switchboard:Models:0:Upstream=chat --Switchboard:Models:0:Aliases:0="claude-*" \
      --Switchboard:Models:1:Name=bench-claude --Switchboard:Models:1:Upstream=claude --Switchboard:Models:1:UpstreamModel=bench-model \
      --Switchboard:Models:2:Name=bench-fast --Switchboard:Models:2:Upstream=chatfast --Switchboard:Models:2:UpstreamModel=bench-model \
      --Switchboard:Models:3:Name=bench-claude-fast --Switchboard:Models:3:Upstream=claudefast --Switchboard:Models:3:UpstreamModel=bench-model \
      "${args[@]}" ${SWITCHBOARD_ARGS:-})
    PIDS+=("$pid")
    GW_PID[$g]=$pid GW_KEY[$g]=$key GW_PORT[$g]=$port GW_LOG[$g]=$OUT/$g.log
    wait_for "http://127.0.0.1:$port/healthz" 300
  done
  # The floor: YARP in front of each upstream, on the gateway's core.
  local yarp_slow=$((SWITCHBOARD_PORT + 290)) yarp_fast=$((SWITCHBOARD_PORT + 291)) yarp_pid="" yarp_slow_pid="" yarp=()
  if [[ ${SKIP_YARP:-0} != 1 ]]; then
    yarp=(yarp)
    yarp_slow_pid=$(start "YARP floor (delayed upstream)" "$OUT/yarp-slow.log" taskset -c "$gw_cpu" dotnet "$YARP_DLL" --port "$yarp_slow" --to "http://127.0.0.1:$slow_port")
    PIDS+=("$yarp_slow_pid")
    yarp_pid=$(start "YARP floor (undelayed upstream)" "$OUT/yarp-fast.log" taskset -c "$gw_cpu" dotnet "$YARP_DLL" --port "$yarp_fast" --to "http://127.0.0.1:$fast_port")
    PIDS+=("$yarp_pid")
    wait_for "http://127.0.0.1:$yarp_slow/floor-health"
    wait_for "http://127.0.0.1:$yarp_fast/floor-health"
  fi

  # path: label | direct path | direct body | door | gateway body (delayed) | direct body (fast) | gateway body (fast)
  local paths=(
    "messages|/v1/chat/completions|small.chat|/v1/messages|small.anthropic|small.chat|small.anthropic.fast"
    "chat|/v1/chat/completions|chat-small.openai|/v1/chat/completions|chat-small.openai|chat-small.openai|chat-small.openai.fast"
    "responses|/v1/chat/completions|chat-small.openai|/v1/responses|resp-small.responses|chat-small.openai|resp-small.responses.fast"
    "passthrough|/v1/messages|small.anthropic|/v1/messages|small.anthropic.claude|small.anthropic|small.anthropic.claudefast"
  )
  if [[ -n ${PATHS:-} ]]; then
    local all=("${paths[@]}") one; paths=()
    for one in "${all[@]}"; do [[ " $PATHS " == *" ${one%%|*} "* ]] && paths+=("$one"); done
  fi
  stream_body() { # non-streamed body name → its streamed twin
    case $1 in
      small.chat) echo small-stream.chat ;;
      small.anthropic) echo small-stream.anthropic ;;
      small.anthropic.claude) echo small-stream.anthropic.claude ;;
      chat-small.openai) echo chat-small-stream.openai ;;
      resp-small.responses) echo resp-small-stream.responses ;;
    esac
  }
  # label url body pid [key] [logfile] → appends a LATENCY line to latency.txt, and to overhead.txt the in-process
  # overhead from the gateway's log and the CPU time of the process answering (gateway, YARP or upstream) during the
  # cell, warm-up included
  lat() {
    local label=$1 url=$2 body=$3 pid=$4 key=${5:-} logfile=${6:-} before=0 ticks_before
    [[ -n $logfile ]] && before=$(wc -l <"$logfile")
    ticks_before=$(cpu_ticks "$pid")
    taskset -c "$client_cpu" dotnet "$LOADTOOL_DLL" latency --url "$url" --body "$OUT/$body.json" --seconds "$lat_seconds" \
      --warmup "$lat_warmup" --label "$label" ${key:+--api-key "$key"} >>"$OUT/latency.txt"
    local cpu=$(( $(cpu_ticks "$pid") - ticks_before ))
    local overhead=""
    if [[ -n $logfile ]]; then
      sleep 0.5
      overhead=$(tail -n +"$((before + 1))" "$logfile" | grep -o 'overhead_us=[0-9]*' | cut -d= -f2 | sort -n | python3 -c 'import sys
v=[int(x) for x in sys.stdin if x.strip()]
p=lambda q: v[min(len(v)-1,max(0,int(q*len(v)+0.5)-1))] if v else ""
print(f"{p(0.5)}/{p(0.99)}")')
    fi
    echo "$label overhead=$overhead cpu_ticks=$cpu" >>"$OUT/overhead.txt"
    log "$(tail -1 "$OUT/latency.txt") overhead=$overhead cpu_ticks=$cpu"
  }
  sat() { # label pid url path body [key] → appends a line to saturation.txt
    local label=$1 pid=$2 url=$3 path=$4 body=$5 key=${6:-}
    API_KEY=$key BODY_FILE=$OUT/$body.json REQUEST_PATH=$path taskset -c "$client_cpu" wrk -t1 -c"$sat_conc" -d"${WARMUP}s" --timeout 30s \
      -s "$ROOT/bench/load/post.lua" "$url" >/dev/null
    local before after
    before=$(cpu_ticks "$pid")
    API_KEY=$key BODY_FILE=$OUT/$body.json REQUEST_PATH=$path taskset -c "$client_cpu" wrk -t1 -c"$sat_conc" -d"${DURATION}s" --timeout 30s \
      -s "$ROOT/bench/load/post.lua" "$url" | grep '^RESULT' | sed "s/^RESULT/$label/" | tr -d '\n' >>"$OUT/saturation.txt"
    after=$(cpu_ticks "$pid")
    echo " cpu_ticks=$((after - before))" >>"$OUT/saturation.txt"
    log "$(tail -1 "$OUT/saturation.txt")"
  }

  log "warming up every path (${FIRST_WARMUP}s each)"
  local spec name dpath dbody door gbody fdbody fgbody
  for spec in "${paths[@]}"; do
    IFS='|' read -r name dpath dbody door gbody fdbody fgbody <<<"$spec"
    for g in "${gateways[@]}"; do
      API_KEY=${GW_KEY[$g]} BODY_FILE=$OUT/$fgbody.json REQUEST_PATH=$door taskset -c "$client_cpu" wrk -t1 -c8 -d"${FIRST_WARMUP}s" \
        --timeout 30s -s "$ROOT/bench/load/post.lua" "http://127.0.0.1:${GW_PORT[$g]}" >/dev/null
    done
    if [[ -n $yarp_pid ]]; then
      BODY_FILE=$OUT/$fdbody.json REQUEST_PATH=$dpath taskset -c "$client_cpu" wrk -t1 -c8 -d"${FIRST_WARMUP}s" \
        --timeout 30s -s "$ROOT/bench/load/post.lua" "http://127.0.0.1:$yarp_fast" >/dev/null
    fi
  done

  : >"$OUT/latency.txt"; : >"$OUT/overhead.txt"; : >"$OUT/saturation.txt"
  for spec in "${paths[@]}"; do
    IFS='|' read -r name dpath dbody door gbody fdbody fgbody <<<"$spec"
    for workload in small small-stream; do
      local db=$dbody gb=$gbody
      [[ $workload == small-stream ]] && { db=$(stream_body "$dbody"); gb=$(stream_body "$gbody"); }
      lat "$name:$workload:direct" "http://127.0.0.1:$slow_port$dpath" "$db" "$UPSTREAM_PID"
      [[ -n $yarp_pid ]] && lat "$name:$workload:yarp" "http://127.0.0.1:$yarp_slow$dpath" "$db" "$yarp_slow_pid"
      for g in "${gateways[@]}"; do
        lat "$name:$workload:$g" "http://127.0.0.1:${GW_PORT[$g]}$door" "$gb" "${GW_PID[$g]}" "${GW_KEY[$g]}" "${GW_LOG[$g]}"
      done
    done
    sat "$name:direct" "$fast_pid" "http://127.0.0.1:$fast_port" "$dpath" "$fdbody"
    [[ -n $yarp_pid ]] && sat "$name:yarp" "$yarp_pid" "http://127.0.0.1:$yarp_fast" "$dpath" "$fdbody"
    for g in "${gateways[@]}"; do
      sat "$name:$g" "${GW_PID[$g]}" "http://127.0.0.1:${GW_PORT[$g]}" "$door" "$fgbody" "${GW_KEY[$g]}"
    done
  done
  # The Claude-Code-sized request at saturation (each path warmed first: its tools form cache and code paths).
  sat "cc:direct" "$fast_pid" "http://127.0.0.1:$fast_port" /v1/chat/completions cc.chat
  [[ -n $yarp_pid ]] && sat "cc:yarp" "$yarp_pid" "http://127.0.0.1:$yarp_fast" /v1/chat/completions cc.chat
  for g in "${gateways[@]}"; do
    sat "cc:$g" "${GW_PID[$g]}" "http://127.0.0.1:${GW_PORT[$g]}" /v1/messages cc.anthropic.fast "${GW_KEY[$g]}"
  done

  {
    echo "## Latency run $(date -u +%Y-%m-%d) (the field's method)"
    echo
    cat "$OUT/machine.md"
    echo "- Upstream: bench/FastUpstream, ${delay} ms fixed delay, $tokens-token answers; one connection, ${lat_seconds}s per latency cell after ${lat_warmup}s; saturation: wrk, $sat_conc connections, ${DURATION}s after ${WARMUP}s, undelayed upstream"
    echo "- Switchboard: $([[ ${STATIC_KEY:-0} == 1 ]] && echo 'an unlimited configured key (no admission, no settlement)' || echo 'limited stored key (SQLite ledger)'), metrics on, request log to a file${SWITCHBOARD_ARGS:+, arguments $SWITCHBOARD_ARGS}${SWITCHBOARD_ENV:+, environment $SWITCHBOARD_ENV}; builds: $(for g in "${gateways[@]}"; do printf '%s ' "$g=${GW_DLL[$g]}"; done)"
    [[ -n $yarp_pid ]] && echo "- YARP $(basename "$(ls "$(dirname "$YARP_DLL")"/Yarp.ReverseProxy.dll)" .dll) forwarding (bench/YarpFloor) on the gateway's core: the floor of one more .NET hop"
    echo
    python3 "$ROOT/bench/load/latency_report.py" "$OUT" "$TICKS" "$lat_seconds" "$lat_warmup" "${yarp[@]}" "${gateways[@]}"
  } >"$OUT/report.md"
  cat "$OUT/report.md"
  log "results in $OUT"
}
