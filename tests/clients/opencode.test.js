// opencode (the real agent CLI, `opencode run`) against Switchboard's Chat Completions door, configured as a custom
// OpenAI-compatible provider. The fake upstream plays the model; opencode runs the tools for real in a throwaway
// working directory. Each case checks what opencode did (files on disk, tool results, its events) and what reached
// the upstream, including open-weight families whose raw markup Switchboard turns into tool calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { families, familyModelArgs, profileOf } from './lib/families.js';
import { makeWorkspace, opencodeMissing, runOpencode } from './lib/opencode.js';
import { startStack } from './lib/stack.js';
import { assistantMessages, toolMessages } from './lib/upstream.js';

const CASE_TIMEOUT = { timeout: 90_000 };

describe('opencode', { skip: opencodeMissing }, () => {
  let stack;
  let home;
  before(async () => {
    stack = await startStack({ switchboardArgs: familyModelArgs(1) });
    home = makeWorkspace().home;
  });
  after(async () => {
    await stack?.stop();
  });

  it('files: writes a file with its write tool, shows the reasoning, and finishes with the answer', CASE_TIMEOUT, async () => {
    await stack.reset();
    const workspace = makeWorkspace(home);
    const path = join(workspace.cwd, 'hello.txt');
    const content = 'Switchboard wrote this line.\n';
    const reasoning = 'The user wants hello.txt: the write tool.';
    await stack.script(
      { reasoning, content: 'Writing it.', chunkSize: 4, toolCalls: [{ name: 'write', arguments: JSON.stringify({ filePath: path, content }) }] },
      { content: 'Wrote hello.txt.', chunkSize: 4 },
    );

    const run = await runOpencode(stack, 'fake-model', 'Write hello.txt.', { workspace });

    assert.equal(run.exitCode, 0, run.describe());
    assert.deepEqual(run.errors, [], run.describe());
    assert.equal(readFileSync(path, 'utf8'), content, 'the file on disk');
    assert.deepEqual(run.tools.map((t) => [t.tool, t.status, t.input]), [['write', 'completed', { filePath: path, content }]], run.describe());
    assert.deepEqual(run.reasoning, [reasoning]);
    assert.deepEqual(run.texts, ['Writing it.', 'Wrote hello.txt.']);
    assert.deepEqual(run.finishes, ['tool-calls', 'stop']);
    const requests = await stack.chatRequests();
    assert.equal(requests.length, 2);
    assert.equal(requests[0].body.stream, true);
    const [assistant] = assistantMessages(requests[1].body);
    assert.deepEqual(assistant.tool_calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['write', { filePath: path, content }]]);
    assert.equal(assistant.reasoning_content, reasoning, 'the reasoning went back with the tool call');
    assert.match(toolMessages(requests[1].body)[assistant.tool_calls[0].id] ?? '', /successfully/i, 'the write result reached the model, paired with its call');
  });

  for (const family of families) {
    const what = family.thinks ? 'reasoning and a bash call' : 'a bash call';
    it(`model families: ${family.profile} raw markup becomes ${what} that opencode runs (model ${family.model})`, CASE_TIMEOUT, async () => {
      await stack.reset();
      assert.equal(await profileOf(stack, family.model), family.profile, 'the model name alone picks the profile');
      const input = { command: 'echo "marker-$((6 * 7))"', description: 'Print the marker' };
      const reasoning = 'A shell command prints the marker.';
      await stack.script(
        { content: family.toolTurn({ reasoning, text: 'Running it.', name: 'bash', input }), chunkSize: 5 },
        { content: family.finalTurn({ reasoning: 'It printed 42.', text: 'The marker is marker-42.' }), chunkSize: 5 },
      );

      const run = await runOpencode(stack, family.model, 'Print the marker.', { workspace: makeWorkspace(home) });

      assert.equal(run.exitCode, 0, run.describe());
      assert.deepEqual(run.errors, [], run.describe());
      assert.deepEqual(run.tools.map((t) => [t.tool, t.status, t.input.command]), [['bash', 'completed', input.command]], run.describe());
      assert.match(run.tools[0].output, /marker-42/, 'bash ran');
      assert.deepEqual(run.texts, ['Running it.', 'The marker is marker-42.'], 'no markup in the text');
      assert.deepEqual(run.reasoning, family.thinks ? [reasoning, 'It printed 42.'] : []);
      const requests = await stack.chatRequests();
      assert.deepEqual(requests.map((r) => r.body.model), [family.model, family.model]);
      const [upstreamCall] = assistantMessages(requests[1].body)[0].tool_calls;
      assert.equal(upstreamCall.function.name, 'bash');
      assert.match(toolMessages(requests[1].body)[upstreamCall.id] ?? '', /marker-42/, 'the command\'s output reached the model, paired with its call');
    });
  }
});
