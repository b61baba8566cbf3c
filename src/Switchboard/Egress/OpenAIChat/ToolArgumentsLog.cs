using Microsoft.Extensions.Logging;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>Log lines about tool-call arguments; they name the upstream and the tool, never the arguments' text.</summary>
internal static partial class ToolArgumentsLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} sent tool-call arguments that were not a JSON object; they were repaired into one")]
    public static partial void Repaired(ILogger logger, string upstream);
}
