// The Message Batches API through the Anthropic TypeScript SDK: `client.messages.batches.create` with 100 requests,
// polled with `retrieve` until it ends, its results read with `results()` (which follows `results_url`), and a
// restart of Switchboard in the middle: the batch resumes from the store and every request has exactly one result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startStack } from './lib/stack.js';

const CASE_TIMEOUT = { timeout: 180_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('Message Batches through the Anthropic TypeScript SDK', () => {
  let stack;
  let client;
  before(async () => {
    stack = await startStack({ switchboardArgs: ['--Switchboard:Batches:PollSeconds=0.2', '--Switchboard:Batches:MaxConcurrencyPerUpstream=4'] });
    client = new Anthropic({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('a batch of 100 requests is created, survives a restart of Switchboard and ends with one result per request', CASE_TIMEOUT, async () => {
    await stack.reset();
    await stack.scriptDefault({ content: 'Batch answer.', headerDelayMs: 100 });

    const requests = Array.from({ length: 100 }, (_, i) => ({
      custom_id: `item-${i}`,
      params: { model: stack.model, max_tokens: 64, messages: [{ role: 'user', content: `Question ${i}` }] },
    }));
    const created = await client.messages.batches.create({ requests });
    assert.match(created.id, /^msgbatch_/);
    assert.equal(created.type, 'message_batch');
    assert.equal(created.processing_status, 'in_progress');
    assert.deepEqual(created.request_counts, { processing: 100, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(created.results_url, null);

    // Some requests have run when Switchboard stops; the rest run after it is back.
    for (let waited = 0; (await stack.chatRequests()).length < 20 && waited < 30_000; waited += 50) {
      await sleep(50);
    }
    const beforeRestart = (await stack.chatRequests()).length;
    assert.ok(beforeRestart >= 20 && beforeRestart < 100, `${beforeRestart} requests before the restart`);
    await stack.restartSwitchboard();
    assert.equal((await client.messages.batches.retrieve(created.id)).processing_status, 'in_progress');

    let batch;
    for (let waited = 0; waited < 60_000; waited += 200) {
      batch = await client.messages.batches.retrieve(created.id);
      if (batch.processing_status === 'ended') break;
      await sleep(200);
    }
    assert.equal(batch.processing_status, 'ended');
    assert.deepEqual(batch.request_counts, { processing: 0, succeeded: 100, errored: 0, canceled: 0, expired: 0 });
    assert.equal(batch.results_url, `${stack.baseUrl}/v1/messages/batches/${created.id}/results`);
    assert.ok(Date.parse(batch.ended_at) >= Date.parse(batch.created_at));

    const seen = new Map();
    for await (const line of await client.messages.batches.results(created.id)) {
      assert.ok(!seen.has(line.custom_id), `${line.custom_id} twice`);
      seen.set(line.custom_id, line.result);
    }
    assert.equal(seen.size, 100);
    for (let i = 0; i < 100; i++) {
      const result = seen.get(`item-${i}`);
      assert.equal(result?.type, 'succeeded', `item-${i}`);
      assert.equal(result.message.role, 'assistant');
      assert.deepEqual(result.message.content, [{ type: 'text', text: 'Batch answer.' }]);
    }

    // Each question reached the upstream; one cut off by the stop may have run twice, never more.
    const asked = (await stack.chatRequests()).map((r) => r.body.messages.at(-1).content);
    assert.deepEqual(new Set(asked), new Set(requests.map((r) => r.params.messages[0].content)));
    assert.ok(asked.length <= 100 + 8, `${asked.length} upstream requests`);

    const page = await client.messages.batches.list({ limit: 10 });
    assert.deepEqual(page.data.map((b) => b.id), [created.id]);
    const deleted = await client.messages.batches.delete(created.id);
    assert.deepEqual(deleted, { id: created.id, type: 'message_batch_deleted' });
  });

  it('a batch with a bad request is refused at creation, naming the request', CASE_TIMEOUT, async () => {
    await stack.reset();
    const error = await client.messages.batches.create({
      requests: [
        { custom_id: 'good', params: { model: stack.model, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] } },
        { custom_id: 'bad', params: { model: stack.model, max_tokens: 8, messages: [{ role: 'robot', content: 'Hi' }] } },
      ],
    }).then(() => null, (e) => e);
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.match(error.error.error.message, /^requests\.1\.params\.messages\.0\.role: /);
    assert.deepEqual((await client.messages.batches.list()).data, []);
  });
});
