namespace Switchboard.Ingress;

/// <summary>
/// Where a value sits in an OpenAI-door request body (Chat Completions, Responses), in OpenAI's <c>param</c> style
/// (<c>messages[2].content[0].image_url.url</c>, <c>tools[1].function.name</c>). A value type turned into text only
/// when an error names it, so reading a valid request builds no path strings.
/// </summary>
internal readonly struct OpenAIPath
{
    // Indices are stored plus one so that zero means "none".
    private readonly string? _head;
    private readonly int _index;
    private readonly string? _list;
    private readonly int _item;
    private readonly string? _tail;

    private OpenAIPath(string? head, int index, string? list, int item, string? tail)
    {
        _head = head;
        _index = index;
        _list = list;
        _item = item;
        _tail = tail;
    }

    /// <summary>The top level of the body: a field there is named by its own name.</summary>
    public static OpenAIPath Body => default;

    public static OpenAIPath Root(string field) => new(field, 0, null, 0, null);

    /// <summary>An element of the array at this path: <c>messages[2]</c>, then <c>messages[2].content[0]</c>.</summary>
    public OpenAIPath Item(int index) =>
        _index == 0 && _list is null ? new(_head, index + 1, null, 0, null)
        : _item == 0 && _tail is null ? new(_head, _index, _list, index + 1, null)
        : new(_head, _index, _list, _item, $"{_tail}[{index}]");

    /// <summary>A field nested under this path; the first below an index is free, deeper ones build a string.</summary>
    public OpenAIPath Child(string field) =>
        _list is null && _item == 0 && _tail is null ? new(_head, _index, field, 0, null)
        : new(_head, _index, _list, _item, _tail is null ? field : $"{_tail}.{field}");

    /// <summary>The full path of <paramref name="field"/> under this path.</summary>
    public string Name(string field)
    {
        var prefix = ToString();
        return prefix.Length == 0 ? field : $"{prefix}.{field}";
    }

    public override string ToString()
    {
        var path = _head ?? "";
        if (_index > 0)
        {
            path = $"{path}[{_index - 1}]";
        }

        if (_list is not null)
        {
            path = path.Length == 0 ? _list : $"{path}.{_list}";
        }

        if (_item > 0)
        {
            path = $"{path}[{_item - 1}]";
        }

        if (_tail is not null)
        {
            path = _tail.StartsWith('[') ? path + _tail : $"{path}.{_tail}";
        }

        return path;
    }
}
