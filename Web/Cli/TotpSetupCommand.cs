using OtpNet;
using QRCoder;
using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Cli;

/// <summary><c>totp-setup</c>: a new TOTP secret, its otpauth:// URI and a QR code to scan, for NIXFLEET_TOTP_SECRET.</summary>
public sealed class TotpSetupCommand : ICliCommand
{
    public string Name => "totp-setup";
    public string Usage => "totp-setup [ACCOUNT]   (new secret, otpauth:// URI and a terminal QR code)";

    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)).TrimEnd('=');

    public static string Uri(string secret, string account) =>
        $"otpauth://totp/NixFleet:{System.Uri.EscapeDataString(account)}?secret={secret}&issuer=NixFleet&algorithm=SHA1&digits=6&period=30";

    public async Task<int> RunAsync(IReadOnlyList<string> args, NixFleetOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count > 1)
        {
            await stderr.WriteLineAsync("Usage: " + Usage);
            return 2;
        }
        var account = args.Count == 1 ? args[0] : "operator";
        var secret = NewSecret();
        var uri = Uri(secret, account);
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        await stdout.WriteLineAsync(new AsciiQRCode(data).GetGraphicSmall());
        await stdout.WriteLineAsync(uri);
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync($"{Settings.TotpSecret.Name}={secret}");
        await stdout.WriteLineAsync($"Scan the code (or enter the secret) in an authenticator app, then set {Settings.TotpSecret.Name} and restart the dashboard.");
        return 0;
    }
}
