using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PbxRouter.Calls;

namespace PbxRouter.Security;

/// <summary>
/// Follows Asterisk's security log and warns the admin about the sources whose SIP requests were refused (strangers posing
/// as the trunk or a phone, wrong passwords), rate-limited by <see cref="IntrusionTally"/>. Starts at the end of the file:
/// what happened before the engine started is in the file itself. A rotated or truncated file is read again from its start.
/// </summary>
public sealed partial class SecurityLogWatcher(SecurityLogOptions options, IntrusionTally tally, TimeProvider time, ILogger<SecurityLogWatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private long _offset = -1;
    private readonly StringBuilder _partial = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.SecurityLogPath)) return;
        LogWatching(options.SecurityLogPath, options.SecurityReportEvery.TotalMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ReadNewLines();
                foreach (var report in tally.Due()) Log(report);
            }
            catch (IOException e)
            {
                LogUnreadable(e, options.SecurityLogPath);
            }
            catch (UnauthorizedAccessException e)
            {
                LogUnreadable(e, options.SecurityLogPath);
            }
            try
            {
                await Task.Delay(Poll, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads what was appended since the last call (public for tests).</summary>
    public void ReadNewLines()
    {
        if (!File.Exists(options.SecurityLogPath))
        {
            if (_offset < 0) _offset = 0; // Asterisk not started yet: read the file from its start once it exists
            return;
        }
        using var stream = new FileStream(options.SecurityLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (_offset < 0 || stream.Length < _offset)
        {
            // First look: start at the end. Shorter than before: rotated or truncated, read it all.
            _offset = _offset < 0 ? stream.Length : 0;
            _partial.Clear();
        }
        stream.Seek(_offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var text = reader.ReadToEnd();
        _offset = stream.Length;
        _partial.Append(text);
        var all = _partial.ToString();
        var lastBreak = all.LastIndexOf('\n');
        if (lastBreak < 0) return;
        _partial.Clear().Append(all, lastBreak + 1, all.Length - lastBreak - 1);
        foreach (var line in all[..lastBreak].Split('\n'))
        {
            if (SecurityEvent.Parse(line) is { } e && tally.Add(e) is { } report) Log(report);
        }
    }

    private void Log(IntrusionReport r)
    {
        var accounts = string.Join(", ", r.Accounts.Select(a => $"\"{UntrustedText.ForDisplay(a)}\""));
        if (r.First) LogFirst(r.Address, accounts, string.Join(", ", r.Events), options.SecurityReportEvery.TotalMinutes);
        else LogSummary(r.Refused, r.Address, options.SecurityReportEvery.TotalMinutes, accounts, string.Join(", ", r.Events), r.Total);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching Asterisk's security log {Path}: refused SIP requests are reported per source, at most every {Minutes} min")]
    private partial void LogWatching(string path, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP request refused from {Address} (claimed {Accounts}: {Events}); not the trunk nor an authenticated phone. Further refusals from it are summed up every {Minutes} min")]
    private partial void LogFirst(string address, string accounts, string events, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more SIP requests refused from {Address} in the last {Minutes} min (claimed {Accounts}: {Events}; {Total} in all): block it at the firewall or with fail2ban if it goes on")]
    private partial void LogSummary(long count, string address, double minutes, string accounts, string events, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read Asterisk's security log {Path}: refused SIP requests are not reported")]
    private partial void LogUnreadable(Exception e, string path);
}
