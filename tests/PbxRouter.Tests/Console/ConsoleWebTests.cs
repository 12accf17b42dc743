using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.Tests.WebConsole;

/// <summary>The web console on the engine's real host and Kestrel: login, roles, antiforgery, audit, actions.</summary>
[TestFixture]
public sealed class ConsoleWebTests
{
    [Test]
    public async Task Login_RightPassword_SetsAnHttpOnlyStrictCookie_AndIsAudited_WrongOneIs401AndAudited()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        using var wrong = await ConsoleHost.LoginAsync(http, "marc", "not the password");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var home = await http.GetAsync("console/");
        Assert.That(home.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "still not logged in: " + home.Headers + await home.Content.ReadAsStringAsync());
        Assert.That(home.Headers.Location?.AbsolutePath, Is.EqualTo("/console/login"));

        using var right = await ConsoleHost.LoginAsync(http, "marc");
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pbxrouter-console=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase.And.Contain("path=/console"));
        Assert.That(cookie, Does.Not.Contain("secure").IgnoreCase, "plain HTTP on loopback: Secure only over HTTPS");
        var page = await http.GetStringAsync("console/practices/tilleuls");
        Assert.That(page, Does.Contain("Tilleuls").And.Contain("Appels en cours"), "French by default");

        var audit = await new ConsoleAuditRepository(console.Database, TimeProvider.System).LatestAsync(null);
        Assert.That(audit.Select(a => (a.User, a.Action, a.PracticeId)), Is.EqualTo(new[] { ("marc", "login", "tilleuls"), ("marc", "login-failed", "tilleuls") }));
    }

    [Test]
    public async Task AManagerOfTilleuls_Gets403_OnPlatanesCallsVoicemailFiguresAudioAndModeChange_AndChangesNothing()
    {
        await using var console = await ConsoleHost.StartAsync();
        await AddMessageAsync(console, "platanes", "platanes-box", "m-platanes");
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        var token = await ConsoleHost.TokenAsync(http, "console/practices/tilleuls");
        foreach (var path in new[] { "console/practices/platanes", "console/api/practices/platanes/live", "console/practices/platanes/voicemail",
                     "console/practices/platanes/figures", "console/practices/platanes/voicemail/m-platanes/audio", "console/practices/nowhere" })
        {
            using var get = await http.GetAsync(path);
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }
        foreach (var (path, fields) in new[] { ("console/practices/platanes/mode", new Dictionary<string, string> { ["mode"] = "all-to-secretariat" }),
                     ("console/practices/platanes/voicemail/m-platanes/heard", []), ("console/practices/platanes/voicemail/m-platanes/delete", []) })
        {
            using var post = await ConsoleHost.PostAsync(http, path, token, fields);
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }
        var modes = console.Host.Services.GetRequiredService<RuntimeModes>();
        await modes.RefreshAsync(CancellationToken.None);
        Assert.That(modes.Current.ActiveModes, Is.Empty, "no mode set");
        Assert.That(await console.Host.Services.GetRequiredService<VoicemailRepository>().GetAsync("m-platanes"), Has.Property("ListenedAt").Null, "not heard, not deleted");

        var home = await http.GetStringAsync("console/practices/tilleuls");
        Assert.That(home, Does.Not.Contain("Platanes"));
        using var admin = console.Client();
        (await ConsoleHost.LoginAsync(admin, "alice")).Dispose();
        var list = await admin.GetStringAsync("console/");
        Assert.That(list, Does.Contain("Tilleuls").And.Contain("Platanes"), "the admin sees both");
        using var unknown = await admin.GetAsync("console/practices/nowhere");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task APostWithoutTheAntiforgeryToken_Is400_AndSetsNoMode()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        using var forged = await http.PostAsync("console/practices/tilleuls/mode",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["mode"] = "all-to-secretariat" }));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var login = await http.PostAsync("console/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "marc", ["password"] = ConsoleHost.Password }));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the login form needs its token too");
        var modes = console.Host.Services.GetRequiredService<RuntimeModes>();
        await modes.RefreshAsync(CancellationToken.None);
        Assert.That(modes.Current.ActiveModes, Is.Empty);
    }

    [Test]
    public async Task AModeChange_IsStoredAsAFeatureCodeWould_WithWhoInTheModeHistory_AndInTheConsoleAudit()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        var token = await ConsoleHost.TokenAsync(http, "console/practices/tilleuls");
        using var on = await ConsoleHost.PostAsync(http, "console/practices/tilleuls/mode", token, new() { ["mode"] = "all-to-secretariat" });
        Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(console.Host.Services.GetRequiredService<RuntimeModes>().Current.ActiveModes,
            Is.EqualTo(new Dictionary<string, string> { ["tilleuls"] = "all-to-secretariat" }));
        Assert.That(await http.GetStringAsync("console/practices/tilleuls"), Does.Contain("tout au secrétariat"));
        using var unknown = await ConsoleHost.PostAsync(http, "console/practices/tilleuls/mode", token, new() { ["mode"] = "no-such-mode" });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var off = await ConsoleHost.PostAsync(http, "console/practices/tilleuls/mode", token, new() { ["mode"] = "" });

        var history = await new RuntimeStateRepository(console.Database, TimeProvider.System).HistoryAsync("tilleuls");
        Assert.That(history.Select(h => (h.Mode, h.SetBy, h.Via)).Reverse(),
            Is.EqualTo(new[] { ("all-to-secretariat", "console:marc", "console"), ((string?)null, "console:marc", "console") }));
        var audit = await new ConsoleAuditRepository(console.Database, TimeProvider.System).LatestAsync("tilleuls");
        Assert.That(audit.Where(a => a.Action == "mode").Select(a => a.Detail),
            Is.EqualTo(new[] { "all-to-secretariat -> normal", "normal -> all-to-secretariat" }));
    }

    [Test]
    public async Task Voicemail_IsServedAsWav_ThenMarkedHeardAndDeleted_ByTheManager_EachAudited()
    {
        await using var console = await ConsoleHost.StartAsync();
        await AddMessageAsync(console, "tilleuls", "cabinet", "m-1");
        using var http = console.Client();
        (await ConsoleHost.LoginAsync(http, "marc")).Dispose();
        var page = await http.GetStringAsync("console/practices/tilleuls/voicemail");
        Assert.That(page, Does.Contain("src=\"/console/practices/tilleuls/voicemail/m-1/audio\"").And.Contain("+33612345678"));
        using var audio = await http.GetAsync("console/practices/tilleuls/voicemail/m-1/audio");
        Assert.That(audio.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(audio.Content.Headers.ContentType?.MediaType, Is.EqualTo("audio/wav"));
        Assert.That((await audio.Content.ReadAsByteArrayAsync()).Length, Is.EqualTo(44 + 8000 * 2));

        var token = await ConsoleHost.TokenAsync(http, "console/practices/tilleuls/voicemail");
        (await ConsoleHost.PostAsync(http, "console/practices/tilleuls/voicemail/m-1/heard", token)).Dispose();
        var repository = console.Host.Services.GetRequiredService<VoicemailRepository>();
        Assert.That((await repository.GetAsync("m-1"))?.ListenedBy, Is.EqualTo("console:marc"));
        using var deleted = await ConsoleHost.PostAsync(http, "console/practices/tilleuls/voicemail/m-1/delete", token);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await repository.GetAsync("m-1"), Is.Null);
        Assert.That(console.Host.Services.GetRequiredService<VoicemailFiles>().Has("rec-m-1"), Is.False, "the audio file is gone too");
        var audit = await new ConsoleAuditRepository(console.Database, TimeProvider.System).LatestAsync("tilleuls");
        Assert.That(audit.Select(a => a.Action).Take(2), Is.EqualTo(new[] { "voicemail-deleted", "voicemail-heard" }));
    }

    [Test]
    public async Task ThreeWrongPasswords_LockTheName_EvenTheRightPasswordIsRefusedThen()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        for (var i = 0; i < 3; i++) (await ConsoleHost.LoginAsync(http, "alice", "guess " + i)).Dispose();
        using var locked = await ConsoleHost.LoginAsync(http, "alice");
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        using var other = await ConsoleHost.LoginAsync(http, "marc");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "another account is not locked");
        await using var connection = console.Database.Open();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM console_audit WHERE user_name = 'alice' AND action = 'login-refused'"), Is.EqualTo(1));
        Assert.That(() => connection.Execute("DELETE FROM console_audit"), Throws.Exception.With.Message.Contains("append-only"));
    }

    [Test]
    public async Task MetricsAndHealth_StayOpen_WithoutLogin_NextToTheConsole()
    {
        await using var console = await ConsoleHost.StartAsync();
        using var http = console.Client();
        using var metrics = await http.GetAsync("metrics");
        Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var live = await http.GetAsync("console/api/practices/tilleuls/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "JSON answers 401, not a redirect");
    }

    private static async Task AddMessageAsync(ConsoleHost console, string practice, string box, string id)
    {
        var files = console.Host.Services.GetRequiredService<VoicemailFiles>();
        Directory.CreateDirectory(files.Folder);
        await File.WriteAllBytesAsync(files.PathOf("rec-" + id), Wav(8000));
        await console.Host.Services.GetRequiredService<VoicemailRepository>().AddAsync(new VoicemailMessage(id, box, practice, "+33612345678",
            DateTimeOffset.UtcNow, 1, "rec-" + id, false, null));
    }

    /// <summary>One second of 8 kHz 16-bit mono silence.</summary>
    private static byte[] Wav(int samples)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVEfmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1);
        w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16); w.Write("data"u8); w.Write(samples * 2); w.Write(new byte[samples * 2]);
        w.Flush();
        return stream.ToArray();
    }
}
