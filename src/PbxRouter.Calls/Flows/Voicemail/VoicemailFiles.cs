using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using PbxRouter.Ari;
using PbxRouter.Calls.Fallback;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>
/// The engine's voicemail audio folder (Voicemail:StoragePath): one WAV per message, named after its recording
/// (<c>NAME.wav</c>), so that a file alone says whose message it is (<see cref="FallbackMessage"/>). A message comes in
/// from Asterisk's spool by a copy into <c>TEMP/</c>, fsync, an atomic rename to its final name and an fsync of the
/// folder: a crash leaves either no file or the whole file, never a partial one under a final name. Health data: the
/// folders are 0700 and the files 0600 (only the engine's user reads them).
/// </summary>
public sealed partial class VoicemailFiles
{
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);

    public VoicemailFiles(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    /// <summary>Where copies are written before they are renamed to their final name.</summary>
    public string TempFolder => Path.Combine(Folder, "TEMP");

    /// <summary>True for a recording name that can name a file here (letters, digits, '~', '-', '_', '.'; not starting with '.').</summary>
    public static bool IsFileName(string recordingName) => SafeName().IsMatch(recordingName);

    /// <summary>The message's audio file (whether it exists or not).</summary>
    public string PathOf(string recordingName) => IsFileName(recordingName)
        ? Path.Combine(Folder, recordingName + ".wav")
        : throw new ArgumentException($"'{recordingName}' cannot name a voicemail file", nameof(recordingName));

    public bool Has(string recordingName) => IsFileName(recordingName) && File.Exists(PathOf(recordingName));

    /// <summary>The recording names of the audio files here (not the copies in progress).</summary>
    public IReadOnlyList<string> Names() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, "*.wav").Select(f => Path.GetFileNameWithoutExtension(f)!).Where(IsFileName).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Whole seconds of audio in the message's file.</summary>
    public int DurationSeconds(string recordingName) => WavDuration.Seconds(File.ReadAllBytes(PathOf(recordingName)));

    /// <summary>
    /// Copies Asterisk's recording <paramref name="recordingName"/> here (over ARI, which works wherever Asterisk runs);
    /// false when the file was already here. Throws <see cref="AriNotFoundException"/> when Asterisk does not have it.
    /// </summary>
    public Task<bool> CopyFromSpoolAsync(AriClient ari, string recordingName, CancellationToken ct) =>
        CopyInAsync(recordingName, c => ari.Recordings.GetStoredFileAsync(recordingName, c), ct);

    /// <summary>Writes the audio <paramref name="open"/> gives to TEMP, fsyncs it, renames it to its final name, fsyncs the folder.</summary>
    public async Task<bool> CopyInAsync(string recordingName, Func<CancellationToken, Task<Stream>> open, CancellationToken ct)
    {
        var target = PathOf(recordingName);
        if (File.Exists(target)) return false;
        CreatePrivateFolder(Folder);
        CreatePrivateFolder(TempFolder);
        var temp = Path.Combine(TempFolder, $"{recordingName}.{Guid.NewGuid():N}.part");
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var source = await open(ct).ConfigureAwait(false))
            await using (var file = new FileStream(temp, create))
            {
                await source.CopyToAsync(file, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            SyncFolder(Folder);
            return true;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Deletes the message's file; false when there was none.</summary>
    public bool Delete(string recordingName)
    {
        if (!Has(recordingName)) return false;
        File.Delete(PathOf(recordingName));
        SyncFolder(Folder);
        return true;
    }

    /// <summary>Deletes copies left in TEMP by a process that died while copying (older than <paramref name="olderThan"/>); returns how many.</summary>
    public int CleanTemp(TimeSpan olderThan, DateTimeOffset now)
    {
        if (!Directory.Exists(TempFolder)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(TempFolder))
        {
            if (now - File.GetLastWriteTimeUtc(file) < olderThan) continue;
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    /// <summary>
    /// Marks a message as being stored by this process until the result is disposed: the reconciliation leaves its file and
    /// its spool copy alone meanwhile (it would otherwise index and notify it a second time).
    /// </summary>
    public IDisposable Hold(string recordingName)
    {
        _held.AddOrUpdate(recordingName, 1, (_, n) => n + 1);
        return new Release(this, recordingName);
    }

    public bool IsHeld(string recordingName) => _held.ContainsKey(recordingName);

    private sealed class Release(VoicemailFiles files, string name) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            while (true)
            {
                if (!files._held.TryGetValue(name, out var n)) return;
                if (n <= 1 ? files._held.TryRemove(new KeyValuePair<string, int>(name, n)) : files._held.TryUpdate(name, n - 1, n)) return;
            }
        }
    }

    /// <summary>Creates the folder (and its parents) if needed, and makes it the engine's user's only (0700).</summary>
    public static void CreatePrivateFolder(string path)
    {
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, Private);
        if (File.GetUnixFileMode(path) != Private) File.SetUnixFileMode(path, Private);
    }

    /// <summary>fsync of a folder, so that a rename or a delete in it survives a power cut.</summary>
    public static void SyncFolder(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { _ = FSync(fd); }
        finally { _ = Close(fd); }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [GeneratedRegex("^[A-Za-z0-9_~-][A-Za-z0-9_~.-]{0,199}$")]
    private static partial Regex SafeName();
}
