using System.Text;

namespace PbxRouter.IntegrationTests.Cti;

/// <summary>One Server-Sent Events frame as a consumer parses it (comment lines skipped).</summary>
public sealed record SseFrame(string? Id, string? Event, string Data);

public static class SseFrames
{
    /// <summary>Frames with data, in order, until (and with) the first that <paramref name="last"/> accepts.</summary>
    public static async Task<List<SseFrame>> ReadUntilAsync(Stream stream, Func<SseFrame, bool> last, CancellationToken ct)
    {
        var frames = new List<SseFrame>();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var frame = new SseFrame(id, type, data.ToString());
                    frames.Add(frame);
                    if (last(frame)) return frames;
                }
                id = type = null;
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
        }
        throw new EndOfStreamException($"the stream ended after {frames.Count} frame(s): {string.Join(" | ", frames)}");
    }
}
