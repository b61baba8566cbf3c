using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Canonical;

namespace Switchboard.Hosting;

/// <summary>
/// The connection's output as Kestrel sees it: every write goes straight to the transport, except a response head
/// that may be Kestrel's own bodiless rejection (<see cref="KestrelRejection"/>), which is held back until it is
/// known, and then passed on unchanged or with an error body.
/// </summary>
/// <remarks>
/// Kestrel flushes at the end of every response, so a response starts at the first write after a flush. Only that
/// write is looked at, and only its first bytes, so a 200 with a body or an SSE event passes with a comparison of a
/// byte or ten and no copy. A write that starts like <c>HTTP/1.1 4</c> or <c>5</c> is copied aside instead of being
/// committed to the transport (Kestrel may write the head over several GetMemory/Advance calls; the uncommitted
/// memory is handed out again for the next write) until its head is complete: anything but a bodiless rejection is
/// then committed as it was written.
/// </remarks>
public sealed class RejectionBodyWriter(PipeWriter inner, Action<string, int>? onRejection = null) : PipeWriter
{
    private byte[]? _held;
    private bool _atResponseStart = true;
    private bool _holding;
    private int _heldCount;
    private int _rejectionStatus;
    private Memory<byte> _lent;

    private bool Watching => _atResponseStart || _holding;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_holding ? _heldCount : 0);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var memory = inner.GetMemory(sizeHint);
        if (Watching)
        {
            _lent = memory;
        }

        return memory;
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        if (!Watching)
        {
            return inner.GetSpan(sizeHint);
        }

        _lent = inner.GetMemory(sizeHint);
        return _lent.Span;
    }

    public override void Advance(int bytes)
    {
        if (!Watching || bytes == 0)
        {
            inner.Advance(bytes);
            return;
        }

        if (bytes > _lent.Length)
        {
            // Not written through memory this writer lent out: nothing to look at.
            Release();
            inner.Advance(bytes);
            return;
        }

        var written = _lent.Span[..bytes];
        _lent = default;
        if (_holding)
        {
            Hold(written);
            return;
        }

        _atResponseStart = false;
        if (!KestrelRejection.MayStart(written))
        {
            inner.Advance(bytes);
            return;
        }

        _holding = true;
        Hold(written);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        EndHold();
        _atResponseStart = true;
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        EndHold();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        EndHold();
        return inner.CompleteAsync(exception);
    }

    /// <summary>Adds a write to the held head and passes it on as soon as it cannot be a rejection.</summary>
    private void Hold(ReadOnlySpan<byte> written)
    {
        _held ??= new byte[KestrelRejection.MaxHeadLength];
        if (_rejectionStatus != 0 || _heldCount + written.Length > _held.Length)
        {
            // Bytes after a complete rejection head, or a head too long to be one. They sit in the memory the held
            // bytes are about to be committed to, so they are copied first.
            var copy = written.ToArray();
            Release();
            inner.Write(copy);
            return;
        }

        written.CopyTo(_held.AsSpan(_heldCount));
        _heldCount += written.Length;
        var held = _held.AsSpan(0, _heldCount);
        if (!KestrelRejection.MayStart(held))
        {
            Release();
            return;
        }

        int headLength = KestrelRejection.HeadLength(held);
        if (headLength < 0)
        {
            return;
        }

        if (KestrelRejection.StatusOf(held) is { } status)
        {
            _rejectionStatus = status;
        }
        else
        {
            Release();
        }
    }

    /// <summary>At a flush or the end: a complete rejection head goes out with its body, anything else as it was.</summary>
    private void EndHold()
    {
        if (!_holding)
        {
            return;
        }

        if (_rejectionStatus == 0)
        {
            Release();
            return;
        }

        string requestId = Ids.NewRequestId();
        inner.Write(KestrelRejection.WithBody(_held.AsSpan(0, _heldCount), _rejectionStatus, requestId));
        onRejection?.Invoke(requestId, _rejectionStatus);
        Reset();
    }

    /// <summary>Commits the held bytes unchanged; they go out exactly as Kestrel wrote them.</summary>
    private void Release()
    {
        if (_holding && _heldCount > 0)
        {
            inner.Write(_held.AsSpan(0, _heldCount));
        }

        Reset();
    }

    private void Reset()
    {
        _holding = false;
        _heldCount = 0;
        _rejectionStatus = 0;
        _atResponseStart = false;
    }
}
