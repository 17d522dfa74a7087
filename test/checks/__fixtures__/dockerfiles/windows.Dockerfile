# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile C:\tool.zip ; `
    Expand-Archive C:\tool.zip -DestinationPath C:\tool ; `
    Remove-Item C:\tool.zip
WORKDIR C:\tool
USER ContainerUser
HEALTHCHECK CMD ["C:\\tool\\tool.exe", "health"]
CMD ["C:\\tool\\tool.exe"]
