// Claude Code (the real CLI, non-interactive) against Switchboard and the scripted fake upstream. The upstream plays
// the model; Claude Code runs the tools for real in a throwaway working directory. Each case checks what Claude
// Code did and reported (files on disk, tool results, its final result and token usage) and what reached the
// upstream.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, runClaude } from './lib/claude.js';
import { startStack } from './lib/stack.js';
import { assistantMessages, fakeTokenCount, promptText, toolMessages } from './lib/upstream.js';

// Claude Code's stall watchdog on a gateway (ANTHROPIC_BASE_URL) watches the response bytes: any bytes, pings
// included, reset it, and it aborts the stream with "Stream idle timeout - no chunks received". It waits 300 s by
// default; CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS sets it, clamped to 10 s .. 30 min (CLAUDE_STREAM_IDLE_TIMEOUT_MS can
// only raise it above 300 s). With CLAUDE_CODE_MAX_RETRIES=0 the abort is final instead of retried.
const WATCHDOG_MS = 10_000;
const CASE_TIMEOUT = { timeout: 120_000 };

describe('Claude Code', () => {
  let stack;
  before(async () => {
    // Pings every 2 s against the shortened 10 s watchdog below: a wide margin even on a loaded CI machine (the
    // default 5 s interval is meant for Claude Code's real 300 s watchdog).
    stack = await startStack({ fakeArgs: ['--max-model-len', '200000'], switchboardArgs: ['--Switchboard:Streaming:PingIntervalSeconds=2'] });
  });
  after(async () => {
    await stack?.stop();
  });

  it('files: writes a file with Write, then reads it back with Read', CASE_TIMEOUT, async () => {
    await stack.reset();
    const workspace = makeWorkspace();
    const path = join(workspace.cwd, 'notes', 'hello.txt');
    const content = 'Switchboard wrote this line.\nAnd this one.\n';
    await stack.script(
      { content: 'I will write the file.', toolCalls: [{ name: 'Write', arguments: JSON.stringify({ file_path: path, content }) }], usage: { promptTokens: 11000, completionTokens: 40 } },
      { toolCalls: [{ name: 'Read', arguments: JSON.stringify({ file_path: path }) }], usage: { promptTokens: 11200, completionTokens: 25, cachedTokens: 10000 } },
      { content: 'The file holds two lines.', usage: { promptTokens: 11400, completionTokens: 7, cachedTokens: 11000 } },
    );

    const run = await runClaude(stack, 'Write notes/hello.txt, then read it back.', { workspace });

    assertSucceeded(run, 'The file holds two lines.');
    assert.equal(readFileSync(path, 'utf8'), content, 'the file on disk');
    assert.deepEqual(run.toolUses.map((t) => [t.name, t.input.file_path]), [['Write', path], ['Read', path]]);
    assert.deepEqual(run.toolUses[0].input, { file_path: path, content });
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 3);
    const readResult = toolMessages(requests[2].body)[run.toolUses[1].id];
    assert.match(readResult, /Switchboard wrote this line\./, 'the Read result reached the model');
    assert.match(readResult, /And this one\./);
    // Anthropic usage: input_tokens excludes cache reads; Claude Code adds the turns up.
    assertUsage(run, { input: 1000 + 11200 + 400, cacheRead: 21000, output: 72 });
  });

  it('tools: runs a shell command with Bash and reports its output', CASE_TIMEOUT, async () => {
    await stack.reset();
    await stack.script(
      { content: 'Running it.', toolCalls: [{ name: 'Bash', arguments: JSON.stringify({ command: 'echo "marker-$((6 * 7))"', description: 'Print the marker' }) }], usage: { promptTokens: 9000, completionTokens: 31 } },
      { content: 'The command printed marker-42.', usage: { promptTokens: 9100, completionTokens: 8, cachedTokens: 8960 } },
    );

    const run = await runClaude(stack, 'Run the marker command and tell me what it printed.');

    assertSucceeded(run, 'The command printed marker-42.');
    assert.equal(run.toolUses.length, 1);
    assert.deepEqual(run.toolUses[0].input, { command: 'echo "marker-$((6 * 7))"', description: 'Print the marker' });
    assert.equal(toolResultText(run, run.toolUses[0].id).trim(), 'marker-42', 'Claude Code ran the command');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    assert.equal(toolMessages(requests[1].body)[run.toolUses[0].id].trim(), 'marker-42', 'the output reached the model');
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.tool_calls[0].function.name, 'Bash');
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), run.toolUses[0].input);
    assertUsage(run, { input: 9000 + 140, cacheRead: 8960, output: 39 });
  });

  it('thinking: the model\'s reasoning reaches Claude Code as a signed thinking block', CASE_TIMEOUT, async () => {
    await stack.reset();
    const reasoning = 'The user wants a greeting. A short one will do, no tools needed.';
    await stack.script(
      { reasoning, content: 'Hello there!', chunkSize: 6, toolCalls: [{ name: 'Bash', arguments: '{"command":"true","description":"noop"}' }], usage: { promptTokens: 8000, completionTokens: 60 } },
      { reasoning: 'Done, say so.', content: 'Greeting sent.', usage: { promptTokens: 8100, completionTokens: 12 } },
    );

    const run = await runClaude(stack, 'Greet me.');

    assertSucceeded(run, 'Greeting sent.');
    const thinking = run.assistantBlocks.filter((b) => b.type === 'thinking');
    assert.deepEqual(thinking.map((b) => b.thinking), [reasoning, 'Done, say so.']);
    for (const block of thinking) {
      assert.ok(typeof block.signature === 'string' && block.signature.length >= 16, `signed: ${JSON.stringify(block)}`);
    }
    assert.deepEqual(run.assistantBlocks.map((b) => b.type), ['thinking', 'text', 'tool_use', 'thinking', 'text']);
    // Claude Code replays the thinking with the next request; Switchboard hands it back to the model.
    const requests = await stack.chatRequests();
    assert.equal(assistantMessages(requests[1].body)[0].reasoning_content, reasoning);
    assertUsage(run, { input: 16100, cacheRead: 0, output: 72 });
  });

  it('tools: two tools in one turn (their calls streamed interleaved)', CASE_TIMEOUT, async () => {
    await stack.reset();
    const workspace = makeWorkspace();
    const path = join(workspace.cwd, 'two.txt');
    await stack.script(
      {
        content: 'Doing both at once.',
        interleaveToolCalls: true,
        chunkSize: 5,
        usage: { promptTokens: 11500, completionTokens: 44 },
        toolCalls: [
          { name: 'Bash', arguments: JSON.stringify({ command: 'echo one > one.txt && echo wrote-one', description: 'Write one.txt' }) },
          { name: 'Write', arguments: JSON.stringify({ file_path: path, content: 'two\n' }) },
        ],
      },
      { content: 'Both files are written.', usage: { promptTokens: 12000, completionTokens: 5 } },
    );

    const run = await runClaude(stack, 'Create one.txt and two.txt.', { workspace });

    assertSucceeded(run, 'Both files are written.');
    assert.equal(readFileSync(join(workspace.cwd, 'one.txt'), 'utf8'), 'one\n');
    assert.equal(readFileSync(path, 'utf8'), 'two\n');
    assert.deepEqual(run.toolUses.map((t) => t.name), ['Bash', 'Write']);
    assert.equal(new Set(run.toolUses.map((t) => t.id)).size, 2);
    assert.equal(toolResultText(run, run.toolUses[0].id).trim(), 'wrote-one');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    const [assistant] = assistantMessages(requests[1].body);
    assert.deepEqual(assistant.tool_calls.map((c) => c.function.name), ['Bash', 'Write']);
    assert.deepEqual(Object.keys(toolMessages(requests[1].body)).sort(), run.toolUses.map((t) => t.id).sort());
    assertUsage(run, { input: 11500 + 12000, cacheRead: 0, output: 44 + 5 });
  });

  it('liveness: pings keep the stream alive while the upstream is silent for longer than the stall watchdog', CASE_TIMEOUT, async () => {
    await stack.reset();
    await stack.script({ firstTokenDelayMs: WATCHDOG_MS + 5_000, content: 'Worth the wait.' });

    const run = await runClaude(stack, 'Think hard, then answer.', { env: watchdogEnv(), timeoutMs: 60_000 });

    assertSucceeded(run, 'Worth the wait.');
    assert.ok(run.elapsedMs > WATCHDOG_MS + 5_000, `the answer came after the silence (${run.elapsedMs} ms)`);
    const requests = await stack.chatRequests();
    assert.deepEqual(requests.map((r) => r.outcome), ['completed'], 'one request, not aborted by the watchdog and retried');
  });

  it('liveness (control): without pings the same silence trips Claude Code\'s watchdog', CASE_TIMEOUT, async () => {
    const silent = await startStack({ fakeArgs: ['--max-model-len', '200000'], switchboardArgs: ['--Switchboard:Streaming:PingIntervalSeconds=3600'] });
    try {
      await silent.reset();
      await silent.script({ firstTokenDelayMs: WATCHDOG_MS + 5_000, content: 'Worth the wait.' });

      const run = await runClaude(silent, 'Think hard, then answer.', { env: watchdogEnv(), timeoutMs: 60_000 });

      assert.equal(run.exitCode, 1, run.describe());
      assert.equal(run.result?.is_error, true, run.describe());
      assert.equal(run.result.result, 'API Error: Stream idle timeout - no chunks received', run.describe());
      assert.deepEqual((await silent.chatRequests()).map((r) => r.outcome), ['clientAborted'], 'Claude Code hung up before the answer');
    } finally {
      await silent.stop();
    }
  });

  for (const kind of ['errorEvent', 'abort']) {
    it(`retries: the upstream fails mid-stream once (${kind === 'abort' ? 'connection dropped' : 'error chunk'}) and Claude Code's retry succeeds`, CASE_TIMEOUT, async () => {
      await stack.reset();
      await stack.script(
        { firstTokenDelayMs: 700, content: 'Never sent.', midStreamFailure: { afterChunks: 0, kind, message: 'engine core died unexpectedly' } },
        { content: 'Second time lucky.', usage: { promptTokens: 12345, completionTokens: 6 } },
      );

      const run = await runClaude(stack, 'Say something.');

      assertSucceeded(run, 'Second time lucky.');
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => [r.body.stream, r.outcome]), [[true, kind === 'abort' ? 'serverAborted' : 'completed'], [true, 'completed']],
        'the retry is a second streaming request');
      assert.deepEqual(requests[1].body.messages, requests[0].body.messages, 'the same turn, sent again');
      assert.ok(/POST \/v1\/messages 200 .*error=overloaded_error/.test(stack.switchboardLog()), 'the first stream ended with an error event');
      // Claude Code also counts the failed attempt's message_start: 1 output token, and Switchboard's estimate of the
      // prompt (a streamed start carries the estimate; the exact count comes with the final usage, which that
      // attempt never reached), close to the server's own count.
      const usage = run.result.usage;
      assert.equal(usage.output_tokens, 6 + 1, `usage ${JSON.stringify(usage)}`);
      assert.equal(usage.cache_read_input_tokens, 0);
      const failedStart = usage.input_tokens - 12345;
      const counted = fakeTokenCount(requests[0].body);
      assert.ok(Math.abs(failedStart - counted) <= counted / 4, `the failed attempt's start counted ${failedStart} tokens, the server ${counted}`);
    });
  }

  it('context: a prompt over the model\'s context window makes Claude Code compact and carry on', CASE_TIMEOUT, async () => {
    await stack.reset();
    const limit = 14_000;
    await stack.script(
      { content: 'Listing them.', toolCalls: [{ name: 'Bash', arguments: JSON.stringify({ command: 'seq 1 4000', description: 'Print the numbers' }) }] },
      // The next request carries the long tool output: over this window, the upstream refuses it in vLLM's words.
      { contextLimit: { tokens: limit, flavor: 'vllm' }, content: 'Not this time.' },
      { content: '<summary>The user asked for the numbers 1 to 4000; seq printed them.</summary>' },
      { content: 'All 4000 numbers are printed.' },
    );

    const run = await runClaude(stack, 'Print the numbers 1 to 4000.', { maxTurns: 6 });

    assertSucceeded(run, 'All 4000 numbers are printed.');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 4, 'tool turn, refused turn, compaction, the turn again');
    const refusedTokens = fakeTokenCount(requests[1].body);
    assert.ok(refusedTokens > limit, `the refused prompt is over the window (${refusedTokens} tokens)`);
    assert.ok(/POST \/v1\/messages 400 .*error=invalid_request_error/.test(stack.switchboardLog()), 'Switchboard answered the refused turn with a 400');
    const boundary = run.events.find((e) => e.type === 'system' && e.subtype === 'compact_boundary');
    assert.ok(boundary, 'Claude Code compacted the conversation');
    assert.equal(boundary.compact_metadata.trigger, 'auto');
    assert.ok(boundary.compact_metadata.pre_tokens > limit, `Claude Code saw the conversation over the window: ${JSON.stringify(boundary)}`);
    assert.match(promptText(requests[2].body), /summary/i, 'the third request asks the model for a summary');
    assert.match(promptText(requests[3].body), /seq printed them/, 'the conversation goes on from the summary');
    assert.ok(!promptText(requests[3].body).includes('\n3999\n'), 'without the long tool output');
  });
});

/** Claude Code ran to a successful end with this final text. */
function assertSucceeded(run, text) {
  assert.ok(!run.timedOut, `timed out:\n${run.describe()}`);
  assert.equal(run.exitCode, 0, run.describe());
  assert.equal(run.result?.subtype, 'success', run.describe());
  assert.equal(run.result.is_error, false, run.describe());
  assert.equal(run.result.result, text, run.describe());
}

/** Claude Code's total usage, added up over the turns, equals what the upstream reported. */
function assertUsage(run, { input, cacheRead, output }) {
  const usage = run.result.usage;
  assert.deepEqual(
    { input: usage.input_tokens, cacheRead: usage.cache_read_input_tokens, output: usage.output_tokens },
    { input, cacheRead, output },
    `usage ${JSON.stringify(usage)}`);
}

function toolResultText(run, toolUseId) {
  const result = run.toolResults.find((r) => r.tool_use_id === toolUseId);
  assert.ok(result, `a tool_result for ${toolUseId}`);
  return typeof result.content === 'string' ? result.content : result.content.map((c) => c.text ?? '').join('');
}

function watchdogEnv() {
  return { CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS: String(WATCHDOG_MS), CLAUDE_CODE_MAX_RETRIES: '0' };
}

