namespace Switchboard.Egress.OpenAIChat.Profiles;

/// <summary>How thinking blocks of earlier assistant turns are sent back to a model.</summary>
public enum ThinkingHistory
{
    /// <summary>Not sent: the model's template does not use earlier reasoning.</summary>
    Omitted,

    /// <summary>In the assistant message's <c>reasoning_content</c> field (DeepSeek, Qwen3, GLM and most templates).</summary>
    ReasoningContentField,

    /// <summary>In the assistant message's <c>reasoning</c> field.</summary>
    ReasoningField,

    /// <summary>In both fields, for families whose servers disagree on the name (gpt-oss: vLLM reads <c>reasoning</c>, llama.cpp <c>reasoning_content</c>).</summary>
    BothReasoningFields,

    /// <summary>As <c>&lt;think&gt;…&lt;/think&gt;</c> inside the assistant's content, where the model wrote it (MiniMax M2).</summary>
    InlineThinkTags,
}
