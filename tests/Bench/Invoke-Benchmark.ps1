<#
.SYNOPSIS
    Benchmarks PopShell's export and header listing against the limit (a raw pipelined client),
    mpop and a naive MailKit loop, on a private Dovecot over loopback with TLS.

.DESCRIPTION
    Not part of the test suite. Needs root on Debian (it installs dovecot-pop3d, mpop and time
    with apt-get when missing) and a built module (dotnet pwsh ./build.ps1 Build).

    One private Dovecot is started with the test harness (tests/Support/TestDovecot.psm1),
    each profile is seeded once into a mailbox of its own, and every client re-reads that mailbox
    each round (nothing is ever deleted). Clients run interleaved within a round (A B C D, A B C D,
    ...), each as a fresh process under /usr/bin/time, which gives wall time, user+sys CPU time
    (including child processes) and peak RSS.

    Export clients (profiles mix and small):
      raw       tests/Bench/RawPop3Client: SslStream, USER/PASS, LIST, all RETR pipelined,
                dot-unstuffed straight into files. No fsync. The limit.
      popshell  fresh 'dotnet pwsh': Import-Module, Connect-Pop3 -Security Tls, Save-Pop3Message
                -All -Path <new dir>, Disconnect-Pop3. Start-up counts.
      mpop      mpop, keep on, fresh uidls_file and maildir each round (fetches everything).
      mailkit   fresh 'dotnet pwsh': Add-Type MailKit from the module's dependencies, then
                GetMessage(i).WriteTo(file) for each message.
      popshell-connect  the popshell process without the export (import, connect, disconnect):
                how much of popshell's time is start-up.
    Header listing (profile headers): popshell 'Get-Pop3Message | Measure-Object' in a fresh
    'dotnet pwsh' vs. the raw client sending 'TOP n 0' for every message, pipelined.

    Profiles: mix     -MessageCount messages (default 500) from 2 KB to 5 MB, mostly small, a few
                      large (about 90 KB on average, ~45 MB per 500 messages); one is 5 MB.
              small   -SmallMessageCount messages (default 5,000) of 2-5 KB.
              headers -HeaderMessageCount messages (default 10,000) of 2-5 KB, listing only.
              all     mix, small and headers.

.EXAMPLE
    dotnet pwsh ./tests/Bench/Invoke-Benchmark.ps1 -Profile mix -MessageCount 500 -Rounds 3
.EXAMPLE
    dotnet pwsh ./tests/Bench/Invoke-Benchmark.ps1 -Profile all -MessageCount 2000 -ModulePath ./out/PopShell
#>
[CmdletBinding()]
param(
    [ValidateSet('mix', 'small', 'headers', 'all')]
    [string] $Profile = 'mix',

    # Messages in the 'mix' profile.
    [ValidateRange(1, 1000000)] [int] $MessageCount = 500,
    [ValidateRange(1, 1000000)] [int] $SmallMessageCount = 5000,
    [ValidateRange(1, 1000000)] [int] $HeaderMessageCount = 10000,

    [ValidateRange(1, 100)] [int] $Rounds = 5,

    # The built module folder (holds PopShell.psd1 and dependencies/).
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/PopShell'),

    # Which export clients to run (default: all).
    # 'popshell-noprogress' (not run by default) is popshell with $ProgressPreference = 'SilentlyContinue'.
    [ValidateSet('raw', 'popshell', 'mpop', 'mailkit', 'popshell-connect', 'popshell-noprogress')]
    [string[]] $Client = @('raw', 'popshell', 'mpop', 'mailkit', 'popshell-connect'),

    # Per client run; a run that takes longer is killed and reported as failed.
    [int] $TimeoutSeconds = 1800,

    # Skip the extra, untimed-for-the-table 'Save-Pop3Message -Verbose' run per export profile.
    [switch] $NoVerboseRun,

    # Also write every measurement to the pipeline (the table is always printed).
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath)
$RawProjectDir = Join-Path $PSScriptRoot 'RawPop3Client'
$RawDll = Join-Path $RawProjectDir 'bin/Release/net10.0/RawPop3Client.dll'
$ClientsDir = Join-Path $PSScriptRoot 'Clients'

#region Setup

