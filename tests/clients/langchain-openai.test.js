// LangChain's ChatOpenAI (@langchain/openai, configuration.baseURL pointed at Switchboard's /v1) against the Chat
// Completions door and the scripted fake upstream, including open-weight families whose raw markup Switchboard parses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { families, familyModelArgs, profileOf } from './lib/families.js';
import { startStack } from './lib/stack.js';
import { assistantMessages, toolMessages } from './lib/upstream.js';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  },
};

describe('LangChain ChatOpenAI', () => {
  let stack;
  const chat = (model) => new ChatOpenAI({
    model, apiKey: stack.apiKey, configuration: { baseURL: `${stack.baseUrl}/v1` }, maxRetries: 0, maxTokens: 500,
  });
  before(async () => {
    stack = await startStack({ switchboardArgs: familyModelArgs(1) });
  });
  after(async () => {
    await stack?.stop();
  });

  it('tools: bindTools, a tool call, and the round trip with its result', async () => {
    await stack.reset();
    await stack.script(
      { content: 'Let me look.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Berlin"}' }], usage: { promptTokens: 60, completionTokens: 8 } },
      { content: 'Berlin: cloudy, 14 °C.' },
    );
    const withTools = chat('fake-model').bindTools([weatherTool]);
    const history = [new HumanMessage('Weather in Berlin?')];

    const first = await withTools.invoke(history);

    assert.equal(first.tool_calls.length, 1);
    const [call] = first.tool_calls;
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.args, { city: 'Berlin' });
    assert.match(call.id, /^call_/);
    assert.equal(first.response_metadata.finish_reason, 'tool_calls');
    assert.deepEqual([first.usage_metadata.input_tokens, first.usage_metadata.output_tokens], [60, 8]);

    history.push(first, new ToolMessage({ tool_call_id: call.id, content: 'cloudy, 14 °C' }));
    const second = await withTools.invoke(history);

    assert.equal(second.content, 'Berlin: cloudy, 14 °C.');
    assert.equal(second.response_metadata.finish_reason, 'stop');
    const requests = await stack.chatRequests();
    assert.deepEqual(requests[0].body.tools.map((t) => t.function.name), ['get_weather']);
    const upstreamCalls = assistantMessages(requests[1].body)[0].tool_calls;
    assert.deepEqual(upstreamCalls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['get_weather', { city: 'Berlin' }]]);
    assert.deepEqual(toolMessages(requests[1].body), { [upstreamCalls[0].id]: 'cloudy, 14 °C' }, 'the result paired with its call');
  });

  it('tools: stream assembles a tool call from its chunks, with usage', async () => {
    await stack.reset();
    await stack.script({ content: 'Looking.', chunkSize: 3, toolCalls: [{ name: 'get_weather', arguments: '{"city": "Madrid", "days": 2}' }], usage: { promptTokens: 70, completionTokens: 11 } });

    let merged;
    let chunks = 0;
    for await (const chunk of await chat('fake-model').bindTools([weatherTool]).stream('Weather in Madrid?')) {
      merged = merged ? merged.concat(chunk) : chunk;
      chunks++;
    }

    assert.ok(chunks > 3, `streamed in pieces (${chunks})`);
    assert.equal(merged.content, 'Looking.');
    assert.deepEqual(merged.tool_calls.map((c) => [c.name, c.args]), [['get_weather', { city: 'Madrid', days: 2 }]]);
    assert.match(merged.tool_calls[0].id, /^call_/);
    assert.deepEqual([merged.usage_metadata.input_tokens, merged.usage_metadata.output_tokens], [70, 11], 'from the include_usage chunk LangChain asks for');
  });

  for (const family of families) {
    const what = family.thinks ? 'reasoning_content and a tool call' : 'a tool call';
    it(`model families: ${family.profile} raw markup reaches LangChain as ${what} (model ${family.model})`, async () => {
      await stack.reset();
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const turn = { reasoning: 'Zürich, three days: the weather tool.', text: 'Checking.', name: 'get_weather', input: { city: 'Zürich', days: 3 } };
      await stack.script({ content: family.toolTurn(turn) }, { content: family.toolTurn(turn), chunkSize: 3 });
      const model = chat(family.model).bindTools([weatherTool]);

      const message = await model.invoke('Weather in Zürich for three days?');
      assert.equal(message.content, 'Checking.', 'no markup in the content');
      assert.deepEqual(message.tool_calls.map((c) => [c.name, c.args]), [['get_weather', turn.input]]);
      assert.equal(message.additional_kwargs.reasoning_content ?? null, family.thinks ? turn.reasoning : null);

      let merged;
      for await (const chunk of await model.stream('Weather in Zürich for three days?')) {
        merged = merged ? merged.concat(chunk) : chunk;
      }
      assert.equal(merged.content, 'Checking.', 'no markup in the streamed content');
      assert.deepEqual(merged.tool_calls.map((c) => [c.name, c.args]), [['get_weather', turn.input]]);
      assert.equal(merged.additional_kwargs.reasoning_content ?? null, family.thinks ? turn.reasoning : null);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
    });
  }
});
