; WriteAutostartTask: the kiosk's autostart for one account. Included by installer.nsi.

; A scheduled task, not a Startup shortcut: its log-on trigger and its principal both name the one
; account (by SID), and it can be made for an account that has never logged on (docs/decisions/0091).
; Its definition stays beside the program, for an administrator to read or register again.
Function WriteAutostartTask
  FileOpen $1 "${TASK_XML}" w
  FileWriteUTF16LE /BOM $1 '<?xml version="1.0" encoding="UTF-16"?>$\r$\n'
  FileWriteUTF16LE $1 '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">$\r$\n'
  FileWriteUTF16LE $1 '  <RegistrationInfo><Description>Starts ${APP_NAME} full screen when its account logs on.</Description></RegistrationInfo>$\r$\n'
  FileWriteUTF16LE $1 '  <Triggers><LogonTrigger><Enabled>true</Enabled><UserId>$AutostartSid</UserId></LogonTrigger></Triggers>$\r$\n'
  FileWriteUTF16LE $1 '  <Principals><Principal id="Kiosk"><UserId>$AutostartSid</UserId><LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>$\r$\n'
  ; No time limit (the default stops a task after 3 days), on battery too, and normal priority
  ; (a task's default, 7, starves the window).
  FileWriteUTF16LE $1 '  <Settings><MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy><DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries><StopIfGoingOnBatteries>false</StopIfGoingOnBatteries><ExecutionTimeLimit>PT0S</ExecutionTimeLimit><Priority>4</Priority></Settings>$\r$\n'
  FileWriteUTF16LE $1 '  <Actions Context="Kiosk"><Exec><Command>$INSTDIR\${APP_EXE}</Command><Arguments>run --fullscreen</Arguments></Exec></Actions>$\r$\n'
  FileWriteUTF16LE $1 '</Task>$\r$\n'
  FileClose $1
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Create /F /TN "${TASK_NAME}" /XML "${TASK_XML}"'
  Pop $0
  ${If} $0 != 0
    !insertmacro Fail ${EXIT_BAD_INPUT} "$(AutostartFailed)"
  ${EndIf}
FunctionEnd
