using System.Net;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Opens the real engine against a scripted server, as Connect-Pop3 -Security None -AllowUnencryptedAuthentication would.</summary>
internal static class ScenarioConnection
{
    public const string UserName = "alice";

    /// <summary>The password; some scenarios echo it in a reply, to check that it is scrubbed.</summary>
    public const string Password = "Tr0ub4dor&3";

    /// <summary>Per-read timeout: short, so a stall fails fast, and far above what a loopback reply takes.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a test waits for the server to see the client hang up.</summary>
    public static readonly TimeSpan HangUpWait = TimeSpan.FromSeconds(5);

    public static ConnectionOptions Options(ScriptedPop3Server server) => new()
    {
        Server = "127.0.0.1",
        Port = server.Port,
        Security = TransportSecurity.None,
        AllowUnencryptedAuthentication = true,
        Credential = new NetworkCredential(UserName, Password),
        Timeout = Timeout,
    };

    public static Pop3Connection Open(ScriptedPop3Server server) => Pop3Connection.Open(Options(server), CancellationToken.None);

    /// <summary>
    /// What the client sent, once it has hung up: the server records on a background task, so
    /// asserting that a QUIT never came is only meaningful after the connection has ended.
    /// </summary>
    public static IReadOnlyList<string> LinesAfterHangUp(this ScriptedPop3Server server)
    {
        if (!server.WaitForSessionsToEnd(HangUpWait))
            throw new TimeoutException($"The client still held the connection {HangUpWait.TotalSeconds:0} s after the test was done with it.");
        return server.ReceivedLines;
    }

    /// <summary>The client lines that are this command (e.g. "DELE", "QUIT"), whatever its arguments.</summary>
    public static IReadOnlyList<string> Commands(this IReadOnlyList<string> lines, string command) =>
        lines.Where(l => l == command || l.StartsWith(command + " ", StringComparison.Ordinal)).ToArray();

    /// <summary>Waits for the client to hang up and checks it sent neither DELE nor QUIT: the server deleted nothing.</summary>
    public static void AssertNothingDeleted(this ScriptedPop3Server server)
    {
        var lines = server.LinesAfterHangUp();
        Xunit.Assert.Empty(lines.Commands("DELE"));
        Xunit.Assert.Empty(lines.Commands("QUIT"));
    }
}
