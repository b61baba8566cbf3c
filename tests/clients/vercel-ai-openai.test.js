// The Vercel AI SDK (ai with @ai-sdk/openai-compatible, baseURL pointed at Switchboard's /v1) against the Chat
// Completions door and the scripted fake upstream, including open-weight families whose raw markup Switchboard parses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { families, familyModelArgs, profileOf } from './lib/families.js';
import { startStack } from './lib/stack.js';
import { assistantMessages, toolMessages } from './lib/upstream.js';

describe('Vercel AI SDK (OpenAI-compatible)', () => {
  let stack;
  let provider;
  const weatherCalls = [];
  const weather = tool({
    description: 'Current weather for a city',
    inputSchema: z.object({ city: z.string(), days: z.number().int().optional() }),
    execute: async ({ city }) => {
      weatherCalls.push(city);
      return { city, forecast: 'sunny', celsius: 21 };
    },
  });

  before(async () => {
    stack = await startStack({ switchboardArgs: familyModelArgs(1) });
    provider = createOpenAICompatible({ name: 'switchboard', baseURL: `${stack.baseUrl}/v1`, apiKey: stack.apiKey, includeUsage: true });
  });
  after(async () => {
    await stack?.stop();
  });

  it('tools: generateText calls a tool, runs it and answers with its result over two steps', async () => {
    await stack.reset();
    weatherCalls.length = 0;
    await stack.script(
      { content: 'Checking.', toolCalls: [{ name: 'weather', arguments: '{"city":"Lyon"}' }], usage: { promptTokens: 50, completionTokens: 7 } },
      { content: 'Sunny and 21 °C in Lyon.', usage: { promptTokens: 80, completionTokens: 9 } },
    );

    const result = await generateText({
      model: provider('fake-model'), prompt: 'Weather in Lyon?', tools: { weather }, stopWhen: stepCountIs(3), maxOutputTokens: 256, maxRetries: 0,
    });

    assert.equal(result.text, 'Sunny and 21 °C in Lyon.');
    assert.equal(result.steps.length, 2);
    assert.equal(result.steps[0].finishReason, 'tool-calls');
    assert.equal(result.steps[1].finishReason, 'stop');
    assert.deepEqual(result.steps[0].toolCalls.map((c) => [c.toolName, c.input]), [['weather', { city: 'Lyon' }]]);
    assert.deepEqual(weatherCalls, ['Lyon']);
    assert.deepEqual([result.totalUsage.inputTokens, result.totalUsage.outputTokens], [50 + 80, 7 + 9]);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[0].body.tools.map((t) => t.function.name), ['weather']);
    const [upstreamCall] = assistantMessages(requests[1].body)[0].tool_calls;
    assert.deepEqual(JSON.parse(upstreamCall.function.arguments), { city: 'Lyon' });
    const callId = upstreamCall.id;
    assert.deepEqual(JSON.parse(toolMessages(requests[1].body)[callId]), { city: 'Lyon', forecast: 'sunny', celsius: 21 });
  });

  it('streaming: streamText streams reasoning, then text, with usage', async () => {
    await stack.reset();
    const reasoning = 'Seven times six: forty-two.';
    await stack.script({ reasoning, content: 'The answer is 42.', chunkSize: 4, usage: { promptTokens: 30, completionTokens: 12 } });

    const result = streamText({ model: provider('fake-model'), prompt: 'What is 7 * 6?', maxOutputTokens: 2048, maxRetries: 0 });
    const parts = [];
    for await (const part of result.fullStream) {
      parts.push(part);
    }

    const joined = (type) => parts.filter((p) => p.type === type).map((p) => p.text).join('');
    assert.equal(joined('reasoning-delta'), reasoning);
    assert.ok(parts.filter((p) => p.type === 'reasoning-delta').length > 1, 'reasoning arrives in pieces');
    assert.equal(joined('text-delta'), 'The answer is 42.');
    const firstText = parts.findIndex((p) => p.type === 'text-delta');
    assert.ok(parts.findLastIndex((p) => p.type === 'reasoning-delta') < firstText, 'reasoning before text');
    assert.equal(await result.reasoningText, reasoning);
    assert.equal(await result.finishReason, 'stop');
    const usage = await result.totalUsage;
    assert.deepEqual([usage.inputTokens, usage.outputTokens], [30, 12]);
    const [request] = await stack.chatRequests();
    assert.equal(request.body.stream, true);
  });

  for (const family of families) {
    const what = family.thinks ? 'reasoning and a tool call' : 'a tool call';
    it(`model families: ${family.profile} raw markup streams as ${what} that the SDK runs (model ${family.model})`, async () => {
      await stack.reset();
      weatherCalls.length = 0;
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const turn = { reasoning: 'Zürich, three days: the weather tool.', text: 'Checking.', name: 'weather', input: { city: 'Zürich', days: 3 } };
      await stack.script({ content: family.toolTurn(turn), chunkSize: 3 }, { content: family.finalTurn({ reasoning: 'Done.', text: 'Sunny in Zürich.' }), chunkSize: 3 });

      const result = streamText({
        model: provider(family.model), prompt: 'Weather in Zürich for three days?', tools: { weather }, stopWhen: stepCountIs(3), maxOutputTokens: 1024, maxRetries: 0,
      });
      const parts = [];
      for await (const part of result.fullStream) {
        parts.push(part);
      }

      const joined = (type) => parts.filter((p) => p.type === type).map((p) => p.text).join('');
      assert.equal(joined('reasoning-delta'), family.thinks ? `${turn.reasoning}Done.` : '');
      assert.equal(joined('text-delta'), 'Checking.Sunny in Zürich.', 'no markup in the text');
      assert.deepEqual(parts.filter((p) => p.type === 'tool-call').map((p) => [p.toolName, p.input]), [['weather', turn.input]]);
      assert.deepEqual(weatherCalls, ['Zürich']);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
    });
  }
});
