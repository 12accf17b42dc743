using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

/// <summary>A voicemail box's keep_days: 30 by default, a whole number of days from 1 to 3650, errors naming file, line and field.</summary>
public class VoicemailKeepDaysTests
{
    [Test]
    public void KeepDays_Default30_AndAsWritten()
    {
        var rules = CompileYaml(With("- { id: cabinet }", "- { id: cabinet, keep_days: 90 }")).Rules!;
        var boxes = rules.Model.Practices[0].VoicemailBoxes;
        Assert.That(boxes.Single(b => b.Id.Value == "cabinet").KeepDays, Is.EqualTo(90));
        Assert.That(boxes.Single(b => b.Id.Value == "urgent").KeepDays, Is.EqualTo(30));
        Assert.That(Model.VoicemailBox.DefaultKeepDays, Is.EqualTo(30));
    }

    [Test]
    public void KeepDays_KeptThroughTheStoredCompiledForm()
    {
        var rules = CompileYaml(With("- { id: cabinet }", "- { id: cabinet, keep_days: 90 }")).Rules!;
        Assert.That(CompiledRules.FromJson(rules.ToJson()).Model.Practices[0].VoicemailBoxes[0].KeepDays, Is.EqualTo(90));
    }

    [TestCase("0")]
    [TestCase("3651")]
    [TestCase("-1")]
    [TestCase("thirty")]
    [TestCase("7.5")]
    public void KeepDays_NotAWholeNumberFrom1To3650_IsAWrongType_AtItsFileLineAndField(string value)
    {
        var yaml = With("- { id: cabinet }", $"- {{ id: cabinet, keep_days: {value} }}");
        var error = Error(yaml, RuleErrorCodes.WrongType);
        AssertAt(error, yaml, value + " }", "practices[0].voicemail_boxes[0].keep_days");
        Assert.That(error.File, Is.EqualTo("p1.yaml"));
        Assert.That(error.Message, Does.Contain("between 1 and 3650"));
    }
}
