using Microsoft.Extensions.Logging;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Warning lines for failures while reading an upstream's answer: the kind and the upstream's name, no stack trace.</summary>
internal static partial class ErrorLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} failed mid-answer: {Kind}")]
    public static partial void FailedMidAnswer(ILogger logger, string upstream, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} sent an error in its answer: {Body}")]
    public static partial void ErrorInAnswer(ILogger logger, string upstream, string body);
}
