"""Markdown tables of a `run.sh latency` run: added latency at one connection and saturated throughput."""
import sys

out, ticks, gateways = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = {"messages": "Messages door → Chat Completions upstream", "chat": "Chat Completions door",
         "responses": "Responses door → Chat Completions upstream", "passthrough": "Messages door → Anthropic upstream (passthrough)"}
workloads = {"small": "small, non-streamed (whole answer)", "small-stream": "small, streamed (time to first token)"}
titles = {"switchboard": "Switchboard", "baseline": "baseline build"}

lat, overhead = {}, {}
for line in open(f"{out}/latency.txt"):
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    lat[fields["label"]] = fields
for line in open(f"{out}/overhead.txt"):
    label, value = line.split()
    overhead[label] = value.split("=", 1)[1]

def us(v):
    return f"{int(v):,}"

print("### Added latency at one connection (µs)\n")
header = "| Path | Request | Direct p50 / p99 / p99.9 |"
sep = "|---|---|---:|"
for g in gateways:
    header += f" {titles[g]} p50 / p99 / p99.9 | {titles[g]} added p50 / p99 / p99.9 | {titles[g]} in-process overhead p50 / p99 |"
    sep += "---:|---:|---:|"
print(header + " Requests per cell (direct / " + " / ".join(titles[g] for g in gateways) + ") | Errors |")
print(sep + "---:|---:|")
for path in names:
    for w in workloads:
        d = lat.get(f"{path}:{w}:direct")
        if d is None:
            continue
        row = f"| {names[path]} | {workloads[w]} | {us(d['p50_us'])} / {us(d['p99_us'])} / {us(d['p999_us'])} |"
        counts, errors = [d["requests"]], int(d["errors"])
        for g in gateways:
            s = lat.get(f"{path}:{w}:{g}")
            if s is None:
                row += " — | — | — |"
                continue
            added = [int(s[k]) - int(d[k]) for k in ("p50_us", "p99_us", "p999_us")]
            row += (f" {us(s['p50_us'])} / {us(s['p99_us'])} / {us(s['p999_us'])} | "
                    f"{added[0]:+,} / {added[1]:+,} / {added[2]:+,} | {overhead.get(f'{path}:{w}:{g}', '—').replace('/', ' / ')} |")
            counts.append(s["requests"])
            errors += int(s["errors"])
        print(row + f" {' / '.join(counts)} | {errors} |")

print("\n### Saturated throughput, small non-streamed request\n")
sat = {}
for line in open(f"{out}/saturation.txt"):
    label, *rest = line.split()
    sat[label] = {k: int(v) for k, v in (kv.split("=") for kv in rest)}
header = "| Path | Direct requests/s |"
sep = "|---|---:|"
for g in gateways:
    header += f" {titles[g]} requests/s | % of direct | {titles[g]} CPU µs per request | {titles[g]} p99 ms |"
    sep += "---:|---:|---:|---:|"
print(header + " Errors |")
print(sep + "---:|")
for path in names:
    d = sat.get(f"{path}:direct")
    if d is None:
        continue
    drps = d["requests"] / (d["duration_us"] / 1e6)
    row, errors = f"| {names[path]} | {drps:,.0f} |", d["errors"]
    for g in gateways:
        s = sat.get(f"{path}:{g}")
        if s is None:
            row += " — | — | — | — |"
            continue
        rps = s["requests"] / (s["duration_us"] / 1e6)
        cpu = s["cpu_ticks"] / ticks / max(s["requests"], 1) * 1e6
        row += f" {rps:,.0f} | {100 * rps / drps:.0f}% | {cpu:.0f} | {s['p99_us'] / 1000:.2f} |"
        errors += s["errors"]
    print(row + f" {errors} |")
