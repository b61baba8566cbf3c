using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Configuration;
using Switchboard.Ingress;
using Switchboard.Ingress.Anthropic;
using Switchboard.Pipeline;
using Switchboard.Tenancy;
using Switchboard.Tenancy.Keys;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Tenancy;

/// <summary>The key middleware's hot path: a request with a cached stored key or a configured key.</summary>
public sealed class ApiKeyMiddlewareTests
{
    private readonly MemoryKeyStore _store = new();

    private (ApiKeyMiddleware Middleware, string Key, RequestRecord Record, DefaultHttpContext Context) Setup(Func<HttpContext, Task>? next = null)
    {
        var options = new SwitchboardOptions { ApiKeys = ["sk-static-key"] };
        var directory = new KeyDirectory(_store, options, TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        var (id, key) = ApiKeyFormat.Generate();
        _store.Put(new ApiKeyRecord { Id = id, Name = "alice", SecretHash = KeyDigest.Hex(key), CreatedAt = DateTimeOffset.UtcNow });
        var dialects = new ErrorDialects(AnthropicErrors.Dialect, []);
        var middleware = new ApiKeyMiddleware(c => next?.Invoke(c) ?? Task.CompletedTask, new ApiKeyAuthenticator(options), directory, dialects);
        var context = new DefaultHttpContext();
        context.Request.Path = "/v1/messages";
        var record = new RequestRecord();
        context.Features.Set(record);
        return (middleware, key, record, context);
    }

    [Fact]
    public async Task A_stored_key_sets_the_caller_and_its_id_and_a_configured_key_its_digest_id()
    {
        var (middleware, key, record, context) = Setup();
        context.Request.Headers.Authorization = "Bearer " + key;

        await middleware.InvokeAsync(context);

        var caller = Assert.IsType<KeyCaller>(record.Caller);
        Assert.Equal((key[6..18], key[6..18], "alice"), (record.KeyId, caller.KeyId, caller.Stored!.Name));

        var (staticMiddleware, _, staticRecord, staticContext) = Setup();
        staticContext.Request.Headers["x-api-key"] = "sk-static-key";
        await staticMiddleware.InvokeAsync(staticContext);
        var staticCaller = Assert.IsType<KeyCaller>(staticRecord.Caller);
        Assert.Null(staticCaller.Stored);
        Assert.Matches("^key_[0-9a-f]{8}$", staticRecord.KeyId);
    }

    [Fact]
    public async Task A_cached_stored_key_is_admitted_synchronously_without_allocating()
    {
        var (middleware, key, record, context) = Setup();
        context.Request.Headers["x-api-key"] = key;
        await middleware.InvokeAsync(context);
        Assert.NotNull(record.Caller);

        const int Rounds = 20_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            var pending = middleware.InvokeAsync(context);
            Assert.True(pending.IsCompletedSuccessfully);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000, $"{allocated} bytes allocated in {Rounds} requests");
    }
}
