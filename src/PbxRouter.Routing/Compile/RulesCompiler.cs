using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>The outcome of compiling rules: the compiled rules when there is no error, and every error and warning.</summary>
public sealed record CompileResult(CompiledRules? Rules, IReadOnlyList<RuleError> Errors, IReadOnlyList<RuleError> Warnings)
{
    public bool Succeeded => Rules is not null;
}

/// <summary>Reads, validates and precomputes rules from one or more YAML files.</summary>
public static class RulesCompiler
{
    /// <summary>Compiles the files together (shared trunks and secretariats may sit in any of them).</summary>
    /// <param name="transports">The SIP transports Asterisk offers (from the settings): trunks on another one are errors.
    /// Null when the rules were already accepted (the engine recompiling what `rules apply` stored): not checked again.</param>
    public static CompileResult Compile(IReadOnlyList<RulesFile> files, SipTransports? transports = null)
    {
        var diagnostics = new Diagnostics();
        var parts = files.Select(f => RulesReader.Read(f, diagnostics)).ToList();
        var model = new RulesModel(
            parts.SelectMany(p => p.Trunks).ToList(),
            parts.SelectMany(p => p.Secretariats).ToList(),
            parts.SelectMany(p => p.Practices).ToList());
        RulesValidator.Check(model, diagnostics);
        if (transports is not null) TransportChecks.Check(model, transports, diagnostics);
        var errors = Sorted(diagnostics.Errors);
        var warnings = Sorted(diagnostics.Warnings);
        if (errors.Count > 0) return new CompileResult(null, errors, warnings);
        return new CompileResult(new CompiledRules(model, files, HashOf(files), Lines(model)), errors, warnings);
    }

    /// <summary>Compiles one YAML text (handy in tests and for a single file).</summary>
    public static CompileResult Compile(string path, string text, SipTransports? transports = null) => Compile([new RulesFile(path, text)], transports);

    private static FrozenDictionary<string, CompiledLine> Lines(RulesModel model)
    {
        var secretariats = model.Secretariats.GroupBy(s => s.Id.Value).ToDictionary(g => g.Key, g => g.First());
        var byNumber = new Dictionary<string, CompiledLine>(StringComparer.Ordinal);
        foreach (var practice in model.Practices)
        {
            var main = new CompiledLine(practice, null, secretariats);
            foreach (var n in practice.Numbers) byNumber.TryAdd(n.Value, main);
            foreach (var line in practice.Lines)
            {
                var compiled = new CompiledLine(practice, line, secretariats);
                foreach (var n in line.Numbers) byNumber.TryAdd(n.Value, compiled);
            }
        }
        return byNumber.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>SHA-256 over file names and texts, sorted by name, with BOM removed and line endings as \n.</summary>
    internal static string HashOf(IEnumerable<RulesFile> files)
    {
        var builder = new StringBuilder();
        foreach (var f in files.OrderBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal))
            builder.Append(Path.GetFileName(f.Path)).Append('\n')
                .Append(f.Text.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n')).Append("\n\0");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Sorted by place; a problem is reported once per place, even when aliases (*name) make the reader meet the
    /// same value many times under different paths (a practice repeated 150 times gave 1,700 identical errors).</summary>
    private static List<RuleError> Sorted(IEnumerable<RuleError> list) => list.DistinctBy(e => (e.File, e.Line, e.Column, e.Code, e.Message))
        .OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList();
}
