using System.Buffers.Binary;

namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// Writes a pcap (Ethernet, IPv4, UDP, RTP) of RFC 4733 telephone-events for SIPp's <c>play_pcap_audio</c>, which
/// replays the packets with their capture timing to the call's media address. Debian's sip-tester ships one digit per
/// file; a flood needs thousands of events.
/// </summary>
public static class Rfc4733Pcap
{
    private const int PayloadType = 101; // telephone-event/8000, as offered in the scenarios' SDP
    private const uint Ssrc = 0x0e05384e;

    /// <summary>
    /// <paramref name="events"/> events of <paramref name="digit"/>, one every <paramref name="spacing"/>; each is a start
    /// packet (marker bit) and an end packet (E bit) half a spacing later. Returns the time the replay lasts.
    /// </summary>
    public static TimeSpan Write(string path, int events, TimeSpan spacing, char digit = '1')
    {
        using var file = File.Create(path);
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1); // LINKTYPE_ETHERNET
        file.Write(header);
        ushort seq = 1000;
        var code = digit switch { '*' => 10, '#' => 11, _ => digit - '0' };
        for (var i = 0; i < events; i++)
        {
            var at = spacing * i;
            var timestamp = (uint)(i * 800); // each event 100 ms apart in RTP time (8 kHz)
            WritePacket(file, at, Rtp(seq++, timestamp, marker: true, code, end: false, duration: 160));
            WritePacket(file, at + spacing / 2, Rtp(seq++, timestamp, marker: false, code, end: true, duration: 400));
        }
        return spacing * events;
    }

    /// <summary>
    /// The keys of <paramref name="keys"/> (digits, '*', '#') pressed one after the other, one every <paramref name="spacing"/>,
    /// as a phone sends a PIN. Returns the time the replay lasts.
    /// </summary>
    public static TimeSpan WriteKeys(string path, string keys, TimeSpan spacing)
    {
        using var file = File.Create(path);
        WriteHeader(file);
        ushort seq = 2000;
        for (var i = 0; i < keys.Length; i++)
        {
            var code = keys[i] switch { '*' => 10, '#' => 11, var d => d - '0' };
            var at = spacing * i;
            var timestamp = (uint)(i * 8 * (int)spacing.TotalMilliseconds);
            WritePacket(file, at, Rtp(seq++, timestamp, marker: true, code, end: false, duration: 160));
            // The end packet is sent three times, as phones do (RFC 4733 2.5.1.4).
            for (var r = 0; r < 3; r++)
                WritePacket(file, at + spacing / 2 + TimeSpan.FromMilliseconds(r * 20), Rtp(seq++, timestamp, marker: false, code, end: true, duration: 800));
        }
        return spacing * keys.Length;
    }

    private static void WriteHeader(Stream file)
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1); // LINKTYPE_ETHERNET
        file.Write(header);
    }

    private static byte[] Rtp(ushort seq, uint timestamp, bool marker, int code, bool end, ushort duration)
    {
        var rtp = new byte[16];
        rtp[0] = 0x80;
        rtp[1] = (byte)((marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), Ssrc);
        rtp[12] = (byte)code;
        rtp[13] = (byte)((end ? 0x80 : 0) | 10); // E bit, volume -10 dBm0
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(14), duration);
        return rtp;
    }

    private static void WritePacket(Stream file, TimeSpan at, byte[] rtp)
    {
        var udpLength = 8 + rtp.Length;
        var ipLength = 20 + udpLength;
        var frame = new byte[14 + ipLength];
        byte[] mac = [0x00, 0x50, 0xbf, 0x99, 0x03, 0x36];
        mac.CopyTo(frame, 0);
        mac.CopyTo(frame, 6);
        frame[12] = 0x08; // IPv4
        var ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        ip[8] = 64;
        ip[9] = 17; // UDP
        byte[] src = [192, 168, 0, 3], dst = [192, 168, 0, 1];
        src.CopyTo(ip[12..]);
        dst.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        var udp = frame.AsSpan(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 10000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 10000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        rtp.CopyTo(frame, 42);
        var record = new byte[16];
        var micros = (long)(at.TotalMilliseconds * 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_700_000_000 + micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
        file.Write(record);
        file.Write(frame);
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
