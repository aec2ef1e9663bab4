using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Builds a file name from a template such as <c>{Date:yyyy-MM-dd} {From} {Subject}</c>.
    /// Placeholders: <c>{Date}</c> or <c>{Date:format}</c> (the Date header, in UTC; the time of
    /// saving when the header is missing), <c>{Uid}</c>, <c>{UidHash}</c> (16 hex digits of the
    /// UID's SHA-256, safe whatever the UID holds), <c>{Index}</c>, <c>{From}</c> (sender address),
    /// <c>{FromName}</c>, <c>{Subject}</c>. Every value is sanitised, then the whole name again.
    /// </summary>
    public sealed class FileNameTemplate
    {
        /// <summary>The default: sorts by date, and the UID hash keeps names of one mailbox apart.</summary>
        public const string Default = "{Date:yyyyMMdd-HHmmss}_{UidHash}";

        const string DefaultDateFormat = "yyyyMMdd-HHmmss";
        const int MaxComponentLength = 80;

        // Interpreted, not compiled: compiling (Reflection.Emit, then the JIT) costs an export more at its
        // start, in time and memory, than it saves on a few short matches per message.
        static readonly Regex Placeholder = new Regex(@"\{(?<name>[A-Za-z]+)(?::(?<format>[^}]*))?\}", RegexOptions.CultureInvariant);
        static readonly string[] Known = { "Date", "Uid", "UidHash", "Index", "From", "FromName", "Subject" };

        readonly string template;

        /// <summary>Checks the template once, so a typo fails before anything is downloaded.</summary>
        /// <exception cref="ArgumentException">An unknown placeholder, or a bad date format.</exception>
        public FileNameTemplate(string? template)
        {
            this.template = string.IsNullOrWhiteSpace(template) ? Default : template!;
            foreach (Match match in Placeholder.Matches(this.template))
            {
                string name = match.Groups["name"].Value;
                if (Array.FindIndex(Known, k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) < 0)
                    throw new ArgumentException($"Unknown placeholder {{{name}}} in file name template '{this.template}'. Known: {{{string.Join("}, {", Known)}}}.");
                Fields |= name.ToUpperInvariant() switch
                {
                    "DATE" => NamingFields.Date,
                    "FROM" or "FROMNAME" => NamingFields.From,
                    "SUBJECT" => NamingFields.Subject,
                    _ => NamingFields.None,
                };
                if (string.Equals(name, "Date", StringComparison.OrdinalIgnoreCase) && match.Groups["format"].Success)
                    _ = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToString(match.Groups["format"].Value, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The header fields the template's placeholders show.</summary>
        internal NamingFields Fields { get; }

        /// <summary>The file name for <paramref name="message"/>, with <paramref name="extension"/>.</summary>
        public string Render(MessageSummary message, string extension, DateTimeOffset savedAt)
        {
            string text = Placeholder.Replace(template, match =>
            {
                string name = match.Groups["name"].Value.ToUpperInvariant();
                string format = match.Groups["format"].Success ? match.Groups["format"].Value : DefaultDateFormat;
                string value = name switch
                {
                    "DATE" => (message.Date ?? savedAt).UtcDateTime.ToString(format, CultureInfo.InvariantCulture),
                    "UID" => message.Entry.Uid ?? "index" + message.Entry.Number.ToString(CultureInfo.InvariantCulture),
                    "UIDHASH" => UidHash(message.Entry),
                    "INDEX" => message.Entry.Number.ToString(CultureInfo.InvariantCulture),
                    "FROM" => message.From.Count > 0 ? message.From[0].Address : "unknown-sender",
                    "FROMNAME" => message.From.Count > 0 ? (message.From[0].Name.Length > 0 ? message.From[0].Name : message.From[0].Address) : "unknown-sender",
                    "SUBJECT" => string.IsNullOrWhiteSpace(message.Subject) ? "no subject" : message.Subject!,
                    _ => string.Empty,
                };
                string clean = FileNameSanitizer.CleanComponent(value);
                if (clean.Length <= MaxComponentLength)
                    return clean;
                int cut = char.IsHighSurrogate(clean[MaxComponentLength - 1]) ? MaxComponentLength - 1 : MaxComponentLength;
                return clean.Substring(0, cut);
            });
            return FileNameSanitizer.Sanitize(text, extension);
        }

        /// <summary>16 hex digits of the SHA-256 of the UID (or of the index when there is no UID).</summary>
        public static string UidHash(MessageEntry entry)
        {
            string key = entry.Uid ?? "#" + entry.Number.ToString(CultureInfo.InvariantCulture);
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
            return BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
