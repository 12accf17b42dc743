using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests.Fallback;

/// <summary>
/// Rules/two-practices-test.yaml for one Asterisk: the Tilleuls (trunk-a) and the Val (trunk-b), each trunk a SIPp port
/// of its own on the carrier's address, each practice with its own remote secretariat and voicemail box.
/// </summary>
public sealed class TwoPractices(AsteriskInstance asterisk)
{
    public const string TilleulsNumber = "+33145000000";
    public const string ValNumber = "+33472000000";

    /// <summary>trunk-a: the Tilleuls' carrier (the instance's trunk port).</summary>
    public int PortA { get; } = asterisk.TrunkPort;

    /// <summary>trunk-b: the Val's carrier, another port on the same address.</summary>
    public int PortB { get; } = FreePorts.Udp(AsteriskInstance.TrunkPeer);

    /// <summary>The rules text with the Tilleuls' overflow going to <paramref name="secretariat"/> (servitel or medicall).</summary>
    public string Rules(string secretariat) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "two-practices-test.yaml"))
            .Replace("@@PORT_A@@", PortA.ToString()).Replace("@@PORT_B@@", PortB.ToString()).Replace("@@SECRETARIAT_A@@", secretariat);

    /// <summary>Starts an engine on <paramref name="database"/> that provisions Asterisk, applies the rules, then stops: Asterisk keeps the routes.</summary>
    public async Task ApplyThenStopEngineAsync(string database, string secretariat, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await using var engine = await EngineUnderTest.StartAsync(asterisk, database, provision: true, settings: settings);
        await engine.ApplyRulesAsync("two-practices-test.yaml", Rules(secretariat));
    }

    /// <summary>
    /// A patient calls <paramref name="called"/> and hangs up <paramref name="holdMs"/> after the answer; the secretariat on
    /// <paramref name="port"/> answers; returns the INVITE it got.
    /// </summary>
    public async Task<string> InviteAtSecretariatAsync(string called, string caller, int port, int holdMs = 1500)
    {
        var secretariat = Sipp.Secretariat(asterisk, port: port);
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", called, caller, holdMs);
        return await Sipp.InviteAtSecretariatAsync(patient, secretariat);
    }

    public static string NewDatabasePath(AsteriskInstance asterisk) =>
        Path.Combine(Path.GetTempPath(), "pbxrouter-it", $"{asterisk.Name}-{Guid.NewGuid():N}.db");
}
