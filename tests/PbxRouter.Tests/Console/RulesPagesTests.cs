using System.Net;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Tests.WebConsole;

/// <summary>The rules page: the admin sees the diff with the previous version and rolls back (audited); a manager gets 403.</summary>
[TestFixture]
public sealed class RulesPagesTests
{
    [Test]
    public async Task TheAdmin_SeesTheDiff_AndRollsBack_AManagerIsRefused()
    {
        await using var console = await ConsoleHost.StartAsync();
        var changed = ConsoleHost.Rules.Replace("name: Platanes", "name: Platanes du Parc", StringComparison.Ordinal);
        var compiled = RulesCompiler.Compile("rules.yaml", changed);
        var rules = new RulesRepository(console.Database, TimeProvider.System);
        await rules.ApplyAsync(new RulesApplication([new RulesSourceFile("rules.yaml", changed)], compiled.Rules!.ToJson(), compiled.Rules.ContentHash, "test", null));

        using var manager = console.Client();
        (await ConsoleHost.LoginAsync(manager, "marc")).Dispose();
        using var refused = await manager.GetAsync("console/rules");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var managerToken = await ConsoleHost.TokenAsync(manager, "console/practices/tilleuls");
        using var refusedRollback = await ConsoleHost.PostAsync(manager, "console/rules/rollback", managerToken, new() { ["version"] = "1" });
        Assert.That(refusedRollback.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await rules.ActiveVersionNumberAsync(), Is.EqualTo(2));

        using var admin = console.Client();
        (await ConsoleHost.LoginAsync(admin, "alice")).Dispose();
        var page = await admin.GetStringAsync("console/rules");
        Assert.That(page, Does.Contain("Version en vigueur : 2").And.Contain("Modifications 1 → 2").And.Contain("Revenir à la version 1")
            .And.Contain("<title>Règles ·").And.Contain("-     name: Platanes\n").And.Contain("+     name: Platanes du Parc\n"), "French by default");
        (await admin.GetAsync("console/lang/en")).Dispose();
        var english = await admin.GetStringAsync("console/rules");
        Assert.That(english, Does.Contain("Version in force : 2").And.Contain("Changes 1 → 2").And.Contain("Roll back to version 1").And.Contain("<title>Rules ·")
            .And.Not.Contain("Revenir"), "English through the language switch");
        var token = await ConsoleHost.TokenAsync(admin, "console/rules");
        using var rollback = await ConsoleHost.PostAsync(admin, "console/rules/rollback", token, new() { ["version"] = "1" });
        Assert.That(rollback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var active = await rules.GetActiveAsync();
        Assert.That((active?.Number, active?.AppliedBy), Is.EqualTo(((int?)3, "console:alice")));
        var audit = await new ConsoleAuditRepository(console.Database, TimeProvider.System).LatestAsync(null, 1);
        Assert.That(audit.Select(a => (a.User, a.Action, a.Detail)), Is.EqualTo(new[] { ("alice", "rules-rollback", "to 1: version 3") }));
    }
}
