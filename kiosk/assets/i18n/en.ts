<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Cause</name>
    <message>
        <location filename="../../ui/texts.py" line="+72" />
        <source>no answer in time</source>
        <translation>no answer in time</translation>
    </message>
    <message>
        <location line="+1" />
        <source>server error</source>
        <translation>server error</translation>
    </message>
    <message>
        <location line="+1" />
        <source>server overloaded</source>
        <translation>server overloaded</translation>
    </message>
    <message>
        <location line="+1" />
        <source>server name not found</source>
        <translation>server name not found</translation>
    </message>
    <message>
        <location line="+1" />
        <source>connection refused</source>
        <translation>connection refused</translation>
    </message>
    <message>
        <location line="+1" />
        <source>secure connection failed</source>
        <translation>secure connection failed</translation>
    </message>
    <message>
        <location line="+1" />
        <source>unreadable answer</source>
        <translation>unreadable answer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>answers too slow</source>
        <translation>answers too slow</translation>
    </message>
    <message>
        <location line="+1" />
        <source>connection dropped</source>
        <translation>connection dropped</translation>
    </message>
    <message>
        <location line="+1" />
        <source>kiosk key refused</source>
        <translation>kiosk key refused</translation>
    </message>
    <message>
        <location line="+1" />
        <source>request refused</source>
        <translation>request refused</translation>
    </message>
    <message>
        <location line="+2" />
        <source>none</source>
        <translation>none</translation>
    </message>
</context>
<context>
    <name>FirstRunFlow</name>
    <message>
        <location filename="../../ui/views/first_run.py" line="+35" />
        <source>Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor contact details that only you can read.</source>
        <translation>Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor contact details that only you can read.</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Creating the owner key…</source>
        <translation>Creating the owner key…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Your recovery code</source>
        <translation>Your recovery code</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Write this code on paper and keep it away from the kiosk. It is shown only this once. If you forget the PIN, this code sets a new one.</source>
        <translation>Write this code on paper and keep it away from the kiosk. It is shown only this once. If you forget the PIN, this code sets a new one.</translation>
    </message>
    <message>
        <location line="+15" />
        <source>I have written it down</source>
        <translation>I have written it down</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Done</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <location filename="../../ui/texts.py" line="-19" />
        <source>ONLINE</source>
        <translation>ONLINE</translation>
    </message>
    <message>
        <location line="+1" />
        <source>DEGRADED</source>
        <translation>DEGRADED</translation>
    </message>
    <message>
        <location line="+1" />
        <source>OFFLINE</source>
        <translation>OFFLINE</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/views/main_window.py" line="+57" />
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The manual-log panel is not installed on this kiosk.</source>
        <translation>The manual-log panel is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The owner PIN pad is not installed on this kiosk.</source>
        <translation>The owner PIN pad is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Venue Pass Kiosk</source>
        <translation>Venue Pass Kiosk</translation>
    </message>