function Install-BenchTool {
    # mpop and GNU time from Debian, when missing.
    $missing = @(foreach ($pair in @(@('/usr/bin/mpop', 'mpop'), @('/usr/bin/time', 'time'))) {
            if (-not (Test-Path $pair[0])) { $pair[1] } })
    if (-not $missing) { return }
    if (-not (Test-Path /etc/debian_version) -or -not [Environment]::IsPrivilegedProcess) {
        throw "Missing: $($missing -join ', '). Install them (Debian: apt-get install $($missing -join ' '))."
    }
    Write-Host "apt-get install $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq --no-install-recommends @missing | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed." }
}

function Build-RawClient {
    Write-Host 'Building the raw client (Release)'
    $output = & dotnet build $RawProjectDir -c Release -nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building $RawProjectDir failed:`n$($output -join "`n")" }
}

#endregion

#region Corpus

# A block of base64 text (76-character CRLF lines) to cut message bodies from. Lines that
# started with 'A' start with '.A' instead, so dot-stuffing is exercised (~1 line in 64).
function New-BodyBlock([int] $Bytes, [int] $Seed) {
    $random = [System.Random]::new($Seed)
    $data = [byte[]]::new([int]($Bytes * 3 / 4))
    $random.NextBytes($data)
    [Convert]::ToBase64String($data, [Base64FormattingOptions]::InsertLineBreaks).Replace("`r`nA", "`r`n.A") + "`r`n"
}

# About $Size bytes of whole lines from the block.
function Get-BodySlice([string] $Block, [int] $Size, [System.Random] $Random) {
    $Size = [Math]::Min($Size, $Block.Length - 100)
    $start = $Block.IndexOf("`n", $Random.Next(0, $Block.Length - $Size)) + 1
    $end = $Block.LastIndexOf("`n", [Math]::Min($Block.Length - 1, $start + $Size))
    if ($end -le $start) { return 'x' }
    $Block.Substring($start, $end - $start + 1)
}

function Add-BenchCorpus($Mailbox, [string] $Kind, [int] $Count) {
    $random = [System.Random]::new(20240607)
    $block = New-BodyBlock -Bytes (6MB) -Seed 7
    $date = [DateTimeOffset]::new(2024, 1, 1, 8, 0, 0, [TimeSpan]::FromHours(1))
    $total = 0L
    for ($i = 1; $i -le $Count; $i++) {
        if ($Kind -eq 'mix') {
            $r = $random.NextDouble()
            $size = if ($i -eq [Math]::Max(1, [int]($Count / 2))) { 5MB }
            elseif ($r -lt 0.02) { $random.Next(1MB, 5MB) }
            elseif ($r -lt 0.15) { $random.Next(20KB, 300KB) }
            else { $random.Next(2KB, 20KB) }
        }
        else { $size = $random.Next(2KB, 5KB) }
        $sender = $i % 37
        $text = New-TestMessageText -From "Sender $sender <sender$sender@bench.test>" -Subject "Bench $Kind message $i" `
            -Date $date.AddMinutes($i) -Body (Get-BodySlice -Block $block -Size ([Math]::Max(100, $size - 350)) -Random $random)
        $total += $text.Length
        Add-TestMessage -Mailbox $Mailbox -Raw $text
    }
    $total
}

#endregion

#region Running clients

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return [double]$sorted[($n - 1) / 2] }
    ([double]$sorted[$n / 2 - 1] + [double]$sorted[$n / 2]) / 2
}

function Get-FolderStat([string] $Path) {
    if (-not (Test-Path $Path)) { return [pscustomobject]@{ Files = 0; Bytes = 0L } }
    $files = @(Get-ChildItem -LiteralPath $Path -File -Recurse -Force | Where-Object { -not $_.Name.StartsWith('.popshell') })
    [pscustomobject]@{ Files = $files.Count; Bytes = [long]($files | Measure-Object Length -Sum).Sum }
}

# Runs one command under /usr/bin/time (inside 'timeout'); returns wall, CPU, RSS and output.
function Invoke-Timed([string] $Name, [string[]] $Command) {
    $timeFile = Join-Path $script:WorkDir "time-$([guid]::NewGuid().ToString('N')).txt"
    $output = & /usr/bin/time -f '%e %U %S %M' -o $timeFile timeout --kill-after=10 $TimeoutSeconds @Command 2>&1
    $exitCode = $LASTEXITCODE
    $fields = if (Test-Path $timeFile) { @((Get-Content $timeFile | Select-Object -Last 1) -split ' ') } else { @() }
    Remove-Item $timeFile -ErrorAction Ignore
    if ($fields.Count -lt 4) { $fields = @('NaN', 'NaN', 'NaN', '0') }
    [pscustomobject]@{
        Client   = $Name
        ExitCode = $exitCode
        Wall     = [double]$fields[0]
        Cpu      = [double]$fields[1] + [double]$fields[2]
        RssMB    = [double]$fields[3] / 1024
        # Without colour escapes, whatever the child's PowerShell thought of the terminal.
        Output   = (($output | ForEach-Object { "$_" }) -join "`n") -replace '\e\[[0-9;]*m', ''
    }
}

