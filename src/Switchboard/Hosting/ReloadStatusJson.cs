using System.Text.Json;
using Switchboard.Configuration;

namespace Switchboard.Hosting;

/// <summary>The body of <c>GET /admin/v1/config</c>.</summary>
internal static class ReloadStatusJson
{
    public static void Write(Utf8JsonWriter w, ReloadState state)
    {
        w.WriteStartObject();
        w.WriteString("loaded_at", state.LoadedAt);
        w.WriteStartArray("files");
        foreach (var file in state.Files)
        {
            w.WriteStringValue(file);
        }

        w.WriteEndArray();
        w.WriteNumber("reloads_applied", state.Applied);
        w.WriteNumber("reloads_rejected", state.Rejected);
        if (state.Last is { } last)
        {
            w.WriteStartObject("last_reload");
            w.WriteString("at", last.At);
            w.WriteString("trigger", last.Trigger);
            w.WriteString("result", last.Applied ? "applied" : "rejected");
            if (last.Applied)
            {
                w.WriteString("summary", last.Summary);
            }

            Strings(w, "problems", last.Problems);
            Strings(w, "needs_restart", last.NeedsRestart);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("last_reload");
        }

        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
