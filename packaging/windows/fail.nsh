; Fail: how the installer and the uninstaller stop on a problem. Included by installer.nsi.

; Stops the installer (or the uninstaller) with a message and an exit code. A silent run has no
; window to show the message in, so it also goes to a log in the temporary folder (for Intune,
; which runs as SYSTEM: C:\Windows\Temp).
!macro FAIL_MACRO UN
  Function ${UN}Fail
    Exch $0  ; the message
    Exch
    Exch $1  ; the exit code
    FileOpen $2 "$TEMP\${APP_ID}-setup.log" a
    ${IfNot} ${Errors}
      FileSeek $2 0 END
      FileWriteUTF16LE $2 "$0$\r$\n"
      FileClose $2
    ${EndIf}
    ${IfNot} ${Silent}
      MessageBox MB_ICONSTOP "$0"
    ${EndIf}
    SetErrorLevel $1
    Quit
  FunctionEnd
!macroend
!insertmacro FAIL_MACRO ""
!insertmacro FAIL_MACRO "un."
!macro Fail CODE MESSAGE
  Push "${CODE}"
  Push "${MESSAGE}"
  Call Fail
!macroend
