using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the assembly (no files on disk, no CDN, no build step): HTML templates,
/// one stylesheet and the scripts. Static files are served under <c>/ui/static/NAME?v=HASH</c>, so a browser may
/// cache them for a day and still gets the new ones after an upgrade.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "Switchboard.Dashboard.Assets.";

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(bytes, ContentType(name), Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A file that may be served to anyone (stylesheet, scripts), or null.</summary>
    public Asset? Static(string name) =>
        _assets.TryGetValue(name, out var asset) && (name.EndsWith(".js", StringComparison.Ordinal) || name.EndsWith(".css", StringComparison.Ordinal)) ? asset : null;

    /// <summary>A template's text.</summary>
    public string Template(string name) => Encoding.UTF8.GetString(_assets[name].Bytes);

    /// <summary>The versioned URL of a static file.</summary>
    public string Url(string name) => $"/ui/static/{name}?v={_assets[name].Version}";

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/html; charset=utf-8",
    };

    public sealed record Asset(byte[] Bytes, string ContentType, string Version);
}
