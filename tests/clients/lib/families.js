// Open-weight model families as a model server without reasoning or tool parsers answers for them: the markup stays
// in `content`. Each family has a model name that picks its profile in Switchboard (no other setting), and writes
// its raw turns from the family's documented format. Switchboard must turn them into thinking, text and tool_use.

/** Values of a tool input written as the XML families write them: bare text. */
const bare = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

export const families = [
  {
    profile: 'gpt-oss',
    model: 'gpt-oss-120b',
    thinks: true,
    // Harmony: analysis is thinking, a commentary message without a recipient is text, a recipient is a call.
    toolTurn: ({ reasoning, text, name, input }) =>
      `<|channel|>analysis<|message|>${reasoning}<|end|>`
      + `<|start|>assistant<|channel|>commentary<|message|>${text}<|end|>`
      + `<|start|>assistant<|channel|>commentary to=functions.${name} <|constrain|>json<|message|>${JSON.stringify(input)}<|call|>`,
    finalTurn: ({ reasoning, text }) =>
      `<|channel|>analysis<|message|>${reasoning}<|end|><|start|>assistant<|channel|>final<|message|>${text}<|return|>`,
    // vLLM reads earlier reasoning from `reasoning`, llama.cpp from `reasoning_content`.
    history: ({ reasoning, text }) => ({ content: text, reasoning_content: reasoning, reasoning }),
  },
  {
    profile: 'qwen3-coder',
    model: 'Qwen3-Coder-30B-A3B-Instruct',
    thinks: false,
    toolTurn: ({ text, name, input }) =>
      `${text}\n<tool_call>\n<function=${name}>\n`
      + Object.entries(input).map(([key, value]) => `<parameter=${key}>\n${bare(value)}\n</parameter>\n`).join('')
      + '</function>\n</tool_call>',
    finalTurn: ({ text }) => text,
    history: ({ text }) => ({ content: text }),
  },
  {
    profile: 'minimax-m2',
    model: 'MiniMax-M2.7',
    thinks: true,
    // The chat template opens <think> in the prompt: the answer starts inside thinking and only closes it.
    toolTurn: ({ reasoning, text, name, input }) =>
      `${reasoning}</think>\n\n${text}\n<minimax:tool_call>\n<invoke name="${name}">\n`
      + Object.entries(input).map(([key, value]) => `<parameter name="${key}">${bare(value)}</parameter>\n`).join('')
      + '</invoke>\n</minimax:tool_call>',
    finalTurn: ({ reasoning, text }) => `${reasoning}</think>\n\n${text}`,
    // MiniMax's interleaved thinking goes back inline, as the template reads it.
    history: ({ reasoning, text }) => ({ content: `<think>\n${reasoning}\n</think>\n\n${text}` }),
  },
];

/**
 * Switchboard flags for one model per family, each named so that its name picks the family's profile, as
 * `Models:first` onwards (to leave lower indexes to other models).
 */
export function familyModelArgs(first = 0) {
  return families.flatMap((family, i) => [`--Switchboard:Models:${first + i}:Name=${family.model}`]);
}

/** The profile Switchboard chose for a model, from its models list. */
export async function profileOf(stack, model) {
  const response = await fetch(`${stack.baseUrl}/v1/models/${encodeURIComponent(model)}`, { headers: { 'x-api-key': stack.apiKey } });
  if (!response.ok) throw new Error(`GET /v1/models/${model}: HTTP ${response.status}`);
  return (await response.json()).switchboard?.profile;
}
