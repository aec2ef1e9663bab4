using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// Thousands of sessions of the real engine against an in-memory server whose mailboxes and replies
/// are drawn from a fixed seed: lying sizes and counts, odd and repeated UIDs, -ERR anywhere,
/// replies cut off, garbled, doubled or never terminated. Whatever happens, only a PopShellException
/// may escape, nothing may hang, every file must hold exactly the bytes served, nothing may be left
/// half-written or outside the target, DELE and QUIT may only follow completed saves, and a body
/// listed with -IncludeBody or an attachment saved is read from a whole reply, never partial bytes.
/// A failure names its seed and case; <see cref="Replays_one_case"/> runs that one case again.
/// Known open: a reply the server sends twice is read as the answer to the next command, and when
/// its bytes happen to be exactly the next message's LIST size (about one case in 15,000 beyond the
/// fixed seed, e.g. seed 5 case 6046), that message is saved with the wrong bytes and journaled; a
/// later -NewOnly -Delete run then deletes the real one. Size checks cannot see it; checking the
/// server's headers (TOP) against the saved copy before a journal-based delete would.
/// </summary>
public class ServerTranscriptFuzzTests
{
    const int DefaultSeed = 20260611;
    const int DefaultCases = 2000;

    // Far above a case's few milliseconds: only an engine that hangs reaches it.
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    readonly ITestOutputHelper output;

    public ServerTranscriptFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Thousands_of_hostile_sessions_lose_nothing()
    {
        // POPSHELL_FUZZ_SEED and POPSHELL_FUZZ_CASES explore beyond the fixed run without a code change.
        int seed = FromEnvironment("POPSHELL_FUZZ_SEED", DefaultSeed);
        int cases = FromEnvironment("POPSHELL_FUZZ_CASES", DefaultCases);
        using var folder = new FuzzFolder();
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var statistics = new List<(string Ending, int Saved, int Deleted)>();
        int run = 0;
        for (; run < cases && failures.Count < 5; run++)
        {
            if (RunGuarded(seed, run, folder.Path, statistics.Add) is { } failure)
                failures.Add(failure);
        }
        output.WriteLine($"{run} cases of seed {seed} in {clock.Elapsed.TotalSeconds:0.0} s: {statistics.Sum(s => s.Saved)} messages saved, {statistics.Sum(s => s.Deleted)} deleted at QUIT.");
        foreach (var ending in statistics.GroupBy(s => s.Ending).OrderByDescending(g => g.Count()))
            output.WriteLine($"  {ending.Key}: {ending.Count()} sessions");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Single cases, to replay one the run reported: add its seed and number here. Kept: case 6, a RETR
    /// status line with a huge octet count (ignored, the message saved), and seed 2 case 100, a reply
    /// after the last DELE batch garbled (the session ends, nothing lost); seed 3 case 4089, -IncludeBody
    /// on a message cut to nothing, which let MimeKit's FormatException escape; case 75, an attachment
    /// saved, and case 482, a body listed, from a message whose size did not match its LIST size; seed 5
    /// cases 1373 and 2600, two export rounds naming messages with one name at once, where the second
    /// rename replaced the first file and that message was deleted (timing-dependent: they failed about
    /// one run in six before EmlFolder made naming take turns).
    /// </summary>
    [Theory]
    [InlineData(DefaultSeed, 0)]
    [InlineData(5, 1373)]
    [InlineData(5, 2600)]
    [InlineData(DefaultSeed, 75)]
    [InlineData(DefaultSeed, 482)]
    [InlineData(DefaultSeed, 6)]
    [InlineData(2, 100)]
    [InlineData(3, 4089)]
    public void Replays_one_case(int seed, int number)
    {
        using var folder = new FuzzFolder();
        var failure = RunGuarded(seed, number, folder.Path, _ => { });
        Assert.True(failure == null, failure);
    }

    static string? RunGuarded(int seed, int number, string baseDirectory, Action<(string, int, int)> statistics)
    {
        var fuzzCase = new FuzzCase(seed, number, baseDirectory);
        var run = Task.Run(fuzzCase.Run);
        if (!run.Wait(HangGuard))
            return $"Fuzz case {number} of seed {seed} did not finish within {HangGuard.TotalSeconds:0} s: the engine hangs.";
        statistics(fuzzCase.Statistics);
        return run.Result;
    }

    static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
