using NixFleet.Agent.Configuration;
using NixFleet.Agent.Facts;
using HostMetrics = NixFleet.Protocol.Metrics;

namespace NixFleet.Agent.Metrics;

/// <summary>Samples cpu/ram/swap/load for each heartbeat; CPU is measured between consecutive samples.</summary>
internal sealed class MetricsSampler(HostKind kind)
{
    private CpuTimes? _last;

    public async Task<HostMetrics?> SampleAsync()
    {
        try
        {
            return kind == HostKind.MacOS ? await SampleMacAsync() : SampleLinux();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Debug("metrics unavailable: " + ex.Message);
            return null;
        }
    }

    private HostMetrics? SampleLinux()
    {
        var cpu = LinuxProc.ParseStat(File.ReadAllText("/proc/stat"));
        var mem = LinuxProc.ParseMemInfo(File.ReadAllText("/proc/meminfo"));
        var load = LinuxProc.ParseLoadAvg(File.ReadAllText("/proc/loadavg"));
        if (cpu is null || mem is null) return null;
        var usage = _last is { } before ? LinuxProc.Round(CpuTimes.UsagePercent(before, cpu.Value)) : 0;
        _last = cpu;
        return new HostMetrics(usage, mem.Value.Ram, mem.Value.Swap, load ?? 0);
    }

    private static async Task<HostMetrics?> SampleMacAsync()
    {
        var load = await ProcessRunner.RunAsync("sysctl", ["-n", "vm.loadavg"]);
        var size = await ProcessRunner.RunAsync("sysctl", ["-n", "hw.memsize"]);
        var swap = await ProcessRunner.RunAsync("sysctl", ["-n", "vm.swapusage"]);
        var vm = await ProcessRunner.RunAsync("vm_stat", []);
        var ps = await ProcessRunner.RunAsync("ps", ["-A", "-o", "%cpu="]);
        var ram = MacSysctl.ParseVmStat(vm.Stdout, size.Stdout);
        if (ram is null) return null;
        return new HostMetrics(MacSysctl.ParsePsCpu(ps.Stdout, Environment.ProcessorCount), ram.Value,
            MacSysctl.ParseSwapUsage(swap.Stdout) ?? 0, MacSysctl.ParseLoadAvg(load.Stdout) ?? 0);
    }
}
