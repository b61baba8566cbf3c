
namespace Switchboard.Egress;

/// <summary>Marks the time from sending an upstream request to its response headers as upstream waiting.</summary>
internal sealed class UpstreamWaitHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (UpstreamWait.Mark())
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
