using System.Text.Json;

namespace Switchboard.Canonical;

/// <summary>
/// Optional companion of <see cref="IMessageStreamSink"/> for a front door that returns token log probabilities
/// (OpenAI's <c>logprobs.content</c> entries). A sink that does not implement it never sees them, and an upstream
/// reader does not even parse them. Entries are relayed as the upstream sent them, in its order, never invented;
/// they are not aligned with the text deltas (a model profile may hold back or rewrite text), so a sink relays them
/// with the next text it writes, or on their own.
/// </summary>
public interface ILogprobsSink
{
    /// <summary>
    /// One upstream chunk's entries: a JSON array of token entries (<c>token</c>, <c>logprob</c>, <c>bytes</c>,
    /// <c>top_logprobs</c>), owned by the caller's parse and safe to keep.
    /// </summary>
    void OnLogprobs(JsonElement entries);
}
