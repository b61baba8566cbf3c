namespace Switchboard.Configuration;

/// <summary>
/// Start-up cannot go on: every problem found in the flags, files and settings, each a plain line naming the flag or
/// key path it is about. The program prints them and exits with code 2; no stack trace is shown.
/// </summary>
public sealed class SwitchboardConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public SwitchboardConfigurationException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
