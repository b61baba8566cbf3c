// Web search run by Switchboard with a fake SearXNG backend (a second FakeUpstream process, whose /search/searxng
// route answers in SearXNG's JSON shape): Claude Code's WebSearch tool gets results it answers from, and the Anthropic
// TypeScript SDK sees server_tool_use, web_search_tool_result and cited text, streamed and not.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { runClaude } from './lib/claude.js';
import { repoRoot, startProcess, startStack } from './lib/stack.js';

const fakeUpstreamDll = resolve(repoRoot, 'tests/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll');

async function startSearchStack() {
  const backend = startProcess('SearchBackend', [fakeUpstreamDll, '--port', '0']);
  const backendRoot = (await backend.waitForLine(/FakeUpstream listening on (http:\/\/\S+)\/v1/))[1];
  const stack = await startStack({
    switchboardArgs: ['--Switchboard:WebSearch:Provider=searxng', `--Switchboard:WebSearch:Url=${backendRoot}/search/searxng`],
  });
  return { stack, backend };
}

const searchCall = (query) => ({ toolCalls: [{ name: 'web_search', arguments: JSON.stringify({ query }) }] });

describe('Anthropic TypeScript SDK', () => {
  let stack;
  let backend;
  let client;
  before(async () => {
    ({ stack, backend } = await startSearchStack());
    client = new Anthropic({ baseURL: stack.baseUrl, apiKey: stack.apiKey, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
    await backend?.stop();
  });

  const request = {
    model: 'fake-model',
    max_tokens: 300,
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
    messages: [{ role: 'user', content: 'What is the answer about widgets?' }],
  };

  it('web search: streamed server_tool_use, web_search_tool_result and text with web_search_result_location citations', async () => {
    await stack.reset();
    await stack.script(searchCall('widgets answer'), { content: 'The answer is 42 [1].' });

    const stream = client.messages.stream(request);
    const events = [];
    stream.on('streamEvent', (event) => events.push(event));
    const message = await stream.finalMessage();

    assert.deepEqual(message.content.map((b) => b.type), ['server_tool_use', 'web_search_tool_result', 'text']);
    assert.equal(message.content[0].name, 'web_search');
    assert.deepEqual(message.content[0].input, { query: 'widgets answer' });
    assert.match(message.content[0].id, /^srvtoolu_/);
    assert.equal(message.content[1].tool_use_id, message.content[0].id);
    assert.equal(message.content[1].content[0].url, 'https://docs.example.com/widgets-answer');
    assert.ok(message.content[1].content[0].encrypted_content.length > 20);
    assert.equal(message.content[2].text, 'The answer is 42.');
    assert.equal(message.content[2].citations.length, 1);
    assert.equal(message.content[2].citations[0].type, 'web_search_result_location');
    assert.equal(message.content[2].citations[0].url, 'https://docs.example.com/widgets-answer');
    assert.match(message.content[2].citations[0].cited_text, /the answer is 42/);
    assert.equal(message.usage.server_tool_use.web_search_requests, 1);
    assert.ok(events.some((e) => e.type === 'content_block_delta' && e.delta.type === 'citations_delta'));
  });

  it('web search: a whole message, and its results sent back on the next turn reach the model', async () => {
    await stack.reset();
    await stack.script(searchCall('widgets answer'), { content: 'It is 42 [1].' }, { content: 'Reported on 30 November.' });

    const first = await client.messages.create(request);
    assert.deepEqual(first.content.map((b) => b.type), ['server_tool_use', 'web_search_tool_result', 'text']);
    assert.equal(first.content[2].citations[0].url, 'https://docs.example.com/widgets-answer');

    const second = await client.messages.create({
      ...request,
      messages: [...request.messages, { role: 'assistant', content: first.content }, { role: 'user', content: 'When was it reported?' }],
    });
    assert.equal(second.content[0].text, 'Reported on 30 November.');
    const sent = (await stack.chatRequests()).at(-1).body;
    const replayed = sent.messages.find((m) => m.role === 'tool');
    assert.match(typeof replayed.content === 'string' ? replayed.content : replayed.content.map((p) => p.text).join(''), /the answer is 42/);
  });
});

describe('Claude Code', () => {
  let stack;
  let backend;
  before(async () => {
    ({ stack, backend } = await startSearchStack());
  });
  after(async () => {
    await stack?.stop();
    await backend?.stop();
  });

  it('web search: the WebSearch tool runs through Switchboard and the answer uses a result', async () => {
    await stack.reset();
    await stack.script(
      // The agent calls WebSearch; Claude Code asks the API for the web_search server tool; the model searches,
      // then summarises; the agent answers from the tool's result.
      { toolCalls: [{ name: 'WebSearch', arguments: JSON.stringify({ query: 'widgets answer' }) }] },
      searchCall('widgets answer'),
      { content: 'Example Docs says the answer is 42 [1].' },
      { content: 'According to Example Docs, the answer is 42.' },
    );

    const run = await runClaude(stack, 'Search the web: what is the answer about widgets?', { maxTurns: 4, timeoutMs: 120_000 });

    assert.equal(run.exitCode, 0, run.describe());
    const webSearch = run.toolUses.find((b) => b.name === 'WebSearch');
    assert.ok(webSearch, run.describe());
    const result = run.toolResults.find((b) => b.tool_use_id === webSearch.id);
    const resultText = typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
    assert.match(resultText, /docs\.example\.com\/widgets-answer/, run.describe());
    assert.match(resultText, /42/, run.describe());
    assert.match(run.result.result, /42/, run.describe());

    const requests = await stack.chatRequests();
    const searchRequest = requests.find((r) => (r.body.tools ?? []).some((t) => t.function?.name === 'web_search'));
    assert.ok(searchRequest, 'Claude Code asked for the web_search tool');
    const last = requests.at(-1).body.messages;
    assert.match(JSON.stringify(last), /docs\.example\.com\/widgets-answer/);
  });
});
