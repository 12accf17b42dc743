using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Runtime;

namespace PbxRouter.Calls.Engine;

/// <summary>The flows the engine starts besides the foundation greeting: patients' calls under the rules, calls from phones.</summary>
public sealed record CallFlows(PlanCalls? Plans = null, IPhoneCallHandler? Phones = null);

/// <summary>
/// Turns ARI events into calls: a new caller channel starts a session, whose runtime is attached to the call's event
/// queue; every later event of that call (its legs and bridges included) reaches the call's own inbox, in order.
/// </summary>
public sealed class CallEngine : ILegHandover
{
    private readonly AriClient _ari;
    private readonly EngineOptions _options;
    private readonly CallJournal _journal;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CallFlows _flows;
    private readonly ConcurrentDictionary<string, CallSession> _sessions = new();
    // The end (StasisEnd, ChannelDestroyed) of channels no call owned when it came: a caller a previous engine left may hang
    // up between the resync's list and its takeover, and its takeover must not wait for an end already gone by.
    private readonly ConcurrentDictionary<string, (AriEvent End, long At)> _endedUnowned = new(StringComparer.Ordinal);

    public CallEngine(AriClient ari, EngineOptions options, CallJournal journal, ILoggerFactory loggers, TimeProvider time, CallFlows? flows = null)
    {
        _ari = ari;
        _options = options;
        _journal = journal;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CallEngine>();
        _time = time;
        _flows = flows ?? new CallFlows();
        Queues = new CallEventQueues(HandleAsync, loggers.CreateLogger<CallEventQueues>(), time: time);
    }

    /// <summary>One ordered queue per call; the event stream posts every event here.</summary>
    public CallEventQueues Queues { get; }

    public int ActiveCalls => _sessions.Count;

    /// <summary>Events waiting unread in the calls' inboxes, all calls together (metrics; read at scrape time).</summary>
    public int PendingEvents => _sessions.Values.Sum(s => s.Call.PendingEvents);

    /// <summary>The events no call's inbox took: new callers' StasisStart, and events of channels that are not (or no longer) a call's.</summary>
    private async ValueTask HandleAsync(string key, AriEvent e, CancellationToken ct)
    {
        if (_sessions.TryGetValue(key, out var owner))
        {
            Deliver(owner, e);
            return;
        }
        if (e is StasisStart start && !_sessions.ContainsKey(start.Channel.Id))
        {
            await StartCallAsync(start.Channel, start.Args, null, ct).ConfigureAwait(false);
            return;
        }
        if (e is AdoptCall adopt)
        {
            // Ordered with the caller's own events: a StasisStart handled first made it a call already.
            if (_sessions.ContainsKey(adopt.Caller.Id)) return;
            await StartCallAsync(adopt.Caller.Channel, CallAdoption.StasisArgs(adopt.Caller.Channel), adopt, ct).ConfigureAwait(false);
            if (_endedUnowned.TryRemove(adopt.Caller.Id, out var ended) && _sessions.TryGetValue(adopt.Caller.Id, out var taken)) Deliver(taken, ended.End);
            return;
        }
        foreach (var channelId in e.ChannelIds)
        {
            if (!_sessions.TryGetValue(channelId, out var session)) continue;
            Deliver(session, e);
            return;
        }
        if (e is StasisEnd or ChannelDestroyed && e.ChannelIds.FirstOrDefault() is { } gone) RememberEnd(gone, e);
    }

    private void RememberEnd(string channelId, AriEvent end)
    {
        var now = _time.GetTimestamp();
        if (_endedUnowned.Count >= 256)
            foreach (var old in _endedUnowned.Where(x => _time.GetElapsedTime(x.Value.At, now) > TimeSpan.FromMinutes(1)))
                _endedUnowned.TryRemove(old.Key, out _);
        if (_endedUnowned.Count < 4096) _endedUnowned[channelId] = (end, now);
    }

    private static void Deliver(CallSession session, AriEvent e)
    {
        if (e is not CallResumed) session.Trace.Saw(e.Type);
        if (e is PlaybackStarted started) session.Trace.Played(started.Playback.MediaUri);
        session.Call.Deliver(e);
    }

