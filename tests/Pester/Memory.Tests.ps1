BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Add-LargeMessage {
        # Writes one message of about $Megabytes MB straight into the mailbox's Maildir, a block at a
        # time (the test process never holds it whole), and returns its length and SHA-256. Its body
        # is base64-like lines of 76 characters, one in 64 starting with a dot, so the export
        # dot-unstuffs all the way through.
        param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [int] $Megabytes, [Parameter(Mandatory)] [string] $Subject)
        $header = [System.Text.Encoding]::ASCII.GetBytes("From: big@example.org`r`nTo: bob@example.net`r`nSubject: $Subject`r`nDate: Mon, 01 Sep 2025 10:00:00 +0000`r`nMessage-ID: <$([guid]::NewGuid())@example.org>`r`n`r`n")
        $block = [System.Text.StringBuilder]::new()
        $random = [System.Random]::new(16)
        $bytes = [byte[]]::new(57)
        for ($line = 0; $block.Length -lt 1MB; $line++) {
            $random.NextBytes($bytes)
            $text = [Convert]::ToBase64String($bytes)
            if ($line % 64 -eq 0) { $text = '.' + $text.Substring(1) }
            $null = $block.Append($text).Append("`r`n")
        }
        $blockBytes = [System.Text.Encoding]::ASCII.GetBytes($block.ToString())
        $name = '{0}.M0P{1}Q0.popshell-memory' -f [DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), $PID
        $temporary = Join-Path $Mailbox.MaildirPath "tmp/$name"
        $hash = [System.Security.Cryptography.IncrementalHash]::CreateHash('SHA256')
        # What a client receives: the line that starts with a dot arrives as it is written here, dot-stuffed by the server.
        $file = [System.IO.File]::Create($temporary)
        try {
            $file.Write($header, 0, $header.Length)
            $hash.AppendData($header)
            for ($i = 0; $i -lt $Megabytes; $i++) {
                $file.Write($blockBytes, 0, $blockBytes.Length)
                $hash.AppendData($blockBytes)
            }
            $length = $file.Length
        }
        finally { $file.Dispose() }
        [System.IO.File]::SetUnixFileMode($temporary, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
        [System.IO.File]::Move($temporary, (Join-Path $Mailbox.MaildirPath "new/$name"))
        [pscustomobject]@{ Length = $length; Sha256 = [System.BitConverter]::ToString($hash.GetHashAndReset()).Replace('-', '') }
    }

    function Add-OneLineMessage {
        # Writes a message whose body is one line of $Megabytes MB straight into the Maildir and
        # returns the SHA-256 of the message with LF line ends: what Maildir and mbox keep of it.
        param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [int] $Megabytes)
        $header = "From: wide@example.org`r`nSubject: One line`r`nDate: Mon, 01 Sep 2025 10:00:00 +0000`r`n`r`n"
        $block = [byte[]]::new(1MB)
        [System.Array]::Fill($block, [byte][char]'x')
        $name = '{0}.M1P{1}Q0.popshell-memory' -f [DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), $PID
        $temporary = Join-Path $Mailbox.MaildirPath "tmp/$name"
        $lf = [System.Security.Cryptography.IncrementalHash]::CreateHash('SHA256')
        $file = [System.IO.File]::Create($temporary)
        try {
            $bytes = [System.Text.Encoding]::ASCII.GetBytes($header)
            $file.Write($bytes, 0, $bytes.Length)
            $lf.AppendData([System.Text.Encoding]::ASCII.GetBytes($header.Replace("`r`n", "`n")))
            for ($i = 0; $i -lt $Megabytes; $i++) {
                $file.Write($block, 0, $block.Length)
                $lf.AppendData($block)
            }
            $file.Write([byte[]](13, 10), 0, 2)
            $lf.AppendData([byte[]](10))
        }
        finally { $file.Dispose() }
        [System.IO.File]::SetUnixFileMode($temporary, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
        [System.IO.File]::Move($temporary, (Join-Path $Mailbox.MaildirPath "new/$name"))
        [System.BitConverter]::ToString($lf.GetHashAndReset()).Replace('-', '')
    }

    function Invoke-MeasuredScript {
        # Runs a script in a fresh pwsh that then reports its own peak working set (VmHWM on Linux)
        # and whatever the script returned, as JSON.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Body)
        $report = Join-Path $TestDrive "$Name.json"
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$result = & { $Body }
[ordered]@{ PeakBytes = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64; Result = `$result } | ConvertTo-Json -Depth 4 | Set-Content '$report'
"@ | Set-Content (Join-Path $TestDrive "$Name.ps1")
        $process = Start-ChildPwsh (Join-Path $TestDrive "$Name.ps1") -Wait
        $process.ExitCode | Should -Be 0 -Because (Get-Content (Join-Path $TestDrive "$Name.ps1.log.err") -Raw)
        Get-Content $report -Raw | ConvertFrom-Json
    }

    function Get-ConnectLine($Mailbox) {
        "Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential ([pscredential]::new('$($Mailbox.UserName)', (ConvertTo-SecureString '$($Mailbox.Password)' -AsPlainText -Force))) -CertificateThumbprint '$($TestServer.CertificateThumbprint)'"
    }

    # The baseline: pwsh with the module imported and nothing else.
    $bare = Invoke-MeasuredScript -Name 'bare' -Body '$null'
}

Describe 'Save-Pop3Message memory' {
    It 'exports a 1 GB message byte-exact with a peak working set less than 64 MB above a bare pwsh' {
        $mailbox = New-TestMailbox -Server $TestServer
        $message = Add-LargeMessage -Mailbox $mailbox -Megabytes 1024 -Subject 'One gigabyte'
        $folder = Join-Path $TestDrive 'one-gigabyte'

        $run = Invoke-MeasuredScript -Name 'one-gigabyte' -Body @"
`$session = $(Get-ConnectLine $mailbox)
Save-Pop3Message -Session `$session -All -Path '$folder' | Select-Object Path, Sha256, Size
Disconnect-Pop3 -Session `$session
"@
        Write-Host ('    1 GB export: peak working set {0:0} MB, bare pwsh {1:0} MB, {2:0} MB above bare' -f ($run.PeakBytes / 1MB), ($bare.PeakBytes / 1MB), (($run.PeakBytes - $bare.PeakBytes) / 1MB))
        try {
            $saved = @($run.Result)
            $saved | Should -HaveCount 1
            $saved[0].Sha256 | Should -Be $message.Sha256
            (Get-Item $saved[0].Path).Length | Should -Be $message.Length
            [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::OpenRead($saved[0].Path))).Replace('-', '') |
                Should -Be $message.Sha256 -Because 'the file on disk, not only the reported hash, must hold the bytes served'
            ($run.PeakBytes - $bare.PeakBytes) / 1MB | Should -BeLessThan 64 -Because "peak $([Math]::Round($run.PeakBytes / 1MB)) MB, bare $([Math]::Round($bare.PeakBytes / 1MB)) MB"
        }
        finally {
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
            Remove-Item -LiteralPath $mailbox.MaildirPath -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'exports eight 200 MB messages from eight mailboxes in parallel with a peak working set less than 256 MB above a bare pwsh' {
        $mailboxes = 1..8 | ForEach-Object { New-TestMailbox -Server $TestServer }
        $messages = foreach ($mailbox in $mailboxes) { Add-LargeMessage -Mailbox $mailbox -Megabytes 200 -Subject "Parallel $($mailbox.UserName)" }
        $root = Join-Path $TestDrive 'parallel'
        $jobs = for ($i = 0; $i -lt 8; $i++) { "@{ Connect = { $(Get-ConnectLine $mailboxes[$i]) }.ToString(); Folder = '$(Join-Path $root $i)' }" }

        $run = Invoke-MeasuredScript -Name 'parallel' -Body @"
@($($jobs -join ', ')) | ForEach-Object -ThrottleLimit 8 -Parallel {
    Import-Module '$($env:POPSHELL_MODULE_PATH)'
    `$session = & ([scriptblock]::Create(`$_.Connect))
    Save-Pop3Message -Session `$session -All -Path `$_.Folder | Select-Object Path, Sha256
    Disconnect-Pop3 -Session `$session
}
"@
        Write-Host ('    8 x 200 MB in parallel: peak working set {0:0} MB, bare pwsh {1:0} MB, {2:0} MB above bare' -f ($run.PeakBytes / 1MB), ($bare.PeakBytes / 1MB), (($run.PeakBytes - $bare.PeakBytes) / 1MB))
        try {
            $saved = @($run.Result)
            $saved | Should -HaveCount 8
            @($saved.Sha256 | Sort-Object) | Should -Be @($messages.Sha256 | Sort-Object)
            ($run.PeakBytes - $bare.PeakBytes) / 1MB | Should -BeLessThan 256 -Because "peak $([Math]::Round($run.PeakBytes / 1MB)) MB, bare $([Math]::Round($bare.PeakBytes / 1MB)) MB"
        }
        finally {
            Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction Ignore
            foreach ($mailbox in $mailboxes) { Remove-Item -LiteralPath $mailbox.MaildirPath -Recurse -Force -ErrorAction Ignore }
        }
    }

    It 'exports a message that is one 200 MB line as Maildir and as mbox with a peak working set less than 64 MB above a bare pwsh' {
        # Maildir and mbox rewrite line ends as they copy: a line is never held whole, however long.
        $mailbox = New-TestMailbox -Server $TestServer
        $lfHash = Add-OneLineMessage -Mailbox $mailbox -Megabytes 200
        $maildir = Join-Path $TestDrive 'one-line-maildir'
        $mbox = Join-Path $TestDrive 'one-line.mbox'

        $run = Invoke-MeasuredScript -Name 'one-line' -Body @"
`$session = $(Get-ConnectLine $mailbox)
Save-Pop3Message -Session `$session -All -Path '$maildir' -Format Maildir | Select-Object Path
Save-Pop3Message -Session `$session -All -Path '$mbox' -Format Mbox | Select-Object Path
Disconnect-Pop3 -Session `$session
"@
        Write-Host ('    one 200 MB line, Maildir and mbox: peak working set {0:0} MB, bare pwsh {1:0} MB, {2:0} MB above bare' -f ($run.PeakBytes / 1MB), ($bare.PeakBytes / 1MB), (($run.PeakBytes - $bare.PeakBytes) / 1MB))
        try {
            $saved = @($run.Result)
            $saved | Should -HaveCount 2
            $delivered = @(Get-ChildItem -LiteralPath (Join-Path $maildir 'new') -File)
            $delivered | Should -HaveCount 1
            [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::OpenRead($delivered[0].FullName))).Replace('-', '') |
                Should -Be $lfHash -Because 'the Maildir file is the message with LF line ends'
            (Get-Item -LiteralPath $mbox).Length | Should -BeGreaterThan (200MB)
            ($run.PeakBytes - $bare.PeakBytes) / 1MB | Should -BeLessThan 64 -Because "peak $([Math]::Round($run.PeakBytes / 1MB)) MB, bare $([Math]::Round($bare.PeakBytes / 1MB)) MB"
        }
        finally {
            Remove-Item -LiteralPath $maildir, $mbox -Recurse -Force -ErrorAction Ignore
            Remove-Item -LiteralPath $mailbox.MaildirPath -Recurse -Force -ErrorAction Ignore
        }
    }
}
