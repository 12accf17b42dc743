using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PbxRouter.WebConsole;

/// <summary>Who may use the web console: a platform admin sees every practice, a practice manager only theirs.</summary>
public enum ConsoleRole
{
    Admin,
    Manager,
}

/// <summary>One console account from configuration (Console:Users:N): the password only as a PBKDF2 hash.</summary>
public sealed record ConsoleUser(string Name, string PasswordHash, ConsoleRole Role, string? Practice)
{
    /// <summary>May this user see and act on <paramref name="practiceId"/>? Checked by the server for every page and action.</summary>
    public bool MaySee(string practiceId) => Role == ConsoleRole.Admin || string.Equals(Practice, practiceId, StringComparison.Ordinal);
}

/// <summary>
/// Section "Console": the accounts, and the lockout after failed logins. No account: no console (the web server still answers
/// /metrics and /health).
/// </summary>
public sealed class ConsoleOptions
{
    public IReadOnlyList<ConsoleUser> Users { get; init; } = [];
    /// <summary>Wrong passwords in a row for one account name before it is locked.</summary>
    public int MaxFailedLogins { get; init; } = 5;
    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(15);

    public bool Enabled => Users.Count > 0;

    public ConsoleUser? Find(string name) => Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));

    /// <summary>Reads section "Console" and adds what is wrong with it (naming the key) to <paramref name="problems"/>.</summary>
    public static ConsoleOptions Read(IConfiguration config, List<string> problems)
    {
        var users = new List<ConsoleUser>();
        foreach (var section in config.GetSection("Console:Users").GetChildren())
        {
            var key = $"Console:Users:{section.Key}";
            var name = section["Name"];
            var hash = section["PasswordHash"];
            var roleText = section["Role"];
            var practice = section["Practice"];
            if (string.IsNullOrWhiteSpace(name)) { problems.Add($"{key}:Name is missing"); continue; }
            if (string.IsNullOrWhiteSpace(hash) || !ConsolePasswords.LooksLikeHash(hash))
            {
                problems.Add($"{key}:PasswordHash is missing or not a hash from `pbxrouter console hash-password` (user {name})");
                continue;
            }
            ConsoleRole role;
            if (string.Equals(roleText, "admin", StringComparison.OrdinalIgnoreCase)) role = ConsoleRole.Admin;
            else if (string.Equals(roleText, "manager", StringComparison.OrdinalIgnoreCase)) role = ConsoleRole.Manager;
            else { problems.Add($"{key}:Role '{roleText}' is not admin or manager (user {name})"); continue; }
            if (role == ConsoleRole.Manager && string.IsNullOrWhiteSpace(practice))
            {
                problems.Add($"{key}:Practice is missing: a manager sees one practice (user {name})");
                continue;
            }
            if (users.Any(u => u.Name == name)) { problems.Add($"{key}:Name '{name}' is used twice"); continue; }
            users.Add(new ConsoleUser(name, hash, role, role == ConsoleRole.Manager ? practice : null));
        }
        return new ConsoleOptions
        {
            Users = users,
            MaxFailedLogins = Number(config, "Console:MaxFailedLogins", 5, problems),
            Lockout = TimeSpan.FromMinutes(Number(config, "Console:LockoutMinutes", 15, problems)),
        };
    }

    private static int Number(IConfiguration config, string key, int fallback, List<string> problems)
    {
        var text = config[key];
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        problems.Add($"{key} '{text}' is not a whole number above 0");
        return fallback;
    }
}
