; KioskRunning and WaitForKioskClosed (and their un. twins). Included by installer.nsi.

; Whether a process of the kiosk's program runs, in any session: "1" or "0" on the stack. The
; ToolHelp snapshot lists every process to an administrator; tasklist would too, but a helper
; program's output is harder to read back and Wine's tasklist lists nothing.
!macro KIOSK_RUNNING_MACRO UN
  Function ${UN}KioskRunning
    Push $0
    Push $1
    Push $2
    Push $3
    StrCpy $3 "0"
    System::Call 'kernel32::CreateToolhelp32Snapshot(i 2, i 0) p .r0'  ; TH32CS_SNAPPROCESS
    ${If} $0 P<> -1
      ; PROCESSENTRY32W on x64: 568 bytes, the program's name at byte 44.
      System::Alloc 568
      Pop $1
      System::Call '*$1(i 568)'
      System::Call 'kernel32::Process32FirstW(p r0, p r1) i .r2'
      ${DoWhile} $2 <> 0
        System::Call '*$1(i, i, i, i, p, i, i, i, i, i, &w260 .r2)'
        ${If} $2 == "${APP_EXE}"  ; StrCmp ignores case, as Windows does in names
          StrCpy $3 "1"
          ${Break}
        ${EndIf}
        System::Call 'kernel32::Process32NextW(p r0, p r1) i .r2'
      ${Loop}
      System::Free $1
      System::Call 'kernel32::CloseHandle(p r0)'
    ${EndIf}
    StrCpy $0 $3
    Pop $3
    Pop $2
    Pop $1
    Exch $0
  FunctionEnd

  ; Asks to close a running kiosk (retry or cancel); a silent run stops with 1618 at once.
  Function ${UN}WaitForKioskClosed
    ${Do}
      Call ${UN}KioskRunning
      Pop $0
      ${IfThen} $0 == "0" ${|} ${Break} ${|}
      ${If} ${Silent}
        Push "${EXIT_KIOSK_RUNNING}"
        Push "$(KioskRunning)"
        Call ${UN}Fail
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(KioskRunning)" /SD IDCANCEL IDRETRY +2
      Quit
    ${Loop}
  FunctionEnd
!macroend
!insertmacro KIOSK_RUNNING_MACRO ""
!insertmacro KIOSK_RUNNING_MACRO "un."
