// Starts the scripted fake upstream and a real Switchboard in front of it, as processes on free loopback ports.
// One stack per test file: the fake's reply queue is global to its process, so the cases that share a stack run
// one after another (node:test runs a file's tests in order) and each begins with reset().
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');
const switchboardDll = resolve(repoRoot, 'src/Switchboard/bin/Release/net10.0/Switchboard.dll');
const fakeUpstreamDll = resolve(repoRoot, 'tests/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll');

export const API_KEY = 'sk-conformance-suite';
export const MODEL = 'fake-model';

/**
 * @param {object} [options]
 * @param {string[]} [options.fakeArgs] extra FakeUpstream flags (e.g. ['--max-model-len', '200000'])
 * @param {string[]} [options.switchboardArgs] extra Switchboard flags (e.g. ['--Switchboard:Streaming:PingIntervalSeconds=1'])
 */
export async function startStack({ fakeArgs = [], switchboardArgs = [] } = {}) {
  // Every stack has its own store (keys, usage ledger) in a fresh data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-clients-'));
  for (const dll of [switchboardDll, fakeUpstreamDll]) {
    if (!existsSync(dll)) {
      throw new Error(`${dll} is missing: run 'dotnet build Switchboard.slnx -c Release' first`);
    }
  }

  const fake = startProcess('FakeUpstream', [fakeUpstreamDll, '--port', '0', ...fakeArgs]);
  const fakeRoot = (await fake.waitForLine(/FakeUpstream listening on (http:\/\/\S+)\/v1/))[1];

  const port = await freePort();
  const launch = () => startProcess('Switchboard', [
    switchboardDll, '--upstream', `${fakeRoot}/v1`, '--model', MODEL, '--api-key', API_KEY,
    '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...switchboardArgs,
  ]);
  let switchboard = launch();
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(baseUrl, switchboard);
  } catch (error) {
    fake.kill();
    switchboard.kill();
    throw error;
  }

  const control = async (path, init) => {
    const response = await fetch(fakeRoot + path, init);
    if (!response.ok) {
      throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return response;
  };

  let logMark = 0;
  return {
    baseUrl,
    fakeRoot,
    dataDir,
    apiKey: API_KEY,
    model: MODEL,
    /** Queues scripted replies (see tests/FakeUpstream/README.md), answered in order. */
    async script(...replies) {
      await control('/_script', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(replies) });
    },
    /** The reply served whenever the queue is empty. */
    async scriptDefault(reply) {
      await control('/_script?default=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply) });
    },
    /** Every chat completion request the upstream received since the last reset, in order. */
    async chatRequests() {
      const all = await (await control('/_requests')).json();
      return all.filter((r) => r.path === '/v1/chat/completions');
    },
    async reset() {
      logMark = switchboard.output().length;
      await control('/_reset', { method: 'POST' });
      await control('/_script?default=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'Hello from the fake model server.' }) });
    },
    /** Stops Switchboard (SIGTERM) and starts a new process on the same port and data directory, as a restart does. */
    async restartSwitchboard() {
      await switchboard.stop();
      switchboard = launch();
      logMark = 0;
      await waitForReady(baseUrl, switchboard);
    },
    /** Switchboard's console output (one line per request, among others) since the last reset(). */
    switchboardLog: () => switchboard.output().slice(logMark),
    async stop() {
      await Promise.all([switchboard.stop(), fake.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `switchboard <args…>` (the CLI of the same binary, e.g. `keys create`) on a stack's data directory and
 * returns its standard output; throws with its output when it fails.
 */
export function switchboardCli(stack, ...args) {
  const run = spawnSync('dotnet', [switchboardDll, ...args, '--data-dir', stack.dataDir], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (run.status !== 0) {
    throw new Error(`switchboard ${args.join(' ')} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  }
  return run.stdout;
}

/** Creates a stored key with `switchboard keys create` and returns the key it printed (shown once). */
export function createKey(stack, name, ...flags) {
  const output = switchboardCli(stack, 'keys', 'create', '--name', name, ...flags);
  const key = /sk-sb-[A-Za-z0-9]+-[A-Za-z0-9]+/.exec(output)?.[0];
  if (!key) {
    throw new Error(`keys create printed no key:\n${output}`);
  }
  return key;
}

export function startProcess(name, args) {
  const child = spawn('dotnet', args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const lines = [];
  const waiters = [];
  let exited = null;
  const partial = { stdout: '', stderr: '' };
  const onData = (stream) => (chunk) => {
    const text = partial[stream] + chunk.toString('utf8');
    const complete = text.split('\n');
    partial[stream] = complete.pop();
    for (const line of complete) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 20000) lines.shift();
      for (const waiter of [...waiters]) {
        const match = waiter.pattern.exec(line);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  };
  child.stdout.on('data', onData('stdout'));
  child.stderr.on('data', onData('stderr'));
  const exit = new Promise((resolveExit) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const waiter of waiters.splice(0)) {
      waiter.reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${lines.join('\n')}`));
    }
    resolveExit();
  }));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  return {
    child,
    get exited() { return exited; },
    output: () => lines.join('\n'),
    waitForLine(pattern, timeoutMs = 30_000) {
      for (const line of lines) {
        const match = pattern.exec(line);
        if (match) return Promise.resolve(match);
      }
      if (exited) return Promise.reject(new Error(`${name} exited before it was ready:\n${lines.join('\n')}`));
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (m) => { clearTimeout(timer); resolveLine(m); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
    async stop() {
      process.off('exit', killOnExit);
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}

export async function waitForReady(baseUrl, switchboard) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (switchboard.exited) {
      throw new Error(`Switchboard exited before it was ready:\n${switchboard.output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/v1/models`, { headers: { 'x-api-key': API_KEY } });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Switchboard did not answer on ${baseUrl} within 30 s:\n${switchboard.output()}`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}
