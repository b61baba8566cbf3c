using Switchboard.Canonical;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Routing;

namespace Switchboard.Egress;

/// <summary>
/// Counts a request's input tokens: exactly, through the model server's own tokenizer and chat template when it
/// has one (vLLM, SGLang, llama.cpp), otherwise with <see cref="TokenEstimator"/>.
/// </summary>
public sealed class TokenCounter(ServerTokenizer tokenizer)
{
    /// <summary>A tokenizer that is slower than this is not waited for; the estimate answers instead.</summary>
    private static readonly TimeSpan TokenizerDeadline = TimeSpan.FromSeconds(5);

    public async Task<TokenCount> CountAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TokenizerDeadline);
        try
        {
            if (await tokenizer.CountAsync(request, route, deadline.Token).ConfigureAwait(false) is { } exact)
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
