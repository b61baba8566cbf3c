// Runs the real Codex CLI (`codex exec`, non-interactive, JSONL events) against a stack's Responses door, as a custom
// model provider in a throwaway CODEX_HOME, from a clean environment in a throwaway working directory, with a hard
// time limit.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempWorkspace, runJsonLines } from './cli-run.js';

// The npm package's launcher picks the platform's native binary, an optional dependency that npm installs only on
// its own platform; without one the cases are skipped.
const codexLauncher = resolve(import.meta.dirname, '../node_modules/@openai/codex/bin/codex.js');
const codexPlatformPackage = resolve(import.meta.dirname, `../node_modules/@openai/codex-${process.platform}-${process.arch === 'x64' ? 'x64' : process.arch}`);
export const codexMissing = existsSync(codexLauncher) && existsSync(codexPlatformPackage)
  ? false
  : `no Codex binary for ${process.platform}-${process.arch} (${codexPlatformPackage})`;

/** The environment variable the provider block names (`env_key`): Codex sends its value as the bearer token. */
export const KEY_ENV = 'SWITCHBOARD_API_KEY';

/** A throwaway CODEX_HOME and working directory for one run. */
export function makeWorkspace(files = {}) {
  return makeTempWorkspace('switchboard-codex-', { files, homeName: 'codex-home' });
}

/**
 * The config.toml a user writes to point Codex at Switchboard (the README shows the same block), with retries
 * turned down so that a broken answer fails the case in seconds instead of being retried for half a minute (null
 * leaves Codex's own default: 4 request and 5 stream retries).
 */
export function codexConfig(stack, model, { requestRetries = 1, streamRetries = 1, idleTimeoutMs = 60_000, extra = '' } = {}) {
  return `model = "${model}"
model_provider = "switchboard"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false
${extra}
[model_providers.switchboard]
name = "Switchboard"
base_url = "${stack.baseUrl}/v1"
env_key = "${KEY_ENV}"
wire_api = "responses"
${requestRetries == null ? '' : `request_max_retries = ${requestRetries}\n`}${streamRetries == null ? '' : `stream_max_retries = ${streamRetries}\n`}stream_idle_timeout_ms = ${idleTimeoutMs}

[analytics]
enabled = false
`;
}

/**
 * @param {object} stack from startStack()
 * @param {string} model a model Switchboard serves
 * @param {string} prompt
 * @param {object} [options]
 * @param {{root: string, home: string, cwd: string}} [options.workspace] from makeWorkspace(), when the script needs its paths
 * @param {string} [options.apiKey] the key Codex presents (default: the stack's)
 * @param {object} [options.config] codexConfig() options
 * @param {boolean} [options.keepSession] record the session (in CODEX_HOME), so that a later run can resume it
 * @param {boolean} [options.resume] continue the workspace's last recorded session with a new user turn
 *   (`codex exec resume --last`)
 * @param {number} [options.timeoutMs] hard limit; the process is killed and the run reported as timed out
 */
export async function runCodex(stack, model, prompt, { workspace = makeWorkspace(), apiKey = stack.apiKey, config = {}, keepSession = false, resume = false, timeoutMs = 90_000 } = {}) {
  const { root, home, cwd } = workspace;
  writeFileSync(join(home, 'config.toml'), codexConfig(stack, model, config));

  // The working directory is a throwaway, not a git repository; the sandbox is off because the case itself is the
  // sandbox (and Linux sandboxing needs kernel features a container may lack). --ephemeral keeps no session files.
  const args = resume
    ? ['exec', 'resume', '--last', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt]
    : ['exec', '--json', '--skip-git-repo-check', ...(keepSession ? [] : ['--ephemeral']), '--dangerously-bypass-approvals-and-sandbox',
      '--color', 'never', '-C', cwd, prompt];
  const { exitCode, timedOut, elapsedMs, events, stderr } = await runJsonLines(process.execPath, [codexLauncher, ...args], {
    cwd,
    timeoutMs,
    env: {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      CODEX_HOME: home,
      TMPDIR: root,
      [KEY_ENV]: apiKey,
      NO_COLOR: '1',
    },
  });

  const items = events.filter((e) => e.type === 'item.completed').map((e) => e.item);
  const run = {
    exitCode,
    timedOut,
    elapsedMs,
    workspace,
    events,
    stderr,
    items,
    /** The agent's messages, in order; the last is its final answer. */
    messages: items.filter((i) => i.type === 'agent_message').map((i) => i.text),
    reasoning: items.filter((i) => i.type === 'reasoning').map((i) => i.text),
    commands: items.filter((i) => i.type === 'command_execution'),
    errors: events.filter((e) => e.type === 'error' || e.type === 'turn.failed'),
    usage: events.findLast((e) => e.type === 'turn.completed')?.usage,
  };
  run.describe = () => describeRun(run);
  return run;
}

/** A compact account of a run for assertion messages. */
export function describeRun(run) {
  const lines = [`exit ${run.exitCode}${run.timedOut ? ' (killed: timed out)' : ''} after ${run.elapsedMs} ms`];
  for (const event of run.events) {
    if (event.type === 'item.started' || event.type === 'item.updated') continue;
    lines.push(JSON.stringify(event).slice(0, 400));
  }
  if (run.stderr.trim()) lines.push('stderr: ' + run.stderr.trim().slice(-3000));
  return lines.join('\n');
}
