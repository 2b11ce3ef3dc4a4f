using NixFleet.Silo.Hosting;

namespace NixFleet.Tests.Foundation;

/// <summary>glibc's malloc settings at start: applied on Linux, and never over the operator's own.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Glibc_takes_every_setting_when_the_environment_gives_none()
    {
        string[] expected = OperatingSystem.IsLinux() ? ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"] : [];
        Assert.Equal(expected, NativeHeap.Tune(_ => null));
    }

    [Fact]
    public void A_setting_the_operator_gave_through_glibc_is_left_alone()
    {
        var applied = NativeHeap.Tune(v => v == "MALLOC_ARENA_MAX" ? "8" : null);
        Assert.DoesNotContain("MALLOC_ARENA_MAX", applied);
        Assert.Equal(OperatingSystem.IsLinux(), applied.Contains("MALLOC_MMAP_THRESHOLD_"));
    }
}
