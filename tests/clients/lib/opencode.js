// Runs the real opencode CLI (`opencode run`, non-interactive, JSON events) against a stack's Chat Completions door,
// as a custom OpenAI-compatible provider, from a clean environment in a throwaway HOME and working directory, with a
// hard time limit.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempWorkspace, runJsonLines } from './cli-run.js';

// opencode's own package (`opencode-ai`) only picks a platform binary at install time, and the registry served here
// holds the linux-x64 one alone, so the suite depends on that binary package directly (an optional dependency: npm
// skips it elsewhere, and the cases are then skipped).
export const opencodeBinary = resolve(import.meta.dirname, '../node_modules/opencode-linux-x64/bin/opencode');
export const opencodeMissing = existsSync(opencodeBinary) ? false : `no opencode binary for ${process.platform}-${process.arch} (${opencodeBinary})`;

/**
 * A throwaway working directory, in a throwaway HOME unless one is given: opencode's first start in a new HOME sets
 * up its database for several seconds, so the cases of a file share one.
 */
export function makeWorkspace(home) {
  return makeTempWorkspace('switchboard-opencode-', { home });
}

/**
 * @param {object} stack from startStack()
 * @param {string} model a model Switchboard serves
 * @param {string} prompt
 * @param {object} [options]
 * @param {{root: string, home: string, cwd: string}} [options.workspace] from makeWorkspace(), when the script needs its paths
 * @param {number} [options.timeoutMs]
 */
export async function runOpencode(stack, model, prompt, { workspace = makeWorkspace(), timeoutMs = 60_000 } = {}) {
  const { root, home, cwd } = workspace;
  const config = join(root, 'opencode.json');
  writeFileSync(config, JSON.stringify({
    provider: {
      switchboard: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Switchboard',
        options: { baseURL: `${stack.baseUrl}/v1`, apiKey: stack.apiKey },
        models: { [model]: { name: model, reasoning: true, tool_call: true, limit: { context: 131072, output: 4096 } } },
      },
    },
    model: `switchboard/${model}`,
    autoupdate: false,
    share: 'disabled',
    // No git snapshots of the throwaway working directory: they cost seconds per run and are not under test.
    snapshot: false,
  }));

  // --title skips the separate title request, so the fake's scripted replies all go to the agent's own turns.
  const args = ['run', '--pure', '--auto', '--thinking', '--format', 'json', '--title', 'conformance', '--model', `switchboard/${model}`, prompt];
  const { exitCode, timedOut, elapsedMs, stdout, stderr, events } = await runJsonLines(opencodeBinary, args, {
    cwd,
    timeoutMs,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      TMPDIR: root,
      OPENCODE_CONFIG: config,
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
      OPENCODE_DISABLE_SHARE: '1',
      OPENCODE_DISABLE_CLAUDE_CODE: '1',
    },
  });

  const parts = (type) => events.filter((e) => e.type === type).map((e) => e.part);
  return {
    exitCode,
    timedOut,
    ms: elapsedMs,
    events,
    stderr,
    workspace,
    reasoning: parts('reasoning').map((p) => p.text),
    texts: parts('text').map((p) => p.text),
    tools: parts('tool_use').map((p) => ({ tool: p.tool, callId: p.callID, status: p.state?.status, input: p.state?.input, output: p.state?.output })),
    finishes: parts('step_finish').map((p) => p.reason),
    errors: events.filter((e) => e.type === 'error'),
    /** For assertion messages. */
    describe: () => `exit ${exitCode}${timedOut ? ' (timed out)' : ''} after ${elapsedMs} ms\nstdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-4000)}`,
  };
}
