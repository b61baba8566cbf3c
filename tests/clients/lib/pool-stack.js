// Two scripted fake upstreams as replicas of one model (a pool: upstreams r0 and r1 as the targets of fake-model)
// and a real Switchboard in front of them, as processes on free loopback ports. Each replica can be scripted,
// inspected and killed (SIGKILL: a replica that dies, connections and all) on its own.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { API_KEY, MODEL, freePort, repoRoot, startProcess, waitForReady } from './stack.js';

const switchboardDll = resolve(repoRoot, 'src/Switchboard/bin/Release/net10.0/Switchboard.dll');
const fakeUpstreamDll = resolve(repoRoot, 'tests/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll');

/**
 * @param {object} [options]
 * @param {number} [options.replicas]
 * @param {string[]} [options.fakeArgs] extra FakeUpstream flags for every replica
 * @param {string[]} [options.switchboardArgs] extra Switchboard flags
 */
export async function startPoolStack({ replicas = 2, fakeArgs = [], switchboardArgs = [] } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-pool-'));
  for (const dll of [switchboardDll, fakeUpstreamDll]) {
    if (!existsSync(dll)) {
      throw new Error(`${dll} is missing: run 'dotnet build Switchboard.slnx -c Release' first`);
    }
  }

  const fakes = [];
  for (let i = 0; i < replicas; i++) {
    const process = startProcess(`FakeUpstream r${i}`, [fakeUpstreamDll, '--port', '0', ...fakeArgs]);
    const root = (await process.waitForLine(/FakeUpstream listening on (http:\/\/\S+)\/v1/))[1];
    fakes.push({ process, root, killed: false });
  }

  const port = await freePort();
  const pool = fakes.flatMap((fake, i) => [
    `--Switchboard:Upstreams:r${i}:BaseUrl=${fake.root}/v1`,
    `--Switchboard:Models:0:Targets:${i}:Upstream=r${i}`,
  ]);
  const switchboard = startProcess('Switchboard', [
    switchboardDll, `--Switchboard:Models:0:Name=${MODEL}`, ...pool, '--api-key', API_KEY,
    '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...switchboardArgs,
  ]);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(baseUrl, switchboard);
  } catch (error) {
    fakes.forEach((f) => f.process.kill());
    switchboard.kill();
    throw error;
  }

  const control = async (i, path, init) => {
    const response = await fetch(fakes[i].root + path, init);
    if (!response.ok) {
      throw new Error(`r${i} ${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return response;
  };
  const post = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    baseUrl,
    apiKey: API_KEY,
    model: MODEL,
    replicas,
    /** Queues scripted replies on replica i, answered in order. */
    async script(i, ...replies) {
      await control(i, '/_script', post(replies));
    },
    /** The chat completion requests replica i received since its last reset; none once it is killed. */
    async chatRequests(i) {
      if (fakes[i].killed) return [];
      const all = await (await control(i, '/_requests')).json();
      return all.filter((r) => r.path === '/v1/chat/completions');
    },
    /** Forgets replica i's queue and requests (every live replica when i is left out). */
    async reset(i) {
      for (const j of i === undefined ? fakes.keys() : [i]) {
        if (fakes[j].killed) continue;
        await control(j, '/_reset', { method: 'POST' });
        await control(j, '/_script?default=true', post({ content: 'Hello from the fake model server.' }));
      }
    },
    /** Kills replica i at once, as a crashed process. */
    kill(i) {
      fakes[i].killed = true;
      fakes[i].process.kill();
    },
    switchboardLog: () => switchboard.output(),
    async stop() {
      await Promise.all([switchboard.stop(), ...fakes.map((f) => f.process.stop())]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until one replica has received a chat request, and returns its index. */
export async function replicaThatAnswered(stack, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (let i = 0; i < stack.replicas; i++) {
      if ((await stack.chatRequests(i)).length > 0) return i;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no replica received a request');
}
