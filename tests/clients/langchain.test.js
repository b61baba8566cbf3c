// LangChain's ChatAnthropic (@langchain/anthropic, anthropicApiUrl pointed at Switchboard) against the scripted fake
// upstream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { startStack } from './lib/stack.js';
import { assistantMessages, fakeTokenCount, toolMessages } from './lib/upstream.js';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('LangChain ChatAnthropic', () => {
  let stack;
  let chat;
  before(async () => {
    stack = await startStack();
    chat = new ChatAnthropic({ model: 'fake-model', anthropicApiUrl: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0, maxTokens: 500 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('text: invoke returns the text and usage', async () => {
    await stack.reset();
    await stack.script({ content: 'Bonjour!', usage: { promptTokens: 30, completionTokens: 3 } });

    const message = await chat.invoke([new HumanMessage('Say hello in French.')]);

    assert.equal(message.content, 'Bonjour!');
    assert.equal(message.response_metadata.stop_reason, 'end_turn');
    assert.deepEqual([message.usage_metadata.input_tokens, message.usage_metadata.output_tokens], [30, 3]);
  });

  it('streaming: stream yields the text in pieces', async () => {
    await stack.reset();
    const text = 'One, two, three, four, five.';
    await stack.script({ content: text, chunkSize: 4 });

    const pieces = [];
    let merged;
    for await (const chunk of await chat.stream('Count to five.')) {
      if (typeof chunk.content === 'string' && chunk.content) pieces.push(chunk.content);
      merged = merged ? merged.concat(chunk) : chunk;
    }

    assert.equal(pieces.join(''), text);
    assert.equal(pieces.length, Math.ceil(text.length / 4));
    // LangChain takes input tokens from message_start only — Switchboard's estimate of the prompt (a streamed start
    // carries the estimate; the exact count comes in message_delta, which LangChain does not read for input) — and
    // adds message_start's output_tokens (1, as Anthropic sends) to message_delta's total (one per upstream delta).
    const [request] = await stack.chatRequests();
    const counted = fakeTokenCount(request.body);
    assert.ok(Math.abs(merged.usage_metadata.input_tokens - counted) <= Math.max(2, counted / 4),
      `LangChain reports ${merged.usage_metadata.input_tokens} input tokens, the server counted ${counted}`);
    assert.equal(merged.usage_metadata.output_tokens, 1 + pieces.length);
  });

  it('tools: bindTools, a tool call, and the round trip with its result', async () => {
    await stack.reset();
    await stack.script(
      { content: 'Let me look.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Berlin"}' }] },
      { content: 'Berlin: cloudy, 14 °C.' },
    );
    const withTools = chat.bindTools([weatherTool]);
    const history = [new HumanMessage('Weather in Berlin?')];

    const first = await withTools.invoke(history);

    assert.equal(first.tool_calls.length, 1);
    const [call] = first.tool_calls;
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.args, { city: 'Berlin' });
    assert.match(call.id, /^toolu_/);
    assert.equal(first.response_metadata.stop_reason, 'tool_use');

    history.push(first, new ToolMessage({ tool_call_id: call.id, content: 'cloudy, 14 °C' }));
    const second = await withTools.invoke(history);

    assert.equal(second.content, 'Berlin: cloudy, 14 °C.');
    const requests = await stack.chatRequests();
    assert.deepEqual(requests[0].body.tools.map((t) => t.function.name), ['get_weather']);
    assert.deepEqual(assistantMessages(requests[1].body)[0].tool_calls.map((c) => [c.id, JSON.parse(c.function.arguments)]), [[call.id, { city: 'Berlin' }]]);
    assert.deepEqual(toolMessages(requests[1].body), { [call.id]: 'cloudy, 14 °C' });
  });
});
