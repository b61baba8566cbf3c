// Claude Code and the model list: gateway model discovery (CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1) reads
// Switchboard's /v1/models, and the context window and output limit Switchboard advertises there
// (max_input_tokens, max_tokens) size Claude Code's session when handed to it as README's Claude Code section shows.
//
// What Claude Code 2.1.330 does with the list (observed, and read in its bundled source): it asks
// GET /v1/models?limit=1000 with anthropic-version, keeps the ids that contain "claude" or "anthropic", and stores
// only id, display_name and description (its schema strips every other key) in $CLAUDE_CONFIG_DIR/cache/
// gateway-models.json, for the /model picker. It does not take max_input_tokens from the list: an unknown
// claude-* id is sized at 1,000,000 tokens unless CLAUDE_CODE_MAX_CONTEXT_TOKENS says otherwise. The cases below
// pin both halves, so a newer pinned version that starts reading the advertised limits shows up here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, runClaude } from './lib/claude.js';
import { canRunInteractive, readStatusLine } from './lib/claude-status-line.js';
import { startStack } from './lib/stack.js';

const CASE_TIMEOUT = { timeout: 120_000 };

// Discovery keeps only ids with "claude" in them, so the open model is listed under such a name; the fake upstream
// reports its window (max_model_len), and the output limit is configured.
const MODEL = 'claude-open-coder';
const DISPLAY_NAME = 'Open Coder (fake upstream)';
const UPSTREAM_WINDOW = 65536;
const OUTPUT_LIMIT = 8192;

// What 2.1.330 assumes for an unknown claude-* id without CLAUDE_CODE_MAX_CONTEXT_TOKENS.
const CLAUDE_CODE_DEFAULT_WINDOW = 1_000_000;

describe('Claude Code', () => {
  let stack;
  before(async () => {
    stack = await startStack({
      fakeArgs: ['--max-model-len', String(UPSTREAM_WINDOW)],
      switchboardArgs: [
        `--Switchboard:Models:0:Name=${MODEL}`, `--Switchboard:Models:0:DisplayName=${DISPLAY_NAME}`,
        '--Switchboard:Models:0:UpstreamModel=fake-model', `--Switchboard:Models:0:MaxOutputTokens=${OUTPUT_LIMIT}`,
      ],
    });
  });
  after(async () => {
    await stack?.stop();
  });

  /** The model as README's recipe reads it: GET /v1/models/{id} with the Anthropic headers. */
  async function advertised() {
    const response = await fetch(`${stack.baseUrl}/v1/models/${MODEL}`, {
      headers: { 'x-api-key': stack.apiKey, 'anthropic-version': '2023-06-01' },
    });
    assert.equal(response.status, 200);
    const model = await response.json();
    assert.equal(model.max_input_tokens, UPSTREAM_WINDOW, 'the window the upstream reports');
    assert.equal(model.max_tokens, OUTPUT_LIMIT, 'the configured output limit');
    return model;
  }

  it('model discovery: Claude Code reads the model list and keeps the models it can use', CASE_TIMEOUT, async () => {
    await stack.reset();
    const workspace = makeWorkspace();

    const run = await runClaude({ ...stack, model: MODEL }, 'Say hello.', {
      workspace,
      maxTurns: 1,
      env: { CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1' },
    });

    assertSucceeded(run, 'Hello from the fake model server.');
    assert.match(stack.switchboardLog(), /GET \/v1\/models 200/, 'Claude Code asked for the model list');
    const cache = JSON.parse(readFileSync(join(workspace.home, '.claude', 'cache', 'gateway-models.json'), 'utf8'));
    assert.equal(cache.baseUrl, stack.baseUrl);
    // fake-model (the quickstart model, also listed) has no "claude" in its id: Claude Code drops it.
    assert.deepEqual(cache.models, [{ id: MODEL, display_name: DISPLAY_NAME }]);
    const usage = run.result.modelUsage[MODEL];
    assert.equal(usage.contextWindow, CLAUDE_CODE_DEFAULT_WINDOW,
      'Claude Code 2.1.330 does not size the window from max_input_tokens; if this now equals '
      + `${UPSTREAM_WINDOW}, README's Claude Code section can say discovery alone is enough`);
  });

  it('context window: the advertised limits, handed to Claude Code, size its session and its requests', CASE_TIMEOUT, async () => {
    await stack.reset();
    const model = await advertised();

    const run = await runClaude({ ...stack, model: MODEL }, 'Say hello.', {
      maxTurns: 1,
      env: {
        CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1',
        CLAUDE_CODE_MAX_CONTEXT_TOKENS: String(model.max_input_tokens),
        CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(model.max_tokens),
      },
    });

    assertSucceeded(run, 'Hello from the fake model server.');
    assert.equal(run.result.modelUsage[MODEL].contextWindow, UPSTREAM_WINDOW, run.describe());
    const requests = await stack.chatRequests();
    assert.ok(requests.length >= 1, run.describe());
    assert.deepEqual(requests.map((r) => r.body.max_tokens), requests.map(() => OUTPUT_LIMIT), 'every request asked for the advertised output limit');
  });

  it('status line: the statusLine command is told the advertised context window', { ...CASE_TIMEOUT, skip: !canRunInteractive() && 'no `script` (util-linux) to give Claude Code a terminal' }, async () => {
    await stack.reset();
    const model = await advertised();

    const { status, screen } = await readStatusLine({ ...stack, model: MODEL }, {
      env: {
        CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1',
        CLAUDE_CODE_MAX_CONTEXT_TOKENS: String(model.max_input_tokens),
        CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(model.max_tokens),
      },
    });

    assert.ok(status, `no statusLine input; the screen ended with: ${screen}`);
    assert.equal(status.model.id, MODEL);
    assert.equal(status.context_window.context_window_size, UPSTREAM_WINDOW);
    assert.equal(status.exceeds_200k_tokens, false);
  });
});

function assertSucceeded(run, text) {
  assert.ok(!run.timedOut, `timed out:\n${run.describe()}`);
  assert.equal(run.exitCode, 0, run.describe());
  assert.equal(run.result?.subtype, 'success', run.describe());
  assert.equal(run.result.result, text, run.describe());
}
