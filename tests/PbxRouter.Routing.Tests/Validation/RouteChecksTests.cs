using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Validation;

public class RouteChecksTests
{
    [Test]
    public void Check_ClosedMessageWithout15_IsAnError()
    {
        var yaml = With("\"Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117.\"", "\"Le cabinet est fermé, rappelez demain à 15h.\"");
        var errors = CompileYaml(yaml).Errors.Where(e => e.Code == RuleErrorCodes.MissingEmergencyMessage).ToList();
        Assert.That(errors.Select(e => e.Field), Is.EquivalentTo(new[] { "practices[0].routes.closed", "practices[0].modes[0].steps" }));
        var closed = errors.Single(e => e.Field == "practices[0].routes.closed");
        Assert.That(closed.Line, Is.EqualTo(Find(yaml, "[{ announce: closed }, { voicemail: cabinet }]").Line));
        Assert.That(closed.Message, Does.Contain("15"));
        Assert.That(closed.Hint, Does.Contain("116 117"));
    }

    [Test]
    public void Check_ClosedMessageWithout116117_IsAWarning()
    {
        var yaml = With(" Médecin de garde : 116 117.\"", "\"");
        var warnings = CompileYaml(yaml).Warnings.Where(w => w.Code == RuleErrorCodes.MissingOnCallMessage).ToList();
        Assert.That(CompileYaml(yaml).Errors, Is.Empty);
        Assert.That(warnings.Select(w => w.Field), Does.Contain("practices[0].routes.closed"));
    }

    [Test]
    public void Check_MissingClosedRoute_IsAnError()
    {
        var yaml = With("      closed: [{ announce: closed }, { voicemail: cabinet }]\n", "");
        var error = Error(yaml, RuleErrorCodes.MissingField);
        AssertAt(error, yaml, "id: p1", "practices[0].routes.closed");
    }

    [Test]
    public void Check_EscalationWithoutContacts_IsAnError()
    {
        var yaml = With("      contacts:\n        - { name: Dr A, number: \"06 12 34 56 78\" }\n", "      contacts: []\n");
        var error = Error(yaml, RuleErrorCodes.EmptyEscalation);
        AssertAt(error, yaml, "key: \"9\"", "practices[0].escalation.contacts");
    }

    [Test]
    public void Check_ModeNoFeatureCodeToggles_IsAWarning()
    {
        var yaml = With("{ code: \"*28\", toggle: closed }", "{ code: \"*28\", voicemail: cabinet }");
        var warning = Warning(yaml, RuleErrorCodes.Unreachable);
        AssertAt(warning, yaml, "closed, steps", "practices[0].modes[0].id");
        Assert.That(warning.Hint, Does.Contain("toggle: closed"));
    }

    [Test]
    public void Check_UnusedVoicemailBox_IsAWarning()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet }\n      - { id: spare }");
        AssertAt(Warning(yaml, RuleErrorCodes.Unreachable), yaml, "spare", "practices[0].voicemail_boxes[1].id");
    }

    [Test]
    public void Check_StepAfterHangup_IsAWarning()
    {
        var yaml = With("open: [greeting, queue, overflow]", "open: [greeting, queue, overflow, hangup, greeting]");
        AssertAt(Warning(yaml, RuleErrorCodes.Unreachable), yaml, "greeting]", "practices[0].routes.open[4]");
    }

    [Test]
    public void Check_QueueAsLastStep_IsAWarning()
    {
        var yaml = With("open: [greeting, queue, overflow]", "open: [greeting, queue]");
        AssertAt(Warning(yaml, RuleErrorCodes.DeadEnd), yaml, "queue]", "practices[0].routes.open[1]");
    }

    [Test]
    public void Check_VoicemailFirst_IsAWarning()
    {
        var yaml = With("lunch: [greeting, overflow]", "lunch: [{ voicemail: cabinet }, overflow]");
        AssertAt(Warning(yaml, RuleErrorCodes.Suspicious), yaml, "cabinet }, overflow", "practices[0].routes.lunch[0].voicemail");
    }

    [Test]
    public void Check_LunchRouteWithoutABreak_IsAWarning()
    {
        var yaml = With("[\"08:00-12:00\", \"14:00-19:00\"]", "[\"08:00-19:00\"]");
        AssertAt(Warning(yaml, RuleErrorCodes.Unreachable), yaml, "[greeting, overflow]", "practices[0].routes.lunch");
    }

    [Test]
    public void Check_HangupBeforeAnyVoicemail_WarnsThatCallersEndWithNobody()
    {
        var yaml = With("open: [greeting, queue, overflow]", "open: [greeting, queue, overflow, hangup]");
        var warning = Warning(yaml, RuleErrorCodes.EndsWithNobody);
        AssertAt(warning, yaml, "hangup]", "practices[0].routes.open[3]");
        Assert.That(warning.Hint, Does.Contain("voicemail"));
    }

    [Test]
    public void Check_VoicemailBeforeHangup_DoesNotWarn()
    {
        var yaml = With("closed: [{ announce: closed }, { voicemail: cabinet }]", "closed: [{ announce: closed }, { voicemail: cabinet }, hangup]");
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Warnings.Where(w => w.Code == RuleErrorCodes.EndsWithNobody), Is.Empty, string.Join("\n", result.Warnings));
    }

    [Test]
    public void Check_PracticeWithoutVoicemailBox_WarnsForEachRouteThatRunsOutIntoTheFallback()
    {
        const string yaml = """
            secretariats:
              - { id: sec, number: "05 67 00 00 00" }
            practices:
              - id: p1
                name: Practice one
                numbers: ["01 45 00 00 00"]
                hours: { weekdays: ["08:00-19:00"] }
                messages:
                  closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117."
                overflow: { to: [sec] }
                routes:
                  open: [overflow]
                  closed: [{ announce: closed }]
            """;
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        var warnings = result.Warnings.Where(w => w.Code == RuleErrorCodes.EndsWithNobody).ToList();
        Assert.That(warnings.Select(w => w.Field), Is.EquivalentTo(new[] { "practices[0].routes.open", "practices[0].routes.closed" }), string.Join("\n", result.Warnings));
        Assert.That(warnings[0].Message, Does.Contain("no voicemail box"));
        Assert.That(warnings[0].Line, Is.EqualTo(Find(yaml, "[overflow]").Line));
    }
}
