namespace NixFleet.Agent.Cli;

/// <summary>Process exit codes; <c>--check</c> tells apart what failed.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Config = 2;
    public const int Auth = 3;
    public const int Unreachable = 4;
}
