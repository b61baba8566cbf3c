using System.Buffers;
using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// An upstream answer seen through an <see cref="IResponseWatcher"/>. An answer the pipeline can relay stays
/// relayable through the watcher (<see cref="IRelayableResponse"/>), so watching never turns a passthrough into a
/// translation.
/// </summary>
public static class WatchedResponse
{
    public static IUpstreamResponse Watch(IUpstreamResponse inner, IResponseWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(watcher);
        return inner is IRelayableResponse relayable ? new Relayable(relayable, watcher) : new Plain(inner, watcher);
    }

    private class Plain(IUpstreamResponse inner, IResponseWatcher watcher) : IUpstreamResponse
    {
        private int _released;

        protected IResponseWatcher Watcher => watcher;

        public async Task ReadAsync(StreamAssembler target, StreamPacing? pacing, CancellationToken cancellationToken)
        {
            var streaming = pacing is not null;
            watcher.ReadStarted(streaming);
            try
            {
                await inner.ReadAsync(target, pacing, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                watcher.ReadFailed(failure, cancellationToken);
                throw;
            }
            finally
            {
                watcher.ReadEnded(streaming, target.UsageSoFar);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                inner.Dispose();
                watcher.Released();
            }
        }
    }

    private sealed class Relayable(IRelayableResponse inner, IResponseWatcher watcher) : Plain(inner, watcher), IRelayableResponse
    {
        public string Dialect => inner.Dialect;

        public bool IsStream => inner.IsStream;

        public Usage Usage => inner.Usage;

        public bool ContentSent => inner.ContentSent;

        public async Task RelayStreamAsync(IBufferWriter<byte> output, StreamPacing pacing, CancellationToken cancellationToken)
        {
            Watcher.ReadStarted(streaming: true);
            try
            {
                await inner.RelayStreamAsync(output, pacing, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                Watcher.ReadFailed(failure, cancellationToken);
                throw;
            }
            finally
            {
                Watcher.ReadEnded(streaming: true, inner.Usage);
            }
        }

        public async Task<ReadOnlyMemory<byte>> ReadMessageAsync(CancellationToken cancellationToken)
        {
            Watcher.ReadStarted(streaming: false);
            try
            {
                return await inner.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                Watcher.ReadFailed(failure, cancellationToken);
                throw;
            }
            finally
            {
                Watcher.ReadEnded(streaming: false, inner.Usage);
            }
        }
    }
}
