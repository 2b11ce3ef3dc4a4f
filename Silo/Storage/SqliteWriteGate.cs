namespace NixFleet.Silo.Storage;

/// <summary>
/// One writer at a time on the database file, waited for asynchronously. SQLite allows a single writer; without
/// this, concurrent writers (a rollout's hundreds of grain writes, audit entries, output) meet SQLITE_BUSY, and
/// Microsoft.Data.Sqlite retries by sleeping on the calling thread, which starves the thread pool that grains and
/// sockets share. Queued here they cost a wait, not a blocked thread.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write)
    {
        await _one.WaitAsync();
        try { return await write(); }
        finally { _one.Release(); }
    }

    public Task RunAsync(Func<Task> write) => RunAsync(async () => { await write(); return true; });
}
