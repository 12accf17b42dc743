using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

public class AnsweringReaderTests
{
    [Test]
    public void ReadNotification_HttpWebhook_IsRefused()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ webhook: http://alerts.example.fr }] }");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "http://", "practices[0].voicemail_boxes[0].notify[0].webhook");
        Assert.That(error.Hint, Does.Contain("https"));
    }

    [Test]
    public void ReadNotification_BadEmail_IsAnError()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ email: secretariat.example.fr }] }");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "secretariat.example.fr", "practices[0].voicemail_boxes[0].notify[0].email");
    }

    [Test]
    public void ReadVoicemailBox_NotifySettings_AreReadIntoEachTarget()
    {
        var yaml = With("      - { id: cabinet }", """
                  - id: cabinet
                    caller_number: full
                    notify:
                      - { email: secretariat@tilleuls.example.fr, audio: link }
                      - { email: dr.martin@tilleuls.example.fr }
                      - { webhook: "https://alerts.example.fr/vm", secret_env: TILLEULS_WEBHOOK_SECRET }
            """);
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty);
        var box = result.Rules!.Model.Practices[0].VoicemailBoxes.Single(b => b.Id.Value == "cabinet");
        Assert.That(box.Notify, Is.EqualTo(new[]
        {
            new Notification(NotificationKind.Email, "secretariat@tilleuls.example.fr") { Caller = CallerNumberShown.Full, Audio = EmailAudio.Link },
            new Notification(NotificationKind.Email, "dr.martin@tilleuls.example.fr") { Caller = CallerNumberShown.Full, Audio = EmailAudio.Attach },
            new Notification(NotificationKind.Webhook, "https://alerts.example.fr/vm") { Caller = CallerNumberShown.Full, SecretEnv = "TILLEULS_WEBHOOK_SECRET" },
        }));
    }

    [Test]
    public void ReadVoicemailBox_WithoutCallerNumber_MasksIt()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ email: a@tilleuls.example.fr }] }");
        var box = CompileYaml(yaml).Rules!.Model.Practices[0].VoicemailBoxes.Single(b => b.Id.Value == "cabinet");
        Assert.That(box.Notify.Single().Caller, Is.EqualTo(CallerNumberShown.Masked));
    }

    [Test]
    public void ReadVoicemailBox_UnknownCallerNumberSetting_IsAnError()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet, caller_number: visible }");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "visible", "practices[0].voicemail_boxes[0].caller_number");
    }

    [Test]
    public void ReadNotification_WebhookWithoutSecretEnv_IsAWarning_AndTheTargetHasNoSecret()
    {
        var yaml = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ webhook: \"https://alerts.example.fr/vm\" }] }");
        Assert.That(Warning(yaml, RuleErrorCodes.UnsignedWebhook).Message, Does.Contain("never sends it"));
        var box = CompileYaml(yaml).Rules!.Model.Practices[0].VoicemailBoxes.Single(b => b.Id.Value == "cabinet");
        Assert.That(box.Notify.Single().SecretEnv, Is.Null);
    }

    [Test]
    public void ReadNotification_AudioOnAWebhookOrSecretOnAnEmail_AreErrors()
    {
        var hook = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ webhook: \"https://a.example.fr\", secret_env: S, audio: attach }] }");
        Assert.That(Error(hook, RuleErrorCodes.InvalidValue).Message, Does.Contain("audio is for e-mail targets"));
        var mail = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ email: a@b.fr, secret_env: S }] }");
        Assert.That(Error(mail, RuleErrorCodes.InvalidValue).Message, Does.Contain("secret_env signs webhooks"));
        var audio = With("      - { id: cabinet }", "      - { id: cabinet, notify: [{ email: a@b.fr, audio: mp3 }] }");
        AssertAt(Error(audio, RuleErrorCodes.InvalidValue), audio, "mp3", "practices[0].voicemail_boxes[0].notify[0].audio");
    }

    [Test]
    public void ReadEscalation_KeyOfTwoDigits_IsAnError()
    {
        var yaml = With("key: \"9\"", "key: \"99\"");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "\"99\"", "practices[0].escalation.key");
    }

    [Test]
    public void ReadEscalation_BadContactNumber_IsAnError()
    {
        var yaml = With("{ name: Dr A, number: \"06 12 34 56 78\" }", "{ name: Dr A, number: \"06 12\" }");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidNumber), yaml, "\"06 12\"", "practices[0].escalation.contacts[0].number");
    }

    [Test]
    public void ReadVip_UnknownRoute_IsAnError()
    {
        var yaml = With("    routes:", "    callers:\n      vip: [{ name: Lab, numbers: [\"01 40 00 00 00\"], route: greeting }]\n    routes:");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "greeting }", "practices[0].callers.vip[0].route");
    }

    [Test]
    public void ReadVip_EscalationRoute_GoesStraightToTheMobiles()
    {
        var yaml = With("    routes:", "    callers:\n      vip: [{ name: Hospital, numbers: [\"01 40 00 00 00\"], route: escalation }]\n    routes:");
        var rules = CompileYaml(yaml).Rules!;
        var plan = RoutingDecision.Decide(rules, new CallRequest("0145000000", "0140000000", Instant.FromUtc(2026, 3, 2, 9, 0)), RuntimeState.None);
        Assert.That(plan.Steps[0], Is.InstanceOf<Escalate>());
        Assert.That(plan.Steps.OfType<PlayGreeting>(), Is.Empty);
    }

    [Test]
    public void ReadMessages_BadName_IsAnError()
    {
        var yaml = With("      closed: \"Fermé.", "      Closed Message: \"x\"\n      closed: \"Fermé.");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "Closed Message", "practices[0].messages.Closed Message");
    }
}
