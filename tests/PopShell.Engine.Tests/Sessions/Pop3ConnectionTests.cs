using System.Net;
using System.Net.Sockets;

namespace PopShell.Engine.Tests.Sessions;

public class Pop3ConnectionTests
{
    [Fact]
    public void Refuses_to_send_a_password_without_encryption_before_connecting()
    {
        // A listener that records whether anyone connected: the refusal must come before any traffic.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = new ConnectionOptions
        {
            Server = "127.0.0.1",
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            Security = TransportSecurity.None,
            Credential = new NetworkCredential("alice", "secret"),
        };

        var error = Assert.Throws<PopShellException>(() => Pop3Connection.Open(options, CancellationToken.None));

        Assert.Equal(PopShellErrorKind.UnencryptedAuthenticationRefused, error.Kind);
        Assert.False(listener.Pending());
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void A_closed_port_is_a_refused_connection()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var options = new ConnectionOptions { Server = "127.0.0.1", Port = port, Security = TransportSecurity.Tls, Timeout = TimeSpan.FromSeconds(10) };

        var error = Assert.Throws<PopShellException>(() => Pop3Connection.Open(options, CancellationToken.None));

        Assert.Equal(PopShellErrorKind.ConnectionRefused, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }
}
