using PbxRouter.Cli;

namespace PbxRouter.Tests.Cli;

/// <summary>Runs `pbxrouter ARGS` in-process and captures stdout and stderr.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    public static async Task<Result> RunAsync(params string[] args)
    {
        await ConsoleLock.WaitAsync();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            var code = await CliRoot.Create().Parse(args).InvokeAsync();
            return new Result(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            ConsoleLock.Release();
        }
    }

    public static string SamplesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PbxRouter.sln"))) return Path.Combine(dir.FullName, "samples", "rules");
            throw new InvalidOperationException("samples/rules not found");
        }
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "pbxrouter-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
