@echo off
rem Map the department shares at logon (deployed via GPO).
net use H: \\fs01.corp.internal\home\%USERNAME% /persistent:yes
net use S: \\fs02.corp.internal\scans /user:CORP\svc-scanner 58PcBo@99@Yqe9a /persistent:no
net use P: \\print01.corp.internal\drivers /user:print01\installer Juniper4802@
net use R: \\fs02.corp.internal\reports /user:CORP\svc-reports %REPORTS_PW%
net use T: \\fs02.corp.internal\temp /user:CORP\%USERNAME% *
cmdkey /add:fs03.corp.internal /user:CORP\svc-scanner /pass:i3f+.uHjrlCgBFwlE#lfvdtZWk3pSv
cmdkey /add:fs04.corp.internal /user:CORP\%USERNAME% /pass
set PGPASSWORD=bghD2EyzlJVUXsqLw+64Z309yFqaSi
"C:\Program Files\PostgreSQL\16\bin\psql.exe" -h pg01.corp.internal -U scanner -c "select 1"
runas /user:CORP\adm-jdoe "mmc compmgmt.msc"
