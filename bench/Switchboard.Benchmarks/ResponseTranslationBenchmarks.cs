using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>
/// A <c>chat.completion</c> → <c>ChatResponseReader</c> → <c>StreamAssembler</c> → <c>MessageAccumulator</c> →
/// <c>AnthropicMessageWriter</c>.
/// </summary>
[MemoryDiagnoser]
public class ResponseTranslationBenchmarks
{
    private TranslationPaths _paths = null!;

    [GlobalSetup]
    public void Setup() => _paths = new TranslationPaths();

    [GlobalCleanup]
    public void Cleanup() => _paths.Dispose();

    [Benchmark]
    public int Completion() => _paths.TranslateResponse();

    /// <summary>The same answer out of the Chat Completions door.</summary>
    [Benchmark]
    public int ChatCompletion() => _paths.TranslateChatResponse();
}
