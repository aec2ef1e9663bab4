@{
    # Test support only, not shipped with PopShell: the private POP3 servers of the end-to-end tests
    # and the benchmark, and what they share. One module per job:
    #   TestHost          running programs, free ports, a server's folder, the mail user
    #   TestPackages      apt-get with no service allowed to start
    #   TestCertificates  throw-away TLS certificates and certificate authority
    #   TestDovecot       a private Dovecot: config, start, stop, users
    #   TestCourier       a private Courier, unpacked from its .deb files, in a mount namespace
    #   TestMaildir       mailboxes seeded by writing Maildir files
    #   TestMessageText   test mail as MIME text
    #   TestPop3Client    a raw POP3 client: the tests' independent view of a server
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c2f8e-4d0b-4f7e-9a51-2a7c1d3e8b90'
    Author               = 'PopShell contributors'
    Description          = 'Private POP3 servers (Dovecot, Courier) and mailbox seeding for PopShell end-to-end tests and benchmark.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @(
        'TestHost.psm1'
        'TestPackages.psm1'
        'TestCertificates.psm1'
        'TestMaildir.psm1'
        'TestMessageText.psm1'
        'TestPop3Client.psm1'
        'TestDovecot.psm1'
        'TestCourier.psm1'
    )
    FunctionsToExport    = @(
        'Install-TestDovecot'
        'Start-TestDovecot'
        'Stop-TestDovecot'
        'New-TestMailbox'
        'Install-TestCourier'
        'Start-TestCourier'
        'Stop-TestCourier'
        'New-TestCourierMailbox'
        'Wait-TestCourierIdle'
        'Add-TestMessage'
        'New-TestMessageText'
        'Get-TestServerListing'
        'Invoke-TestPop3Command'
        'Get-FreeLoopbackPort'
        'New-TestCertificateFile'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
