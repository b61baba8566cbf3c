namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Decisions the request reader made that are worth a log line: content it passed on in another form or left out,
/// fields it ignored. Notes name types and JSON paths only, never prompt text.
/// </summary>
public sealed class RequestReadNotes
{
    private const int MaxNameLength = 64;

    private List<string>? _items;

    public IReadOnlyList<string> Items => _items ?? (IReadOnlyList<string>)[];

    public void Add(string note) => (_items ??= []).Add(note);

    /// <summary>A client-chosen name (a block or tool type) cut to a length fit for a log line.</summary>
    internal static string Clip(string name) => name.Length <= MaxNameLength ? name : string.Concat(name.AsSpan(0, MaxNameLength), "…");
}
