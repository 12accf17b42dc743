using System.Buffers.Binary;

namespace PbxRouter.Calls.Fallback;

/// <summary>The length of a RIFF/WAVE file's audio, from its "fmt " and "data" chunks.</summary>
public static class WavDuration
{
    /// <summary>Whole seconds (rounded); throws <see cref="InvalidDataException"/> when the bytes are not a WAV file.</summary>
    public static int Seconds(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a RIFF/WAVE file");
        var byteRate = 0u;
        for (var at = 12; at + 8 <= wav.Length;)
        {
            var id = wav.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(at + 4, 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8) && body + 12 <= wav.Length)
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(body + 8, 4));
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate == 0) throw new InvalidDataException("WAV data before its format, or a format without a byte rate");
                // A header whose size was never updated (the writer stopped): the bytes actually there.
                var bytes = Math.Min(size, (uint)(wav.Length - body));
                return (int)Math.Round((double)bytes / byteRate, MidpointRounding.AwayFromZero);
            }
            at = body + (int)Math.Min(size + (size & 1), (uint)(wav.Length - body));
        }
        throw new InvalidDataException("WAV file without a data chunk");
    }

    /// <summary>Whole seconds of audio in a recording Asterisk stored (read through ARI, wherever Asterisk runs).</summary>
    public static async Task<int> OfStoredAsync(PbxRouter.Ari.AriClient ari, string recordingName, CancellationToken ct)
    {
        await using var stream = await ari.Recordings.GetStoredFileAsync(recordingName, ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return Seconds(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
