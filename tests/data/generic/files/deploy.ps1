<#
.SYNOPSIS
  Deploys the Billing service to the IIS farm.
#>
param(
    [string]$Environment = 'staging',
    [securestring]$DeployPassword
)
$ErrorActionPreference = 'Stop'

$svcUser = 'CORP\svc-billing-deploy'
$svcPass = ConvertTo-SecureString "lgVi28G~x~gKkR4" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($svcUser, $svcPass)
$sqlPass = ConvertTo-SecureString -String 'ts-mtRbw1&ud#rHS~7' -AsPlainText -Force
$envPass = ConvertTo-SecureString $env:BILLING_SQL_PASSWORD -AsPlainText -Force
$prompted = Read-Host -Prompt 'Deploy password' -AsSecureString
$manual = Get-Credential -UserName $svcUser -Message 'Billing deploy account'
$vaultPw = Get-Secret -Name 'BillingDeploy' -Vault CorpVault -AsPlainText

net use \\fs01.corp.internal\deploy /user:CORP\svc-billing-deploy dEHkDLn2hibZ_WCVeT
net use \\fs01.corp.internal\drop /user:CORP\svc-billing-deploy $env:DROP_PASSWORD
& psexec.exe \\billing-web01 -accepteula -u CORP\svc-billing-deploy -p Riverbend31- iisreset
& sqlcmd -S billing-sql01 -U deployer -P PhPsPg.w.0Zu+ -i .\sql\post-deploy.sql
Invoke-Sqlcmd -ServerInstance billing-sql01 -Username deployer -Password 'O_.*#ct+kX-jB9PUfRhX.i!' -Query 'EXEC dbo.RefreshCaches'
Invoke-Sqlcmd -ServerInstance billing-sql01 -Credential $cred -Query 'EXEC dbo.WarmUp'

$plain = [Runtime.InteropServices.Marshal]::PtrToStringBSTR([Runtime.InteropServices.Marshal]::SecureStringToBSTR($svcPass))
$headers = @{ Authorization = "Basic $([Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes("${svcUser}:$plain")))" }
Invoke-RestMethod -Uri https://deploy.corp.internal/api/releases -Headers @{ 'X-Api-Key' = 'ICpszJRl1XYXVNg4Sz7cbIhCAIVCQXiau5UF' } -Method Post
$conn = "Server=billing-sql01;Database=Billing;User Id=deployer;Password=$($env:BILLING_SQL_PASSWORD);"

Invoke-Command -ComputerName billing-web01, billing-web02 -Credential $cred -ScriptBlock {
    Restart-WebAppPool -Name 'Billing'
}
