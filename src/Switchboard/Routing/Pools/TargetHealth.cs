using Switchboard.Configuration;
using Switchboard.Egress;

namespace Switchboard.Routing.Pools;

/// <summary>
/// What is known of one upstream's health: requests in flight, consecutive failures and the cooldown they caused.
/// Passive evidence (every request's outcome) and the active probe both land here; a cooldown ends by itself when
/// its time is up, so a view that has gone stale never keeps a recovered upstream out for long.
/// </summary>
public sealed class TargetHealth(UpstreamEndpoint upstream)
{
    private UpstreamEndpoint _upstream = upstream;
    private readonly Lock _lock = new();
    private int _inFlight;
    private int _consecutiveFailures;

    // Cooldowns since the last success: each further one is twice as long.
    private int _streak;
    private DateTimeOffset? _until;
    private DateTimeOffset? _retryAfterUntil;
    private HealthState _state = HealthState.Unknown;
    private string? _lastFailure;

    /// <summary>The upstream as last configured: a reload that changes its settings but not its address rebinds it.</summary>
    public UpstreamEndpoint Upstream => Volatile.Read(ref _upstream);

    public string Name => Upstream.Name;

    private UpstreamOptions Options => Upstream.Options;

    /// <summary>
    /// Whether <paramref name="next"/> is the same server as this one tracks (name, base URL and API), so what is known
    /// of its health still holds after a reload.
    /// </summary>
    public bool Tracks(UpstreamEndpoint next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var current = Upstream;
        return string.Equals(current.Name, next.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(current.BaseUrl, next.BaseUrl, StringComparison.Ordinal)
            && string.Equals(current.Options.Api, next.Options.Api, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Carries this health over to the reloaded settings of the same server (see <see cref="Tracks"/>).</summary>
    public void Rebind(UpstreamEndpoint next)
    {
        if (!Tracks(next))
        {
            throw new InvalidOperationException($"Upstream '{next.Name}' is not the server this health tracks");
        }

        Volatile.Write(ref _upstream, next);
    }

    /// <summary>Requests sent to this upstream and not yet finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request in flight until the returned lease is disposed.</summary>
    public IDisposable Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new Lease(this);
    }

    /// <summary>Whether new requests may be sent: not in a cooldown, or its time is up.</summary>
    public bool IsAvailable(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _until is not { } until || now >= until;
        }
    }

    /// <summary>When the cooldown ends, or null when there is none.</summary>
    public DateTimeOffset? CoolingUntil(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _until is { } until && now < until ? until : null;
        }
    }

    /// <summary>A request was answered: the upstream is healthy. True when it was in a cooldown or down before.</summary>
    public bool Succeeded()
    {
        lock (_lock)
        {
            var wasOut = _until is not null || _state == HealthState.Down;
            _consecutiveFailures = 0;
            _streak = 0;
            _until = null;
            _retryAfterUntil = null;
            _state = HealthState.Healthy;
            return wasOut;
        }
    }

    /// <summary>
    /// A request failed for the upstream's sake. Connection refusals, rate limits and overload cool it down at once
    /// (honouring <paramref name="retryAfterSeconds"/>); resets, timeouts and server errors only after
    /// <see cref="UpstreamOptions.FailureThreshold"/> in a row, or at once right after a cooldown. Returns the
    /// cooldown when this failure started one.
    /// </summary>
    public TimeSpan? Failed(UpstreamFailureKind kind, int? retryAfterSeconds, DateTimeOffset now)
    {
        lock (_lock)
        {
            _lastFailure = kind.LogName();
            _consecutiveFailures++;
            var decisive = kind is UpstreamFailureKind.Refused or UpstreamFailureKind.Unreachable
                or UpstreamFailureKind.RateLimited or UpstreamFailureKind.Overloaded;
            if (!decisive && _consecutiveFailures < Math.Max(1, Options.FailureThreshold) && _streak == 0)
            {
                return null;
            }

            if (_until is { } current && now < current)
            {
                // Already cooling (several requests failing at once): the first one set the time.
                return null;
            }

            var cooldown = Backoff();
            if (retryAfterSeconds is { } seconds && seconds > 0)
            {
                var asked = TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(Options.MaxCooldownSeconds, Options.CooldownSeconds)));
                cooldown = asked > cooldown ? asked : cooldown;
                _retryAfterUntil = now + asked;
            }

            _streak++;
            _until = now + cooldown;
            _state = HealthState.Cooling;
            return cooldown;
        }
    }

    /// <summary>
    /// The probe got a 2xx: a cooldown ends early, except the time an upstream's own <c>retry-after</c> asked for.
    /// True when the upstream comes back by it.
    /// </summary>
    public bool ProbeSucceeded(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_state is not (HealthState.Cooling or HealthState.Down))
            {
                if (_state == HealthState.Unknown)
                {
                    _state = HealthState.Healthy;
                }

                return false;
            }

            if (_retryAfterUntil is { } asked && now < asked)
            {
                _until = asked;
                return false;
            }

            _consecutiveFailures = 0;
            _until = null;
            _retryAfterUntil = null;
            _state = HealthState.Healthy;

            // The streak stays until a request succeeds: one more failure right away cools it down again, longer.
            return true;
        }
    }

    /// <summary>The probe failed: the upstream is down (kept out for a cooldown; the probe or its end lets it back).</summary>
    public TimeSpan? ProbeFailed(string reason, DateTimeOffset now)
    {
        lock (_lock)
        {
            _lastFailure = reason;
            if (_state == HealthState.Down && _until is { } current && now < current)
            {
                return null;
            }

            var wasDown = _state == HealthState.Down;
            var cooldown = Backoff();
            _streak++;
            _until = now + cooldown;
            _state = HealthState.Down;
            return wasDown ? null : cooldown;
        }
    }

    public UpstreamHealthReport Report(DateTimeOffset now)
    {
        lock (_lock)
        {
            var cooling = _until is { } until && now < until;
            var state = _state switch
            {
                HealthState.Down when cooling => "down",
                HealthState.Cooling or HealthState.Down when cooling => "cooling",

                // A cooldown whose time is up: requests may go again, nothing has proven it healthy yet.
                HealthState.Cooling or HealthState.Down => "unknown",
                HealthState.Healthy => "healthy",
                _ => "unknown",
            };
            var host = Uri.TryCreate(Upstream.BaseUrl, UriKind.Absolute, out var uri) ? uri.Authority : "";
            return new UpstreamHealthReport(Name, Options.Api, host, state, InFlight, cooling ? _until : null, _lastFailure);
        }
    }

    private TimeSpan Backoff()
    {
        var seconds = Options.CooldownSeconds * Math.Pow(2, Math.Min(_streak, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(Options.MaxCooldownSeconds, Options.CooldownSeconds)));
    }

    private enum HealthState
    {
        Unknown,
        Healthy,
        Cooling,
        Down,
    }

    private sealed class Lease(TargetHealth health) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref health._inFlight);
            }
        }
    }
}
