using System.Runtime.InteropServices;
using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// The client's <c>tools</c> array as sent, tied to the tool list read from it: an agent sends the same tools on
/// every turn, so an egress can key the upstream form of the list on these bytes and write it once per session.
/// </summary>
public sealed class ToolsSource(JsonElement json, IReadOnlyList<ToolDefinition> tools)
{
    /// <summary>The array's raw UTF-8 (its document must be alive: the request's is).</summary>
    public ReadOnlySpan<byte> Utf8 => JsonMarshal.GetRawUtf8Value(json);

    /// <summary>Whether <paramref name="current"/> is still the list read from these bytes, unchanged by any stage.</summary>
    public bool Describes(IReadOnlyList<ToolDefinition> current) => ReferenceEquals(current, tools);
}
