using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks;

/// <summary>
/// Streamed answers: one <c>chat.completion.chunk</c> in the middle of a stream through <c>ChatChunkReader</c> and
/// <c>StreamAssembler</c> into <c>AnthropicSseWriter</c>; and a whole 300-token stream, SSE parsing included.
/// </summary>
[MemoryDiagnoser]
public class StreamTranslationBenchmarks
{
    private TranslationPaths _paths = null!;

    [GlobalSetup]
    public void Setup() => _paths = new TranslationPaths();

    [GlobalCleanup]
    public void Cleanup() => _paths.Dispose();

    [Benchmark]
    public int OneChunk() => _paths.TranslateChunk();

    [Benchmark]
    public Task<int> WholeStream300Tokens() => _paths.TranslateStreamAsync();

    /// <summary>The same stream out of the Chat Completions door.</summary>
    [Benchmark]
    public Task<int> ChatWholeStream300Tokens() => _paths.TranslateChatStreamAsync();
}
