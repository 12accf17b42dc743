using System.Text.RegularExpressions;
using PbxRouter.Ari;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>A patient floods the engine with RFC 4733 events while waiting in the queue; another patient calls meanwhile.</summary>
[TestFixture]
public sealed class DtmfFloodTests : PracticeFixture
{
    private const string WaitingLine = "+33145000006"; // line "attente": member accueil-1 only
    private const string Flooder = "+33640000061", Second = "+33640000062";
    private const int FloodEvents = 4000;

    [Test]
    public async Task DtmfFlood_WhileWaitingInTheQueue_DoesNotStarveAri_AndASecondPatientIsAnsweredMeanwhile()
    {
        await using var practice = await PracticeCalls.StartAsync(Asterisk, Open);
        var engine = practice.Engine;
        var busyPhone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var freePhone = await practice.PhoneAsync("accueil-2", "phone-answers.xml");
        await KeepBusyAsync(engine.Ari, PjsipConfig.PhoneEndpoint("tilleuls", "accueil-1"));
        var (scenario, floodLasts) = FloodScenario();

        var flooder = Sipp.Patient(Asterisk, scenario, WaitingLine, Flooder, holdMs: (int)floodLasts.TotalMilliseconds + 6000);
        await QueueTests.WaitUntilAsync(() => Active(engine, Flooder) is { } t && t.Steps.Any(s => s.Contains(": Queue")) && Dtmf(t) >= 50);
        var before = (Requests: engine.Ari.Requests, Dtmf: Dtmf(Active(engine, Flooder)!));
        var second = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, Second, holdMs: 1000);
        var secondResults = await Sipp.AllSucceedAsync(second, freePhone);
        var during = (Requests: engine.Ari.Requests, Dtmf: Active(engine, Flooder) is { } still ? Dtmf(still) : -1);
        var flood = await flooder.WaitAsync();
        await engine.Ari.Channels.HangupAsync("busyphone1");
        var busy = await busyPhone.WaitAsync();

        Assert.That(new[] { flood, busy }.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", new[] { flood, busy }.Where(r => !r.Succeeded)));
        var answered = await practice.RecordOfAsync(Second);
        var flooded = await practice.RecordOfAsync(Flooder);
        var trace = await engine.WaitForCallAsync(c => c.CallerNumber == Flooder);
        var delivered = Dtmf(trace);
        var droppedByInbox = flooded.Steps.LastOrDefault(s => s.Kind == CallStepKinds.Dropped) is { } d
            ? long.Parse(Regex.Match(d.Detail!, @"total (\d+) of").Groups[1].Value) : 0;
        var droppedByQueue = engine.Service<CallEngine>().Queues.Counters.DroppedDtmf;
        var endpointReads = during.Requests.Of("endpoints.get") - before.Requests.Of("endpoints.get");
        var floodDuring = during.Dtmf - before.Dtmf;
        TestContext.Progress.WriteLine(
            $"DTMF flood: {FloodEvents} RFC 4733 events sent over {floodLasts.TotalSeconds:0.#} s; {delivered} ChannelDtmfReceived reached the call " +
            $"({droppedByQueue} dropped by the event queue, {droppedByInbox} by the call's inbox). While the second patient's call ran: " +
            $"{floodDuring} digits arrived, {during.Requests.Total - before.Requests.Total} ARI requests in all, {endpointReads} endpoint reads; " +
            $"second call: {answered.Outcome} by {answered.AnsweredBy}.");
        Assert.Multiple(() =>
        {
            Assert.That(answered.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(answered));
            Assert.That(answered.AnsweredBy, Is.EqualTo("accueil-2"), Describe(answered));
            Assert.That(secondResults[1].Received("INVITE"), Does.Match($@"(?m)^From:.*\{Second}"), "the free phone rang for the second patient");
            Assert.That(delivered, Is.GreaterThan(50), "the flood reached the engine");
            Assert.That(floodDuring, Is.GreaterThan(0), "the flood went on while the second call was placed and answered");
            Assert.That(endpointReads, Is.LessThan(Math.Max(floodDuring, 1)), "member checks do not follow the digits");
            Assert.That(flooded.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Queued), Describe(flooded));
            Assert.That(flooded.Outcome, Is.EqualTo(CallOutcomes.Abandoned), Describe(flooded));
            Assert.That(flooded.HungUpBy, Is.EqualTo("caller"), Describe(flooded));
        });
    }

    private static CallTrace? Active(EngineUnderTest engine, string caller) => engine.Journal.Active.FirstOrDefault(c => c.CallerNumber == caller);

    private static int Dtmf(CallTrace trace) => trace.Events.Count(e => e == "ChannelDtmfReceived");

    /// <summary>Puts the phone on a call (originated into the app, which ignores it) so that the queue finds it busy.</summary>
    private static async Task KeepBusyAsync(AriClient ari, string endpoint)
    {
        await ari.Channels.OriginateAsync(new OriginateRequest { Endpoint = $"PJSIP/{endpoint}", AppArgs = "busy", ChannelId = "busyphone1", Timeout = 20 });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await ari.Channels.GetAsync("busyphone1")).State != "Up")
        {
            if (limit.IsCancellationRequested) Assert.Fail($"{endpoint} did not answer the call that keeps it busy");
            await Task.Delay(100);
        }
    }

    /// <summary>A pcap of <see cref="FloodEvents"/> events and a copy of the flood scenario naming it.</summary>
    private static (string Scenario, TimeSpan Lasts) FloodScenario()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pbxrouter-flood", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var pcap = Path.Combine(dir, "dtmf-flood.pcap");
        var lasts = Rfc4733Pcap.Write(pcap, FloodEvents, TimeSpan.FromMilliseconds(3));
        var scenario = Path.Combine(dir, "patient-dtmf-flood.xml");
        File.WriteAllText(scenario, File.ReadAllText(RepoPaths.Scenario("patient-dtmf-flood.xml")).Replace("@@PCAP@@", pcap));
        return (scenario, lasts);
    }
}
