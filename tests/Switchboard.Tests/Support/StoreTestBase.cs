using Switchboard.Storage;

namespace Switchboard.Tests.Support;

/// <summary>
/// Base of the store tests: each test gets its own fresh store of the subclass's dialect, so every store test runs
/// against SQLite and against PostgreSQL (one subclass each).
/// </summary>
public abstract class StoreTestBase(StoreDialect dialect) : IAsyncLifetime
{
    private TestStore? _storage;

    protected StoreDialect Dialect { get; } = dialect;

    protected TestStore Storage => _storage ?? throw new InvalidOperationException("not initialized");

    protected SwitchboardStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _storage = await TestStore.CreateAsync(Dialect);
        Store = await _storage.OpenAsync(Time);
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    /// <summary>The clock the store is opened with (tests may override to a fake one).</summary>
    protected virtual TimeProvider Time => TimeProvider.System;
}
