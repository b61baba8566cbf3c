// The Codex CLI (the real binary, `codex exec`) against Switchboard's Responses door and the scripted fake upstream.
// Codex streams every turn, sends store:false and replays the whole conversation (its reasoning items with their
// encrypted_content included) on every request. The upstream plays the model; Codex runs the commands for real in a
// throwaway working directory. Each case checks what Codex did and printed (its JSONL events, files on disk) and what
// reached the upstream.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { codexMissing, makeWorkspace, runCodex } from './lib/codex.js';
import { families, familyModelArgs, profileOf } from './lib/families.js';
import { createKey, startStack } from './lib/stack.js';
import { assistantMessages, promptText, toolMessages } from './lib/upstream.js';

const CASE = { timeout: 120_000, skip: codexMissing };
// Shown in Codex's events whichever form the door gives the reasoning (summary or raw reasoning text).
const SHOW_REASONING = { extra: 'show_raw_agent_reasoning = true\nhide_agent_reasoning = false\n' };

describe('Codex CLI', () => {
  let stack;
  before(async () => {
    if (codexMissing) return;
    // Keep-alive events every second, for the liveness case's shortened idle timeout.
    stack = await startStack({ fakeArgs: ['--max-model-len', '200000'], switchboardArgs: ['--Switchboard:Streaming:PingIntervalSeconds=1', ...familyModelArgs(1)] });
  });
  after(async () => {
    await stack?.stop();
  });

  it('text: codex exec prints the model\'s answer and its token usage', CASE, async () => {
    await stack.reset();
    await stack.script({ content: 'Hello from the model behind Switchboard.', chunkSize: 5, usage: { promptTokens: 4321, completionTokens: 9 } });

    const run = await runCodex(stack, stack.model, 'Say hello.');

    assertSucceeded(run, 'Hello from the model behind Switchboard.');
    assert.equal(run.usage?.input_tokens, 4321, `Codex's token count is the upstream's: ${JSON.stringify(run.usage)}`);
    assert.equal(run.usage?.output_tokens, 9);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 1, 'one request, no retry');
    const [request] = requests;
    assert.equal(request.body.model, stack.model);
    assert.equal(request.body.stream, true);
    assert.match(promptText(request.body), /Say hello\./, 'the prompt reached the model');
    assert.match(promptText(request.body), /Codex/, 'Codex\'s developer instructions reached the model');
    const tools = (request.body.tools ?? []).map((t) => t.function?.name);
    assert.ok(tools.includes('exec_command'), `exec_command offered: ${tools}`);
    assert.ok(!tools.includes('web_search') && (request.body.tools ?? []).every((t) => t.type === 'function'), `no hosted tool reaches the model: ${tools}`);
    assert.ok(tools.some((name) => /close_agent/.test(name ?? '')), `the namespaced tools offered under a flat name: ${tools}`);
  });

  it('tools: runs a shell command through exec_command and continues with its output', CASE, async () => {
    await stack.reset();
    const workspace = makeWorkspace();
    const cmd = 'echo "marker-$((6 * 7))" > proof.txt && cat proof.txt';
    await stack.script(
      { content: 'Running it.', toolCalls: [{ name: 'exec_command', arguments: JSON.stringify({ cmd }) }], usage: { promptTokens: 9000, completionTokens: 31 } },
      { content: 'The command printed marker-42.', chunkSize: 4, usage: { promptTokens: 9100, completionTokens: 8 } },
    );

    const run = await runCodex(stack, stack.model, 'Run the marker command and tell me what it printed.', { workspace });

    assertSucceeded(run, 'The command printed marker-42.');
    assert.equal(readFileSync(join(workspace.cwd, 'proof.txt'), 'utf8'), 'marker-42\n', 'the command ran in the working directory');
    assert.equal(run.commands.length, 1, run.describe());
    assert.match(run.commands[0].command, /marker-\$\(\(6 \* 7\)\)/);
    assert.equal(run.commands[0].exit_code, 0);
    assert.match(run.commands[0].aggregated_output, /marker-42/);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, run.describe());
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.tool_calls?.length, 1, JSON.stringify(requests[1].body.messages));
    assert.equal(assistant.tool_calls[0].function.name, 'exec_command');
    assert.deepEqual(JSON.parse(assistant.tool_calls[0].function.arguments), { cmd });
    assert.match(toolMessages(requests[1].body)[assistant.tool_calls[0].id] ?? '', /marker-42/, 'the command\'s output reached the model');
    assert.deepEqual([run.usage?.input_tokens, run.usage?.output_tokens], [9000 + 9100, 31 + 8], 'Codex adds up both requests');
  });

  it('tools: a multi-step task, two commands one after the other, each answer built on the last', CASE, async () => {
    await stack.reset();
    const workspace = makeWorkspace({ 'numbers.txt': '3\n4\n5\n' });
    await stack.script(
      { reasoning: 'Sum the numbers first.', content: 'Summing.', toolCalls: [{ name: 'exec_command', arguments: JSON.stringify({ cmd: "awk '{ s += $1 } END { print s }' numbers.txt > sum.txt && cat sum.txt" }) }] },
      { reasoning: 'Now square it.', toolCalls: [{ name: 'exec_command', arguments: JSON.stringify({ cmd: 'echo "$(( $(cat sum.txt) ** 2 ))" > square.txt && cat square.txt' }) }] },
      { content: 'The sum is 12 and its square is 144.' },
    );

    const run = await runCodex(stack, stack.model, 'Sum numbers.txt, then square the sum.', { workspace, config: SHOW_REASONING });

    assertSucceeded(run, 'The sum is 12 and its square is 144.');
    assert.equal(readFileSync(join(workspace.cwd, 'square.txt'), 'utf8'), '144\n');
    assert.deepEqual(run.commands.map((c) => [c.exit_code, c.aggregated_output.trim()]), [[0, '12'], [0, '144']]);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 3, run.describe());
    const last = requests[2].body;
    assert.deepEqual(assistantMessages(last).map((m) => m.reasoning_content ?? m.reasoning), ['Sum the numbers first.', 'Now square it.'], 'both steps\' reasoning replayed');
    assert.deepEqual(Object.values(toolMessages(last)).map((output) => /(\d+)\s*$/.exec(output)?.[1]), ['12', '144'], 'both outputs, in order');
  });

  it('reasoning: Codex shows the model\'s reasoning and replays it, and the model gets it back on the next request', CASE, async () => {
    await stack.reset();
    const reasoning = 'The user wants the date. One shell command will do: date.';
    await stack.script(
      { reasoning, content: 'Checking the date.', chunkSize: 6, toolCalls: [{ name: 'exec_command', arguments: JSON.stringify({ cmd: 'echo 2026-12-01' }) }] },
      { reasoning: 'It printed the date; report it.', content: 'Today is 2026-12-01.' },
    );

    const run = await runCodex(stack, stack.model, 'What is the date?', { config: SHOW_REASONING });

    assertSucceeded(run, 'Today is 2026-12-01.');
    assert.ok(run.reasoning.some((text) => text.includes(reasoning)), `the reasoning reached Codex: ${JSON.stringify(run.reasoning)}`);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, run.describe());
    // store:false: the only way the earlier reasoning can come back is Codex's replayed reasoning item.
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.reasoning_content ?? assistant.reasoning, reasoning, `the replayed reasoning reached the model: ${JSON.stringify(assistant)}`);
    assert.match(toolMessages(requests[1].body)[assistant.tool_calls?.[0]?.id] ?? '', /2026-12-01/);
  });

  it('tools: a call to a namespaced tool reaches Codex with its namespace, so Codex dispatches it', CASE, async () => {
    await stack.reset();
    // Switchboard offers multi_agent_v1's tools under flat names (namespace__name) and splits the model's call back
    // into namespace + name, which Codex needs: a flat name gets "unsupported call" as its output.
    await stack.script(
      { toolCalls: [{ name: 'multi_agent_v1__close_agent', arguments: JSON.stringify({ target: 'no-such-agent' }) }] },
      { content: 'There was no agent to close.' },
    );

    const run = await runCodex(stack, stack.model, 'Close the helper agent.');

    assertSucceeded(run, 'There was no agent to close.');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, run.describe());
    assert.ok(requests[0].body.tools.some((t) => t.function?.name === 'multi_agent_v1__close_agent'), 'offered under the flat name');
    const [assistant] = assistantMessages(requests[1].body);
    assert.equal(assistant.tool_calls?.[0]?.function.name, 'multi_agent_v1__close_agent', 'the replayed call flattened again for the model');
    const output = toolMessages(requests[1].body)[assistant.tool_calls[0].id] ?? '';
    assert.match(output, /no-such-agent/, 'close_agent itself answered, about the agent it was asked to close');
    assert.doesNotMatch(output, /unsupported call/, `Codex dispatched the call to its tool: ${output}`);
  });

  it('reasoning: the next user turn (codex exec resume) replays the first turn\'s reasoning and answer to the model', CASE, async () => {
    await stack.reset();
    const workspace = makeWorkspace();
    const reasoning = 'Six times seven is forty-two; no tool needed.';
    await stack.script({ reasoning, content: 'It is 42.' }, { content: 'Yes, 42.' });

    const first = await runCodex(stack, stack.model, 'What is 6 * 7?', { workspace, keepSession: true, config: SHOW_REASONING });
    assertSucceeded(first, 'It is 42.');
    const second = await runCodex(stack, stack.model, 'Are you sure?', { workspace, resume: true, config: SHOW_REASONING });

    assertSucceeded(second, 'Yes, 42.');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, second.describe());
    assert.match(promptText(requests[1].body), /What is 6 \* 7\?[\s\S]*Are you sure\?/, 'both user turns reached the model, in order');
    const assistants = assistantMessages(requests[1].body);
    assert.deepEqual(assistants.map((m) => [m.content, m.reasoning_content ?? m.reasoning]), [['It is 42.', reasoning]],
      'the first turn\'s answer and reasoning, from Codex\'s replayed items (store:false)');
  });

  it('liveness: keep-alive events hold Codex\'s stream open while the upstream is silent for longer than its idle timeout', CASE, async () => {
    await stack.reset();
    await stack.script({ firstTokenDelayMs: 7_000, content: 'Worth the wait.' });

    // Codex gives up on a stream that sends no event for stream_idle_timeout_ms (300 s by default; 3 s here).
    const run = await runCodex(stack, stack.model, 'Think hard, then answer.', { config: { idleTimeoutMs: 3_000, streamRetries: 0 } });

    assertSucceeded(run, 'Worth the wait.');
    assert.ok(run.elapsedMs > 7_000, `the answer came after the silence (${run.elapsedMs} ms)`);
    assert.deepEqual((await stack.chatRequests()).map((r) => r.outcome), ['completed'], 'one request, not abandoned and retried');
  });

  it('liveness (control): without keep-alive events the same silence trips Codex\'s idle timeout', CASE, async () => {
    const silent = await startStack({ switchboardArgs: ['--Switchboard:Streaming:PingIntervalSeconds=3600'] });
    try {
      await silent.reset();
      await silent.script({ firstTokenDelayMs: 7_000, content: 'Worth the wait.' });

      const run = await runCodex(silent, silent.model, 'Think hard, then answer.', { config: { idleTimeoutMs: 3_000, streamRetries: 0 } });

      assert.notEqual(run.exitCode, 0, run.describe());
      assert.match(run.describe(), /idle timeout/i);
      assert.deepEqual((await silent.chatRequests()).map((r) => r.outcome), ['clientAborted'], 'Codex hung up before the answer');
    } finally {
      await silent.stop();
    }
  });

  it('retries: an upstream 429 with retry-after makes Codex wait that long and try again', CASE, async () => {
    await stack.reset();
    await stack.script({ error: { status: 429, message: 'Too many requests', retryAfter: '3' } }, { content: 'Made it on the second try.' });

    const run = await runCodex(stack, stack.model, 'Say something.', { config: { requestRetries: 3 } });

    // Codex reports its retry as an error event ("Reconnecting... 1/1 (…429…)") and then carries on.
    assertSucceeded(run, 'Made it on the second try.', { reconnects: 1 });
    assert.match(run.errors[0].message, /429/);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, `Codex retried once: ${run.describe()}`);
    assert.ok(run.elapsedMs >= 3000, `Codex waited for retry-after (${run.elapsedMs} ms)`);
  });

  it('errors: an upstream that fails every time ends Codex\'s turn after a few requests, not thirty', CASE, async () => {
    await stack.reset();
    // Every request: the model server drops the connection before answering (as one that is down or restarting).
    await stack.scriptDefault({ fault: { kind: 'resetBeforeHeaders' } });

    // Codex's own retry settings: a 500 or 502 is retried by its transport and again by its turn loop (30 requests
    // in about 26 s); 503 with code server_is_overloaded stops after the transport's retries.
    const run = await runCodex(stack, stack.model, 'Say something.', { config: { requestRetries: null, streamRetries: null } });

    assert.notEqual(run.exitCode, 0, run.describe());
    assert.equal(run.timedOut, false, run.describe());
    const requests = await stack.chatRequests();
    assert.ok(requests.length >= 1 && requests.length <= 6, `${requests.length} requests reached the upstream: ${run.describe()}`);
    assert.ok(!run.errors.some((e) => e.message?.includes(stack.fakeRoot)), 'no upstream address in what Codex shows');
  });

  for (const family of families.filter((f) => f.profile === 'gpt-oss' || f.profile === 'qwen3-coder')) {
    it(`model families: ${family.profile} raw markup reaches Codex as an answer${family.thinks ? ' with reasoning' : ''} (model ${family.model})`, CASE, async () => {
      await stack.reset();
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const turn = { reasoning: 'A greeting is all that is asked.', text: 'Hello from an open-weight model.' };
      await stack.script({ content: family.finalTurn(turn), chunkSize: 7 });

      const run = await runCodex(stack, family.model, 'Say hello.', { config: SHOW_REASONING });

      assertSucceeded(run, turn.text);
      assert.deepEqual(run.messages, [turn.text], 'no markup in the answer');
      assert.equal(run.reasoning.some((text) => text.includes(turn.reasoning)), family.thinks, `reasoning: ${JSON.stringify(run.reasoning)}`);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model]);
    });

    it(`model families: ${family.profile} raw tool markup runs a command through exec_command (model ${family.model})`, CASE, async () => {
      await stack.reset();
      const workspace = makeWorkspace();
      const cmd = 'echo family-proof > proof.txt && cat proof.txt';
      const reasoning = 'Write the proof file with one command.';
      await stack.script(
        { content: family.toolTurn({ reasoning, text: 'Writing it.', name: 'exec_command', input: { cmd } }), chunkSize: 5 },
        { content: family.finalTurn({ reasoning: 'It ran.', text: 'The proof file is written.' }) },
      );

      const run = await runCodex(stack, family.model, 'Write the proof file.', { workspace, config: SHOW_REASONING });

      assertSucceeded(run, 'The proof file is written.');
      assert.equal(readFileSync(join(workspace.cwd, 'proof.txt'), 'utf8'), 'family-proof\n');
      assert.equal(run.commands.length, 1, run.describe());
      assert.ok(!run.messages.some((m) => /<tool_call>|<\|channel\|>|<function=/.test(m)), `no markup in Codex's messages: ${JSON.stringify(run.messages)}`);
      const requests = await stack.chatRequests();
      assert.equal(requests.length, 2, run.describe());
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
      const [assistant] = assistantMessages(requests[1].body);
      assert.deepEqual(assistant.tool_calls?.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['exec_command', { cmd }]],
        JSON.stringify(requests[1].body.messages));
      assert.match(toolMessages(requests[1].body)[assistant.tool_calls[0].id] ?? '', /family-proof/, 'the output reached the model');
      // Codex replays the reasoning item; Switchboard gives the thinking back to the model as the family reads it.
      assert.deepEqual(
        { content: assistant.content, reasoning_content: assistant.reasoning_content, reasoning: assistant.reasoning },
        { content: undefined, reasoning_content: undefined, reasoning: undefined, ...family.history({ reasoning, text: 'Writing it.' }) });
    });
  }

  // Last: once a stored key exists, every request needs a key (the other cases use the stack's configured one).
  it('keys: Codex with a stored key, its turn metered in the key\'s usage with the upstream\'s token counts', CASE, async () => {
    await stack.reset();
    const key = createKey(stack, 'codex-user');
    await stack.script(
      { toolCalls: [{ name: 'exec_command', arguments: JSON.stringify({ cmd: 'echo metered' }) }], usage: { promptTokens: 7000, completionTokens: 20 } },
      { content: 'Metered.', usage: { promptTokens: 7100, completionTokens: 3 } },
    );

    const run = await runCodex(stack, stack.model, 'Run it.', { apiKey: key });

    assertSucceeded(run, 'Metered.');
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2, run.describe());
    // The ledger is written behind the requests.
    let usage;
    for (let waited = 0; waited < 5000; waited += 200) {
      const response = await fetch(`${stack.baseUrl}/v1/usage`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(response.status, 200);
      usage = await response.json();
      if (usage.total?.requests >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual([usage.total.requests, usage.total.input_tokens, usage.total.output_tokens], [2, 7000 + 7100, 20 + 3], JSON.stringify(usage));
  });
});

function assertSucceeded(run, finalText, { reconnects = 0 } = {}) {
  assert.equal(run.timedOut, false, run.describe());
  assert.equal(run.exitCode, 0, run.describe());
  assert.equal(run.errors.length, reconnects, run.describe());
  assert.ok(run.errors.every((e) => /^Reconnecting/.test(e.message ?? '')), run.describe());
  assert.equal(run.messages.at(-1), finalText, run.describe());
}
