using System.Diagnostics;

namespace NixFleet.Tests.Ship;

/// <summary>
/// Runs a command-line tool of the deployment checks (nix-instantiate, docker-compose) and captures what it
/// printed. A missing tool is a failure that says how to get it, never a skip: scripts/test.sh installs them.
/// </summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Support.RepoPaths.Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // A null value removes the variable, so the caller's environment cannot leak into a check.
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{file} is not installed ({e.Message}); scripts/test.sh installs it (Debian: nix-bin, docker-compose).", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 2 minutes");
            }
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
