using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Prompts;

/// <summary>What a prompt's audio is: spoken from its text, or a recorded voice uploaded for that text.</summary>
public sealed record PromptAudio(string Name, string Text, string TextHash, string Source, string Voice, string AudioSha256, DateTimeOffset Made)
{
    public const string Speech = "speech";
    public const string Recording = "recording";
}

/// <summary>What <see cref="PromptStore.EnsureAsync"/> did for one prompt.</summary>
public sealed record PromptOutcome(PromptText Prompt, string Did, string? Warning = null);

/// <summary>A prompt that could not be made or uploaded; the message says why and how to fix it.</summary>
public sealed class PromptException(string message) : Exception(message);

/// <summary>
/// The prompts folder Asterisk plays from: NAME.wav (8 kHz mono 16-bit), NAME.ulaw, NAME.alaw and NAME.json (what the
/// audio says and where it came from). Speech is cached in .cache/ by a hash of voice and text: the same text is spoken once.
/// </summary>
public sealed class PromptStore(string folder, IAudioTools tools, TimeProvider time)
{
    private static readonly string[] Formats = ["wav", "ulaw", "alaw"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder { get; } = folder;

    /// <summary>The file of a prompt in one format (wav, ulaw, alaw, json).</summary>
    public string FileOf(string name, string ext) => Path.Combine(Folder, $"{name}.{ext}");

    public PromptAudio? Read(string name)
    {
        try
        {
            return File.Exists(FileOf(name, "json")) ? JsonSerializer.Deserialize<PromptAudio>(File.ReadAllText(FileOf(name, "json")), Json) : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>True when the prompt's files are there and say its text (spoken by the current voice, or recorded for it).</summary>
    public bool IsUpToDate(PromptText prompt) => Read(prompt.Name) is { } a && a.TextHash == prompt.TextHash
        && (a.Source == PromptAudio.Recording || a.Voice == EspeakSox.Voice) && Formats.All(f => File.Exists(FileOf(prompt.Name, f)));

    /// <summary>Null when the prompt can be played (up to date, or the tools can speak it); else why its audio is missing.</summary>
    public string? Missing(PromptText prompt) => IsUpToDate(prompt) ? null
        : tools.Unavailable() is { } why ? $"its audio is missing in {Folder} and cannot be made: {why}" : null;

    /// <summary>Makes every prompt; the ones that fail are returned with their error instead of stopping the others.</summary>
    public async Task<(IReadOnlyList<PromptOutcome> Done, IReadOnlyList<(PromptText Prompt, string Error)> Failed)> EnsureAllAsync(
        IEnumerable<PromptText> prompts, CancellationToken ct)
    {
        var done = new List<PromptOutcome>();
        var failed = new List<(PromptText, string)>();
        foreach (var prompt in prompts)
        {
            try { done.Add(await EnsureAsync(prompt, ct).ConfigureAwait(false)); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PromptException or System.ComponentModel.Win32Exception)
            {
                failed.Add((prompt, ex.Message));
            }
        }
        return (done, failed);
    }

    /// <summary>Speaks the prompt's text into its files unless they already say it (from the cache when that text was spoken before).</summary>
    public async Task<PromptOutcome> EnsureAsync(PromptText prompt, CancellationToken ct)
    {
        if (!PromptCatalog.IsValidName(prompt.Name)) throw new PromptException($"'{prompt.Name}' is not a prompt name");
        if (IsUpToDate(prompt)) return new PromptOutcome(prompt, Read(prompt.Name)!.Source == PromptAudio.Recording ? "recorded" : "up to date");
        var warning = Read(prompt.Name) is { Source: PromptAudio.Recording } old
            ? $"the recording of '{prompt.Name}' said \"{old.Text}\": it is replaced by the spoken text until a new recording is uploaded (pbxrouter prompts upload {prompt.Name} FILE.wav)"
            : null;
        var key = Hash(EspeakSox.Voice + "\n" + prompt.Text);
        var cache = Path.Combine(Folder, ".cache");
        var did = "from cache";
        if (!Formats.All(f => File.Exists(Path.Combine(cache, $"{key}.{f}"))))
        {
            if (tools.Unavailable() is { } why) throw new PromptException($"cannot speak '{prompt.Name}': {why}");
            CreateFolder(cache);
            var spoken = Path.Combine(cache, $"{key}.spoken.wav");
            var tmp = Formats.ToDictionary(f => f, f => Path.Combine(cache, $"{key}.tmp.{f}"));
            await tools.SpeakAsync(prompt.Text, spoken, ct).ConfigureAwait(false);
            await tools.ConvertAsync(spoken, tmp["wav"], tmp["ulaw"], tmp["alaw"], ct).ConfigureAwait(false);
            File.Delete(spoken);
            foreach (var f in Formats) File.Move(tmp[f], Path.Combine(cache, $"{key}.{f}"), overwrite: true);
            did = "spoken";
        }
        Install(prompt, f => Path.Combine(cache, $"{key}.{f}"), PromptAudio.Speech, EspeakSox.Voice);
        return new PromptOutcome(prompt, did, warning);
    }

    /// <summary>Replaces a prompt's audio with a recorded voice: a PCM WAV, converted to what Asterisk plays.</summary>
    public async Task<PromptAudio> UploadAsync(PromptText prompt, string wavFile, CancellationToken ct)
    {
        if (!File.Exists(wavFile)) throw new PromptException($"{wavFile} does not exist");
        if (WavFormat.Read(wavFile, out var problem) is null) throw new PromptException($"{wavFile} cannot be used: {problem}");
        if (tools.Unavailable() is { } why) throw new PromptException($"cannot convert {wavFile}: {why}");
        var work = Path.Combine(Folder, ".upload");
        CreateFolder(work);
        var id = Guid.NewGuid().ToString("N");
        var tmp = Formats.ToDictionary(f => f, f => Path.Combine(work, $"{id}.{f}"));
        try
        {
            await tools.ConvertAsync(wavFile, tmp["wav"], tmp["ulaw"], tmp["alaw"], ct).ConfigureAwait(false);
            return Install(prompt, f => tmp[f], PromptAudio.Recording, $"recording {Path.GetFileName(wavFile)}");
        }
        finally
        {
            foreach (var f in tmp.Values) File.Delete(f);
        }
    }

    /// <summary>Copies the audio next to the prompt's name (each file replaced atomically), then writes what it says.</summary>
    private PromptAudio Install(PromptText prompt, Func<string, string> source, string kind, string voice)
    {
        CreateFolder(Path.GetDirectoryName(FileOf(prompt.Name, "wav"))!);
        foreach (var f in Formats)
        {
            var target = FileOf(prompt.Name, f);
            File.Copy(source(f), target + ".tmp", overwrite: true);
            Readable(target + ".tmp");
            File.Move(target + ".tmp", target, overwrite: true);
        }
        var audio = new PromptAudio(prompt.Name, prompt.Text, prompt.TextHash, kind, voice,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(FileOf(prompt.Name, "wav")))), time.GetUtcNow());
        File.WriteAllText(FileOf(prompt.Name, "json") + ".tmp", JsonSerializer.Serialize(audio, Json));
        Readable(FileOf(prompt.Name, "json") + ".tmp");
        File.Move(FileOf(prompt.Name, "json") + ".tmp", FileOf(prompt.Name, "json"), overwrite: true);
        return audio;
    }

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    // Asterisk runs as its own user: the prompts must be readable by others, their folders searchable.
    private static void CreateFolder(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static void Readable(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
