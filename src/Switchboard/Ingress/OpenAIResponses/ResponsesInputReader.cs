using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIResponses;

/// <summary>
/// Reads <c>instructions</c> and <c>input</c> (a string, or items) into the system prompt and the canonical
/// conversation. <c>instructions</c>, then <c>system</c> and <c>developer</c> messages before the first other item,
/// form the system prompt; later ones become inline system turns. Calls (<c>function_call</c>,
/// <c>custom_tool_call</c>) and reasoning go into assistant turns, their outputs into user turns; consecutive
/// same-role turns merge, as the canonical model requires. A reasoning item's <c>encrypted_content</c> that opens
/// with the <see cref="ReasoningSeal"/> becomes a thinking block signed as Switchboard's own, or, when it holds an
/// upstream's signature, a block with that signature (<see cref="SignedBy.Upstream"/>); a blob that does not
/// open (another server's, or edited) is left out with a note; without a blob its text is the client's record of
/// the reasoning and goes back unsigned, as Chat Completions' <c>reasoning_content</c> does.
/// </summary>
internal sealed class ResponsesInputReader(ReasoningSeal seal, byte[] thinkingKey, ResponsesToolsReader tools, ICollection<string> notes)
{
    private readonly List<Message> _messages = [];
    private Dictionary<string, JsonElement>? _stored;
    private List<ContentBlock>? _turn;
    private Role _turnRole;
    private StringBuilder? _system;

    public string? System => _system?.ToString();

    public IReadOnlyList<Message> Messages => _messages;

    public void ReadInstructions(JsonElement root)
    {
        if (OptionalString(root, "instructions", OpenAIPath.Body) is { Length: > 0 } instructions)
        {
            _system = new StringBuilder(instructions);
        }
    }

    /// <summary>Items carried over from a stored response (<c>previous_response_id</c>): read as if sent first.</summary>
    public void ReadPrevious(IReadOnlyList<JsonElement> items)
    {
        foreach (var item in items)
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                (_stored ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[id.GetString()!] = item;
            }
        }

