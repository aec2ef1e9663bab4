namespace PopShell.Engine.Tests.Sessions;

public class Pop3WireTests
{
    static Pop3Wire Wire(string serverSends, bool oneByteAtATime = false)
    {
        Stream server = new MemoryStream(Encoding.Latin1.GetBytes(serverSends));
        if (oneByteAtATime)
            server = new Trickle(server);
        return new Pop3Wire(new GuardedSocketStream(server), new ServerReplyObserver(null));
    }

    static string Data(Pop3Wire wire, long limit = 1 << 20)
    {
        var data = new MemoryStream();
        wire.ReadData(data, limit);
        return Encoding.Latin1.GetString(data.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Data_is_dot_unstuffed_up_to_its_terminator_whatever_the_reads_deliver(bool oneByteAtATime)
    {
        using var wire = Wire("a\r\n..b\r\n.c\r\n.\r\r\n\r\n.\r\n+OK next\r\n", oneByteAtATime);

        Assert.Equal("a\r\n.b\r\n.c\r\n.\r\r\n\r\n", Data(wire));
        Assert.Equal("next", wire.ReadReply().Text);
    }

    [Fact]
    public void A_bare_lf_dot_line_ends_the_data_as_it_does_for_other_clients()
    {
        // Then the LIST-size check is what catches a message cut short this way.
        using var wire = Wire("a\n.\nforged\r\n.\r\n");

        Assert.Equal("a\n", Data(wire));
        Assert.True(wire.IsConnected);
    }

    [Fact]
    public void Data_longer_than_allowed_fails_before_it_is_all_read_and_breaks_the_wire()
    {
        using var wire = Wire(new string('x', 100) + "\r\n.\r\n");

        var error = Assert.Throws<ReplyTooLongException>(() => Data(wire, limit: 50));

        Assert.Equal(50, error.Limit);
        Assert.False(wire.IsConnected);
        Assert.Throws<MailKit.ServiceNotConnectedException>(() => wire.Send("QUIT"));
    }

    [Fact]
    public void A_status_line_that_is_not_pop3_breaks_the_wire()
    {
        using var wire = Wire("HTTP/1.1 400 Bad Request\r\n");

        Assert.Throws<Pop3FramingException>(() => wire.ReadReply());
        Assert.False(wire.IsConnected);
    }

    [Fact]
    public void A_server_that_hangs_up_mid_data_is_a_framing_error_not_the_end_of_the_data()
    {
        using var wire = Wire("a\r\nb");

        Assert.Throws<Pop3FramingException>(() => Data(wire));
        Assert.False(wire.IsConnected);
    }

    [Fact]
    public void Multi_line_replies_are_read_as_lines_with_one_dot_removed_from_doubled_dots()
    {
        using var wire = Wire("+OK\r\nTOP\r\n..odd\r\nSASL PLAIN\n.\r\n");

        Assert.True(wire.ReadReply().IsOk);
        Assert.Equal(["TOP", ".odd", "SASL PLAIN"], wire.ReadLines());
    }

    // Hands out one byte per read, so every boundary (a "." split from its CRLF) is met.
    sealed class Trickle(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(1, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
