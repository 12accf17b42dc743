using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// Feature codes dialled from real SIP phones (SIPp with digest authentication) through a real Asterisk, with the
/// Tilleuls' sample rules: Dr Martin's desk phone switches the mode without a PIN; a reception phone without the PIN cannot.
/// </summary>
[TestFixture]
public sealed class FeatureCodeTests
{
    private AsteriskInstance _asterisk = null!;
    private CompiledRules _rules = null!;

    private static string Password(string variable) => $"pw{variable.GetHashCode():x}{Environment.ProcessId}";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _asterisk = new AsteriskInstance();
        await _asterisk.StartAsync();
        _rules = RulesCompiler.Compile(RulesSource.Load(Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml"))).Rules
            ?? throw new InvalidOperationException("samples/rules/tilleuls.yaml does not compile");
        // The phones as provisioning writes them; the OVH trunk (it would register to the real OVH) is left out.
        var (text, _) = PjsipConfig.Generate(_rules.Model, v => v.EndsWith("_PASSWORD", StringComparison.Ordinal) && !v.Contains("TRUNK") ? Password(v) : null);
        await File.WriteAllTextAsync(_asterisk.GeneratedPjsipPath, text);
        var reload = await _asterisk.CliAsync("module reload res_pjsip.so");
        Assert.That(reload.ExitCode, Is.EqualTo(0), reload.Output);
        await Task.Delay(1000);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_asterisk is not null) await _asterisk.DisposeAsync();
    }

    /// <summary>The real engine with the Tilleuls' rules applied (Asterisk already has their phones) and a known doctors' PIN.</summary>
    private async Task<(EngineUnderTest Engine, RuntimeStateRepository State)> EngineAsync()
    {
        var options = new FeatureCodeOptions { FirstDigit = TimeSpan.FromSeconds(2), Secrets = v => v == "TILLEULS_DOCTORS_PIN" ? "2468" : null };
        var engine = await EngineUnderTest.StartAsync(_asterisk, services: s => s.AddSingleton(options));
        var path = Path.Combine(RepoPaths.Root, "samples", "rules", "tilleuls.yaml");
        await engine.ApplyRulesAsync(path, await File.ReadAllTextAsync(path));
        return (engine, new RuntimeStateRepository(engine.Database, TimeProvider.System));
    }

    private SippRun PhoneDials(string phone, string code, string address)
    {
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", phone);
        var variable = _rules.Model.Practices.Single().Phones.Single(p => p.Id.Value == phone).PasswordEnv;
        return SippRun.Start($"phone-{phone}", "phone-feature-code.xml",
        [
            "-s", code, "-key", "phone", endpoint, "-au", endpoint, "-ap", Password(variable),
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{_asterisk.SipPort}",
        ], countsAsCall: true);
    }

    [Test]
    public async Task Star21_FromDrMartinsDeskPhone_SendsAllCallsToTheSecretariat()
    {
        var (engine, state) = await EngineAsync();
        await using var _ = engine;

        var sip = await PhoneDials("dr-martin", "*21", "127.0.0.6").WaitAsync();
        await engine.WaitForCallAsync(c => c.Steps.Contains("entered (phone)"));

        Assert.That(sip.Succeeded, sip.ToString());
        var modes = await state.GetModesAsync();
        Assert.That(modes.TryGetValue("tilleuls", out var mode), Is.True, "a mode was set");
        Assert.Multiple(() =>
        {
            Assert.That(mode!.Mode, Is.EqualTo("all-to-secretariat"));
            Assert.That(mode.SetBy, Is.EqualTo("dr-martin"));
            Assert.That(mode.Via, Is.EqualTo("feature-code *21"));
        });
    }

    [Test]
    public async Task Star21_FromAReceptionPhoneWithoutThePin_IsRefusedAndTheModeStaysUnchanged()
    {
        var (engine, state) = await EngineAsync();
        await using var _ = engine;

        var sip = await PhoneDials("accueil-1", "*21", "127.0.0.7").WaitAsync();
        await engine.WaitForCallAsync(c => c.Steps.Contains("entered (phone)"));

        Assert.That(sip.Succeeded, sip.ToString());
        Assert.That(await state.GetModesAsync(), Is.Empty, "no mode set");
        Assert.That(await state.HistoryAsync("tilleuls"), Is.Empty, "no change audited");
    }
}
