using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NixFleet.Agent.Processes;

/// <summary>
/// The agent binary in its <c>__step</c> role: leads a new session (so the whole command is one process group,
/// detached from the agent), runs one program without a shell, appends its stdout/stderr lines to the command's
/// output file and finally writes the exit code to a file. It outlives the agent, which is how a switch
/// survives the agent being restarted.
/// </summary>
internal static class StepSupervisor
{
    public const string Verb = "__step";

    /// <summary><c>__step OUT EXIT CWD -- program args…</c></summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var sep = args.ToList().IndexOf("--");
        if (args.Count < 5 || sep != 3) { Console.Error.WriteLine("usage: __step OUT EXIT CWD -- program [args…]"); return 2; }
        string outFile = args[0], exitFile = args[1], cwd = args[2];
        Native.SetSid();
        // TERM is for the group: the program gets it too; we stay to record how it ended.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);

        var write = new object();
        void Line(string? text, bool err)
        {
            if (text is null) return;
            lock (write) OutputFile.Append(outFile, text, err);
        }

        int code;
        try
        {
            var psi = new ProcessStartInfo(args[4])
            {
                WorkingDirectory = cwd, UseShellExecute = false,
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            };
            foreach (var a in args.Skip(5)) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            p.OutputDataReceived += (_, e) => Line(e.Data, false);
            p.ErrorDataReceived += (_, e) => Line(e.Data, true);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            p.WaitForExit();
            code = p.ExitCode;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            Line($"cannot run {args[4]}: {ex.Message}", true);
            code = 127;
        }
        var tmp = exitFile + ".tmp";
        File.WriteAllText(tmp, code.ToString(CultureInfo.InvariantCulture));
        File.Move(tmp, exitFile, overwrite: true);
        return code;
    }
}
