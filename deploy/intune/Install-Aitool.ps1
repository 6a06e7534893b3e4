<#
.SYNOPSIS
  Intune Win32 app install script (runs as SYSTEM): installs aitool (the
  standalone aitool.exe, or an npm tarball), the organisation's managed policy,
  the scheduled task that runs
  `aitool check --output` at logon and every few minutes, and a first check.

.DESCRIPTION
  Package this folder with aitool and the managed policy (policy.yaml) into an
  .intunewin file. aitool is either the standalone executable built for
  Windows x64 (npm run build:sea on Windows, renamed aitool.exe), which needs
  nothing else on the machine, or the npm tarball (`npm pack` of a release,
  named aitool.tgz), which needs Node >= 20 (nodejs.org's MSI, deployed first
  as a dependency of this app). When aitool.exe is in the folder it is used.
  Install command:
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Install-Aitool.ps1
  Detection: Detect-Aitool.ps1 (a custom detection script).

  The executable is copied to %ProgramFiles%\aitool\aitool.exe (Program
  Files: only administrators can write it), left alone when the installed
  file has the same SHA-256.

  NOT RUN ON WINDOWS HERE: this script was only parsed for its aitool
  commands, each checked against the built CLI's --help. Try it on one
  machine (an elevated PowerShell as SYSTEM, e.g. psexec -s) first.

.PARAMETER Executable
  The standalone aitool.exe to install (a local file the .intunewin carries).

.PARAMETER Tarball
  The npm tarball to install instead, when there is no aitool.exe.

.PARAMETER Start
  Register the scheduled task now (schtasks /Create, the command aitool
  prints). Without it the command is printed and nothing is registered.
#>
[CmdletBinding()]
param(
  [string]$Executable = (Join-Path $PSScriptRoot 'aitool.exe'),
  [string]$Tarball = (Join-Path $PSScriptRoot 'aitool.tgz'),
  [string]$Policy = (Join-Path $PSScriptRoot 'policy.yaml'),
  [string]$Prefix = (Join-Path $env:ProgramFiles 'aitool-npm'),
  [string]$ExecutableFolder = (Join-Path $env:ProgramFiles 'aitool'),
  [switch]$Start
)
$ErrorActionPreference = 'Stop'

function Fail([string]$Message) {
  [Console]::Error.WriteLine("Install-Aitool: $Message")
  exit 1
}

# Runs one native command; on failure, one line naming the step and the command's last line.
function Invoke-Step([string]$What, [string]$Exe, [string[]]$Arguments) {
  $output = & $Exe @Arguments 2>&1 | ForEach-Object { "$_" }
  if ($LASTEXITCODE -ne 0) {
    $last = ($output | Select-Object -Last 1)
    Fail "$What failed (exit $LASTEXITCODE): $last"
  }
  $output | Write-Output
  return
}

if (-not (Test-Path -LiteralPath $Policy -PathType Leaf)) { Fail "no such policy file: $Policy" }
$useExecutable = Test-Path -LiteralPath $Executable -PathType Leaf

