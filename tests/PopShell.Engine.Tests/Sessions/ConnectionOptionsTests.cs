namespace PopShell.Engine.Tests.Sessions;

public class ConnectionOptionsTests
{
    [Theory]
    [InlineData(TransportSecurity.Auto, 0, 110, TransportSecurity.StartTls)]
    [InlineData(TransportSecurity.Auto, 995, 995, TransportSecurity.Tls)]
    [InlineData(TransportSecurity.Auto, 1110, 1110, TransportSecurity.StartTls)]
    [InlineData(TransportSecurity.Tls, 0, 995, TransportSecurity.Tls)]
    [InlineData(TransportSecurity.Tls, 1995, 1995, TransportSecurity.Tls)]
    [InlineData(TransportSecurity.StartTls, 0, 110, TransportSecurity.StartTls)]
    [InlineData(TransportSecurity.None, 0, 110, TransportSecurity.None)]
    public void Auto_means_implicit_tls_on_995_and_required_stls_elsewhere(TransportSecurity given, int port, int expectedPort, TransportSecurity expected)
    {
        var options = new ConnectionOptions { Server = "mail.example.org", Port = port, Security = given };

        Assert.Equal(expectedPort, options.EffectivePort);
        Assert.Equal(expected, options.EffectiveSecurity);
    }
}
