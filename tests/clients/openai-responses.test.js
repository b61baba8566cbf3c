// The official OpenAI TypeScript SDK against Switchboard's Responses door (`/v1/responses`) and the scripted fake
// upstream: the response object, the stream helper (which throws on an unknown event, an unannounced item or part, and
// takes finalResponse() from response.completed), the function-call loop, reasoning items and their replay,
// structured output, stored responses, and the typed errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { families, profileOf } from './lib/families.js';
import { describeError, openAIClient, rejection, startOpenAIStack } from './lib/openai.js';
import { createKey } from './lib/stack.js';
import { assistantMessages, fakeTokenCount, toolMessages } from './lib/upstream.js';

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather forecast for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  strict: false,
};

describe('OpenAI TypeScript SDK (Responses)', () => {
  let stack;
  let client;
  before(async () => {
    ({ stack, client } = await startOpenAIStack());
  });
  after(async () => {
    await stack?.stop();
  });

  it('text: responses.create returns a completed response with output_text and integer usage', async () => {
    await stack.reset();
    await stack.script({ content: 'Paris is the capital of France.', usage: { promptTokens: 321, completionTokens: 9, cachedTokens: 300 } });

    const response = await client.responses.create({
      model: 'gpt-4o', instructions: 'Answer briefly.', input: 'Capital of France?', max_output_tokens: 200,
    });

    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_/);
    assert.equal(response.status, 'completed');
    assert.ok(Number.isInteger(response.created_at), `created_at is an integer: ${response.created_at}`);
    assert.equal(response.model, 'gpt-4o', 'the name the client asked for');
    assert.equal(response.output_text, 'Paris is the capital of France.');
    assert.equal(response.output.length, 1, JSON.stringify(response.output));
    const [message] = response.output;
    assert.equal(message.type, 'message');
    assert.match(message.id, /^msg_/);
    assert.equal(message.role, 'assistant');
    assert.equal(message.status, 'completed');
    assert.deepEqual(message.content.map((p) => [p.type, p.text, p.annotations]), [['output_text', 'Paris is the capital of France.', []]]);
    assert.deepEqual(
      [response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens, response.usage.input_tokens_details?.cached_tokens],
      [321, 9, 330, 300], 'input_tokens include the cached ones, as OpenAI counts');
    assert.ok(Number.isInteger(response.usage.output_tokens_details?.reasoning_tokens), 'reasoning_tokens an integer');
    const [request] = await stack.chatRequests();
    assert.equal(request.body.model, 'fake-model');
    assert.deepEqual(request.body.messages, [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'Capital of France?' }]);
    assert.equal(request.body.max_tokens ?? request.body.max_completion_tokens, 200);
  });

  it('streaming: responses.stream() emits the whole ordered event sequence and finalResponse() holds the output', async () => {
    await stack.reset();
    const text = 'Streaming, one small piece at a time.';
    await stack.script({ content: text, chunkSize: 3, usage: { promptTokens: 40, completionTokens: 13 } });

    const stream = client.responses.stream({ model: 'fake-model', input: [{ role: 'user', content: 'Stream please' }], max_output_tokens: 200 });
    const events = [];
    stream.on('event', (event) => events.push(event));
    const deltas = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();

    const types = events.map((e) => e.type);
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    for (const type of ['response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done']) {
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    }
    const sequence = events.map((e) => e.sequence_number);
    assert.ok(sequence.every((n, i) => Number.isInteger(n) && (i === 0 || n > sequence[i - 1])), `sequence_number counts up: ${sequence}`);
    assert.equal(deltas.join(''), text);
    assert.ok(deltas.length > 2, `text arrives in pieces (${deltas.length})`);
    assert.equal(events.find((e) => e.type === 'response.output_text.done').text, text);
    assert.deepEqual(events.find((e) => e.type === 'response.output_item.done').item.content.map((p) => p.text), [text], 'the done item holds the whole text');
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, text);
    assert.equal(final.id, events[0].response.id, 'one id from created to completed');
    assert.deepEqual([final.usage.input_tokens, final.usage.output_tokens, final.usage.total_tokens], [40, 13, 53]);
    const [request] = await stack.chatRequests();
    assert.equal(request.body.stream, true);
  });

  it('tools: two parallel function calls, then function_call_output items continue the conversation', async () => {
    await stack.reset();
    await stack.script(
      {
        content: 'Checking both.', chunkSize: 4,
        toolCalls: [{ name: 'get_weather', arguments: '{"city": "Paris", "days": 2}' }, { name: 'get_weather', arguments: '{"city": "Rome", "days": 2}' }],
      },
      { content: 'Paris: rain. Rome: sun.' },
    );
    const input = [{ role: 'user', content: 'Weather in Paris and Rome for two days?' }];

    const first = await client.responses.create({ model: 'fake-model', input, tools: [weatherTool], parallel_tool_calls: true, store: false });

    const calls = first.output.filter((item) => item.type === 'function_call');
    assert.deepEqual(calls.map((c) => [c.name, JSON.parse(c.arguments)]), [['get_weather', { city: 'Paris', days: 2 }], ['get_weather', { city: 'Rome', days: 2 }]]);
    assert.ok(calls.every((c) => /^call_/.test(c.call_id) && /^fc_/.test(c.id) && c.status === 'completed'), JSON.stringify(calls));
    assert.notEqual(calls[0].call_id, calls[1].call_id);
    assert.equal(first.output_text, 'Checking both.');

    const outputs = calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: JSON.stringify({ city: JSON.parse(c.arguments).city, forecast: c === calls[0] ? 'rain' : 'sun' }) }));
    const second = await client.responses.create({ model: 'fake-model', input: [...input, ...first.output, ...outputs], tools: [weatherTool], store: false });

    assert.equal(second.output_text, 'Paris: rain. Rome: sun.');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[0].body.tools.map((t) => [t.type, t.function.name, t.function.parameters]), [['function', 'get_weather', weatherTool.parameters]]);
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.content, 'Checking both.');
    assert.deepEqual(assistant.tool_calls.map((c) => JSON.parse(c.function.arguments).city), ['Paris', 'Rome']);
    const results = toolMessages(requests[1].body);
    assert.deepEqual(assistant.tool_calls.map((c) => JSON.parse(results[c.id]).forecast), ['rain', 'sun'], 'each output paired with its call upstream');
  });

  it('tools: a custom (freeform) tool is offered as a function of one string and its call comes back as custom_tool_call', async () => {
    await stack.reset();
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n';
    await stack.script(
      { toolCalls: [{ name: 'apply_patch', arguments: JSON.stringify({ input: patch }) }] },
      { content: 'Patched.' },
    );
    const tools = [{ type: 'custom', name: 'apply_patch', description: 'Apply a patch in the V4A format.' }];
    const input = [{ role: 'user', content: 'Add hello.txt.' }];

    const first = await client.responses.create({ model: 'fake-model', input, tools, store: false });

    assert.deepEqual(first.output.map((i) => [i.type, i.name, i.input]), [['custom_tool_call', 'apply_patch', patch]], JSON.stringify(first.output));
    assert.match(first.output[0].call_id, /^call_/);
    const second = await client.responses.create({
      model: 'fake-model', tools, store: false,
      input: [...input, ...first.output, { type: 'custom_tool_call_output', call_id: first.output[0].call_id, output: 'Done: hello.txt added.' }],
    });

    assert.equal(second.output_text, 'Patched.');
    const requests = await stack.chatRequests();
    const offered = requests[0].body.tools.find((t) => t.function.name === 'apply_patch');
    assert.deepEqual(Object.keys(offered.function.parameters.properties), ['input'], 'one string parameter');
    const [assistant] = assistantMessages(requests[1].body);
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { input: patch });
    assert.equal(toolMessages(requests[1].body)[assistant.tool_calls[0].id], 'Done: hello.txt added.');
  });

  it('reasoning: a reasoning item before the message, streamed in order, sealed, and given back to the model when replayed', async () => {
    await stack.reset();
    const reasoning = 'Two plus two is four; no tricks here.';
    await stack.script({ reasoning, content: '4' }, { reasoning, content: '4', chunkSize: 5 }, { content: 'Yes, still 4.' });
    const ask = { model: 'fake-model', input: 'What is 2+2?', reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'], store: false };

    const response = await client.responses.create(ask);
    assert.deepEqual(response.output.map((i) => i.type), ['reasoning', 'message']);
    const [item] = response.output;
    assert.match(item.id, /^rs_/);
    assert.equal(reasoningText(item), reasoning, JSON.stringify(item));
    assert.equal(typeof item.encrypted_content, 'string', 'encrypted_content, as include asked');
    assert.ok(item.encrypted_content.length > 16);
    assert.doesNotMatch(item.encrypted_content, /tricks/, 'sealed, not plain');
    assert.equal(response.output_text, '4');
    assert.ok(response.usage.output_tokens_details.reasoning_tokens > 0, 'reasoning tokens counted');

    const stream = client.responses.stream(ask);
    const reasoningDeltas = [];
    stream.on('event', (event) => {
      if (event.type === 'response.reasoning_summary_text.delta' || event.type === 'response.reasoning_text.delta') reasoningDeltas.push(event.delta);
    });
    const streamed = await stream.finalResponse();
    assert.equal(reasoningDeltas.join(''), reasoning);
    assert.ok(reasoningDeltas.length > 1, 'reasoning arrives in pieces');
    assert.deepEqual(streamed.output.map((i) => i.type), ['reasoning', 'message']);
    assert.equal(reasoningText(streamed.output[0]), reasoning);

    // Replayed as Codex does: store:false, the whole history, the reasoning item with its encrypted_content.
    await client.responses.create({ ...ask, input: [{ role: 'user', content: 'What is 2+2?' }, ...response.output, { role: 'user', content: 'Sure?' }] });
    const requests = await stack.chatRequests();
    assert.equal(requests[0].body.reasoning_effort, 'high', 'reasoning.effort reaches a server that takes it');
    assert.deepEqual(assistantMessages(requests[2].body).map((m) => [m.reasoning_content, m.content]), [[reasoning, '4']], 'earlier reasoning replayed');
  });

  it('incomplete: an answer cut at max_output_tokens is an incomplete response, streamed and not', async () => {
    await stack.reset();
    await stack.script({ content: 'This answer is cut', finishReason: 'length' }, { content: 'This answer is cut', finishReason: 'length', chunkSize: 4 });
    const ask = { model: 'fake-model', input: 'Write a long essay.', max_output_tokens: 16, store: false };

    const response = await client.responses.create(ask);
    assert.equal(response.status, 'incomplete');
    assert.equal(response.incomplete_details?.reason, 'max_output_tokens');
    assert.equal(response.output_text, 'This answer is cut');

    const stream = client.responses.stream(ask);
    const types = [];
    stream.on('event', (event) => types.push(event.type));
    const streamed = await stream.finalResponse().catch((error) => error);
    assert.equal(types.at(-1), 'response.incomplete', types.join(', '));
    assert.ok(!types.includes('response.completed'));
    assert.equal(streamed.status, 'incomplete', String(streamed));
    assert.equal(streamed.output_text, 'This answer is cut');
  });

  it('structured output: responses.parse() with a zod text.format reaches the server as json_schema and parses the answer', async () => {
    await stack.reset();
    await stack.script({ content: '{"city":"Paris","celsius":21}' });
    const format = zodTextFormat(z.object({ city: z.string(), celsius: z.number() }), 'weather');

    const response = await client.responses.parse({ model: 'fake-model', input: 'Weather in Paris as JSON.', text: { format } });

    assert.deepEqual(response.output_parsed, { city: 'Paris', celsius: 21 });
    const [request] = await stack.chatRequests();
    assert.equal(request.body.response_format?.type, 'json_schema', JSON.stringify(request.body.response_format));
    assert.deepEqual(request.body.response_format.json_schema.schema, format.schema, 'the schema unchanged');
    assert.equal(request.body.response_format.json_schema.name, 'weather');
  });

  it('count tokens: responses.inputTokens.count matches the prompt the model is sent', async () => {
    await stack.reset();
    const params = { model: 'fake-model', instructions: 'You are terse.', tools: [weatherTool], input: 'How many tokens is this sentence, give or take?' };

    const counted = await client.responses.inputTokens.count(params);
    await client.responses.create({ ...params, max_output_tokens: 50, store: false });

    const [request] = await stack.chatRequests();
    assert.equal(counted.object, 'response.input_tokens');
    assert.equal(counted.input_tokens, fakeTokenCount(request.body), JSON.stringify(counted));
    assert.ok(counted.input_tokens > 20);
  });

  it('stored responses: previous_response_id continues a stored conversation and responses.retrieve returns it', async () => {
    await stack.reset();
    await stack.script({ content: 'Nice to meet you, Ada.' }, { content: 'Your name is Ada.' });

    const first = await client.responses.create({ model: 'fake-model', instructions: 'Be brief.', input: 'My name is Ada.' });
    const second = await client.responses.create({ model: 'fake-model', input: 'What is my name?', previous_response_id: first.id });

    assert.equal(second.output_text, 'Your name is Ada.');
    assert.equal(second.previous_response_id, first.id);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[1].body.messages.filter((m) => m.role !== 'system').map((m) => [m.role, m.content]),
      [['user', 'My name is Ada.'], ['assistant', 'Nice to meet you, Ada.'], ['user', 'What is my name?']], 'the stored history reached the model');

    const retrieved = await client.responses.retrieve(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.status, 'completed');
    assert.equal(retrieved.output_text, 'Nice to meet you, Ada.');
    assert.deepEqual(retrieved.output, first.output);
    const items = [];
    for await (const item of client.responses.inputItems.list(first.id)) items.push(item);
    assert.ok(items.some((i) => i.type === 'message' && i.role === 'user' && JSON.stringify(i.content).includes('My name is Ada.')), JSON.stringify(items));

    await client.responses.delete(first.id);
    const gone = await rejection(client.responses.retrieve(first.id));
    assert.ok(gone instanceof OpenAI.NotFoundError, describeError(gone));
  });

  it('stored responses: store:false keeps nothing, so retrieve is a NotFoundError', async () => {
    await stack.reset();
    const response = await client.responses.create({ model: 'fake-model', input: 'Hi', store: false });
    const error = await rejection(client.responses.retrieve(response.id));
    assert.ok(error instanceof OpenAI.NotFoundError, describeError(error));
    assert.equal(error.status, 404);
  });

  for (const family of families.filter((f) => f.profile === 'gpt-oss' || f.profile === 'qwen3-coder')) {
    const what = family.thinks ? 'reasoning and function_call items' : 'function_call items';
    it(`model families: ${family.profile} raw markup reaches the SDK as ${what}, streamed and not (model ${family.model})`, async () => {
      await stack.reset();
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const turn = { reasoning: 'Zürich, three days: the weather tool.', text: 'Checking.', name: 'get_weather', input: { city: 'Zürich', days: 3 } };
      await stack.script({ content: family.toolTurn(turn) }, { content: family.toolTurn(turn), chunkSize: 3 });
      const ask = { model: family.model, input: 'Weather in Zürich for three days?', tools: [weatherTool], store: false };
      const expected = [...(family.thinks ? [['reasoning', turn.reasoning]] : []), ['message', 'Checking.'], ['function_call', turn.input]];
      const describeItems = (output) => output.map((i) => [i.type, i.type === 'reasoning' ? reasoningText(i) : i.type === 'message' ? i.content.map((p) => p.text).join('') : JSON.parse(i.arguments)]);

      const response = await client.responses.create(ask);
      assert.deepEqual(describeItems(response.output), expected, 'no markup in the text; arguments typed by the schema');

      const streamed = await client.responses.stream(ask).finalResponse();
      assert.deepEqual(describeItems(streamed.output), expected);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
    });
  }

  it('errors: a wrong key is an AuthenticationError', async () => {
    const stranger = openAIClient(stack, 'sk-wrong');
    const error = await rejection(stranger.responses.create({ model: 'fake-model', input: 'Hi' }));
    assert.ok(error instanceof OpenAI.AuthenticationError, describeError(error));
    assert.equal(error.status, 401);
    assert.doesNotMatch(error.message, /sk-wrong/, 'the key is not echoed');
  });

  it('errors: a malformed request is a BadRequestError with param naming the field', async () => {
    await stack.reset();
    const error = await rejection(client.responses.create({ model: 'fake-model', input: 42 }));
    assert.ok(error instanceof OpenAI.BadRequestError, describeError(error));
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, 'input');

    const temperature = await rejection(client.responses.create({ model: 'fake-model', input: 'Hi', temperature: 3 }));
    assert.ok(temperature instanceof OpenAI.BadRequestError, describeError(temperature));
    assert.equal(temperature.param, 'temperature');
    assert.equal((await stack.chatRequests()).length, 0, 'nothing reached the upstream');
  });

  it('errors: an unknown model is a NotFoundError with code model_not_found', async () => {
    await stack.reset();
    const error = await rejection(client.responses.create({ model: 'no-such-model', input: 'Hi' }));
    assert.ok(error instanceof OpenAI.NotFoundError, describeError(error));
    assert.equal(error.code, 'model_not_found');
  });

  it('errors: an unknown previous_response_id is refused before the model is asked', async () => {
    await stack.reset();
    const error = await rejection(client.responses.create({ model: 'fake-model', input: 'Hi', previous_response_id: 'resp_doesnotexist' }));
    assert.ok(error instanceof OpenAI.NotFoundError || error instanceof OpenAI.BadRequestError, describeError(error));
    assert.match(error.message, /resp_doesnotexist/);
    assert.equal((await stack.chatRequests()).length, 0);
  });

  it('errors: a stored key over its 1 request a minute is a RateLimitError with retry-after', async () => {
    await stack.reset();
    const key = createKey(stack, 'responses-rpm', '--rpm', '1');
    const limited = openAIClient(stack, key);

    await limited.responses.create({ model: 'fake-model', input: 'Hi' });
    const error = await rejection(limited.responses.create({ model: 'fake-model', input: 'Hi again' }));

    assert.ok(error instanceof OpenAI.RateLimitError, describeError(error));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    const retryAfter = error.headers.get('retry-after');
    assert.match(retryAfter ?? '', /^\d+$/, 'whole seconds, which Codex needs to retry at all');
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, `retry-after ${retryAfter}`);
    assert.equal((await stack.chatRequests()).length, 1, 'the refused request never reached the model');
  });

  it('errors: a failure mid-stream is an APIError after the text so far, and no completed response', async () => {
    await stack.reset();
    await stack.script({ content: 'This answer will not finish', chunkSize: 5, midStreamFailure: { afterChunks: 2, message: 'CUDA error: an illegal memory access' } });

    const stream = client.responses.stream({ model: 'fake-model', input: 'Hi' });
    const deltas = [];
    const types = [];
    stream.on('event', (event) => types.push(event.type));
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const error = await rejection(stream.finalResponse());

    assert.deepEqual(deltas, ['This ', 'answe']);
    assert.ok(error instanceof OpenAI.APIError, describeError(error));
    assert.ok(!types.includes('response.completed'), types.join(', '));
  });
});

/** The thinking text of a reasoning item, from its summary or its content. */
function reasoningText(item) {
  const parts = (item.summary?.length ? item.summary : item.content) ?? [];
  return parts.map((p) => p.text).join('');
}
