using System.CommandLine;
using PbxRouter.WebConsole;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter console hash-password`: the PBKDF2 hash of a console password read from stdin (never from the command line).</summary>
public static class ConsoleCommand
{
    public static Command Create()
    {
        var console = new Command("console", "The web console's accounts (docs/console.md).");
        var hash = new Command("hash-password",
            "Reads one password from stdin (first line) and prints its hash for Console:Users:N:PasswordHash. Example: "
            + "read -rs P && printf '%s\\n' \"$P\" | pbxrouter console hash-password");
        hash.SetAction(async (_, ct) =>
        {
            var password = await System.Console.In.ReadLineAsync(ct);
            if (string.IsNullOrEmpty(password)) return CliContext.Fail("console hash-password", "no password on stdin: pipe it in (first line), never pass it as an argument");
            if (password.Length < 10) return CliContext.Fail("console hash-password", "the password is shorter than 10 characters: choose a longer one");
            System.Console.Out.WriteLine(ConsolePasswords.Hash(password));
            return ExitCodes.Ok;
        });
        console.Subcommands.Add(hash);
        return console;
    }
}
