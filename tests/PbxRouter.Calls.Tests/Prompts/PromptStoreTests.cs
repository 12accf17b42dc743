using PbxRouter.Calls.Prompts;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Prompts;

public class PromptStoreTests
{
    /// <summary>Writes the text itself as "audio" and counts what it is asked to speak.</summary>
    private sealed class CountingTools(string? unavailable = null) : IAudioTools
    {
        public List<string> Spoken { get; } = [];
        public string? Unavailable() => unavailable;
        public Task SpeakAsync(string text, string wavPath, CancellationToken ct)
        {
            Spoken.Add(text);
            File.WriteAllText(wavPath, text);
            return Task.CompletedTask;
        }
        public Task ConvertAsync(string inputWav, string wav8k, string ulaw, string alaw, CancellationToken ct)
        {
            foreach (var f in new[] { wav8k, ulaw, alaw }) File.Copy(inputWav, f, overwrite: true);
            return Task.CompletedTask;
        }
    }

    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("pbxrouter-prompts-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static PromptText P(string name, string text) => new(name, text, new SourceLocation("p1.yaml", 3, 5, "practices[0].greeting"));

    [Test]
    public async Task Ensure_SameTextTwice_SpeaksOnce()
    {
        var tools = new CountingTools();
        var store = new PromptStore(_dir, tools, TimeProvider.System);
        var first = await store.EnsureAsync(P("p1/greeting", "Bonjour."), default);
        var second = await store.EnsureAsync(P("p1/greeting", "Bonjour."), default);
        Assert.That(tools.Spoken, Is.EqualTo(new[] { "Bonjour." }));
        Assert.That((first.Did, second.Did), Is.EqualTo(("spoken", "up to date")));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "p1", "greeting.wav")), Is.EqualTo("Bonjour."));
        Assert.That(File.Exists(Path.Combine(_dir, "p1", "greeting.ulaw")) && File.Exists(Path.Combine(_dir, "p1", "greeting.alaw")));
    }

    [Test]
    public async Task Ensure_SameTextUnderAnotherName_ComesFromTheCache()
    {
        var tools = new CountingTools();
        var store = new PromptStore(_dir, tools, TimeProvider.System);
        await store.EnsureAsync(P("p1/greeting", "Bonjour."), default);
        var other = await store.EnsureAsync(P("p2/greeting", "Bonjour."), default);
        Assert.That(tools.Spoken, Has.Count.EqualTo(1));
        Assert.That(other.Did, Is.EqualTo("from cache"));
        Assert.That(store.Read("p2/greeting")!.TextHash, Is.EqualTo(P("x", "Bonjour.").TextHash));
    }

    [Test]
    public async Task Ensure_ChangedText_SpeaksTheNewTextIntoTheSameName()
    {
        var tools = new CountingTools();
        var store = new PromptStore(_dir, tools, TimeProvider.System);
        await store.EnsureAsync(P("p1/greeting", "Bonjour."), default);
        await store.EnsureAsync(P("p1/greeting", "Bonsoir."), default);
        Assert.That(tools.Spoken, Is.EqualTo(new[] { "Bonjour.", "Bonsoir." }));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "p1", "greeting.wav")), Is.EqualTo("Bonsoir."));
        Assert.That(store.Read("p1/greeting")!.Text, Is.EqualTo("Bonsoir."));
    }

    [Test]
    public void Missing_WithoutToolsAndWithoutAudio_SaysWhy()
    {
        var store = new PromptStore(_dir, new CountingTools("espeak-ng is not installed"), TimeProvider.System);
        Assert.That(store.Missing(P("p1/greeting", "Bonjour.")), Does.Contain("espeak-ng is not installed"));
        Assert.ThrowsAsync<PromptException>(() => store.EnsureAsync(P("p1/greeting", "Bonjour."), default));
    }

    [Test]
    public async Task Missing_WithoutToolsButUpToDate_IsNull()
    {
        await new PromptStore(_dir, new CountingTools(), TimeProvider.System).EnsureAsync(P("p1/greeting", "Bonjour."), default);
        Assert.That(new PromptStore(_dir, new CountingTools("no sox"), TimeProvider.System).Missing(P("p1/greeting", "Bonjour.")), Is.Null);
    }

    [Test]
    public async Task Upload_PcmWav_IsKeptAsTheRecordingOfThatText()
    {
        var tools = new CountingTools();
        var store = new PromptStore(_dir, tools, TimeProvider.System);
        var wav = Path.Combine(_dir, "voice.wav");
        WavFiles.Write(wav, channels: 1, rate: 16000, seconds: 1);
        var audio = await store.UploadAsync(P("p1/greeting", "Bonjour."), wav, default);
        Assert.That(audio.Source, Is.EqualTo(PromptAudio.Recording));
        Assert.That((await store.EnsureAsync(P("p1/greeting", "Bonjour."), default)).Did, Is.EqualTo("recorded"));
        Assert.That(tools.Spoken, Is.Empty);
        var changed = await store.EnsureAsync(P("p1/greeting", "Bonsoir."), default);
        Assert.That(changed.Did, Is.EqualTo("spoken"));
        Assert.That(changed.Warning, Does.Contain("recording").And.Contain("prompts upload p1/greeting"));
    }

    [Test]
    public void Upload_NotAWav_IsRefusedWithAClearError()
    {
        var store = new PromptStore(_dir, new CountingTools(), TimeProvider.System);
        var mp3 = Path.Combine(_dir, "voice.mp3");
        File.WriteAllBytes(mp3, [0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var error = Assert.ThrowsAsync<PromptException>(() => store.UploadAsync(P("p1/greeting", "Bonjour."), mp3, default));
        Assert.That(error!.Message, Does.Contain("not a WAV file"));
        Assert.That(File.Exists(Path.Combine(_dir, "p1", "greeting.wav")), Is.False);
    }

    [Test]
    public void Upload_CompressedWav_IsRefused()
    {
        var wav = Path.Combine(_dir, "gsm.wav");
        WavFiles.Write(wav, channels: 1, rate: 8000, seconds: 1, format: 49);
        var error = Assert.ThrowsAsync<PromptException>(() => new PromptStore(_dir, new CountingTools(), TimeProvider.System).UploadAsync(P("p1/greeting", "Bonjour."), wav, default));
        Assert.That(error!.Message, Does.Contain("compressed").And.Contain("PCM"));
    }
}

/// <summary>Small WAV files for the tests.</summary>
internal static class WavFiles
{
    public static void Write(string path, int channels, int rate, double seconds, int format = 1, int bits = 16)
    {
        var data = new byte[(int)(rate * seconds) * channels * bits / 8];
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + data.Length); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)format); w.Write((short)channels); w.Write(rate);
        w.Write(rate * channels * bits / 8); w.Write((short)(channels * bits / 8)); w.Write((short)bits);
        w.Write("data"u8); w.Write(data.Length); w.Write(data);
    }
}
