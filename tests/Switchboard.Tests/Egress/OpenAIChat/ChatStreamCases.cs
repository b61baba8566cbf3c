using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat.Profiles;

namespace Switchboard.Tests.Egress.OpenAIChat;

/// <summary>Streamed bodies in the shapes real model servers send, with what each must become.</summary>
internal static class ChatStreamCases
{
    public sealed record Case(
        string Sse,
        string[] Expected,
        Usage? Usage = null,
        string? Error = null,
        bool ThinkTags = false,
        string[]? Stops = null)
    {
        public IContentParser NewParser() => ThinkTags ? new ThinkTagParser() : new PlainContentParser();
    }

    public static readonly Dictionary<string, Case> All = new()
    {
        ["vllm reasoning_content, usage-only last chunk, data after [DONE]"] = new(
            """
            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"reasoning_content":"The user greets"},"logprobs":null,"finish_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"reasoning_content":" me in French: café ☕."},"logprobs":null,"finish_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":" ! Ça va ? 👋"},"logprobs":null,"finish_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

            data: {"id":"chatcmpl-9f2","object":"chat.completion.chunk","created":1730000000,"model":"Qwen/Qwen3-8B","choices":[],"usage":{"prompt_tokens":1200,"total_tokens":1230,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":1024}}}

            data: [DONE]

            data: {"choices":[{"index":0,"delta":{"content":"after done"},"finish_reason":null}]}


            """,
            ["thinking: The user greets me in French: café ☕.", "text: Bonjour ! Ça va ? 👋", "stop: EndTurn"],
            Usage: new Usage(176, 30, 1024, 0)),

        ["llama.cpp reasoning, escaped unicode, tool call, usage with finish"] = new(
            """
            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":"Need the weather"}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Checking M\u00fcnchen \ud83c\udf24\n"}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"tool_calls":[{"index":0,"id":"Xz1pQ","type":"function","function":{"name":"get_weather","arguments":"{"}}]}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"city\": \"M\u00fcnchen\"}"}}]}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":"tool_calls","index":0,"delta":{}}],"created":1730000001,"id":"chatcmpl-Ab1","model":"gpt-3.5-turbo","system_fingerprint":"b6100-3f1c2a","object":"chat.completion.chunk","usage":{"completion_tokens":42,"prompt_tokens":310,"total_tokens":352},"timings":{"prompt_n":310,"prompt_ms":120.5,"predicted_n":42,"predicted_ms":800.1}}

            data: [DONE]


            """,
            ["thinking: Need the weather", "text: Checking München 🌤\n", "tool toolu_Xz1pQ get_weather: {\"city\": \"München\"}", "stop: ToolUse"],
            Usage: new Usage(310, 42, 0, 0)),

        ["ollama reasoning and two complete tool calls in one chunk"] = new(
            """
            data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1730000002,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Two lookups."},"finish_reason":null}]}

            data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1730000002,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_k1","index":0,"type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_k2","index":1,"type":"function","function":{"name":"get_time","arguments":"{\"zone\":\"CET\"}"}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1730000002,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"tool_calls"}]}

            data: {"id":"chatcmpl-412","object":"chat.completion.chunk","created":1730000002,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":88,"completion_tokens":21,"total_tokens":109}}

            data: [DONE]


            """,
            ["thinking: Two lookups.", "tool toolu_call_k1 get_weather: {\"city\":\"Paris\"}", "tool toolu_call_k2 get_time: {\"zone\":\"CET\"}", "stop: ToolUse"],
            Usage: new Usage(88, 21, 0, 0)),

        ["interleaved argument fragments of two calls"] = new(
            """
            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"chatcmpl-tool-a","type":"function","function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"chatcmpl-tool-b","type":"function","function":{"name":"list_dir","arguments":""}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\": "}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"dir\": "}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"a.txt\"}"}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\"src\"}"}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-7","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """,
            ["tool toolu_chatcmpl-tool-a read_file: {\"path\": \"a.txt\"}", "tool toolu_chatcmpl-tool-b list_dir: {\"dir\": \"src\"}", "stop: ToolUse"]),

        ["calls without index: a new id starts a call, no id continues"] = new(
            """
            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_1","type":"function","function":{"name":"add","arguments":"{\"x\":"}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_2","type":"function","function":{"name":"now","arguments":"{}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}


            """,
            ["tool toolu_call_1 add: {\"x\":1}", "tool toolu_call_2 now: {}", "stop: ToolUse"]),

        ["no [DONE], no finish reason, no usage, last event cut off"] = new(
            """
            data: {"choices":[{"index":0,"delta":{"content":"The connection"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" just closes."}}]}

            data: {"choices":[{"index":0,"delta":{"content":" cut off mid-ev
            """,
            ["text: The connection just closes.", "stop: EndTurn"],
            Usage: new Usage(0, 7, 0, 0)),

        ["error chunk mid-stream"] = new(
            """
            data: {"id":"chatcmpl-e","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Partial"},"finish_reason":null}]}

            data: {"error": {"object": "error", "message": "The engine loop has stopped.", "type": "InternalServerError", "param": null, "code": 500}}

            data: {"id":"chatcmpl-e","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" never read"},"finish_reason":null}]}


            """,
            [],
            Error: "Api: Upstream 'vllm-a' failed (HTTP 500): The engine loop has stopped."),

        ["think tags split across chunks"] = new(
            """
            data: {"choices":[{"index":0,"delta":{"content":"<th"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"ink>\nI should"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" answer in Gree"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"k.</thi"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"nk>\n\nΓειά σου"}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]


            """,
            ["thinking: I should answer in Greek.", "text: Γειά σου", "stop: EndTurn"],
            ThinkTags: true),

        ["hosted provider: CRLF, comments, other events, junk data, length, DeepSeek cache hits"] = new(
            """
            : OPENROUTER PROCESSING

            : OPENROUTER PROCESSING

            event: status
            data: {"choices":[{"index":0,"delta":{"content":"not a chunk"}}]}

            data:

            data: not json at all

            data: {"id":"gen-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Once upon"},"finish_reason":null}]}

            data: {"id":"gen-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" a time"},"finish_reason":"length"}],"usage":{"prompt_tokens":50,"completion_tokens":16,"total_tokens":66,"prompt_cache_hit_tokens":32,"prompt_cache_miss_tokens":18}}

            data: [DONE]


            """.ReplaceLineEndings("\r\n"),
            ["text: Once upon a time", "stop: MaxTokens"],
            Usage: new Usage(18, 16, 32, 0)),

        ["vllm stop string in stop_reason"] = new(
            """
            data: {"choices":[{"index":0,"delta":{"content":"1, 2, 3"},"logprobs":null,"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":"\n\nEND"}]}

            data: [DONE]


            """,
            ["text: 1, 2, 3", "stop: StopSequence \n\nEND"],
            Stops: ["\n\nEND"]),

        ["one chunk carries reasoning, content, a tool call, the finish and usage"] = new(
            """
            data: {"choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"index":0,"id":"call_z","type":"function","function":{"name":"search","arguments":{"q":"ç"}}}],"content":"Let me look.","reasoning_content":"Plan."}}],"usage":{"prompt_tokens":9,"completion_tokens":5}}

            data: [DONE]


            """,
            ["thinking: Plan.", "text: Let me look.", "tool toolu_call_z search: {\"q\":\"ç\"}", "stop: ToolUse"],
            Usage: new Usage(9, 5, 0, 0)),
    };

    public static TheoryData<string> Names => [.. All.Keys];
}
