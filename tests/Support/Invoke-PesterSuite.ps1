<#
.SYNOPSIS
    Runs the Pester suite against a private Dovecot and a private Courier and writes the pass/fail
    counts to a JSON file.

.DESCRIPTION
    build.ps1 runs this in a fresh pwsh so the module under test is loaded once, from the build
    folder. One Dovecot and one Courier serve the whole run; every test file makes its own mailboxes
    on them, so files never see each other's mail. Both are stopped even when tests fail.
    A block whose BeforeAll failed counts as a failure: its tests did not pass.
    Courier is unpacked into its cache first if it is not there yet (see TestCourier.psm1).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsDirectory
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
# The raw POP3 client the harness checks PopShell against is C#, shared with the benchmark.
$built = & dotnet build (Join-Path $PSScriptRoot 'RawPop3/RawPop3.csproj') -c Release --nologo -v quiet 2>&1
if ($LASTEXITCODE -ne 0) { throw "Building the raw POP3 client (tests/Support/RawPop3) failed:`n$($built -join "`n")" }
Import-Module (Join-Path $PSScriptRoot 'TestSupport.psd1') -Force

$server = $null
$courier = $null
try {
    $server = Start-TestDovecot
    # Does nothing but check when build.ps1 (or an earlier run) has unpacked Courier already.
    $null = Install-TestCourier
    $courier = Start-TestCourier
    # Test files find the servers and the module under test through these variables.
    $env:POPSHELL_TEST_SERVER = $server | ConvertTo-Json -Compress
    $env:POPSHELL_TEST_COURIER = $courier | ConvertTo-Json -Compress
    $env:POPSHELL_MODULE_PATH = $ModulePath

    $config = New-PesterConfiguration
    $config.Run.Path = $TestPath
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $ResultsDirectory 'pester.xml'
    $result = Invoke-Pester -Configuration $config

    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; NotRun = $result.NotRunCount } |
        ConvertTo-Json | Set-Content -Path $SummaryPath
}
finally {
    Stop-TestCourier -Server $courier
    Stop-TestDovecot -Server $server
}
