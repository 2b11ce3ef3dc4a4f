using NixFleet.Silo.Configuration;
using NixFleet.Tests.Support;
using NixFleet.Web.Cli;
using OtpNet;

namespace NixFleet.Tests.Auth;

/// <summary>The dashboard binary's credential commands.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    private NixFleetOptions Options => AuthApp.DefaultOptions(_dir.Path);

    [Fact]
    public async Task Hash_password_reads_stdin_and_prints_a_hash_the_settings_accept()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await new HashPasswordCommand().RunAsync([], Options, new StringReader("s3cret password\n"), stdout, TextWriter.Null));
        var hash = stdout.ToString().Trim();
        Assert.True(BCrypt.Net.BCrypt.Verify("s3cret password", hash));
        var options = SettingsLoader.Load(n => n == "NIXFLEET_PASSWORD_HASH" ? hash : null, new List<string>(), _dir.Path);
        Assert.Equal(hash, options.PasswordHash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short\n")]
    public async Task Hash_password_refuses_empty_or_short_input(string input)
    {
        var stderr = new StringWriter();
        Assert.Equal(1, await new HashPasswordCommand().RunAsync([], Options, new StringReader(input), TextWriter.Null, stderr));
        Assert.Contains("at least", stderr.ToString());
    }

    [Fact]
    public async Task Hash_password_refuses_the_password_as_an_argument()
    {
        Assert.Equal(2, await new HashPasswordCommand().RunAsync(["hunter2hunter2"], Options, TextReader.Null, TextWriter.Null, new StringWriter()));
    }

    [Fact]
    public async Task The_real_binary_runs_hash_password_from_stdin()
    {
        await using var p = DashboardProcess.Start(_dir.Path, null, null, "hash-password");
        await p.Process.StandardInput.WriteLineAsync("binary password 1");
        p.Process.StandardInput.Close();
        Assert.Equal(0, await p.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var hash = Assert.Single(p.Output, l => l.StartsWith("$2"));
        Assert.True(BCrypt.Net.BCrypt.Verify("binary password 1", hash));
    }

    [Fact]
    public async Task Totp_setup_prints_a_secret_its_otpauth_uri_and_a_qr_code()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await new TotpSetupCommand().RunAsync([], Options, TextReader.Null, stdout, TextWriter.Null));
        var text = stdout.ToString();
        var uriLine = text.Split('\n').Single(l => l.StartsWith("otpauth://totp/"));
        var secret = text.Split('\n').Single(l => l.StartsWith("NIXFLEET_TOTP_SECRET=")).Split('=')[1].Trim();
        Assert.Contains($"secret={secret}", uriLine);
        Assert.Contains("issuer=NixFleet", uriLine);
        Assert.Contains("period=30", uriLine);
        Assert.Contains("█", text); // the QR code, drawn in block characters

        // The secret is one the dashboard accepts and codes made from it verify.
        var options = SettingsLoader.Load(n => n == "NIXFLEET_TOTP_SECRET" ? secret : null, new List<string>(), _dir.Path);
        Assert.Equal(secret, options.TotpSecret);
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
    }

    [Fact]
    public async Task Api_token_works_before_the_dashboard_ever_started()
    {
        var dir = Path.Combine(_dir.Path, "not", "yet");
        var options = AuthApp.DefaultOptions(dir);
        var stdout = new StringWriter();
        Assert.Equal(0, await new ApiTokenCommand().RunAsync(["create", "early"], options, TextReader.Null, stdout, TextWriter.Null));
        Assert.StartsWith("nfapi_", stdout.ToString());
        var list = new StringWriter();
        Assert.Equal(0, await new ApiTokenCommand().RunAsync(["list"], options, TextReader.Null, list, TextWriter.Null));
        Assert.Contains("early", list.ToString());
    }

    [Theory]
    [InlineData("$2a$")]
    [InlineData("$2b$")]
    [InlineData("$2y$")]
    public void Every_bcrypt_spelling_verifies(string prefix)
    {
        var hash = prefix + BCrypt.Net.BCrypt.HashPassword("spelled password", 4)[4..];
        Assert.True(NixFleet.Web.Auth.PasswordHashing.Verify("spelled password", hash));
        Assert.False(NixFleet.Web.Auth.PasswordHashing.Verify("other password", hash));
        Assert.False(NixFleet.Web.Auth.PasswordHashing.Verify("spelled password", "$2q$" + hash[4..]));
    }

    [Fact]
    public void The_commands_are_registered()
    {
        Assert.IsType<HashPasswordCommand>(CliCommands.Find(["hash-password"]));
        Assert.IsType<TotpSetupCommand>(CliCommands.Find(["totp-setup"]));
        Assert.IsType<ApiTokenCommand>(CliCommands.Find(["api-token", "list"]));
    }

    public void Dispose() => _dir.Dispose();
}
