using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Secretariat;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Runtime;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Engine;

/// <summary>The engine on a fake ARI: what it does with the channels it finds in Stasis, and how a call's events reach its flow.</summary>
[TestFixture]
public sealed class CallEngineTests
{
    private static readonly OverflowTarget Servitel = new("servitel", "Servitel", "+33567000000", null, true, false, new Dictionary<string, string>());

    [Test]
    public async Task Resync_ChannelsLeftByAPreviousEngine_TheLegIsHungUpAndTheCallerTakesTheFallback_WhateverTheirIds()
    {
        await using var test = new EngineTest();
        // Asterisk's own ids: neither says what the channel is; the leg's kind was written on it when it was created.
        test.Fake.InStasis.AddRange(["1796163477.0", "1796163477.5"]);
        test.Fake.ChannelVariables[$"1796163477.5/{CallLeg.KindVariable}"] = nameof(LegKind.PhoneLeg);

        await test.Engine.ResyncAsync(isReconnect: false, CancellationToken.None);

        Assert.That(test.Fake.Matching("^DELETE channels/1796163477.5"), Has.Count.EqualTo(1));
        Assert.That(test.Fake.Matching("^POST channels/1796163477.0/continue"), Has.Count.EqualTo(1));
        Assert.That(test.Fake.Matching("^DELETE channels/1796163477.0|^POST channels/1796163477.5/continue"), Is.Empty);
    }

    [Test]
    public async Task Resync_TheLegOfALiveCall_IsLeftRinging_AndTheCallGoesOn()
    {
        await using var test = new EngineTest(new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.Fake.On("^POST channels/create", line => test.Engine.Queues.Post(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down"), Args = ["leg"] }));
        test.Engine.Queues.Post(EngineTest.PatientCalls("caller-1"));
        var leg = await test.UntilAsync(() => test.Fake.Matching(@"^POST channels/[^/]+/dial").Select(Events.ChannelOf).FirstOrDefault());
        test.Fake.InStasis.AddRange(["caller-1", leg]);
        test.Fake.ChannelVariables[$"{leg}/{CallLeg.KindVariable}"] = nameof(LegKind.SecretariatLeg);

        await test.Engine.ResyncAsync(isReconnect: true, CancellationToken.None);
        test.Engine.Queues.Post(Events.Dial(leg, "ANSWER"));
        await test.UntilAsync(() => test.Journal.Active.SingleOrDefault()?.Steps.FirstOrDefault(s => s.StartsWith("connected", StringComparison.Ordinal)));
        test.Engine.Queues.Post(Events.Hangup("caller-1"));
        var call = await test.Journal.WaitForFinishedAsync(c => c.CallId == "caller-1", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(call.Outcome, Is.EqualTo(CallOutcomes.Overflowed), "the leg's Dial reached the call's flow through its queue");
            Assert.That(call.Events, Does.Contain("Dial"));
            Assert.That(test.Fake.Matching("continue"), Is.Empty, "nobody was sent to the fallback route");
            Assert.That(test.Fake.Matching($"^DELETE channels/{leg}"), Has.Count.EqualTo(1), "hung up once, when the call ended");
        });
    }

    /// <summary>An engine whose patients' calls follow <c>steps</c> (through the plan source), with a temporary SQLite store.</summary>
    private sealed class EngineTest : IAsyncDisposable, IPlanSource
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "pbxrouter-engine-" + Guid.NewGuid().ToString("N"));
        private readonly PlanStep[] _steps;
        private readonly CallRecordWriter _records;

        public EngineTest(params PlanStep[] steps)
        {
            _steps = steps;
            Directory.CreateDirectory(_folder);
            var db = new StoreDatabase(Path.Combine(_folder, "pbxrouter.db"), TimeProvider.System);
            db.MigrateAsync().GetAwaiter().GetResult();
            _records = new CallRecordWriter(db, TimeProvider.System);
            var options = new EngineOptions();
            var plans = new PlanCalls(this, _records, new StepExecutors([new OverflowStep(options, new ProvisioningOptions())]), options);
            Journal = new CallJournal(options);
            Engine = new CallEngine(Fake.Client(), options, Journal, NullLoggerFactory.Instance, TimeProvider.System, new CallFlows(plans));
        }

        public FakeAri Fake { get; } = new();
        public CallJournal Journal { get; }
        public CallEngine Engine { get; }

        public static StasisStart PatientCalls(string callId) => new()
        {
            Type = "StasisStart", Args = ["inbound", "+33145000000", "allowed_not_screened"],
            Channel = new Channel { Id = callId, State = "Ring", Caller = new CallerId { Number = "+33611223344" } },
        };

        public RoutedPlan PlanFor(string called, string caller, DateTimeOffset at) =>
            new(1, null, new CallPlan { PracticeId = "tilleuls", PracticeState = PracticeState.Lunch, Reason = "test", Steps = _steps });

        public async Task<T> UntilAsync<T>(Func<T?> found) where T : class
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                if (found() is { } value) return value;
                if (limit.IsCancellationRequested) Assert.Fail("timed out");
                await Task.Delay(5);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Engine.Queues.DisposeAsync();
            await _records.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
