using System.Collections;
using System.Text.RegularExpressions;
using PopShell.Engine.Messages;

namespace PopShell.Internal
{
    /// <summary>
    /// Builds the text tests of Get-Pop3Message's filters, compiled once per command. Within one
    /// parameter, any value may match; different parameters must all match. Every test ignores case.
    /// </summary>
    internal static class TextFilter
    {
        /// <summary>Matches text as a whole against PowerShell wildcards (<c>-like</c>).</summary>
        public static Func<string, bool>? Wildcards(string[]? patterns)
        {
            if (patterns == null)
                return null;
            var compiled = patterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
            return text => compiled.Any(w => w.IsMatch(text));
        }

        /// <summary>Matches text that contains one of the values, character for character.</summary>
        public static Func<string, bool>? Contains(string[]? values)
        {
            if (values == null)
                return null;
            return text => values.Any(v => text.IndexOf(v, StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>Matches text in which one of the regular expressions finds a match (<c>-match</c>).</summary>
        public static Func<string, bool>? Regexes(string[]? patterns, string parameterName)
        {
            if (patterns == null)
                return null;
            var compiled = patterns.Select(p => Compile(p, parameterName)).ToArray();
            return text => compiled.Any(r => IsMatch(r, text));
        }

        /// <summary>Matches what every given test matches; null when none is given.</summary>
        public static Func<string, bool>? All(params Func<string, bool>?[] tests)
        {
            var given = tests.Where(t => t != null).Select(t => t!).ToArray();
            if (given.Length == 0)
                return null;
            if (given.Length == 1)
                return given[0];
            return text => given.All(t => t(text));
        }

        /// <summary>One header test per field name of <paramref name="table"/> (name = value or values), each value made a test by <paramref name="build"/>.</summary>
        public static IEnumerable<HeaderTest> Headers(IDictionary? table, Func<string[], Func<string, bool>?> build)
        {
            if (table == null)
                yield break;
            foreach (DictionaryEntry pair in table)
            {
                string name = Convert.ToString(pair.Key, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                if (name.Length == 0)
                    throw new ArgumentException("A header filter needs a field name, such as 'X-Spam-Flag'.");
                string[] values = Values(pair.Value);
                if (values.Length == 0)
                    throw new ArgumentException($"The header filter for '{name}' has no value to match.");
                yield return new HeaderTest(name, build(values)!);
            }
        }

        static string[] Values(object? value)
        {
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (value is string single)
                return new[] { single };
            if (value is IEnumerable many)
            {
                return many.Cast<object?>()
                    .Select(v => LanguagePrimitives.ConvertTo<string>(v is PSObject p ? p.BaseObject : v))
                    .Where(v => v != null)
                    .ToArray();
            }
            return value == null ? Array.Empty<string>() : new[] { LanguagePrimitives.ConvertTo<string>(value) };
        }

        // A pattern that backtracks past its time limit on some text does not match that text,
        // rather than failing the whole listing.
        static bool IsMatch(Regex regex, string text)
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        static Regex Compile(string pattern, string parameterName)
        {
            try
            {
                // A bounded match time: a pattern that backtracks badly on hostile header text cannot hang the listing.
                return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"{parameterName}: '{pattern}' is not a valid regular expression: {ex.Message}", ex);
            }
        }
    }
}
