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
    compiles a copy of $PSHOME's assemblies with crossgen2 (the SDK's own ReadyToRun compiler,
    restored from NuGet for this runtime) against this runtime's framework. The copy is kept, with
    a stamp naming the source folder and runtime, until either changes.

    When $PSHOME's System.Management.Automation.dll is already ReadyToRun (an installed pwsh), it is
    returned as it is.
#>
function New-ReadyToRunPwsh {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        # Where the compiled copy lives (one subfolder per PowerShell version and runtime).
        [Parameter(Mandatory)] [string] $CacheRoot,
        # A scratch folder for the restore that brings crossgen2.
        [Parameter(Mandatory)] [string] $WorkDir
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
    $crossgen = Get-Crossgen2 -WorkDir $WorkDir -Rid $rid
    if (Test-Path $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $target -Force
    Copy-Item -Path (Join-Path $PSHOME '*') -Destination $target -Recurse -Force

    $framework = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $os, $arch = $rid -split '-', 2
    $compiled = 0
    foreach ($assembly in Get-ChildItem -LiteralPath $PSHOME -Filter '*.dll' -File) {
        if (-not (Test-ManagedIL $assembly.FullName)) { continue }
        # The input is the copy, the references are the originals: crossgen2 takes the input's
        # simple name from the input, not from a reference. A response file keeps the wildcards
        # away from PowerShell's native-argument globbing (crossgen2 expands them itself).
        $output = Join-Path $target $assembly.Name
        $rsp = Join-Path $WorkDir "crossgen2-$($assembly.BaseName).rsp"
        Set-Content -LiteralPath $rsp -Value @($output, "-o:$output.r2r", "-r:$(Join-Path $PSHOME '*.dll')",
            "-r:$(Join-Path $framework '*.dll')", "--targetos:$os", "--targetarch:$arch", '-O')
        $log = & $crossgen "@$rsp" 2>&1
        # A facade or reference assembly has nothing to compile: the IL copy stays.
        if ($LASTEXITCODE -eq 0 -and (Test-Path "$output.r2r")) { Move-Item -LiteralPath "$output.r2r" -Destination $output -Force; $compiled++ }
        else { Remove-Item -LiteralPath "$output.r2r" -ErrorAction Ignore; Write-Verbose "crossgen2 left $($assembly.Name) as IL: $($log -join ' ')" }
    }
    if (-not (Test-ReadyToRunImage (Join-Path $target 'System.Management.Automation.dll'))) {
        throw "crossgen2 did not compile System.Management.Automation.dll into $target."
    }
    Set-Content -LiteralPath $stamp -Value $expected
    Write-Host ("Compiled {0} assemblies in {1:0} s" -f $compiled, $timer.Elapsed.TotalSeconds)
    $target
}

# True when the file is a .NET assembly with a ReadyToRun (managed native) header.
function Test-ReadyToRunImage([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return $false }
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    catch [System.BadImageFormatException] { $false }
    finally { $stream.Dispose() }
}

# True when the file is a .NET assembly with IL and no ReadyToRun code yet.
function Test-ManagedIL([string] $Path) {
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -eq 0 -and $pe.HasMetadata
    }
    catch [System.BadImageFormatException] { $false }
    finally { $stream.Dispose() }
}

# The crossgen2 executable the SDK uses for ReadyToRun on this runtime: restoring a project with
# PublishReadyToRun and a runtime identifier downloads the matching Crossgen2 pack (the SDK picks
# its version); project.assets.json names it.
function Get-Crossgen2([string] $WorkDir, [string] $Rid) {
    $project = Join-Path $WorkDir 'crossgen2-restore'
    $null = New-Item -ItemType Directory -Path $project -Force
    $tfm = "net$([Environment]::Version.Major).0"
    Set-Content -LiteralPath (Join-Path $project 'Crossgen2Restore.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$tfm</TargetFramework>
    <RuntimeIdentifier>$Rid</RuntimeIdentifier>
    <PublishReadyToRun>true</PublishReadyToRun>
    <SelfContained>false</SelfContained>
  </PropertyGroup>
</Project>
"@
    $log = & dotnet restore $project -nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Restoring crossgen2 for $tfm/$Rid failed:`n$($log -join "`n")" }
    $assets = Get-Content -LiteralPath (Join-Path $project 'obj/project.assets.json') -Raw | ConvertFrom-Json
    $packagesRoot = $assets.project.restore.packagesPath
    $pack = foreach ($framework in $assets.project.frameworks.PSObject.Properties) {
        foreach ($dependency in @($framework.Value.downloadDependencies)) {
            if ($dependency.name -like 'Microsoft.NETCore.App.Crossgen2*') { $dependency }
        }
    }
    if (-not $pack) { throw "The restore of $project downloaded no Crossgen2 pack." }
    $version = ($pack[0].version -replace '[\[\]\s]', '' -split ',')[0]
    $tool = Join-Path $packagesRoot "$($pack[0].name.ToLowerInvariant())/$version/tools/crossgen2"
    if ($IsWindows) { $tool += '.exe' }
    if (-not (Test-Path -LiteralPath $tool)) { throw "crossgen2 not found at $tool." }
    $tool
}