function New-MpopConfig([string] $Folder, $Mailbox) {
    foreach ($sub in 'cur', 'new', 'tmp') { $null = New-Item -ItemType Directory -Path "$Folder/maildir/$sub" -Force }
    $fingerprint = ($script:Server.CertificateThumbprint -split '(..)' | Where-Object { $_ }) -join ':'
    $config = @"
defaults
tls on
tls_starttls off
tls_fingerprint $fingerprint
auth user
keep on
only_new on
received_header off
pipelining auto

account bench
host 127.0.0.1
port $($script:Server.TlsPort)
user $($Mailbox.UserName)
password $($Mailbox.Password)
uidls_file $Folder/uidls
delivery maildir $Folder/maildir
"@
    $path = "$Folder/mpoprc"
    [System.IO.File]::WriteAllText($path, $config)
    [System.IO.File]::SetUnixFileMode($path, [System.IO.UnixFileMode]'UserRead, UserWrite')
    $path
}

# Runs one client once against a mailbox; returns the timing plus what landed on disk.
function Invoke-BenchClient([string] $Name, $Mailbox, [int] $Round, [switch] $ShowVerbose) {
    $folder = Join-Path $script:WorkDir "$Name-$Round-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    $null = New-Item -ItemType Directory -Path $folder
    $outDir = Join-Path $folder 'out'
    $env:BENCH_USER = $Mailbox.UserName
    $env:BENCH_PASS = $Mailbox.Password
    $port = [string]$script:Server.TlsPort
    $thumb = $script:Server.CertificateThumbprint
    $pwsh = @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-File')
    $command = switch ($Name) {
        'raw' { @('dotnet', $RawDll, '--port', $port, '--user', $Mailbox.UserName, '--thumb', $thumb, '--out', $outDir) }
        'raw-top' { @('dotnet', $RawDll, '--port', $port, '--user', $Mailbox.UserName, '--thumb', $thumb, '--top') }
        'popshell' {
            $pwsh + @("$ClientsDir/PopShell.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb, '-OutDir', $outDir) +
            $(if ($ShowVerbose) { @('-ShowVerbose') } else { @() })
        }
        'popshell-noprogress' {
            $pwsh + @("$ClientsDir/PopShell.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb, '-OutDir', $outDir, '-NoProgress')
        }
        'popshell-list' { $pwsh + @("$ClientsDir/PopShell.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb, '-List') }
        'popshell-connect' { $pwsh + @("$ClientsDir/PopShell.ps1", '-ModulePath', $ModulePath, '-Port', $port, '-Thumbprint', $thumb, '-ConnectOnly') }
        'mailkit' { $pwsh + @("$ClientsDir/MailKitLoop.ps1", '-DependencyPath', (Join-Path $ModulePath 'dependencies'), '-Port', $port, '-Thumbprint', $thumb, '-OutDir', $outDir) }
        'mpop' { $outDir = "$folder/maildir"; @('mpop', '--quiet', '-C', (New-MpopConfig -Folder $folder -Mailbox $Mailbox), 'bench') }
        default { throw "Unknown client $Name" }
    }
    try {
        $result = Invoke-Timed -Name $Name -Command $command
        $stat = Get-FolderStat $outDir
        if ($Name -in 'raw-top', 'popshell-list' -and $result.Output -match '(?:raw: |listed )(\d+)') {
            # Listing only: count what the client says it listed; nothing is on disk.
            $stat = [pscustomobject]@{ Files = [int]$Matches[1]; Bytes = 0L }
        }
        $result | Add-Member -NotePropertyMembers @{ Round = $Round; Files = $stat.Files; Bytes = $stat.Bytes }
        if ($result.ExitCode -ne 0) {
            Write-Warning "$Name (round $Round) exited with $($result.ExitCode):`n$($result.Output)"
        }
        $result
    }
    finally {
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        Remove-Item Env:BENCH_PASS, Env:BENCH_USER -ErrorAction Ignore
    }
}

function Show-Summary([string] $Title, [object[]] $Results, [string[]] $Order, [int] $ExpectedFiles) {
    $summary = foreach ($name in $Order) {
        $runs = @($Results | Where-Object { $_.Client -eq $name -and $_.ExitCode -eq 0 })
        $failed = @($Results | Where-Object { $_.Client -eq $name -and $_.ExitCode -ne 0 }).Count
        if (-not $runs) { [pscustomobject]@{ Client = $name; Runs = 0; Failed = $failed }; continue }
        $walls = [double[]]@($runs.Wall)
        [pscustomobject]@{
            Client = $name
            Runs   = $runs.Count
            Failed = $failed
            Wall   = Get-Median $walls
            Min    = ($walls | Measure-Object -Minimum).Minimum
            Max    = ($walls | Measure-Object -Maximum).Maximum
            Cpu    = Get-Median ([double[]]@($runs.Cpu))
            RssMB  = Get-Median ([double[]]@($runs.RssMB))
            Files  = ($runs.Files | Sort-Object -Unique) -join '/'
            MB     = (($runs.Bytes | Sort-Object -Unique) | ForEach-Object { '{0:0.0}' -f ($_ / 1MB) }) -join '/'
        }
    }
    $raw = $summary | Where-Object { $_.Client -like 'raw*' -and $_.PSObject.Properties['Wall'] } | Select-Object -First 1
    $mpop = $summary | Where-Object { $_.Client -eq 'mpop' -and $_.PSObject.Properties['Wall'] } | Select-Object -First 1
    Write-Host ''
    Write-Host "== $Title ==" -ForegroundColor Cyan
    $summary | Format-Table -AutoSize @(
        @{ Label = 'Client'; Expression = { $_.Client } }
        @{ Label = 'Runs'; Expression = { if ($_.Failed) { "$($_.Runs) ($($_.Failed) failed)" } else { $_.Runs } }; Align = 'Right' }
        @{ Label = 'Wall s (median)'; Expression = { if ($_.PSObject.Properties['Wall']) { '{0:0.00}' -f $_.Wall } }; Align = 'Right' }
        @{ Label = 'min-max'; Expression = { if ($_.PSObject.Properties['Wall']) { '{0:0.00}-{1:0.00}' -f $_.Min, $_.Max } }; Align = 'Right' }
        @{ Label = 'CPU s'; Expression = { if ($_.PSObject.Properties['Cpu']) { '{0:0.00}' -f $_.Cpu } }; Align = 'Right' }
        @{ Label = 'Peak RSS MB'; Expression = { if ($_.PSObject.Properties['RssMB']) { '{0:0}' -f $_.RssMB } }; Align = 'Right' }
        @{ Label = 'x raw'; Expression = { if ($raw -and $_.PSObject.Properties['Wall']) { '{0:0.00}' -f ($_.Wall / $raw.Wall) } }; Align = 'Right' }
        @{ Label = 'x mpop'; Expression = { if ($mpop -and $_.PSObject.Properties['Wall']) { '{0:0.00}' -f ($_.Wall / $mpop.Wall) } }; Align = 'Right' }
        @{ Label = 'Msgs'; Expression = { if ($_.PSObject.Properties['Files']) { $_.Files } }; Align = 'Right' }
        @{ Label = 'MB on disk'; Expression = { if ($_.PSObject.Properties['MB']) { $_.MB } }; Align = 'Right' }
    ) | Out-String -Width 200 | Write-Host
    if ($ExpectedFiles) {
        foreach ($row in $summary) {
            if ($row.PSObject.Properties['Files'] -and $row.Files -ne '0' -and $row.Files -ne "$ExpectedFiles") {
                Write-Warning "$($row.Client) wrote $($row.Files) files, expected $ExpectedFiles."
            }
        }
    }
}

function Invoke-Rounds([string] $Title, $Mailbox, [string[]] $Clients, [int] $ExpectedFiles) {
    # Warm-up (not measured): Dovecot indexes the mailbox and caches sizes at the first session.
    $warm = Invoke-BenchClient -Name $(if ($Clients -contains 'raw-top') { 'raw-top' } else { 'raw' }) -Mailbox $Mailbox -Round 0
    Write-Host "warm-up: $($warm.Output) ($('{0:0.00}' -f $warm.Wall) s)"
    $results = [System.Collections.Generic.List[object]]::new()
    for ($round = 1; $round -le $Rounds; $round++) {
        foreach ($name in $Clients) {
            $result = Invoke-BenchClient -Name $name -Mailbox $Mailbox -Round $round
            $results.Add($result)
            Write-Host ('  round {0} {1,-16} {2,7:0.00} s wall {3,7:0.00} s CPU {4,6:0} MB RSS  {5} files' -f $round, $name, $result.Wall, $result.Cpu, $result.RssMB, $result.Files)
        }
    }
    Show-Summary -Title $Title -Results $results -Order $Clients -ExpectedFiles $ExpectedFiles
    if ($PassThru) { $results | ForEach-Object { $_ | Add-Member -NotePropertyName Profile -NotePropertyValue $Title -PassThru } }
}

#endregion

if (-not (Test-Path (Join-Path $ModulePath 'PopShell.psd1'))) {
    throw "No module at $ModulePath. Build it first: dotnet pwsh ./build.ps1 Build"
}
Import-Module (Join-Path $RepoRoot 'tests/Support/TestDovecot.psd1') -Force
Install-BenchTool
Install-TestDovecot
Build-RawClient

$profiles = if ($Profile -eq 'all') { @('mix', 'small', 'headers') } else { @($Profile) }
$script:WorkDir = Join-Path ([System.IO.Path]::GetTempPath()) "popshell-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $script:WorkDir
$script:Server = $null
# 'dotnet pwsh' finds its tool manifest from the current folder.
Push-Location $RepoRoot
try {
    $script:Server = Start-TestDovecot
    Write-Host "Dovecot on 127.0.0.1:$($script:Server.TlsPort) (TLS); work folder $script:WorkDir"
    Write-Host "Module: $ModulePath; $Rounds round(s); $([Environment]::ProcessorCount) CPU(s)"

    foreach ($name in $profiles) {
        $count = switch ($name) { 'mix' { $MessageCount } 'small' { $SmallMessageCount } 'headers' { $HeaderMessageCount } }
        $mailbox = New-TestMailbox -Server $script:Server -UserName "bench-$name"
        $seedTimer = [System.Diagnostics.Stopwatch]::StartNew()
        $kind = if ($name -eq 'mix') { 'mix' } else { 'small' }
        $bytes = Add-BenchCorpus -Mailbox $mailbox -Kind $kind -Count $count
        Write-Host ''
        Write-Host ("Profile {0}: seeded {1} messages, {2:0.0} MB in {3:0.0} s" -f $name, $count, ($bytes / 1MB), $seedTimer.Elapsed.TotalSeconds)

        if ($name -eq 'headers') {
            Invoke-Rounds -Title "headers: list $count messages (TOP n 0)" -Mailbox $mailbox -Clients @('raw-top', 'popshell-list') -ExpectedFiles $count
            continue
        }
        $clients = @('raw', 'popshell', 'popshell-noprogress', 'mpop', 'mailkit', 'popshell-connect') | Where-Object { $_ -in $Client }
        Invoke-Rounds -Title "$name`: export $count messages ($('{0:0.0}' -f ($bytes / 1MB)) MB)" -Mailbox $mailbox -Clients $clients -ExpectedFiles $count
        if (-not $NoVerboseRun -and $Client -contains 'popshell') {
            $verbose = Invoke-BenchClient -Name 'popshell' -Mailbox $mailbox -Round 99 -ShowVerbose
            Write-Host ("PopShell -Verbose run ({0:0.00} s wall, {1:0.00} s CPU):" -f $verbose.Wall, $verbose.Cpu)
            $verbose.Output -split "`n" | Where-Object { $_ -match 'VERBOSE: Sav(ed|ing from)' } | ForEach-Object { Write-Host "  $_" }
        }
    }
}
finally {
    Pop-Location
    if ($script:Server) { Stop-TestDovecot -Server $script:Server }
    Remove-Item -LiteralPath $script:WorkDir -Recurse -Force -ErrorAction Ignore
}
