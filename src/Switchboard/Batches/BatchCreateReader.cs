using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using Switchboard.Tenancy;

namespace Switchboard.Batches;

/// <summary>
/// Validates a <c>POST /v1/messages/batches</c> body as Anthropic does, before anything is stored: <c>requests</c>
/// holds 1 to <c>Batches:MaxRequests</c> items, each <c>{custom_id, params}</c> and nothing else; <c>custom_id</c> is
/// 1–64 characters of <c>[a-zA-Z0-9_-]</c>, unique in the batch; <c>params</c> is a Messages request the door's own
/// reader accepts, without <c>stream</c>. The first problem is a 400 naming its path
/// (<c>requests.3.params.messages: Field required</c>). The body is walked with a reader, one request parsed at a
/// time, so only the body itself is held; the plan keeps where each request's params sit in it.
/// </summary>
public static class BatchCreateReader
{
    public const int MaxCustomIdLength = 64;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>Reads and validates the body; throws <see cref="ApiException"/> (400) at the first problem.</summary>
    public static BatchPlan Read(ReadOnlySpan<byte> json, IFrontDoor door, int maxRequests)
    {
        ArgumentNullException.ThrowIfNull(door);
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("Request body must be a JSON object");
            }

            List<BatchPlan.Item>? items = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name != "requests")
                {
                    throw Invalid($"{Clip(name)}: Extra inputs are not permitted");
                }

                items = ReadRequests(ref reader, door, maxRequests);
            }

            if (items is null)
            {
                throw Invalid("requests: Field required");
            }

            // Anything but whitespace after the object is not JSON (the reader throws).
            reader.Read();

            return new BatchPlan(items);
        }
        catch (JsonException failure)
        {
            throw Invalid($"Request body is not valid JSON (line {failure.LineNumber + 1}, position {failure.BytePositionInLine})");
        }
    }

    private static List<BatchPlan.Item> ReadRequests(ref Utf8JsonReader reader, IFrontDoor door, int maxRequests)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw Invalid("requests: Field required");
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid("requests: Input should be a valid list");
        }

        var items = new List<BatchPlan.Item>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = items.Count;
            if (index >= maxRequests)
            {
                throw Invalid($"requests: List should have at most {maxRequests} items after validation, not more");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid($"requests.{index}: Input should be an object");
            }

            var item = ReadRequest(ref reader, door, index);
            if (seen.TryGetValue(item.CustomId, out var first))
            {
                throw Invalid($"requests.{index}.custom_id: '{item.CustomId}' is also the custom_id of requests.{first}; each custom_id must be unique within the batch");
            }

            seen.Add(item.CustomId, index);
            items.Add(item);
        }

        if (items.Count == 0)
        {
            throw Invalid("requests: List should have at least 1 item after validation, not 0");
        }

        return items;
    }

    private static BatchPlan.Item ReadRequest(ref Utf8JsonReader reader, IFrontDoor door, int index)
    {
        string? customId = null;
        var paramsStart = -1;
        var paramsLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "custom_id":
                    customId = ReadCustomId(ref reader, index);
                    break;
                case "params":
                    paramsStart = (int)reader.TokenStartIndex;
                    using (var document = JsonDocument.ParseValue(ref reader))
                    {
                        CheckParams(document.RootElement, door, index);
                    }

                    paramsLength = (int)reader.BytesConsumed - paramsStart;
                    break;
                default:
                    throw Invalid($"requests.{index}.{Clip(name)}: Extra inputs are not permitted");
            }
        }

        if (customId is null)
        {
            throw Invalid($"requests.{index}.custom_id: Field required");
        }

        if (paramsStart < 0)
        {
            throw Invalid($"requests.{index}.params: Field required");
        }

        return new BatchPlan.Item(customId, paramsStart, paramsLength);
    }

    private static string ReadCustomId(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw Invalid($"requests.{index}.custom_id: Field required");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Invalid($"requests.{index}.custom_id: Input should be a valid string");
        }

        var id = reader.GetString()!;
        if (id.Length == 0)
        {
            throw Invalid($"requests.{index}.custom_id: String should have at least 1 character");
        }

        if (id.Length > MaxCustomIdLength)
        {
            throw Invalid($"requests.{index}.custom_id: String should have at most {MaxCustomIdLength} characters");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Invalid($"requests.{index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'");
            }
        }

        return id;
    }

    /// <summary>The door's own reader, its messages re-rooted at <c>requests.N.params</c>.</summary>
    private static void CheckParams(JsonElement element, IFrontDoor door, int index)
    {
        var at = $"requests.{index}.params";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{at}: Input should be an object");
        }

        MessageRequest request;
        try
        {
            request = door.ReadRequest(element, countOnly: false, new List<string>(0));
        }
        catch (ApiException refusal) when (refusal.Error.Kind == ApiErrorKind.InvalidRequest)
        {
            throw Invalid(Rooted(at, refusal.Error.Message));
        }

        if (request.Stream)
        {
            throw Invalid($"{at}.stream: streaming is not supported in a batch; each result holds the whole message");
        }
    }

    /// <summary>A reader message names a path first (<c>messages.0.content: …</c>); it is put under the request's.</summary>
    internal static string Rooted(string at, string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !message.AsSpan(0, colon).ContainsAny(' ', '\'', '"')
            ? $"{at}.{message}"
            : $"{at}: {message}";
    }

    private static string Clip(string name) => name.Length > 64 ? name[..64] + "…" : name;

    private static ApiException Invalid(string message) => new(ApiErrorKind.InvalidRequest, message);
}

/// <summary>A validated batch: each request's <c>custom_id</c> and where its params sit in the body.</summary>
public sealed class BatchPlan(IReadOnlyList<BatchPlan.Item> items)
{
    public IReadOnlyList<Item> Items { get; } = items;

    /// <summary>The rows to store, each params' JSON text made from the body as it is written (one chunk at a time).</summary>
    public IEnumerable<BatchRequestInput> Rows(ReadOnlyMemory<byte> body)
    {
        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            yield return new BatchRequestInput(i, item.CustomId, Encoding.UTF8.GetString(body.Span.Slice(item.ParamsStart, item.ParamsLength)));
        }
    }

    public readonly record struct Item(string CustomId, int ParamsStart, int ParamsLength);
}
