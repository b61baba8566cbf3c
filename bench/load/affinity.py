#!/usr/bin/env python3
"""The affinity experiment's workload: Claude-Code-like sessions through Switchboard to a pool of replicas that model
a prefix cache (bench/FastUpstream --prefix-cache). Each session resends its whole, growing conversation every turn
after a system prompt and tool list shared by every session, as Claude Code does. Prints one JSON line: the replicas'
prefix-cache hit rate and the time to the first token (TTFT) seen by the client.

usage: affinity.py BASE_URL REPLICA_ROOTS(comma-separated) --sessions N --turns N [--no-session-header]
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import urllib.request

SYSTEM = ("You are an interactive CLI tool that helps users with software engineering tasks. " * 40)[:12000]
TOOLS_TEXT = ("Tool: Bash. Executes a given bash command in a persistent shell session with optional timeout. " * 200)[:18000]


def turn_text(session, turn, size):
    seed = f"[session {session} turn {turn}] "
    return (seed + "Please read src/module_%d.py and explain the function it defines. " % turn * 100)[:size]


def run_session(base, session, turns, with_header, results, lock):
    url = urllib.parse.urlparse(base)
    messages = [{"role": "user", "content": turn_text(session, 0, 2000)}]
    for turn in range(turns):
        body = json.dumps({
            "model": "bench-model", "max_tokens": 256, "stream": True,
            "system": [{"type": "text", "text": SYSTEM}, {"type": "text", "text": TOOLS_TEXT}],
            "messages": messages,
        }).encode()
        headers = {"content-type": "application/json", "anthropic-version": "2023-06-01"}
        if with_header:
            headers["x-claude-code-session-id"] = f"00000000-0000-4000-8000-{session:012d}"
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        started = time.perf_counter()
        conn.request("POST", "/v1/messages", body, headers)
        response = conn.getresponse()
        ttft = None
        text = []
        for raw in response:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("data: ") and '"content_block_delta"' in line:
                if ttft is None:
                    ttft = time.perf_counter() - started
                delta = json.loads(line[6:]).get("delta", {})
                text.append(delta.get("text", ""))
        conn.close()
        with lock:
            results.append({"status": response.status, "ttft": ttft, "turn": turn})
        messages.append({"role": "assistant", "content": "".join(text) or "ok"})
        # The next turn: a tool result, a file read, as agent sessions are mostly made of.
        messages.append({"role": "user", "content": turn_text(session, turn + 1, 6000)})


def cache_stats(roots):
    totals = {"prompt_bytes": 0, "hit_bytes": 0, "requests": []}
    for root in roots:
        with urllib.request.urlopen(root + "/_cache_stats") as r:
            stats = json.load(r)
        totals["prompt_bytes"] += stats["prompt_bytes"]
        totals["hit_bytes"] += stats["hit_bytes"]
        totals["requests"].append(stats["requests"])
    return totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("roots")
    parser.add_argument("--sessions", type=int, default=24)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--no-session-header", action="store_true")
    args = parser.parse_args()
    roots = args.roots.split(",")
    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=run_session, args=(args.base, s, args.turns, not args.no_session_header, results, lock))
               for s in range(args.sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stats = cache_stats(roots)
    ttfts = sorted(r["ttft"] * 1000 for r in results if r["ttft"] is not None)
    later = sorted(r["ttft"] * 1000 for r in results if r["ttft"] is not None and r["turn"] > 0)
    failed = sum(1 for r in results if r["status"] != 200 or r["ttft"] is None)

    def pct(values, p):
        return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else None

    print(json.dumps({
        "requests": len(results), "failed": failed, "seconds": round(elapsed, 1),
        "hit_rate": round(stats["hit_bytes"] / max(1, stats["prompt_bytes"]), 4),
        "requests_per_replica": stats["requests"],
        "ttft_ms_p50": round(pct(ttfts, 50), 1), "ttft_ms_p90": round(pct(ttfts, 90), 1),
        "ttft_ms_mean": round(statistics.mean(ttfts), 1),
        "later_turns_ttft_ms_p50": round(pct(later, 50), 1),
    }))


if __name__ == "__main__":
    main()
