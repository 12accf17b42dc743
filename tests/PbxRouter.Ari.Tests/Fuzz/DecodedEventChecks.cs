using System.Collections;
using System.Reflection;
using PbxRouter.Ari.Events;
using PbxRouter.Fuzzing;

namespace PbxRouter.Ari.Tests.Fuzz;

/// <summary>What a consumer may rely on in a decoded event: its type name matches its class, and no value the model
/// declares non-nullable is null (properties, list items, dictionary values), down through channels, bridges...</summary>
internal static class DecodedEventChecks
{
    private static readonly Dictionary<Type, (PropertyInfo Property, NullabilityInfo Nullability)[]> Properties = [];
    private static readonly NullabilityInfoContext Nullability = new();

    public static void Check(AriEvent e)
    {
        FuzzAssert.That(e.Type == e.GetType().Name, () => $"a {e.GetType().Name} decoded with type '{e.Type}'");
        CheckObject(e, e.GetType().Name);
        FuzzAssert.That(e.ChannelIds.All(id => id is not null), "a null channel id");
        _ = e.BridgeId;
    }

    private static void CheckObject(object value, string path)
    {
        foreach (var (property, nullability) in PropertiesOf(value.GetType()))
            CheckValue(property.GetValue(value), nullability, $"{path}.{property.Name}");
    }

    private static void CheckValue(object? value, NullabilityInfo nullability, string path)
    {
        if (value is null)
        {
            FuzzAssert.That(nullability.ReadState != NullabilityState.NotNull, () => $"{path} is null, though the model says it never is");
            return;
        }
        if (value is string || value.GetType().IsPrimitive || value is DateTimeOffset) return;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                CheckValue(entry.Value, nullability.GenericTypeArguments[1], $"{path}[{entry.Key}]");
            return;
        }
        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
                CheckValue(item, nullability.GenericTypeArguments.FirstOrDefault() ?? nullability.ElementType!, $"{path}[{index++}]");
            return;
        }
        if (value.GetType().Namespace?.StartsWith("PbxRouter.Ari", StringComparison.Ordinal) == true) CheckObject(value, path);
    }

    private static (PropertyInfo, NullabilityInfo)[] PropertiesOf(Type type)
    {
        if (!Properties.TryGetValue(type, out var list))
        {
            list = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .Select(p => (p, Nullability.Create(p)))];
            Properties[type] = list;
        }
        return list;
    }
}
