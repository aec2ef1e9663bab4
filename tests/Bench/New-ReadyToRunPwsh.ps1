<#
.SYNOPSIS
    Returns a pwsh folder whose assemblies are ReadyToRun, as in PowerShell's official packages;
    builds one (cached under -CacheRoot) when the running pwsh is an IL-only build.

.DESCRIPTION
    PowerShell's release packages (deb, rpm, tar.gz, msi, zip) ship ReadyToRun (crossgen'd)
    assemblies: PowerShell/PowerShell#12361 turned it on for its own assemblies and #16297 checked
    that it covers every assembly pwsh ships. The 'PowerShell' .NET tool package, which this
    repository runs through 'dotnet pwsh', is IL only: a fresh process JIT-compiles about 6,000
    PowerShell methods before it runs a line (DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1
    lists them), which made a bare 'pwsh -Command Import-Module' take 0.75-0.95 s here instead of
    ~0.3 s. A benchmark of "a fresh pwsh process" should start the pwsh admins run, so this
    compiles a copy of $PSHOME's assemblies with crossgen2 (tools/ReadyToRun.psm1) against this
    machine's runtime pack. The copy is kept, with a stamp naming the source folder and runtime,
    until either changes.

    When $PSHOME's System.Management.Automation.dll is already ReadyToRun (an installed pwsh), it is
    returned as it is.
#>
function New-ReadyToRunPwsh {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        # Where the compiled copy lives (one subfolder per PowerShell version and runtime).
        [Parameter(Mandatory)] [string] $CacheRoot
    )

    if (Test-ReadyToRunImage (Join-Path $PSHOME 'System.Management.Automation.dll')) { return $PSHOME }

    $runtime = [Environment]::Version
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $target = Join-Path $CacheRoot "pwsh-$($PSVersionTable.PSVersion)-net$runtime-$rid-r2r"
    $stamp = Join-Path $target '.readytorun-stamp'
    $expected = "$PSHOME|$runtime|$rid"
    if ((Test-Path $stamp) -and (Get-Content -LiteralPath $stamp -Raw).Trim() -eq $expected) { return $target }

    $timer = [System.Diagnostics.Stopwatch]::StartNew()
    Write-Host "Compiling a ReadyToRun copy of $PSHOME (as PowerShell's packages ship it) into $target"
    $packs = Restore-ReadyToRunPack
    if ($packs.Framework -ne "net$($runtime.Major).0" -or -not $packs.Platforms.ContainsKey($rid)) {
        throw "tools/ReadyToRunPacks restores $($packs.Framework) for $($packs.Platforms.Keys -join ', '); this pwsh runs on .NET $runtime ($rid)."
    }
    if (Test-Path $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $target -Force
    Copy-Item -Path (Join-Path $PSHOME '*') -Destination $target -Recurse -Force

    $compiled = 0
    foreach ($assembly in Get-ChildItem -LiteralPath $PSHOME -Filter '*.dll' -File) {
        if (-not (Test-ILAssembly $assembly.FullName)) { continue }
        # The input is the copy, the references the originals: crossgen2 refuses an input whose name
        # is also among its references.
        $output = Join-Path $target $assembly.Name
        try {
            Invoke-Crossgen2 -Crossgen2 $packs.Crossgen2 -InputPath $output -OutputPath "$output.r2r" -Platform $rid `
                -Reference (@($packs.Platforms[$rid]) + (Join-Path $PSHOME '*.dll'))
            Move-Item -LiteralPath "$output.r2r" -Destination $output -Force
            $compiled++
        }
        catch {
            # A facade or reference assembly has nothing to compile: its IL copy stays.
            Remove-Item -LiteralPath "$output.r2r" -ErrorAction Ignore
            Write-Verbose "$($assembly.Name) stays IL: $_"
        }
    }
    if (-not (Test-ReadyToRunImage (Join-Path $target 'System.Management.Automation.dll'))) {
        throw "crossgen2 did not compile System.Management.Automation.dll into $target."
    }
    Set-Content -LiteralPath $stamp -Value $expected
    Write-Host ("Compiled {0} assemblies in {1:0} s" -f $compiled, $timer.Elapsed.TotalSeconds)
    $target
}
