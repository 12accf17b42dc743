using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Runtime;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// A minimal stand-in for the engine, for the escalation, voicemail and feature-code tests: each patient's call
/// (Stasis "inbound") runs a hand-built list of plan steps through the real step executors, each phone's call
/// (Stasis "phone") goes to the real phone handler. Real Asterisk, real SQLite, SIPp on both sides.
/// </summary>
public sealed class StepHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, CallContext> _calls = new();
    private readonly ConcurrentDictionary<string, PhoneCall> _phones = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-it-steps", Guid.NewGuid().ToString("N")[..12]);
    private readonly CallEventQueues _queues;
    private Task _run = Task.CompletedTask;

    public StepHarness(AsteriskInstance asterisk, IReadOnlyList<IStepExecutor> executors, IReadOnlyList<PlanStep> steps, IPhoneCallHandler? phones = null)
    {
        Directory.CreateDirectory(_folder);
        Db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
        Db.MigrateAsync().GetAwaiter().GetResult();
        Records = new CallRecordWriter(Db, TimeProvider.System);
        Ari = new AriClient(new AriOptions
        {
            BaseUrl = asterisk.AriUrl, User = AsteriskInstance.AriUser, Password = asterisk.AriPassword, Application = asterisk.AriApp,
        }, NullLoggerFactory.Instance);
        _queues = new CallEventQueues((string key, AriEvent e, CancellationToken ct) => HandleAsync(key, e, ct), NullLogger.Instance);
        Ari.EventReceived += _queues.Post;
        Executors = executors;
        Steps = steps;
        Phones = phones;
    }

    public AriClient Ari { get; }
    public StoreDatabase Db { get; }
    public CallRecordWriter Records { get; }
    public IReadOnlyList<IStepExecutor> Executors { get; }
    public IReadOnlyList<PlanStep> Steps { get; }
    public IPhoneCallHandler? Phones { get; }
    public string Folder => _folder;

    /// <summary>Per patient's call: the results of its steps, in order.</summary>
    public ConcurrentDictionary<string, List<StepOutcome>> Results { get; } = new();

    /// <summary>Channels of the mixing bridges seen while a call was connected.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> ConnectedBridges { get; } = new();

    /// <summary>Calls whose plan ended (patients) or whose handler returned (phones).</summary>
    public ConcurrentQueue<string> Ended { get; } = new();

    public async Task StartAsync()
    {
        _run = Ari.RunAsync(_stop.Token);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Ari.Health.IsConnected)
        {
            if (limit.IsCancellationRequested) Assert.Fail($"harness did not connect to ARI: {Ari.Health}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> calls ended.</summary>
    public async Task WaitForEndedAsync(int count, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (Ended.Count < count)
        {
            if (limit.IsCancellationRequested) Assert.Fail($"{Ended.Count} of {count} calls ended in {timeout}");
            await Task.Delay(100);
        }
    }

    private ValueTask HandleAsync(string key, AriEvent e, CancellationToken ct)
    {
        if (e is StasisStart { Args: [var kind, ..] } start && !_calls.ContainsKey(start.Channel.Id) && !_phones.ContainsKey(start.Channel.Id))
        {
            var called = start.Args.Count > 1 ? start.Args[1] : "";
            if (kind == "inbound") Begin(start.Channel, called);
            if (kind == "phone" && Phones is not null) BeginPhone(start.Channel, called);
            if (kind is "inbound" or "phone") return ValueTask.CompletedTask;
        }
        // The key the event was queued under: a leg's last events keep their call's key after the leg is unlinked.
        if (_calls.TryGetValue(key, out var call)) call.Deliver(e);
        else if (_phones.TryGetValue(key, out var phone)) phone.Deliver(e);
        return ValueTask.CompletedTask;
    }

    private CallServices Services(string callId) => new(Ari, _queues, TimeProvider.System, new ProgressLogger(callId));

    private void Attach(LiveCall call)
    {
        // Called on the call's own queue (its StasisStart): its later events go straight to its inbox, in order.
        _queues.Attach(call.CallId, call.Deliver);
    }

    private void Begin(Channel caller, string called)
    {
        var plan = new CallPlan
        {
            PracticeId = "tilleuls", PracticeName = "Tilleuls", PracticeState = PracticeState.Open, Reason = "urgent (test harness)",
            Steps = Steps,
        };
        var call = new CallContext(Services(caller.Id), caller, plan, null, Records) { CalledNumber = called };
        _calls[caller.Id] = call;
        Attach(call);
        _ = Task.Run(() => RunPlanAsync(call));
    }

    private void BeginPhone(Channel channel, string dialled)
    {
        var phone = new PhoneCall(Services(channel.Id), channel, dialled);
        _phones[channel.Id] = phone;
        Attach(phone);
        _ = Task.Run(async () =>
        {
            try
            {
                await Phones!.HandleAsync(phone, _stop.Token);
            }
            finally
            {
                Ended.Enqueue(channel.Id);
            }
        });
    }

    /// <summary>What the plan flow does, reduced to the steps under test: run them in order; when connected, wait for a hang-up.</summary>
    private async Task RunPlanAsync(CallContext call)
    {
        var results = Results.GetOrAdd(call.CallId, _ => []);
        try
        {
            foreach (var step in Steps)
            {
                var executor = Executors.First(x => x.CanRun(step));
                var result = await executor.RunAsync(call, step, _stop.Token);
                lock (results) results.Add(result);
                if (result is StepOutcome.Connected connected)
                {
                    var bridges = await Ari.Bridges.ListAsync();
                    foreach (var bridge in bridges.Where(b => b.Channels.Contains(call.CallId))) ConnectedBridges.Enqueue(bridge.Channels);
                    while (!call.CallerGone)
                    {
                        var e = await call.NextEventAsync(TimeSpan.FromSeconds(1), _stop.Token);
                        if (e is not null && e.Ends(connected.Leg)) break;
                    }
                }
                if (result is StepOutcome.Connected or StepOutcome.Done or StepOutcome.CallerGone) break;
            }
        }
        catch (Exception ex)
        {
            TestContext.Progress.WriteLine($"[{call.CallId}] plan failed: {ex}");
        }
        finally
        {
            await call.EndAllAsync();
            try
            {
                await call.HangUpCallerAsync("normal", CancellationToken.None);
            }
            catch (AriException)
            {
            }
            Ended.Enqueue(call.CallId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception)
        {
        }
        await Ari.DisposeAsync();
        await _queues.DisposeAsync();
        await Records.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>The executors' logs on the test's progress output (numbers are already masked by the code under test).</summary>
    private sealed class ProgressLogger(string callId) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            TestContext.Progress.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff} {callId}] {logLevel}: {formatter(state, exception)}");
    }
}
