namespace Switchboard.Tenancy.Keys;

/// <summary>A change to a key that cannot be made; <see cref="Field"/> names the admin API field at fault.</summary>
public sealed class KeyProblemException(string? field, string message) : Exception(message)
{
    public string? Field { get; } = field;

    /// <summary>The message with the field in front, as the admin API and command line show it.</summary>
    public string Describe(Func<string, string>? fieldName = null) =>
        Field is null ? Message : $"{(fieldName ?? (f => f))(Field)}: {Message}";
}
