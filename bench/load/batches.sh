#!/usr/bin/env bash
# Interactive latency while a message batch runs: a fast fake model server (with a per-request delay standing in for
# generation time), one Switchboard on a fresh SQLite data directory; interactive POST /v1/messages requests measured
# with wrk first alone, then while a batch of BATCH_SIZE small requests runs through the same upstream. Reports
# interactive p50/p99 and requests/s with and without the batch, and how long the batch took. See docs/BATCHES.md.
#
#   bench/load/batches.sh          (or bench/load/run.sh batches)
#
# Settings (environment): BATCH_SIZE=1000 CONCURRENCY=4 DURATION=10 WARMUP=3 TOKENS=50 DELAY_MS=50 WRK_THREADS=1
#   SWITCHBOARD_ARGS="--Switchboard:Batches:MaxConcurrencyPerUpstream=4"  OUT=<results folder>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BATCH_SIZE=${BATCH_SIZE:-1000}
CONCURRENCY=${CONCURRENCY:-4}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
TOKENS=${TOKENS:-50}
DELAY_MS=${DELAY_MS:-50}
WRK_THREADS=${WRK_THREADS:-1}
OUT=${OUT:-/tmp/switchboard-bench-batches-$(date +%Y%m%d-%H%M%S)}
UPSTREAM_PORT=${UPSTREAM_PORT:-18100} SWITCHBOARD_PORT=${SWITCHBOARD_PORT:-14100}
source "$ROOT/bench/load/common.sh"
need wrk wrk
build_projects src/Switchboard bench/FastUpstream

UPSTREAM_PID=$(start "fast upstream" "$OUT/upstream.log" dotnet "$UPSTREAM_DLL" --port "$UPSTREAM_PORT" --tokens "$TOKENS" --delay-ms "$DELAY_MS")
PIDS+=("$UPSTREAM_PID")
wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"
# shellcheck disable=SC2086
SWITCHBOARD_PID=$(start "Switchboard" "$OUT/switchboard.log" dotnet "$SWITCHBOARD_DLL" --upstream "http://127.0.0.1:$UPSTREAM_PORT/v1" \
  --model bench-model --port "$SWITCHBOARD_PORT" --data-dir "$OUT/data" --Logging:LogLevel:Switchboard=Warning ${SWITCHBOARD_ARGS:-})
PIDS+=("$SWITCHBOARD_PID")
wait_for "http://127.0.0.1:$SWITCHBOARD_PORT/healthz"
BASE=http://127.0.0.1:$SWITCHBOARD_PORT

printf '{"model":"bench-model","max_tokens":64,"messages":[{"role":"user","content":"Say hello."}]}' >"$OUT/interactive.json"
python3 - "$BATCH_SIZE" "$OUT/batch.json" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
requests = [{"custom_id": f"r-{i}", "params": {"model": "bench-model", "max_tokens": 64,
             "messages": [{"role": "user", "content": f"Small question number {i}."}]}} for i in range(n)]
open(out, "w").write(json.dumps({"requests": requests}))
PY

interactive() { # label seconds → RESULT line
  BODY_FILE=$OUT/interactive.json REQUEST_PATH=/v1/messages wrk -t "$WRK_THREADS" -c "$CONCURRENCY" -d "${2}s" --timeout 30s \
    -s "$ROOT/bench/load/post.lua" "$BASE" | grep '^RESULT' | sed "s/^RESULT/$1/"
}

log "warming up"
interactive warmup "$WARMUP" >/dev/null
log "interactive alone, ${DURATION}s at concurrency $CONCURRENCY"
interactive alone "$DURATION" >"$OUT/results.txt"

log "creating a batch of $BATCH_SIZE requests"
created=$(curl -s -X POST "$BASE/v1/messages/batches" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' --data-binary @"$OUT/batch.json")
BATCH_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$created")
BATCH_START=$(date +%s.%N)
log "batch $BATCH_ID created; interactive while it runs, ${DURATION}s"
interactive during "$DURATION" >>"$OUT/results.txt"
batch_status() { curl -s "$BASE/v1/messages/batches/$BATCH_ID"; }
done_during=$(batch_status | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["processing_status"])')
while [[ $(batch_status | python3 -c 'import json,sys; print(json.load(sys.stdin)["processing_status"])') != ended ]]; do sleep 0.2; done
BATCH_END=$(date +%s.%N)
batch_status >"$OUT/batch-ended.json"

python3 - "$OUT/results.txt" "$OUT/batch-ended.json" "$BATCH_START" "$BATCH_END" "$done_during" "$BATCH_SIZE" "$CONCURRENCY" "$DELAY_MS" "$DURATION" <<'PY' | tee "$OUT/report.md"
import json, sys
results_file, batch_file, start, end, status_after, size, conc, delay, duration = sys.argv[1:]
rows = {}
for line in open(results_file):
    label, *fields = line.split()
    rows[label] = {k: int(v) for k, v in (f.split("=") for f in fields)}
batch = json.load(open(batch_file))
took = float(end) - float(start)
print(f"## Interactive latency with and without a batch of {size} requests")
print()
print(f"Upstream: bench/FastUpstream with a {delay} ms delay per request; interactive: non-streaming POST /v1/messages, "
      f"wrk at concurrency {conc} for {duration} s each. Shared 2-core machine with other work on it: numbers are noisy.")
print()
print("| Interactive traffic | Requests/s | p50 ms | p99 ms | Errors |")
print("|---|---:|---:|---:|---:|")
for label, name in (("alone", "alone"), ("during", "while the batch runs")):
    r = rows[label]
    print(f"| {name} | {r['requests'] / (r['duration_us'] / 1e6):,.0f} | {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['errors']} |")
print()
counts = batch["request_counts"]
print(f"- Batch: {size} requests ended in {took:.1f} s ({int(size) / took:,.0f} requests/s; status after the interactive run: {status_after}); "
      f"succeeded {counts['succeeded']}, errored {counts['errored']}, expired {counts['expired']}")
PY
log "results in $OUT"
