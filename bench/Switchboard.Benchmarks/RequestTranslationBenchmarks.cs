using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>Anthropic request bytes → <c>MessagesRequestReader</c> → <c>ChatRequestWriter</c> bytes.</summary>
[MemoryDiagnoser]
public class RequestTranslationBenchmarks
{
    private TranslationPaths _paths = null!;

    [GlobalSetup]
    public void Setup() => _paths = new TranslationPaths();

    [GlobalCleanup]
    public void Cleanup() => _paths.Dispose();

    [Benchmark]
    public int SmallRequest() => _paths.TranslateRequest(Fixtures.SmallRequest);

    [Benchmark]
    public int ClaudeCodeRequest() => _paths.TranslateRequest(Fixtures.ClaudeCodeRequest);

    /// <summary>The same, as a session's first turn: the tools' upstream form is not cached yet.</summary>
    [Benchmark]
    public int ClaudeCodeRequestFirstTurn()
    {
        Switchboard.Egress.OpenAIChat.ChatToolsWriter.Cache.Clear();
        return _paths.TranslateRequest(Fixtures.ClaudeCodeRequest);
    }

    /// <summary>Body bytes → text checks → parse → canonical request → token estimate → upstream body.</summary>
    [Benchmark]
    public int ClaudeCodeRequestEndToEnd() => _paths.TranslateRequestEndToEnd(Fixtures.ClaudeCodeRequest);
}
