using NixFleet.Grains.Interfaces;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Live;

/// <summary>Keeping a host's newest facts with the instances already kept: the values are always the new ones.</summary>
public sealed class ValueReuseTests
{
    // Fresh strings on each call, as a stream or a JSON parser hands them over.
    private static string Fresh(string s) => new(s.AsSpan());

    private static HostSummary Summary(double cpu, DateTimeOffset checkedAt, string status = "ok", bool online = true) =>
        new(Fresh("web-1"), Fresh("nixos"), Fresh("home"), Fresh("server"), Fresh("#7aa2f7"), online,
            checkedAt, Fresh("8f3e2a1"), Fresh("2.4.0"), new HostMetrics(cpu, 40, 0, 0.5),
            new StatusCompartments(new Compartment(Fresh(status), "", checkedAt), new Compartment(Fresh("ok"), Fresh("up to date"), checkedAt),
                Compartment.Unknown, Compartment.Unknown),
            null);

    [Fact]
    public void A_summary_from_the_stream_keeps_the_strings_already_held_and_takes_every_new_value()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var last = Summary(10, t0);
        var next = Summary(55, t0.AddSeconds(5), status: "outdated", online: false);

        var kept = ValueReuse.Keep(last, next);

        Assert.Equal(next, kept);
        Assert.Same(last.Hostname, kept.Hostname);
        Assert.Same(last.HostType, kept.HostType);
        Assert.Same(last.Generation, kept.Generation);
        Assert.Same(last.Compartments.Lock.Message, kept.Compartments.Lock.Message);
        Assert.Same("outdated", kept.Compartments.Git.Status); // the shared instance of the name
        Assert.Equal(55, kept.Metrics!.Cpu);
    }

    [Fact]
    public void An_equal_summary_is_the_one_already_held()
    {
        var last = Summary(10, DateTimeOffset.UnixEpoch);
        Assert.Same(last, ValueReuse.Keep(last, Summary(10, DateTimeOffset.UnixEpoch)));
    }

    [Fact]
    public void Checks_made_of_shared_instances_are_kept_as_they_came_instead_of_copied()
    {
        var at = DateTimeOffset.UnixEpoch;
        var last = new StatusCompartments(new Compartment("ok", "", at), new Compartment("ok", "", at), Compartment.Unknown, Compartment.Unknown);
        var next = new StatusCompartments(new Compartment(Compartment.KnownStatus(Fresh("ok")), "", at.AddSeconds(5)),
            new Compartment("ok", "", at.AddSeconds(5)), Compartment.Unknown, Compartment.Unknown);

        Assert.Same(next, ValueReuse.Keep(last, next));
        Assert.Same(last, ValueReuse.Keep(last, last with { }));
        Assert.Null(ValueReuse.Keep(last, null));
        Assert.Same(next, ValueReuse.Keep(null, next));
    }

    [Fact]
    public void A_status_name_maps_to_its_shared_instance_and_anything_else_to_unknown()
    {
        Assert.Same(Compartment.Statuses[0], Compartment.KnownStatus(Fresh("ok")));
        Assert.Equal("unknown", Compartment.KnownStatus("<script>"));
        Assert.Equal("unknown", Compartment.KnownStatus(null));
        Assert.Equal("unknown", Compartment.KnownStatus("OK"));
    }

    [Fact]
    public void A_summary_of_another_host_is_never_merged()
    {
        var last = Summary(10, DateTimeOffset.UnixEpoch);
        var other = last with { Hostname = "web-2" };
        Assert.Same(other, ValueReuse.Keep(last, other));
    }
}
