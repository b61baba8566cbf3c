// The official OpenAI TypeScript SDK against Switchboard's Chat Completions door and the scripted fake upstream:
// what the SDK's raw chunks, its stream helper, its tool runner and its typed errors make of Switchboard's answers,
// with the fake playing a server that has parsers (fake-model) and open-weight families whose raw markup reaches
// Switchboard unparsed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { families, profileOf } from './lib/families.js';
import { describeError, openAIClient, rejection, startOpenAIStack } from './lib/openai.js';
import { assistantMessages, toolMessages } from './lib/upstream.js';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather forecast for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  },
};

describe('OpenAI TypeScript SDK', () => {
  let stack;
  let client;
  before(async () => {
    ({ stack, client } = await startOpenAIStack());
  });
  after(async () => {
    await stack?.stop();
  });

  it('text: chat.completions.create returns a chat.completion with the text, finish reason and upstream usage', async () => {
    await stack.reset();
    await stack.script({ content: 'Paris is the capital of France.', usage: { promptTokens: 321, completionTokens: 9, cachedTokens: 300 } });

    const completion = await client.chat.completions.create({
      model: 'gpt-4o', max_completion_tokens: 200,
      messages: [{ role: 'developer', content: 'Answer briefly.' }, { role: 'user', content: 'Capital of France?' }],
    });

    assert.equal(completion.object, 'chat.completion');
    assert.match(completion.id, /^chatcmpl-/);
    assert.ok(Number.isInteger(completion.created), `created is an integer: ${completion.created}`);
    assert.equal(completion.model, 'gpt-4o', 'the name the client asked for');
    assert.ok('system_fingerprint' in completion, 'system_fingerprint');
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice.index, 0);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, 'Paris is the capital of France.');
    assert.equal(choice.message.refusal, null);
    assert.equal(choice.message.tool_calls ?? undefined, undefined, 'no tool calls');
    assert.deepEqual(
      [completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens, completion.usage.prompt_tokens_details?.cached_tokens],
      [321, 9, 330, 300], 'prompt_tokens include the cached ones, as OpenAI counts');
    const [request] = await stack.chatRequests();
    assert.equal(request.body.model, 'fake-model');
    assert.deepEqual(request.body.messages, [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'Capital of France?' }]);
    assert.equal(request.body.max_tokens ?? request.body.max_completion_tokens, 200);
  });

  it('streaming: create({stream: true}) with include_usage streams role, content, one finish chunk, then usage', async () => {
    await stack.reset();
    const text = 'Streaming, one small piece at a time.';
    await stack.script({ content: text, chunkSize: 3, usage: { promptTokens: 40, completionTokens: 13 } });

    const stream = await client.chat.completions.create({
      model: 'fake-model', max_tokens: 200, stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream please' }],
    });
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
    }

    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'), 'every chunk a chat.completion.chunk');
    assert.match(chunks[0].id, /^chatcmpl-/);
    assert.ok(chunks.every((c) => c.id === chunks[0].id && c.created === chunks[0].created && c.model === 'fake-model'), 'one id, created and model');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant', 'the role in the first delta');
    const pieces = chunks.flatMap((c) => c.choices).map((c) => c.delta?.content).filter((c) => c);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.length > 2, `text arrives in pieces (${pieces.length})`);
    const finishes = chunks.flatMap((c) => c.choices).filter((c) => c.finish_reason != null);
    assert.deepEqual(finishes.map((c) => c.finish_reason), ['stop'], 'exactly one finish_reason');
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, [], 'the usage chunk has no choices');
    assert.deepEqual([last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.total_tokens], [40, 13, 53]);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage == null), 'no usage before the last chunk');
    const [request] = await stack.chatRequests();
    assert.equal(request.body.stream, true);
  });

  it('tools: the chat.completions.stream() helper assembles two parallel tool calls', async () => {
    await stack.reset();
    await stack.script({
      content: 'Checking both.', chunkSize: 4,
      toolCalls: [{ name: 'get_weather', arguments: '{"city": "Paris", "days": 2}' }, { name: 'get_weather', arguments: '{"city": "Rome", "days": 2}' }],
    });

    const stream = client.chat.completions.stream({
      model: 'fake-model', max_tokens: 300, tools: [weatherTool], parallel_tool_calls: true,
      messages: [{ role: 'user', content: 'Weather in Paris and Rome for two days?' }],
    });
    const argumentDeltas = [];
    const argumentsDone = [];
    stream.on('tool_calls.function.arguments.delta', (event) => argumentDeltas.push(event));
    stream.on('tool_calls.function.arguments.done', (event) => argumentsDone.push(event));
    const completion = await stream.finalChatCompletion();

    const [choice] = completion.choices;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, 'Checking both.');
    const calls = choice.message.tool_calls;
    assert.deepEqual(calls.map((c) => [c.type, c.function.name, JSON.parse(c.function.arguments)]),
      [['function', 'get_weather', { city: 'Paris', days: 2 }], ['function', 'get_weather', { city: 'Rome', days: 2 }]]);
    assert.ok(calls.every((c) => /^call_/.test(c.id)), `call_ ids: ${calls.map((c) => c.id)}`);
    assert.notEqual(calls[0].id, calls[1].id);
    assert.deepEqual(argumentsDone.map((e) => [e.index, e.name, JSON.parse(e.arguments)]),
      [[0, 'get_weather', { city: 'Paris', days: 2 }], [1, 'get_weather', { city: 'Rome', days: 2 }]]);
    assert.ok(argumentDeltas.length > 2, `arguments streamed in fragments (${argumentDeltas.length})`);
    const [request] = await stack.chatRequests();
    assert.deepEqual(request.body.tools.map((t) => [t.type, t.function.name, t.function.parameters]), [['function', 'get_weather', weatherTool.function.parameters]]);
  });

  it('tools: runTools() runs a two-turn tool loop and answers with the tool\'s result', async () => {
    await stack.reset();
    await stack.script(
      { content: 'Let me check.', chunkSize: 4, toolCalls: [{ name: 'get_weather', arguments: '{"city": "Oslo", "days": 1}' }] },
      { content: 'Oslo: snow, -3 °C.', chunkSize: 4 },
    );
    const ran = [];

    const runner = client.chat.completions.runTools({
      model: 'fake-model', max_tokens: 300, stream: true,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{
        type: 'function',
        function: {
          ...weatherTool.function,
          parse: JSON.parse,
          function: (args) => { ran.push(args); return { city: args.city, forecast: 'snow', celsius: -3 }; },
        },
      }],
    });
    const answer = await runner.finalContent();

    assert.equal(answer, 'Oslo: snow, -3 °C.');
    assert.deepEqual(ran, [{ city: 'Oslo', days: 1 }]);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.tool_calls.length, 1);
    // The upstream sees the call and its result paired under one id (whichever id Switchboard chose to send).
    const callId = assistant.tool_calls[0].id;
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { city: 'Oslo', days: 1 });
    assert.deepEqual(JSON.parse(toolMessages(requests[1].body)[callId]), { city: 'Oslo', forecast: 'snow', celsius: -3 });
  });

  it('reasoning: reasoning_content on the message and on the stream\'s deltas, and back upstream in history', async () => {
    await stack.reset();
    const reasoning = 'Two plus two is four; no tricks here.';
    await stack.script({ reasoning, content: '4' }, { reasoning, content: '4', chunkSize: 5 }, { content: 'Yes, still 4.' });
    const ask = { model: 'fake-model', max_tokens: 2048, reasoning_effort: 'high', messages: [{ role: 'user', content: 'What is 2+2?' }] };

    const completion = await client.chat.completions.create(ask);
    const message = completion.choices[0].message;
    assert.equal(message.reasoning_content, reasoning, 'reasoning_content beside the content');
    assert.equal(message.content, '4');
    assert.ok(Number.isInteger(completion.usage.completion_tokens_details?.reasoning_tokens), 'reasoning_tokens counted');

    const stream = client.chat.completions.stream(ask);
    const reasoningDeltas = [];
    const contentDeltas = [];
    stream.on('chunk', (chunk) => {
      for (const choice of chunk.choices) {
        if (choice.delta?.reasoning_content) reasoningDeltas.push(choice.delta.reasoning_content);
        if (choice.delta?.content) contentDeltas.push(choice.delta.content);
      }
    });
    const streamed = await stream.finalChatCompletion();
    assert.equal(reasoningDeltas.join(''), reasoning);
    assert.ok(reasoningDeltas.length > 1, 'reasoning arrives in pieces');
    assert.equal(contentDeltas.join(''), '4');
    assert.equal(streamed.choices[0].message.content, '4');

    await client.chat.completions.create({
      ...ask, messages: [...ask.messages, { role: 'assistant', content: '4', reasoning_content: reasoning }, { role: 'user', content: 'Sure?' }],
    });
    const requests = await stack.chatRequests();
    assert.equal(requests[0].body.reasoning_effort, 'high', 'reasoning_effort reaches a server that takes it');
    assert.deepEqual(assistantMessages(requests[2].body).map((m) => [m.reasoning_content, m.content]), [[reasoning, '4']], 'earlier reasoning replayed');
  });

  it('structured output: parse() with a zod response_format reaches the server as json_schema and parses the answer', async () => {
    await stack.reset();
    await stack.script({ content: '{"city":"Paris","celsius":21}' });
    const responseFormat = zodResponseFormat(z.object({ city: z.string(), celsius: z.number() }), 'weather');

    const completion = await client.chat.completions.parse({
      model: 'fake-model', max_tokens: 200, response_format: responseFormat, messages: [{ role: 'user', content: 'Weather in Paris as JSON.' }],
    });

    assert.deepEqual(completion.choices[0].message.parsed, { city: 'Paris', celsius: 21 });
    const [request] = await stack.chatRequests();
    assert.equal(request.body.response_format?.type, 'json_schema', JSON.stringify(request.body.response_format));
    assert.deepEqual(request.body.response_format.json_schema.schema, responseFormat.json_schema.schema, 'the schema unchanged');
  });

  for (const family of families) {
    const what = family.thinks ? 'reasoning_content and tool_calls' : 'tool_calls';
    it(`model families: ${family.profile} raw markup reaches the SDK as ${what}, streamed and not (model ${family.model})`, async () => {
      await stack.reset();
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const turn = { reasoning: 'Zürich, three days: the weather tool.', text: 'Checking.', name: 'get_weather', input: { city: 'Zürich', days: 3 } };
      await stack.script({ content: family.toolTurn(turn) }, { content: family.toolTurn(turn), chunkSize: 3 });
      const ask = { model: family.model, max_tokens: 1024, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Zürich for three days?' }] };

      const completion = await client.chat.completions.create(ask);
      const message = completion.choices[0].message;
      assert.equal(completion.choices[0].finish_reason, 'tool_calls');
      assert.equal(message.content, 'Checking.', 'no markup in the content');
      assert.equal(message.reasoning_content ?? null, family.thinks ? turn.reasoning : null);
      assert.deepEqual(message.tool_calls.map((c) => [c.type, c.function.name, JSON.parse(c.function.arguments)]), [['function', 'get_weather', turn.input]],
        'the arguments a JSON string, days typed by the schema');
      assert.match(message.tool_calls[0].id, /^call_/);

      const stream = client.chat.completions.stream(ask);
      const reasoningDeltas = [];
      const contentDeltas = [];
      stream.on('chunk', (chunk) => {
        for (const choice of chunk.choices) {
          if (choice.delta?.reasoning_content) reasoningDeltas.push(choice.delta.reasoning_content);
          if (choice.delta?.content) contentDeltas.push(choice.delta.content);
        }
      });
      const streamed = await stream.finalChatCompletion();
      assert.equal(streamed.choices[0].finish_reason, 'tool_calls');
      assert.equal(reasoningDeltas.join(''), family.thinks ? turn.reasoning : '');
      assert.equal(contentDeltas.join(''), 'Checking.', 'no markup in the content deltas');
      assert.deepEqual(streamed.choices[0].message.tool_calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['get_weather', turn.input]]);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
    });
  }

  it('errors: a wrong key is an AuthenticationError', async () => {
    const stranger = openAIClient(stack, 'sk-wrong');
    const error = await rejection(stranger.chat.completions.create(ask('Hi')));
    assert.ok(error instanceof OpenAI.AuthenticationError, describeError(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(typeof error.error.message, 'string');
    assert.doesNotMatch(error.error.message, /sk-wrong/, 'the key is not echoed');
  });

  it('request ids: the SDK reads Switchboard\'s request id (x-request-id) on answers and on errors', async () => {
    await stack.reset();
    const { data: completion, response } = await client.chat.completions.create(ask('Hi')).withResponse();
    assert.match(completion._request_id ?? '', /^req_/, `_request_id from x-request-id; headers: ${[...response.headers.keys()]}`);
    assert.equal(completion._request_id, response.headers.get('request-id'), 'the same id as request-id');

    const stranger = openAIClient(stack, 'sk-wrong');
    const error = await rejection(stranger.chat.completions.create(ask('Hi')));
    assert.match(error.requestID ?? '', /^req_/, 'requestID on an error');
  });

  it('errors: a malformed request is a BadRequestError with param naming the field', async () => {
    await stack.reset();
    const error = await rejection(client.chat.completions.create({ ...ask('Hi'), temperature: 3 }));
    assert.ok(error instanceof OpenAI.BadRequestError, describeError(error));
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, 'temperature');

    const part = await rejection(client.chat.completions.create({
      model: 'fake-model', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }],
    }));
    assert.ok(part instanceof OpenAI.BadRequestError, describeError(part));
    assert.match(part.param ?? '', /^messages\[0\]\.content\[0\]/, 'the part the door cannot take');
    assert.equal((await stack.chatRequests()).length, 0, 'nothing reached the upstream');
  });

  it('errors: an unknown model is a NotFoundError with code model_not_found', async () => {
    await stack.reset();
    const error = await rejection(client.chat.completions.create({ ...ask('Hi'), model: 'no-such-model' }));
    assert.ok(error instanceof OpenAI.NotFoundError, describeError(error));
    assert.equal(error.status, 404);
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /no-such-model/);
    assert.equal((await stack.chatRequests()).length, 0);
  });

  it('errors: a rate limit is a RateLimitError with retry-after, and the SDK\'s own retry succeeds', async () => {
    await stack.reset();
    await stack.script({ error: { status: 429, message: 'Too many requests', retryAfter: '1' } });
    const error = await rejection(client.chat.completions.create(ask('Hi')));
    assert.ok(error instanceof OpenAI.RateLimitError, describeError(error));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.headers.get('retry-after'), '1');

    await stack.reset();
    await stack.script({ error: { status: 429, message: 'Too many requests', retryAfter: '1' } }, { content: 'Made it on the second try.' });
    const statuses = [];
    const retrying = openAIClient(stack, stack.apiKey, {
      maxRetries: 2,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        statuses.push({ at: Date.now(), status: response.status });
        return response;
      },
    });
    const completion = await retrying.chat.completions.create(ask('Hi'));
    assert.equal(completion.choices[0].message.content, 'Made it on the second try.');
    assert.deepEqual(statuses.map((s) => s.status), [429, 200]);
    assert.ok(statuses[1].at - statuses[0].at >= 900, `waited for retry-after (${statuses[1].at - statuses[0].at} ms)`);
  });

  it('errors: an upstream failure is an InternalServerError without the upstream\'s address', async () => {
    await stack.reset();
    await stack.script({ error: { status: 500, message: 'EngineCore encountered an issue' } });
    const error = await rejection(client.chat.completions.create(ask('Hi')));
    assert.ok(error instanceof OpenAI.InternalServerError, describeError(error));
    assert.equal(error.status, 500);
    assert.equal(error.type, 'server_error');
    assert.doesNotMatch(error.message, new RegExp(stack.fakeRoot.replace(/[.:/]/g, '\\$&')), 'no upstream URL');
  });

  it('errors: a failure mid-stream arrives as an error chunk after the text so far', async () => {
    await stack.reset();
    await stack.script({ content: 'This answer will not finish', chunkSize: 5, midStreamFailure: { afterChunks: 2, message: 'CUDA error: an illegal memory access' } });

    const stream = await client.chat.completions.create({ ...ask('Hi'), stream: true });
    const pieces = [];
    const error = await rejection((async () => {
      for await (const chunk of stream) {
        for (const choice of chunk.choices) if (choice.delta?.content) pieces.push(choice.delta.content);
      }
    })());

    assert.deepEqual(pieces, ['This ', 'answe']);
    assert.ok(error instanceof OpenAI.APIError, describeError(error));
    assert.equal(error.status, undefined, 'an in-stream error has no HTTP status');
    assert.match(error.error?.message ?? '', /CUDA error: an illegal memory access/);
  });
});

function ask(text) {
  return { model: 'fake-model', max_tokens: 100, messages: [{ role: 'user', content: text }] };
}
