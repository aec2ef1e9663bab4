<#
.SYNOPSIS
    Builds, tests and demonstrates PopShell.

.DESCRIPTION
    One function per task, run top to bottom:
      Build  compiles the module into out/PopShell (manifest, cmdlet assembly, format file and help
             at the root; the engine, its load context for PowerShell 7 and MailKit/MimeKit/BouncyCastle
             under dependencies/). Also compiles the cmdlets and the engine for .NET Framework 4.7.2,
             which fails the build when they use an API that Windows PowerShell 5.1 lacks.
      Test   packages, installs the .nupkg into out/installed with PSResourceGet, then runs the
             engine's xunit tests and the Pester suite (against that installed module) with a private
             Dovecot and a private Courier started for the run, and prints one line "N passed, N failed".
      Demo   builds, starts a private Dovecot with sample mail, and shows a real session.
      Package builds, checks the manifest with Test-ModuleManifest, and writes a .nupkg that
             Publish-PSResource accepts to out/package.
      Bench  builds, then measures exports and listings against a raw pipelined client, mpop and a
             naive MailKit loop on a private Dovecot (tests/Bench; not part of Test).
    This script is the only place that knows the output paths.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$ModuleDir = Join-Path $OutDir 'PopShell'
$PublishDir = Join-Path $OutDir 'publish'
$TestResultsDir = Join-Path $OutDir 'TestResults'
$PackageDir = Join-Path $OutDir 'package'
$InstalledDir = Join-Path $OutDir 'installed'
$TestSupportModule = Join-Path $RepoRoot 'tests/Support/TestSupport.psd1'

# What sits at the module root; every other assembly of the publish output goes to dependencies/.
$ModuleRootFiles = @('PopShell.dll')

function Invoke-Native {
    # Runs a native command and stops the build when it fails, naming the command. Its output goes to
    # the host, never into the caller's return value.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-PowerShellCommand {
    # This PowerShell, to start again: its executable, or 'dotnet' and pwsh.dll when it runs as a .NET tool.
    $executable = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') { $executable, [Environment]::GetCommandLineArgs()[0] }
    else { $executable }
}

function Invoke-BuildTask {
    Write-Host "==> Build ($Configuration)" -ForegroundColor Cyan
    if (Test-Path $PublishDir) { Remove-Item $PublishDir -Recurse -Force }
    $cmdlets = Join-Path $RepoRoot 'src/PopShell/PopShell.csproj'
    # Every target framework of the cmdlets and the engine: netstandard2.0, which ships, and net472,
    # which only checks that the code compiles against Windows PowerShell's .NET Framework.
    Invoke-Native dotnet @('build', $cmdlets, '--configuration', $Configuration, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', $cmdlets, '--framework', 'netstandard2.0', '--no-build',
        '--configuration', $Configuration, '--output', $PublishDir, '--nologo', '-v', 'quiet')
    # PowerShell 7's private load context for the engine (see src/PopShell/Internal/ModuleInitializer.cs).
    Invoke-Native dotnet @('publish', (Join-Path $RepoRoot 'src/PopShell.LoadContext/PopShell.LoadContext.csproj'),
        '--framework', 'net8.0', '--configuration', $Configuration, '--output', $PublishDir, '--nologo', '-v', 'quiet')

    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'dependencies') -Force
    Copy-Item (Join-Path $RepoRoot 'PopShell.psd1') $ModuleDir
    Copy-Item (Join-Path $RepoRoot 'src/PopShell/PopShell.format.ps1xml') $ModuleDir
    foreach ($assembly in Get-ChildItem $PublishDir -Filter *.dll) {
        $target = if ($assembly.Name -in $ModuleRootFiles) { $ModuleDir } else { $dependencies.FullName }
        Copy-Item $assembly.FullName $target
    }

    Add-ReadyToRunImage -DependencyFolder $dependencies.FullName

    # Help: MAML and about_PopShell from the built cmdlets and the Markdown in help/. In a pwsh of its
    # own, because it imports the module, and this process may hold an older PopShell.dll.
    $pwsh = @(Get-PowerShellCommand)
    Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $RepoRoot 'help/Build-Help.ps1'), '-ModuleDirectory', $ModuleDir))

    # PowerShell's own assembly is a compile-time reference only; shipping it would break loading.
    if (Get-ChildItem $ModuleDir -Recurse -Filter 'System.Management.Automation.dll') {
        throw 'System.Management.Automation.dll ended up in the module folder; PowerShellStandard.Library must stay a compile-time reference.'
    }
    Write-Host "Module: $ModuleDir"
}

