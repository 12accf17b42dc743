using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.WebConsole;

/// <summary>The "where would this call go" form: the same answer as `pbxrouter route`, a manager kept to their practice, bad input refused.</summary>
[TestFixture]
public sealed partial class RoutePagesTests
{
    [TestCase("2026-11-24 09:30", "open")]
    [TestCase("2026-11-24 21:00", "closed")]
    public async Task TheForm_AnswersWhatPbxrouterRouteSays(string at, string state)
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();

        using var answer = await http.GetAsync($"console/route?to={Uri.EscapeDataString("01 45 00 00 00")}&from=0612345678&at={Uri.EscapeDataString(at)}");
        var html = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        var cli = await CliRunner.RunAsync("route", "--db", Path.Combine(console.Folder, "pbxrouter.db"), "--to", "0145000000", "--from", "0612345678", "--at", at);
        Assert.That(cli.ExitCode, Is.Zero, cli.Err);
        Assert.That(Explanation(html), Is.EqualTo(cli.Out), "line for line what the command prints");
        Assert.That(cli.Out, Does.Contain($"State:    {state}").IgnoreCase, "the test covers both an open and a closed time");
    }

    [Test]
    public async Task AManagerOfTilleuls_Gets403_OnPlatanesNumberAndPhones_TheAdminMayAskAboutBoth()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var manager = console.Client();
        (await ConsoleHost.LoginAsync(manager, "marc")).Dispose();
        foreach (var query in new[] { "to=0146000000", "to=0146000000&at=2026-11-24+09:30", "to=0899000000", "to=15&phone=platanes.accueil" })
        {
            using var refused = await manager.GetAsync("console/route?" + query);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), query);
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Not.Contain("explanation"), query);
        }
        using var own = await manager.GetAsync("console/route?to=0145000000");
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var admin = console.Client();
        (await ConsoleHost.LoginAsync(admin, "alice")).Dispose();
        var platanes = await admin.GetStringAsync("console/route?to=0146000000&at=2026-11-24+09:30");
        Assert.That(Explanation(platanes), Does.StartWith("Practice: Platanes (platanes)"));
    }

    [TestCase("to=abc%3Cscript%3E", "to &#39;abc&lt;script&gt;&#39; is not a phone number")]
    [TestCase("to=0145000000&at=tomorrow", "at &#39;tomorrow&#39; is not a local time")]
    [TestCase("to=0145000000&from=x%27%3B--", "from &#39;x&#39;;--&#39; is not a phone number")]
    [TestCase("to=0145000000&phone=tilleuls.nobody", "phone &#39;tilleuls.nobody&#39; is not a phone of the rules")]
    public async Task BadInput_IsAClear400_WithTheFormAgain_AndChangesNothing(string query, string error)
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        using var answer = await http.GetAsync("console/route?" + query);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), html);
        Assert.That(html, Does.Contain(error).And.Contain("id=\"route-form\"").And.Not.Contain("<script>").And.Not.Contain("id=\"explanation\""));
        await AssertNothingChangedAsync(console);
    }

    [Test]
    public async Task AHugeInput_IsRefusedWithItsLength_AndNotEchoed()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        var huge = new string('1', 5000);
        using var answer = await http.GetAsync($"console/route?to=0145000000&from={huge}");
        var html = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("from: at most 64 characters (5000 given)").And.Not.Contain(huge));
        await AssertNothingChangedAsync(console);
    }

    private static async Task AssertNothingChangedAsync(ConsoleHost console)
    {
        var modes = console.Host.Services.GetRequiredService<RuntimeModes>();
        await modes.RefreshAsync(CancellationToken.None);
        Assert.That(modes.Current.ActiveModes, Is.Empty, "no mode set");
        var audit = await new ConsoleAuditRepository(console.Database, TimeProvider.System).LatestAsync(null);
        Assert.That(audit.Select(a => a.Action), Is.EqualTo(new[] { "login" }), "only the login was recorded");
    }

    private static string Explanation(string html)
    {
        var match = ExplanationBlock().Match(html);
        Assert.That(match.Success, Is.True, "the page shows an explanation:\n" + html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("<pre id=\"explanation\" class=\"card\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ExplanationBlock();
}
