using Switchboard.Canonical;

namespace Switchboard.Tests.Egress.OpenAIChat.Profiles.Golden;

/// <summary>
/// Expected upstream requests for <see cref="HistoryConversation"/>, per family, without <c>tools</c> (the same for
/// every family). The foreign-signed thinking of the second assistant turn appears in none of them.
/// </summary>
internal sealed record ProfileHistoryCase(string Profile, ThinkingConfig? Thinking, string? Effort, string ExpectedJson)
{
    public static Dictionary<string, ProfileHistoryCase> All { get; } = new()
    {
        // reasoning_content; the budget becomes reasoning_effort
        ["generic"] = new("generic", new ThinkingConfig(ThinkingMode.Enabled, 8000), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "reasoning_effort": "medium"
            }
            """),
        // both reasoning fields; thinking cannot be off, so disabled is the lowest effort
        ["gpt-oss"] = new("gpt-oss", new ThinkingConfig(ThinkingMode.Disabled, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "reasoning": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "reasoning_effort": "low"
            }
            """),
        // thinking inline in the content; no controls (it always thinks, takes no effort)
        ["minimax-m2"] = new("minimax-m2", new ThinkingConfig(ThinkingMode.Adaptive, null), "high", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "<think>\nNeed the weather tool.\n</think>\n\nChecking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // reasoning_content; the enable_thinking switch
        ["qwen3"] = new("qwen3", new ThinkingConfig(ThinkingMode.Enabled, 8000), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"enable_thinking": true}
            }
            """),
        // no thinking to send back and no controls
        ["qwen3-coder"] = new("qwen3-coder", new ThinkingConfig(ThinkingMode.Adaptive, null), "medium", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // no thinking to send back and no controls
        ["hermes"] = new("hermes", null, null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // reasoning_content; thinking cannot be off and there is no control to send
        ["deepseek-r1"] = new("deepseek-r1", new ThinkingConfig(ThinkingMode.Disabled, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // reasoning_content; the template's thinking flag
        ["deepseek-v3.1"] = new("deepseek-v3.1", new ThinkingConfig(ThinkingMode.Adaptive, null), "high", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"thinking": true}
            }
            """),
        // reasoning_content; the enable_thinking switch, here off
        ["glm-4.5"] = new("glm-4.5", new ThinkingConfig(ThinkingMode.Disabled, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"enable_thinking": false}
            }
            """),
        // reasoning_content; thinking cannot be off and there is no control to send
        ["kimi-k2-thinking"] = new("kimi-k2-thinking", new ThinkingConfig(ThinkingMode.Disabled, null), "low", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "skip_special_tokens": false
            }
            """),
        // no thinking to send back and no controls
        ["llama3"] = new("llama3", new ThinkingConfig(ThinkingMode.Enabled, 2048), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // no thinking to send back; tool-call ids in the nine-character form Mistral's templates require; special tokens kept so the [TOOL_CALLS] markup survives
        ["mistral"] = new("mistral", null, "high", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "yPx3QF6Jo", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "yPx3QF6Jo", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "skip_special_tokens": false
            }
            """),
        // no thinking to send back and no controls
        ["deepseek-v3"] = new("deepseek-v3", new ThinkingConfig(ThinkingMode.Enabled, 4096), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // reasoning_content; the enable_thinking switch, here on
        ["glm-4.7"] = new("glm-4.7", new ThinkingConfig(ThinkingMode.Enabled, 4096), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"enable_thinking": true}
            }
            """),
        // reasoning_content; the template's thinking flag, here off; special tokens kept for the tool markup
        ["kimi-k2.5"] = new("kimi-k2.5", new ThinkingConfig(ThinkingMode.Disabled, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"thinking": false},
              "skip_special_tokens": false
            }
            """),
        // no thinking to send back and no controls; special tokens kept for the tool markup
        ["kimi-k2"] = new("kimi-k2", new ThinkingConfig(ThinkingMode.Enabled, 4096), "high", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "skip_special_tokens": false
            }
            """),
        // reasoning_content; the enable_thinking switch, here off
        ["qwen3.5"] = new("qwen3.5", new ThinkingConfig(ThinkingMode.Disabled, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048,
              "chat_template_kwargs": {"enable_thinking": false}
            }
            """),
        // reasoning_content; thinking cannot be off and there is no control to send
        ["qwen3-thinking"] = new("qwen3-thinking", new ThinkingConfig(ThinkingMode.Disabled, null), "low", """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // no thinking to send back and no controls
        ["qwen3-instruct"] = new("qwen3-instruct", new ThinkingConfig(ThinkingMode.Enabled, 4096), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
        // reasoning_content; thinking cannot be off and there is no control to send
        ["qwq"] = new("qwq", new ThinkingConfig(ThinkingMode.Adaptive, null), null, """
            {
              "model": "upstream-model",
              "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Need the weather tool.", "tool_calls": [{"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "toolu_01", "content": "18°C, sunny"},
                {"role": "assistant", "content": "It is 18°C and sunny."},
                {"role": "user", "content": "And tomorrow?"}
              ],
              "max_tokens": 2048
            }
            """),
    };
}