    /// <summary>A new call (its StasisStart), or one a previous engine left in Stasis (<paramref name="adopt"/>).</summary>
    private async Task StartCallAsync(Channel channel, IReadOnlyList<string> stasisArgs, AdoptCall? adopt, CancellationToken ct)
    {
        var args = StasisArguments.Parse(stasisArgs, channel.Dialplan?.Exten);
        var kind = args.Kind;
        if (kind is not ("inbound" or "phone"))
        {
            // The engine's own outgoing legs ("leg", "leg,escalation") belong to the call that made them.
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("Channel {ChannelId} entered Stasis with args [{Args}]: not a new call", channel.Id,
                    UntrustedText.ForDisplay(string.Join(',', stasisArgs)));
            return;
        }
        var called = args.Called;
        var startedAt = adopt is null ? _time.GetUtcNow() : adopt.Caller.Saved?.StartedAt ?? StartedAt(channel);
        var trace = _journal.Start(channel.Id, called, channel.Caller.Number, startedAt);
        trace.Saw(adopt is null ? "StasisStart" : adopt.Type);
        trace.Step(adopt is null ? $"entered ({kind})" : $"taken over from a previous engine ({kind})");
        var patient = kind == "inbound" ? PatientIdentity.Of(channel.Caller, args.Presentation ?? await PresentationAsync(channel.Id, ct)) : null;
        if (_logger.IsEnabled(LogLevel.Information))
            _logger.LogInformation("Call {CallId} from {Caller}{Withheld} to {Called} ({Kind})", channel.Id, PhoneNumberMask.Mask(channel.Caller.Number),
                patient?.Withheld == true ? " (withheld)" : "", called.Length > 0 ? called : "(not a number: " + UntrustedText.ForDisplay(args.Dialled) + ")", kind);
        var adopted = adopt is null ? null : new AdoptedCall(adopt.Caller.Saved, kind == "inbound" ? adopt.Connection : null);
        var plan = patient is not null ? _flows.Plans?.TryCreate(Services<PlanCall>(), channel, args.Called, patient, args.Dialled, trace, adopted) : null;
        if (patient is not null && plan is null && !_options.GreetWithoutRules)
        {
            // No rules applied yet (first start, or a database that is not the practice's): the fallback route, never a dead end.
            _logger.LogWarning("Call {CallId}: no routing rules applied yet: fallback route", channel.Id);
            trace.Step("no rules: fallback");
            await FallbackAsync(channel.Id, StasisArguments.FallbackExtension(called), ct).ConfigureAwait(false);
            _journal.Finish(trace, "fallback", _time.GetUtcNow());
            Queues.Complete(channel.Id);
            return;
        }
        var session = plan ?? NewSession(channel, args, trace);
        if (adopted?.Connection is { } connection)
        {
            // The conversation's leg and bridge are this call's from now on: their events come to its inbox.
            session.Call.Add(connection.Leg, adopt!.ConnectedKind ?? LegKind.PhoneLeg, connection.AnsweredBy);
            if (adopt.Bridge is { } bridge) session.Call.Add(bridge, LegKind.Bridge);
        }
        _sessions[channel.Id] = session;
        Queues.Attach(channel.Id, e => Deliver(session, e));
        session.Start();
        _ = session.Completion.ContinueWith(_ => End(session), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>
    /// When a channel with nothing saved reached Asterisk, on the engine's clock: its age by Asterisk's clock (the real
    /// one) taken from the engine's now, so that a pinned clock (`serve --clock-start`) routes it as it would have been.
    /// </summary>
    private DateTimeOffset StartedAt(Channel channel)
    {
        var now = _time.GetUtcNow();
        if (channel.CreationTime == default) return now;
        var age = TimeProvider.System.GetUtcNow() - channel.CreationTime;
        return age > TimeSpan.Zero ? now - age : now;
    }

    private CallSession NewSession(Channel channel, StasisArguments args, CallTrace trace)
    {
        if (args.Kind == "phone" && _flows.Phones is { } phones)
            return new PhoneCallSession(new PhoneCall(Services<PhoneCallSession>(), channel, args.Called), trace, phones);
        return new GreetingCall(new LiveCall(Services<GreetingCall>(), channel), trace, _options);
    }

    private CallServices Services<T>() => new(_ari, Queues, _time, _loggers.CreateLogger<T>(), this);

    /// <summary>
    /// An attended transfer takes the transfer target's leg from the call that rang it (the secretary's consultation call):
    /// that call forgets it (it will neither hang it up nor see its events); the taker registers it as its own.
    /// </summary>
    public bool Release(string legId, string toCall)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.CallId == toCall || !session.Call.Legs.Contains(legId)) continue;
            session.Call.Forget(legId);
            _logger.LogInformation("Leg {LegId} handed over from call {From} to call {To}", legId, session.CallId, toCall);
            return true;
        }
        return false;
    }

    private void End(CallSession session, string? outcome = null)
    {
        if (!_sessions.TryRemove(session.CallId, out _)) return;
        session.OnEnded();
        _journal.Finish(session.Trace, outcome ?? session.Outcome ?? "ended", _time.GetUtcNow());
        Queues.Complete(session.CallId);
        if (_logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("Call {CallId} ended: {Outcome}", session.CallId, session.Trace.Outcome);
    }

    /// <summary>
    /// After (re)connecting: Asterisk dropped this app's events while we were away, so compare our calls with the channels
    /// still in Stasis. Calls that vanished are closed; calls still there look at their real state again
    /// (<see cref="CallResumed"/>); callers a previous engine left (crash, restart) are taken over where they stood
    /// (<see cref="CallAdoption"/>), the legs and bridges nobody needs any more are ended. Returns the calls this engine
    /// handles from now on (its own and those it takes over): a record of a previous engine's call that is not among them
    /// ended while no engine ran.
    /// </summary>
    public async Task<IReadOnlySet<string>> ResyncAsync(bool isReconnect, CancellationToken ct)
    {
        var app = await _ari.Applications.GetAsync(_ari.Options.Application, ct).ConfigureAwait(false);
        var inStasis = new HashSet<string>(app.ChannelIds);
        foreach (var session in _sessions.Values)
        {
            if (!inStasis.Contains(session.CallId))
            {
                session.Trace.Step("ended while the engine was disconnected");
                End(session, "ended-while-disconnected");
                continue;
            }
            Queues.Post(new CallResumed(session.CallId));
        }
        var orphans = inStasis.Where(id => !_sessions.ContainsKey(id) && !IsOwned(id)).ToList();
        var adoptions = await new CallAdoption(_ari, _logger, _time).PrepareAsync(orphans, app.BridgeIds.ToList(), IsOwned, ct).ConfigureAwait(false);
        foreach (var adopt in adoptions)
        {
            _logger.LogWarning("Call {CallId} was left in Stasis by a previous engine: taken over ({State})", adopt.Caller.Id,
                adopt.Connection is { } c ? $"connected to {c.AnsweredBy}" : adopt.Caller.Saved is { } saved ? $"at step {saved.Step + 1}" : "nothing saved");
            Queues.Post(adopt);
        }
        _logger.LogInformation("Resynced after {Kind}: {Active} calls kept, {Adopted} taken over, {InStasis} channels in Stasis",
            isReconnect ? "reconnect" : "start", _sessions.Count, adoptions.Count, inStasis.Count);
        return new HashSet<string>(_sessions.Keys.Concat(adoptions.Select(a => a.Caller.Id)), StringComparer.Ordinal);
    }

    /// <summary>True when a live call owns this channel or bridge (as its caller, or as one of its legs or bridges).</summary>
    private bool IsOwned(string id) => _sessions.ContainsKey(id) || _sessions.Values.Any(s => s.Call.Legs.Contains(id));

    /// <summary>
    /// The engine stops (SIGTERM): every call is left in Asterisk for the next engine, conversations up, waiting callers
    /// with music or ringing (their saved state tells the next engine where they stood). Completes when every flow has.
    /// </summary>
    public async Task HandOverAsync()
    {
        var sessions = _sessions.Values.ToList();
        await Task.WhenAll(sessions.Select(s => s.HandOverAsync())).ConfigureAwait(false);
        _logger.LogInformation("Handed over {Count} calls to the next engine", sessions.Count);
    }

    /// <summary>The caller's presentation when the dialplan did not pass it (one read; on failure the caller counts as withheld).</summary>
    private async Task<string> PresentationAsync(string channelId, CancellationToken ct)
    {
        try
        {
            return await _ari.Channels.GetVariableAsync(channelId, "CALLERID(pres)", ct).ConfigureAwait(false) ?? "prohib";
        }
        catch (AriException ex)
        {
            _logger.LogWarning("Call {CallId}: caller presentation unreadable ({Error}): the caller is treated as withheld", channelId, ex.Message);
            return "prohib";
        }
    }

    private Task FallbackAsync(string channelId, string exten, CancellationToken ct) =>
        new FallbackRoute(_ari, _options.FallbackContext, _logger, _time).TakeAsync(channelId, exten, ct);
}
