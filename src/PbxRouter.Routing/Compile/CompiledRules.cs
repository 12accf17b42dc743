using System.Collections.Frozen;
using System.Text.Json;
using NodaTime;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>Validated rules ready to route calls fast; built once by <see cref="RulesCompiler"/>, immutable and thread-safe.</summary>
public sealed class CompiledRules
{
    private readonly FrozenDictionary<string, CompiledLine>.AlternateLookup<ReadOnlySpan<char>> _byNumber;

    internal CompiledRules(RulesModel model, IReadOnlyList<RulesFile> sources, string contentHash, FrozenDictionary<string, CompiledLine> byNumber)
    {
        Model = model;
        Sources = sources;
        ContentHash = contentHash;
        _byNumber = byNumber.GetAlternateLookup<ReadOnlySpan<char>>();
        Numbers = byNumber.Keys;
        var practiceOrder = model.Practices.Select((p, i) => (p.Id.Value, i)).GroupBy(x => x.Value).ToDictionary(g => g.Key, g => g.First().i);
        Fallbacks = byNumber.Values.Distinct().Select(l => l.Fallback)
            .OrderBy(f => practiceOrder.GetValueOrDefault(f.PracticeId)).ThenBy(f => f.LineId is not null).ThenBy(f => f.LineId, StringComparer.Ordinal).ToArray();
        PracticesById = model.Practices.GroupBy(p => p.Id.Value).ToFrozenDictionary(g => g.Key, g => g.First());
    }

    internal FrozenDictionary<string, Practice> PracticesById { get; }

    /// <summary>SHA-256 (hex) of the normalised sources: same YAML, same hash, wherever the files live.</summary>
    public string ContentHash { get; }

    /// <summary>The YAML texts these rules were compiled from.</summary>
    public IReadOnlyList<RulesFile> Sources { get; }

    /// <summary>The validated model (trunks, secretariats, practices), e.g. to generate Asterisk endpoints.</summary>
    public RulesModel Model { get; }

    /// <summary>The fallback route of each practice and line (engine unavailable, or a plan that ended with nobody).</summary>
    public IReadOnlyList<PracticeFallback> Fallbacks { get; }

    /// <summary>Every number served, in E.164.</summary>
    public IReadOnlyCollection<string> Numbers { get; }

    /// <summary>The time zone of the practice owning <paramref name="calledNumber"/>, or Europe/Paris when unknown.</summary>
    public DateTimeZone TimeZoneFor(string calledNumber) =>
        TryFindLine(calledNumber, out var line) ? line.Zone : DateTimeZoneProviders.Tzdb[PracticeReader.DefaultTimeZone];

    /// <summary>Serialises the rules as their sources and hash; <see cref="FromJson"/> recompiles them.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Snapshot(ContentHash, Sources.Select(s => new RulesFile(s.Path, s.Text)).ToList()));

    /// <summary>Recompiles rules saved by <see cref="ToJson"/>; throws <see cref="InvalidRulesException"/> if they no longer compile or the hash differs.</summary>
    public static CompiledRules FromJson(string json)
    {
        var snapshot = JsonSerializer.Deserialize<Snapshot>(json) ?? throw new InvalidRulesException("empty rules snapshot", []);
        var result = RulesCompiler.Compile(snapshot.Sources);
        if (result.Rules is null) throw new InvalidRulesException("the saved rules no longer compile", result.Errors);
        if (result.Rules.ContentHash != snapshot.ContentHash)
            throw new InvalidRulesException($"content hash mismatch: saved {snapshot.ContentHash}, recomputed {result.Rules.ContentHash}", []);
        return result.Rules;
    }

    internal bool TryFindLine(ReadOnlySpan<char> e164, out CompiledLine line) => _byNumber.TryGetValue(e164, out line!);

    internal bool TryFindLine(string number, out CompiledLine line)
    {
        Span<char> buffer = stackalloc char[PhoneNumbers.MaxLength];
        line = null!;
        return PhoneNumbers.TryNormalize(number, buffer, lenient: true, out var length) && TryFindLine(buffer[..length], out line);
    }

    private sealed record Snapshot(string ContentHash, List<RulesFile> Sources);
}

/// <summary>Thrown at a boundary when rules cannot be used; carries the errors.</summary>
public sealed class InvalidRulesException(string message, IReadOnlyList<RuleError> errors)
    : Exception(errors.Count == 0 ? message : $"{message}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<RuleError> Errors { get; } = errors;
}
