using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PopShell.Engine.Text;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// What the server announced in its CAPA reply (RFC 2449) and its greeting: the one record the
    /// session consults before using an extension. A server without CAPA announces nothing.
    /// </summary>
    internal sealed class ServerCapabilities
    {
        readonly HashSet<string> names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Nothing announced (no CAPA, or CAPA refused).</summary>
        public static ServerCapabilities None(string? apopTimestamp) => new ServerCapabilities { ApopTimestamp = apopTimestamp };

        /// <summary>Reads a CAPA reply's lines.</summary>
        public static ServerCapabilities Parse(IEnumerable<string> lines, string? apopTimestamp)
        {
            var caps = new ServerCapabilities { ApopTimestamp = apopTimestamp };
            foreach (string line in lines)
            {
                var tokens = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                    continue;
                string name = tokens[0].ToUpperInvariant();
                switch (name)
                {
                    case "SASL":
                        caps.SaslMechanisms.UnionWith(tokens.Skip(1).Select(t => t.ToUpperInvariant()));
                        caps.names.Add(name);
                        break;
                    case "EXPIRE" when tokens.Length > 1:
                        if (string.Equals(tokens[1], "NEVER", StringComparison.OrdinalIgnoreCase))
                            caps.ExpirePolicy = -1;
                        else if (int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out int days))
                            caps.ExpirePolicy = days;
                        else
                            break;
                        caps.names.Add(name);
                        break;
                    case "LOGIN-DELAY" when tokens.Length > 1:
                        if (int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                        {
                            caps.LoginDelay = seconds;
                            caps.names.Add(name);
                        }
                        break;
                    case "IMPLEMENTATION":
                        caps.Implementation = line.Trim().Substring("IMPLEMENTATION".Length).Trim();
                        break;
                    default:
                        caps.names.Add(name);
                        break;
                }
            }
            return caps;
        }

        /// <summary>The APOP timestamp of the greeting, or null.</summary>
        public string? ApopTimestamp { get; private set; }

        /// <summary>The SASL mechanisms offered, upper-case.</summary>
        public HashSet<string> SaslMechanisms { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>EXPIRE in days, -1 for NEVER; meaningful when <see cref="Has"/>("EXPIRE").</summary>
        public int ExpirePolicy { get; private set; }

        /// <summary>LOGIN-DELAY in seconds; meaningful when <see cref="Has"/>("LOGIN-DELAY").</summary>
        public int LoginDelay { get; private set; }

        /// <summary>The IMPLEMENTATION text, or null.</summary>
        public string? Implementation { get; private set; }

        /// <summary>Whether the capability was announced (e.g. "TOP", "PIPELINING", "STLS", "UTF8").</summary>
        public bool Has(string name) => names.Contains(name);

        /// <summary>Records a capability found by probing (UIDL on a server without CAPA).</summary>
        public void Add(string name) => names.Add(name);

        /// <summary>The announced capabilities, as Get-Pop3Mailbox shows them.</summary>
        public IReadOnlyList<string> Describe()
        {
            var described = new List<string>();
            foreach (string name in new[] { "TOP", "UIDL", "USER", "PIPELINING", "RESP-CODES", "STLS", "UTF8", "LANG" })
            {
                if (Has(name))
                    described.Add(name);
            }
            if (Has("SASL"))
                described.Add(("SASL " + string.Join(" ", SaslMechanisms.OrderBy(m => m, StringComparer.Ordinal))).TrimEnd());
            if (Has("EXPIRE"))
                described.Add("EXPIRE " + (ExpirePolicy < 0 ? "NEVER" : ExpirePolicy.ToString(CultureInfo.InvariantCulture)));
            if (Has("LOGIN-DELAY"))
                described.Add("LOGIN-DELAY " + LoginDelay.ToString(CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(Implementation))
                described.Add("IMPLEMENTATION " + DisplayText.Escape(Implementation));
            return described;
        }

        /// <summary>The timestamp of an APOP greeting ("&lt;...@...&gt;"), or null.</summary>
        public static string? FindApopTimestamp(string greeting)
        {
            int open = greeting.IndexOf('<');
            int close = open < 0 ? -1 : greeting.IndexOf('>', open);
            return close > open + 1 ? greeting.Substring(open, close - open + 1) : null;
        }
    }
}
