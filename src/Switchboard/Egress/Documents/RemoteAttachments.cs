using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress.Web;
using Switchboard.Routing;

namespace Switchboard.Egress.Documents;

/// <summary>
/// Fetches what a request gives by URL and its upstreams cannot fetch themselves, once per request, before it is
/// sent (and before any failover attempt): a PDF <c>document</c> given by URL, when a target of the route cannot read
/// PDFs (its bytes are then put in the <see cref="PdfSource"/> and the lowering step extracts its text as for an
/// inline PDF), and http(s) image URLs, when a target of the route has <c>InlineImageUrls</c> (the image is then
/// sent as base64 data). Fetches go through <see cref="IWebFetcher"/> and its rules; a failure is a 400 naming the
/// block and the reason, never the remote server's body.
/// </summary>
public sealed partial class RemoteAttachments(IWebFetcher fetcher, WebFetchOptions options, ILogger<RemoteAttachments> logger)
{
    public async Task<MessageRequest> ResolveAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var upstreams = route.Pool is { } pool && route.Target is null
            ? pool.Targets.Select(static target => target.Upstream.Options).ToList()
            : [route.Upstream.Options];
        var pdfs = upstreams.Any(static upstream => !ReadsPdfs(upstream));
        var images = upstreams.Any(static upstream => upstream.InlineImageUrls);
        if (!pdfs && !images)
        {
            return request;
        }

        // Every URL once, all fetched together.
        var wanted = new Dictionary<string, Wanted>(StringComparer.Ordinal);
        Collect(request.Messages, pdfs, images, wanted);
        if (wanted.Count == 0)
        {
            return request;
        }

        var fetched = new Dictionary<string, Task<byte[]>>(StringComparer.Ordinal);
        foreach (var (url, want) in wanted)
        {
            fetched[url] = FetchAsync(url, want, cancellationToken);
        }

        // Failures are read per block below, so the first one's block is the one named.
        await Task.WhenAll(fetched.Values.Select(static task => (Task)task)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var messages = new List<Message>(request.Messages.Count);
        var changedImages = false;
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            messages.Add(message with { Content = Replace(message.Content, $"messages.{i}.content", fetched, ref changedImages) });
        }

        // The client's bytes no longer say what is sent when an image changed; a PDF's bytes only feed its extraction.
        return changedImages ? request with { Messages = messages, Source = null } : request with { Messages = messages };
    }

    /// <summary>An Anthropic-compatible upstream that may take PDF documents itself fetches their URLs too.</summary>
    private static bool ReadsPdfs(UpstreamOptions upstream) => upstream.Api == "anthropic" && upstream.AllowServerTools;

    private enum Wanted
    {
        Pdf,
        Image,
    }

    private static void Collect(IReadOnlyList<Message> messages, bool pdfs, bool images, Dictionary<string, Wanted> wanted)
    {
        foreach (var message in messages)
        {
            Collect(message.Content, pdfs, images, wanted);
        }
    }

    private static void Collect(IReadOnlyList<ContentBlock> content, bool pdfs, bool images, Dictionary<string, Wanted> wanted)
    {
        foreach (var block in content)
        {
            switch (block)
            {
                case RawBlock { Pdf: { Base64Data: null, Url: { } url } } when pdfs:
                    wanted.TryAdd(url, Wanted.Pdf);
                    break;
                case ImageBlock { Url: { } url } when images && IsHttp(url):
                    wanted.TryAdd(url, Wanted.Image);
                    break;
                case ToolResultBlock result:
                    Collect(result.Content, pdfs, images, wanted);
                    break;
            }
        }
    }

    private static bool IsHttp(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private async Task<byte[]> FetchAsync(string url, Wanted want, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new WebFetchException(WebFetchError.InvalidUrl, "the URL is not a valid absolute URL");
        }

        var resource = await fetcher.FetchAsync(uri, new WebFetchLimits(options.MaxBytes, TimeSpan.FromSeconds(options.TimeoutSeconds)), cancellationToken);
        var body = resource.Body.ToArray();
        if (want == Wanted.Pdf && !MediaSniffer.IsPdf(body))
        {
            throw new WebFetchException(WebFetchError.UnsupportedContent, $"the URL gave '{resource.MediaType}', not a PDF");
        }

        if (want == Wanted.Image && MediaSniffer.ImageType(body) is null)
        {
            throw new WebFetchException(WebFetchError.UnsupportedContent, $"the URL gave '{resource.MediaType}', not a PNG, JPEG, GIF or WebP image");
        }

        LogFetched(logger, uri.IdnHost, want == Wanted.Pdf ? "PDF" : "image", body.Length);
        return body;
    }

    private static List<ContentBlock> Replace(IReadOnlyList<ContentBlock> content, string at, Dictionary<string, Task<byte[]>> fetched, ref bool changedImages)
    {
        var replaced = new List<ContentBlock>(content.Count);
        for (var j = 0; j < content.Count; j++)
        {
            var block = content[j];
            switch (block)
            {
                case RawBlock { Pdf: { Base64Data: null, Url: { } url } pdf } raw when fetched.TryGetValue(url, out var task):
                    var bytes = Result(task, pdf.Location, "the PDF");
                    replaced.Add(raw with { Pdf = pdf with { Base64Data = Convert.ToBase64String(bytes) } });
                    break;
                case ImageBlock { Url: { } url } when fetched.TryGetValue(url, out var task):
                    var image = Result(task, $"{at}.{j}", "the image");
                    replaced.Add(new ImageBlock(MediaSniffer.ImageType(image), Convert.ToBase64String(image), null));
                    changedImages = true;
                    break;
                case ToolResultBlock result:
                    replaced.Add(result with { Content = Replace(result.Content, $"{at}.{j}.content", fetched, ref changedImages) });
                    break;
                default:
                    replaced.Add(block);
                    break;
            }
        }

        return replaced;
    }

    private static byte[] Result(Task<byte[]> task, string location, string what)
    {
        if (task.IsCompletedSuccessfully)
        {
            return task.Result;
        }

        var failure = task.Exception?.InnerException;
        if (failure is WebFetchException fetch)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, $"{location}: {what} could not be fetched from its URL: {fetch.Message}");
        }

        if (failure is OperationCanceledException || task.IsCanceled)
        {
            throw new OperationCanceledException();
        }

        throw failure ?? new InvalidOperationException("fetch did not complete");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched a {Kind} of {Bytes} bytes from {Host} for an upstream that cannot fetch it")]
    private static partial void LogFetched(ILogger logger, string host, string kind, int bytes);
}
