using System.Diagnostics;

namespace NixFleet.Agent.Facts;

/// <summary>Runs a short program (no shell) and captures its output, for facts and checks — not for commands.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public bool Ok => ExitCode == 0;
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, string? cwd = null,
        IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        Process p;
        try { p = Process.Start(psi)!; }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            return new Result(127, "", $"cannot run {program}: {ex.Message}");
        }
        using (p)
        {
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            try { await p.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                return new Result(124, "", $"{program} timed out");
            }
            return new Result(p.ExitCode, await stdout, await stderr);
        }
    }

    public static Result Run(string program, IEnumerable<string> args, string? cwd = null) =>
        RunAsync(program, args, cwd).GetAwaiter().GetResult();
}
