<#
.SYNOPSIS
  Intune custom detection script for Install-Aitool.ps1: detected (exit 0 and
  a line on stdout) when aitool of the expected version is installed, the
  managed policy is in force and the scheduled task file is written.

  Set $Expected to the version of the aitool the app ships (aitool.exe or
  the tarball).

  NOT RUN ON WINDOWS HERE: parsed for its aitool commands only.
#>
$Expected = '0.1.0'
# The standalone executable when the app shipped one, else npm's command shim.
$aitool = Join-Path $env:ProgramFiles 'aitool\aitool.exe'
if (-not (Test-Path -LiteralPath $aitool)) { $aitool = Join-Path $env:ProgramFiles 'aitool-npm\aitool.cmd' }

if (-not (Test-Path -LiteralPath $aitool)) { exit 1 }
$version = (& $aitool --version 2>$null | Select-Object -First 1)
if ($LASTEXITCODE -ne 0 -or "$version".Trim() -ne $Expected) { exit 1 }
# `policy show` fails (exit 2) on a managed policy that no longer validates, and names the file it read.
$show = & $aitool policy show 2>$null | ForEach-Object { "$_" }
if ($LASTEXITCODE -ne 0 -or -not ($show -match '^\s+managed\s')) { exit 1 }
$taskXml = Join-Path $env:ProgramData 'aitool\service\aitool-task.xml'
if (-not (Test-Path -LiteralPath $taskXml)) { exit 1 }
Write-Output "aitool $version installed, managed policy and scheduled task in place"
exit 0
