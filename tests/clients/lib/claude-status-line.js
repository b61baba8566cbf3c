// Runs the real Claude Code CLI interactively (its terminal UI, on a pseudo-terminal made by util-linux `script`)
// just long enough to capture the JSON its statusLine command receives on stdin: the session's model and context
// window as Claude Code itself sizes them. The status line exists only in the interactive UI, not in `claude -p`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeWorkspace } from './claude.js';

const claudeBin = resolve(import.meta.dirname, '../node_modules/.bin/claude');
const claudeWrapper = resolve(import.meta.dirname, '../node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs');

/** Whether this machine can give Claude Code a terminal (`script` from util-linux). */
export function canRunInteractive() {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * Starts Claude Code with a statusLine command that saves its input, waits for the first input, and stops Claude
 * Code. Sends no prompt: the status line is drawn at start.
 * @param {object} stack from startStack(), with the model to run in stack.model
 * @param {object} [options]
 * @param {Record<string,string>} [options.env] extra environment variables
 * @param {number} [options.timeoutMs]
 * @returns {Promise<{status: object|null, screen: string}>} the statusLine input, or null when none came in time
 */
export async function readStatusLine(stack, { env = {}, timeoutMs = 45_000 } = {}) {
  const { root, home, cwd } = makeWorkspace();
  const capture = join(root, 'status-line');
  const script = join(root, 'status-line.sh');
  writeFileSync(script, `#!/bin/sh\ncat > ${shellQuote(capture)}.$$.json\necho switchboard-status\n`, { mode: 0o755 });
  writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: script } }));
  // First-run screens (theme, onboarding, folder trust) would stand in front of the prompt and its status line.
  writeFileSync(join(home, '.claude', '.claude.json'), JSON.stringify({
    hasCompletedOnboarding: true,
    theme: 'dark',
    projects: { [cwd]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
  }));

  const claude = statSync(claudeBin).size > 1_000_000 ? [claudeBin] : [process.execPath, claudeWrapper];
  const command = [...claude, '--model', stack.model].map(shellQuote).join(' ');
  const screenFile = join(root, 'screen.txt');
  const child = spawn('script', ['-qfec', command, screenFile], {
    cwd,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: {
      PATH: process.env.PATH,
      TERM: 'xterm-256color',
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
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      ...env,
    },
  });
  const exited = new Promise((r) => child.on('close', r));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let status = null;
  const deadline = Date.now() + timeoutMs;
  try {
    while (status === null && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
      const file = readdirSync(root).find((name) => name.startsWith('status-line.') && name.endsWith('.json'));
      if (file) {
        const text = readFileSync(join(root, file), 'utf8');
        try {
          status = JSON.parse(text);
        } catch {
          // Still being written.
        }
      }
    }
  } finally {
    // Closing the terminal hangs Claude Code up; `script` ends with it.
    child.stdin.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
  }

  const screen = existsSync(screenFile)
    ? readFileSync(screenFile, 'utf8').replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\s+/g, ' ').slice(-2000)
    : '';
  return { status, screen };
}
