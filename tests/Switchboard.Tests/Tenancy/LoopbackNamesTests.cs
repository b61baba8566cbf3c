using Switchboard.Tenancy;

namespace Switchboard.Tests.Tenancy;

public sealed class LoopbackNamesTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("app.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("[::1]", true)]
    [InlineData("::1", true)]
    [InlineData("attacker.example", false)]
    [InlineData("localhost.attacker.example", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("2130706433", false)]
    [InlineData("", false)]
    public void Only_loopback_names_and_addresses_count(string host, bool loopback)
    {
        Assert.Equal(loopback, LoopbackNames.IsLoopback(host));
    }
}
