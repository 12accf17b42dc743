using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using PbxRouter.Ari.Events;

namespace PbxRouter.Ari;

/// <summary>The reading loop: frames into a pooled buffer, decode, dispatch; never waits on business logic.</summary>
public sealed partial class AriEventStream
{
    private async Task<(SessionEnd, string)> ReadLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        using var frame = new FrameBuffer();
        bool oversized = false;
        try
        {
            while (true)
            {
                var space = frame.FreeSpace();
                if (space is null)
                {
                    oversized = true;
                    frame.Reset();
                    space = frame.FreeSpace()!;
                }
                var r = await ws.ReceiveAsync(space.Value, ct).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietlyAsync(ws, ct).ConfigureAwait(false);
                    return (SessionEnd.Dropped, $"closed by Asterisk ({ws.CloseStatus} {ws.CloseStatusDescription})");
                }
                frame.Advance(r.Count);
                if (!r.EndOfMessage) continue;
                if (oversized)
                {
                    Interlocked.Increment(ref _failed);
                    LogOversized();
                }
                else if (r.MessageType == WebSocketMessageType.Text && Dispatch(frame.Message))
                {
                    await CloseQuietlyAsync(ws, ct).ConfigureAwait(false);
                    return (SessionEnd.Replaced, "ApplicationReplaced: another connection registered this application");
                }
                oversized = false;
                frame.Reset();
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return (SessionEnd.Dropped, e.Message);
        }
    }

    /// <summary>Decodes and dispatches one frame; true when it says the application was replaced.</summary>
    internal bool Dispatch(ReadOnlySpan<byte> utf8)
    {
        switch (AriEventDecoder.TryDecode(utf8, out var evt, out var type, out var error))
        {
            case AriDecodeStatus.UnknownType:
                Interlocked.Increment(ref _skipped);
                LogSkipped(type);
                return false;
            case AriDecodeStatus.Invalid:
                Interlocked.Increment(ref _failed);
                LogDecodeFailed(error, utf8.Length);
                return false;
        }
        Interlocked.Increment(ref _received);
        if (EventReceived is { } handlers)
        {
            foreach (var handler in Delegate.EnumerateInvocationList(handlers))
            {
                try
                {
                    handler(evt!);
                }
                catch (Exception e)
                {
                    LogHandlerFailed(e, evt!.Type);
                }
            }
        }
        if (evt is ApplicationReplaced)
        {
            LogReplaced(_options.Application);
            return true;
        }
        return false;
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket ws, CancellationToken ct)
    {
        try
        {
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ARI events connected for application {App} at {Uri} (reconnect: {IsReconnect})")]
    private partial void LogConnected(string app, string uri, bool isReconnect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARI events disconnected after {Seconds:0.0} s: {Reason}")]
    private partial void LogDisconnected(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARI events reconnect attempt {Attempt} in {DelayMs:0} ms after: {Error}")]
    private partial void LogRetry(int attempt, double delayMs, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ARI event {Type} skipped (not decoded by this client)")]
    private partial void LogSkipped(string? type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARI event frame of {Length} bytes could not be decoded; skipped")]
    private partial void LogDecodeFailed(Exception? error, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARI event frame larger than the 16 MB limit skipped")]
    private partial void LogOversized();

    [LoggerMessage(Level = LogLevel.Error, Message = "ARI event handler failed on {Type}")]
    private partial void LogHandlerFailed(Exception error, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "ARI application {App} was registered by another connection (ApplicationReplaced); reconnecting later")]
    private partial void LogReplaced(string app);

    [LoggerMessage(Level = LogLevel.Information, Message = "ARI event filter not supported by this Asterisk ({Status}); receiving all events")]
    private partial void LogFilterUnsupported(int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARI event filter could not be applied; receiving all events")]
    private partial void LogFilterFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "ARI OnConnected handler failed (reconnect: {IsReconnect})")]
    private partial void LogOnConnectedFailed(Exception error, bool isReconnect);
}
