#!/usr/bin/env python3
"""Resident memory of Switchboard under a run of large request bodies.

usage: bench/load/large-bodies.py REQUESTS BODY_MB CONCURRENCY [GC_HEAP_HARD_LIMIT]
e.g.   bench/load/large-bodies.py 40 20 4 0x20000000

Starts bench/FastUpstream and Switchboard (Release builds, quickstart flags), sends REQUESTS non-streaming
/v1/messages requests whose one text block makes the body BODY_MB megabytes, CONCURRENCY at a time, and prints the
status counts and Switchboard's VmRSS before, at its highest (sampled after each response), right after the run and
after 10 s idle. Build first: dotnet build src/Switchboard -c Release && dotnet build bench/FastUpstream -c Release.
"""
import http.client, json, os, socket, subprocess, sys, threading, time

requests, megabytes, concurrency = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
limit = sys.argv[4] if len(sys.argv) > 4 else None
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

up, sp = free_port(), free_port()
upstream = subprocess.Popen(["dotnet", f"{root}/bench/FastUpstream/bin/Release/net10.0/FastUpstream.dll",
                             "--port", str(up), "--tokens", "5"], stdout=subprocess.DEVNULL)
env = dict(os.environ)
if limit:
    env["DOTNET_GCHeapHardLimit"] = limit
switchboard = subprocess.Popen(["dotnet", f"{root}/src/Switchboard/bin/Release/net10.0/Switchboard.dll",
                                "--upstream", f"http://127.0.0.1:{up}/v1", "--model", "m", "--port", str(sp)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)

def rss():
    try:
        for line in open(f"/proc/{switchboard.pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    except FileNotFoundError:
        return None  # the process has died

try:
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", sp, timeout=1); c.request("GET", "/v1/models"); c.getresponse().read(); break
        except OSError:
            time.sleep(0.2)
    text = "x" * int(megabytes * 1024 * 1024)
    body = json.dumps({"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]}).encode()
    before = rss(); statuses = {}; peak = [before]; lock = threading.Lock()

    def work(count):
        c = http.client.HTTPConnection("127.0.0.1", sp, timeout=120)
        for _ in range(count):
            try:
                c.request("POST", "/v1/messages", body, {"content-type": "application/json"}); r = c.getresponse(); r.read(); status = r.status
            except Exception as e:  # a dropped connection is a result too
                status = type(e).__name__; c = http.client.HTTPConnection("127.0.0.1", sp, timeout=120)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1; peak[0] = max(peak[0], rss() or 0)

    threads = [threading.Thread(target=work, args=(requests // concurrency,)) for _ in range(concurrency)]
    [t.start() for t in threads]; [t.join() for t in threads]
    after = rss(); time.sleep(10); idle = rss()
    print(f"requests={requests} body={megabytes}MB concurrency={concurrency} heap_limit={limit} statuses={statuses} "
          f"rss_MiB before={before} peak={peak[0]} after={after} after_10s_idle={idle}")
finally:
    switchboard.terminate(); upstream.terminate(); switchboard.wait(); upstream.wait()
