using Microsoft.Extensions.Logging;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Warning lines for failures while reading an upstream's answer: the kind and the upstream's name, no stack trace.</summary>
internal static partial class ErrorLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} failed mid-answer: {Kind}")]
    public static partial void FailedMidAnswer(ILogger logger, string upstream, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} sent an error in its answer: {Reason}")]
    public static partial void ErrorInAnswer(ILogger logger, string upstream, string reason);

    /// <summary>
    /// An upstream error body, bounded and without credentials. Debug only: error bodies can quote the prompt, and
    /// prompt text is not logged by default.
    /// </summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Upstream {Upstream} error body: {Body}")]
    public static partial void ErrorBody(ILogger logger, string upstream, string body);
}
