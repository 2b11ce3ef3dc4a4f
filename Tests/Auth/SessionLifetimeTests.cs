using System.Net;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Auth;

/// <summary>Idle timeout, absolute lifetime, and sessions that outlive a restart of the dashboard.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task A_used_session_lives_until_its_absolute_end_and_an_unused_one_ends_when_idle()
    {
        await using var app = await AuthApp.StartAsync(o => o with { SessionDuration = TimeSpan.FromSeconds(8), SessionIdleTimeout = TimeSpan.FromSeconds(3) });

        using var busy = app.NewBrowser();
        await busy.SignInAsync();
        using var idle = app.NewBrowser();
        await idle.SignInAsync();

        // Used every 1.5 s: it outlives the 3 s idle limit several times over.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("")).StatusCode);
        }
        // Not used for 6 s: ended.
        Assert.Equal(HttpStatusCode.Redirect, (await idle.GetAsync("")).StatusCode);

        // Past 8 s from sign-in the busy one ends too, however busy.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(HttpStatusCode.Redirect, (await busy.GetAsync("")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a-session-secret-of-at-least-32-characters")]
    public async Task A_session_survives_a_restart_with_a_stored_or_a_derived_key(string? secret)
    {
        using var dir = new TempDir();
        string cookie;
        await using (var first = await AuthApp.StartAsync(o => o with { SessionSecret = secret }, dir.Path))
        {
            using var b = first.NewBrowser();
            await b.SignInAsync();
            cookie = b.Cookies["nixfleet_session"];
        }
        await using var second = await AuthApp.StartAsync(o => o with { SessionSecret = secret }, dir.Path);
        using var again = second.NewBrowser();
        again.Cookies["nixfleet_session"] = cookie;
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task A_different_session_secret_invalidates_old_cookies()
    {
        using var dir = new TempDir();
        string cookie;
        await using (var first = await AuthApp.StartAsync(o => o with { SessionSecret = new string('a', 40) }, dir.Path))
        {
            using var b = first.NewBrowser();
            await b.SignInAsync();
            cookie = b.Cookies["nixfleet_session"];
        }
        await using var second = await AuthApp.StartAsync(o => o with { SessionSecret = new string('b', 40) }, dir.Path);
        using var again = second.NewBrowser();
        again.Cookies["nixfleet_session"] = cookie;
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("")).StatusCode);
    }
}
