using System.Text.Json;
using Switchboard.Routing;

namespace Switchboard.Ingress;

/// <summary>
/// Writes the model list and a single model in one shape both SDK families read: OpenAI's <c>Model</c> keys
/// (<c>object</c>, <c>created</c> in Unix seconds, <c>owned_by</c>) beside Anthropic's <c>ModelInfo</c> keys
/// (<c>type</c>, <c>display_name</c>, <c>created_at</c> in RFC 3339, <c>max_input_tokens</c>, <c>max_tokens</c>).
/// The key sets do not collide, and each SDK skips the other's keys.
/// </summary>
public static class ModelsWriter
{
    /// <summary>
    /// <c>{"object":"list","data":[…],"has_more","first_id","last_id"}</c>; the ids are the cursors for the next and
    /// previous page (OpenAI's SDKs do not page this list, Anthropic's do).
    /// </summary>
    public static void WriteList(Utf8JsonWriter w, IReadOnlyList<ModelDescription> page, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(page);
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        foreach (var model in page)
        {
            WriteModel(w, model);
        }

        w.WriteEndArray();
        w.WriteBoolean("has_more"u8, hasMore);
        w.WriteString("first_id"u8, page.Count > 0 ? page[0].Id : null);
        w.WriteString("last_id"u8, page.Count > 0 ? page[^1].Id : null);
        w.WriteEndObject();
    }

    public static void WriteModel(Utf8JsonWriter w, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(model);
        var created = model.CreatedAt.ToUnixTimeSeconds();
        w.WriteStartObject();
        w.WriteString("id"u8, model.Id);
        w.WriteString("object"u8, "model"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("owned_by"u8, ModelDescription.Owner);
        w.WriteString("type"u8, "model"u8);
        w.WriteString("display_name"u8, model.DisplayName);

        // The same instant as "created", whole seconds; a UTC DateTime is written as RFC 3339 with a "Z" suffix.
        w.WriteString("created_at"u8, DateTimeOffset.FromUnixTimeSeconds(created).UtcDateTime);

        // Unknown limits are left out rather than null: Claude Code validates the list with a schema whose
        // optional fields refuse null, and one bad item would discard the whole list.
        if (model.MaxInputTokens is { } input)
        {
            w.WriteNumber("max_input_tokens"u8, input);
        }

        if (model.MaxOutputTokens is { } output)
        {
            w.WriteNumber("max_tokens"u8, output);
        }

        if (model.Profile is { } profile)
        {
            WriteProfile(w, profile);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Switchboard's own addition, which clients that do not know it skip: the model family profile, and what it
    /// means for thinking (say, that a model cannot stop thinking), instead of pretending every switch works.
    /// </summary>
    private static void WriteProfile(Utf8JsonWriter w, ProfileSummary profile)
    {
        w.WriteStartObject("switchboard"u8);
        w.WriteString("profile"u8, profile.Name);
        w.WriteString("family"u8, profile.Family);
        w.WriteString("thinking"u8, profile.Thinking switch
        {
            ThinkingSupport.Always => "always",
            ThinkingSupport.Never => "never",
            ThinkingSupport.Switchable => "switchable",
            _ => "unknown",
        });
        if (profile.ThinkingNote is { } note)
        {
            w.WriteString("thinking_note"u8, note);
        }

        w.WriteEndObject();
    }
}
