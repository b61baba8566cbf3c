using System.Security.Cryptography;

namespace Switchboard.Canonical;

/// <summary>Identifiers in the Messages API's formats: <c>msg_…</c> and <c>req_…</c>; front doors mint their own tool-call ids.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewMessageId() => New("msg_");

    public static string NewRequestId() => New("req_");

    /// <summary>A fresh id: <paramref name="prefix"/> and 24 random alphanumerics.</summary>
    public static string New(string prefix) =>
        string.Create(prefix.Length + 24, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            RandomNumberGenerator.GetItems(Alphabet, span[p.Length..]);
        });
}
