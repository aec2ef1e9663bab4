using System;

namespace PopShell.Engine.Messages
{
    /// <summary>A test on one header field: a message passes when any of its values of that field passes.</summary>
    /// <param name="Name">The field name, compared without regard to case (e.g. "X-Spam-Flag").</param>
    /// <param name="Test">The test each decoded, unfolded value is given.</param>
    public sealed record HeaderTest(string Name, Func<string, bool> Test);
}