</context>
<context>
    <name>ManualLogPanel</name>
    <message>
        <location filename="../../ui/views/manual_log.py" line="+32" />
        <source>Manual log</source>
        <translation>Manual log</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Check the visitor's pass by eye, then choose.</source>
        <translation>Check the visitor's pass by eye, then choose.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Phone number (optional)</source>
        <translation>Phone number (optional)</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Checked, admit</source>
        <translation>Checked, admit</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Deny</source>
        <translation>Deny</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+82" />
        <source>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</source>
        <translation>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../ui/views/keypad.py" line="+51" />
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/views/pin_pad.py" line="+78" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message numerus="yes">
        <location line="+49" />
        <source>Wrong PIN. %n tries left before a pause.</source>
        <translation>
            <numerusform>Wrong PIN. %n tries left before a pause.</numerusform>
            <numerusform>Wrong PIN. %n tries left before a pause.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>No owner PIN is set on this kiosk yet.</source>
        <translation>No owner PIN is set on this kiosk yet.</translation>
    </message>
    <message numerus="yes">
        <location line="+54" />
        <source>Enter at least %n digits.</source>
        <translation>
            <numerusform>Enter at least %n digits.</numerusform>
            <numerusform>Enter at least %n digits.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13" />
        <source>The two PINs were different. Enter the new PIN again.</source>
        <translation>The two PINs were different. Enter the new PIN again.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message numerus="yes">
        <location line="+20" />
        <source>Too many wrong PINs. Try again in %n seconds.</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n seconds.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6" />
        <source>A PIN has at most %n digits.</source>
        <translation>
            <numerusform>A PIN has at most %n digits.</numerusform>
            <numerusform>A PIN has at most %n digits.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>This PIN is too easy to guess. Avoid repeated or sequential digits.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This is not the PIN the installer set for this kiosk.</source>
        <translation>This is not the PIN the installer set for this kiosk.</translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>Use digits only, at least %n.</source>
        <translation>
            <numerusform>Use digits only, at least %n.</numerusform>
            <numerusform>Use digits only, at least %n.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6" />
        <source>Enter the current owner PIN</source>
        <translation>Enter the current owner PIN</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Enter the owner PIN</source>
        <translation>Enter the owner PIN</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>Choose a new owner PIN (at least %n digits)</source>
        <translation>
            <numerusform>Choose a new owner PIN (at least %n digits)</numerusform>
            <numerusform>Choose a new owner PIN (at least %n digits)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1" />
        <source>Enter the new PIN again to confirm</source>
        <translation>Enter the new PIN again to confirm</translation>
    </message>
    <message numerus="yes">
        <location line="+13" />
        <source>%n digits entered</source>
        <translation>
            <numerusform>%n digits entered</numerusform>
            <numerusform>%n digits entered</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <location filename="../../ui/views/preview.py" line="+19" />
        <source>Show your QR code</source>
        <translation>Show your QR code</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Check that the camera is plugged in and not used by another program. Trying again every few seconds. A handheld scanner still works.</source>
        <translation>Check that the camera is plugged in and not used by another program. Trying again every few seconds. A handheld scanner still works.</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../ui/texts.py" line="-51" />
        <source>Valid pass</source>
        <translation>Valid pass</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This QR code is not a pass</source>
        <translation>This QR code is not a pass</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass could not be read</source>
        <translation>The pass could not be read</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Signed with a key the kiosk does not know</source>
        <translation>Signed with a key the kiosk does not know</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Issued by an unknown issuer</source>
        <translation>Issued by an unknown issuer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass is not genuine (signature check failed)</source>
        <translation>The pass is not genuine (signature check failed)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass has expired</source>
        <translation>The pass has expired</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass is not valid yet</source>
        <translation>The pass is not valid yet</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The issuer may not sign this kind of pass</source>
        <translation>The issuer may not sign this kind of pass</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass holds no vaccination, test or recovery</source>
        <translation>The pass holds no vaccination, test or recovery</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Vaccination not complete</source>
        <translation>Vaccination not complete</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Vaccinated less than 14 days ago</source>
        <translation>Vaccinated less than 14 days ago</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Vaccination too long ago</source>
        <translation>Vaccination too long ago</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Test result is positive</source>
        <translation>Test result is positive</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The test is too old</source>
        <translation>The test is too old</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This kind of test is not accepted</source>
        <translation>This kind of test is not accepted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recovery pass not valid yet</source>
        <translation>Recovery pass not valid yet</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recovery pass has expired</source>
        <translation>Recovery pass has expired</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The pass has been revoked</source>
        <translation>The pass has been revoked</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not valid according to the verification service</source>
        <translation>Not valid according to the verification service</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The verification service cannot be reached: staff, check the pass by eye</source>
        <translation>The verification service cannot be reached: staff, check the pass by eye</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Checked by staff</source>
        <translation>Checked by staff</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Refused by staff</source>
        <translation>Refused by staff</translation>
    </message>
    <message>
        <location line="+46" />
        <source>The visit could not be saved: staff, check the pass by eye</source>
        <translation>The visit could not be saved: staff, check the pass by eye</translation>
    </message>
</context>
<context>
    <name>RecoveryFlow</name>
    <message>
        <location filename="../../ui/views/recovery.py" line="+34" />
        <source>Forgotten PIN</source>
        <translation>Forgotten PIN</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Type the recovery code you wrote down when the kiosk was set up.</source>
        <translation>Type the recovery code you wrote down when the kiosk was set up.</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+33" />
        <source>A recovery code has 24 letters and digits (2 to 7), in groups of four.</source>
        <translation>A recovery code has 24 letters and digits (2 to 7), in groups of four.</translation>
    </message>
</context>
<context>
    <name>Secondary</name>
    <message>
        <location filename="../../ui/texts.py" line="-34" />
        <source>Admitted</source>
        <translation>입장</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not admitted</source>
        <translation>입장 불가</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Staff check</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location filename="../../ui/views/preview.py" line="-4" />
        <source>Show your QR code</source>
        <translation>QR 코드를 보여주세요</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No camera</source>
        <translation>카메라 없음</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/views/status_bar.py" line="+29" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+1" />
        <source>%1 days</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <location line="+64" />
        <source>Manual log</source>
        <translation>Manual log</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Uploads pending: %1</source>
        <translation>Uploads pending: %1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%1 refused</source>
        <translation>%1 refused</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Trust list: none</source>
        <translation>Trust list: none</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Trust list: %1</source>
        <translation>Trust list: %1</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Visits today: %1</source>
        <translation>Visits today: %1</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Last problem: %1</source>
        <translation>Last problem: %1</translation>
    </message>
    <message>
        <location line="+6" />
        <source>No verification service configured: offline checks only</source>
        <translation>No verification service configured: offline checks only</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Next try: %1</source>
        <translation>Next try: %1</translation>
    </message>
    <message>
        <location line="+7" />
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Last trust-list sync: %1</source>
        <translation>Last trust-list sync: %1</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../ui/texts.py" line="-7" />
        <source>Admitted</source>
        <translation>Admitted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not admitted</source>
        <translation>Not admitted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Staff check</source>
        <translation>Staff check</translation>
    </message>
</context>
<context>
    <name>VerdictView</name>
    <message>
        <location filename="../../ui/views/verdict.py" line="+80" />
        <source>Manual log</source>
        <translation>Manual log</translation>
    </message>
    <message>
        <location line="+21" />
        <source>shown again, not logged twice</source>
        <translation>shown again, not logged twice</translation>
    </message>
</context>
<context>
    <name>VerifiedBy</name>
    <message>
        <location filename="../../ui/texts.py" line="+9" />
        <source>Checked online</source>
        <translation>Checked online</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Checked offline (signature)</source>
        <translation>Checked offline (signature)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Checked by staff</source>
        <translation>Checked by staff</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not checked</source>
        <translation>Not checked</translation>
    </message>
</context>
</TS>