using System.Text;
using System.Threading.Channels;

namespace NixFleet.Tests.Support;

/// <summary>Reads a text/event-stream response into (event, data) pairs as they arrive.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Task _pump;
    private readonly CancellationTokenSource _cts = new();
    public Channel<(string Event, string Data)> Events { get; } = Channel.CreateUnbounded<(string, string)>();
    /// <summary>The same events with their <c>id:</c> (null when the event has none), for tests of resumption.</summary>
    public Channel<(string Event, string Data, string? Id)> WithIds { get; } = Channel.CreateUnbounded<(string, string, string?)>();

    private SseReader(HttpResponseMessage response)
    {
        _response = response;
        _pump = PumpAsync();
    }

    public static async Task<SseReader> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseReader(response);
    }

    /// <summary>The next event whose data satisfies <paramref name="match"/>, skipping others; throws after the timeout.</summary>
    public async Task<string> NextAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var (_, data) = await Events.Reader.ReadAsync(cts.Token);
            if (match(data)) return data;
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_cts.Token), Encoding.UTF8);
            string? name = null, id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_cts.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        await Events.Writer.WriteAsync((name ?? "message", data.ToString().TrimEnd('\n')));
                        await WithIds.Writer.WriteAsync((name ?? "message", data.ToString().TrimEnd('\n'), id));
                    }
                    name = id = null;
                    data.Clear();
                }
                else if (line.StartsWith("event: ")) name = line[7..];
                else if (line.StartsWith("data: ")) data.Append(line[6..]).Append('\n');
                else if (line.StartsWith("id: ")) id = line[4..];
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally
        {
            Events.Writer.TryComplete();
            WithIds.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _response.Dispose();
        try { await _pump; } catch (OperationCanceledException) { }
    }
}
