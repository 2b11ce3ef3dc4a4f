using NixFleet.Silo.Configuration;
using NixFleet.Web.Auth;

namespace NixFleet.Web.Cli;

/// <summary><c>hash-password</c>: reads a password from stdin (not argv, which other users can see) and prints its bcrypt hash.</summary>
public sealed class HashPasswordCommand : ICliCommand
{
    public const int MinLength = 8, MaxLength = 72;

    public string Name => "hash-password";
    public string Usage => "hash-password < password.txt   (prints a bcrypt hash for NIXFLEET_PASSWORD_HASH)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, NixFleetOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count > 0)
        {
            await stderr.WriteLineAsync("hash-password reads the password from stdin, not from arguments. Usage: " + Usage);
            return 2;
        }
        // One line: what `printf '%s' pw |` or `echo pw |` gives; a trailing newline is not part of the password.
        var password = (await stdin.ReadLineAsync())?.TrimEnd('\r');
        if (password is null || password.Length < MinLength)
        {
            await stderr.WriteLineAsync($"hash-password: the password must be at least {MinLength} characters (got {password?.Length ?? 0}).");
            return 1;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(password) > MaxLength)
        {
            await stderr.WriteLineAsync($"hash-password: bcrypt uses only the first {MaxLength} bytes; choose a shorter password.");
            return 1;
        }
        await stdout.WriteLineAsync(PasswordHashing.Hash(password));
        return 0;
    }
}
