using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Configuration;
using Switchboard.Egress.Web;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Egress.Web;

/// <summary>The outbound fetcher against a real web server on loopback: every SSRF rule, the limits, and success through the allow-list.</summary>
public sealed class SafeWebFetcherTests : IAsyncLifetime
{
    private static readonly WebFetchLimits Limits = new(1000, TimeSpan.FromSeconds(10));

    private FakeWebServer _web = null!;

    public async Task InitializeAsync()
    {
        _web = await FakeWebServer.StartAsync();
        _web.Serve("/page", "text/html; charset=utf-8", "<html><title>T</title><body><p>Hello</p></body></html>");
        _web.Serve("/secret", "text/plain", "internal secret");
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private static SafeWebFetcher Fetcher(Action<WebFetchOptions>? configure = null)
    {
        var options = new WebFetchOptions();
        configure?.Invoke(options);
        return new SafeWebFetcher(options, TimeProvider.System, NullLogger<SafeWebFetcher>.Instance);
    }

    /// <summary>Loopback reachable by the name <c>localhost</c> only: the test's allow-listed "public" site.</summary>
    private static SafeWebFetcher LocalhostAllowed(Action<WebFetchOptions>? configure = null) => Fetcher(options =>
    {
        options.AllowedHosts = ["localhost"];
        configure?.Invoke(options);
    });

    private static async Task<WebFetchException> Refused(SafeWebFetcher fetcher, Uri url, WebFetchError expected, WebFetchLimits? limits = null)
    {
        var exception = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.FetchAsync(url, limits ?? Limits, CancellationToken.None));
        Assert.Equal(expected, exception.Error);
        return exception;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    public async Task Loopback_by_literal_name_IPv6_or_mapped_address_is_refused_without_a_request(string host)
    {
        using var fetcher = Fetcher();
        var exception = await Refused(fetcher, _web.Url("/secret", host), WebFetchError.AddressNotAllowed);

        Assert.Contains("private, loopback", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_web.Hits);
    }

    [Theory]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://192.168.0.1:8080/admin")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    public async Task Private_and_link_local_literals_are_refused(string url)
    {
        using var fetcher = Fetcher();
        var stopwatch = Stopwatch.StartNew();
        await Refused(fetcher, new Uri(url), WebFetchError.AddressNotAllowed);

        // Refused before any connection: no connect timeout was waited for.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), stopwatch.Elapsed.ToString());
    }

    [Fact]
    public async Task An_allowed_host_is_fetched_with_its_media_type_body_and_user_agent()
    {
        using var fetcher = LocalhostAllowed();
        var resource = await fetcher.FetchAsync(_web.Url("/page"), Limits, CancellationToken.None);

        Assert.Equal("text/html", resource.MediaType);
        Assert.Equal("utf-8", resource.Charset);
        Assert.Equal(_web.Url("/page"), resource.Url);
        Assert.Contains("<p>Hello</p>", Encoding.UTF8.GetString(resource.Body.Span), StringComparison.Ordinal);
        var (_, userAgent) = Assert.Single(_web.Hits);
        Assert.Equal($"Switchboard/{ProductVersion.Value} (+web fetch)", userAgent);
    }

    [Fact]
    public async Task An_allowed_private_network_is_fetched_by_literal()
    {
        using var fetcher = Fetcher(options => options.AllowedPrivateNetworks = ["127.0.0.0/8"]);
        var resource = await fetcher.FetchAsync(_web.Url("/secret", "127.0.0.1"), Limits, CancellationToken.None);

        Assert.Equal("internal secret", Encoding.UTF8.GetString(resource.Body.Span));
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_a_private_address_is_refused()
    {
        _web.Redirect("/go", $"http://127.0.0.1:{_web.Port}/secret");
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/go"), WebFetchError.AddressNotAllowed);

        Assert.Equal(1, _web.Count("/go"));
        Assert.Equal(0, _web.Count("/secret"));
    }

    [Fact]
    public async Task A_redirect_to_cloud_metadata_is_refused()
    {
        _web.Redirect("/go", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", 307);
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/go"), WebFetchError.AddressNotAllowed);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_refused()
    {
        _web.Redirect("/go", "file:///etc/passwd");
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/go"), WebFetchError.InvalidUrl);
    }

    [Fact]
    public async Task Redirects_are_followed_and_the_final_url_reported()
    {
        _web.Redirect("/a", "/b", 301);
        _web.Redirect("/b", "/page", 308);
        using var fetcher = LocalhostAllowed();
        var resource = await fetcher.FetchAsync(_web.Url("/a"), Limits, CancellationToken.None);

        Assert.Equal(_web.Url("/page"), resource.Url);
        Assert.Equal(["/a", "/b", "/page"], _web.Hits.Select(hit => hit.Path));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_the_maximum()
    {
        _web.Redirect("/loop", "/loop");
        using var fetcher = LocalhostAllowed(options => options.MaxRedirects = 3);
        await Refused(fetcher, _web.Url("/loop"), WebFetchError.TooManyRedirects);

        Assert.Equal(4, _web.Count("/loop"));
    }

    [Fact]
    public async Task A_body_over_the_limit_with_a_content_length_is_refused()
    {
        _web.Serve("/big", "text/plain", new byte[5000]);
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/big"), WebFetchError.TooLarge);
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_content_length_is_cut_off_while_read()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _web.Map("/stream", async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            context.Response.ContentType = "text/plain";
            var chunk = new byte[16 * 1024];
            for (var i = 0; i < 1000 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(10, context.RequestAborted);
            }
        });
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/stream"), WebFetchError.TooLarge, new WebFetchLimits(100_000, TimeSpan.FromSeconds(30)));

        // The fetcher closed the connection rather than reading the rest (16 MB over 10 s).
        Assert.Same(aborted.Task, await Task.WhenAny(aborted.Task, Task.Delay(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task A_slow_body_times_out()
    {
        _web.Map("/slow", async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("start", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        using var fetcher = LocalhostAllowed();
        var stopwatch = Stopwatch.StartNew();
        var exception = await Refused(fetcher, _web.Url("/slow"), WebFetchError.TimedOut, new WebFetchLimits(1000, TimeSpan.FromSeconds(1)));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Contains("1 seconds", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_a_timeout()
    {
        _web.Map("/slow", context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var fetcher = LocalhostAllowed();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.FetchAsync(_web.Url("/slow"), Limits, cancel.Token));
    }

    [Theory]
    [InlineData("ftp://localhost/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://localhost:70/")]
    public async Task Other_schemes_are_refused(string url)
    {
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, new Uri(url), WebFetchError.InvalidUrl);
    }

    [Fact]
    public async Task A_url_with_credentials_is_refused()
    {
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, new Uri($"http://user:secret@localhost:{_web.Port}/page"), WebFetchError.InvalidUrl);
        Assert.Empty(_web.Hits);
    }

    [Fact]
    public async Task Blocked_and_unlisted_domains_are_refused()
    {
        using var fetcher = LocalhostAllowed();
        await Refused(fetcher, _web.Url("/page"), WebFetchError.DomainNotAllowed, Limits with { BlockedDomains = ["localhost"] });
        await Refused(fetcher, _web.Url("/page"), WebFetchError.DomainNotAllowed, Limits with { AllowedDomains = ["example.com"] });
        Assert.Empty(_web.Hits);

        var allowed = await fetcher.FetchAsync(_web.Url("/page"), Limits with { AllowedDomains = ["localhost"] }, CancellationToken.None);
        Assert.Equal("text/html", allowed.MediaType);
    }

    [Fact]
    public async Task Domain_lists_are_checked_again_after_a_redirect()
    {
        _web.Redirect("/go", $"http://127.0.0.1:{_web.Port}/secret");
        using var fetcher = Fetcher(options =>
        {
            options.AllowedHosts = ["localhost"];
            options.AllowedPrivateNetworks = ["127.0.0.0/8"];
        });

        await Refused(fetcher, _web.Url("/go"), WebFetchError.DomainNotAllowed, Limits with { AllowedDomains = ["localhost"] });
        await Refused(fetcher, _web.Url("/go"), WebFetchError.DomainNotAllowed, Limits with { BlockedDomains = ["127.0.0.1"] });
        Assert.Equal(0, _web.Count("/secret"));

        var followed = await fetcher.FetchAsync(_web.Url("/go"), Limits, CancellationToken.None);
        Assert.Equal("internal secret", Encoding.UTF8.GetString(followed.Body.Span));
    }

    [Fact]
    public async Task An_error_status_is_reported_with_its_code()
    {
        using var fetcher = LocalhostAllowed();
        var exception = await Refused(fetcher, _web.Url("/missing"), WebFetchError.HttpError);

        Assert.Equal(404, exception.Status);
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_unreachable()
    {
        using var fetcher = Fetcher();
        await Refused(fetcher, new Uri("http://no-such-host.invalid/"), WebFetchError.Unreachable);
    }
}
