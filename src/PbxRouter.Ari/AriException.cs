namespace PbxRouter.Ari;

/// <summary>An ARI request that failed: the operation, the resource id and the HTTP status Asterisk answered.</summary>
public class AriException : Exception
{
    public AriException(string operation, string? resourceId, int statusCode, string message, Exception? inner = null)
        : base(Format(operation, resourceId, statusCode, message), inner)
    {
        Operation = operation;
        ResourceId = resourceId;
        StatusCode = statusCode;
        AriMessage = message;
    }

    /// <summary>Operation name, e.g. "channels.answer".</summary>
    public string Operation { get; }

    public string? ResourceId { get; }

    /// <summary>HTTP status; 0 when Asterisk could not be reached.</summary>
    public int StatusCode { get; }

    /// <summary>The "message" Asterisk returned (or the transport error).</summary>
    public string AriMessage { get; }

    /// <summary>True for 404: the channel/bridge/playback no longer exists, normal on a call that just hung up.</summary>
    public bool IsGone => StatusCode == 404;

    internal static AriException FromStatus(string operation, string? resourceId, int statusCode, string message) =>
        statusCode switch
        {
            404 => new AriNotFoundException(operation, resourceId, message),
            409 => new AriConflictException(operation, resourceId, message),
            412 => new AriPreconditionFailedException(operation, resourceId, message),
            422 => new AriUnprocessableException(operation, resourceId, message),
            _ => new AriException(operation, resourceId, statusCode, message),
        };

    private static string Format(string operation, string? resourceId, int statusCode, string message) =>
        resourceId is null
            ? $"ARI {operation} failed ({statusCode}): {message}"
            : $"ARI {operation} {resourceId} failed ({statusCode}): {message}";
}

/// <summary>404: no such channel, bridge, playback, recording or application.</summary>
public sealed class AriNotFoundException(string operation, string? resourceId, string message)
    : AriException(operation, resourceId, 404, message);

/// <summary>409: conflict, typically the channel is not in Stasis (or is bridged while recording).</summary>
public sealed class AriConflictException(string operation, string? resourceId, string message)
    : AriException(operation, resourceId, 409, message);

/// <summary>412: the resource is in the wrong state for the operation.</summary>
public sealed class AriPreconditionFailedException(string operation, string? resourceId, string message)
    : AriException(operation, resourceId, 412, message);

/// <summary>422: the request was understood but cannot be processed (e.g. unknown endpoint).</summary>
public sealed class AriUnprocessableException(string operation, string? resourceId, string message)
    : AriException(operation, resourceId, 422, message);

/// <summary>Asterisk could not be reached, or did not answer within the request timeout.</summary>
public sealed class AriUnavailableException(string operation, string? resourceId, string message, Exception? inner = null)
    : AriException(operation, resourceId, 0, message, inner);

/// <summary>Helpers for ARI failures that are normal in telephony.</summary>
public static class AriExceptionExtensions
{
    /// <summary>True when the exception says the resource no longer exists (404), e.g. the caller already hung up.</summary>
    public static bool IsGone(this Exception e) => e is AriException { StatusCode: 404 };
}
