using System.Text.Json;
using Switchboard.Routing;

namespace Switchboard.Ingress.Anthropic;

/// <summary>Writes the Models API bodies: a page of <c>ModelDescription</c> and a single one.</summary>
public static class AnthropicModelsWriter
{
    /// <summary><c>{"data":[…],"has_more","first_id","last_id"}</c>; the ids are the cursors for the next and previous page.</summary>
    public static void WriteList(Utf8JsonWriter w, IReadOnlyList<ModelDescription> page, bool hasMore)
    {
        w.WriteStartObject();
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
        w.WriteStartObject();
        w.WriteString("type"u8, "model"u8);
        w.WriteString("id"u8, model.Id);
        w.WriteString("display_name"u8, model.DisplayName);

        // A UTC DateTime is written as RFC 3339 with a "Z" suffix, the form Anthropic uses.
        w.WriteString("created_at"u8, model.CreatedAt.UtcDateTime);
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
