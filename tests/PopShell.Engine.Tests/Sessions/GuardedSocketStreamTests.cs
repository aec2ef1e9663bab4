namespace PopShell.Engine.Tests.Sessions;

public class GuardedSocketStreamTests
{
    [Fact]
    public void Reads_within_the_budget_and_fails_past_it()
    {
        using var stream = new GuardedSocketStream(new MemoryStream(new byte[100]));
        var buffer = new byte[40];
        stream.SetBudget(50);

        Assert.Equal(40, stream.Read(buffer, 0, 40));
        var error = Assert.Throws<IOException>(() => stream.Read(buffer, 0, 40));

        Assert.Contains("50 bytes", error.Message);
        Assert.Equal(50, stream.ExceededBudget);
    }

    [Fact]
    public void Each_operation_gets_a_fresh_budget()
    {
        using var stream = new GuardedSocketStream(new MemoryStream(new byte[100]));
        var buffer = new byte[40];

        stream.SetBudget(40);
        Assert.Equal(40, stream.Read(buffer, 0, 40));
        stream.SetBudget(40);
        Assert.Equal(40, stream.Read(buffer, 0, 40));
        Assert.Equal(0, stream.ExceededBudget);
    }

    [Fact]
    public void A_zero_byte_read_returns_at_once_without_waiting_on_the_socket()
    {
        // SslStream reads zero bytes before each record; on a socket that would wait for data (here,
        // none ever comes: the read would fail when the socket's timeout ends).
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(System.Net.IPAddress.Loopback, ((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
        using var server = listener.AcceptTcpClient();
        client.ReceiveTimeout = 5000;
        using var stream = new GuardedSocketStream(client.GetStream());
        stream.SetBudget(10);

        Assert.Equal(0, stream.Read(new byte[16], 0, 0));
        server.GetStream().Write(new byte[] { 1, 2, 3 }, 0, 3);
        Assert.Equal(3, stream.Read(new byte[16], 0, 16));
    }
}

public class StartTlsInjectionTests
{
    // Reads come from the server's canned bytes; writes are dropped.
    sealed class FakeSocket(string serverBytes) : MemoryStream(System.Text.Encoding.ASCII.GetBytes(serverBytes))
    {
        public override void Write(byte[] buffer, int offset, int count) { }
    }

    static bool Injected(string serverReply, string clientCommand = "STLS\r\n")
    {
        using var stream = new GuardedSocketStream(new FakeSocket(serverReply));
        var command = System.Text.Encoding.ASCII.GetBytes(clientCommand);
        stream.Write(command, 0, command.Length);
        var buffer = new byte[4096];
        stream.Read(buffer, 0, buffer.Length);
        stream.Write(new byte[] { 0x16, 0x03, 0x01 }, 0, 3); // the ClientHello begins
        return stream.InjectionAfterStls;
    }

    [Fact]
    public void A_clean_reply_to_stls_is_not_injection()
    {
        Assert.False(Injected("+OK Begin TLS negotiation now.\r\n"));
    }

    [Fact]
    public void Data_after_the_reply_to_stls_is_injection()
    {
        Assert.True(Injected("+OK Begin TLS\r\n+OK injected\r\n"));
        Assert.True(Injected("+OK Begin TLS\r\nC"));
    }

    [Fact]
    public void Only_the_reply_to_stls_is_watched()
    {
        Assert.False(Injected("+OK\r\nTOP\r\nUIDL\r\n.\r\n", "CAPA\r\n"));
    }
}
