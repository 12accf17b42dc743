using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PbxRouter.Calls.Figures;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using PbxRouter.WebConsole;

namespace PbxRouter.IntegrationTests.WebConsole;

/// <summary>
/// The web console in Debian's chromium (headless, driven by Playwright) against `pbxrouter serve`, real Asterisk and SIPp:
/// a manager watches a patient wait in the queue and get answered, switches the "closed" mode and sees the next call go to
/// voicemail, plays that message, reads figures that match the call records, asks where a call would go now; a manager of
/// another practice is refused.
/// Screenshots of each page go to artifacts/test-results/console/.
/// </summary>
[TestFixture]
public sealed class ConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    /// <summary>Line "attente" of tilleuls-test.yaml: queue on accueil-1 alone, callers wait up to 60 s.</summary>
    private const string WaitingLine = "+33145000006";
    private const string Password = "console test password";

    [Test]
    public async Task AManager_SeesACallWaitThenAnswered_SwitchesAMode_PlaysTheMessage_ReadsFigures_AndAnotherManagerIsRefused()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is needed (apt-get install chromium; scripts/test.sh installs it)");
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        var port = FreePorts.Tcp();
        var hash = ConsolePasswords.Hash(Password);
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Open, "console", new Dictionary<string, string>
        {
            ["Web:Url"] = $"http://127.0.0.1:{port}",
            ["Console:Users:0:Name"] = "marc", ["Console:Users:0:PasswordHash"] = hash, ["Console:Users:0:Role"] = "manager",
            ["Console:Users:0:Practice"] = "tilleuls",
            ["Console:Users:1:Name"] = "paula", ["Console:Users:1:PasswordHash"] = hash, ["Console:Users:1:Role"] = "manager",
            ["Console:Users:1:Practice"] = "platanes",
            ["Console:Users:2:Name"] = "ines", ["Console:Users:2:PasswordHash"] = hash, ["Console:Users:2:Role"] = "admin",
        }, rules: text => text.Replace("    routes:\n      open: [greeting, queue, overflow]",
            "    modes:\n      - id: closed\n        name: fermé\n        steps: [{ announce: closed }, { voicemail: tilleuls }]\n"
            + "    routes:\n      open: [greeting, queue, overflow]", StringComparison.Ordinal));
        await served.Engine.WaitForLineAsync("web console on /console", "the engine serves the console");
        var root = $"http://127.0.0.1:{port}/console";
        var shots = Path.Combine(RepoPaths.Root, "artifacts", "test-results", "console");
        Directory.CreateDirectory(shots);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 412, Height = 915 } })).NewPageAsync();
        page.SetDefaultTimeout(60_000);

        // Log in as the manager of tilleuls: straight to its page.
        await page.GotoAsync(root + "/login");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "1-login.png"), FullPage = true });
        await page.FillAsync("#user", "marc");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login");
        await page.WaitForURLAsync(root + "/practices/tilleuls");

        // A patient waits in the queue while accueil-1 rings (it answers after 3.5 s), then talks with it: the row changes
        // without reload.
        const string waiting = "+33640000901";
        var phone = await served.PhoneAsync("accueil-1", "phone-answers-late.xml");
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", WaitingLine, waiting, holdMs: 8_000);
        try
        {
            await page.Locator("#live tr.call.waiting", new() { HasText = waiting[^8..] }).WaitForAsync();
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no waiting row; the table: {await page.InnerHTMLAsync("#live")}\n{served.Engine.Output}");
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "2-live-waiting.png"), FullPage = true });
        await page.Locator("#live tr.call.talking", new() { HasText = waiting[^8..] }).WaitForAsync();
        Assert.That(await page.Locator("#live tr.call.talking").InnerTextAsync(), Does.Contain("accueil-1"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "3-live-talking.png"), FullPage = true });
        await Sipp.AllSucceedAsync(patient, phone);
        var answered = await served.FinishedRecordOfAsync(waiting);
        Assert.That((answered.Outcome, answered.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "accueil-1")), PracticeCalls.Describe(answered));

        // The "closed" mode from the console: the next call to the practice hears the closed message and leaves a message.
        await page.ClickAsync("button:has-text('fermé')");
        await page.WaitForURLAsync(root + "/practices/tilleuls");
        Assert.That(await page.Locator("#mode").InnerTextAsync(), Does.Contain("closed"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "4-mode-closed.png"), FullPage = true });
        const string caller = "+33640000902";
        await Sipp.AllSucceedAsync(Sipp.Patient(asterisk, "patient-leaves-message.xml", PracticeCalls.PracticeNumber, caller, holdMs: 20_000));
        var message = await served.FinishedRecordOfAsync(caller);
        Assert.That(message.Outcome, Is.EqualTo(CallOutcomes.Voicemail), PracticeCalls.Describe(message));

        // The message plays in the browser: the audio element loads a duration above 0.
        await page.GotoAsync(root + "/practices/tilleuls/voicemail");
        await page.Locator("tr.message", new() { HasText = caller[^8..] }).WaitForAsync();
        var duration = await page.EvalOnSelectorAsync<double>("tr.message audio", """
            a => new Promise((resolve, reject) => {
              if (a.readyState >= 1) resolve(a.duration); else { a.onloadedmetadata = () => resolve(a.duration); a.onerror = () => reject(a.error && a.error.code); a.load(); }
            })
            """);
        Assert.That(duration, Is.GreaterThan(0), "the browser read the message's duration");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "5-voicemail.png"), FullPage = true });

        // The figures page against the call records of the same day, computed apart from the page.
        var day = PracticeCalls.Open.ToString("yyyy-MM-dd");
        await page.GotoAsync($"{root}/practices/tilleuls/figures?from={day}&to={day}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "6-figures.png"), FullPage = true });
        var records = await new CallRecordRepository(new StoreDatabase(served.Database, TimeProvider.System), TimeProvider.System)
            .RecentAsync(100, "tilleuls");
        Assert.Multiple(async () =>
        {
            Assert.That(await page.InnerTextAsync("#answered"), Is.EqualTo(records.Count(r => r.Outcome == CallOutcomes.Answered).ToString()));
            Assert.That(await page.InnerTextAsync("#voicemails"), Is.EqualTo(records.Count(r => r.Outcome == CallOutcomes.Voicemail).ToString()));
            Assert.That(await page.InnerTextAsync("#offered"), Is.EqualTo("2"), "the two calls of the test: " + string.Join("; ", records.Select(PracticeCalls.Describe)));
        });

        // "Where would a call go now": the route form, with the "closed" mode still on.
        await page.GotoAsync(root + "/practices/tilleuls");
        await page.ClickAsync("#route");
        await page.FillAsync("input[name=to]", PracticeCalls.PracticeNumber);
        await page.ClickAsync("#ask");
        var explanation = await page.InnerTextAsync("#explanation");
        Assert.That(explanation, Does.Contain("(tilleuls").And.Contain("closed"), "the plan of the mode in force");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "7-route.png"), FullPage = true });

        // Another practice's manager: refused on tilleuls' pages and live calls, whatever the links say.
        var other = await (await browser.NewContextAsync()).NewPageAsync();
        await other.GotoAsync(root + "/login");
        await other.FillAsync("#user", "paula");
        await other.FillAsync("#password", Password);
        await other.ClickAsync("#login");
        var refused = await other.GotoAsync(root + "/practices/tilleuls");
        Assert.That(refused?.Status, Is.EqualTo(403));
        await other.ScreenshotAsync(new() { Path = Path.Combine(shots, "8-other-manager-refused.png"), FullPage = true });
        var live = await other.GotoAsync(root + "/api/practices/tilleuls/live");
        Assert.That(live?.Status, Is.EqualTo(403));
        Assert.That(await other.ContentAsync(), Does.Not.Contain(waiting.TrimStart('+')).And.Not.Contain(caller.TrimStart('+')));

        // The platform admin: the practices (tilleuls alone in these rules), and the rules version in force (the pages a manager never sees).
        var admin = await (await browser.NewContextAsync()).NewPageAsync();
        await admin.GotoAsync(root + "/login");
        await admin.FillAsync("#user", "ines");
        await admin.FillAsync("#password", Password);
        await admin.ClickAsync("#login");
        await admin.WaitForURLAsync(root + "/");
        Assert.That(await admin.ContentAsync(), Does.Contain("/console/practices/tilleuls").And.Contain("/console/rules"));
        await admin.ScreenshotAsync(new() { Path = Path.Combine(shots, "9-admin-practices.png"), FullPage = true });
        var rules = await admin.GotoAsync(root + "/rules");
        Assert.That(rules?.Status, Is.EqualTo(200));
        Assert.That(await admin.InnerTextAsync("#in-force"), Does.StartWith("Version en vigueur"));
        await admin.ScreenshotAsync(new() { Path = Path.Combine(shots, "10-rules.png"), FullPage = true });
    }
}
