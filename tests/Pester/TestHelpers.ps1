# Dot-sourced by every test file's BeforeAll: loads the module under test and the Dovecot harness,
# and gives each file the shared private server. Each file makes its own mailboxes on it.
Import-Module $env:POPSHELL_MODULE_PATH -Force
Import-Module (Join-Path $PSScriptRoot '../Support/PopShell.TestServer.psm1') -Force
$TestServer = $env:POPSHELL_TEST_SERVER | ConvertFrom-Json

function Connect-TestMailbox {
    # Connects to a test mailbox over STLS, pinning the test certificate (Connect-Pop3's own defaults otherwise).
    param([Parameter(Mandatory)] $Mailbox, [hashtable] $Extra = @{})
    Connect-Pop3 $TestServer.HostName -Port $TestServer.PlainPort -Credential $Mailbox.Credential `
        -CertificateThumbprint $TestServer.CertificateThumbprint @Extra
}

function Get-Sha256Hex([byte[]] $Bytes) {
    [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData($Bytes)).Replace('-', '')
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}
