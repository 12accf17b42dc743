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
public sealed class CallEngine
{
    private readonly AriClient _ari;
    private readonly EngineOptions _options;
    private readonly CallJournal _journal;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CallFlows _flows;
    private readonly ConcurrentDictionary<string, CallSession> _sessions = new();

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
            await StartCallAsync(start, ct).ConfigureAwait(false);
            return;
        }
        foreach (var channelId in e.ChannelIds)
        {
            if (!_sessions.TryGetValue(channelId, out var session)) continue;
            Deliver(session, e);
            return;
        }
    }

    private static void Deliver(CallSession session, AriEvent e)
    {
        if (e is not CallResumed) session.Trace.Saw(e.Type);
        session.Call.Deliver(e);
    }

    private async Task StartCallAsync(StasisStart start, CancellationToken ct)
    {
        var channel = start.Channel;
        var args = StasisArguments.Parse(start.Args, channel.Dialplan?.Exten);
        var kind = args.Kind;
        if (kind is not ("inbound" or "phone"))
        {
            // The engine's own outgoing legs ("leg", "leg,escalation") belong to the call that made them.
            _logger.LogDebug("Channel {ChannelId} entered Stasis with args [{Args}]: not a new call", channel.Id,
                UntrustedText.ForDisplay(string.Join(',', start.Args)));
            return;
        }
        var called = args.Called;
        var trace = _journal.Start(channel.Id, called, channel.Caller.Number, _time.GetUtcNow());
        trace.Saw(start.Type);
        trace.Step($"entered ({kind})");
        var patient = kind == "inbound" ? PatientIdentity.Of(channel.Caller, args.Presentation ?? await PresentationAsync(channel.Id, ct)) : null;
        _logger.LogInformation("Call {CallId} from {Caller}{Withheld} to {Called} ({Kind})", channel.Id, PhoneNumberMask.Mask(channel.Caller.Number),
            patient?.Withheld == true ? " (withheld)" : "", called.Length > 0 ? called : "(not a number: " + UntrustedText.ForDisplay(args.Dialled) + ")", kind);
        var plan = patient is not null ? _flows.Plans?.TryCreate(Services<PlanCall>(), channel, args.Called, patient, args.Dialled, trace) : null;
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
        _sessions[channel.Id] = session;
        Queues.Attach(channel.Id, e => Deliver(session, e));
        session.Start();
        _ = session.Completion.ContinueWith(_ => End(session), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private CallSession NewSession(Channel channel, StasisArguments args, CallTrace trace)
    {
        if (args.Kind == "phone" && _flows.Phones is { } phones)
            return new PhoneCallSession(new PhoneCall(Services<PhoneCallSession>(), channel, args.Called), trace, phones);
        return new GreetingCall(new LiveCall(Services<GreetingCall>(), channel), trace, _options);
    }

    private CallServices Services<T>() => new(_ari, Queues, _time, _loggers.CreateLogger<T>());

    private void End(CallSession session, string? outcome = null)
    {
        if (!_sessions.TryRemove(session.CallId, out _)) return;
        session.OnEnded();
        _journal.Finish(session.Trace, outcome ?? session.Outcome ?? "ended", _time.GetUtcNow());
        Queues.Complete(session.CallId);
        _logger.LogInformation("Call {CallId} ended: {Outcome}", session.CallId, session.Trace.Outcome);
    }

    /// <summary>
    /// After (re)connecting: Asterisk dropped this app's events while we were away, so compare
    /// our calls with the channels still in Stasis. Calls that vanished are closed; calls still
    /// there resume from their real state; channels nobody owns take the fallback route.
    /// </summary>
    public async Task ResyncAsync(bool isReconnect, CancellationToken ct)
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
        foreach (var orphan in inStasis.Where(id => !_sessions.ContainsKey(id) && !IsLegOfALiveCall(id)))
            await AdoptOrphanAsync(orphan, ct).ConfigureAwait(false);
        _logger.LogInformation("Resynced after {Kind}: {Active} calls kept, {InStasis} channels in Stasis",
            isReconnect ? "reconnect" : "start", _sessions.Count, inStasis.Count);
    }

    /// <summary>True when a live call registered this channel as one of its legs.</summary>
    private bool IsLegOfALiveCall(string channelId) => _sessions.Values.Any(s => s.Call.Legs.Contains(channelId));

    private async Task AdoptOrphanAsync(string channelId, CancellationToken ct)
    {
        try
        {
            // Every outgoing leg carries its kind in a channel variable from its creation (CallWaits.CreateLegAsync).
            if (await _ari.Channels.GetVariableAsync(channelId, CallLeg.KindVariable, ct).ConfigureAwait(false) is { Length: > 0 } leg)
            {
                // A leg whose call a previous engine ran: its caller takes the fallback route; the leg itself just ends.
                _logger.LogWarning("Outgoing leg {ChannelId} ({Kind}) was left in Stasis by a previous engine: hanging it up", channelId,
                    UntrustedText.ForDisplay(leg));
                await _ari.Channels.HangupAsync(channelId, "normal", ct).ConfigureAwait(false);
                return;
            }
            var channel = await _ari.Channels.GetAsync(channelId, ct).ConfigureAwait(false);
            var exten = StasisArguments.FallbackExtension(UntrustedText.CalledNumber(channel.Dialplan?.Exten));
            _logger.LogWarning("Channel {ChannelId} was left in Stasis by a previous engine: fallback route", channelId);
            await FallbackAsync(channelId, exten, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (Gone.IsLeg(e))
        {
            // Hung up (or out of Stasis) between the list and now: nothing to do.
        }
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
