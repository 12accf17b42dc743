using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari;
using PbxRouter.Ari.Events;
using PbxRouter.Store;

namespace PbxRouter.Calls.Flows.Voicemail;

/// <summary>
/// Audio kept in the engine's own voicemail folder (<see cref="VoicemailFiles"/>). Asterisk cannot read that folder (it
/// may run in a chroot, as another user): to play a message to a phone, a copy under a random name is made in the
/// playback folder, which Asterisk reads (beside the prompts; Voicemail:PlaybackPath / PlaybackAsteriskPath), and removed
/// as soon as Asterisk reports that playback finished, at the latest when its lease ends (the message's length plus
/// <see cref="PlaybackMargin"/>), and everything left there is removed when the engine starts. A message whose file is
/// not (yet) in the folder, e.g. indexed before the folder existed, is read from Asterisk's spool.
/// </summary>
public sealed class FileVoicemailAudio : IVoicemailAudio, IDisposable
{
    /// <summary>Time a playback copy may live beyond the message's own length (the header said before it, a slow start).</summary>
    public static readonly TimeSpan PlaybackMargin = TimeSpan.FromMinutes(2);

    private readonly VoicemailFiles _files;
    private readonly string _playbackFolder;
    private readonly string _playbackAsteriskFolder;
    private readonly AriClient? _ari;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (string File, DateTimeOffset Until)> _copies = new(StringComparer.Ordinal);
    private readonly ITimer _sweep;

    /// <param name="ari">Asterisk, for messages still in its spool and to hear when a playback finished; null: the folder only (CLI).</param>
    public FileVoicemailAudio(VoicemailFiles files, string playbackFolder, string playbackAsteriskFolder, AriClient? ari, TimeProvider time,
        ILogger<FileVoicemailAudio> logger)
    {
        _files = files;
        _playbackFolder = Path.GetFullPath(playbackFolder);
        _playbackAsteriskFolder = playbackAsteriskFolder.TrimEnd('/');
        _ari = ari;
        _time = time;
        _logger = logger;
        var stale = RemoveAllCopies();
        if (stale > 0) _logger.LogInformation("Voicemail: {Count} playback copies left by a previous engine removed", stale);
        if (_ari is not null) _ari.EventReceived += OnEvent;
        _sweep = time.CreateTimer(_ => SweepExpired(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    public VoicemailFiles Files => _files;

    /// <summary>The playback copies that exist now (tests, diagnostics).</summary>
    public int PlaybackCopies => _copies.Count;

    public string PlaybackMedia(VoicemailMessage message)
    {
        if (!_files.Has(message.RecordingName)) return $"recording:{message.RecordingName}";
        CreateSharedFolder(_playbackFolder);
        var id = Guid.NewGuid().ToString("N");
        var copy = Path.Combine(_playbackFolder, id + ".wav");
        var temp = copy + ".part";
        try
        {
            File.Copy(_files.PathOf(message.RecordingName), temp);
            // Asterisk reads it as its own user: readable by others, under a name nobody can guess in a folder nobody else can list.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temp, copy);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        var media = $"sound:{_playbackAsteriskFolder}/{id}";
        _copies[media] = (copy, _time.GetUtcNow() + TimeSpan.FromSeconds(message.DurationSeconds) + PlaybackMargin);
        _logger.LogDebug("Voicemail: message {MessageId} copied for playback as {Media}", message.Id, media);
        return media;
    }

    public async Task<Stream?> OpenReadAsync(VoicemailMessage message, CancellationToken ct)
    {
        if (_files.Has(message.RecordingName))
        {
            try
            {
                return new FileStream(_files.PathOf(message.RecordingName), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
        if (_ari is null) return null;
        try
        {
            return await _ari.Recordings.GetStoredFileAsync(message.RecordingName, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(VoicemailMessage message, CancellationToken ct)
    {
        if (VoicemailFiles.IsFileName(message.RecordingName)) _files.Delete(message.RecordingName);
        if (_ari is null) return;
        try
        {
            // A spool copy not yet moved (the engine's reconciliation removes it too when Asterisk cannot be reached now).
            await _ari.Recordings.DeleteStoredAsync(message.RecordingName, ct).ConfigureAwait(false);
        }
        catch (AriException e) when (e.StatusCode == 404)
        {
        }
        catch (Exception e) when (e is AriException or HttpRequestException)
        {
            _logger.LogWarning("Voicemail: spool copy of message {MessageId} not deleted now, the reconciliation will: {Error}", message.Id, e.Message);
        }
    }

    /// <summary>Removes the playback copies whose lease ended; returns how many.</summary>
    public int SweepExpired()
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var (media, copy) in _copies)
            if (copy.Until <= now && Remove(media)) removed++;
        return removed;
    }

    private void OnEvent(AriEvent e)
    {
        // The message is the last media of the phone's playlist: its end is the end of the listening to this copy.
        if (e is PlaybackFinished finished && _copies.ContainsKey(finished.Playback.MediaUri)) Remove(finished.Playback.MediaUri);
    }

    private bool Remove(string media)
    {
        if (!_copies.TryRemove(media, out var copy)) return false;
        try
        {
            File.Delete(copy.File);
            _logger.LogDebug("Voicemail: playback copy {Media} removed", media);
        }
        catch (IOException e)
        {
            _logger.LogWarning("Voicemail: playback copy {Media} not removed: {Error}", media, e.Message);
        }
        return true;
    }

    private int RemoveAllCopies()
    {
        if (!Directory.Exists(_playbackFolder)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_playbackFolder))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    // Others may go through it (Asterisk's user) but not list it: copies are found only by their random names.
    private static void CreateSharedFolder(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    public void Dispose()
    {
        _sweep.Dispose();
        if (_ari is not null) _ari.EventReceived -= OnEvent;
        foreach (var media in _copies.Keys) Remove(media);
    }
}
