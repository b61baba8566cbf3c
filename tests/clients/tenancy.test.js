// Stored keys with limits and budgets, as the clients see them: typed rate-limit errors with a usable retry-after,
// rate-limit headers on success, Claude Code backing off until the window refills, and a spent budget refused with
// the billing error that no client retries. Keys are made with the real CLI (`switchboard keys create`) on the
// stack's data directory while the server runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { runClaude } from './lib/claude.js';
import { createKey, startStack } from './lib/stack.js';

const CASE_TIMEOUT = { timeout: 120_000 };
const ask = { model: 'fake-model', max_tokens: 100, messages: [{ role: 'user', content: 'Hello?' }] };
const chatAsk = { model: 'fake-model', messages: [{ role: 'user', content: 'Hello?' }] };

/** A stored key's id: its public part, which the request log names. */
const idOf = (key) => key.split('-')[2];

/**
 * Request log lines (one per request) for a path, status and key since the stack's last reset. The key matters: a
 * line of the previous case may be written after the reset.
 */
function logged(stack, path, status, key) {
  return stack.switchboardLog().split('\n')
    .filter((line) => line.includes(` POST ${path} ${status}`) && line.includes(` key=${idOf(key)} `));
}

/**
 * The same, once the console logger (which writes behind the requests) has caught up: waits for the first such line,
 * then long enough for a retry's line to show too.
 */
