using NLog;
using NLog.Config;
using NLog.Targets;

namespace PbxRouter.Hosting;

/// <summary>NLog set-up: human-readable lines on stderr (stdout is for command output).</summary>
public static class Logs
{
    public static LoggingConfiguration Configure(string level)
    {
        var config = new LoggingConfiguration();
        var stderr = new ConsoleTarget("stderr")
        {
            StdErr = true,
            Layout = "${date:format=yyyy-MM-dd HH\\:mm\\:ss.fff} ${level:uppercase=true:padding=-5} ${logger:shortName=true}: ${message}${onexception:inner= ${exception:format=shortType,message}}",
        };
        var min = NLog.LogLevel.FromString(string.IsNullOrEmpty(level) ? "Info" : level);
        config.AddRule(min, NLog.LogLevel.Fatal, stderr, "PbxRouter.*");
        config.AddRule(NLog.LogLevel.Warn, NLog.LogLevel.Fatal, stderr, "Microsoft.*");
        config.AddRule(NLog.LogLevel.Warn, NLog.LogLevel.Fatal, stderr, "System.*");
        return config;
    }
}
