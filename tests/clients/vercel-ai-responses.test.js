// The Vercel AI SDK's OpenAI provider (ai with @ai-sdk/openai; its default `provider(model)` speaks the Responses
// API) with baseURL pointed at Switchboard's /v1, against the Responses door and the scripted fake upstream. On later
// steps the provider sends earlier output as `item_reference`s unless `store` is false, so the two-step tool case runs
// both ways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { startStack } from './lib/stack.js';
import { assistantMessages, toolMessages } from './lib/upstream.js';

describe('Vercel AI SDK (OpenAI Responses)', () => {
  let stack;
  let provider;
  const paths = [];
  const sent = [];
  const weatherCalls = [];
  const weather = tool({
    description: 'Current weather for a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      weatherCalls.push(city);
      return { city, forecast: 'sunny', celsius: 21 };
    },
  });

  before(async () => {
    stack = await startStack();
    provider = createOpenAI({
      baseURL: `${stack.baseUrl}/v1`, apiKey: stack.apiKey,
      // Records which door each request went to and what the provider sent there.
      fetch: async (url, init) => {
        paths.push(new URL(url).pathname);
        sent.push(init?.body ? JSON.parse(init.body) : null);
        return fetch(url, init);
      },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  for (const store of [false, true]) {
    const how = store ? 'earlier output sent as item_reference, resolved from the store' : 'store:false, earlier output sent whole';
    // The provider sends step 2 the moment step 1 is answered, while Switchboard may still be saving step 1: the
    // reference waits for that save.
    it(`tools: generateText calls a tool, runs it and answers with its result over two steps (${how})`, async () => {
      await stack.reset();
      weatherCalls.length = 0;
      paths.length = 0;
      sent.length = 0;
      await stack.script(
        { content: 'Checking.', toolCalls: [{ name: 'weather', arguments: '{"city":"Lyon"}' }], usage: { promptTokens: 50, completionTokens: 7 } },
        { content: 'Sunny and 21 °C in Lyon.', usage: { promptTokens: 80, completionTokens: 9 } },
      );

      const result = await generateText({
        model: provider('fake-model'), prompt: 'Weather in Lyon?', tools: { weather }, stopWhen: stepCountIs(3), maxOutputTokens: 256, maxRetries: 0,
        providerOptions: { openai: { store } },
      });

      assert.deepEqual(paths, ['/v1/responses', '/v1/responses'], 'the provider\'s default model speaks the Responses API');
      assert.equal(result.text, 'Sunny and 21 °C in Lyon.');
      assert.equal(result.steps.length, 2);
      assert.equal(result.steps[0].finishReason, 'tool-calls');
      assert.equal(result.steps[1].finishReason, 'stop');
      assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['weather', { city: 'Lyon' }]]);
      assert.deepEqual(weatherCalls, ['Lyon']);
      assert.deepEqual([result.totalUsage.inputTokens, result.totalUsage.outputTokens], [50 + 80, 7 + 9]);
      assert.equal(sent[1].input.some((item) => item.type === 'item_reference'), store, `what the provider sent: ${JSON.stringify(sent[1].input)}`);
      const requests = await stack.chatRequests();
      assert.equal(requests.length, 2);
      assert.deepEqual(requests[0].body.tools.map((t) => t.function.name), ['weather']);
      const [assistant] = assistantMessages(requests[1].body);
      assert.equal(assistant?.tool_calls?.length, 1, JSON.stringify(requests[1].body.messages));
      assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { city: 'Lyon' });
      assert.deepEqual(JSON.parse(toolMessages(requests[1].body)[assistant.tool_calls[0].id]), { city: 'Lyon', forecast: 'sunny', celsius: 21 });
    });
  }

  it('streaming: streamText streams reasoning, then text, with usage and finish reason', async () => {
    await stack.reset();
    paths.length = 0;
    const reasoning = 'Seven times six: forty-two.';
    await stack.script({ reasoning, content: 'The answer is 42.', chunkSize: 4, usage: { promptTokens: 30, completionTokens: 12 } });

    const result = streamText({
      model: provider('fake-model'), prompt: 'What is 7 * 6?', maxOutputTokens: 2048, maxRetries: 0,
      // The provider asks for reasoning (and reads only its summaries) for models it knows reason, or with forceReasoning.
      providerOptions: { openai: { forceReasoning: true, reasoningSummary: 'auto', store: false } },
    });
    const parts = [];
    for await (const part of result.fullStream) {
      parts.push(part);
    }

    assert.deepEqual(paths, ['/v1/responses']);
    const joined = (type) => parts.filter((p) => p.type === type).map((p) => p.text).join('');
    assert.equal(joined('text-delta'), 'The answer is 42.');
    assert.ok(parts.filter((p) => p.type === 'text-delta').length > 1, 'text arrives in pieces');
    // The provider reads reasoning summaries only (response.reasoning_summary_text.delta).
    assert.equal(joined('reasoning-delta'), reasoning, `parts: ${parts.map((p) => p.type).join(', ')}`);
    assert.ok(parts.findLastIndex((p) => p.type === 'reasoning-delta') < parts.findIndex((p) => p.type === 'text-delta'), 'reasoning before text');
    assert.equal(await result.finishReason, 'stop');
    assert.ok(!parts.some((p) => p.type === 'error'), JSON.stringify(parts.filter((p) => p.type === 'error')));
    const usage = await result.totalUsage;
    assert.deepEqual([usage.inputTokens, usage.outputTokens], [30, 12]);
    const [request] = await stack.chatRequests();
    assert.equal(request.body.stream, true);
  });
});
