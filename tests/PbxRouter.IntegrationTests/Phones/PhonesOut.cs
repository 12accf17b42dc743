using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// Rules/phones-out-test.yaml for one Asterisk: the Tilleuls (trunk-a, the instance's trunk port) and the Val (trunk-b,
/// another port on the carrier's address), their phones' passwords set in this process's environment.
/// </summary>
public sealed class PhonesOut(AsteriskInstance asterisk)
{
    public const string TilleulsNumber = "+33145000000";
    public const string LeroyLineNumber = "+33145000011";
    public const string ValNumber = "+33472000000";
    public const string LacNumber = "+33450000000";

    private static readonly Dictionary<string, string> Passwords = new()
    {
        ["tilleuls.accueil-1"] = "PHONES_OUT_ACCUEIL", ["tilleuls.dr-martin"] = "PHONES_OUT_MARTIN",
        ["tilleuls.dr-leroy"] = "PHONES_OUT_LEROY", ["val.accueil"] = "PHONES_OUT_VAL", ["lac.accueil"] = "PHONES_OUT_LAC",
    };

    static PhonesOut()
    {
        foreach (var (endpoint, variable) in Passwords) Environment.SetEnvironmentVariable(variable, Password(endpoint));
    }

    public int PortA { get; } = asterisk.TrunkPort;
    public int PortB { get; } = FreePorts.Udp(AsteriskInstance.TrunkPeer);

    public string Rules() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "phones-out-test.yaml"))
            .Replace("@@PORT_A@@", PortA.ToString()).Replace("@@PORT_B@@", PortB.ToString());

    public static string Endpoint(string practice, string phone) => PjsipConfig.PhoneEndpoint(practice, phone);

    public static string Password(string endpoint) => $"pw-{endpoint}-{Environment.ProcessId}";

    /// <summary>The phone <paramref name="endpoint"/> dials <paramref name="dialled"/> with <paramref name="scenario"/> from its own address.</summary>
    public SippRun Dial(string endpoint, string dialled, string scenario = "phone-calls-out.xml", int holdMs = 1000, string address = "127.0.0.7") =>
        SippRun.Start($"phone-{endpoint}", scenario,
        [
            "-s", dialled, "-key", "phone", endpoint, "-au", endpoint, "-ap", Password(endpoint), "-d", holdMs.ToString(),
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true);

    /// <summary>The carrier behind trunk-a (or <paramref name="port"/>): answers one call and waits for the BYE.</summary>
    public SippRun Carrier(int? port = null, string scenario = "secretariat-answers.xml") => Sipp.Secretariat(asterisk, scenario, port ?? PortA);
}
