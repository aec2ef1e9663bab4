using System.Net.Sockets;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>The scripted server itself, driven by a bare socket: the scenario tests are only as good as it is.</summary>
public class ScriptedPop3ServerTests
{
    public static TheoryData<string> EmbeddedScenarios => new(ScenarioResources.ScenarioNames);

    [Theory]
    [MemberData(nameof(EmbeddedScenarios))]
    public void Every_embedded_scenario_parses(string name)
    {
        Assert.NotEmpty(Scenario.Load(name).Steps);
    }

    [Fact]
    public void A_line_that_is_not_a_step_is_an_error_naming_the_line()
    {
        var error = Assert.Throws<FormatException>(() => Scenario.Parse("S: +OK\nSEND: +OK\n"));

        Assert.Contains("inline:2", error.Message);
    }

    [Fact]
    public void S_raw_takes_escapes_or_base64()
    {
        Assert.Equal([(byte)'+', 0x1B, (byte)'[', 0x07, 0x9B, (byte)'\r', (byte)'\n'], ScenarioParser.ParseRaw(@"+\e[\x07\x9b\r\n"));
        Assert.Equal("+OK\r\n"u8.ToArray(), ScenarioParser.ParseRaw("base64:K09LDQo="));
    }

    [Fact]
    public void S_file_sends_the_message_dot_stuffed_with_crlf_and_a_terminator()
    {
        using var server = ScriptedPop3Server.FromText("S-FILE: first.eml");
        using var client = new RawClient(server);

        string sent = client.ReadToEnd();

        Assert.Contains("\r\n...and this one starts with two\r\n", sent);
        Assert.Contains("\r\n..this line starts with a dot", sent);
        Assert.EndsWith("Bye.\r\n.\r\n", sent);
        Assert.Equal(Encoding.ASCII.GetString(ScenarioResources.MessageOnWire("first.eml")).Length + ".\r\n".Length + 2, sent.Length);
    }

    [Fact]
    public void S_headers_sends_the_header_block_and_the_blank_line()
    {
        using var server = ScriptedPop3Server.FromText("S-HEADERS: second.eml");
        using var client = new RawClient(server);

        string sent = client.ReadToEnd();

        Assert.StartsWith("From: Carol Example", sent);
        Assert.EndsWith("charset=us-ascii\r\n\r\n.\r\n", sent);
    }

    [Fact]
    public void S_repeat_streams_a_million_lines()
    {
        using var server = ScriptedPop3Server.FromText("S-REPEAT: 1_000_000 x");
        using var client = new RawClient(server);

        Assert.Equal(3_000_000, client.ReadToEnd().Length);
    }

    [Fact]
    public void S_raw_repeat_streams_one_line_that_never_ends()
    {
        using var server = ScriptedPop3Server.FromText("S-RAW: +OK \nS-RAW-REPEAT: 100_000 AB");
        using var client = new RawClient(server);

        string sent = client.ReadToEnd();

        Assert.Equal(4 + 200_000, sent.Length);
        Assert.DoesNotContain('\n', sent);
    }

    [Fact]
    public void A_line_sent_with_the_one_before_it_is_recorded_as_sent_before_the_reply()
    {
        using var server = ScriptedPop3Server.FromText("C: STAT\nS: +OK 0 0\nC: LIST\nS: +OK\nC: QUIT\nS: +OK");
        using (var client = new RawClient(server))
        {
            client.Send("STAT\r\nLIST"); // one write: LIST leaves before STAT's reply arrives
            client.ReadLine();
            client.ReadLine();
            client.Send("QUIT"); // only after LIST's reply
            client.ReadLine();
        }

        Assert.Equal(["STAT", "LIST", "QUIT"], server.LinesAfterHangUp());
        Assert.Equal(["LIST"], server.LinesSentBeforeReply);
    }

    [Fact]
    public void A_line_off_the_script_is_recorded_and_answered_with_err()
    {
        using var server = ScriptedPop3Server.FromText("C: USER alice\nS: +OK\nC: PASS *\nS: +OK");
        using var client = new RawClient(server);

        client.Send("USER bob");
        string reply = client.ReadToEnd();

        Assert.Equal("-ERR unexpected\r\n", reply);
        Assert.Equal(["USER bob"], server.ReceivedLines);
        Assert.Contains("inline:1", Assert.Single(server.Failures));
    }

    [Fact]
    public void Wildcards_match_any_line_or_a_prefix()
    {
        using var server = ScriptedPop3Server.FromText("C: *\nC: PASS *\nS: +OK");
        using var client = new RawClient(server);

        client.Send("anything at all");
        client.Send("PASS secret");

        Assert.Equal("+OK\r\n", client.ReadToEnd());
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void After_close_the_client_reads_end_of_stream_and_what_it_still_sends_is_recorded()
    {
        using var server = ScriptedPop3Server.FromText("S: +OK bye\nCLOSE");
        var client = new RawClient(server);

        Assert.Equal("+OK bye\r\n", client.ReadToEnd());
        client.Send("QUIT");
        client.Dispose();

        Assert.True(server.WaitForSessionsToEnd(TimeSpan.FromSeconds(5)));
        Assert.Equal(["QUIT"], server.ReceivedLines);
    }

    [Fact]
    public void A_client_that_hangs_up_where_a_line_was_expected_is_a_failure()
    {
        using var server = ScriptedPop3Server.FromText("S: +OK\nC: QUIT");
        var client = new RawClient(server);

        client.ReadLine();
        client.Dispose();

        Assert.True(server.WaitForSessionsToEnd(TimeSpan.FromSeconds(5)));
        Assert.Contains("hung up", Assert.Single(server.Failures));
    }

    [Fact]
    public void Connections_play_the_scenarios_in_order_and_one_too_many_is_a_failure()
    {
        using var server = new ScriptedPop3Server([Scenario.Parse("S: +OK one"), Scenario.Parse("S: +OK two")]);

        foreach (string expected in new[] { "+OK one\r\n", "+OK two\r\n", "" })
        {
            using var client = new RawClient(server);
            Assert.Equal(expected, client.ReadToEnd());
        }

        Assert.True(server.WaitForSessionsToEnd(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, server.Connections);
        Assert.Contains("Connection 3", Assert.Single(server.Failures));
    }

    [Fact]
    public void Dispose_ends_a_stalled_session()
    {
        var server = ScriptedPop3Server.FromText("S: +OK\nSTALL");
        using var client = new RawClient(server);
        client.ReadLine();

        server.Dispose();

        Assert.Equal(string.Empty, client.ReadToEnd());
    }

    /// <summary>A bare TCP client with a read timeout, so a broken server fails the test instead of hanging it.</summary>
    sealed class RawClient : IDisposable
    {
        readonly TcpClient tcp;
        readonly NetworkStream stream;

        public RawClient(ScriptedPop3Server server)
        {
            tcp = new TcpClient("127.0.0.1", server.Port);
            stream = tcp.GetStream();
            stream.ReadTimeout = 5000;
        }

        public void Send(string line) => stream.Write(Encoding.UTF8.GetBytes(line + "\r\n"));

        public string ReadLine()
        {
            var line = new List<byte>();
            int b;
            while ((b = stream.ReadByte()) >= 0 && b != '\n')
                line.Add((byte)b);
            return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
        }

        public string ReadToEnd()
        {
            var all = new MemoryStream();
            try
            {
                stream.CopyTo(all);
            }
            catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                // A server that closed right after accepting may reset rather than end the stream: nothing was sent.
            }
            return Encoding.UTF8.GetString(all.ToArray());
        }

        public void Dispose() => tcp.Dispose();
    }
}
