using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1: STARTTLS with the test's certificate, login required; it keeps
/// every message it accepts, raw and parsed. Can be started late (a server that was down) and stopped.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    public const string User = "pbx@tilleuls.example.fr";

    private readonly TestCertificate _certificate;
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    public LocalSmtpServer(TestCertificate certificate, string password, int? port = null)
    {
        _certificate = certificate;
        Password = password;
        Port = port ?? FreePorts.Tcp();
    }

    public int Port { get; }
    public string Password { get; }
    public ConcurrentQueue<(byte[] Raw, MimeMessage Message)> Received { get; } = new();
    public int RefusedLogins => _refused;
    private int _refused;

    public void Start()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Certificate(_certificate.Certificate)
                .AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Login(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(CancellationToken.None);
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> messages arrived.</summary>
    public async Task<(byte[] Raw, MimeMessage Message)[]> WaitForAsync(int count, TimeSpan limit, string what)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (Received.Count < count)
        {
            if (timeout.IsCancellationRequested) Assert.Fail($"timed out waiting for {what}: {Received.Count} of {count} e-mail(s) arrived");
            await Task.Delay(200);
        }
        return Received.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null) return;
        _server.Shutdown();
        await _server.ShutdownTask;
        if (_running is not null) await _running;
    }

    private sealed class Store(LocalSmtpServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            var raw = buffer.ToArray();
            owner.Received.Enqueue((raw, MimeMessage.Load(new MemoryStream(raw))));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Login(LocalSmtpServer owner) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken ct)
        {
            var ok = user == User && password == owner.Password;
            if (!ok) Interlocked.Increment(ref owner._refused);
            return Task.FromResult(ok);
        }
    }
}
