using Switchboard.Configuration;
using Switchboard.Tenancy;

namespace Switchboard.Tests.Tenancy;

public sealed class ApiKeyAuthenticatorTests
{
    [Fact]
    public void Accepts_each_configured_key_and_names_it_by_digest_only()
    {
        var authenticator = new ApiKeyAuthenticator(new SwitchboardOptions { ApiKeys = ["sk-first-secret", "sk-second-secret"] });

        var first = authenticator.Authenticate("sk-first-secret");
        var second = authenticator.Authenticate("sk-second-secret");

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Matches("^key_[0-9a-f]{8}$", first);
        Assert.DoesNotContain("secret", first);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-first-secre")]
    [InlineData("sk-first-secret ")]
    [InlineData("SK-FIRST-SECRET")]
    public void Rejects_anything_else(string presented)
    {
        var authenticator = new ApiKeyAuthenticator(new SwitchboardOptions { ApiKeys = ["sk-first-secret"] });

        Assert.Null(authenticator.Authenticate(presented));
    }

    [Fact]
    public void Is_disabled_without_keys()
    {
        Assert.False(new ApiKeyAuthenticator(new SwitchboardOptions()).Enabled);
        Assert.True(new ApiKeyAuthenticator(new SwitchboardOptions { ApiKeys = ["k"] }).Enabled);
    }
}