        ReadItems(items, OpenAIPath.Root("previous_response_id"));
    }

    public void ReadItems(IEnumerable<JsonElement> items, in OpenAIPath path)
    {
        var index = 0;
        foreach (var item in items)
        {
            ReadItem(item, path.Item(index));
            index++;
        }
    }

    public void ReadInput(JsonElement root, bool required)
    {
        if (!TryGet(root, "input", out var input))
        {
            if (required && _messages.Count == 0 && _turn is null)
            {
                throw Missing("input");
            }

            return;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            Append(Role.User, new TextBlock(input.GetString()!));
            return;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("input", "one of a string or array of objects", input);
        }

        ReadItems(input.EnumerateArray(), OpenAIPath.Root("input"));
    }

    /// <summary>The conversation, with the last turn closed.</summary>
    public IReadOnlyList<Message> Finish()
    {
        if (_turn is not null)
        {
            _messages.Add(new Message(_turnRole, _turn));
            _turn = null;
        }

        return _messages;
    }

    private void ReadItem(JsonElement item, in OpenAIPath at)
    {
        ExpectObject(item, at);
        if (!TryGet(item, "type", out var type))
        {
            // An "easy" message: {role, content}.
            ReadMessage(item, at);
            return;
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            throw WrongType(at.Name("type"), "a string", type);
        }

        if (type.ValueEquals("message"u8))
        {
            ReadMessage(item, at);
        }
        else if (type.ValueEquals("function_call"u8))
        {
            var name = CallName(item, at);
            Append(Role.Assistant, new ToolUseBlock(RequiredString(item, "call_id", at), name, Arguments(item, at)));
        }
        else if (type.ValueEquals("custom_tool_call"u8))
        {
            var name = CallName(item, at);
            Append(Role.Assistant, new ToolUseBlock(RequiredString(item, "call_id", at), name, WrapFreeform(RequiredString(item, "input", at))));
        }
        else if (type.ValueEquals("function_call_output"u8) || type.ValueEquals("custom_tool_call_output"u8))
        {
            var content = new List<ContentBlock>(1);
            ReadOutput(Required(item, "output", at), at.Child("output"), content);
            Append(Role.User, new ToolResultBlock(RequiredString(item, "call_id", at), content, IsError: false));
        }
        else if (type.ValueEquals("reasoning"u8))
        {
            ReadReasoning(item, at);
        }
        else if (type.ValueEquals("additional_tools"u8))
        {
            if (!TryGetArray(item, "tools", at, out var list))
            {
                throw Missing(at.Name("tools"));
            }

            tools.ReadArray(list, at.Child("tools"));
        }
        else if (type.ValueEquals("item_reference"u8))
        {
            // An item of the stored conversation this request continues can be named by its id.
            if (OptionalString(item, "id", at) is { } id && _stored is not null && _stored.TryGetValue(id, out var stored))
            {
                ReadItem(stored, at);
                return;
            }

            throw Invalid(at.ToString(),
                $"Invalid '{at}': item_reference needs a stored response; send the item itself, or continue with 'previous_response_id'.", "unsupported_value");
        }
        else if (type.ValueEquals("compaction"u8) || type.ValueEquals("compaction_trigger"u8))
        {
            throw Unsupported(at.Name("type"), $"Invalid '{at.Name("type")}': server-side compaction is not supported; send the conversation's items.");
        }
        else
        {
            // A hosted tool's call or output (web_search_call, local_shell_call …): no tool behind Switchboard made it,
            // and the model was not offered it.
            notes.Add($"{at}: '{Clip(type.GetString()!)}' item left out (hosted tools are not available)");
        }
    }

    private void ReadMessage(JsonElement item, in OpenAIPath at)
    {
        var role = Required(item, "role", at);
        if (role.ValueKind != JsonValueKind.String)
        {
            throw WrongType(at.Name("role"), "a string", role);
        }

        var content = Required(item, "content", at);
        if (role.ValueEquals("user"u8))
        {
            var blocks = new List<ContentBlock>(1);
            ReadContent(content, at, blocks, assistant: false);
            Append(Role.User, blocks);
        }
        else if (role.ValueEquals("assistant"u8))
        {
            var blocks = new List<ContentBlock>(1);
            ReadContent(content, at, blocks, assistant: true);
            Append(Role.Assistant, blocks);
        }
        else if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
        {
            var text = ReadText(content, at);
            if (_turn is null && _messages.Count == 0)
            {
                _system = _system is null ? new StringBuilder(text) : _system.Append("\n\n").Append(text);
            }
            else
            {
                Append(Role.System, new TextBlock(text));
            }
        }
        else
        {
            throw BadValue(at.Name("role"), role, "'user', 'assistant', 'system', and 'developer'");
        }
    }

    /// <summary>A message's <c>content</c>: a string or parts.</summary>
    private static void ReadContent(JsonElement content, in OpenAIPath at, List<ContentBlock> into, bool assistant)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(content.GetString()!));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(at.Name("content"), "one of a string or array of objects", content);
        }

        ReadParts(content, at.Child("content"), into, assistant);
    }

    private static void ReadParts(JsonElement parts, in OpenAIPath path, List<ContentBlock> into, bool assistant)
    {
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var at = path.Item(index);
            ExpectObject(part, at);
            var type = RequiredType(part, at);
            if (type.ValueEquals("input_text"u8) || type.ValueEquals("output_text"u8) || type.ValueEquals("text"u8))
            {
                into.Add(new TextBlock(RequiredString(part, "text", at)));
            }
            else if (type.ValueEquals("refusal"u8))
            {
                into.Add(new TextBlock(RequiredString(part, "refusal", at)));
            }
            else if (type.ValueEquals("input_image"u8) && !assistant)
            {
                into.Add(ReadImage(part, at));
            }
            else if (type.ValueEquals("input_file"u8) && !assistant)
            {
                into.Add(ReadFile(part, at));
            }
            else
            {
                throw BadValue(at.Name("type"), type,
                    assistant ? "'output_text', 'refusal', and 'input_text'" : "'input_text', 'input_image', and 'input_file'");
            }

            index++;
        }
    }

    /// <summary>System and developer messages: text only, parts joined with newlines.</summary>
    private static string ReadText(JsonElement content, in OpenAIPath at)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(at.Name("content"), "one of a string or array of objects", content);
        }

        var blocks = new List<ContentBlock>(1);
        var parts = at.Child("content");
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = parts.Item(index);
            ExpectObject(part, partAt);
            var type = RequiredType(part, partAt);
            if (!type.ValueEquals("input_text"u8) && !type.ValueEquals("text"u8) && !type.ValueEquals("output_text"u8))
            {
                throw BadValue(partAt.Name("type"), type, "'input_text'");
            }

            blocks.Add(new TextBlock(RequiredString(part, "text", partAt)));
            index++;
        }

        return blocks.Count == 1 ? ((TextBlock)blocks[0]).Text : string.Join('\n', blocks.Select(block => ((TextBlock)block).Text));
    }

    /// <summary>A tool's output: a string, or <c>input_text</c> / <c>input_image</c> / <c>input_file</c> parts.</summary>
    private static void ReadOutput(JsonElement output, in OpenAIPath at, List<ContentBlock> into)
    {
        if (output.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextBlock(output.GetString()!));
        }
        else if (output.ValueKind == JsonValueKind.Array)
        {
            ReadParts(output, at, into, assistant: false);
        }
        else
        {
            throw WrongType(at.ToString(), "one of a string or array of objects", output);
        }
    }

    /// <summary><c>input_image</c>: an http(s) URL or a base64 data URI; a Files API <c>file_id</c> cannot be resolved.</summary>
    private static ImageBlock ReadImage(JsonElement part, in OpenAIPath at)
    {
        if (OptionalString(part, "image_url", at) is not { } url)
        {
            if (TryGet(part, "file_id", out _))
            {
                throw Unsupported(at.Name("file_id"),
                    $"Invalid '{at.Name("file_id")}': uploaded files are not available through Switchboard; send the image as 'image_url' (a URL or a data URI).");
            }

            throw Missing(at.Name("image_url"));
        }

        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Invalid(at.Name("image_url"),
                    $"Invalid '{at.Name("image_url")}': expected an http(s) URL or a base64 data URI (data:image/png;base64,…).", "invalid_value");
            }

            return new ImageBlock(null, null, url);
        }

        return DataUri(url, out var mediaType, out var data)
            ? new ImageBlock(mediaType, data, null)
            : throw Invalid(at.Name("image_url"),
                $"Invalid '{at.Name("image_url")}': a data URI must be base64 with a media type (data:image/png;base64,…).", "invalid_value");
    }

    /// <summary>
    /// <c>input_file</c>: a text file given inline (<c>file_data</c> as a <c>text/*</c> data URI, or base64 with a
    /// text file name) becomes its text; an inline PDF or a <c>file_url</c> (fetched, and refused unless it is a PDF)
    /// becomes a document block (its text is extracted per upstream); anything else (a <c>file_id</c>) is refused,
    /// naming the part: the models behind Switchboard cannot read it, and leaving it out would answer another question.
    /// </summary>
    private static ContentBlock ReadFile(JsonElement part, in OpenAIPath at)
    {
        var name = OptionalString(part, "filename", at);
        if (OptionalString(part, "file_data", at) is { } data)
        {
            string? text = null;
            if (data.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                if (DataUri(data, out var mediaType, out var base64) && IsTextType(mediaType))
                {
                    text = Decode(base64);
                }
                else if (mediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase))
                {
                    // The Messages door's document block: the lowering step extracts its text per upstream.
                    return new PdfSource(base64, null, name, null, at.ToString())
                        .ToMessagesBlock($"Invalid content part '{at}': PDF documents are not supported by this model.");
                }
            }
            else if (name is not null && name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
            {
                return new PdfSource(data, null, name, null, at.ToString())
                    .ToMessagesBlock($"Invalid content part '{at}': PDF documents are not supported by this model.");
            }
            else if (name is not null && IsTextName(name))
            {
                text = Decode(data);
            }

            if (text is not null)
            {
                return new TextBlock(name is null ? text : $"<file name=\"{name}\">\n{text}\n</file>");
            }
        }

        // A PDF by URL: Switchboard fetches it for an upstream that cannot (docs/DOCUMENTS.md); anything but a PDF
        // found there is refused then.
        if (OptionalString(part, "file_url", at) is { } fileUrl)
        {
            return new PdfSource(null, fileUrl, name, null, at.ToString())
                .ToMessagesBlock($"Invalid content part '{at}': PDF documents are not supported by this model.");
        }

        throw Unsupported(at.ToString(),
            $"Invalid content part '{at}': file inputs (type 'input_file') other than inline text files and PDFs are not supported by the models Switchboard serves; send the document's text as an 'input_text' part.");
    }

    private static bool IsTextType(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] TextExtensions = [".txt", ".md", ".csv", ".json", ".xml", ".html", ".yaml", ".yml", ".log", ".py", ".cs", ".js", ".ts"];

    private static bool IsTextName(string name) => TextExtensions.Any(extension => name.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    private static string? Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary><c>data:&lt;media type&gt;;base64,&lt;data&gt;</c></summary>
    private static bool DataUri(string uri, out string mediaType, out string data)
    {
        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? "" : uri.AsSpan(5, comma - 5);
        const string Base64Marker = ";base64";
        if (comma < 0 || !header.EndsWith(Base64Marker, StringComparison.OrdinalIgnoreCase) || header.Length == Base64Marker.Length)
        {
            mediaType = data = "";
            return false;
        }

        mediaType = header[..^Base64Marker.Length].ToString();
        data = uri[(comma + 1)..];
        return true;
    }

    /// <summary>A call's canonical tool name: flat <c>&lt;namespace&gt;__&lt;name&gt;</c> for a namespace member.</summary>
    private static string CallName(JsonElement item, in OpenAIPath at)
    {
        var name = RequiredString(item, "name", at);
        return OptionalString(item, "namespace", at) is { Length: > 0 } group ? $"{group}__{name}" : name;
    }

    /// <summary>
    /// <c>arguments</c>: a JSON object encoded as a string; empty is <c>{}</c>; anything that is not an object is
    /// refused rather than passed on as other input.
    /// </summary>
    private static string Arguments(JsonElement item, in OpenAIPath at)
    {
        var arguments = RequiredString(item, "arguments", at);
        var trimmed = arguments.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return "{}";
        }

        if (trimmed[0] != '{' || trimmed[^1] != '}')
        {
            throw Invalid(at.Name("arguments"), $"Invalid '{at.Name("arguments")}': expected a JSON object encoded as a string.", "invalid_value");
        }

        return arguments;
    }

    /// <summary>A freeform call's text as the canonical input the model produced it in: <c>{"input": text}</c>.</summary>
    internal static string WrapFreeform(string input)
    {
        var buffer = new ArrayBufferWriter<byte>(input.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, ClientJson.Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("input"u8, input);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void ReadReasoning(JsonElement item, in OpenAIPath at)
    {
        if (OptionalString(item, "encrypted_content", at) is { } blob)
        {
            if (seal.OpenReasoning(blob) is { UpstreamSignature: { } signature } signed)
            {
                // The upstream's own signature: it goes back only to an upstream that checks such signatures.
                Append(Role.Assistant, new ThinkingBlock(signed.Thinking, signature) { SignedBy = SignedBy.Upstream });
            }
            else if (seal.Open(blob) is { } thinking)
            {
                Append(Role.Assistant, new ThinkingBlock(thinking, ThinkingSignature.Sign(thinkingKey, thinking)));
            }
            else
            {
                notes.Add($"{at}: encrypted_content is not Switchboard's (another server's, or edited); the reasoning item is left out");
            }

            return;
        }

        // No blob: the client's copy of the reasoning text (raw content first, else the summary).
        var text = JoinTexts(item, "content", "reasoning_text", at) ?? JoinTexts(item, "summary", "summary_text", at);
        if (!string.IsNullOrEmpty(text))
        {
            Append(Role.Assistant, new ThinkingBlock(text, "") { Unsigned = true });
        }
    }

    private static string? JoinTexts(JsonElement item, string field, string partType, in OpenAIPath at)
    {
        if (!TryGetArray(item, field, at, out var parts) || parts.GetArrayLength() == 0)
        {
            return null;
        }

        var joined = new StringBuilder();
        var path = at.Child(field);
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partAt = path.Item(index);
            ExpectObject(part, partAt);
            var type = RequiredType(part, partAt);
            if (!type.ValueEquals(partType) && !type.ValueEquals("text"u8))
            {
                throw BadValue(partAt.Name("type"), type, $"'{partType}'");
            }

            if (joined.Length > 0)
            {
                joined.Append("\n\n");
            }

            joined.Append(RequiredString(part, "text", partAt));
            index++;
        }

        return joined.ToString();
    }

    private void Append(Role role, ContentBlock block)
    {
        if (_turn is not null && role == _turnRole)
        {
            _turn.Add(block);
            return;
        }

        Close();
        _turn = [block];
        _turnRole = role;
    }

    private void Append(Role role, List<ContentBlock> blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }

        if (_turn is not null && role == _turnRole)
        {
            _turn.AddRange(blocks);
            return;
        }

        Close();
        _turn = blocks;
        _turnRole = role;
    }

    private void Close()
    {
        if (_turn is not null)
        {
            _messages.Add(new Message(_turnRole, _turn));
            _turn = null;
        }
    }
}
