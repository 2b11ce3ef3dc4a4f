using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Grains.Rollouts;

/// <summary>
/// Runs one command across hosts wave by wave. Hosts tell it when a command ended; a timer also asks them
/// now and then, so an end lost in a restart is still seen (a host marks what it lost as interrupted).
/// </summary>
public sealed class RolloutGrain(
    [PersistentState("rollout", StorageNames.Default)] IPersistentState<RolloutState> state,
    [FromKeyedServices(NixFleetClock.Key)] TimeProvider clock) : Grain, IRolloutGrain
{
    private const int PollEveryTicks = 5;
    private IGrainTimer? _timer;
    private int _ticks;

    private RolloutState S => state.State;
    private string Id => this.GetPrimaryKeyString();
    private CommandOptions Options => ServiceProvider.GetService<CommandOptions>() ?? new CommandOptions();
    private ICommandAuditSink Audit => ServiceProvider.GetRequiredService<ICommandAuditSink>();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Spec is not null && !RolloutStatus.IsEnded(S.Status)) StartTimer();
        return Task.CompletedTask;
    }

    public async Task<RolloutView> StartAsync(RolloutSpec spec)
    {
        if (S.Spec is not null) return View();
        if (RolloutPlan.Problem(spec) is { } problem) throw new ArgumentException(problem, nameof(spec));
        S.Spec = spec;
        S.Hosts = RolloutPlan.Waves(spec);
        S.WaveCount = S.Hosts.Max(h => h.Wave) + 1;
        S.CreatedAt = clock.GetUtcNow();
        S.Status = RolloutStatus.Running;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).AddAsync(Id);
        await RecordAsync("rollout.start", spec.RequestedBy, $"{spec.Op} on {spec.Hosts.Count} hosts in {S.WaveCount} waves");
        await AdvanceAsync();
        StartTimer();
        return View();
    }

    public Task<RolloutView?> GetAsync() => Task.FromResult(S.Spec is null ? null : View());

    public Task<RolloutView?> PauseAsync(string requestedBy) => SetStatusAsync(RolloutStatus.Running, RolloutStatus.Paused, "rollout.pause", requestedBy);

    public async Task<RolloutView?> ResumeAsync(string requestedBy)
    {
        var view = await SetStatusAsync(RolloutStatus.Paused, RolloutStatus.Running, "rollout.resume", requestedBy);
        if (S.Status == RolloutStatus.Running) await AdvanceAsync();
        return view is null ? null : View();
    }

    public async Task<RolloutView?> CancelAsync(string requestedBy)
    {
        if (S.Spec is null) return null;
        if (RolloutStatus.IsEnded(S.Status)) return View();
        await RecordAsync("rollout.cancel", requestedBy, "");
        await FinishAsync(RolloutStatus.Cancelled, $"cancelled by {requestedBy}");
        return View();
    }

    public async Task CommandEndedAsync(CommandRecord command)
    {
        if (!Update(command)) return;
        await state.WriteStateAsync();
        await PublishAsync();
        await AdvanceAsync();
    }

    public async Task ResumeAfterRestartAsync()
    {
        if (S.Spec is null || RolloutStatus.IsEnded(S.Status)) return;
        await PollAsync();
        await AdvanceAsync();
    }

    private async Task<RolloutView?> SetStatusAsync(string from, string to, string action, string by)
    {
        if (S.Spec is null) return null;
        if (S.Status != from) return View();
        S.Status = to;
        await state.WriteStateAsync();
        await RecordAsync(action, by, "");
        await PublishAsync();
        return View();
    }

    /// <summary>Starts the next wave when the current one ended, unless failures, pause or the wait say otherwise.</summary>
    private async Task AdvanceAsync()
    {
        if (S.Spec is not { } spec || S.Status != RolloutStatus.Running) return;
        if (S.Hosts.Any(h => h.Wave == S.CurrentWave && (RolloutPlan.IsOpen(h) || h.Phase == RolloutHost.Pending))) return;
        var failures = S.Hosts.Count(RolloutPlan.IsFailure);
        if (failures > spec.MaxFailures)
        {
            await FinishAsync(RolloutStatus.Failed, $"{failures} hosts failed (max_failures {spec.MaxFailures})");
            return;
        }
        if (S.CurrentWave + 1 >= S.WaveCount)
        {
            await FinishAsync(RolloutStatus.Completed, failures == 0 ? "every host succeeded" : $"{failures} hosts failed, within max_failures");
            return;
        }
        var now = clock.GetUtcNow();
        if (S.CurrentWave >= 0 && spec.WaitBetweenSeconds > 0)
        {
            S.NextWaveAt ??= now + TimeSpan.FromSeconds(spec.WaitBetweenSeconds);
            if (now < S.NextWaveAt) return;
        }
        S.NextWaveAt = null;
        S.CurrentWave++;
        var wave = S.CurrentWave;
        var request = new CommandRequest(spec.Op, $"{spec.RequestedBy} (rollout {Id})", spec.Args, Queue: false, Force: spec.Force, RolloutId: Id);
        var targets = S.Hosts.Where(h => h.Wave == wave).Select(h => h.Host).ToList();
        // Record the wave before sending, so a crash cannot send it twice.
        await state.WriteStateAsync();
        var results = await Task.WhenAll(targets.Select(h => GrainFactory.GetGrain<IHostGrain>(h).SubmitCommandAsync(request)));
        for (var i = 0; i < targets.Count; i++)
        {
            var index = S.Hosts.FindIndex(h => h.Host == targets[i]);
            S.Hosts[index] = results[i].Command is { } c
                ? S.Hosts[index] with { CommandId = c.Id, Phase = c.Phase.Name(), Message = c.Message }
                : S.Hosts[index] with { Phase = RolloutHost.Refused, Message = $"{results[i].Code}: {results[i].Message}" };
        }
        await state.WriteStateAsync();
        await PublishAsync();
        await AdvanceAsync(); // a wave whose hosts all refused ends at once
    }

    private async Task FinishAsync(string status, string message)
    {
        S.Status = status;
        S.Message = message;
        S.EndedAt = clock.GetUtcNow();
        for (var i = 0; i < S.Hosts.Count; i++)
            if (S.Hosts[i].Phase == RolloutHost.Pending) S.Hosts[i] = S.Hosts[i] with { Phase = RolloutHost.Skipped };
        await state.WriteStateAsync();
        await PublishAsync();
        GrainFactory.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).EndedAsync(Id).Ignore();
        _timer?.Dispose();
        _timer = null;
    }

    private bool Update(CommandRecord c)
    {
        var index = S.Hosts.FindIndex(h => h.CommandId == c.Id);
        if (index < 0 || S.Hosts[index].Phase == c.Phase.Name()) return false;
        S.Hosts[index] = S.Hosts[index] with { Phase = c.Phase.Name(), Message = c.Message };
        return true;
    }

    /// <summary>Asks hosts about commands still open here, in case their end notice was lost.</summary>
    private async Task PollAsync()
    {
        var open = S.Hosts.Where(h => RolloutPlan.IsOpen(h) && h.CommandId is not null).ToList();
        var records = await Task.WhenAll(open.Select(h => GrainFactory.GetGrain<IHostGrain>(h.Host).GetCommandAsync(h.CommandId!)));
        var changed = false;
        for (var i = 0; i < open.Count; i++)
        {
            if (records[i] is { } r) changed |= Update(r);
            else
            {
                var index = S.Hosts.FindIndex(h => h.CommandId == open[i].CommandId);
                S.Hosts[index] = S.Hosts[index] with { Phase = CommandPhase.Interrupted.Name(), Message = "the host no longer knows the command" };
                changed = true;
            }
        }
        if (!changed) return;
        await state.WriteStateAsync();
        await PublishAsync();
    }

    private void StartTimer() => _timer ??= this.RegisterGrainTimer(TickAsync, Options.TickPeriod, Options.TickPeriod);

    private async Task TickAsync(CancellationToken ct)
    {
        if (++_ticks % PollEveryTicks == 0 || _ticks == 1) await PollAsync();
        await AdvanceAsync();
    }

    private RolloutView View() => new(Id, S.Spec!, S.Status, S.CurrentWave, S.WaveCount, S.Hosts.Count(RolloutPlan.IsFailure),
        S.Hosts.ToList(), S.CreatedAt, S.EndedAt, S.Message);

    private async Task PublishAsync()
    {
        var stream = this.GetStreamProvider(CommandStreams.Provider).GetStream<RolloutView>(StreamId.Create(CommandStreams.Rollouts, Id));
        await stream.OnNextAsync(View());
    }

    private Task RecordAsync(string action, string by, string detail) =>
        Audit.RecordAsync(new CommandAuditEvent(action, by, null, null, Id, detail, clock.GetUtcNow()));
}
