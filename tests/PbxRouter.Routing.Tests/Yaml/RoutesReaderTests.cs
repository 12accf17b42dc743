using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

public class RoutesReaderTests
{
    [Test]
    public void ReadStep_UnknownWord_SuggestsTheClosest()
    {
        var yaml = With("open: [greeting, queue, overflow]", "open: [greeting, queu, overflow]");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "queu,", "practices[0].routes.open[1]");
        Assert.That(error.Hint, Is.EqualTo("did you mean 'queue'?"));
    }

    [Test]
    public void ReadFeatureCode_TwoActions_IsAnError()
    {
        var yaml = With("{ code: \"*28\", toggle: closed }", "{ code: \"*28\", toggle: closed, activate: closed }");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "{ code: \"*28\"", "practices[0].feature_codes.codes[0]");
    }

    [Test]
    public void ReadStep_WordThatNeedsAValue_SaysSo()
    {
        var yaml = With("lunch: [greeting, overflow]", "lunch: [greeting, announce]");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "announce]", "practices[0].routes.lunch[1]");
        Assert.That(error.Hint, Does.Contain("announce: <name>"));
    }

    [Test]
    public void ReadMode_UnknownState_SuggestsTheClosest()
    {
        var yaml = With("{ id: closed, steps:", "{ id: closed, during: [opn], steps:");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "opn", "practices[0].modes[0].during[0]");
        Assert.That(error.Hint, Does.Contain("'open'"));
    }
}
