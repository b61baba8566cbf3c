using System.Text;
using Switchboard.Egress.Documents;

namespace Switchboard.Tests.Egress.Documents;

public sealed class MediaSnifferTests
{
    [Theory]
    [InlineData("89504E470D0A1A0A0000000D49484452", "image/png")]
    [InlineData("FFD8FFE000104A464946", "image/jpeg")]
    [InlineData("474946383961010001", "image/gif")]
    [InlineData("474946383761010001", "image/gif")]
    [InlineData("52494646240000005745425056503820", "image/webp")]
    [InlineData("52494646240000005741564566", null)]
    [InlineData("3C68746D6C3E", null)]
    [InlineData("", null)]
    public void Images_are_known_by_their_first_bytes(string hex, string? expected) =>
        Assert.Equal(expected, MediaSniffer.ImageType(Convert.FromHexString(hex)));

    [Fact]
    public void A_pdf_starts_with_its_marker_within_the_first_kilobyte()
    {
        Assert.True(MediaSniffer.IsPdf(Encoding.ASCII.GetBytes("%PDF-1.7\n...")));
        Assert.True(MediaSniffer.IsPdf(Encoding.ASCII.GetBytes(new string(' ', 100) + "%PDF-1.4")));
        Assert.False(MediaSniffer.IsPdf(Encoding.ASCII.GetBytes(new string(' ', 2000) + "%PDF-1.4")));
        Assert.False(MediaSniffer.IsPdf(Encoding.ASCII.GetBytes("<html>%PDF</html>")));
    }
}
