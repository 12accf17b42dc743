namespace PbxRouter.WebConsole;

/// <summary>The console's words, French by default, English on request (cookie "pbxrouter-lang").</summary>
public static class ConsoleTexts
{
    public const string LanguageCookie = "pbxrouter-lang";

    private static readonly Dictionary<string, (string Fr, string En)> Words = new(StringComparer.Ordinal)
    {
        ["title"] = ("Console PbxRouter", "PbxRouter console"),
        ["login"] = ("Connexion", "Log in"),
        ["logout"] = ("Déconnexion", "Log out"),
        ["user"] = ("Identifiant", "User name"),
        ["password"] = ("Mot de passe", "Password"),
        ["wrong-login"] = ("Identifiant ou mot de passe incorrect.", "Wrong user name or password."),
        ["locked"] = ("Trop d'essais : compte bloqué pour quelques minutes.", "Too many attempts: account locked for a few minutes."),
        ["practices"] = ("Cabinets", "Practices"),
        ["mode"] = ("Mode", "Mode"),
        ["state"] = ("État", "State"),
        ["normal"] = ("normal (horaires)", "normal (schedule)"),
        ["forwarded-to"] = ("renvoyé vers", "forwarded to"),
        ["set-mode"] = ("Activer", "Switch on"),
        ["back-to-normal"] = ("Revenir au normal", "Back to normal"),
        ["live"] = ("Appels en cours", "Live calls"),
        ["waiting"] = ("En attente", "Waiting"),
        ["talking"] = ("En conversation", "Talking"),
        ["in-progress"] = ("En cours", "In progress"),
        ["caller"] = ("Appelant", "Caller"),
        ["since"] = ("Depuis", "Since"),
        ["position"] = ("Rang", "Position"),
        ["with"] = ("Avec", "With"),
        ["no-call"] = ("Aucun appel en cours.", "No call right now."),
        ["voicemail"] = ("Messagerie", "Voicemail"),
        ["box"] = ("Boîte", "Box"),
        ["recorded"] = ("Reçu", "Recorded"),
        ["duration"] = ("Durée", "Duration"),
        ["heard"] = ("Écouté", "Heard"),
        ["mark-heard"] = ("Marquer écouté", "Mark as heard"),
        ["delete"] = ("Supprimer", "Delete"),
        ["no-message"] = ("Aucun message.", "No message."),
        ["urgent"] = ("urgent", "urgent"),
        ["figures"] = ("Chiffres", "Figures"),
        ["from"] = ("Du", "From"),
        ["to"] = ("Au", "To"),
        ["show"] = ("Afficher", "Show"),
        ["offered"] = ("Appels reçus (comptés)", "Calls offered (counted)"),
        ["answered"] = ("Décrochés au cabinet", "Answered at the practice"),
        ["by-secretariat"] = ("Pris par le secrétariat", "Taken by the secretariat"),
        ["abandoned"] = ("Abandons", "Abandoned"),
        ["service-level"] = ("Niveau de service", "Service level"),
        ["abandoned-callers"] = ("Appelants à rappeler", "Callers to call back"),
        ["called-back"] = ("rappelé", "called back"),
        ["not-called-back"] = ("à rappeler", "to call back"),
        ["by-hour"] = ("Appels par heure", "Calls by hour"),
        ["audit"] = ("Journal des actions", "Audit trail"),
        ["forbidden"] = ("Accès refusé.", "Forbidden."),
        ["rules"] = ("Règles", "Rules"),
        ["rules-version"] = ("Version en vigueur", "Version in force"),
        ["rules-diff"] = ("Modifications", "Changes"),
        ["rules-version-col"] = ("Version", "Version"),
        ["rules-applied"] = ("Appliquée le", "Applied at"),
        ["rules-by"] = ("Par", "By"),
        ["rules-comment"] = ("Commentaire", "Comment"),
        ["rollback"] = ("Revenir à la version", "Roll back to version"),
        ["route"] = ("Où irait cet appel ?", "Where would this call go?"),
        ["route-to"] = ("Numéro du cabinet appelé (ou, avec un poste, le numéro composé)", "Practice number called (or, with a phone, the number dialled)"),
        ["route-from"] = ("Numéro de l'appelant", "Caller's number"),
        ["route-at"] = ("Date et heure locales du cabinet (vide : maintenant)", "Local date and time at the practice (empty: now)"),
        ["route-phone"] = ("Poste qui compose, CABINET.POSTE (facultatif)", "Phone dialling, PRACTICE.PHONE (optional)"),
        ["route-ask"] = ("Expliquer", "Explain"),
    };

    public static bool IsEnglish(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Request.Cookies[LanguageCookie] == "en";

    public static string Say(Microsoft.AspNetCore.Http.HttpContext context, string key) =>
        Words.TryGetValue(key, out var w) ? (IsEnglish(context) ? w.En : w.Fr) : key;
}
