namespace Switchboard.Configuration;

/// <summary>Settings of the OpenAI Chat Completions door (<c>/v1/chat/completions</c>).</summary>
public sealed class ChatCompletionsOptions
{
    /// <summary>
    /// Also write thinking as <c>reasoning</c> (current vLLM's and Ollama's field) beside <c>reasoning_content</c>
    /// (DeepSeek's, SGLang's and llama.cpp's, read by LangChain and the AI SDK). Off by default: every client
    /// studied reads <c>reasoning_content</c>, and the copy doubles the reasoning bytes.
    /// </summary>
    public bool AlsoSendReasoning { get; set; }

    /// <summary>
    /// Send the usage chunk at the end of every stream, as if each client had asked with
    /// <c>stream_options.include_usage</c> (vLLM's <c>--enable-force-include-usage</c>). Every SDK tolerates it.
    /// </summary>
    public bool AlwaysIncludeUsage { get; set; }
}
