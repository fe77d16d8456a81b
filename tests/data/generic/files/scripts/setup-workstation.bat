@echo off
rem One-time set-up of the build workstation
setx BUILD_USER svc-build
setx BUILD_PASSWORD "Wr8#Zq3Lt6Kp" /M
setx BUILD_PASSWORD "%BUILD_PASSWORD%" /M
setx NUGET_API_KEY "Nk7Wq2Zt9Lr4Xp6Vm3Bc"
