namespace Switchboard.EndToEnd.Hostile;

/// <summary>Whose error envelope a path speaks.</summary>
internal enum Dialect
{
    Anthropic,
    OpenAI,

    /// <summary>Paths that belong to no door: either envelope will do.</summary>
    Either,
}
