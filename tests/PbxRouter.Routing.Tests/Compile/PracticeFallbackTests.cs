using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Compile;

/// <summary>The engine-down route of each practice and line: its overflow's secretariats in order, then one of its boxes.</summary>
public class PracticeFallbackTests
{
    [Test]
    public void Fallbacks_OfAPractice_AreItsOverflowSecretariatsThroughItsTrunkThenTheClosedRoutesBox()
    {
        var fallback = Compile(ValidRules.Yaml).Fallbacks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fallback.PracticeId, Is.EqualTo("p1"));
            Assert.That(fallback.LineId, Is.Null);
            Assert.That(fallback.Numbers, Is.EqualTo(new[] { "+33145000000" }));
            Assert.That(fallback.Secretariats.Select(s => (s.SecretariatId, s.Destination, s.Trunk)), Is.EqualTo(new[] { ("sec", "+33567000000", "t1") }));
            Assert.That(fallback.Voicemail?.Box, Is.EqualTo("cabinet"));
            Assert.That(fallback.Voicemail?.Urgent, Is.False);
        });
    }

    [Test]
    public void Fallbacks_OfALine_UseTheLinesOverflowAndHeaders_AfterThePractice()
    {
        var yaml = (ValidRules.Yaml + "\n    lines:\n      - id: dr-b\n        numbers: [\"01 45 00 00 11\"]\n"
                + "        overflow: { to: [sec2, sec], headers: { X-Practitioner: dr-b } }\n")
            .Replace("practices:\n", "  - { id: sec2, uri: \"sip:cabinet@secretariat.example.net\", diversion: false }\npractices:\n");
        var fallbacks = Compile(yaml).Fallbacks;
        Assert.That(fallbacks.Select(f => f.LineId), Is.EqualTo(new[] { null, "dr-b" }));
        var line = fallbacks[1];
        Assert.Multiple(() =>
        {
            Assert.That(line.Numbers, Is.EqualTo(new[] { "+33145000011" }));
            Assert.That(line.Secretariats.Select(s => s.SecretariatId), Is.EqualTo(new[] { "sec2", "sec" }));
            Assert.That(line.Secretariats[0].Destination, Is.EqualTo("sip:cabinet@secretariat.example.net"));
            Assert.That(line.Secretariats[0].Diversion, Is.False);
            Assert.That(line.Secretariats.All(s => s.Headers["X-Practitioner"] == "dr-b"));
            Assert.That(line.Voicemail?.Box, Is.EqualTo("cabinet"), "the practice's box");
        });
    }

    [Test]
    public void Fallbacks_WhenTheClosedRouteTakesNoMessage_UseThePracticesFirstNormalBox()
    {
        var yaml = With("closed: [{ announce: closed }, { voicemail: cabinet }]", "closed: [{ announce: closed }, { voicemail: urgent }]")
            .Replace("      - { id: cabinet }\n      - { id: urgent, urgent: true }", "      - { id: urgent, urgent: true }\n      - { id: cabinet }");
        Assert.That(Compile(yaml).Fallbacks.Single().Voicemail?.Box, Is.EqualTo("cabinet"));
    }

    private static CompiledRules Compile(string yaml)
    {
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        return result.Rules!;
    }
}
