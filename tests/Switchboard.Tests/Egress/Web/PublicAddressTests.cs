using System.Net;
using Switchboard.Egress.Web;

namespace Switchboard.Tests.Egress.Web;

public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:c0a8:101::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")]
    [InlineData("100::1")]
    public void Refuses_addresses_that_are_not_public(string address) =>
        Assert.False(PublicAddress.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Accepts_public_addresses(string address) =>
        Assert.True(PublicAddress.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void Reads_the_IPv4_address_inside_mapped_NAT64_and_6to4_addresses()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.1"), PublicAddress.EmbeddedV4(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), PublicAddress.EmbeddedV4(IPAddress.Parse("64:ff9b::a00:1")));
        Assert.Equal(IPAddress.Parse("192.168.1.1"), PublicAddress.EmbeddedV4(IPAddress.Parse("2002:c0a8:101::1")));
        Assert.Null(PublicAddress.EmbeddedV4(IPAddress.Parse("2606:4700:4700::1111")));
    }
}
