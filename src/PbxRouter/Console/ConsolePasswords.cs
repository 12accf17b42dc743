using Microsoft.AspNetCore.Identity;

namespace PbxRouter.WebConsole;

/// <summary>Console passwords as ASP.NET Core Identity's PBKDF2 hashes (HMAC-SHA512, salted, 100,000 iterations, format v3).</summary>
public static class ConsolePasswords
{
    private static readonly PasswordHasher<string> Hasher = new();

    public static string Hash(string password) => Hasher.HashPassword("", password);

    public static bool Verify(string hash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Base64 of a v3 hash (first byte 0x01): what hash-password prints.</summary>
    public static bool LooksLikeHash(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) && length > 13 && bytes[0] == 0x01;
    }
}
