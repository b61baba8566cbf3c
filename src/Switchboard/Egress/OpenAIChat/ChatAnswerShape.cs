namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// What a Chat Completions answer held, as far as judging its ending goes: whether any chat completion (chunk) was
/// recognised, whether any reasoning, text or tool call arrived, whether a finish reason came, and whether the
/// answer was properly terminated (<c>[DONE]</c>, or a whole non-streamed body).
/// </summary>
public readonly record struct ChatAnswerShape(bool AnyChunk, bool AnyOutput, bool Finished, bool Terminated)
{
    /// <summary>
    /// Whether the finish reason came with a field saying which stop sequence matched (vLLM, SGLang); null when no
    /// finish reason came.
    /// </summary>
    public bool? StopReported { get; init; }

    /// <summary>How the answer ended; see docs/MESSAGES_API.md, "Answers that end badly".</summary>
    public ChatAnswerEnding Ending =>
        !AnyChunk ? ChatAnswerEnding.NoAnswer
        : Finished ? ChatAnswerEnding.Complete
        : !AnyOutput ? ChatAnswerEnding.NoAnswer
        : Terminated ? ChatAnswerEnding.MissingFinishReason
        : ChatAnswerEnding.CutShort;
}

/// <summary>The verdict on how a Chat Completions answer ended.</summary>
public enum ChatAnswerEnding
{
    /// <summary>A finish reason arrived: the normal ending.</summary>
    Complete,

    /// <summary>Output and a proper end, but no finish reason: taken as <c>end_turn</c>, with a warning in the log.</summary>
    MissingFinishReason,

    /// <summary>Output, then the body just ended with neither a finish reason nor <c>[DONE]</c>: an error after the output.</summary>
    CutShort,

    /// <summary>Nothing that is a chat completion, or neither output nor a finish reason: an error, never an empty success.</summary>
    NoAnswer,
}
