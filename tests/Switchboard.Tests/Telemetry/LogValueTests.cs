using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

public sealed class LogValueTests
{
    [Fact]
    public void A_plain_short_value_is_the_same_string()
    {
        const string model = "claude-sonnet-4-5";

        Assert.Same(model, LogValue.Clip(model));
        Assert.Null(LogValue.Clip(null));
    }

    [Fact]
    public void Control_characters_are_escaped_so_a_value_cannot_start_a_log_line_of_its_own()
    {
        Assert.Equal("evil\\n2026-01-01 forged\\r\\t\\u001b[31m\\u0085", LogValue.Clip("evil\n2026-01-01 forged\r\t\u001b[31m\u0085"));
    }

    [Fact]
    public void A_long_value_is_cut_to_the_limit_and_marked()
    {
        var clipped = LogValue.Clip(new string('m', 5000))!;

        Assert.Equal(LogValue.MaxLength + 1, clipped.Length);
        Assert.EndsWith("m…", clipped, StringComparison.Ordinal);
    }
}
