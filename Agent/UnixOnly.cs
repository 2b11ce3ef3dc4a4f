// The agent manages NixOS and macOS hosts: process groups, file modes and signals are Unix-only by design.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
