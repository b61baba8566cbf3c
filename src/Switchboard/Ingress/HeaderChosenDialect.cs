namespace Switchboard.Ingress;

/// <summary>
/// The error dialect of a path every door shares (<c>/v1/models</c>), chosen per request: a request that carries
/// <c>anthropic-version</c> (every Anthropic SDK and Claude Code send it; Anthropic's API requires it) gets
/// Anthropic's envelope, any other (the OpenAI SDKs, curl) OpenAI's. Declared as endpoint metadata, where
/// <see cref="ErrorDialects"/> finds it.
/// </summary>
public sealed class HeaderChosenDialect(IErrorDialect anthropic, IErrorDialect openAI)
{
    public IErrorDialect For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.ContainsKey("anthropic-version") ? anthropic : openAI;
    }
}
