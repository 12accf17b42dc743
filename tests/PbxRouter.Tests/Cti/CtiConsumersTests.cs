using Microsoft.Extensions.Configuration;
using PbxRouter.Cti;

namespace PbxRouter.Tests.Cti;

[TestFixture]
public sealed class CtiConsumersTests
{
    private const string AgendaToken = "agenda-secret-token";
    private const string PlatformToken = "platform-secret-token";

    private static (CtiConsumers Consumers, List<string> Problems) Read(Dictionary<string, string?> settings)
    {
        var problems = new List<string>();
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return (CtiConsumers.Read(config, problems), problems);
    }

    private static Dictionary<string, string?> Two() => new()
    {
        ["Cti:Consumers:0:Name"] = "agenda",
        ["Cti:Consumers:0:TokenHash"] = CtiConsumers.HashOf(AgendaToken),
        ["Cti:Consumers:0:Practices:0"] = "tilleuls",
        ["Cti:Consumers:1:Name"] = "platform",
        ["Cti:Consumers:1:TokenHash"] = CtiConsumers.HashOf(PlatformToken).ToUpperInvariant(),
        ["Cti:Consumers:1:Practices:0"] = "*",
        ["Cti:Consumers:1:CallerNumbers"] = "true",
    };

    [Test]
    public void The_bearer_token_whose_sha256_is_configured_names_its_consumer_and_what_it_may_see()
    {
        var (consumers, problems) = Read(Two());
        Assert.That(problems, Is.Empty);
        var agenda = consumers.Authenticate($"Bearer {AgendaToken}");
        var platform = consumers.Authenticate($"bearer {PlatformToken}");
        Assert.That(agenda?.Name, Is.EqualTo("agenda"));
        Assert.That(agenda!.Audience.Sees("tilleuls") && !agenda.Audience.Sees("erables") && !agenda.Audience.CallerNumbers, Is.True);
        Assert.That(platform?.Name, Is.EqualTo("platform"));
        Assert.That(platform!.Audience.Practices, Is.Null, "* is every practice");
        Assert.That(platform.Audience.CallerNumbers, Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("Bearer ")]
    [TestCase("Bearer wrong-token")]
    [TestCase("Basic YWdlbmRhOmFnZW5kYS1zZWNyZXQtdG9rZW4=")]
    [TestCase(AgendaToken)]
    public void No_or_a_wrong_token_authenticates_nobody(string? authorization) =>
        Assert.That(Read(Two()).Consumers.Authenticate(authorization), Is.Null);

    [Test]
    public void The_hash_itself_is_not_a_token() =>
        Assert.That(Read(Two()).Consumers.Authenticate($"Bearer {CtiConsumers.HashOf(AgendaToken)}"), Is.Null);

    [Test]
    public void A_token_in_the_settings_is_refused_with_the_way_to_hash_it()
    {
        var settings = Two();
        settings["Cti:Consumers:0:Token"] = AgendaToken;
        var (consumers, problems) = Read(settings);
        Assert.That(problems, Has.One.StartsWith("Cti:Consumers:0:Token: never put a consumer's token in the settings"));
        Assert.That(consumers.Authenticate($"Bearer {AgendaToken}"), Is.Null, "the consumer is left out");
    }

    [TestCase("TokenHash", "abc", "Cti:Consumers:0:TokenHash is not 64 hex digits")]
    [TestCase("Name", "", "Cti:Consumers:0:Name is missing")]
    [TestCase("CallerNumbers", "yes", "Cti:Consumers:0:CallerNumbers 'yes' is not true or false")]
    public void A_wrong_field_is_named(string field, string value, string problem)
    {
        var settings = Two();
        settings[$"Cti:Consumers:0:{field}"] = value;
        Assert.That(Read(settings).Problems, Has.One.StartsWith(problem));
    }

    [Test]
    public void Practices_are_required_and_star_stands_alone()
    {
        var settings = Two();
        settings.Remove("Cti:Consumers:0:Practices:0");
        settings["Cti:Consumers:1:Practices:1"] = "tilleuls";
        var problems = Read(settings).Problems;
        Assert.That(problems, Has.Exactly(1).StartsWith("Cti:Consumers:0:Practices"));
        Assert.That(problems, Has.Exactly(1).StartsWith("Cti:Consumers:1:Practices"));
    }

    [Test]
    public void Two_consumers_with_one_token_is_a_problem()
    {
        var settings = Two();
        settings["Cti:Consumers:1:TokenHash"] = CtiConsumers.HashOf(AgendaToken);
        Assert.That(Read(settings).Problems, Has.One.StartsWith("Cti:Consumers:1:TokenHash is another consumer's"));
    }
}
