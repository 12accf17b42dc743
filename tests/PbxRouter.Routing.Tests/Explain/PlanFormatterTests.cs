using System.Text.Json;
using static PbxRouter.Routing.Tests.SampleRules;

namespace PbxRouter.Routing.Tests.Explain;

public class PlanFormatterTests
{
    [Test]
    public void ToText_OnChristmas_ExplainsPracticeStateReasonAndNumberedSteps()
    {
        var text = PlanFormatter.ToText(Decide("01 45 00 00 00", "06 11 11 11 11", "2026-12-25 10:00"));
        Assert.That(text, Does.Contain("Practice: Cabinet médical des Tilleuls (tilleuls)"));
        Assert.That(text, Does.Contain("When:     Friday 2026-12-25 10:00 (Europe/Paris)"));
        Assert.That(text, Does.Contain("State:    Holiday: closed: Christmas Day, French public holiday"));
        Assert.That(text, Does.Contain("  1. Announce 'closed'"));
        Assert.That(text, Does.Contain("  2. Voicemail 'tilleuls'"));
        Assert.That(text, Does.Contain("     why: "));
    }

    [Test]
    public void ToText_WhenOpen_ShowsTheUrgentBranch()
    {
        var text = PlanFormatter.ToText(Decide("01 45 00 00 00", "01 40 00 00 00", "2026-03-02 10:00"));
        Assert.That(text, Does.Contain("Caller:   VIP Biolab"));
        Assert.That(text, Does.Contain("If the caller presses 9 (urgent):"));
        Assert.That(text, Does.Contain("Escalate: Dr Martin +33612345678 (25 s), then Dr Durand +33698765432 (25 s); accept with 1"));
    }

    [Test]
    public void ToText_UnknownNumber_SaysNoPractice()
    {
        var text = PlanFormatter.ToText(Decide("01 99 99 99 99", "", "2026-03-02 10:00"));
        Assert.That(text, Does.StartWith("Practice: none"));
        Assert.That(text, Does.Contain("Refuse (SIP 404)"));
    }

    [Test]
    public void ToJson_HasTypedStepsAndDurationsInSeconds()
    {
        var json = PlanFormatter.ToJson(Decide("01 45 00 00 00", "06 11 11 11 11", "2026-03-02 10:00"));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("practiceId").GetString(), Is.EqualTo("tilleuls"));
        Assert.That(root.GetProperty("state").GetString(), Is.EqualTo("open"));
        Assert.That(root.GetProperty("localTime").GetString(), Is.EqualTo("2026-03-02T10:00:00"));
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.That(steps.Select(s => s.GetProperty("type").GetString()), Is.EqualTo(new[] { "greeting", "queue", "overflow", "hangup" }));
        Assert.That(steps[1].GetProperty("ringTime").GetDouble(), Is.EqualTo(20));
        Assert.That(steps[1].GetProperty("strategy").GetString(), Is.EqualTo("ringAll"));
        Assert.That(steps.All(s => s.GetProperty("why").GetString()!.Length > 0));
        Assert.That(root.GetProperty("urgentSteps")[0].GetProperty("type").GetString(), Is.EqualTo("escalate"));
    }

    [Test]
    public void Describe_EveryStepKind_IsReadable()
    {
        PlanStep[] steps =
        [
            new PlayGreeting(null, "Bonjour", false, "w"), new Forward("+33612345678", "w"), new Refuse(403, "w"), new Hangup("w"),
            new Voicemail("b", true, [new Notification(NotificationKind.Email, "a@b.fr")], "w"),
        ];
        Assert.That(steps.Select(PlanFormatter.Describe), Is.EqualTo(new[]
        {
            "Greeting (after answering): \"Bonjour\"", "Forward to +33612345678", "Refuse (SIP 403)", "Hang up", "Voicemail 'b' (urgent), notify a@b.fr",
        }));
    }
}
