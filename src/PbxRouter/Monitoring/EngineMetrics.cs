using System.Collections.Concurrent;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;
using Prometheus;

namespace PbxRouter.Monitoring;

/// <summary>
/// The engine's Prometheus metrics (docs/metrics.md), in a registry of their own. Counters and histograms are fed by
/// observers (ARI REST attempts, store commits, finished call records); gauges are read when /metrics is scraped. Labels carry
/// practice and queue ids, outcomes, ARI operations and states: never a phone number nor a call or channel id.
/// </summary>
public sealed class EngineMetrics : IAriRequestObserver, IStoreObserver
{
    /// <summary>Seconds: 1 ms to 10 s.</summary>
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] OutboxStates = ["pending", "sending", "sent", "failed"];

    private readonly Counter _calls;
    private readonly Gauge _queueWaiting, _queueLongestWait, _ariConnected, _ariState, _inboxEvents, _activeCalls, _outbox, _rulesVersion;
    private readonly Counter _ariReconnects, _ariRestFailures;
    private readonly Histogram _ariRest, _storeWrites;
    private readonly ConcurrentDictionary<(string Operation, HttpMethod Method), (Histogram.Child Latency, Counter.Child Failures)> _rest = new();
    private readonly Histogram.Child _callRecordWrites, _otherWrites;

    public EngineMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _calls = f.CreateCounter("pbxrouter_calls_total", "Calls whose record was finished, by practice and outcome.", "practice", "outcome");
        _queueWaiting = f.CreateGauge("pbxrouter_queue_callers", "Callers waiting in a reception queue now.", "practice", "queue");
        _queueLongestWait = f.CreateGauge("pbxrouter_queue_longest_wait_seconds", "How long the first caller in line has waited (0: nobody waits).", "practice", "queue");
        _ariConnected = f.CreateGauge("pbxrouter_ari_connected", "1 while the ARI event WebSocket is connected, else 0.");
        _ariState = f.CreateGauge("pbxrouter_ari_connection_state", "The ARI event connection's state: 1 for the current one, 0 for the others.", "state");
        _ariReconnects = f.CreateCounter("pbxrouter_ari_reconnects_total", "ARI event connections established again after one was lost or failed.");
        _ariRest = f.CreateHistogram("pbxrouter_ari_rest_duration_seconds", "Duration of ARI REST attempts (request sent to response read), by resource, operation and HTTP method.",
            new HistogramConfiguration { LabelNames = ["resource", "operation", "method"], Buckets = LatencyBuckets });
        _ariRestFailures = f.CreateCounter("pbxrouter_ari_rest_failures_total", "ARI REST attempts that got no answer, an error status or an unreadable body.",
            "resource", "operation", "method");
        _inboxEvents = f.CreateGauge("pbxrouter_call_inbox_events", "ARI events waiting unread in the calls' inboxes, all calls together.");
        _activeCalls = f.CreateGauge("pbxrouter_active_calls", "Calls the engine handles now.");
        _outbox = f.CreateGauge("pbxrouter_notification_outbox_entries", "Voicemail notifications in the outbox, by state.", "state");
        _rulesVersion = f.CreateGauge("pbxrouter_rules_version", "The rules version in force (0: none applied yet).");
        _storeWrites = f.CreateHistogram("pbxrouter_sqlite_write_duration_seconds",
            "Duration of SQLite write transactions, commit included: call_records (a batch of the call record writer) or transaction (any other).",
            new HistogramConfiguration { LabelNames = ["writer"], Buckets = LatencyBuckets });
        _callRecordWrites = _storeWrites.WithLabels("call_records");
        _otherWrites = _storeWrites.WithLabels("transaction");
        foreach (var state in Enum.GetNames<AriConnectionState>()) _ariState.WithLabels(state.ToLowerInvariant());
        foreach (var state in OutboxStates) _outbox.WithLabels(state);
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Hooks the observers into the engine's ARI client and database, and reads the gauges of the engine, its queues and the
    /// outbox before every scrape. Call once, before the engine starts.
    /// </summary>
    public void Attach(AriClient ari, StoreDatabase db, CallEngine engine, QueueBoard queues, ActiveRules rules,
        NotificationOutboxRepository outbox, TimeProvider time)
    {
        ari.RequestObserver = this;
        db.Observer = this;
        Registry.AddBeforeCollectCallback(async ct =>
        {
            ReadAri(ari.Health, ari.Events.Reconnects);
            ReadCalls(engine.ActiveCalls, engine.PendingEvents);
            ReadQueues(queues, time.GetUtcNow());
            _rulesVersion.Set(rules.Version);
            try
            {
                ReadOutbox(await outbox.CountByStateAsync(ct));
            }
            catch (StoreException)
            {
                // The database check of /health says why; the outbox gauges keep their last values.
            }
        });
    }

    public void Completed(string operation, HttpMethod method, TimeSpan elapsed, bool failed)
    {
        if (!_rest.TryGetValue((operation, method), out var children))
        {
            var dot = operation.IndexOf('.', StringComparison.Ordinal);
            var (resource, name) = dot < 0 ? (operation, "") : (operation[..dot], operation[(dot + 1)..]);
            string[] labels = [resource, name, method.Method];
            children = _rest.GetOrAdd((operation, method), (_ariRest.WithLabels(labels), _ariRestFailures.WithLabels(labels)));
        }
        children.Latency.Observe(elapsed.TotalSeconds);
        if (failed) children.Failures.Inc();
    }

    public void Wrote(string writer, TimeSpan elapsed) =>
        (writer == "call_records" ? _callRecordWrites : _otherWrites).Observe(elapsed.TotalSeconds);

    public void CallFinished(string? practiceId, string outcome) => _calls.WithLabels(practiceId ?? "none", outcome).Inc();

    internal void ReadAri(AriHealth health, long reconnects)
    {
        _ariConnected.Set(health.IsConnected ? 1 : 0);
        foreach (var state in Enum.GetValues<AriConnectionState>())
            _ariState.WithLabels(state.ToString().ToLowerInvariant()).Set(state == health.State ? 1 : 0);
        _ariReconnects.IncTo(reconnects);
    }

    internal void ReadCalls(int active, int pendingEvents)
    {
        _activeCalls.Set(active);
        _inboxEvents.Set(pendingEvents);
    }

    internal void ReadQueues(QueueBoard queues, DateTimeOffset now)
    {
        foreach (var (queueId, line) in queues.Queues)
        {
            var (waiting, oldest) = line.Line;
            var dot = queueId.IndexOf('.', StringComparison.Ordinal);
            var practice = dot < 0 ? queueId : queueId[..dot];
            _queueWaiting.WithLabels(practice, queueId).Set(waiting);
            _queueLongestWait.WithLabels(practice, queueId).Set(oldest is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0);
        }
    }

    internal void ReadOutbox(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var state in OutboxStates) _outbox.WithLabels(state).Set(counts.GetValueOrDefault(state));
    }

    /// <summary>The metrics in Prometheus' text format, read now.</summary>
    public async Task<byte[]> ExportAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, ct);
        return buffer.ToArray();
    }
}
