using Npgsql;
using StackExchange.Redis;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

/// <summary>The services build/test-services.sh starts answer, so the tests that need them test something.</summary>
public sealed class TestServicesTests
{
    [Fact]
    public async Task PostgreSQL_answers_and_may_create_databases()
    {
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", connection);

        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Redis_answers()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);

        Assert.True((await redis.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5));
    }
}
