using System.Text.Json;

namespace Switchboard.Pipeline;

/// <summary>
/// A request body a door has read and parsed. Disposing it releases the memory behind <see cref="RootElement"/>,
/// so the pipeline keeps it only as long as the request needs it.
/// </summary>
public interface IRequestJson : IDisposable
{
    JsonElement RootElement { get; }
}
