; The installer's options: read from the command line or the options page, and checked.
; Included by installer.nsi.

; The account's SID in $AutostartSid, or "" when Windows knows no such account.
Function LookUpAutostartAccount
  Push $0
  Push $1
  Push $2
  Push $3
  StrCpy $AutostartSid ""
  System::Alloc 68  ; SECURITY_MAX_SID_SIZE
  Pop $1
  System::Call 'advapi32::LookupAccountNameW(p 0, w "$AutostartUser", p r1, *i 68, w .r2, *i ${NSIS_MAX_STRLEN}, *i .r3) i .r0'
  ${If} $0 <> 0
    System::Call 'advapi32::ConvertSidToStringSidW(p r1, *w .r0) i .r2'
    ${IfThen} $2 <> 0 ${|} StrCpy $AutostartSid $0 ${|}
  ${EndIf}
  System::Free $1
  Pop $3
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

; "1" on the stack when the string holds a character XML or a quoted command line would misread.
Function HasSpecialCharacter
  Exch $0
  Push $1
  Push $2
  StrCpy $2 0
  ${Do}
    StrCpy $1 $0 1 $2
    ${If} $1 == ""
      StrCpy $0 "0"
      ${Break}
    ${ElseIf} $1 == "&"
    ${OrIf} $1 == "<"
    ${OrIf} $1 == ">"
    ${OrIf} $1 == '"'
      StrCpy $0 "1"
      ${Break}
    ${EndIf}
    IntOp $2 $2 + 1
  ${Loop}
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; The first problem with the options as a message on the stack, or "" when there is none.
Function OptionProblem
  Push $0
  Push $1
  StrCpy $1 ""
  ${If} $ConfigFile != ""
  ${AndIfNot} ${FileExists} "$ConfigFile"
    StrCpy $1 "$(NoConfigFile) $ConfigFile"
  ${EndIf}
  ${If} $Upstream != ""
    ; TOML reads a backslash as an escape.
    ClearErrors
    ${WordFind} $Upstream "\" "E#" $0
    ${If} ${Errors}
      Push $Upstream
      Call HasSpecialCharacter
      Pop $0
    ${Else}
      StrCpy $0 "1"
    ${EndIf}
    ${If} $0 == "0"
      StrCpy $0 $Upstream 8
      ${If} $0 == "https://"
        StrCpy $0 "0"
      ${Else}
        StrCpy $0 $Upstream 7
        ${IfThen} $0 == "http://" ${|} StrCpy $0 "0" ${|}
        ${IfThen} $0 != "0" ${|} StrCpy $0 "1" ${|}
      ${EndIf}
    ${EndIf}
    ${IfThen} $0 == "1" ${|} StrCpy $1 "$(BadUpstream) $Upstream" ${|}
  ${EndIf}
  Push $INSTDIR
  Call HasSpecialCharacter
  Pop $0
  ${IfThen} $0 == "1" ${|} StrCpy $1 "$(BadFolder) $INSTDIR" ${|}
  ${If} $AutostartUser != ""
    Call LookUpAutostartAccount
    ${IfThen} $AutostartSid == "" ${|} StrCpy $1 "$(NoSuchAccount) $AutostartUser" ${|}
  ${EndIf}
  StrCpy $0 $1
  Pop $1
  Exch $0
FunctionEnd

; Checks the options before anything is changed: a bad one stops the installer with exit code 2.
Function CheckOptions
  Call OptionProblem
  Pop $0
  ${If} $0 != ""
    Push ${EXIT_BAD_INPUT}
    Push $0
    Call Fail
  ${EndIf}
FunctionEnd

; The value of /NAME=value on the command line, on the stack (NAME on the stack before); the error
; flag set when the option is absent. The value ends at the next " /", or, quoted (/NAME="a b" or
; "/NAME=a b"), at its closing quote. GetOptions would end it at any "/", as in a URL.
Function CommandLineOption
  Exch $0
  Push $1
  Push $2
  ${GetParameters} $1
  StrCpy $1 " $1"
  ClearErrors
  ${WordFind} $1 ' "/$0=' "E+1}" $2
  ${If} ${Errors}
    ClearErrors
    ${WordFind} $1 " /$0=" "E+1}" $2
    ${If} ${Errors}
      StrCpy $0 ""
      SetErrors  ; ${Errors} cleared it
      Goto done
    ${EndIf}
    StrCpy $1 $2 1
    ${If} $1 == '"'
      StrCpy $2 $2 "" 1
      ${WordFind} $2 '"' "+1{" $2
    ${Else}
      ${WordFind} $2 " /" "+1{" $2
    ${EndIf}
  ${Else}
    ${WordFind} $2 '"' "+1{" $2
  ${EndIf}
  StrCpy $0 $2
  ClearErrors
  done:
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; The silent options: /CONFIG=, /UPSTREAM=, /AUTOSTARTUSER= and /NOAUTOSTART.
Function ReadCommandLine
  Push "CONFIG"
  Call CommandLineOption
  Pop $ConfigFile
  ; Against the folder the installer was started in: later the working folder is $INSTDIR.
  ${IfThen} $ConfigFile != "" ${|} GetFullPathName $ConfigFile $ConfigFile ${|}
  Push "UPSTREAM"
  Call CommandLineOption
  Pop $Upstream
  Push "AUTOSTARTUSER"
  Call CommandLineOption
  Pop $AutostartUser
  ; Without the option an upgrade keeps the previous autostart account; /NOAUTOSTART removes it.
  ${If} ${Errors}
    ReadRegStr $AutostartUser HKLM "${APP_KEY}" "AutostartUser"
  ${EndIf}
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/NOAUTOSTART" $0
  ${IfNot} ${Errors}
    StrCpy $AutostartUser ""
  ${EndIf}
FunctionEnd
