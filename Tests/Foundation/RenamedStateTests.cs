using NixFleet.Tests.Support;
using Orleans.Storage;

namespace NixFleet.Tests.Foundation;

/// <summary>Stored state is keyed by property names, never by CLR type or assembly names.</summary>
public sealed class RenamedStateTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task State_written_as_one_type_loads_into_a_renamed_type_after_a_restart()
    {
        var db = _dir.File("nixfleet.db");
        var id = GrainId.Create("probe", "hsb0");

        var first = await SqliteCluster.StartAsync(db);
        var written = new GrainState<Before.ProbeStateV1>(new Before.ProbeStateV1
        {
            Hostname = "hsb0",
            Generation = "abc1234",
            Checks = [new Before.CheckV1("git", "ok")],
        });
        await first.GrainStorage().WriteStateAsync("probe", id, written);
        await first.StopAllSilosAsync();
        await first.DisposeAsync();

        var second = await SqliteCluster.StartAsync(db);
        try
        {
            var read = new GrainState<After.RenamedProbeState>(new After.RenamedProbeState());
            await second.GrainStorage().ReadStateAsync("probe", id, read);
            Assert.True(read.RecordExists);
            Assert.Equal(written.ETag, read.ETag);
            Assert.NotNull(read.State);
            Assert.Equal("hsb0", read.State.Hostname);
            Assert.Equal("abc1234", read.State.Generation);
            Assert.Equal(new After.RenamedCheck("git", "ok"), Assert.Single(read.State.Checks));

            // and the version check still holds for the renamed type
            read.State.Generation = "def5678";
            await second.GrainStorage().WriteStateAsync("probe", id, read);
            var stale = new GrainState<After.RenamedProbeState>(new After.RenamedProbeState()) { ETag = written.ETag };
            await Assert.ThrowsAsync<InconsistentStateException>(() => second.GrainStorage().WriteStateAsync("probe", id, stale));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();
}
