using Switchboard.Canonical;
using Switchboard.Egress;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// Counts a request's input tokens: exactly, through the route's egress when its model server can tokenize
/// (vLLM, SGLang, llama.cpp), otherwise with <see cref="TokenEstimator"/>.
/// </summary>
public sealed class TokenCounter(UpstreamApis apis, TimeProvider? time = null)
{
    /// <summary>A tokenizer that is slower than this is not waited for; the estimate answers instead.</summary>
    private static readonly TimeSpan TokenizerDeadline = TimeSpan.FromSeconds(5);

    public async Task<TokenCount> CountAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        // A pool counts with a target that is up: a dead replica's tokenizer would only cost the wait for its failure.
        if (route.Pool is { } pool && route.Target is null)
        {
            route = pool.Preferred(route, (time ?? TimeProvider.System).GetUtcNow());
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TokenizerDeadline);
        try
        {
            if (await apis.For(route).CountTokensAsync(request, route, deadline.Token).ConfigureAwait(false) is { } exact)
            {
                return new TokenCount(exact, Exact: true);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return new TokenCount(TokenEstimator.Estimate(request), Exact: false);
    }
}

public readonly record struct TokenCount(int Tokens, bool Exact);
