using System.Text.Json;
using Switchboard.Pipeline;

namespace Switchboard.Ingress;

/// <summary>
/// A parsed request body. A small body's document reads its strings straight out of the pooled bytes it was parsed
/// from, so both are kept and released together; a large body's element owns plain memory the GC takes back.
/// </summary>
internal sealed class RequestDocument : IRequestJson
{
    private readonly JsonDocument? _document;
    private readonly RequestBytes _bytes;

    /// <summary>A small body: the document reads from <paramref name="bytes"/>, released with it.</summary>
    public RequestDocument(JsonDocument document, RequestBytes bytes)
    {
        _document = document;
        _bytes = bytes;
        RootElement = document.RootElement;
    }

    /// <summary>A large body: <paramref name="root"/> owns its memory; <paramref name="bytes"/> keeps the reservation.</summary>
    public RequestDocument(JsonElement root, RequestBytes bytes)
    {
        RootElement = root;
        _bytes = bytes;
    }

    public JsonElement RootElement { get; }

    public void Dispose()
    {
        _document?.Dispose();
        _bytes.Dispose();
    }
}
