using System.Text.Json;
using Switchboard.Canonical;

namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Writes the blocks of tools Switchboard runs itself as the Messages API shows them: <c>server_tool_use</c>,
/// <c>web_search_tool_result</c> (results or a <c>web_search_tool_result_error</c>) and a text block's
/// <c>web_search_result_location</c> citations. Shared by the message body and the stream.
/// </summary>
public static class ServerToolBlockWriter
{
    /// <summary>The whole block object; <paramref name="emptyInput"/> writes <c>input: {}</c> (a stream sends it as a delta).</summary>
    public static void Write(Utf8JsonWriter w, ContentBlock block, bool emptyInput = false)
    {
        switch (block)
        {
            case ServerToolUseBlock call:
                w.WriteStartObject();
                w.WriteString("type"u8, "server_tool_use"u8);
                w.WriteString("id"u8, call.Id);
                w.WriteString("name"u8, call.Name);
                w.WritePropertyName("input"u8);
                if (emptyInput)
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteRawValue(call.InputJson);
                }

                w.WriteEndObject();
                break;
            case WebSearchResultBlock result:
                w.WriteStartObject();
                w.WriteString("type"u8, "web_search_tool_result"u8);
                w.WriteString("tool_use_id"u8, result.ToolUseId);
                if (result.ErrorCode is { } code)
                {
                    w.WriteStartObject("content"u8);
                    w.WriteString("type"u8, "web_search_tool_result_error"u8);
                    w.WriteString("error_code"u8, code);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteStartArray("content"u8);
                    foreach (var hit in result.Hits)
                    {
                        w.WriteStartObject();
                        w.WriteString("type"u8, "web_search_result"u8);
                        w.WriteString("url"u8, hit.Url);
                        w.WriteString("title"u8, hit.Title);
                        w.WriteString("encrypted_content"u8, hit.EncryptedContent);
                        w.WriteString("page_age"u8, hit.PageAge);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                break;
            case WebFetchResultBlock fetched:
                w.WriteStartObject();
                w.WriteString("type"u8, "web_fetch_tool_result"u8);
                w.WriteString("tool_use_id"u8, fetched.ToolUseId);
                w.WriteStartObject("content"u8);
                if (fetched.ErrorCode is { } fetchError)
                {
                    w.WriteString("type"u8, "web_fetch_tool_result_error"u8);
                    w.WriteString("error_code"u8, fetchError);
                }
                else
                {
                    w.WriteString("type"u8, "web_fetch_result"u8);
                    w.WriteString("url"u8, fetched.Url);
                    w.WriteString("retrieved_at"u8, fetched.RetrievedAt);
                    w.WriteStartObject("content"u8);
                    w.WriteString("type"u8, "document"u8);
                    w.WriteStartObject("source"u8);
                    w.WriteString("type"u8, "text"u8);
                    w.WriteString("media_type"u8, "text/plain"u8);
                    w.WriteString("data"u8, fetched.Text);
                    w.WriteEndObject();
                    w.WriteString("title"u8, fetched.Title);
                    w.WriteNull("citations"u8);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    public static void WriteCitation(Utf8JsonWriter w, WebSearchCitation citation)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "web_search_result_location"u8);
        w.WriteString("url"u8, citation.Url);
        w.WriteString("title"u8, citation.Title);
        w.WriteString("encrypted_index"u8, citation.EncryptedIndex);
        w.WriteString("cited_text"u8, citation.CitedText);
        w.WriteEndObject();
    }

    /// <summary>A text block with its citations (the message body).</summary>
    public static void WriteCitedText(Utf8JsonWriter w, CitedTextBlock block)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, block.Text);
        w.WriteStartArray("citations"u8);
        foreach (var citation in block.Citations)
        {
            WriteCitation(w, citation);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
