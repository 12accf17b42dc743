using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Phones;

namespace PbxRouter.Calls.Engine;

/// <summary>
/// Turns ARI events into calls: a new caller channel starts a session; every later event of
/// that call reaches the same session, in order, through the per-call event queues.
/// </summary>
public sealed class CallEngine
{
    private readonly AriClient _ari;
    private readonly EngineOptions _options;
    private readonly CallJournal _journal;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CallSession> _sessions = new();

    private readonly PlanCalls? _plans;
    private readonly IPhoneCallHandler? _phones;

    public CallEngine(AriClient ari, EngineOptions options, CallJournal journal, ILoggerFactory loggers, TimeProvider time, PlanCalls? plans = null,
        IPhoneCallHandler? phones = null)
    {
        _plans = plans;
        _phones = phones;
        _ari = ari;
        _options = options;
        _journal = journal;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CallEngine>();
        _time = time;
        Queues = new CallEventQueues(HandleAsync, loggers.CreateLogger<CallEventQueues>(), time: time);
    }

    /// <summary>One ordered queue per call; the event stream posts every event here.</summary>
    public CallEventQueues Queues { get; }

    public int ActiveCalls => _sessions.Count;

    private async ValueTask HandleAsync(string key, AriEvent e, CancellationToken ct)
    {
        // Events of a call's outgoing legs and bridges were queued under the call's key.
        if (_sessions.TryGetValue(key, out var owner))
        {
            await DeliverAsync(owner, e, ct).ConfigureAwait(false);
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
            await DeliverAsync(session, e, ct).ConfigureAwait(false);
            return;
        }
    }

    private async Task DeliverAsync(CallSession session, AriEvent e, CancellationToken ct)
    {
        if (e is ResumeCall)
        {
            await session.ResumeAsync(ct).ConfigureAwait(false);
        }
        else
        {
            session.Trace.Saw(e.Type);
            await session.HandleAsync(e, ct).ConfigureAwait(false);
        }
        if (session.IsFinished) End(session);
    }

    private async Task StartCallAsync(StasisStart start, CancellationToken ct)
    {
        var channel = start.Channel;
        var args = StasisArguments.Parse(start.Args, channel.Dialplan?.Exten);
        var kind = args.Kind;
        if (kind is not ("inbound" or "phone"))
        {
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
        var plan = patient is not null ? _plans?.TryCreate(channel, called, patient, args.Dialled, trace, Queues) : null;
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
        CallSession session = plan
            ?? (kind == "phone" && _phones is not null
                ? (CallSession?)new PhoneCallSession(_ari, channel, called, trace, _phones, _loggers.CreateLogger<PhoneCallSession>(), _time) : null)
            ?? new GreetingCall(_ari, trace, _options, _loggers.CreateLogger<GreetingCall>(), _time);
        _sessions[channel.Id] = session;
        try
        {
            await session.StartAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Call {CallId}: start failed; taking the fallback route", channel.Id);
            await FallbackAsync(channel.Id, StasisArguments.FallbackExtension(called), ct).ConfigureAwait(false);
            session.Trace.Step("fallback after error");
            End(session, "fallback");
            return;
        }
        if (session.IsFinished) End(session);
        else if (!session.Completion.IsCompleted)
            _ = session.Completion.ContinueWith(_ => End(session), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

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
            Queues.Post(new ResumeCall(session.CallId));
        }
        foreach (var orphan in inStasis.Where(id => !_sessions.ContainsKey(id) && !IsLegOfALiveCall(id)))
            await AdoptOrphanAsync(orphan, ct).ConfigureAwait(false);
        _logger.LogInformation("Resynced after {Kind}: {Active} calls kept, {InStasis} channels in Stasis",
            isReconnect ? "reconnect" : "start", _sessions.Count, inStasis.Count);
    }

    // Outgoing legs (to phones, secretariats, mobiles) get ids "<caller channel id>-<what>-<n>" (CallContext.NewId).
    private bool IsLegOfALiveCall(string channelId) =>
        channelId.IndexOf('-') is > 0 and var dash && _sessions.ContainsKey(channelId[..dash]);

    private async Task AdoptOrphanAsync(string channelId, CancellationToken ct)
    {
        if (channelId.Contains('-'))
        {
            // A leg whose call a previous engine ran: its caller takes the fallback route; the leg itself just ends.
            _logger.LogWarning("Outgoing leg {ChannelId} was left in Stasis by a previous engine: hanging it up", channelId);
            try
            {
                await _ari.Channels.HangupAsync(channelId, "normal", ct).ConfigureAwait(false);
            }
            catch (AriNotFoundException)
            {
                // Already gone.
            }
            return;
        }
        try
        {
            var channel = await _ari.Channels.GetAsync(channelId, ct).ConfigureAwait(false);
            var exten = StasisArguments.FallbackExtension(UntrustedText.CalledNumber(channel.Dialplan?.Exten));
            _logger.LogWarning("Channel {ChannelId} was left in Stasis by a previous engine: fallback route", channelId);
            await FallbackAsync(channelId, exten, ct).ConfigureAwait(false);
        }
        catch (AriNotFoundException)
        {
            // Hung up between the list and now: nothing to do.
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

    /// <summary>Internal event posted on a call's own queue so that resuming is ordered with its events.</summary>
    private sealed record ResumeCall : AriEvent
    {
        public ResumeCall(string channelId) { ChannelId = channelId; Type = "PbxRouterResume"; }
        private string ChannelId { get; }
        public override IEnumerable<string> ChannelIds => [ChannelId];
    }
}
