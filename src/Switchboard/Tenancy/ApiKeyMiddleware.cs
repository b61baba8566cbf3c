using System.Net;
using Microsoft.Extensions.Primitives;
using Switchboard.Canonical;
using Switchboard.Ingress;
using Switchboard.Pipeline;
using Switchboard.Tenancy.Keys;

namespace Switchboard.Tenancy;

/// <summary>
/// Identifies the caller on the API paths (<c>/v1/…</c>) from <c>Authorization: Bearer</c> or <c>x-api-key</c>
/// (Claude Code sends either, some versions both: a valid one of the two is enough): a configured key (unlimited)
/// or a stored <c>sk-sb-…</c> key (<see cref="KeyDirectory"/>). Sets <see cref="RequestRecord.Caller"/> and
/// <see cref="RequestRecord.KeyId"/>. A key is required when configured keys exist or the store holds an active
/// one; otherwise requests without a key go on, but a presented stored key is still checked and identified.
/// Refusals are written in the dialect of the path: 401 for unknown, revoked or expired keys, 403 for a disabled
/// key, and 529/503 "key store unavailable" when the store cannot be asked — never 401 for that. Probes and the
/// admin API (its own token) are not under this middleware. Keys are never logged or echoed.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator, KeyDirectory directory, ErrorDialects dialects)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            return next(context);
        }

        var headers = context.Request.Headers;
        var authorization = headers.Authorization;
        var apiKey = headers["x-api-key"];
        var bearer = Bearer(authorization);
        var keyHeader = apiKey.Count == 1 ? apiKey[0].AsSpan().Trim() : apiKey.ToString().AsSpan().Trim();

        var first = CheckCached(bearer);
        if (first.Status == KeyStatus.Valid)
        {
            return Admit(context, first);
        }

        var second = CheckCached(keyHeader);
        if (second.Status == KeyStatus.Valid)
        {
            return Admit(context, second);
        }

        if (first.Status == KeyStatus.None && second.Status == KeyStatus.None && IsLocal(context))
        {
            // Open mode's common case, without a state machine: no stored key presented, none required.
            var required = directory.AuthenticationRequiredAsync();
            if (required.IsCompletedSuccessfully && required.Result == false)
            {
                return next(context);
            }
        }

        var lookups = (first.Status == KeyStatus.Unavailable ? bearer.ToString() : null, second.Status == KeyStatus.Unavailable ? keyHeader.ToString() : null);
        return InvokeSlowAsync(context, first, second, lookups, presented: !bearer.IsEmpty || !keyHeader.IsEmpty);
    }

    /// <summary>The cache's answer for one presented key; <see cref="KeyStatus.Unavailable"/> here means "ask the store".</summary>
    private KeyCheck CheckCached(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty)
        {
            return KeyCheck.None;
        }

        // A stored key's shape is checked first, so a cached stored key costs one hash, not two.
        var stored = KeyCheck.None;
        if (ApiKeyFormat.TryGetId(presented, out var id))
        {
            stored = directory.TryCheckCached(presented, id, out var check) ? check : new KeyCheck(KeyStatus.Unavailable);
            if (stored.Status == KeyStatus.Valid)
            {
                return stored;
            }
        }

        if (authenticator.Find(presented) is { } configured)
        {
            return new KeyCheck(KeyStatus.Valid, configured, configured.KeyId);
        }

        // Neither a configured key nor a stored one's shape (None): judged by whether keys are required.
        return stored;
    }

    private async Task InvokeSlowAsync(HttpContext context, KeyCheck first, KeyCheck second, (string? First, string? Second) lookups, bool presented)
    {
        if (lookups.First is { } bearer)
        {
            first = await directory.CheckAsync(bearer);
        }

        if (first.Status != KeyStatus.Valid && lookups.Second is { } apiKey)
        {
            second = await directory.CheckAsync(apiKey);
        }

        if (first.Status == KeyStatus.Valid || second.Status == KeyStatus.Valid)
        {
            await Admit(context, first.Status == KeyStatus.Valid ? first : second);
            return;
        }

        // A stored key that did not pass is refused even where keys are not required: its holder meant to be identified.
        var failed = Worst(first.Status, second.Status);
        if (failed != KeyStatus.None)
        {
            await RefuseAsync(context, failed, first.KeyId ?? second.KeyId);
            return;
        }

        var required = await directory.AuthenticationRequiredAsync();
        if (required == false)
        {
            // Open mode serves this machine only, also when listening on the network for keys yet to be created.
            if (!IsLocal(context))
            {
                await Reject(context, new ApiError(ApiErrorKind.Permission,
                    "No API key exists yet, so only clients on this machine are served; create a key (switchboard keys create, or the admin API) and present it"));
                return;
            }

            await next(context);
            return;
        }

        await (required is null
            ? RefuseAsync(context, KeyStatus.Unavailable, null)
            : Reject(context, new ApiError(ApiErrorKind.Authentication, presented ? "invalid x-api-key" : "x-api-key header is required")));
    }

    private Task Admit(HttpContext context, KeyCheck check)
    {
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.Caller = check.Caller;
            record.KeyId = check.Caller!.KeyId;
        }

        return next(context);
    }

    /// <summary>The failure to report when neither header passed: the store being down wins (the key may be fine), then the most specific.</summary>
    private static KeyStatus Worst(KeyStatus first, KeyStatus second)
    {
        foreach (var status in (ReadOnlySpan<KeyStatus>)[KeyStatus.Unavailable, KeyStatus.Disabled, KeyStatus.Revoked, KeyStatus.Expired, KeyStatus.Unknown])
        {
            if (first == status || second == status)
            {
                return status;
            }
        }

        return KeyStatus.None;
    }

    private Task RefuseAsync(HttpContext context, KeyStatus status, string? keyId) => Reject(context, status switch
    {
        KeyStatus.Unavailable => new ApiError(ApiErrorKind.Overloaded, "key store unavailable, retry") { RetryAfterSeconds = 1 },
        KeyStatus.Disabled => new ApiError(ApiErrorKind.Permission, $"API key {keyId} is disabled"),
        KeyStatus.Revoked => new ApiError(ApiErrorKind.Authentication, $"API key {keyId} has been revoked"),
        KeyStatus.Expired => new ApiError(ApiErrorKind.Authentication, $"API key {keyId} has expired"),
        _ => new ApiError(ApiErrorKind.Authentication, "invalid x-api-key"),
    });

    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static ReadOnlySpan<char> Bearer(StringValues authorization)
    {
        var value = authorization.Count == 1 ? authorization[0].AsSpan() : authorization.ToString().AsSpan();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : default;
    }

    private Task Reject(HttpContext context, ApiError error) => dialects.WriteAsync(context, error);
}
