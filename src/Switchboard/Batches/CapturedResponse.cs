using System.IO.Pipelines;
using Switchboard.Pipeline;

namespace Switchboard.Batches;

/// <summary>
/// The pipeline's answer held in memory: status and body of one batch request, which becomes its result line. A
/// batch request never streams (the create check refuses <c>stream</c>), so the body is one message or one error.
/// </summary>
public sealed class CapturedResponse(string requestId, CancellationToken aborted) : IResponseChannel
{
    private readonly MemoryStream _buffer = new();
    private PipeWriter? _body;

    public string RequestId { get; } = requestId;

    public CancellationToken Aborted { get; } = aborted;

    public PipeWriter Body => _body ??= PipeWriter.Create(_buffer, new StreamPipeWriterOptions(leaveOpen: true));

    public bool HasStarted { get; private set; }

    /// <summary>The status the pipeline answered with; 0 when it answered nothing (the run was stopped).</summary>
    public int Status { get; private set; }

    public void Begin(int status, string contentType)
    {
        Status = status;
        HasStarted = true;
    }

    public void SetHeader(string name, string value)
    {
    }

    public void BeginStream(string contentType) => Begin(200, contentType);

    /// <summary>The answer's body as written (flushed first), as text.</summary>
    public async Task<string> ReadBodyAsync()
    {
        if (_body is not null)
        {
            await _body.FlushAsync(CancellationToken.None);
        }

        return System.Text.Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }
}
