"""Markdown tables of a `run.sh latency` run: added latency at one connection and saturated throughput.

Arguments: the run's folder, clock ticks per second, the seconds of a latency cell and of its warm-up, then the labels measured besides the direct path ("yarp" for the
YARP floor, "switchboard" for this tree, any other label for another Switchboard build), in the order to print them.
"""
import sys

out, ticks, cell_s, warm_s, gateways = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5:]
names = {"messages": "Messages door → Chat Completions upstream", "chat": "Chat Completions door",
         "responses": "Responses door → Chat Completions upstream", "passthrough": "Messages door → Anthropic upstream (passthrough)"}
workloads = {"small": "small, non-streamed (whole answer)", "small-stream": "small, streamed (time to first token)"}


def title(g):
    if g == "yarp":
        return "YARP forwarding (floor)"
    if g == "switchboard":
        return "Switchboard"
    return "Switchboard, baseline build" if g == "baseline" else f"Switchboard at {g}"


lat, overhead, cell_cpu = {}, {}, {}
for line in open(f"{out}/latency.txt"):
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    lat[fields["label"]] = fields
for line in open(f"{out}/overhead.txt"):
    label, *values = line.split()
    fields = dict(v.split("=", 1) for v in values)
    overhead[label] = fields.get("overhead", "")
    cell_cpu[label] = fields.get("cpu_ticks")


def cpu_per_request(label, requests):
    """CPU µs per request of the answering process during a one-connection cell (its warm-up's requests estimated at
    the cell's rate)."""
    t = cell_cpu.get(label)
    if t is None or int(requests) == 0:
        return "—"
    return f"{int(t) / ticks / (int(requests) * (cell_s + warm_s) / cell_s) * 1e6:,.0f}"


def us(v):
    return f"{int(v):,}"


print("### Added latency at one connection (µs)\n")
print("| Path | Request | Through | p50 / p99 / p99.9 | Added over direct p50 / p99 / p99.9 | In-process overhead p50 / p99 | CPU µs per request | Requests | Errors |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for path in names:
    for w in workloads:
        d = lat.get(f"{path}:{w}:direct")
        if d is None:
            continue
        print(f"| {names[path]} | {workloads[w]} | direct | {us(d['p50_us'])} / {us(d['p99_us'])} / {us(d['p999_us'])} | — | — | "
              f"{cpu_per_request(f'{path}:{w}:direct', d['requests'])} (upstream) | {d['requests']} | {d['errors']} |")
        for g in gateways:
            s = lat.get(f"{path}:{w}:{g}")
            if s is None:
                continue
            added = [int(s[k]) - int(d[k]) for k in ("p50_us", "p99_us", "p999_us")]
            print(f"| | | {title(g)} | {us(s['p50_us'])} / {us(s['p99_us'])} / {us(s['p999_us'])} | "
                  f"{added[0]:+,} / {added[1]:+,} / {added[2]:+,} | {overhead.get(f'{path}:{w}:{g}', '—').replace('/', ' / ') or '—'} | "
                  f"{cpu_per_request(f'{path}:{w}:{g}', s['requests'])} | {s['requests']} | {s['errors']} |")

sat = {}
for line in open(f"{out}/saturation.txt"):
    label, *rest = line.split()
    sat[label] = {k: int(v) for k, v in (kv.split("=") for kv in rest)}
print("\n### Saturated throughput, non-streamed\n")
print("| Path | Request | Through | Requests/s | % of direct | CPU µs per request (gateway or upstream) | p99 ms | Errors |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for path, label, request in [(p, names[p], "small") for p in names] + [("cc", names["messages"], "Claude-Code-sized (77 KB, 24 tools)")]:
    d = sat.get(f"{path}:direct")
    if d is None:
        continue
    drps = d["requests"] / (d["duration_us"] / 1e6)
    dcpu = d["cpu_ticks"] / ticks / max(d["requests"], 1) * 1e6
    print(f"| {label} | {request} | direct | {drps:,.0f} | 100% | {dcpu:.0f} (upstream) | {d['p99_us'] / 1000:.2f} | {d['errors']} |")
    for g in gateways:
        s = sat.get(f"{path}:{g}")
        if s is None:
            continue
        rps = s["requests"] / (s["duration_us"] / 1e6)
        cpu = s["cpu_ticks"] / ticks / max(s["requests"], 1) * 1e6
        print(f"| | | {title(g)} | {rps:,.0f} | {100 * rps / drps:.0f}% | {cpu:.0f} | {s['p99_us'] / 1000:.2f} | {s['errors']} |")
