namespace Switchboard.Tenancy.Keys;

/// <summary>A field of a change: left as it is (default), or set to a value (which may be null: cleared).</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static implicit operator Optional<T>(T value) => new(true, value);

    public T Or(T current) => IsSet ? Value : current;
}
