using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Tool-call ids in the Messages API's <c>toolu_…</c> format.</summary>
public static class ToolUseIds
{
    private const string Prefix = "toolu_";

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");

    public static string New() => Ids.New(Prefix);

    /// <summary>
    /// An Anthropic-style tool id for an upstream's call id, which comes in every shape (<c>chatcmpl-tool-…</c>,
    /// <c>call_…</c>, <c>functions.name:0</c>): prefixed with <c>toolu_</c>, characters outside
    /// <c>[A-Za-z0-9_-]</c> replaced by <c>_</c>. Deterministic, so the same upstream answer always reads the same;
    /// a missing id gets a fresh one.
    /// </summary>
    public static string From(string? upstreamId)
    {
        if (string.IsNullOrEmpty(upstreamId))
        {
            return New();
        }

        var valid = !upstreamId.AsSpan().ContainsAnyExcept(IdCharacters);
        if (valid && upstreamId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return upstreamId;
        }

        return string.Create(Prefix.Length + upstreamId.Length, upstreamId, static (span, id) =>
        {
            Prefix.CopyTo(span);
            for (var i = 0; i < id.Length; i++)
            {
                span[Prefix.Length + i] = IdCharacters.Contains(id[i]) ? id[i] : '_';
            }
        });
    }
}
