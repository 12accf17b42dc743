using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>What one file contributed; files are merged by the compiler.</summary>
internal sealed record FileRules(IReadOnlyList<Trunk> Trunks, IReadOnlyList<Secretariat> Secretariats, IReadOnlyList<Practice> Practices)
{
    public static readonly FileRules Empty = new([], [], []);
}
