namespace Switchboard.Ingress.OpenAIChat;

/// <summary>Client-chosen names cut to a length fit for an error message or a log line.</summary>
internal static class RequestNames
{
    private const int MaxLength = 64;

    public static string Clip(string name) => name.Length <= MaxLength ? name : string.Concat(name.AsSpan(0, MaxLength), "…");
}
