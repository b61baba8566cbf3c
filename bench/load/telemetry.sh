#!/usr/bin/env bash
# The cost of metrics and tracing (docs/OBSERVABILITY.md, docs/PERFORMANCE.md): one Switchboard in front of the fast
# fake model server, run three times on the same small non-streamed request —
#   off      Switchboard:Telemetry:Metrics=false and Traces=false
#   metrics  the default: metrics recorded for the Prometheus exporter, nobody scraping, no OTLP
#   traces   metrics and traces, exported over OTLP/HTTP to a local sink that accepts everything
# — and reports throughput, latency, the gateway's CPU time per request and the in-process overhead from the
# request log. Telemetry is recorded at settlement, after the overhead figure is taken, so its cost shows in the
# CPU per request; bench/Switchboard.Benchmarks TelemetryBenchmarks measures the settlement alone.
#
#   bench/load/telemetry.sh      (also: bench/load/run.sh telemetry)
#
# Settings (environment): CONCURRENCY=32 DURATION=10 WARMUP=3 FIRST_WARMUP=10 TOKENS=300 WRK_THREADS=1 ROUNDS=1
#   OUT=<results folder>  SWITCHBOARD_ARGS=...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
FIRST_WARMUP=${FIRST_WARMUP:-10}
TOKENS=${TOKENS:-300}
WRK_THREADS=${WRK_THREADS:-1}
ROUNDS=${ROUNDS:-1}
OUT=${OUT:-/tmp/switchboard-bench-telemetry-$(date +%Y%m%d-%H%M%S)}
UPSTREAM_PORT=18100 SWITCHBOARD_PORT=14100 SINK_PORT=14318
source "$ROOT/bench/load/common.sh"
need wrk wrk
build_projects
wrk_run() { # seconds output
  BODY_FILE=$OUT/small.anthropic.json REQUEST_PATH=/v1/messages wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"${1}s" --timeout 30s \
    -s "$ROOT/bench/load/post.lua" "http://127.0.0.1:$SWITCHBOARD_PORT" >"$2"
}

dotnet "$LOADTOOL_DLL" body "$ROOT/bench/fixtures/small-request.json" --stream false --anthropic "$OUT/small.anthropic.json" --chat "$OUT/small.chat.json" >&2
UPSTREAM_PID=$(start "fast upstream" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" --tokens "$TOKENS")
PIDS+=("$UPSTREAM_PID")
wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"

# An OTLP/HTTP sink: accepts every export with 200 and an empty protobuf answer, counts the bytes it was sent.
python3 - "$SINK_PORT" "$OUT/otlp-bytes.txt" >"$OUT/sink.log" 2>&1 <<'PY' &
import http.server, sys
port, counter = int(sys.argv[1]), sys.argv[2]
total = 0
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global total
        total += len(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        open(counter, "w").write(str(total))
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
PY
PIDS+=($!)
wait_for "http://127.0.0.1:$SINK_PORT/"

printf 'mode\tround\trps\tp50_ms\tp99_ms\terrors\tcpu_us_per_request\toverhead_p50_us\toverhead_p99_us\n' >"$OUT/results.tsv"
measure_mode() { # mode round env-and-args...
  local mode=$1 round=$2; shift 2
  local logfile=$OUT/switchboard-$mode-$round.log
  env "$@" dotnet "$SWITCHBOARD_DLL" --upstream "http://127.0.0.1:$UPSTREAM_PORT/v1" --model bench-model --port "$SWITCHBOARD_PORT" \
    --data-dir "$OUT/data-$mode-$round" ${SWITCHBOARD_ARGS:-} ${MODE_ARGS:-} >"$logfile" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"
  log "$mode (round $round): warming up ${FIRST_WARMUP}s"
  wrk_run "$FIRST_WARMUP" /dev/null
  wrk_run "$WARMUP" /dev/null
  local before log_before
  before=$(cpu_ticks "$pid"); log_before=$(wc -l <"$logfile")
  wrk_run "$DURATION" "$OUT/wrk-$mode-$round.txt"
  local after; after=$(cpu_ticks "$pid")
  sleep 0.5
  tail -n +"$((log_before + 1))" "$logfile" | grep -o 'overhead_us=[0-9]*' | cut -d= -f2 >"$OUT/overhead-$mode-$round.txt" || true
  stop "$pid"
  python3 - "$(grep '^RESULT' "$OUT/wrk-$mode-$round.txt")" "$mode" "$round" "$((after - before))" "$TICKS" "$OUT/overhead-$mode-$round.txt" >>"$OUT/results.tsv" <<'PY'
import sys
line, mode, rnd, ticks, hz, overhead = sys.argv[1:]
f = dict(kv.split("=") for kv in line.split()[1:])
requests, seconds = int(f["requests"]), int(f["duration_us"]) / 1e6
values = sorted(int(v) for v in open(overhead) if v.strip())
pick = lambda p: str(values[min(len(values) - 1, max(0, int(p * len(values) + 0.5) - 1))]) if values else ""
cpu_us = int(ticks) / int(hz) / max(requests, 1) * 1e6
print("\t".join([mode, rnd, f"{requests / seconds:.1f}", f"{int(f['p50_us']) / 1000:.3f}", f"{int(f['p99_us']) / 1000:.3f}", f["errors"],
                 f"{cpu_us:.1f}", pick(0.5), pick(0.99)]))
PY
  log "$(tail -1 "$OUT/results.tsv")"
}

{
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg); Switchboard commit $(git -C "$ROOT" rev-parse --short HEAD)"
} >"$OUT/machine.md"
for round in $(seq 1 "$ROUNDS"); do
  MODE_ARGS="--Switchboard:Telemetry:Metrics=false --Switchboard:Telemetry:Traces=false" measure_mode off "$round" -u OTEL_EXPORTER_OTLP_ENDPOINT
  MODE_ARGS="" measure_mode metrics "$round" -u OTEL_EXPORTER_OTLP_ENDPOINT
  MODE_ARGS="" measure_mode traces "$round" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
done

{
  echo "## Telemetry cost run $(date -u +%Y-%m-%d)"
  echo
  cat "$OUT/machine.md"
  echo "- Small non-streamed request, upstream answer $TOKENS tokens; wrk $WRK_THREADS thread(s), concurrency $CONCURRENCY, ${DURATION}s per cell after warm-up; $ROUNDS round(s), medians shown"
  echo "- OTLP sink received $(cat "$OUT/otlp-bytes.txt" 2>/dev/null || echo 0) bytes"
  echo
  python3 - "$OUT/results.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = lambda mode, key: statistics.median(float(r[key]) for r in rows if r["mode"] == mode and r[key] != "")
print("| Telemetry | Requests/s | p50 ms | p99 ms | Gateway CPU µs per request | CPU µs added vs off | In-process overhead p50 / p99 µs | Errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
base = med("off", "cpu_us_per_request")
for mode, name in (("off", "off"), ("metrics", "metrics (no exporter attached)"), ("traces", "metrics + traces over OTLP")):
    cpu = med(mode, "cpu_us_per_request")
    errors = sum(int(r["errors"]) for r in rows if r["mode"] == mode)
    print(f"| {name} | {med(mode, 'rps'):,.0f} | {med(mode, 'p50_ms'):.2f} | {med(mode, 'p99_ms'):.2f} | {cpu:.1f} | {cpu - base:+.1f} | "
          f"{med(mode, 'overhead_p50_us'):.0f} / {med(mode, 'overhead_p99_us'):.0f} | {errors} |")
PY
} >"$OUT/report.md"
cat "$OUT/report.md"
log "results in $OUT"
