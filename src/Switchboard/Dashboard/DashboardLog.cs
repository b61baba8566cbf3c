namespace Switchboard.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Dashboard: {Method} {Path} failed: the store could not be used; answered 503")]
    public static partial void StoreFailed(ILogger logger, Exception failure, string method, string path);
}
