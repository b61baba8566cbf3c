namespace Switchboard.Testing;

/// <summary>
/// The PostgreSQL and Redis the tests use, from the environment <c>build/test-services.sh</c> sets. Unset, the tests
/// needing them fail with a message saying so; they never pass without having run.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";

    public const string RedisVariable = "SWITCHBOARD_TEST_REDIS";

    /// <summary>An Npgsql connection string to a database whose user may create databases.</summary>
    public static string Postgres => Required(PostgresVariable, "PostgreSQL");

    /// <summary>Redis as host:port.</summary>
    public static string Redis => Required(RedisVariable, "Redis");

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: this test needs {what}. Run the tests under build/test-services.sh "
                + "(build/test-services.sh dotnet test Switchboard.slnx -c Release), which starts PostgreSQL and Redis and sets it.");
}
