using System.Text;

namespace PbxRouter.Fuzzing;

/// <summary>Builds fuzz inputs from seed files: purely random data now and then, mostly seeds changed by one to four
/// mutations (byte flips, chunk insert/delete/duplicate, splices of two seeds, hostile values and format tokens, and
/// optional structure-aware changes supplied by the format: dropped keys, swapped types...).</summary>
public sealed class Mutator
{
    private static readonly byte[] InterestingBytes = [0, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, (byte)'\n', (byte)'\r', (byte)'\t', (byte)' ',
        (byte)'"', (byte)'\'', (byte)'\\', (byte)':', (byte)'-', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)'#',
        (byte)'&', (byte)'*', (byte)'!', (byte)'|', (byte)'>', (byte)'%', (byte)'0', (byte)'9'];
    private static readonly byte[] Delimiters = Encoding.ASCII.GetBytes("\"',:{}[]\n\r\t #");

    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly byte[][] _tokens;
    private readonly Func<Random, byte[], IReadOnlyList<byte[]>, byte[]?>? _structural;

    /// <param name="seeds">Valid sample inputs of the format.</param>
    /// <param name="formatTokens">Keywords and syntax of the format, inserted raw (added to <see cref="HostileValues.Scalars"/>).</param>
    /// <param name="structural">A structure-aware mutation (e.g. on a parsed tree); returns null when the input cannot be parsed.</param>
    /// <param name="maxLength">Inputs are cut to this many bytes, so that each one stays quick to try.</param>
    public Mutator(IReadOnlyList<byte[]> seeds, IEnumerable<string> formatTokens,
        Func<Random, byte[], IReadOnlyList<byte[]>, byte[]?>? structural = null, int maxLength = 64 * 1024)
    {
        if (seeds.Count == 0) throw new ArgumentException("at least one seed is needed", nameof(seeds));
        _seeds = seeds;
        _tokens = HostileValues.Scalars.Concat(formatTokens).Select(Encoding.UTF8.GetBytes).ToArray();
        _structural = structural;
        MaxLength = maxLength;
    }

    public int MaxLength { get; }

    /// <summary>The next input, decided entirely by <paramref name="rng"/> (same state, same input).</summary>
    public byte[] Next(Random rng)
    {
        var roll = rng.Next(100);
        if (roll < 3) return RandomBytes(rng, 1 + rng.Next(512));
        if (roll < 6) return RandomTokens(rng);
        var data = new List<byte>(_seeds[rng.Next(_seeds.Count)]);
        var rounds = 1 + (rng.Next(8) is var r && r < 4 ? 0 : r < 6 ? 1 : r < 7 ? 2 : 3);
        for (var i = 0; i < rounds; i++) data = MutateOnce(rng, data);
        if (data.Count > MaxLength) data.RemoveRange(MaxLength, data.Count - MaxLength);
        return [.. data];
    }

    private List<byte> MutateOnce(Random rng, List<byte> data)
    {
        // Structure-aware changes keep the input parseable, so they reach further than byte changes: 4 times in 10.
        if (_structural is not null && rng.Next(10) < 4)
            return _structural(rng, [.. data], _seeds) is { } changed ? [.. changed] : data;
        switch (rng.Next(10))
        {
            case 0: FlipBit(rng, data); break;
            case 1: SetByte(rng, data); break;
            case 2: DeleteChunk(rng, data); break;
            case 3: data.InsertRange(Position(rng, data), RandomBytes(rng, 1 + rng.Next(16))); break;
            case 4: DuplicateChunk(rng, data); break;
            case 5: return Splice(rng, data);
            case 6: data.InsertRange(Position(rng, data), Token(rng)); break;
            case 7:
            case 8: ReplaceWord(rng, data); break;
            default: data.InsertRange(Position(rng, data), RepeatedChunk(rng, data)); break;
        }
        return data;
    }

    private static int Position(Random rng, List<byte> data) => rng.Next(data.Count + 1);

    private static (int Start, int Length) Chunk(Random rng, List<byte> data)
    {
        var start = rng.Next(data.Count);
        var length = 1 + rng.Next(Math.Min(rng.Next(2) == 0 ? 8 : 256, data.Count - start));
        return (start, length);
    }

    private static void FlipBit(Random rng, List<byte> data)
    {
        if (data.Count == 0) return;
        var i = rng.Next(data.Count);
        data[i] ^= (byte)(1 << rng.Next(8));
    }

    private static void SetByte(Random rng, List<byte> data)
    {
        if (data.Count == 0) return;
        data[rng.Next(data.Count)] = rng.Next(2) == 0 ? InterestingBytes[rng.Next(InterestingBytes.Length)] : (byte)rng.Next(256);
    }

    private static void DeleteChunk(Random rng, List<byte> data)
    {
        if (data.Count == 0) return;
        var (start, length) = Chunk(rng, data);
        data.RemoveRange(start, length);
    }

    private static void DuplicateChunk(Random rng, List<byte> data)
    {
        if (data.Count == 0) return;
        var (start, length) = Chunk(rng, data);
        data.InsertRange(Position(rng, data), data.GetRange(start, length));
    }

    /// <summary>A chunk of the input repeated many times (long lines, deep nesting when the chunk opens a block).</summary>
    private static byte[] RepeatedChunk(Random rng, List<byte> data)
    {
        if (data.Count == 0) return [];
        var (start, length) = Chunk(rng, data);
        var chunk = data.GetRange(start, Math.Min(length, 16));
        var times = rng.Next(2) == 0 ? 2 + rng.Next(30) : 100 + rng.Next(3_000);
        return [.. Enumerable.Repeat(chunk, times).SelectMany(c => c)];
    }

    /// <summary>The start of this input followed by the end of another seed, or a chunk of another seed inserted.</summary>
    private List<byte> Splice(Random rng, List<byte> data)
    {
        var other = _seeds[rng.Next(_seeds.Count)];
        if (other.Length == 0) return data;
        var cut = Position(rng, data);
        var from = rng.Next(other.Length);
        if (rng.Next(2) == 0)
        {
            var spliced = data.GetRange(0, cut);
            spliced.AddRange(other.AsSpan(from).ToArray());
            return spliced;
        }
        data.InsertRange(cut, other.AsSpan(from, 1 + rng.Next(Math.Min(512, other.Length - from))).ToArray());
        return data;
    }

    /// <summary>Replaces a run of bytes between delimiters (a key or a value, most of the time) by a hostile value or token.</summary>
    private void ReplaceWord(Random rng, List<byte> data)
    {
        if (data.Count == 0) return;
        var at = rng.Next(data.Count);
        var start = at;
        while (start > 0 && !Delimiters.Contains(data[start - 1])) start--;
        var end = at;
        while (end < data.Count && !Delimiters.Contains(data[end])) end++;
        data.RemoveRange(start, end - start);
        data.InsertRange(start, Token(rng));
    }

    private byte[] Token(Random rng) => _tokens[rng.Next(_tokens.Length)];

    private byte[] RandomTokens(Random rng)
    {
        var data = new List<byte>();
        for (var n = 1 + rng.Next(40); n > 0; n--)
        {
            data.AddRange(Token(rng));
            if (rng.Next(3) == 0) data.Add(InterestingBytes[rng.Next(InterestingBytes.Length)]);
        }
        return [.. data.Take(MaxLength)];
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
