using System.Runtime.CompilerServices;

namespace Switchboard.Egress.OpenAIChat;

/// <summary>
/// Whether an upstream says which stop sequence ended generation (vLLM's <c>stop_reason</c>, SGLang's
/// <c>matched_stop</c>, present beside every finish reason) or only says <c>"stop"</c> (llama.cpp, Ollama), which
/// cannot be told apart from the model ending its turn. Learned from each answer's finish. An upstream is trusted
/// to say until an answer shows it does not; from then on Switchboard finds the stop sequences itself rather than
/// sending them.
/// </summary>
internal static class StopReports
{
    private const int Unknown = 0;
    private const int Says = 1;
    private const int Silent = 2;

    private static readonly ConditionalWeakTable<UpstreamEndpoint, StrongBox<int>> Known = [];

    /// <summary>False once the upstream's last finish came without a field saying which stop sequence matched.</summary>
    public static bool SaysWhichMatched(UpstreamEndpoint upstream) =>
        !Known.TryGetValue(upstream, out var box) || Volatile.Read(ref box.Value) != Silent;

    /// <summary>Records what an answer's finish showed: whether it carried a stop-match field.</summary>
    public static void Observe(UpstreamEndpoint upstream, bool reported)
    {
        var box = Known.GetValue(upstream, static _ => new StrongBox<int>(Unknown));
        Volatile.Write(ref box.Value, reported ? Says : Silent);
    }
}
