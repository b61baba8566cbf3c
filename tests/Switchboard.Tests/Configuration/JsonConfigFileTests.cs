using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class JsonConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-config-").FullName;

    [Fact]
    public void A_missing_file_is_named_by_its_full_path()
    {
        var path = Path.Combine(_directory, "missing.json");

        Assert.Equal($"configuration file not found: {path}", JsonConfigFile.Problem(path, optional: false));
        Assert.Null(JsonConfigFile.Problem(path, optional: true));
    }

    [Fact]
    public void A_syntax_error_is_reported_with_its_line_and_position()
    {
        var path = Path.Combine(_directory, "broken.json");
        File.WriteAllText(path, "{\n  \"Switchboard\": {\n    \"Port\": 4100,,\n  }\n}\n");

        Assert.StartsWith($"configuration file {path} is not valid JSON: line 3, position 18: ", JsonConfigFile.Problem(path, optional: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted_as_the_configuration_system_accepts_them()
    {
        var path = Path.Combine(_directory, "ok.json");
        File.WriteAllText(path, "{\n  // port\n  \"Switchboard\": { \"Port\": 4100, },\n}\n");

        Assert.Null(JsonConfigFile.Problem(path, optional: false));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
