using Microsoft.Extensions.Configuration;
using PbxRouter.WebConsole;

namespace PbxRouter.Tests.WebConsole;

[TestFixture]
public sealed class ConsoleOptionsTests
{
    private static (ConsoleOptions Options, List<string> Problems) Read(Dictionary<string, string?> values)
    {
        var problems = new List<string>();
        return (ConsoleOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), problems), problems);
    }

    [Test]
    public void AHash_VerifiesItsPasswordOnly_AndIsSaltedEachTime()
    {
        var hash = ConsolePasswords.Hash("correct horse battery");
        Assert.That(ConsolePasswords.Verify(hash, "correct horse battery"), Is.True);
        Assert.That(ConsolePasswords.Verify(hash, "correct horse batterY"), Is.False);
        Assert.That(ConsolePasswords.Hash("correct horse battery"), Is.Not.EqualTo(hash));
        Assert.That(ConsolePasswords.LooksLikeHash(hash), Is.True);
        Assert.That(ConsolePasswords.LooksLikeHash("correct horse battery"), Is.False, "a clear password is not taken for a hash");
    }

    [Test]
    public void BadAccounts_AreSettingsProblemsNamingTheKey_AndAreLeftOut()
    {
        var hash = ConsolePasswords.Hash("correct horse battery");
        var (options, problems) = Read(new()
        {
            ["Console:Users:0:Name"] = "alice", ["Console:Users:0:PasswordHash"] = hash, ["Console:Users:0:Role"] = "admin",
            ["Console:Users:1:Name"] = "marc", ["Console:Users:1:PasswordHash"] = hash, ["Console:Users:1:Role"] = "manager",
            ["Console:Users:2:Name"] = "bob", ["Console:Users:2:PasswordHash"] = "secret", ["Console:Users:2:Role"] = "admin",
            ["Console:Users:3:Name"] = "eve", ["Console:Users:3:PasswordHash"] = hash, ["Console:Users:3:Role"] = "root",
            ["Console:MaxFailedLogins"] = "zero",
        });
        Assert.That(options.Users.Select(u => u.Name), Is.EqualTo(new[] { "alice" }));
        Assert.That(problems, Is.EqualTo(new[]
        {
            "Console:Users:1:Practice is missing: a manager sees one practice (user marc)",
            "Console:Users:2:PasswordHash is missing or not a hash from `pbxrouter console hash-password` (user bob)",
            "Console:Users:3:Role 'root' is not admin or manager (user eve)",
            "Console:MaxFailedLogins 'zero' is not a whole number above 0",
        }));
    }

    [Test]
    public void AManager_MaySeeTheirPracticeOnly_AnAdminEveryPractice()
    {
        var manager = new ConsoleUser("marc", "h", ConsoleRole.Manager, "tilleuls");
        var admin = new ConsoleUser("alice", "h", ConsoleRole.Admin, null);
        Assert.That((manager.MaySee("tilleuls"), manager.MaySee("platanes"), admin.MaySee("platanes")), Is.EqualTo((true, false, true)));
    }
}
