using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PbxRouter.Store.Tests.Support;

/// <summary>
/// A real small file system for "disk full" tests: a tmpfs mounted on a temp folder (needs root), which
/// <see cref="FillAsync"/> fills up to the last byte and <see cref="Free"/> empties again. Disposing unmounts it.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB; throws (the test fails) if mounting is not possible.</summary>
    public static SmallDisk Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pbxrouter-small-disk-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0777", "pbxrouter-test", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a file until the file system has no byte left.</summary>
    public async Task FillAsync()
    {
        var block = new byte[64 * 1024];
        await using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.WriteThrough);
        try
        {
            while (true) await file.WriteAsync(block);
        }
        catch (IOException)
        {
            // ENOSPC: now try the last bytes one by one.
        }
        try
        {
            while (true) await file.WriteAsync(block.AsMemory(0, 1));
        }
        catch (IOException)
        {
            // Full.
        }
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Run("umount", Path);
        }
        catch (InvalidOperationException)
        {
            Run("umount", "-l", Path); // still busy (a file left open): detach now, freed when closed
        }
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
    }
}
