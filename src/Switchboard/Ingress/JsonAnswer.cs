using System.Text.Json;

namespace Switchboard.Ingress;

/// <summary>Small JSON answers written straight into the response, for endpoints outside the pipeline (stored responses, batches).</summary>
public static class JsonAnswer
{
    /// <summary>200 with the JSON <paramref name="write"/> produces.</summary>
    public static Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, ClientJson.Writer))
        {
            write(writer);
        }

        return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    public static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>An id a client sent, as echoed in a message: at most 100 characters, no control characters.</summary>
    public static string ClipId(string? value)
    {
        var text = value ?? "";
        text = text.Length > 100 ? text[..100] + "…" : text;
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
