using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Routing.Pools;

/// <summary>
/// The key that keeps one conversation on one target, from what the client sends, first found: a session header
/// (Claude Code's <c>x-claude-code-session-id</c>, Codex's <c>session-id</c>, <c>x-session-id</c>; see
/// <see cref="SessionHeaders"/>), the OpenAI <c>prompt_cache_key</c>, the user (Anthropic <c>metadata.user_id</c>, which
/// Claude Code fills with its session, OpenAI <c>user</c>); else a hash of the start of the prompt (the start of the
/// system prompt and of the first message, which agent harnesses do not rewrite from turn to turn). Prefixed with the model, so two
/// models' pools place one session independently.
/// </summary>
public static class AffinityKey
{
    /// <summary>Request headers that name a session, in order of preference.</summary>
    public static readonly string[] SessionHeaders = ["x-claude-code-session-id", "session-id", "session_id", "x-session-id", "x-session-affinity"];

    /// <summary>How much of the system prompt, and of the first message, is hashed when the client names no session.</summary>
    private const int PrefixChars = 16 * 1024;

    public static ulong? Of(string model, string? sessionHeader, MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hash = StableHash.Add(StableHash.Start, model);
        if ((sessionHeader ?? PromptCacheKey(request) ?? request.UserId) is { Length: > 0 } session)
        {
            return StableHash.Mix(StableHash.Add(StableHash.Add(hash, "\ns:"), session));
        }

        // Each part has its own budget: a system prompt longer than the budget (Claude Code's is) must not crowd out
        // the first message, the part that tells one conversation from another.
        hash = StableHash.Add(hash, "\np:");
        var any = false;
        if (request.System is { Length: > 0 } system)
        {
            hash = StableHash.Add(hash, system.AsSpan(0, Math.Min(system.Length, PrefixChars)));
            any = true;
        }

        hash = StableHash.Add(hash, "\nm:");
        if (request.Messages.Count > 0)
        {
            var budget = PrefixChars;
            foreach (var block in request.Messages[0].Content)
            {
                if (budget <= 0)
                {
                    break;
                }

                if (block is TextBlock text)
                {
                    var take = Math.Min(text.Text.Length, budget);
                    hash = StableHash.Add(hash, text.Text.AsSpan(0, take));
                    budget -= take;
                    any = true;
                }
            }
        }

        return any ? StableHash.Mix(hash) : null;
    }

    /// <summary>The first session header present, or null.</summary>
    public static string? FromHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (var name in SessionHeaders)
        {
            if (header(name) is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string? PromptCacheKey(MessageRequest request)
    {
        foreach (var field in request.PassThrough)
        {
            if (field.Name == "prompt_cache_key" && field.Value.ValueKind == JsonValueKind.String)
            {
                return field.Value.GetString();
            }
        }

        return null;
    }
}
