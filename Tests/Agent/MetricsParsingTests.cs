using NixFleet.Agent.Metrics;

namespace NixFleet.Tests.Agent;

/// <summary>Linux /proc and macOS sysctl/vm_stat/ps parsing, on captured outputs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MetricsParsingTests
{
    [Fact]
    public void Cpu_usage_is_the_busy_share_between_two_proc_stat_samples()
    {
        var a = LinuxProc.ParseStat("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\nintr 1\n")!.Value;
        var b = LinuxProc.ParseStat("cpu  250 0 150 1000 100 0 0 0 0 0\ncpu0 1 1 1 1 1 0 0 0 0 0\n")!.Value;
        Assert.Equal(1000UL, a.Total);
        Assert.Equal(800UL, a.Idle);              // idle + iowait
        Assert.Equal(40.0, CpuTimes.UsagePercent(a, b), 3); // 200 busy of 500
        Assert.Equal(0, CpuTimes.UsagePercent(b, b));
        Assert.Null(LinuxProc.ParseStat("intr 1 2 3"));
    }

    [Fact]
    public void Meminfo_gives_ram_and_swap_percent_used()
    {
        const string text = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nSwapTotal:       2000000 kB\nSwapFree:        1500000 kB\n";
        var (ram, swap) = LinuxProc.ParseMemInfo(text)!.Value;
        Assert.Equal(75.0, ram);
        Assert.Equal(25.0, swap);
        Assert.Equal(0, LinuxProc.ParseMemInfo("MemTotal: 100 kB\nMemAvailable: 100 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n")!.Value.Swap);
        Assert.Null(LinuxProc.ParseMemInfo("garbage"));
    }

    [Fact]
    public void Loadavg_is_the_one_minute_figure()
    {
        Assert.Equal(0.42, LinuxProc.ParseLoadAvg("0.42 0.35 0.30 1/234 5678\n"));
        Assert.Null(LinuxProc.ParseLoadAvg(""));
    }

    [Fact]
    public void Mac_vm_stat_and_memsize_give_ram_percent()
    {
        const string vmStat = """
            Mach Virtual Memory Statistics: (page size of 16384 bytes)
            Pages free:                               10000.
            Pages active:                            200000.
            Pages inactive:                          190000.
            Pages speculative:                         5000.
            Pages throttled:                              0.
            Pages wired down:                        100000.
            Pages purgeable:                           3000.
            Pages occupied by compressor:             50000.
            """;
        // (200000 + 100000 + 50000) pages × 16 KiB = 5.34 GiB of 16 GiB
        var ram = MacSysctl.ParseVmStat(vmStat, "17179869184\n");
        Assert.Equal(33.4, ram);
        Assert.Null(MacSysctl.ParseVmStat(vmStat, "not a number"));
    }

    [Fact]
    public void Mac_loadavg_swapusage_and_ps_cpu()
    {
        Assert.Equal(1.52, MacSysctl.ParseLoadAvg("{ 1.52 1.61 1.70 }\n"));
        Assert.Equal(25.0, MacSysctl.ParseSwapUsage("total = 2048.00M  used = 512.00M  free = 1536.00M  (encrypted)"));
        Assert.Equal(50.0, MacSysctl.ParseSwapUsage("total = 2.00G  used = 1024.00M  free = 1024.00M  (encrypted)"));
        Assert.Equal(0, MacSysctl.ParseSwapUsage("total = 0.00M  used = 0.00M  free = 0.00M  (encrypted)"));
        Assert.Equal(30.0, MacSysctl.ParsePsCpu(" 50.0\n 40.0\n  0.0\n 30.0\n", 4));
        Assert.Equal(100.0, MacSysctl.ParsePsCpu("900\n", 2)); // clamped
    }
}
