using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Prompts;
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
    private static readonly PlayGreeting Hello = new("tilleuls-bonjour", "Bonjour.", false, "open");

    private static readonly OverflowTarget Servitel = new("servitel", "Servitel", "+33567000000", null, true, false, new Dictionary<string, string>());

    [Test]
    public async Task Resync_ACallerLeftByAPreviousEngine_IsTakenOverAtItsSavedStep_AndItsStaleLegIsHungUp_WhateverTheirIds()
    {
        await using var test = new EngineTest(Hello, new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.LegsEnterStasis();
        // Asterisk's own ids: neither says what the channel is; the leg's kind was written on it when it was created.
        var started = DateTimeOffset.UtcNow.AddSeconds(-40);
        test.LeftInStasis("1796163477.0", new SavedCall(started, 1, Step: 1));
        test.LeftLeg("1796163477.5", LegKind.SecretariatLeg, "1796163477.0", "Ringing");

        await test.Engine.ResyncAsync(isReconnect: false, CancellationToken.None);
        var dial = await test.UntilAsync(() => test.Fake.Matching(@"^POST channels/[^/]+/dial").FirstOrDefault());

        var trace = test.Journal.Active.Single();
        Assert.Multiple(() =>
        {
            Assert.That(test.Fake.Matching("^DELETE channels/1796163477.5"), Has.Count.EqualTo(1), "the ringing leg of the old engine ends");
            Assert.That(test.Fake.Matching("continue|^DELETE channels/1796163477.0"), Is.Empty, "the caller is neither sent away nor hung up");
            Assert.That(trace.Steps, Has.Some.StartsWith("step 2: Overflow to").And.None.StartsWith("step 1: Greeting"), "resumed at the saved step");
            Assert.That(trace.StartedAt, Is.EqualTo(started), "the call started when the previous engine took it");
            Assert.That(Events.ChannelOf(dial), Does.StartWith("1796163477.0-"), "the overflow rings again for this caller");
        });
    }

    [Test]
    public async Task Resync_AConversationLeftByAPreviousEngine_IsKept_AndRecordedAsAnsweredWhenItEnds()
    {
        await using var test = new EngineTest(Hello, new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        var started = DateTimeOffset.UtcNow.AddSeconds(-90);
        test.LeftInStasis("caller-7", new SavedCall(started, 1, Step: 1,
            Connection: new SavedConnection("leg-7", "accueil-1", CallOutcomes.Answered, started.AddSeconds(10))));
        test.LeftLeg("leg-7", LegKind.PhoneLeg, "caller-7", "Up");
        test.Fake.Bridges["bridge-7"] = ["caller-7", "leg-7"];
        test.Fake.Bridges["bridge-stale"] = [];

        await test.Engine.ResyncAsync(isReconnect: false, CancellationToken.None);
        await test.UntilAsync(() => test.Journal.Active.SingleOrDefault()?.Steps.FirstOrDefault(s => s.StartsWith("connected to accueil-1", StringComparison.Ordinal)));
        Assert.That(test.Fake.Matching("^DELETE (channels|bridges)/(caller-7|leg-7|bridge-7)"), Is.Empty, "the conversation is left as it is");
        test.Engine.Queues.Post(Events.Hangup("caller-7"));
        await test.Journal.WaitForFinishedAsync(c => c.CallId == "caller-7", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var record = await test.RecordAsync("caller-7");

        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"));
            Assert.That(record.StartedAt, Is.EqualTo(started).Within(TimeSpan.FromMilliseconds(1)), "the record was created by the new engine with the real start");
            Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Resumed));
            Assert.That(test.Fake.Matching("^DELETE channels/leg-7"), Has.Count.EqualTo(1), "the phone hung up once the patient did");
            Assert.That(test.Fake.Matching("^DELETE bridges/bridge-stale"), Has.Count.EqualTo(1), "a bridge nobody owns is destroyed");
        });
    }

    [Test]
    public async Task Resync_AConversationWhoseLegHungUpWhileNoEngineRan_EndsTheCaller()
    {
        await using var test = new EngineTest(Hello, new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.LeftInStasis("caller-8", new SavedCall(DateTimeOffset.UtcNow.AddSeconds(-30), 1, Step: 1,
            Connection: new SavedConnection("leg-8", "servitel", CallOutcomes.Overflowed, DateTimeOffset.UtcNow.AddSeconds(-20))));
        test.Fake.Failures.Add(("^GET channels/leg-8$", 404));

        await test.Engine.ResyncAsync(isReconnect: false, CancellationToken.None);
        await test.Journal.WaitForFinishedAsync(c => c.CallId == "caller-8", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var record = await test.RecordAsync("caller-8");

        Assert.Multiple(() =>
        {
            Assert.That(test.Fake.Matching("^DELETE channels/caller-8"), Has.Count.EqualTo(1), "the patient is not left alone in the bridge");
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed));
            Assert.That(record.HungUpBy, Is.EqualTo("servitel"));
        });
    }

    [Test]
    public async Task Resync_ACallerWhoHangsUpBeforeItsTakeover_IsNotWaitedForForever()
    {
        await using var test = new EngineTest(Hello, new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.LeftInStasis("caller-6", new SavedCall(DateTimeOffset.UtcNow.AddSeconds(-60), 1, Step: 1,
            Connection: new SavedConnection("leg-6", "servitel", CallOutcomes.Overflowed, DateTimeOffset.UtcNow.AddSeconds(-50))));
        test.LeftLeg("leg-6", LegKind.SecretariatLeg, "caller-6", "Up");
        // The patient's end arrives on the new engine's socket before its takeover runs.
        test.Engine.Queues.Post(new StasisEnd { Type = "StasisEnd", Channel = Events.Ch("caller-6") });
        await test.Engine.Queues.DrainAsync();

        await test.Engine.ResyncAsync(isReconnect: false, CancellationToken.None);
        var trace = await test.Journal.WaitForFinishedAsync(c => c.CallId == "caller-6", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var record = await test.RecordAsync("caller-6");

        Assert.Multiple(() =>
        {
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), "the conversation took place");
            Assert.That(record.HungUpBy, Is.EqualTo("caller"));
            Assert.That(test.Fake.Matching("^DELETE channels/leg-6"), Has.Count.EqualTo(1), "the secretariat is hung up, not left alone");
        });
    }

    [Test]
    public async Task HandOver_LeavesAConversationUp_AndItsRecordOpen()
    {
        await using var test = new EngineTest(new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.LegsEnterStasis();
        test.Engine.Queues.Post(EngineTest.PatientCalls("caller-9"));
        var leg = await test.UntilAsync(() => test.Fake.Matching(@"^POST channels/[^/]+/dial").Select(Events.ChannelOf).FirstOrDefault());
        test.Engine.Queues.Post(Events.Dial(leg, "ANSWER"));
        await test.UntilAsync(() => test.Fake.Matching($"^POST channels/caller-9/variable.*{SavedCall.Variable}.*connection").FirstOrDefault());

        await test.Engine.HandOverAsync();
        var trace = await test.Journal.WaitForFinishedAsync(c => c.CallId == "caller-9", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var record = await test.RecordAsync("caller-9");

        Assert.Multiple(() =>
        {
            Assert.That(trace.Outcome, Is.EqualTo(CallSession.HandedOver));
            Assert.That(test.Fake.Matching("^DELETE (channels|bridges)/"), Is.Empty, "neither side hung up, the bridge kept");
            Assert.That(record.Outcome, Is.Null, "the record stays open for the next engine");
        });
    }

    [Test]
    public async Task Resync_TheLegOfALiveCall_IsLeftRinging_AndTheCallGoesOn()
    {
        await using var test = new EngineTest(new Overflow([Servitel], "lunch"), Hangup.AtEndOfPlan);
        test.LegsEnterStasis();
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
        private readonly PlanStep[] _steps;
        private readonly TempStore _store = new();

        public EngineTest(params PlanStep[] steps)
        {
            _steps = steps;
            var options = new EngineOptions();
            var plans = new PlanCalls(this, _store.Records, new StepExecutors([new OverflowStep(options, new ProvisioningOptions()), new PromptStep(options)]), options);
            Journal = new CallJournal(options);
            Engine = new CallEngine(Fake.Client(), options, Journal, NullLoggerFactory.Instance, TimeProvider.System, new CallFlows(plans));
        }

        public FakeAri Fake { get; } = new();

        /// <summary>Each leg the engine creates enters Stasis, as in Asterisk.</summary>
        public void LegsEnterStasis() => Fake.On("^POST channels/create", line => Engine.Queues.Post(new StasisStart
            { Type = "StasisStart", Channel = Events.Ch(Events.Param(line, "channelId"), "Down"), Args = ["leg"] }));

        /// <summary>A patient's channel a previous engine left in Stasis, with what it saved.</summary>
        public void LeftInStasis(string callId, SavedCall saved)
        {
            Fake.InStasis.Add(callId);
            Fake.ChannelJson[callId] = $$"""
                {"id":"{{callId}}","name":"PJSIP/trunk-1","state":"Up","caller":{"name":"","number":"+33611223344"},
                 "dialplan":{"context":"from-trunk-called","exten":"+33145000000","priority":1,"app_name":"Stasis",
                 "app_data":"pbxrouter,inbound,+33145000000,allowed_not_screened"},"creationtime":"2026-12-01T08:00:00.000+0000"}
                """;
            Fake.ChannelVariables[$"{callId}/{SavedCall.Variable}"] = saved.ToText();
        }

        /// <summary>An outgoing leg a previous engine made for <paramref name="callId"/>.</summary>
        public void LeftLeg(string legId, LegKind kind, string callId, string state)
        {
            Fake.InStasis.Add(legId);
            Fake.ChannelJson[legId] = $$"""
                {"id":"{{legId}}","name":"PJSIP/x-2","state":"{{state}}",
                 "dialplan":{"context":"default","exten":"s","priority":1,"app_name":"Stasis","app_data":"pbxrouter,leg"} }
                """;
            Fake.ChannelVariables[$"{legId}/{CallLeg.KindVariable}"] = kind.ToString();
            Fake.ChannelVariables[$"{legId}/{CallLeg.CallVariable}"] = callId;
        }

        public async Task<CallRecord> RecordAsync(string callId) =>
            await _store.RecordAsync(callId) ?? throw new AssertionException($"no record of {callId}");

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
            await _store.DisposeAsync();
        }
    }
}
