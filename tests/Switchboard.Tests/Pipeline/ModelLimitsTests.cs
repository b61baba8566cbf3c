using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pipeline;

public sealed class ModelLimitsTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly WindowUpstream _upstream = new();

    private (ModelDirectory Directory, ModelLimits Limits) Start(params ModelOptions[] models)
    {
        var options = new SwitchboardOptions { Models = [.. models] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:9/v1", Api = "windows" };
        var upstreams = new UpstreamRegistry(options);
        var catalog = new ModelCatalog(options, upstreams);
        return (new ModelDirectory(catalog), new ModelLimits(catalog, new UpstreamApis([_upstream], upstreams), _time));
    }

    [Fact]
    public async Task A_model_without_a_configured_window_gets_the_one_its_upstream_reports()
    {
        var (directory, limits) = Start(new ModelOptions { Name = "reported", MaxOutputTokens = 4096 }, new ModelOptions { Name = "configured", ContextLength = 8192 });
        _upstream.Windows["reported"] = Task.FromResult<int?>(32768);
        _upstream.Windows["configured"] = Task.FromResult<int?>(999);

        var models = await limits.CompleteAsync(directory.All, CancellationToken.None);

        Assert.Equal([("reported", 32768, 4096), ("configured", 8192, null)], models.Select(m => (m.Id, m.MaxInputTokens, m.MaxOutputTokens)));
        Assert.Equal(["reported"], _upstream.Asked);
    }

    [Fact]
    public async Task A_slow_upstream_is_waited_on_briefly_then_its_window_is_left_out()
    {
        var (directory, limits) = Start(new ModelOptions { Name = "slow" }, new ModelOptions { Name = "fast" });
        var slow = new TaskCompletionSource<int?>();
        _upstream.Windows["slow"] = slow.Task;
        _upstream.Windows["fast"] = Task.FromResult<int?>(65536);

        var listing = limits.CompleteAsync(directory.All, CancellationToken.None);
        Assert.False(listing.IsCompleted);
        _time.Advance(ModelLimits.ListWait - TimeSpan.FromMilliseconds(1));
        Assert.False(listing.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var models = await listing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([("slow", (int?)null), ("fast", 65536)], models.Select(m => (m.Id, m.MaxInputTokens)));

        // The lookup goes on; once it has answered, the next listing has it without waiting.
        slow.SetResult(131072);
        var later = await limits.CompleteAsync(directory.All, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(131072, later[0].MaxInputTokens);
    }

    [Fact]
    public async Task An_upstream_that_does_not_know_or_fails_leaves_the_window_out()
    {
        var (directory, limits) = Start(new ModelOptions { Name = "unknown" }, new ModelOptions { Name = "failing" });
        _upstream.Windows["unknown"] = Task.FromResult<int?>(null);
        _upstream.Windows["failing"] = Task.FromException<int?>(new HttpRequestException("connection refused"));

        var models = await limits.CompleteAsync(directory.All, CancellationToken.None);

        Assert.All(models, m => Assert.Null(m.MaxInputTokens));
    }

    [Fact]
    public async Task Models_with_configured_windows_never_ask_the_upstream()
    {
        var (directory, limits) = Start(new ModelOptions { Name = "a", ContextLength = 4096 });

        var models = await limits.CompleteAsync(directory.All, CancellationToken.None);

        Assert.Same(directory.All, models);
        Assert.Empty(_upstream.Asked);
    }

    private sealed class WindowUpstream : IModelUpstream
    {
        public Dictionary<string, Task<int?>> Windows { get; } = [];

        public List<string> Asked { get; } = [];

        public string Api => "windows";

        public Task<int?> CountTokensAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

        public Task<int?> GetContextLengthAsync(ModelRoute route, CancellationToken cancellationToken)
        {
            Asked.Add(route.UpstreamModel);
            return Windows[route.UpstreamModel];
        }

        public Task<IUpstreamResponse> SendAsync(MessageRequest request, ModelRoute route, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
