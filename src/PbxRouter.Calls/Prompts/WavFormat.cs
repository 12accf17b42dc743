namespace PbxRouter.Calls.Prompts;

/// <summary>The header of a WAV file, read to refuse what is not a plain PCM recording before sox converts it.</summary>
public sealed record WavFormat(int Channels, int SampleRate, int BitsPerSample, long DataBytes)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)DataBytes / Math.Max(1, Channels * SampleRate * BitsPerSample / 8));

    /// <summary>Reads the RIFF header; null with <paramref name="problem"/> set when it is no PCM WAV a prompt can be made of.</summary>
    public static WavFormat? Read(string path, out string problem)
    {
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file);
        problem = "";
        if (file.Length < 12 || new string(reader.ReadChars(4)) != "RIFF" || reader.ReadUInt32() < 4 || new string(reader.ReadChars(4)) != "WAVE")
        {
            problem = "it is not a WAV file (no RIFF/WAVE header)";
            return null;
        }
        (int Format, int Channels, int Rate, int Bits)? fmt = null;
        while (file.Position + 8 <= file.Length)
        {
            var id = new string(reader.ReadChars(4));
            var size = reader.ReadUInt32();
            if (id == "fmt " && size >= 16)
            {
                fmt = (reader.ReadUInt16(), reader.ReadUInt16(), (int)reader.ReadUInt32(), 0);
                reader.ReadUInt32(); reader.ReadUInt16();
                fmt = fmt.Value with { Bits = reader.ReadUInt16() };
                file.Position += size - 16 + (size & 1);
            }
            else if (id == "data")
            {
                if (fmt is not { } f) { problem = "its data comes before its format (fmt chunk)"; return null; }
                // 1 = PCM, 0xFFFE = WAVE_FORMAT_EXTENSIBLE (PCM from many editors); anything else is compressed.
                if (f.Format is not (1 or 0xFFFE)) { problem = $"it is compressed (WAV format code {f.Format}); export it as PCM (16-bit)"; return null; }
                if (f.Bits is not (8 or 16 or 24 or 32)) { problem = $"{f.Bits}-bit samples are not supported; export it as 16-bit PCM"; return null; }
                if (f.Channels is < 1 or > 2) { problem = $"it has {f.Channels} channels; export it as mono"; return null; }
                if (f.Rate is < 8000 or > 192000) { problem = $"its sample rate {f.Rate} Hz is out of range (8000 to 192000)"; return null; }
                var data = Math.Min(size, file.Length - file.Position);
                if (data == 0) { problem = "it holds no sound"; return null; }
                var wav = new WavFormat(f.Channels, f.Rate, f.Bits, data);
                if (wav.Duration > TimeSpan.FromMinutes(5)) { problem = $"it lasts {wav.Duration.TotalMinutes:0} minutes (5 at most)"; return null; }
                return wav;
            }
            else file.Position += size + (size & 1);
        }
        problem = fmt is null ? "it has no format (fmt chunk)" : "it has no sound (data chunk)";
        return null;
    }
}
