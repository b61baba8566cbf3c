using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class ThinkingKeyTests
{
    [Fact]
    public void A_configured_key_wins_over_the_stored_secret()
    {
        var configured = new SwitchboardOptions { ThinkingSignatureKey = "configured" };

        var key = new ThinkingKey(configured, "stored");

        Assert.Equal((true, false), (key.Configured, key.Stored));
        Assert.Equal(new ThinkingKey(configured).Value, key.Value);
        Assert.NotEqual(new ThinkingKey(new SwitchboardOptions(), "stored").Value, key.Value);
    }

    [Fact]
    public void The_stored_secret_gives_every_process_the_same_key()
    {
        var secret = ThinkingKey.NewSecret();

        var one = new ThinkingKey(new SwitchboardOptions(), secret);
        var other = new ThinkingKey(new SwitchboardOptions(), secret);

        Assert.Equal((false, true), (one.Configured, one.Stored));
        Assert.Equal(one.Value, other.Value);
        Assert.NotEqual(secret, ThinkingKey.NewSecret());
    }

    [Fact]
    public void With_neither_the_key_is_random_per_process()
    {
        var one = new ThinkingKey(new SwitchboardOptions());

        Assert.Equal((false, false), (one.Configured, one.Stored));
        Assert.NotEqual(one.Value, new ThinkingKey(new SwitchboardOptions()).Value);
        Assert.Equal(32, one.Value.Length);
    }
}