# What every session loads (a connect, listing and export load these three and not BouncyCastle), so
# what each new PowerShell process would otherwise JIT-compile: ~1,200 methods, and MimeKit's header
# parser running unoptimised for most of a 10,000-message listing. PowerShell 7's load context (src/PopShell.LoadContext) takes these from
# dependencies/ReadyToRun/<framework>-<platform> when the process runs that runtime on that platform.
$ReadyToRunAssemblies = @('PopShell.Engine.dll', 'MailKit.dll', 'MimeKit.dll')

function Add-ReadyToRunImage {
    # ReadyToRun images of $ReadyToRunAssemblies for the runtime and platforms in tools/ReadyToRunPacks.
    param([Parameter(Mandatory)] [string] $DependencyFolder)
    Import-Module (Join-Path $RepoRoot 'tools/ReadyToRun.psm1') -Force
    $packs = Restore-ReadyToRunPack
    foreach ($platform in $packs.Platforms.Keys | Sort-Object) {
        $folder = New-Item -ItemType Directory -Path (Join-Path $DependencyFolder "ReadyToRun/$($packs.Framework)-$platform") -Force
        # The platform's framework first: where the module ships a polyfill of the same name (System.Memory,
        # for Windows PowerShell), the framework's assembly is the one PowerShell 7 loads, so the code is
        # compiled against it. The input itself must not be among its references.
        $references = @($packs.Platforms[$platform])
        foreach ($name in $ReadyToRunAssemblies) {
            $others = @(Get-ChildItem -LiteralPath $DependencyFolder -Filter '*.dll' -File | Where-Object Name -NE $name | ForEach-Object FullName)
            Invoke-Crossgen2 -Crossgen2 $packs.Crossgen2 -InputPath (Join-Path $DependencyFolder $name) -OutputPath (Join-Path $folder $name) `
                -Platform $platform -Reference ($references + $others)
        }
        Write-Host "ReadyToRun: $($ReadyToRunAssemblies -join ', ') for $($packs.Framework) on $platform"
    }
}

function Get-NuGetPackageFolder {
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0 -or "$line" -notmatch 'global-packages:\s*(.+)$') {
        throw "Could not find the NuGet package folder ('dotnet nuget locals global-packages --list' said: $line)."
    }
    $Matches[1].Trim()
}

function Install-TestTool {
    # Pester comes from NuGet (not a gallery): restoring TestTools.csproj downloads it.
    Invoke-Native dotnet @('restore', (Join-Path $RepoRoot 'tests/Support/TestTools.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (Get-NuGetPackageFolder) 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 6.2.0 was restored but $pester is missing." }
    $pester
}

function Invoke-EngineTest {
    # Returns @{ Passed; Failed } from the xunit run's TRX file; a run that produced none counts as a failure.
    Write-Host '==> Engine tests (xunit)' -ForegroundColor Cyan
    $trx = Join-Path $TestResultsDir 'engine.trx'
    if (Test-Path $trx) { Remove-Item $trx -Force }
    & dotnet test (Join-Path $RepoRoot 'tests/PopShell.Engine.Tests/PopShell.Engine.Tests.csproj') `
        --configuration $Configuration --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' | Out-Host
    if (-not (Test-Path $trx)) {
        Write-Host 'xunit produced no results file; counting the engine tests as one failure.' -ForegroundColor Red
        return @{ Passed = 0; Failed = 1 }
    }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($LASTEXITCODE -ne 0 -and $failed -eq 0) { $failed = 1 }
    @{ Passed = [int]$counters.passed; Failed = $failed }
}

function Invoke-ModuleTest([string] $PesterPath, [string] $ManifestPath) {
    # Runs Pester in a fresh pwsh so the module under test loads once, clean, from $ManifestPath.
    Write-Host '==> Module tests (Pester, private Dovecot and Courier)' -ForegroundColor Cyan
    $summary = Join-Path $TestResultsDir 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary -Force }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/Support/Invoke-PesterSuite.ps1') `
        -PesterPath $PesterPath -ModulePath $ManifestPath `
        -TestPath (Join-Path $RepoRoot 'tests/Pester') -SummaryPath $summary -ResultsDirectory $TestResultsDir | Out-Host
    if (-not (Test-Path $summary)) {
        Write-Host 'The Pester run ended without a summary; counting it as one failure.' -ForegroundColor Red
        return @{ Passed = 0; Failed = 1 }
    }
    $counts = Get-Content $summary -Raw | ConvertFrom-Json
    @{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
}

function Install-ModulePackage([string] $PackagePath) {
    # Installs the .nupkg the way users get it, with PSResourceGet from a repository (a temporary one over
    # out/package), into out/installed, and returns the installed manifest: the tests run what ships.
    $name, $version = [IO.Path]::GetFileNameWithoutExtension($PackagePath) -split '\.', 2
    if (Test-Path $InstalledDir) { Remove-Item $InstalledDir -Recurse -Force }
    New-Item -ItemType Directory -Path $InstalledDir | Out-Null
    $repository = "PopShellBuild-$PID"
    Register-PSResourceRepository -Name $repository -Uri (Split-Path $PackagePath) -Trusted
    try {
        Save-PSResource -Name $name -Version $version -Repository $repository -Path $InstalledDir -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $manifest = Join-Path $InstalledDir "$name/$version/$name.psd1"
    if (-not (Test-Path $manifest)) { throw "Installing $PackagePath did not produce $manifest." }
    Write-Host "Installed from the package: $(Split-Path $manifest)"
    $manifest
}

function Invoke-TestTask {
    $package = Invoke-PackageTask
    $manifest = Install-ModulePackage $package
    New-Item -ItemType Directory -Path $TestResultsDir -Force | Out-Null
    $pester = Install-TestTool
    Import-Module $TestSupportModule -Force
    Install-TestDovecot
    # Unpacked into a cache once per machine (never installed: it conflicts with Dovecot); see TestCourier.psm1.
    $null = Install-TestCourier

    $started = Get-Date
    $engine = Invoke-EngineTest
    $module = Invoke-ModuleTest $pester $manifest
    $passed = $engine.Passed + $module.Passed
    $failed = $engine.Failed + $module.Failed

    Write-Host ("Engine: {0} passed, {1} failed. Module: {2} passed, {3} failed. Took {4:0} s." -f `
            $engine.Passed, $engine.Failed, $module.Passed, $module.Failed, ((Get-Date) - $started).TotalSeconds)
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Import-Module $TestSupportModule -Force
    Install-TestDovecot
    $server = Start-TestDovecot
    try {
        $mailbox = New-TestMailbox -Server $server -UserName 'alice'
        New-DemoMail | Add-TestMessage -Mailbox $mailbox
        Import-Module (Join-Path $ModuleDir 'PopShell.psd1') -Force

        Show-DemoStep "Connect-Pop3 127.0.0.1 -Port $($server.PlainPort) -Credential `$cred -CertificateThumbprint <test certificate>"
        Connect-Pop3 $server.HostName -Port $server.PlainPort -Credential $mailbox.Credential `
            -CertificateThumbprint $server.CertificateThumbprint | Format-Table | Out-Host

        Show-DemoStep 'Get-Pop3Mailbox'
        Get-Pop3Mailbox | Out-Host

        Show-DemoStep 'Get-Pop3Message'
        Get-Pop3Message | Format-Table | Out-Host

        Show-DemoStep "Get-Pop3Message -From '*@example.org' -MinSize 2KB"
        Get-Pop3Message -From '*@example.org' -MinSize 2KB | Format-Table | Out-Host

        Show-DemoStep "Get-Pop3Message -Subject '*invoice*' -Before (Get-Date).AddDays(-30)"
        Get-Pop3Message -Subject '*invoice*' -Before (Get-Date).AddDays(-30) | Format-Table Index, Uid, Date, Subject | Out-Host

        $export = Join-Path $OutDir 'demo-export'
        if (Test-Path $export) { Remove-Item $export -Recurse -Force }
        Show-DemoStep "Save-Pop3Message -All -Path $export -NewOnly"
        Save-Pop3Message -All -Path $export -NewOnly | Out-Host
        Show-DemoStep "Save-Pop3Message -All -Path $export -NewOnly   # again: nothing new"
        Save-Pop3Message -All -Path $export -NewOnly | Group-Object Skipped | Format-Table Count, @{ n = 'Skipped'; e = { $_.Name } } | Out-Host

        Show-DemoStep 'Disconnect-Pop3'
        Disconnect-Pop3 -Verbose
    }
    finally {
        Stop-TestDovecot -Server $server
    }
}

function Show-DemoStep([string] $Command) {
    Write-Host ''
    Write-Host "PS> $Command" -ForegroundColor Yellow
}

function New-DemoMail {
    # A small, varied mailbox: several senders, ages, sizes, and subjects in other scripts.
    $now = [DateTimeOffset]::Now
    $senders = 'Alice Martin <alice@example.org>', 'Bob Stone <bob@example.com>', 'Billing <billing@example.org>',
        'Jürgen Groß <jurgen@example.de>', 'Notifications <noreply@example.net>'
    $subjects = 'Quarterly report', 'Invoice 2031 overdue', 'Lunch on Friday?', 'Your invoice for March',
        '=?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YAh?=', 'Server maintenance window', 'Re: project kickoff',
        '=?ISO-8859-1?Q?R=E9union_de_l=27=E9quipe?=', 'Build failed: main #4711', 'Welcome aboard'
    for ($i = 0; $i -lt 12; $i++) {
        $body = ("Line {0} of a sample message.`r`n" -f $i) * (5 + ($i * 37) % 160)
        New-TestMessageText -From $senders[$i % $senders.Count] -To 'alice@example.org' `
            -Subject $subjects[$i % $subjects.Count] -Date $now.AddDays(-7 * (12 - $i)) -Body $body
    }
}

function Invoke-PackageTask {
    # Returns the path of the .nupkg.
    Invoke-BuildTask
    $manifest = Join-Path $ModuleDir 'PopShell.psd1'
    $module = Test-ModuleManifest $manifest -ErrorAction Stop
    if (Test-Path $PackageDir) { Remove-Item $PackageDir -Recurse -Force }
    New-Item -ItemType Directory -Path $PackageDir | Out-Null
    Compress-PSResource -Path $ModuleDir -DestinationPath $PackageDir -ErrorAction Stop
    $package = Join-Path $PackageDir "PopShell.$($module.Version).nupkg"
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "Package: $package"
    $package
}

function Invoke-BenchTask {
    Invoke-BuildTask
    & (Join-Path $RepoRoot 'tests/Bench/Invoke-Benchmark.ps1') -Profile all -ModulePath $ModuleDir
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Bench' { Invoke-BenchTask }
    'Package' { $null = Invoke-PackageTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
}
