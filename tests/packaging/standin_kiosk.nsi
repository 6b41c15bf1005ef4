; A stand-in for the kiosk's Windows program, for the installer's test under Wine: a small 64-bit
; Windows program that does nothing, or, started with "stay", keeps running (as a kiosk does) until
; the file C:\kiosk-stay is gone, after writing C:\kiosk-started.
Unicode true
Target amd64-unicode
OutFile "${OUTFILE}"
SilentInstall silent
RequestExecutionLevel user
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Section
  ${GetParameters} $0
  ${If} $0 == "stay"
    FileOpen $1 "C:\kiosk-started" w
    FileClose $1
    ; At most 10 minutes, so a test that fails cannot leave it behind for long.
    StrCpy $2 0
    ${DoWhile} ${FileExists} "C:\kiosk-stay"
      ${IfThen} $2 >= 6000 ${|} ${Break} ${|}
      Sleep 100
      IntOp $2 $2 + 1
    ${Loop}
  ${EndIf}
SectionEnd
