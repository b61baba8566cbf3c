// What the CLI runners (lib/claude.js, lib/codex.js, lib/opencode.js) share: a throwaway root with a working directory
// (and a HOME) for one run, and running a CLI from a clean environment with a hard time limit, its JSON-lines stdout
// read into events.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway root holding `work` (the working directory, with `files` written into it) and, unless `home` is
 * given, a HOME at `homeName` with `homeDirs` made inside it.
 * @returns {{root: string, home: string, cwd: string}}
 */
export function makeTempWorkspace(prefix, { files = {}, home, homeName = 'home', homeDirs = [] } = {}) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const cwd = join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(cwd, name), text);
  }
  if (!home) {
    home = join(root, homeName);
    mkdirSync(home, { recursive: true });
    for (const dir of homeDirs) mkdirSync(join(home, dir), { recursive: true });
  }
  return { root, home, cwd };
}

/**
 * Runs `command args…` in `cwd` with exactly `env` (nothing of the caller's environment), killed after `timeoutMs`
 * (and when this process exits), and reads its stdout as JSON lines (a line that is not JSON becomes
 * `{type: 'unparsed', line}`).
 * @returns {Promise<{exitCode: number|null, timedOut: boolean, elapsedMs: number, stdout: string, stderr: string, events: object[]}>}
 */
export async function runJsonLines(command, args, { cwd, env, timeoutMs }) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const started = Date.now();
  const exitCode = await new Promise((r) => child.on('close', (code) => r(code)));
  clearTimeout(timer);
  process.off('exit', killOnExit);

  const events = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      events.push({ type: 'unparsed', line });
    }
  }
  return { exitCode, timedOut, elapsedMs: Date.now() - started, stdout, stderr, events };
}
