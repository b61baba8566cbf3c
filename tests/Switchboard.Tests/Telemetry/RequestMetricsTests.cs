using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Telemetry;

public sealed class RequestMetricsTests : IDisposable
{
    private readonly MeterRecorder _meters = new();
    private readonly RequestMetrics _metrics;

    public RequestMetricsTests()
    {
        var options = new SwitchboardOptions { Models = [new ModelOptions { Name = "m", Upstream = "gpu" }] };
        options.Upstreams["gpu"] = new UpstreamOptions { BaseUrl = "http://127.0.0.1:8000/v1" };
        _metrics = new RequestMetrics(_meters, new ModelLabels(new ModelCatalog(options, new UpstreamRegistry(options))));
    }

    [Fact]
    public void An_answered_request_counts_once_with_its_labels_and_its_tokens_by_ledger_kind()
    {
        var record = new RequestRecord
        {
            RequestId = "req_1", FrontDoor = "anthropic", Model = "m", Target = "gpu", Status = 200, KeyId = "key123",
            InputTokens = 10, CacheReadTokens = 4, CacheWriteTokens = 0, OutputTokens = 6, DurationMs = 120, Admission = AdmitAll.NoLease.Instance,
        };

        _metrics.Settle(record);

        var request = Assert.Single(_meters.Of(RequestMetrics.Requests));
        Assert.Equal(1, request.Value);
        Assert.Equal("anthropic", request.Tags[TelemetryNames.Door]);
        Assert.Equal("m", request.Tags[TelemetryNames.RequestModel]);
        Assert.Equal("gpu", request.Tags[TelemetryNames.Upstream]);
        Assert.Equal(200, request.Tags[TelemetryNames.StatusCode]);
        Assert.False(request.Tags.ContainsKey(TelemetryNames.ErrorType));
        Assert.DoesNotContain(request.Tags.Values, v => v is "req_1" or "key123");
        var tokens = _meters.Of(RequestMetrics.Tokens).ToDictionary(t => (string)t.Tags[TelemetryNames.SwitchboardTokenType]!, t => t.Value);
        Assert.Equal(new Dictionary<string, long> { ["input"] = 10, ["cache_read"] = 4, ["output"] = 6 }, tokens);
        var usage = _meters.Of(RequestMetrics.TokenUsage).ToDictionary(t => (string)t.Tags[TelemetryNames.TokenType]!, t => t.Value);
        Assert.Equal(new Dictionary<string, long> { ["input"] = 14, ["output"] = 6 }, usage);
        Assert.Empty(_meters.Of(RequestMetrics.BudgetRefused));
    }

    [Fact]
    public void A_budget_refusal_at_admission_is_counted_but_an_upstreams_billing_error_is_not()
    {
        _metrics.Settle(new RequestRecord { FrontDoor = "openai-chat", Model = "m", Target = "gpu", Status = 429, ErrorKind = ApiErrorKind.Billing });
        _metrics.Settle(new RequestRecord
        {
            FrontDoor = "openai-chat", Model = "m", Target = "gpu", Status = 429, ErrorKind = ApiErrorKind.Billing, Admission = AdmitAll.NoLease.Instance,
        });

        Assert.Equal(1, Assert.Single(_meters.Of(RequestMetrics.BudgetRefused)).Value);
        Assert.All(_meters.Of(RequestMetrics.Requests), r => Assert.Equal("billing", r.Tags[TelemetryNames.ErrorType]));
    }

    [Fact]
    public void Requests_that_never_reached_a_door_are_left_out_and_count_tokens_generate_no_tokens()
    {
        _metrics.Settle(new RequestRecord { Status = 401, ErrorKind = ApiErrorKind.Authentication });
        _metrics.Settle(new RequestRecord { FrontDoor = "anthropic", Model = "invented", TokenCountOnly = true, InputTokens = 50, Status = 200 });

        var request = Assert.Single(_meters.Of(RequestMetrics.Requests));
        Assert.Equal(TelemetryNames.CountTokens, request.Tags[TelemetryNames.OperationName]);
        Assert.Equal(ModelLabels.Other, request.Tags[TelemetryNames.RequestModel]);
        Assert.Equal(TelemetryNames.None, request.Tags[TelemetryNames.Upstream]);
        Assert.Empty(_meters.Of(RequestMetrics.Tokens));
    }

    [Fact]
    public void Error_labels_are_the_snake_case_of_each_kind()
    {
        Assert.Equal("rate_limit", ErrorLabels.For(ApiErrorKind.RateLimit));
        Assert.Equal("bad_gateway", ErrorLabels.For(ApiErrorKind.BadGateway));
        Assert.Equal("invalid_request", ErrorLabels.For(ApiErrorKind.InvalidRequest));
        Assert.Equal(Enum.GetValues<ApiErrorKind>().Length, Enum.GetValues<ApiErrorKind>().Select(ErrorLabels.For).Distinct().Count());
    }

    public void Dispose() => _meters.Dispose();
}