async function loggedSettled(stack, path, status, key) {
  for (let waited = 0; logged(stack, path, status, key).length === 0 && waited < 3000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  return logged(stack, path, status, key);
}

describe('Tenancy: limits and budgets through the clients', () => {
  let stack;
  before(async () => {
    // A dollar per token, so one request spends a small budget; keys are looked up again after a second.
    stack = await startStack({
      switchboardArgs: [
        '--Switchboard:Tenancy:DefaultPrices:InputPerMillion=1000000',
        '--Switchboard:Tenancy:DefaultPrices:OutputPerMillion=1000000',
        '--Switchboard:Tenancy:KeyCacheSeconds=1',
      ],
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it('Anthropic SDK: limit headers on success, then RateLimitError with an integer retry-after', async () => {
    await stack.reset();
    const key = createKey(stack, 'sdk-rpm', '--rpm', '2');
    const client = new Anthropic({ baseURL: stack.baseUrl, apiKey: key, maxRetries: 0 });

    const { response } = await client.messages.create(ask).withResponse();
    assert.equal(response.headers.get('anthropic-ratelimit-requests-limit'), '2');
    assert.equal(response.headers.get('anthropic-ratelimit-requests-remaining'), '1');
    assert.match(response.headers.get('anthropic-ratelimit-requests-reset') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    await client.messages.create(ask);
    const error = await client.messages.create(ask).then(() => null, (e) => e);

    assert.ok(error instanceof Anthropic.RateLimitError, `expected RateLimitError, got ${error}`);
    assert.equal(error.status, 429);
    assert.equal(error.error?.error?.type, 'rate_limit_error');
    const retryAfter = error.headers.get('retry-after');
    assert.match(retryAfter, /^\d+$/, 'whole seconds, as Claude Code parses it');
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 30, `retry-after ${retryAfter}: one request refills in 30 s at 2 per minute`);
    assert.equal(error.headers.get('x-should-retry'), 'true');
  });

  it('Claude Code backs off on a 429 and succeeds once the window refills', CASE_TIMEOUT, async () => {
    await stack.reset();
    await stack.scriptDefault({ content: 'Hello after the wait.' });
    // 4 a minute: one request back every 15 s, longer than Claude Code takes to start. Spend the whole window first.
    const key = createKey(stack, 'claude-rpm', '--rpm', '4');
    const client = new Anthropic({ baseURL: stack.baseUrl, apiKey: key, maxRetries: 0 });
    for (let i = 0; i < 4; i++) {
      await client.messages.create(ask);
    }
    await assert.rejects(client.messages.create(ask), Anthropic.RateLimitError);

    const run = await runClaude({ ...stack, apiKey: key }, 'Say hello.', { timeoutMs: 100_000 });

    assert.equal(run.result?.is_error, false, run.describe());
    assert.equal(run.result?.result, 'Hello after the wait.', run.describe());
    assert.ok(run.retries.length >= 1, `Claude Code retried after the 429: ${run.describe()}`);
    assert.ok((await loggedSettled(stack, '/v1/messages', 429, key)).length >= 2, 'the spent window refused Claude Code at least once');
  });

  it('OpenAI SDK: RateLimitError with rate_limit_exceeded and "Please try again in Ns."', async () => {
    await stack.reset();
    const key = createKey(stack, 'openai-rpm', '--rpm', '1');
    const client = new OpenAI({ baseURL: `${stack.baseUrl}/v1`, apiKey: key, maxRetries: 0 });

    const { response } = await client.chat.completions.create(chatAsk).withResponse();
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), '1');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.match(response.headers.get('x-ratelimit-reset-requests') ?? '', /^(\d+m)?\d+(\.\d+)?m?s$/, 'a Go duration');
    const error = await client.chat.completions.create(chatAsk).then(() => null, (e) => e);

    assert.ok(error instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${error}`);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.match(error.message, /Please try again in \d+(\.\d+)?m?s\./);
    assert.match(error.headers.get('retry-after') ?? '', /^\d+$/);
  });

  it('a spent budget: billing_error / insufficient_quota, and no SDK retries it', async () => {
    await stack.reset();
    // Five dollars at a dollar a token: the first answer spends it.
    const key = createKey(stack, 'budget', '--budget', '5', '--budget-period', 'monthly');
    const anthropic = new Anthropic({ baseURL: stack.baseUrl, apiKey: key, maxRetries: 2 });
    const openai = new OpenAI({ baseURL: `${stack.baseUrl}/v1`, apiKey: key, maxRetries: 2 });
    await anthropic.messages.create(ask);
    await new Promise((r) => setTimeout(r, 300));

    const refused = await anthropic.messages.create(ask).then(() => null, (e) => e);
    assert.ok(refused instanceof Anthropic.APIError, `expected an API error, got ${refused}`);
    assert.equal(refused.status, 429);
    assert.equal(refused.error?.error?.type, 'billing_error');
    assert.equal(refused.headers.get('x-should-retry'), 'false');
    assert.equal((await loggedSettled(stack, '/v1/messages', 429, key)).length, 1, 'the SDK did not retry the billing error');

    const quota = await openai.chat.completions.create(chatAsk).then(() => null, (e) => e);
    assert.ok(quota instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${quota}`);
    assert.equal(quota.code, 'insufficient_quota');
    assert.equal(quota.headers.get('x-should-retry'), 'false');
    const refusals = await loggedSettled(stack, '/v1/chat/completions', 429, key);
    assert.equal(refusals.length, 1, `the SDK did not retry insufficient_quota:\n${refusals.join('\n')}`);
  });

  it('Claude Code shows a spent budget at once instead of retrying it', CASE_TIMEOUT, async () => {
    await stack.reset();
    const key = createKey(stack, 'claude-budget', '--budget', '5');
    await new Anthropic({ baseURL: stack.baseUrl, apiKey: key, maxRetries: 0 }).messages.create(ask);
    await new Promise((r) => setTimeout(r, 300));
    const before = logged(stack, '/v1/messages', 429, key).length;

    const run = await runClaude({ ...stack, apiKey: key }, 'Say hello.', { timeoutMs: 60_000 });

    assert.equal(run.result?.is_error, true, run.describe());
    assert.match(run.result?.result ?? '', /budget of \$5\.00 \(monthly\).* is spent/, run.describe());
    assert.equal(run.retries.length, 0, `no retries of a billing error: ${run.describe()}`);
    assert.ok((await loggedSettled(stack, '/v1/messages', 429, key)).length - before >= 1);
  });
});
