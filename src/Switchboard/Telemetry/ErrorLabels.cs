using Switchboard.Canonical;

namespace Switchboard.Telemetry;

/// <summary>
/// The <c>error.type</c> value of each <see cref="ApiErrorKind"/> (snake case of its name), made once so recording
/// a failure allocates nothing; a client that left before the answer ended is <c>client_closed</c>.
/// </summary>
public static class ErrorLabels
{
    public const string ClientClosed = "client_closed";

    private static readonly string[] Names = Enum.GetValues<ApiErrorKind>().Select(Snake).ToArray();

    public static string For(ApiErrorKind kind) => (int)kind < Names.Length ? Names[(int)kind] : Snake(kind);

    private static string Snake(ApiErrorKind kind)
    {
        var name = kind.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
