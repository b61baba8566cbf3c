using System.Text.Json;
using Switchboard.Buffers;
using Switchboard.Pipeline;

namespace Switchboard.Ingress;

/// <summary>
/// A parsed request body. A small body's document reads its strings straight out of the pooled bytes it was parsed
/// from, so both are kept and released together; a large body's element owns plain memory the GC takes back.
/// </summary>
internal sealed class RequestDocument : IRequestJson
{
    private readonly JsonDocument? _document;
    private readonly BodyBuffer? _body;
    private readonly LargeBodyMemory.Scope? _large;

    public RequestDocument(JsonDocument document, BodyBuffer body)
    {
        _document = document;
        _body = body;
        RootElement = document.RootElement;
    }

    public RequestDocument(JsonElement root, LargeBodyMemory.Scope large)
    {
        RootElement = root;
        _large = large;
    }

    public JsonElement RootElement { get; }

    public void Dispose()
    {
        _document?.Dispose();
        _body?.Dispose();
        _large?.Dispose();
    }
}
