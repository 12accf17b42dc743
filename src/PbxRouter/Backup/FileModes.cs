namespace PbxRouter.Backup;

/// <summary>Unix permissions of the state's files (voicemail is health data: 0600/0700), kept by backup and restore.</summary>
internal static class FileModes
{
    public static UnixFileMode Get(string path) => OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path);

    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>"0640": how the manifest writes a mode.</summary>
    public static string Text(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');

    public static UnixFileMode Parse(string text) => (UnixFileMode)(Convert.ToInt32(text, 8) & 0x1FF);

    /// <summary>A folder only its owner reads (health data), created so from the start.</summary>
    public static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
