namespace PopShell
{
    /// <summary>How <c>Connect-Pop3</c> protects the connection.</summary>
    public enum Pop3SecurityMode
    {
        /// <summary>Implicit TLS on port 995, required STLS on any other port.</summary>
        Auto,
        /// <summary>Implicit TLS from the first byte (POP3S, usually port 995).</summary>
        Tls,
        /// <summary>Plain connection upgraded with STLS (usually port 110); failing to upgrade is an error.</summary>
        StartTls,
        /// <summary>No encryption. A password or token then needs -AllowUnencryptedAuthentication.</summary>
        None,
    }
}
