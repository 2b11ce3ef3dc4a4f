namespace NixFleet.Tests.Agent.Support;

/// <summary>
/// The only replaced programs: <c>sudo</c>, <c>nixos-rebuild</c>, <c>home-manager</c>, <c>nix</c> (and <c>reboot</c>),
/// as small scripts first on PATH. Each logs its argv to <c>$FAKE_LOG</c>; FAKE_* variables steer them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class FakeHostTools
{
    private const string Sudo = """
        #!/bin/sh
        echo "sudo $*" >> "$FAKE_LOG"
        exec "$@"
        """;

    private const string Reboot = """
        #!/bin/sh
        echo "reboot $*" >> "$FAKE_LOG"
        """;

    // Prints FAKE_SWITCH_LINES lines (stdout and, every 5th, stderr), waits for FAKE_SWITCH_GATE to exist when set,
    // prints the rest, exits FAKE_SWITCH_EXIT.
    private const string Rebuild = """
        #!/bin/sh
        echo "$(basename "$0") $*" >> "$FAKE_LOG"
        n=${FAKE_SWITCH_LINES:-5}
        half=$((n / 2))
        i=1
        while [ $i -le $n ]; do
          if [ $i -eq $((half + 1)) ] && [ -n "$FAKE_SWITCH_GATE" ]; then
            echo "waiting for gate" 
            while [ ! -e "$FAKE_SWITCH_GATE" ]; do sleep 0.1; done
          fi
          if [ $((i % 5)) -eq 0 ]; then echo "rebuild line $i" >&2; else echo "rebuild line $i"; fi
          [ -n "$FAKE_LINE_DELAY" ] && sleep "$FAKE_LINE_DELAY"
          i=$((i + 1))
        done
        # A switch that installs a new agent build: the same path now holds other bytes.
        [ -n "$FAKE_REPLACE_BINARY" ] && printf '\n' >> "$FAKE_REPLACE_BINARY"
        # A switch that moves the service manager's link to another agent build, as a new system generation does.
        [ -n "$FAKE_NEW_AGENT" ] && ln -sfn "$FAKE_NEW_AGENT" "$FAKE_AGENT_LINK"
        exit ${FAKE_SWITCH_EXIT:-0}
        """;

    // nix flake update: with FAKE_NIX_HANG=1 it starts helpers (one ignoring TERM) and hangs, printing every PID.
    private const string Nix = """
        #!/bin/sh
        echo "nix $*" >> "$FAKE_LOG"
        if [ "$1" = "eval" ]; then printf '%s' "${FAKE_SYSTEM_PATH:-/nix/store/unknown}"; exit 0; fi
        if [ "$FAKE_NIX_HANG" = "1" ]; then
          sleep 600 &
          echo "child $!"
          sh -c 'trap "" TERM; while :; do sleep 1; done' &
          echo "child $!"
          echo "main $$"
          sleep 600
          exit 0
        fi
        echo "updating flake.lock"
        echo "updated" >> flake.lock
        """;

    public static void WriteTo(string bin)
    {
        Directory.CreateDirectory(bin);
        Write(bin, "sudo", Sudo);
        Write(bin, "reboot", Reboot);
        Write(bin, "nixos-rebuild", Rebuild);
        Write(bin, "home-manager", Rebuild);
        Write(bin, "nix", Nix);
    }

    private static void Write(string bin, string name, string text)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, text.Replace("\r", "") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
    }
}
