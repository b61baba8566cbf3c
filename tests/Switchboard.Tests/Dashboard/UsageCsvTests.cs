using Switchboard.Dashboard;
using Switchboard.Tenancy;

namespace Switchboard.Tests.Dashboard;

public sealed class UsageCsvTests
{
    [Fact]
    public void Usage_totals_become_csv_with_a_total_line_and_no_spreadsheet_formulas()
    {
        var csv = UsageCsv.Write(UsageGrouping.Key,
        [
            new UsageTotal("k1", 2, 100, 10, 5, 20, 0, 1_500_000),
            new UsageTotal("k2", 1, 7, 0, 0, 3, 1, 250),
        ], new Dictionary<string, string> { ["k1"] = "=HYPERLINK(\"x\")", ["k2"] = "bob, the builder" });

        Assert.Equal(
            "key_id,name,requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd\r\n" +
            "k1,\"'=HYPERLINK(\"\"x\"\")\",2,100,10,5,20,0,1.5\r\n" +
            "k2,\"bob, the builder\",1,7,0,0,3,1,0.00025\r\n" +
            "total,,3,107,10,5,23,1,1.50025\r\n", csv);
    }

    [Fact]
    public void By_model_there_is_no_name_column()
    {
        var csv = UsageCsv.Write(UsageGrouping.Model, [new UsageTotal("-qwen", 1, 1, 0, 0, 1, 0, 0)], null);
        Assert.Equal("model,requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd\r\n'-qwen,1,1,0,0,1,0,0\r\ntotal,1,1,0,0,1,0,0\r\n", csv);
    }
}
