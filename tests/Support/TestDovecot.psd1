@{
    # Test support only: starts a private Dovecot POP3 server and seeds mailboxes for PopShell's
    # end-to-end tests. Not shipped with PopShell.
    RootModule           = 'TestDovecot.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c2f8e-4d0b-4f7e-9a51-2a7c1d3e8b90'
    Author               = 'PopShell contributors'
    Description          = 'Private Dovecot POP3 server and mailbox seeding for PopShell end-to-end tests.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Install-TestDovecot'
        'Start-TestDovecot'
        'Stop-TestDovecot'
        'New-TestMailbox'
        'Add-TestMessage'
        'New-TestMessageText'
        'Get-TestServerListing'
        'Invoke-TestPop3Command'
        'Invoke-NativeCommand'
        'Get-FreeLoopbackPort'
        'New-TestCertificateFile'
        'Open-Pop3Session'
        'Close-Pop3Session'
        'Resolve-TestServerRoot'
        'New-TestMailHome'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
