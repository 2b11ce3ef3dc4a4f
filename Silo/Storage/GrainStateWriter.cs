using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Group commit for grain state: every write and clear waiting when the writer comes round goes into one
/// transaction, through statements prepared once on the writer's own connection. One transaction and no SQL
/// parsing per batch instead of per write: at 10,000 hosts the per-write connection, parse and commit of the
/// ADO.NET provider were the largest share of the dashboard's CPU after the sockets (docs/BENCHMARKS.md).
/// A write completes only after its batch committed.
/// </summary>
internal sealed partial class GrainStateWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<PendingStateWrite> _queue = Channel.CreateUnbounded<PendingStateWrite>(new() { SingleReader = true });
    private readonly string _connectionString;
    private readonly SqliteWriteGate _gate;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private WriterConnection? _connection;

    public GrainStateWriter(string connectionString, SqliteWriteGate gate, ILogger logger)
    {
        _connectionString = connectionString;
        _gate = gate;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public Task<StateWriteOutcome> WriteAsync(PendingStateWrite write)
    {
        if (!_queue.Writer.TryWrite(write)) write.Done.TrySetException(new ObjectDisposedException(nameof(GrainStateWriter)));
        return write.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingStateWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var w)) batch.Add(w);
            await _gate.RunAsync(() => { Commit(batch); return Task.CompletedTask; });
            batch.Clear();
        }
        _connection?.Dispose();
    }

    private void Commit(List<PendingStateWrite> batch)
    {
        var outcomes = new StateWriteOutcome[batch.Count];
        var failed = new Exception?[batch.Count];
        try
        {
            _connection ??= new WriterConnection(_connectionString);
            using var tx = _connection.Begin();
            for (var i = 0; i < batch.Count; i++)
            {
                // A statement that fails takes only itself back; the batch goes on.
                try { outcomes[i] = _connection.Apply(batch[i], tx); }
                catch (SqliteException e) { failed[i] = e; }
            }
            tx.Commit();
        }
        catch (Exception e)
        {
            // Nothing of this batch is stored: everyone hears so, and the next batch starts on a fresh connection.
            LogBatchFailed(batch.Count, e.Message);
            _connection?.Dispose();
            _connection = null;
            foreach (var w in batch) w.Done.TrySetException(e);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failed[i] is { } e) batch[i].Done.TrySetException(e);
            else batch[i].Done.TrySetResult(outcomes[i]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued (grains deactivating at shutdown) are still committed.
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain state batch of {Count} writes failed, none stored: {Reason}")]
    private partial void LogBatchFailed(int count, string reason);
}
