BeforeDiscovery {
    # The cmdlets and their examples come from the built module's help, so a new cmdlet or a new
    # example is tested without touching this file.
    Import-Module $env:POPSHELL_MODULE_PATH -Force
    $notRunnable = '(?m)^\s*#\s*not runnable in tests:\s*(?<reason>\S.*)$'
    $cmdlets = @(Get-Command -Module PopShell -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $examples = @(foreach ($cmdlet in $cmdlets) {
            $number = 0
            foreach ($example in (Get-Help $cmdlet.Name -Full).examples.example) {
                $number++
                $marker = [regex]::Match([string]$example.code, $notRunnable)
                @{
                    Command  = $cmdlet.Name
                    Number   = $number
                    Title    = ([string]$example.title).Trim(' -') -replace '^Example \d+:\s*', ''
                    Code     = [string]$example.code
                    Runnable = -not $marker.Success
                }
            }
        })
    $runnableExamples = @($examples | Where-Object Runnable)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The names the help's examples use, and what they stand for here. Examples say port 995 for
    # implicit TLS; the test server's TLS port is another, where -Security Auto would mean STLS.
    $ExampleServerNames = 'mail.example.com', 'pop.example.net'
    $ExampleThumbprint = '2CB57AB3AAD54E91C0F3D2A1B9E8C7D6F5A4B3C2D1E0F9A8B7C6D5E4F3A2623C'
    # The same marker BeforeDiscovery looks for (discovery and run do not share variables).
    $NotRunnableMarker = '(?m)^\s*#\s*not runnable in tests:\s*\S'

    function Get-DeclaredParameter([string] $Name) {
        # What the cmdlet itself declares, without the common parameters Get-Help adds on its own.
        (Get-Command $Name).Parameters.Values | Where-Object Name -notin ([System.Management.Automation.Cmdlet]::CommonParameters)
    }

    function New-AttachmentMessageText {
        # A multipart message with one attachment, as the Save-Pop3Attachment examples expect to find.
        param([string] $From, [string] $Subject, [DateTimeOffset] $Date, [string] $FileName, [int] $Size)
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        $dateText = $Date.ToString('ddd, dd MMM yyyy HH:mm:ss ', $invariant) + $Date.ToString('zzz', $invariant).Replace(':', '')
        $content = [byte[]]::new($Size)
        [System.Random]::new($Size).NextBytes($content)
        $base64 = [Convert]::ToBase64String($content, [System.Base64FormattingOptions]::InsertLineBreaks)
        @(
            "Date: $dateText"
            "From: $From"
            'To: Alice <alice@example.com>'
            "Subject: $Subject"
            "Message-ID: <$([guid]::NewGuid().ToString('N'))@popshell.test>"
            'MIME-Version: 1.0'
            'Content-Type: multipart/mixed; boundary="popshell-part"'
            ''
            '--popshell-part'
            'Content-Type: text/plain; charset=utf-8'
            ''
            'The document is attached.'
            '--popshell-part'
            'Content-Type: application/pdf'
            "Content-Disposition: attachment; filename=`"$FileName`""
            'Content-Transfer-Encoding: base64'
            ''
            $base64
            '--popshell-part--'
            ''
        ) -join "`r`n"
    }

    function New-ExampleMailbox {
        # A fresh mailbox with what the examples look for: invoices with PDFs from example.org, a
        # newsletter, a message copied to support@, old and recent mail.
        $mailbox = New-TestMailbox -Server $TestServer
        $now = [DateTimeOffset]::Now
        @(
            New-AttachmentMessageText -From 'Billing <billing@example.org>' -Subject 'Invoice 2024-0042' -Date $now.AddDays(-100) -FileName 'invoice-2024-0042.pdf' -Size 60000
            New-TestMessageText -From 'Example News <newsletter@news.example.com>' -To 'alice@example.com' -Subject 'Weekly news' -Date $now.AddDays(-45)
            New-TestMessageText -From 'Bob <bob@example.org>' -To 'Alice <alice@example.com>' -Cc 'Support <support@example.com>' -Subject 'Re: printer' -Date $now.AddDays(-10) `
                -ExtraHeaders 'Received: from mx.example.org by mail.example.com; Mon, 1 Jan 2024 00:00:00 +0000'
            New-TestMessageText -From 'Carol <carol@example.net>' -To 'alice@example.com' -Subject 'Lunch?' -Date $now.AddDays(-1)
            New-AttachmentMessageText -From 'Billing <billing@example.org>' -Subject 'Invoice 2024-0057' -Date $now.AddDays(-2) -FileName 'invoice-2024-0057.pdf' -Size 80000
        ) | Add-TestMessage -Mailbox $mailbox
        $mailbox
    }

    function ConvertTo-TestExampleCode([string] $Code) {
        # The example as it would be typed, pointed at the test server instead of example.com.
        foreach ($name in $ExampleServerNames) { $Code = $Code -replace [regex]::Escape($name), $TestServer.HostName }
        $Code = $Code -replace '-Port 995\b', "-Port $($TestServer.TlsPort) -Security Tls"
        $Code = $Code -replace $ExampleThumbprint, $TestServer.CertificateThumbprint
        $Code -replace '\bImport-Module PopShell\b', "Import-Module '$($env:POPSHELL_MODULE_PATH)'"
    }

    function Invoke-HelpExample {
        <#
            Runs example code in a runspace of its own, as a user would at a fresh prompt: the module
            loaded, $cred set, a default session open (most examples start from one), Connect-Pop3
            pinned to the test certificate and pointed at the test port, and Get-Credential answered
            with $cred. Returns the error records the example wrote; throws if it threw.
        #>
        param([Parameter(Mandatory)] [string] $Code, [Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [string] $WorkingDirectory)
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            $runspace.SessionStateProxy.SetVariable('cred', $Mailbox.Credential)
            $runspace.SessionStateProxy.SetVariable('PSDefaultParameterValues', @{
                    'Connect-Pop3:Port'                  = $TestServer.PlainPort
                    'Connect-Pop3:CertificateThumbprint' = $TestServer.CertificateThumbprint
                    'Export-Pop3Mailbox:Port'                  = $TestServer.PlainPort
                    'Export-Pop3Mailbox:CertificateThumbprint' = $TestServer.CertificateThumbprint
                })
            $runspace.SessionStateProxy.Path.SetLocation($WorkingDirectory) | Out-Null

            $setup = [powershell]::Create($runspace)
            $null = $setup.AddScript(@"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
function Get-Credential { `$cred }
`$null = Connect-Pop3 '$($TestServer.HostName)' -Credential `$cred
"@).Invoke()
            if ($setup.Streams.Error.Count) { throw "The example's setup failed: $($setup.Streams.Error[0])" }
            $setup.Dispose()

            $example = [powershell]::Create($runspace)
            try {
                $null = $example.AddScript($Code).Invoke()
                @($example.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            }
            finally {
                $example.Dispose()
            }
        }
        finally {
            # Sessions the example left open end here, keeping every message; nothing is left to the
            # finalizer. In a scope of its own, so an example's $ErrorActionPreference does not apply.
            $cleanup = [powershell]::Create($runspace)
            $null = $cleanup.AddScript('foreach ($session in @(Get-Pop3Session)) { Disconnect-Pop3 -Session $session -Discard -ErrorAction Continue }', $true).Invoke()
            $cleanup.Dispose()
            $runspace.Dispose()
        }
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $declared = @(Get-DeclaredParameter $Name)
        $documented = @($help.parameters.parameter)
    }

    It 'has a synopsis of its own, not the generated syntax line' {
        [string]$help.Synopsis | Should -Not -BeNullOrEmpty
        [string]$help.Synopsis | Should -Not -BeLike "$Name *"
    }

    It 'has a description' {
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            ([string]$example.code).Trim() | Should -Not -BeNullOrEmpty -Because $example.title
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because $example.title
        }
    }

    It 'shows every parameter the cmdlet declares, each with its description' {
        # Syntax, types, sets and pipeline input are written from the cmdlet itself by help/Build-Help.ps1,
        # so they cannot disagree with it; what only the Markdown says must reach Get-Help.
        foreach ($parameter in $declared) {
            $entry = @($documented | Where-Object name -eq $parameter.Name)
            $entry.Count | Should -Be 1 -Because "Get-Help $Name -Full should show -$($parameter.Name)"
            ($entry[0].description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }
}

Describe 'about_PopShell' {
    BeforeAll {
        $topic = Get-Help about_PopShell
        $path = Join-Path (Split-Path $env:POPSHELL_MODULE_PATH) 'en-US/about_PopShell.help.txt'
    }

    It 'is found by Get-Help' {
        "$topic" | Should -Match '(?m)^SHORT DESCRIPTION\s+How PopShell works'
    }

    It 'explains sessions, commit at QUIT, UIDs, the security defaults and incremental exports' {
        foreach ($concept in 'default session', 'runspace', 'QUIT', 'Disconnect-Pop3 -Discard', 'UID', 'STLS', 'CertificateThumbprint',
            'AuthenticationMechanism', 'OAuth2', 'journal', '-NewOnly', 'Byte-exact', 'renamed into place') {
            "$topic" | Should -BeLike "*$concept*" -Because "about_PopShell should explain $concept"
        }
    }

    It 'keeps every line under 80 characters' {
        $long = @(Get-Content -LiteralPath $path | Where-Object Length -ge 80)
        $long | Should -BeNullOrEmpty
    }
}

Describe 'The examples in the help' {
    It 'can run at least two examples of each cmdlet here, and excludes the others only by their marker' {
        foreach ($cmdlet in Get-Command -Module PopShell -CommandType Cmdlet) {
            $codes = @((Get-Help $cmdlet.Name -Full).examples.example | ForEach-Object { [string]$_.code })
            $runnable = @($codes | Where-Object { $_ -notmatch $NotRunnableMarker })
            $runnable.Count | Should -BeGreaterOrEqual 2 -Because "$($cmdlet.Name) should have examples that run against a real server"
            # A marker without a reason would exclude an example without saying why.
            @($codes | Where-Object { $_ -match '(?mi)not runnable' -and $_ -notmatch $NotRunnableMarker }) |
                Should -BeNullOrEmpty
        }
    }

    It '<Command> example <Number> runs against a real server: <Title>' -ForEach $runnableExamples {
        $mailbox = New-ExampleMailbox
        $directory = New-Item -ItemType Directory -Path (Join-Path $TestDrive "$Command-$Number")
        $outcome = @{}
        { $outcome.Errors = Invoke-HelpExample -Code (ConvertTo-TestExampleCode $Code) -Mailbox $mailbox -WorkingDirectory $directory.FullName } |
            Should -Not -Throw
        $outcome.Errors | Should -BeNullOrEmpty
    }
}

Describe 'Building the help' {
    BeforeAll {
        $HelpSource = Join-Path $PSScriptRoot '../../help'

        function Invoke-HelpBuild {
            <#
                Runs help/Build-Help.ps1 in a pwsh of its own (as build.ps1 does) over a copy of the help in
                which $Change rewrote Get-Pop3Session.md. Returns the exit code and what it wrote to stderr.
            #>
            param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Change)
            $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name)
            Copy-Item -Recurse (Join-Path $HelpSource 'en-US') (Join-Path $root 'help/en-US')
            $file = Join-Path $root 'help/en-US/Get-Pop3Session.md'
            Set-Content -LiteralPath $file -Value (& $Change (Get-Content -LiteralPath $file -Raw)) -NoNewline
            $script = Join-Path $root 'build-help.ps1'
            Set-Content -LiteralPath $script -Value @"
& '$(Join-Path $HelpSource 'Build-Help.ps1')' -ModuleDirectory '$(Split-Path $env:POPSHELL_MODULE_PATH)' -SourceDirectory '$(Join-Path $root 'help')' -OutputDirectory '$(Join-Path $root 'out')'
exit `$LASTEXITCODE
"@
            $process = Start-ChildPwsh -ScriptPath $script -Wait
            [pscustomobject]@{ ExitCode = $process.ExitCode; Error = (Get-Content -LiteralPath "$script.log.err" -Raw) }
        }
    }

    It 'stops at a parameter the Markdown does not describe, naming the file and the PARAMETERS line' {
        $outcome = Invoke-HelpBuild -Name 'undescribed' -Change { param($text) $text -replace '(?s)### -Current\n.*?(?=## INPUTS)', '' }
        $outcome.ExitCode | Should -Be 1
        $outcome.Error | Should -Match 'help/en-US/Get-Pop3Session\.md:\d+: Get-Pop3Session has a parameter -Current that PARAMETERS does not describe'
    }

    It 'stops at a description of a parameter the cmdlet does not have, naming its line' {
        $outcome = Invoke-HelpBuild -Name 'unknown' -Change { param($text) $text -replace '### -Current', "### -Latest`nThe newest session.`n`n### -Current" }
        $outcome.ExitCode | Should -Be 1
        $outcome.Error | Should -Match 'help/en-US/Get-Pop3Session\.md:\d+: Get-Pop3Session has no parameter -Latest'
    }
}
