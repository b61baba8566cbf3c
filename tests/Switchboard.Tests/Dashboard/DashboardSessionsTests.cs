using Microsoft.Extensions.Time.Testing;
using Switchboard.Dashboard;
using Switchboard.Tenancy;

namespace Switchboard.Tests.Dashboard;

public sealed class DashboardSessionsTests
{
    private const string Token = "the-admin-token-of-these-tests";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemorySettings _settings = new();

    private DashboardSessions Sessions(string token = Token) => new(token, _settings, _time);

    [Fact]
    public async Task Only_the_admin_token_is_accepted()
    {
        var sessions = Sessions();
        Assert.True(sessions.IsAdminToken(Token));
        Assert.False(sessions.IsAdminToken(Token + " "));
        Assert.False(sessions.IsAdminToken(Token[..^1]));
        Assert.False(sessions.IsAdminToken(""));
        Assert.False(sessions.IsAdminToken(null));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_session_cookie_is_signed_holds_no_token_and_is_accepted_by_every_process_on_the_store_until_it_expires()
    {
        var cookie = await Sessions().IssueAsync(CancellationToken.None);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);

        // Another process on the same store (same stored secret, same token) accepts it; another token does not.
        var session = await Sessions().ValidateAsync(cookie, CancellationToken.None);
        Assert.NotNull(session);
        Assert.Null(await Sessions("a-new-admin-token").ValidateAsync(cookie, CancellationToken.None));

        var parts = cookie.Split('.');
        var later = (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(await Sessions().ValidateAsync($"{later}.{parts[1]}.{parts[2]}", CancellationToken.None));
        Assert.Null(await Sessions().ValidateAsync($"{parts[0]}.{parts[1]}x.{parts[2]}", CancellationToken.None));
        Assert.Null(await Sessions().ValidateAsync("garbage", CancellationToken.None));

        _time.Advance(DashboardSessions.Lifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(await Sessions().ValidateAsync(cookie, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await Sessions().ValidateAsync(cookie, CancellationToken.None));
    }

    [Fact]
    public async Task Each_session_has_its_own_csrf_token_and_signing_out_ends_it()
    {
        var sessions = Sessions();
        var one = (await sessions.ValidateAsync(await sessions.IssueAsync(CancellationToken.None), CancellationToken.None))!;
        var twoCookie = await sessions.IssueAsync(CancellationToken.None);
        var two = (await sessions.ValidateAsync(twoCookie, CancellationToken.None))!;
        Assert.NotEqual(one.CsrfToken, two.CsrfToken);
        Assert.DoesNotContain(Token, one.CsrfToken, StringComparison.Ordinal);

        sessions.End(two);
        Assert.Null(await sessions.ValidateAsync(twoCookie, CancellationToken.None));
        Assert.NotNull(await sessions.ValidateAsync(await sessions.IssueAsync(CancellationToken.None), CancellationToken.None));
    }

    private sealed class MemorySettings : ISettingsStore
    {
        private readonly Dictionary<string, string> _values = [];

        public Task<string> GetOrAddAsync(string name, string value, CancellationToken cancellationToken)
        {
            lock (_values)
            {
                return Task.FromResult(_values.TryAdd(name, value) ? value : _values[name]);
            }
        }
    }
}
