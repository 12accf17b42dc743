namespace PbxRouter.Fuzzing;

/// <summary>Values that break naive parsers, for any text format; each fuzz test adds the tokens of its own format.</summary>
public static class HostileValues
{
    public static readonly IReadOnlyList<string> Scalars =
    [
        "", " ", "\0", "%00", "\u0001\u001b[31m", "\r\n", "\r", "line\r\nInjected: yes", "%0d%0a", "\t", "\\", "\\u0000",
        "\u0085", "\u2028", "\u202e", "\uFEFF", "é", "İ", "ß", "😀", "\U0010FFFF", "ｆｕｌｌｗｉｄｔｈ",
        "-1", "0", "-0", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999999999999", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "0x7fffffff", "1_000", "00000000000000000001",
        "3.14", "true", "false", "null", "~", "yes", "no",
        "' OR 1=1 --", "${jndi:ldap://x}", "$(id)", "`id`", "../../../etc/passwd", "%s%s%s%n", "{{7*7}}", "<script>",
        new string('A', 300), new string('9', 1_000), new string('x', 20_000), string.Concat(Enumerable.Repeat("é😀", 2_000)),
    ];
}
