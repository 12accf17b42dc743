namespace PbxRouter.Ari;

/// <summary>
/// Told about every REST attempt an <see cref="AriClient"/> made (metrics). <paramref name="operation"/> is a constant such as
/// "channels.answer": never an id. Called on the request's own path: keep it cheap and non-blocking.
/// </summary>
public interface IAriRequestObserver
{
    /// <param name="failed">The attempt got no answer, an error status or an unreadable body.</param>
    void Completed(string operation, HttpMethod method, TimeSpan elapsed, bool failed);
}
