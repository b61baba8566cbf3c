using System.Text;
using System.Text.Json;
using Switchboard.Tenancy.Admin;

namespace Switchboard.Dashboard;

/// <summary>Small JSON answers of the dashboard's own calls, written with the admin API's settings.</summary>
public static class DashboardJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, AdminJson.Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IResult Ok(Action<Utf8JsonWriter> write) => Results.Content(Write(write), "application/json", null, StatusCodes.Status200OK);

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } number)
        {
            writer.WriteNumber(name, Math.Round(number, 3));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
