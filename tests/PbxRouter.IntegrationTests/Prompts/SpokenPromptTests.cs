using System.Security.Cryptography;
using System.Text;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Prompts;

/// <summary>A message given only as text is heard as that text: the engine speaks it into the prompts folder when it loads
/// the rules, and the playback Asterisk starts is that file.</summary>
[TestFixture]
public sealed class SpokenPromptTests : PracticeFixture
{
    [Test]
    public async Task Call_WhenClosed_PlaysTheFileSpokenFromTheClosedMessagesText()
    {
        // A text no earlier run spoke (a fresh number in it), so the prompt is made by this engine, not found in a cache.
        var stamp = RandomNumberGenerator.GetInt32(100_000, 999_999);
        var text = $"Le cabinet est fermé, message {stamp}. En cas d'urgence vitale, appelez le 15. Médecin de garde : 116 117.";
        var rules = RulesText(Asterisk);
        var start = rules.IndexOf("      closed:\n        sound: tilleuls-ferme\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "the test rules' closed message");
        var end = rules.IndexOf("\n    queue:", start, StringComparison.Ordinal);
        rules = rules[..start] + $"      closed: \"{text}\"" + rules[end..];

        await using var practice = await PracticeCalls.StartAsync(Asterisk, Night, rules: rules);
        const string caller = "+33630000071";
        // The patient stays well beyond the spoken message (about 9 s, longer on a loaded machine), so it plays to its end.
        var result = await Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 25_000).WaitAsync();

        Assert.That(result.Succeeded, result.ToString());
        var record = await practice.RecordOfAsync(caller);
        Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Announced && s.Target == "closed"), Describe(record));
        var trace = await practice.Engine.WaitForCallAsync(c => c.CallerNumber == caller);
        var wav = Path.Combine(Asterisk.PromptsPath, "tilleuls", "message-closed.wav");
        var meta = File.ReadAllText(Path.Combine(Asterisk.PromptsPath, "tilleuls", "message-closed.json"));
        Assert.Multiple(() =>
        {
            Assert.That(trace.Media, Does.Contain($"sound:{Asterisk.PromptsAsteriskPath}/tilleuls/message-closed"), "the playback Asterisk started");
            Assert.That(File.Exists(wav) && File.Exists(Path.ChangeExtension(wav, "ulaw")) && File.Exists(Path.ChangeExtension(wav, "alaw")), wav);
            Assert.That(meta, Does.Contain(Hex(Encoding.UTF8.GetBytes(text))), "spoken from this text");
            Assert.That(meta, Does.Contain(Hex(File.ReadAllBytes(wav))), "the audio recorded in its description is the file played");
            Assert.That(new FileInfo(wav).Length, Is.GreaterThan(8000 * 2), "at least a second of 8 kHz 16-bit speech");
            Assert.That(trace.Events, Does.Contain("PlaybackFinished"));
        });
        // Asterisk says so when a file it was asked to play does not exist: it must not have.
        var log = File.Exists(Asterisk.MessagesLog) ? File.ReadAllText(Asterisk.MessagesLog) : "";
        Assert.That(log.Split('\n').Where(l => l.Contains("message-closed", StringComparison.Ordinal)), Is.Empty, "Asterisk's warnings about the prompt");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
