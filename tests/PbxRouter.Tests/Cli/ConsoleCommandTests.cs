using PbxRouter.Cli;
using PbxRouter.WebConsole;

namespace PbxRouter.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class ConsoleCommandTests
{
    private static async Task<CliRunner.Result> HashAsync(string stdin)
    {
        var old = Console.In;
        Console.SetIn(new StringReader(stdin));
        try
        {
            return await CliRunner.RunAsync("console", "hash-password");
        }
        finally
        {
            Console.SetIn(old);
        }
    }

    [Test]
    public async Task HashPassword_ReadsTheFirstLineOfStdin_AndPrintsAHashThatVerifiesIt()
    {
        var result = await HashAsync("correct horse battery\nignored\n");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        var hash = result.Out.Trim();
        Assert.That(ConsolePasswords.Verify(hash, "correct horse battery"), Is.True);
        Assert.That(result.Out, Does.Not.Contain("correct horse"));
    }

    [TestCase("", "no password on stdin")]
    [TestCase("short\n", "shorter than 10 characters")]
    public async Task HashPassword_WithoutAUsablePassword_Fails_AndPrintsNoHash(string stdin, string reason)
    {
        var result = await HashAsync(stdin);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(result.Err, Does.Contain(reason));
        Assert.That(result.Out, Is.Empty);
    }
}
