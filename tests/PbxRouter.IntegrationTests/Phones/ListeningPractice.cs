using System.Text;
using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Infrastructure;

namespace PbxRouter.IntegrationTests.Phones;

/// <summary>
/// Rules/voicemail-listen-test.yaml for one Asterisk (the Tilleuls, trunk-a on the instance's trunk port; box "cabinet"
/// owned by dr-martin, PIN <see cref="BoxPin"/>), and SIPp phones that dial a code then key digits (RFC 4733) at set times.
/// </summary>
public sealed class ListeningPractice(AsteriskInstance asterisk)
{
    public const string TilleulsNumber = "+33145000000";
    public const string BoxPin = "2468";

    private static readonly Dictionary<string, string> Passwords = new()
    {
        ["tilleuls.accueil-1"] = "LISTEN_TEST_ACCUEIL", ["tilleuls.dr-martin"] = "LISTEN_TEST_MARTIN",
    };

    static ListeningPractice()
    {
        foreach (var (endpoint, variable) in Passwords) Environment.SetEnvironmentVariable(variable, Password(endpoint));
        Environment.SetEnvironmentVariable("LISTEN_TEST_BOX_PIN", BoxPin);
    }

    public int PortA { get; } = asterisk.TrunkPort;

    public string Rules() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "voicemail-listen-test.yaml")).Replace("@@PORT_A@@", PortA.ToString());

    public static string Endpoint(string phone) => PjsipConfig.PhoneEndpoint("tilleuls", phone);

    public static string Password(string endpoint) => $"pw-listen-{endpoint}-{Environment.ProcessId}";

    /// <summary>
    /// <paramref name="phone"/> dials <paramref name="dialled"/>; once answered, waits and keys digits as <paramref name="keys"/> says
    /// ("pause ms" then digits, in turn). Then it hangs up itself after <paramref name="hangUpAfterMs"/>, or (null) waits for the PBX's BYE.
    /// </summary>
    public SippRun Dial(string phone, string dialled, IEnumerable<(int PauseMs, string Digits)> keys, int? hangUpAfterMs, string address = "127.0.0.8")
    {
        var body = new StringBuilder();
        foreach (var (pause, digits) in keys) body.Append(Keys(pause, digits));
        body.Append(hangUpAfterMs is { } ms ? $"  <pause milliseconds=\"{ms}\"/>\n{ByeFromPhone}" : ByeFromPbx);
        return Run(phone, dialled, body.ToString(), address);
    }

    /// <summary>
    /// The phone dials <paramref name="dialled"/> and waits up to <paramref name="waitMs"/> for the PBX to hang up on its own; only if it
    /// does not (it asks for a PIN), keys <paramref name="digits"/> and hangs up 3 s later.
    /// </summary>
    public SippRun DialExpectingHangUp(string phone, string dialled, int waitMs, string digits, string address = "127.0.0.8") =>
        Run(phone, dialled, $"""
              <recv request="BYE" timeout="{waitMs}" ontimeout="asked"/>
            {OkToBye}
              <nop next="done"/>
              <label id="asked"/>
            {Keys(0, digits)}  <pause milliseconds="3000"/>
            {ByeFromPhone}  <label id="done"/>

            """, address);

    private SippRun Run(string phone, string dialled, string afterAnswer, string address)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pbxrouter-sipp-scenarios");
        Directory.CreateDirectory(dir);
        var scenario = Path.Combine(dir, $"phone-keys-{Guid.NewGuid():N}.xml");
        File.WriteAllText(scenario, Head + afterAnswer + "</scenario>\n");
        var endpoint = Endpoint(phone);
        return SippRun.Start($"phone-{endpoint}", scenario,
        [
            "-s", dialled, "-key", "phone", endpoint, "-au", endpoint, "-ap", Password(endpoint),
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{asterisk.SipPort}",
        ], countsAsCall: true);
    }

    private static string Keys(int pauseMs, string digits)
    {
        var text = new StringBuilder();
        if (pauseMs > 0) text.Append($"  <pause milliseconds=\"{pauseMs}\"/>\n");
        foreach (var d in digits)
        {
            var file = d switch { '#' => "pound", '*' => "star", _ => d.ToString() };
            text.Append($"  <nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_{file}.pcap\"/></action></nop>\n");
            text.Append("  <pause milliseconds=\"500\"/>\n");
        }
        return text.ToString();
    }

    private const string Invite = """
          <send retrans="500">
            <![CDATA[
              INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: <sip:[phone]@[remote_ip]>;tag=[pid]phone[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: @CSEQ@ INVITE
              Contact: <sip:[phone]@[local_ip]:[local_port]>
              @AUTH@
              Max-Forwards: 70
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=phone 53655765 2353687637 IN IP[local_ip_type] [local_ip]
              s=-
              c=IN IP[media_ip_type] [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP 8 0 101
              a=rtpmap:8 PCMA/8000
              a=rtpmap:0 PCMU/8000
              a=rtpmap:101 telephone-event/8000
              a=fmtp:101 0-15
            ]]>
          </send>

        """;

    private const string Ack = """
          <send>
            <![CDATA[
              ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: <sip:[phone]@[remote_ip]>;tag=[pid]phone[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: @CSEQ@ ACK
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>

        """;

    private static readonly string Head =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"phone-keys\">\n"
        + Invite.Replace("@CSEQ@", "1").Replace("@AUTH@\n", "")
        + "  <recv response=\"100\" optional=\"true\"/>\n  <recv response=\"401\" auth=\"true\"/>\n"
        + Ack.Replace("@CSEQ@", "1")
        + Invite.Replace("@CSEQ@", "2").Replace("@AUTH@", "[authentication]")
        + "  <recv response=\"100\" optional=\"true\"/>\n  <recv response=\"180\" optional=\"true\"/>\n  <recv response=\"183\" optional=\"true\"/>\n"
        + "  <recv response=\"200\" rtd=\"true\"/>\n"
        + Ack.Replace("@CSEQ@", "2");

    private const string OkToBye = """
          <send>
            <![CDATA[
              SIP/2.0 200 OK
              [last_Via:]
              [last_From:]
              [last_To:]
              [last_Call-ID:]
              [last_CSeq:]
              Content-Length: 0
            ]]>
          </send>

        """;

    private static readonly string ByeFromPbx = "  <recv request=\"BYE\" timeout=\"60000\"/>\n" + OkToBye;

    private const string ByeFromPhone = """
          <send retrans="500">
            <![CDATA[
              BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: <sip:[phone]@[remote_ip]>;tag=[pid]phone[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 3 BYE
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>
          <recv response="200" crlf="true"/>

        """;
}
