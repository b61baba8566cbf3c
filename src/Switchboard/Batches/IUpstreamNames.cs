namespace Switchboard.Batches;

/// <summary>
/// The upstream a model name routes to, for the batch share of each upstream (<see cref="UpstreamSlots"/>); null when
/// the name routes nowhere (the pipeline then answers the request with its own error). The composition root
/// supplies it from the model catalog.
/// </summary>
public interface IUpstreamNames
{
    string? Of(string model);
}
