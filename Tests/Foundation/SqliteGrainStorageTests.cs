using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;
using Orleans.Storage;
using Orleans.TestingHost;

namespace NixFleet.Tests.Foundation;

/// <summary>Grain state through the group-committing store on a real file: every write lands, conflicts stay single.</summary>
public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private TestCluster _cluster = null!;

    private string Db => _dir.File("nixfleet.db");

    public async Task InitializeAsync() => _cluster = await SqliteCluster.StartAsync(Db);

    [Fact]
    public async Task Hundreds_of_concurrent_writes_are_all_stored_and_read_back()
    {
        var states = Enumerable.Range(0, 600).Select(i => new GrainState<Probe>(new Probe { Name = $"h{i}", Count = i })).ToArray();
        await Task.WhenAll(states.Select((s, i) => Storage.WriteStateAsync("probe", Id(i), s)));
        Assert.All(states, s => Assert.Equal("1", s.ETag));

        // and again, each from the version it got
        foreach (var s in states) s.State!.Count += 1000;
        await Task.WhenAll(states.Select((s, i) => Storage.WriteStateAsync("probe", Id(i), s)));
        for (var i = 0; i < states.Length; i += 37)
        {
            var read = new GrainState<Probe>(new Probe());
            await Storage.ReadStateAsync("probe", Id(i), read);
            Assert.True(read.RecordExists);
            Assert.Equal("2", read.ETag);
            Assert.Equal(i + 1000, read.State!.Count);
            Assert.Equal($"h{i}", read.State!.Name);
        }
        Assert.Equal(600L, Scalar("SELECT count(*) FROM GrainState WHERE GrainType = 'probe' AND Version = 2;"));
    }

    [Fact]
    public async Task A_stale_write_fails_alone_and_the_writes_beside_it_are_stored()
    {
        var first = new GrainState<Probe>(new Probe { Name = "a" });
        await Storage.WriteStateAsync("probe", Id(1), first);
        var stale = new GrainState<Probe>(new Probe { Name = "stale" }) { ETag = first.ETag };
        await Storage.WriteStateAsync("probe", Id(1), first); // version 2 now

        var fresh = Enumerable.Range(10, 50).Select(i => new GrainState<Probe>(new Probe { Name = $"f{i}" })).ToArray();
        var writes = fresh.Select((s, i) => Storage.WriteStateAsync("probe", Id(10 + i), s)).ToList();
        var conflict = Storage.WriteStateAsync("probe", Id(1), stale);
        var twin = Storage.WriteStateAsync("probe", Id(10), new GrainState<Probe>(new Probe { Name = "second activation" }));

        await Assert.ThrowsAsync<InconsistentStateException>(() => conflict);
        await Assert.ThrowsAsync<InconsistentStateException>(() => twin); // no version, but the row exists
        await Task.WhenAll(writes);
        Assert.Equal("stale", stale.State!.Name);
        Assert.Equal("1", stale.ETag); // a failed write leaves the grain's version alone
        Assert.Equal("a", (await ReadAsync(1)).State!.Name);
        Assert.Equal("f10", (await ReadAsync(10)).State!.Name);
    }

    [Fact]
    public async Task Clearing_keeps_the_version_so_a_stale_activation_still_conflicts()
    {
        var s = new GrainState<Probe>(new Probe { Name = "x", Count = 3 });
        await Storage.WriteStateAsync("probe", Id(5), s);
        var old = s.ETag;
        await Storage.ClearStateAsync("probe", Id(5), s);
        Assert.Equal("2", s.ETag);
        Assert.False(s.RecordExists);
        Assert.Null(s.State!.Name);

        var read = await ReadAsync(5);
        Assert.Equal("2", read.ETag);
        Assert.Null(read.State!.Name);
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("probe", Id(5), new GrainState<Probe>(new Probe()) { ETag = old }));

        // clearing what was never stored is no conflict
        var never = new GrainState<Probe>(new Probe());
        await Storage.ClearStateAsync("probe", Id(6), never);
        Assert.Null(never.ETag);
        Assert.False((await ReadAsync(6)).RecordExists);
    }

    [Fact]
    public async Task Keys_are_stored_in_the_columns_the_ado_net_provider_used()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        await Storage.WriteStateAsync("probe", GrainId.Create("probe", "hsb0"), new GrainState<Probe>(new Probe()));
        await Storage.WriteStateAsync("probe", GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(42)), new GrainState<Probe>(new Probe()));
        await Storage.WriteStateAsync("probe", GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(guid)), new GrainState<Probe>(new Probe()));

        Assert.Equal(1L, Scalar("SELECT count(*) FROM GrainState WHERE GrainKeyN0 = 0 AND GrainKeyN1 = 0 AND GrainKeyString = 'hsb0';"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM GrainState WHERE GrainKeyN0 = 0 AND GrainKeyN1 = 42 AND GrainKeyString = '';"));
        var bytes = guid.ToByteArray();
        Assert.Equal(1L, Scalar($"SELECT count(*) FROM GrainState WHERE GrainKeyN0 = {BitConverter.ToInt64(bytes, 0)} AND GrainKeyN1 = {BitConverter.ToInt64(bytes, 8)};"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM GrainState WHERE ServiceId = 'nixfleet' AND GrainType = 'probe' AND GrainKeyString = 'hsb0';"));
    }

    [Fact]
    public async Task A_write_that_cannot_be_stored_fails_with_the_reason_and_later_writes_are_stored()
    {
        await Storage.WriteStateAsync("probe", Id(1), new GrainState<Probe>(new Probe { Name = "before" }));
        Execute("DROP TABLE GrainState;");

        var lost = new GrainState<Probe>(new Probe { Name = "lost" });
        var e = await Assert.ThrowsAsync<SqliteException>(() => Storage.WriteStateAsync("probe", Id(2), lost));
        Assert.Contains("GrainState", e.Message);
        Assert.Null(lost.ETag);

        SqliteSchema.Ensure($"Data Source={Db}");
        var after = new GrainState<Probe>(new Probe { Name = "after" });
        await Storage.WriteStateAsync("probe", Id(2), after);
        Assert.Equal("after", (await ReadAsync(2)).State!.Name);
    }

    private IGrainStorage Storage => _cluster.GrainStorage();

    private static GrainId Id(int i) => GrainId.Create("probe", $"p{i}");

    private async Task<GrainState<Probe>> ReadAsync(int i)
    {
        var read = new GrainState<Probe>(new Probe());
        await Storage.ReadStateAsync("probe", Id(i), read);
        return read;
    }

    private object? Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={Db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void Execute(string sql) => Scalar(sql);

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    public sealed class Probe
    {
        public string? Name { get; set; }
        public int Count { get; set; }
    }
}
