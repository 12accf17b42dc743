using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace PbxRouter.Monitoring;

/// <summary>
/// Section "Web": where `pbxrouter serve` answers /metrics and /health. Loopback by default: another address is a settings
/// error unless Web:AllowRemote is true (as Ari:AllowRemote); an empty Web:Url turns the endpoint off.
/// </summary>
public sealed class WebOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8089";

    public string Url { get; init; } = DefaultUrl;
    public bool AllowRemote { get; init; }
    /// <summary>/health fails when the database's or the voicemail folder's volume has less free space than this.</summary>
    public long MinFreeDiskMegabytes { get; init; } = 500;

    /// <summary>Section "Console": the web console's accounts (none: no console).</summary>
    public PbxRouter.WebConsole.ConsoleOptions Console { get; init; } = new();

    /// <summary>Web:Certificate:Path, a PKCS#12 (.pfx) file: the server speaks HTTPS (Web:Url then starts with https://).</summary>
    public string? CertificatePath { get; init; }
    /// <summary>Web:Certificate:Password (from the environment, PBXROUTER_Web__Certificate__Password, never a command line).</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The certificate to serve HTTPS with; null for plain HTTP.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? LoadCertificate() => CertificatePath is null ? null
        : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);

    /// <summary>The address Kestrel listens on; null when the endpoint is off (empty Web:Url) or the URL is invalid.</summary>
    public IPEndPoint? EndPoint { get; init; }

    /// <summary>Reads section "Web" and adds what is wrong with it to <paramref name="problems"/>.</summary>
    public static WebOptions Read(IConfiguration config, List<string> problems)
    {
        var url = config["Web:Url"] ?? DefaultUrl;
        var allowText = config["Web:AllowRemote"] ?? "false";
        if (!bool.TryParse(allowText, out var allowRemote))
            problems.Add($"Web:AllowRemote '{allowText}' is not true or false");
        var minText = config["Web:MinFreeDiskMegabytes"] ?? "500";
        if (!long.TryParse(minText, NumberStyles.None, CultureInfo.InvariantCulture, out var minFree))
        {
            problems.Add($"Web:MinFreeDiskMegabytes '{minText}' is not a whole number of megabytes (0 or more)");
            minFree = 500;
        }
        var certificate = config["Web:Certificate:Path"];
        if (string.IsNullOrWhiteSpace(certificate)) certificate = null;
        else if (!File.Exists(certificate)) problems.Add($"Web:Certificate:Path '{certificate}': no such file (a PKCS#12 .pfx file with the key)");
        IPEndPoint? endPoint = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            endPoint = Parse(url, certificate is not null, out var problem);
            if (problem is not null) problems.Add(problem);
            else if (!IPAddress.IsLoopback(endPoint!.Address) && !allowRemote)
            {
                problems.Add($"Web:Url {url} is not on this machine (loopback): /metrics and /health tell the engine's state to whoever reaches them; "
                    + "set Web:AllowRemote=true to serve them elsewhere (behind a firewall), or leave Web:Url on 127.0.0.1");
                endPoint = null;
            }
        }
        var console = PbxRouter.WebConsole.ConsoleOptions.Read(config, problems);
        return new WebOptions
        {
            Url = url, AllowRemote = allowRemote, MinFreeDiskMegabytes = minFree, EndPoint = endPoint, Console = console,
            CertificatePath = certificate, CertificatePassword = config["Web:Certificate:Password"],
        };
    }

    /// <summary>http://ADDRESS:PORT (https:// with a certificate) with an IP address (or localhost, or 0.0.0.0 for every address) and a port.</summary>
    private static IPEndPoint? Parse(string url, bool https, out string? problem)
    {
        problem = null;
        var scheme = https ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != scheme
            || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            problem = https
                ? $"Web:Url '{url}' is not https://ADDRESS:PORT: with Web:Certificate:Path set the server speaks HTTPS"
                : $"Web:Url '{url}' is not http://ADDRESS:PORT (example: {DefaultUrl}; empty: no web endpoint; https needs Web:Certificate:Path)";
            return null;
        }
        var host = uri.Host.Trim('[', ']');
        IPAddress? address = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (address is null)
        {
            problem = $"Web:Url '{url}': the host must be an IP address (127.0.0.1, ::1, an address of this machine, 0.0.0.0), not a name";
            return null;
        }
        return new IPEndPoint(address, uri.Port);
    }
}
