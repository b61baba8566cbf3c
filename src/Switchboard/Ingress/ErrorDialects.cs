namespace Switchboard.Ingress;

/// <summary>
/// Which dialect an error on a given request is written in. An endpoint declares its dialect as endpoint metadata
/// (an <see cref="IErrorDialect"/>, or a <see cref="HeaderChosenDialect"/> on a path every door shares); where no endpoint was matched (unknown paths, authentication, rejected
/// framing), the path decides, by the longest matching prefix, else the default dialect.
/// </summary>
public sealed class ErrorDialects
{
    private readonly (PathString Prefix, IErrorDialect Dialect)[] prefixes;

    public ErrorDialects(IErrorDialect fallback, IEnumerable<KeyValuePair<string, IErrorDialect>> prefixes)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(prefixes);
        Default = fallback;
        this.prefixes = prefixes
            .Select(p => (new PathString(p.Key), p.Value))
            .OrderByDescending(p => p.Item1.Value!.Length)
            .ToArray();
    }

    public IErrorDialect Default { get; }

    public IErrorDialect For(PathString path)
    {
        foreach (var (prefix, dialect) in prefixes)
        {
            // Segment-wise: "/v1/responses" covers "/v1/responses/resp_1" but not "/v1/responsesx".
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return dialect;
            }
        }

        return Default;
    }

    public IErrorDialect For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata?.GetMetadata<HeaderChosenDialect>()?.For(context.Request)
            ?? metadata?.GetMetadata<IErrorDialect>()
            ?? For(context.Request.Path);
    }

    /// <summary>Writes <paramref name="error"/> in the dialect of <paramref name="context"/>'s endpoint or path.</summary>
    public Task WriteAsync(HttpContext context, Canonical.ApiError error) => ErrorResponse.WriteAsync(context, For(context), error);
}
