using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// `pbxrouter backup` then `pbxrouter restore` into a new, empty folder (as on a new machine), with real Asterisk and
/// SIPp: the engine started on the restored database routes a patient's call as the backed-up rules say (the reception
/// phone of the practice answers), and a voicemail message of the backup is listed with its audio.
/// </summary>
[TestFixture]
public sealed class BackupRestoreTests
{
    /// <summary>Line "attente" of tilleuls-test.yaml: queue on accueil-1 alone.</summary>
    private const string WaitingLine = "+33145000006";

    private const string Recording = "vm~tilleuls~tilleuls~1764000000~m-restored~p33640000801";

    private static Task<ProcessRunner.Result> PbxRouterAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "pbxrouter.dll"), .. args], env);

    [Test]
    public async Task RulesAppliedThenBackedUp_RestoredIntoAnEmptyFolder_TheEngineOnTheRestoredDatabaseRoutesThePatientToTheReceptionPhone()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{asterisk.Name}-backup-{Guid.NewGuid().ToString("N")[..8]}");

        // The original machine: rules applied to its database, one voicemail message (index + audio).
        var source = Path.Combine(root, "old", "pbx.db");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        var rulesFile = Path.Combine(root, "tilleuls-test.yaml");
        await File.WriteAllTextAsync(rulesFile, PracticeCalls.RulesText(asterisk));
        var applied = await PbxRouterAsync(null, "rules", "apply", rulesFile, "--db", source);
        Assert.That(applied.ExitCode, Is.Zero, applied.Output);
        var sourceDb = new StoreDatabase(source, TimeProvider.System);
        await new VoicemailImportRepository(sourceDb, TimeProvider.System).ImportAsync(Recording,
            new VoicemailMessage("m-restored", "tilleuls", "tilleuls", "+33640000801", DateTimeOffset.UtcNow.AddHours(-1), 4, Recording, false, null));
        var sourceVoicemail = Path.Combine(root, "old", "voicemail");
        Directory.CreateDirectory(sourceVoicemail);
        await File.WriteAllBytesAsync(Path.Combine(sourceVoicemail, Recording + ".wav"), new byte[8000]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var backup = Path.Combine(root, "backup");
        var backedUp = await PbxRouterAsync(null, "backup", backup, "--db", source);
        Assert.That(backedUp.ExitCode, Is.Zero, backedUp.Output);

        // The new machine: an empty folder; the voicemail folder where ServedPractice's engine keeps it.
        var empty = Path.Combine(root, "new");
        Directory.CreateDirectory(empty);
        var restoredDb = Path.Combine(empty, "pbx.db");
        var restoredEnv = new Dictionary<string, string> { ["PBXROUTER_Voicemail__StoragePath"] = restoredDb + ".voicemail" };
        var restored = await PbxRouterAsync(restoredEnv, "restore", backup, "--db", restoredDb);
        Assert.That(restored.ExitCode, Is.Zero, restored.Output);
        Assert.That(restored.Output, Does.Contain(restoredDb).And.Contain("restart the engine"));

        await using var served = await ServedPractice.OnDatabaseAsync(asterisk, PracticeCalls.Open, restoredDb);
        var phone = await served.PhoneAsync("accueil-1", "phone-answers.xml");
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", WaitingLine, "+33640000802", holdMs: 2_000);
        await Sipp.AllSucceedAsync(patient, phone);
        var record = await served.FinishedRecordOfAsync("+33640000802");
        var list = await PbxRouterAsync(restoredEnv, "voicemail", "list", "tilleuls", "--db", restoredDb);

        Assert.Multiple(() =>
        {
            Assert.That(record.PracticeId, Is.EqualTo("tilleuls"), PracticeCalls.Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), PracticeCalls.Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), "the restored rules' queue of line attente");
            Assert.That(list.ExitCode, Is.Zero, list.Output);
            Assert.That(list.Output, Does.Contain("m-restored").And.Not.Contain("AUDIO MISSING"));
        });
    }
}
