namespace Switchboard.Ingress.Anthropic;

/// <summary>
/// Where a value sits in the request body, in Anthropic's error-path style (<c>messages.2.content.0.source.type</c>).
/// A value type that is only turned into text when an error names it, so the happy path allocates nothing.
/// </summary>
internal readonly struct FieldPath
{
    // Indices are stored plus one so that default(FieldPath) means "the request body".
    private readonly string? _head;
    private readonly int _first;
    private readonly int _second;
    private readonly int _third;
    private readonly string? _tail;

    private FieldPath(string? head, int first, int second, int third, string? tail)
    {
        _head = head;
        _first = first;
        _second = second;
        _third = third;
        _tail = tail;
    }

    /// <summary>The top level of the body: a field there is named by its own name.</summary>
    public static FieldPath Body => default;

    public static FieldPath Root(string field) => new(field, 0, 0, 0, null);

    /// <summary>
    /// An element of the array at this path. The first index follows the head (<c>messages.2</c>); later ones
    /// are content arrays (<c>messages.2.content.0</c>, then <c>.content.1</c> inside a tool result). Three levels
    /// are all the request has; deeper or post-<see cref="Child"/> items use <see cref="Child"/> with the index.
    /// </summary>
    public FieldPath Item(int index) =>
        _first == 0 ? new(_head, index + 1, 0, 0, null)
        : _second == 0 ? new(_head, _first, index + 1, 0, null)
        : new(_head, _first, _second, index + 1, null);

    /// <summary>An object nested under this path (<c>source</c>); constant names keep this free of allocation.</summary>
    public FieldPath Child(string field) => new(_head, _first, _second, _third, _tail is null ? field : $"{_tail}.{field}");

    /// <summary>The full path of <paramref name="field"/> under this path.</summary>
    public string Name(string field)
    {
        var prefix = ToString();
        return prefix.Length == 0 ? field : $"{prefix}.{field}";
    }

    public override string ToString()
    {
        var path = _head ?? "";
        if (_first > 0)
        {
            path = $"{path}.{_first - 1}";
        }

        if (_second > 0)
        {
            path = $"{path}.content.{_second - 1}";
        }

        if (_third > 0)
        {
            path = $"{path}.content.{_third - 1}";
        }

        return _tail is null ? path : path.Length == 0 ? _tail : $"{path}.{_tail}";
    }
}
