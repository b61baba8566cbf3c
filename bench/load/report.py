#!/usr/bin/env python3
"""Turns a load run's results.tsv (written by run.sh) into the Markdown table of docs/PERFORMANCE.md."""
import csv
import statistics
import sys

WORKLOADS = {
    "small": "Small, non-streaming",
    "cc": "Claude-Code-sized, non-streaming",
    "cc-stream": "Claude-Code-sized, streaming",
    "chat-small": "Chat Completions: small, non-streaming",
    "chat-cc": "Chat Completions: Claude-Code-sized, non-streaming",
    "chat-cc-stream": "Chat Completions: Claude-Code-sized, streaming",
    "resp-small": "Responses: small, non-streaming",
    "resp-cc": "Responses: Claude-Code-sized, non-streaming",
    "resp-cc-stream": "Responses: Claude-Code-sized, streaming",
}
# A Chat or Responses workload is the same conversation as its Messages workload, sent to the Chat Completions or the
# Responses door; its direct row is the Chat Completions body sent to the model server.
OTHER_DOORS = [("chat-", "Chat"), ("resp-", "Responses")]
DOOR_LIMIT = 1.25
TARGETS = ["direct", "switchboard", "ccr"]
NAMES = {"direct": "direct to upstream", "switchboard": "Switchboard", "ccr": "claude-code-router"}


def fmt(value, digits=1):
    return "—" if value is None else f"{value:,.{digits}f}"


def main(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    by = {(r["workload"], r["concurrency"], r["target"]): r for r in rows}
    print("| Workload | Concurrency | Path | Requests/s | p50 ms | p99 ms | Added p50 / p99 ms | Gateway CPU s per 1k req | Upstream CPU s per 1k req | Gateway peak RSS MiB | In-process overhead p50 / p99 µs | Errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    seen = []
    for r in rows:
        key = (r["workload"], r["concurrency"])
        if key not in seen:
            seen.append(key)
    summaries = []
    for workload, conc in seen:
        direct = by.get((workload, conc, "direct"))
        for target in TARGETS:
            r = by.get((workload, conc, target))
            if r is None:
                continue
            rps = float(r["rps"])
            p50, p99 = float(r["p50_ms"]), float(r["p99_ms"])
            added = "—"
            if direct is not None and target != "direct":
                added = f"{p50 - float(direct['p50_ms']):+.2f} / {p99 - float(direct['p99_ms']):+.2f}"
            gw_cpu = None if target == "direct" else float(r["gateway_cpu_per_1k"])
            overhead = "—"
            if r.get("overhead_p50_us"):
                overhead = f"{r['overhead_p50_us']} / {r['overhead_p99_us']}"
            print(f"| {WORKLOADS.get(workload, workload)} | {conc} | {NAMES[target]} | {fmt(rps, 0)} | {p50:.2f} | {p99:.2f} | {added} | "
                  f"{fmt(gw_cpu, 3)} | {float(r['upstream_cpu_per_1k']):.3f} | {fmt(None if target == 'direct' else float(r['gateway_hwm_mib']), 0)} | {overhead} | {r['errors']} |")
        sb, ccr = by.get((workload, conc, "switchboard")), by.get((workload, conc, "ccr"))
        parts = []
        if sb and direct:
            parts.append(f"Switchboard = {100 * float(sb['rps']) / float(direct['rps']):.0f}% of direct")
        if sb and ccr and float(ccr["rps"]) > 0:
            parts.append(f"{float(sb['rps']) / float(ccr['rps']):.1f}× claude-code-router")
        if parts:
            summaries.append(f"- {WORKLOADS.get(workload, workload)}, concurrency {conc}: " + "; ".join(parts))
    print()
    print("\n".join(summaries))
    doors(by, seen)


def doors(by, seen):
    """The in-process overhead of the Chat and Responses doors next to the Messages door's on the same conversation."""
    for prefix, door in OTHER_DOORS:
        pairs = []
        for workload, conc in seen:
            if any(workload.startswith(p) for p, _ in OTHER_DOORS):
                continue
            messages, other = by.get((workload, conc, "switchboard")), by.get((prefix + workload, conc, "switchboard"))
            if messages and other and messages.get("overhead_p50_us") and other.get("overhead_p50_us"):
                pairs.append((workload, conc, messages, other))
        if not pairs:
            continue
        print()
        print(f"| Workload | Concurrency | Messages door overhead p50 / p99 µs | {door} door overhead p50 / p99 µs | {door} ÷ Messages p50 / p99 | {door} p50 within 25% |")
        print("|---|---:|---:|---:|---:|---|")
        for workload, conc, m, c in pairs:
            m50, m99, c50, c99 = (int(m["overhead_p50_us"]), int(m["overhead_p99_us"]), int(c["overhead_p50_us"]), int(c["overhead_p99_us"]))
            r50, r99 = c50 / max(m50, 1), c99 / max(m99, 1)
            verdict = "yes" if r50 <= DOOR_LIMIT else "no"
            print(f"| {WORKLOADS.get(workload, workload)} | {conc} | {m50} / {m99} | {c50} / {c99} | {r50:.2f} / {r99:.2f} | {verdict} |")


if __name__ == "__main__":
    main(sys.argv[1])
