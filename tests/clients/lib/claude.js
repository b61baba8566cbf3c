// Runs the real Claude Code CLI non-interactively against a stack, in a throwaway HOME and working directory,
// from a clean environment (nothing of the caller's credentials or settings leaks in), with a hard time limit.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempWorkspace, runJsonLines } from './cli-run.js';

const claudeBin = resolve(import.meta.dirname, '../node_modules/.bin/claude');
const claudeWrapper = resolve(import.meta.dirname, '../node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs');

/** The CLI: its native binary, or the package's own wrapper when npm skipped the postinstall that puts it in place. */
function claudeCommand() {
  return statSync(claudeBin).size > 1_000_000 ? [claudeBin] : [process.execPath, claudeWrapper];
}

/**
 * @param {object} stack from startStack()
 * @param {string} prompt
 * @param {object} [options]
 * @param {number} [options.maxTurns]
 * @param {number} [options.timeoutMs] hard limit; the process is killed and the run reported as timed out
 * @param {Record<string,string>} [options.env] extra environment variables
 * @param {{root: string, home: string, cwd: string}} [options.workspace] from makeWorkspace(), when the script needs its paths
 */
export async function runClaude(stack, prompt, { maxTurns = 4, timeoutMs = 60_000, env = {}, workspace = makeWorkspace() } = {}) {
  const { root, home, cwd } = workspace;

  const args = ['-p', prompt, '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions',
    '--max-turns', String(maxTurns), '--model', stack.model];
  const [command, ...prefix] = claudeCommand();
  const { exitCode, timedOut, elapsedMs, events, stderr } = await runJsonLines(command, [...prefix, ...args], {
    cwd,
    timeoutMs,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_CONFIG_DIR: join(home, '.claude'),
      TMPDIR: root,
      IS_SANDBOX: '1',
      ANTHROPIC_BASE_URL: stack.baseUrl,
      ANTHROPIC_AUTH_TOKEN: stack.apiKey,
      ANTHROPIC_MODEL: stack.model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: stack.model,
      ANTHROPIC_DEFAULT_SONNET_MODEL: stack.model,
      ANTHROPIC_DEFAULT_OPUS_MODEL: stack.model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      ...env,
    },
  });

  const blocks = (role) => events
    .filter((e) => e.type === role && Array.isArray(e.message?.content))
    .flatMap((e) => e.message.content);
  const run = {
    exitCode,
    timedOut,
    elapsedMs,
    cwd,
    home,
    events,
    stderr,
    result: events.findLast((e) => e.type === 'result'),
    assistantBlocks: blocks('assistant'),
    toolUses: blocks('assistant').filter((b) => b.type === 'tool_use'),
    toolResults: blocks('user').filter((b) => b.type === 'tool_result'),
    retries: events.filter((e) => e.type === 'system' && e.subtype === 'api_retry'),
  };
  run.describe = () => describeRun(run);
  return run;
}

/** A throwaway HOME and working directory for one run. */
export function makeWorkspace(files = {}) {
  return makeTempWorkspace('switchboard-claude-', { files, homeDirs: ['.claude'] });
}

/** A compact account of a run for assertion messages. */
export function describeRun(run) {
  const lines = [`exit ${run.exitCode}${run.timedOut ? ' (killed: timed out)' : ''} after ${run.elapsedMs} ms`];
  for (const event of run.events) {
    lines.push(describeEvent(event).slice(0, 400));
  }
  if (run.stderr.trim()) lines.push('stderr: ' + run.stderr.trim().slice(0, 2000));
  return lines.join('\n');
}

function describeEvent(event) {
  const blocks = (e) => (e.message?.content ?? []).map((b) => JSON.stringify(
    b.type === 'tool_result' ? { tool_result: b.tool_use_id, content: b.content } : b)).join(' ');
  switch (event.type) {
    case 'assistant':
    case 'user':
      return `${event.type}: ${blocks(event)}`;
    case 'result':
      return `result: ${JSON.stringify({ subtype: event.subtype, is_error: event.is_error, result: event.result, num_turns: event.num_turns, usage: event.usage })}`;
    case 'system':
      return event.subtype === 'init' ? 'system: init' : `system: ${JSON.stringify(event)}`;
    default:
      return JSON.stringify(event);
  }
}
