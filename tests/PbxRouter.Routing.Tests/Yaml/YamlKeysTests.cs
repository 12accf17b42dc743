using System.Text.Json;

namespace PbxRouter.Routing.Tests.Yaml;

/// <summary>docs/routing-rules.schema.json must allow exactly the keys the reader accepts, so editors and the compiler agree.</summary>
public class YamlKeysTests
{
    private static readonly (string Definition, string[] Keys)[] Pairs =
    [
        ("trunk", YamlKeys.Trunk), ("registration", YamlKeys.Registration), ("secretariat", YamlKeys.Secretariat),
        ("practice", YamlKeys.Practice), ("line", YamlKeys.Line), ("phone", YamlKeys.Phone), ("holidays", YamlKeys.Holidays),
        ("customHoliday", YamlKeys.CustomHoliday), ("closure", YamlKeys.Closure), ("exceptionalOpening", YamlKeys.ExceptionalOpening),
        ("greeting", YamlKeys.Greeting), ("queue", YamlKeys.Queue), ("overflow", YamlKeys.Overflow), ("escalation", YamlKeys.Escalation),
        ("contact", YamlKeys.Contact), ("voicemailBox", YamlKeys.VoicemailBox), ("notification", YamlKeys.Notify),
        ("callers", YamlKeys.Callers), ("vip", YamlKeys.Vip), ("blocked", YamlKeys.Blocked), ("routes", YamlKeys.Routes),
        ("mode", YamlKeys.Mode), ("featureCodes", YamlKeys.FeatureCodes), ("featureCode", YamlKeys.FeatureCode),
        ("outgoing", YamlKeys.Outgoing), ("cti", YamlKeys.Cti),
    ];

    private static JsonElement Schema()
    {
        var path = Path.Combine(SampleRules.RulesFolder, "..", "..", "docs", "routing-rules.schema.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static string[] PropertiesOf(JsonElement definition) =>
        definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();

    [Test]
    public void Schema_RootKeys_MatchTheReader() =>
        Assert.That(PropertiesOf(Schema()), Is.EqualTo(YamlKeys.Root.Order().ToArray()));

    [TestCaseSource(nameof(Pairs))]
    public void Schema_DefinitionKeys_MatchTheReader((string Definition, string[] Keys) pair)
    {
        var definition = Schema().GetProperty("definitions").GetProperty(pair.Definition);
        Assert.That(PropertiesOf(definition), Is.EqualTo(pair.Keys.Order().ToArray()), pair.Definition);
        Assert.That(definition.GetProperty("additionalProperties").GetBoolean(), Is.False, "unknown keys must be flagged in editors too");
    }

    [Test]
    public void Schema_Message_MatchesTheReader()
    {
        var objectForm = Schema().GetProperty("definitions").GetProperty("message").GetProperty("oneOf")[1];
        Assert.That(PropertiesOf(objectForm), Is.EqualTo(YamlKeys.Message.Order().ToArray()));
    }
}
