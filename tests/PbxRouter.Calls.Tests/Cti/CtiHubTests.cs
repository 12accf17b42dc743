using System.Text.Json;
using PbxRouter.Calls.Cti;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Cti;

public class CtiHubTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CtiHub Hub(int buffer = 256, int backlog = 1000) =>
        new(new CtiOptions { ConsumerBuffer = buffer, Backlog = backlog }, new ListLogger<CtiHub>(new ListLogger()));

    private static CtiAudience Practices(bool callerNumbers, params string[] ids) => new(new HashSet<string>(ids), callerNumbers);

    private static void AnsweredCall(CtiHub hub, string callId, string practice, string caller = "+33612345678", bool withheld = false)
    {
        hub.Started(new CallRecordStart(callId, T0, practice, "+33145000000", caller, 1, withheld), resumed: false);
        hub.Step(callId, T0.AddSeconds(1), CallStepKinds.Entered, practice, "open");
        hub.Step(callId, T0.AddSeconds(2), CallStepKinds.Ringing, "accueil-1", practice);
        hub.Step(callId, T0.AddSeconds(5), CallStepKinds.Answered, "accueil-1", practice);
        hub.Ended(callId, T0.AddSeconds(30), CallOutcomes.Answered, "accueil-1", "caller");
    }

    /// <summary>What is buffered now: every read must complete without waiting (nothing in these tests depends on time).</summary>
    private static List<CtiDelivery> Buffered(CtiSubscription sub)
    {
        var read = new List<CtiDelivery>();
        using var stop = new CancellationTokenSource();
        var items = sub.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        while (true)
        {
            var next = items.MoveNextAsync();
            if (!next.IsCompleted) break;
            if (!next.Result) break;
            read.Add(items.Current);
        }
        stop.Cancel();
        return read;
    }

    [Test]
    public void A_call_s_events_arrive_in_order_numbered_from_one_with_its_practice_and_numbers()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(Practices(true, "tilleuls"));
        AnsweredCall(hub, "c1", "tilleuls");

        var events = Buffered(sub).Select(d => d.Event!).ToList();
        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "call.ringing", "call.answered", "call.ended" }));
        Assert.That(events.Select(e => e.Sequence), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(events.Select(e => e.At), Is.EqualTo(new[] { T0.AddSeconds(2), T0.AddSeconds(5), T0.AddSeconds(30) }));
        Assert.That(events.All(e => e is { CallId: "c1", Practice: "tilleuls", Called: "+33145000000", Caller: "+33612345678" }), Is.True);
        Assert.That(((CallRinging)events[0]).Phone, Is.EqualTo("accueil-1"));
        Assert.That(((CallRinging)events[0]).Reason, Is.EqualTo("queue"));
        Assert.That(((CallAnswered)events[1]).By, Is.EqualTo("accueil-1"));
        Assert.That(((CallEnded)events[2]).Outcome, Is.EqualTo("answered"));
        Assert.That(((CallEnded)events[2]).HungUpBy, Is.EqualTo("caller"));
    }

    [Test]
    public void Interleaved_calls_keep_each_call_s_own_sequence()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(CtiAudience.Everything);
        hub.Started(new CallRecordStart("a", T0, "tilleuls", "+33145000000", "+33611111111", 1), false);
        hub.Started(new CallRecordStart("b", T0, "tilleuls", "+33145000000", "+33622222222", 1), false);
        hub.Step("a", T0, CallStepKinds.Ringing, "accueil-1", "tilleuls");
        hub.Step("b", T0, CallStepKinds.Ringing, "accueil-2", "tilleuls");
        hub.Step("b", T0, CallStepKinds.Answered, "accueil-2", "tilleuls");
        hub.Step("a", T0, CallStepKinds.Answered, "accueil-1", "tilleuls");

        var events = Buffered(sub).Select(d => d.Event!).ToList();
        Assert.That(events.Select(e => $"{e.CallId}{e.Sequence}"), Is.EqualTo(new[] { "a1", "b1", "b2", "a2" }));
        Assert.That(events.Select(e => e.Position), Is.Ordered.Ascending);
    }

    [Test]
    public void A_consumer_gets_only_its_practices_and_a_platform_consumer_gets_all()
    {
        var hub = Hub();
        using var tilleuls = hub.Subscribe(Practices(true, "tilleuls"));
        using var platform = hub.Subscribe(CtiAudience.Everything);
        AnsweredCall(hub, "c1", "tilleuls");
        AnsweredCall(hub, "c2", "erables");

        Assert.That(Buffered(tilleuls).Select(d => d.Event!.CallId).Distinct(), Is.EqualTo(new[] { "c1" }));
        Assert.That(Buffered(platform).Select(d => d.Event!.CallId).Distinct(), Is.EqualTo(new[] { "c1", "c2" }));
    }

    [Test]
    public void A_consumer_not_allowed_callers_numbers_gets_them_masked_and_never_in_full()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(Practices(false, "tilleuls"));
        AnsweredCall(hub, "c1", "tilleuls");

        var json = Buffered(sub).Select(d => d.Event!.For(sub.Audience.CallerNumbers).ToJson()).Select(System.Text.Encoding.UTF8.GetString).ToList();
        Assert.That(json, Has.Count.EqualTo(3));
        Assert.That(json, Has.All.Not.Contains("612345678"));
        Assert.That(json, Has.All.Not.Contains("\"caller\":"));
        Assert.That(json, Has.All.Contains("\"caller_masked\":\"+336******78\""));
    }

    [Test]
    public void A_withheld_caller_s_number_is_sent_to_nobody()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(CtiAudience.Everything);
        AnsweredCall(hub, "c1", "tilleuls", withheld: true);

        var events = Buffered(sub).Select(d => d.Event!).ToList();
        Assert.That(events, Has.Count.EqualTo(3));
        Assert.That(events.All(e => e is { Caller: null, CallerMasked: null, CallerWithheld: true }), Is.True);
    }

    [Test]
    public void A_slow_consumer_gets_a_gap_marker_with_the_count_while_a_prompt_one_gets_everything()
    {
        var hub = Hub(buffer: 2);
        using var slow = hub.Subscribe(CtiAudience.Everything);
        using var prompt = hub.Subscribe(Practices(true, "tilleuls"));
        var promptRead = new List<CtiDelivery>();
        hub.Started(new CallRecordStart("c1", T0, "tilleuls", "+33145000000", "+33612345678", 1), false);
        foreach (var phone in new[] { "accueil-1", "accueil-2", "accueil-3", "accueil-4" })
        {
            hub.Step("c1", T0, CallStepKinds.Ringing, phone, "tilleuls"); // never waits for the slow consumer
            promptRead.AddRange(Buffered(prompt));
        }
        var first = Buffered(slow);
        hub.Step("c1", T0, CallStepKinds.Answered, "accueil-4", "tilleuls"); // after the gap was read, the slow consumer gets events again
        promptRead.AddRange(Buffered(prompt));
        var second = Buffered(slow);

        Assert.That(first.Select(d => d.IsGap ? $"gap {d.Dropped}" : $"{d.Event!.Sequence}"), Is.EqualTo(new[] { "1", "2", "gap 2" }));
        Assert.That(second.Select(d => $"{d.Event!.Sequence}"), Is.EqualTo(new[] { "5" }));
        Assert.That(slow.Dropped, Is.EqualTo(2));
        Assert.That(promptRead.Select(d => d.IsGap ? "gap" : $"{d.Event!.Sequence}"), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(prompt.Dropped, Is.Zero);
    }

    [Test]
    public void A_reconnect_with_last_event_id_resumes_after_it_from_the_backlog()
    {
        var hub = Hub();
        using (var first = hub.Subscribe(Practices(true, "tilleuls")))
        {
            hub.Started(new CallRecordStart("c1", T0, "tilleuls", "+33145000000", "+33612345678", 1), false);
            hub.Step("c1", T0, CallStepKinds.Ringing, "accueil-1", "tilleuls");
            var seen = Buffered(first);
            Assert.That(seen, Has.Count.EqualTo(1));
            var lastId = hub.IdOf(seen[0].Event!);
            first.Dispose();
            hub.Step("c1", T0, CallStepKinds.Answered, "accueil-1", "tilleuls");
            AnsweredCall(hub, "other", "erables");
            hub.Ended("c1", T0, CallOutcomes.Answered, "accueil-1", "caller");

            using var again = hub.Subscribe(Practices(true, "tilleuls"), lastId);
            Assert.That(Buffered(again).Select(d => d.Event!.Type), Is.EqualTo(new[] { "call.answered", "call.ended" }));
        }
    }

    [Test]
    public void A_last_event_id_of_an_earlier_run_or_older_than_the_backlog_starts_with_a_resume_gap()
    {
        var hub = Hub(backlog: 2);
        AnsweredCall(hub, "c1", "tilleuls"); // positions 1..3; the backlog keeps 2 and 3

        using var earlierRun = hub.Subscribe(CtiAudience.Everything, "0badcafe-1");
        var fromEarlier = Buffered(earlierRun);
        Assert.That(fromEarlier.Select(d => d.IsGap ? $"gap {d.GapReason} {d.Dropped?.ToString() ?? "?"}" : d.Event!.Type),
            Is.EqualTo(new[] { "gap resume ?" }));

        using var tooOld = hub.Subscribe(CtiAudience.Everything, $"{hub.RunId}-0");
        Assert.That(Buffered(tooOld).Select(d => d.IsGap ? $"gap {d.GapReason} {d.Dropped}" : d.Event!.Type),
            Is.EqualTo(new[] { "gap resume 1", "call.answered", "call.ended" }));
    }

    [Test]
    public void Transfers_overflows_and_messages_become_typed_events()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(CtiAudience.Everything);
        hub.Started(new CallRecordStart("c1", T0, "tilleuls", "+33145000000", "+33612345678", 1), false);
        hub.Step("c1", T0, CallStepKinds.Ringing, "servitel", "overflow");
        hub.Step("c1", T0, CallStepKinds.Overflowed, "servitel", "Servitel");
        hub.Step("c1", T0, CallStepKinds.Ringing, "accueil-2", "transfer by servitel");
        hub.Step("c1", T0, CallStepKinds.Transferred, "accueil-2", "blind transfer by servitel to accueil-2 (asked for '102')");
        hub.Step("c1", T0, CallStepKinds.Voicemail, null, "recording");
        hub.Step("c1", T0, CallStepKinds.Voicemail, "tilleuls", "message 20261201090000-ab12, 14 s");

        var events = Buffered(sub).Select(d => d.Event!).ToList();
        Assert.That(events[0], Is.TypeOf<CallRinging>().With.Property("Reason").EqualTo("overflow"));
        Assert.That(events[1], Is.TypeOf<CallAnswered>().With.Property("By").EqualTo("servitel"));
        Assert.That(events[2], Is.TypeOf<CallRinging>().With.Property("Reason").EqualTo("transfer"));
        Assert.That(events[3], Is.TypeOf<CallTransferred>().With.Property("To").EqualTo("accueil-2").And.Property("Kind").EqualTo("blind"));
        var message = (VoicemailLeft)events[4];
        Assert.That((message.Box, message.MessageId, message.DurationSeconds), Is.EqualTo(("tilleuls", "20261201090000-ab12", (int?)14)));
        Assert.That(events, Has.Count.EqualTo(5));
    }

    [Test]
    public void The_json_of_an_event_is_the_documented_snake_case_with_its_type()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(CtiAudience.Everything);
        AnsweredCall(hub, "c1", "tilleuls");
        using var doc = JsonDocument.Parse(Buffered(sub)[0].ToJson());
        var root = doc.RootElement;
        Assert.That(root.EnumerateObject().First().Name, Is.EqualTo("type"));
        Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("call.ringing"));
        Assert.That(root.GetProperty("call_id").GetString(), Is.EqualTo("c1"));
        Assert.That(root.GetProperty("sequence").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("phone").GetString(), Is.EqualTo("accueil-1"));
        Assert.That(root.GetProperty("caller").GetString(), Is.EqualTo("+33612345678"));
        Assert.That(root.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(T0.AddSeconds(2)));
        Assert.That(System.Text.Encoding.UTF8.GetString(CtiJson.Gap(3, "slow")), Is.EqualTo("{\"type\":\"gap\",\"dropped\":3,\"reason\":\"slow\"}"));
    }

    [Test]
    public void Calls_of_no_practice_and_unknown_calls_publish_nothing()
    {
        var hub = Hub();
        using var sub = hub.Subscribe(CtiAudience.Everything);
        hub.Started(new CallRecordStart("x", T0, null, "+33199999999", "+33612345678", 1), false);
        hub.Step("x", T0, CallStepKinds.Ringing, "somewhere", null);
        hub.Step("never-started", T0, CallStepKinds.Answered, "accueil-1", null);
        hub.Ended("x", T0, CallOutcomes.Refused, null, "engine");
        Assert.That(Buffered(sub), Is.Empty);
    }
}
