namespace PopShell.Engine.Sessions
{
    /// <summary>How the connection is protected. There is deliberately no "TLS if offered" mode:
    /// a man in the middle can strip the offer, so every mode either requires TLS or explicitly has none.</summary>
    public enum TransportSecurity
    {
        /// <summary>Implicit TLS on port 995, required STLS on any other port.</summary>
        Auto,
        /// <summary>Implicit TLS from the first byte (POP3S).</summary>
        Tls,
        /// <summary>Plain connection upgraded with STLS; failing to upgrade is an error.</summary>
        StartTls,
        /// <summary>No encryption at all.</summary>
        None,
    }
}
