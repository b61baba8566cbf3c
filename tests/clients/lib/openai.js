// The set-up both OpenAI TypeScript SDK files (Chat Completions: openai-sdk.test.js; Responses:
// openai-responses.test.js) share: the stack they run on, clients of it, and reading a rejected call.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { familyModelArgs } from './families.js';
import { startStack } from './stack.js';

/** A client of the stack's OpenAI doors, with the SDK's own retries off unless `options` turns them on. */
export function openAIClient(stack, apiKey = stack.apiKey, options = {}) {
  return new OpenAI({ baseURL: `${stack.baseUrl}/v1`, apiKey, maxRetries: 0, ...options });
}

/**
 * The stack: fake-model answering to its own name and gpt-* only (not the quickstart's catch-all, so an unknown name
 * is a 404), and one model per open-weight family (`familyModelArgs(1)`); with a client holding the stack's key.
 */
export async function startOpenAIStack() {
  const stack = await startStack({ switchboardArgs: ['--Switchboard:Models:0:Aliases:0=gpt-*', ...familyModelArgs(1)] });
  return { stack, client: openAIClient(stack) };
}

/** The error a call that must fail fails with. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

/** An error's class and message, for assertion messages. */
export function describeError(error) {
  return `${error?.constructor?.name}: ${error?.message}`;
}