if ($useExecutable) {
  $aitool = Join-Path $ExecutableFolder 'aitool.exe'
  $sum = (Get-FileHash -LiteralPath $Executable -Algorithm SHA256).Hash.ToLowerInvariant()
  Write-Output "==> installing aitool.exe into $ExecutableFolder"
  Write-Output "executable sha256 $sum"
  if ((Test-Path -LiteralPath $aitool) -and ((Get-FileHash -LiteralPath $aitool -Algorithm SHA256).Hash.ToLowerInvariant() -eq $sum)) {
    Write-Output "this executable is already installed: $aitool"
  } else {
    New-Item -ItemType Directory -Force -Path $ExecutableFolder | Out-Null
    # Copied beside the target, checked to run here, then moved over it: a
    # build for another CPU never replaces a working aitool. A check the task
    # is running holds the old file open; the move then fails with one line
    # and the next Intune run tries again.
    $next = Join-Path $ExecutableFolder ('.aitool-' + [guid]::NewGuid().ToString('N') + '.exe')
    Copy-Item -LiteralPath $Executable -Destination $next
    try {
      # The copy is what was hashed, before anything runs it.
      if ((Get-FileHash -LiteralPath $next -Algorithm SHA256).Hash.ToLowerInvariant() -ne $sum) { throw "the copy of $Executable changed while it was copied" }
      Invoke-Step 'the executable' $next @('--version')
      Move-Item -LiteralPath $next -Destination $aitool -Force
    } catch {
      Fail "placing $aitool failed: $($_.Exception.Message)"
    } finally {
      if (Test-Path -LiteralPath $next) { Remove-Item -LiteralPath $next -Force }
    }
    Write-Output "installed $aitool"
  }
} else {
  if (-not (Test-Path -LiteralPath $Tarball -PathType Leaf)) { Fail "neither an executable ($Executable) nor a tarball ($Tarball) to install" }
  # Only the npm package runs on the machine's node; the executable carries its own.
  if (-not (Get-Command node -ErrorAction SilentlyContinue)) { Fail 'node is not on PATH; aitool from the npm tarball needs Node >= 20 (or ship aitool.exe)' }
  if (-not (Get-Command npm.cmd -ErrorAction SilentlyContinue)) { Fail 'npm is not on PATH' }
  & node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'
  if ($LASTEXITCODE -ne 0) { Fail "aitool from the npm tarball needs Node >= 20; this machine has $(& node --version)" }

  # On Windows, npm -g --prefix puts the package in <prefix>\node_modules and the command shim in <prefix>.
  $aitool = Join-Path $Prefix 'aitool.cmd'
  $stamp = Join-Path $Prefix 'node_modules\aitool\.aitool-tarball.sha256'
  $sum = (Get-FileHash -LiteralPath $Tarball -Algorithm SHA256).Hash.ToLowerInvariant()

  Write-Output "==> installing aitool into $Prefix"
  if ((Test-Path -LiteralPath $aitool) -and (Test-Path -LiteralPath $stamp) -and ((Get-Content -LiteralPath $stamp -Raw).Trim() -eq $sum)) {
    Write-Output "aitool from this tarball is already installed: $aitool"
  } else {
    # --ignore-scripts: no package code runs as SYSTEM at install time.
    Invoke-Step 'npm install' 'npm.cmd' @('install', '-g', '--prefix', $Prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', $Tarball)
    if (-not (Test-Path -LiteralPath $aitool)) { Fail "npm install left no command at $aitool" }
    Set-Content -LiteralPath $stamp -Value $sum -Encoding ascii
  }
}

Write-Output '==> installing the managed policy (%ProgramData%\aitool)'
Invoke-Step 'aitool policy install' $aitool @('policy', 'install', '--managed', $Policy)
# aitool's own advice for Windows: ProgramData's inherited ACL lets Users create files there.
$managedFolder = Join-Path $env:ProgramData 'aitool'
Invoke-Step 'icacls' 'icacls.exe' @($managedFolder, '/inheritance:r', '/grant:r', 'SYSTEM:(OI)(CI)F', 'Administrators:(OI)(CI)F', 'Users:(OI)(CI)RX')

Write-Output '==> writing the scheduled task'
$service = Invoke-Step 'aitool service install' $aitool @('service', 'install', '--system', '--write')
$service | Write-Output
$register = $service | Where-Object { $_ -match '^\s+schtasks ' } | Select-Object -First 1
if (-not $register) { Fail 'aitool service install printed no schtasks command' }
if ($Start) {
  Write-Output '==> registering it (-Start)'
  $taskXml = Join-Path $env:ProgramData 'aitool\service\aitool-task.xml'
  Invoke-Step 'schtasks' 'schtasks.exe' @('/Create', '/XML', $taskXml, '/TN', 'aitool', '/F')
} else {
  Write-Output 'not registered (no -Start). To register it, run:'
  Write-Output $register
}

Write-Output '==> first check'
Push-Location -LiteralPath "$env:SystemDrive\"
try {
  $report = & $aitool check --no-color 2>&1 | ForEach-Object { "$_" }
  $status = $LASTEXITCODE
} finally {
  Pop-Location
}
# Exit 1 is the check's news (blocked tools found), not a failed rollout; 2 is an error.
if ($status -gt 1) { Fail "aitool check failed (exit $status): $($report | Select-Object -Last 1)" }
$report | Write-Output
Write-Output '==> done'
exit 0
