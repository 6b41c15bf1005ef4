<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AdminError</name>
    <message>
        <location filename="../../ui/admin/common.py" line="+53"/>
        <source>Not done: %1</source>
        <translation>Not done: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not done: an unexpected error (its type is in the kiosk&apos;s log).</source>
        <translation>Not done: an unexpected error (its type is in the kiosk&apos;s log).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/error_texts.py" line="+18"/>
        <source>The first day is after the last day. Choose a first day on or before the last day.</source>
        <translation>The first day is after the last day. Choose a first day on or before the last day.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The first day is in the future, so nothing can be in it yet. Choose today or an earlier day.</source>
        <translation>The first day is in the future, so nothing can be in it yet. Choose today or an earlier day.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This folder does not exist: %2. Choose another folder or plug the USB stick in again.</source>
        <translation>This folder does not exist: %2. Choose another folder or plug the USB stick in again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk may not write in this folder: %2. Choose another folder.</source>
        <translation>The kiosk may not write in this folder: %2. Choose another folder.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A folder already has the file&apos;s name: %2. Choose another folder.</source>
        <translation>A folder already has the file&apos;s name: %2. Choose another folder.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not enough free space in %2. Nothing was written. Free some space or choose another place.</source>
        <translation>Not enough free space in %2. Nothing was written. Free some space or choose another place.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file could not be written. Nothing was saved. Try again or choose another place.</source>
        <translation>The file could not be written. Nothing was saved. Try again or choose another place.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled. Nothing was written.</source>
        <translation>Cancelled. Nothing was written.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kiosk is busy saving visits. Nothing was changed. Try again in a moment.</source>
        <translation>The kiosk is busy saving visits. Nothing was changed. Try again in a moment.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data is in use by another program. Close other copies of the kiosk and try again.</source>
        <translation>The kiosk&apos;s data is in use by another program. Close other copies of the kiosk and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The kiosk&apos;s disk is full. Free some space so that visits can be saved.</source>
        <translation>The kiosk&apos;s disk is full. Free some space so that visits can be saved.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk cannot open its data file (no permission, or the file is missing).</source>
        <translation>The kiosk cannot open its data file (no permission, or the file is missing).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data file is not a kiosk data file.</source>
        <translation>The kiosk&apos;s data file is not a kiosk data file.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data file is damaged. It was left as it is; restore a backup.</source>
        <translation>The kiosk&apos;s data file is damaged. It was left as it is; restore a backup.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data was written by a newer version of the app. Update the app.</source>
        <translation>The kiosk&apos;s data was written by a newer version of the app. Update the app.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk could not be read or written. Check the kiosk&apos;s disk.</source>
        <translation>The disk could not be read or written. Check the kiosk&apos;s disk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk is closing. Open the owner screen again.</source>
        <translation>The kiosk is closing. Open the owner screen again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The settings file has a value the kiosk does not accept. Ask whoever installed the kiosk.</source>
        <translation>The settings file has a value the kiosk does not accept. Ask whoever installed the kiosk.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The settings file was not found.</source>
        <translation>The settings file was not found.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings file could not be read.</source>
        <translation>The settings file could not be read.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings file is not written correctly. Ask whoever installed the kiosk.</source>
        <translation>The settings file is not written correctly. Ask whoever installed the kiosk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is not saved as UTF-8 text. Ask whoever installed the kiosk.</source>
        <translation>The settings file is not saved as UTF-8 text. Ask whoever installed the kiosk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file cannot be changed safely from here. Ask whoever installed the kiosk.</source>
        <translation>The settings file cannot be changed safely from here. Ask whoever installed the kiosk.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrong PIN.</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many wrong PINs. Wait a moment, then try again.</source>
        <translation>Too many wrong PINs. Wait a moment, then try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The PIN may contain digits only.</source>
        <translation>The PIN may contain digits only.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PIN needs at least %2 digits.</source>
        <translation>The PIN needs at least %2 digits.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PIN may have at most %2 digits.</source>
        <translation>The PIN may have at most %2 digits.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>This PIN is too easy to guess. Avoid repeated or sequential digits.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This PIN cannot be used. Choose another one.</source>
        <translation>This PIN cannot be used. Choose another one.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN is not set on this kiosk yet.</source>
        <translation>The owner PIN is not set on this kiosk yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone numbers cannot be exported: this kiosk has no owner account.</source>
        <translation>Phone numbers cannot be exported: this kiosk has no owner account.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The owner&apos;s key is not kept on this kiosk, so phone numbers cannot be opened here.</source>
        <translation>The owner&apos;s key is not kept on this kiosk, so phone numbers cannot be opened here.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The owner&apos;s key could not be opened. Nothing was changed.</source>
        <translation>The owner&apos;s key could not be opened. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>The owner&apos;s key stored on this kiosk is damaged. Use the recovery code.</source>
        <translation>The owner&apos;s key stored on this kiosk is damaged. Use the recovery code.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../ui/admin/screen.py" line="+103"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the entrance</source>
        <translation>Back to the entrance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uploads</source>
        <translation>Uploads</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Health</source>
        <translation>Health</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outage report</source>
        <translation>Outage report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>As of %1</source>
        <translation>As of %1</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%n upload(s) will be tried again now.</source>
        <translation>
            <numerusform>%n upload will be tried again now.</numerusform>
            <numerusform>%n uploads will be tried again now.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Update requested; the age changes when it succeeds.</source>
        <translation>Update requested; the age changes when it succeeds.</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <location filename="../../ui/setup/camera_page.py" line="+58"/>
        <source>The camera</source>
        <translation>The camera</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the camera that faces visitors, then hold a pass in the square to check it.</source>
        <translation>Choose the camera that faces visitors, then hold a pass in the square to check it.</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>No camera (handheld scanner only)</source>
        <translation>No camera (handheld scanner only)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Camera %1</source>
        <translation>Camera %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As in the settings</source>
        <translation>As in the settings</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No camera: visitors&apos; passes are read with a handheld scanner.</source>
        <translation>No camera: visitors&apos; passes are read with a handheld scanner.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold a pass in the square…</source>
        <translation>Hold a pass in the square…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too small — bring the pass closer.</source>
        <translation>Too small — bring the pass closer.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Good: the pass was read.</source>
        <translation>Good: the pass was read.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This camera shows nothing. Choose another, or No camera for a handheld scanner.</source>
        <translation>This camera shows nothing. Choose another, or No camera for a handheld scanner.</translation>
    </message>
</context>
<context>
    <name>ChecksPage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="+165"/>
        <source>Checking the installation</source>
        <translation>Checking the installation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start the kiosk</source>
        <translation>Start the kiosk</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The same checks as `kiosk doctor`, a few seconds…</source>
        <translation>The same checks as `kiosk doctor`, a few seconds…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The same checks as `kiosk doctor`. The details are in English.</source>
        <translation>The same checks as `kiosk doctor`. The details are in English.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n check(s) failed: the kiosk may not work until it is fixed.</source>
        <translation>
            <numerusform>%n check failed: the kiosk may not work until it is fixed.</numerusform>
            <numerusform>%n checks failed: the kiosk may not work until it is fixed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n check(s) need attention; the kiosk works.</source>
        <translation>
            <numerusform>%n check needs attention; the kiosk works.</numerusform>
            <numerusform>%n checks need attention; the kiosk works.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Everything is ready.</source>
        <translation>Everything is ready.</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <location filename="../../ui/admin/export_tab.py" line="+66"/>
        <source>No owner account on this kiosk, so there are no phone numbers to open.</source>
        <translation>No owner account on this kiosk, so there are no phone numbers to open.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>CSV (Excel, UTF-8)</source>
        <translation>CSV (Excel, UTF-8)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (XLSX)</source>
        <translation>Excel workbook (XLSX)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Include phone numbers of manual entries (asks for the PIN)</source>
        <translation>Include phone numbers of manual entries (asks for the PIN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save to folder</source>
        <translation>Save to folder</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 28 days</source>
        <translation>Last 28 days</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>%n visit(s) exported to %1</source>
        <translation>
            <numerusform>%n visit exported to %1</numerusform>
            <numerusform>%n visits exported to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>(%n sealed entry(ies) could not be opened; marked in the file)</source>
        <translation>
            <numerusform>(%n sealed entry could not be opened; marked in the file)</numerusform>
            <numerusform>(%n sealed entries could not be opened; marked in the file)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export cancelled; no file was written.</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
</context>
<context>
    <name>FirstRunFlow</name>
    <message>
        <location filename="../../ui/owner/first_run.py" line="+60"/>
        <source>Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor contact details that only you can read.</source>
        <translation>Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor contact details that only you can read.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the owner key…</source>
        <translation>Creating the owner key…</translation>
    </message>
</context>
<context>
    <name>FolderField</name>
    <message>
        <location filename="../../ui/admin/fields.py" line="+36"/>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save to folder</source>
        <translation>Save to folder</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="+73"/>
        <source>ONLINE</source>
        <translation>ONLINE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DEGRADED</source>
        <translation>DEGRADED</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>OFFLINE</translation>
    </message>
</context>
<context>
    <name>HealthTab</name>
    <message>
        <location filename="../../ui/admin/health.py" line="+131"/>
        <source>Connection to the verification service, last 24 hours</source>
        <translation>Connection to the verification service, last 24 hours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slow</source>
        <translation>slow</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no record</source>
        <translation>no record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scans per hour</source>
        <translation>scans per hour</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>less than a minute</source>
        <translation>less than a minute</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n outage(s) in the last 24 hours, %1 in all; %2 scans.</source>
        <translation>
            <numerusform>%n outage in the last 24 hours, %1 in all; %2 scans.</numerusform>
            <numerusform>%n outages in the last 24 hours, %1 in all; %2 scans.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryStrip</name>
    <message>
        <location filename="../../ui/entrance/recent_verdicts.py" line="+57"/>
        <source>Last:</source>
        <translation>Last:</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="-95"/>
        <source>Welcome: let&apos;s set up this kiosk</source>
        <translation>Welcome: let&apos;s set up this kiosk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the language of the screen. Visitors can switch it at any time.</source>
        <translation>Choose the language of the screen. Visitors can switch it at any time.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/entrance/main_window.py" line="+81"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The manual-log panel is not installed on this kiosk.</source>
        <translation>The manual-log panel is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN pad is not installed on this kiosk.</source>
        <translation>The owner PIN pad is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The staff PIN pad is not installed on this kiosk.</source>
        <translation>The staff PIN pad is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The answer could not be saved. Please answer again.</source>
        <translation>The answer could not be saved. Please answer again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>That visitor was already answered.</source>
        <translation>That visitor was already answered.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The admin screen is not installed on this kiosk.</source>
        <translation>The admin screen is not installed on this kiosk.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Venue Pass Kiosk</source>
        <translation>Venue Pass Kiosk</translation>
    </message>
</context>
<context>
    <name>ManualLogPanel</name>
    <message>
        <location filename="../../ui/entrance/manual_log.py" line="+111"/>
        <source>Visitor with no QR code</source>
        <translation>Visitor with no QR code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the visitor&apos;s certificate by eye, then choose.</source>
        <translation>Check the visitor&apos;s certificate by eye, then choose.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Kept only to reach visitors if an infection is traced here; deleted after %n days.</source>
        <translation>
            <numerusform>Kept only to reach visitors if an infection is traced here; deleted after %n days.</numerusform>
            <numerusform>Kept only to reach visitors if an infection is traced here; deleted after %n days.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone number (optional)</source>
        <translation>Phone number (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checked, admit</source>
        <translation>Checked, admit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deny</source>
        <translation>Deny</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</source>
        <translation>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../ui/owner/keypad.py" line="+97"/>
        <source>Delete the last digit</source>
        <translation>Delete the last digit</translation>
    </message>
</context>
<context>
    <name>OwnerFlow</name>
    <message>
        <location filename="../../ui/owner/flow.py" line="+44"/>
        <source>No owner key on this kiosk yet: record the answer without a phone number.</source>
        <translation>No owner key on this kiosk yet: record the answer without a phone number.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</source>
        <translation>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This visit was already answered.</source>
        <translation>This visit was already answered.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This recovery code does not match this kiosk.</source>
        <translation>This recovery code does not match this kiosk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN is already set on this kiosk.</source>
        <translation>The owner PIN is already set on this kiosk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>This PIN is too easy to guess. Avoid repeated or sequential digits.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is not the PIN the installer set for this kiosk.</source>
        <translation>This is not the PIN the installer set for this kiosk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A staff PIN has 4 to 6 digits.</source>
        <translation>A staff PIN has 4 to 6 digits.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No staff PIN is set yet: the owner PIN unlocks. The owner sets one in the owner menu.</source>
        <translation>No staff PIN is set yet: the owner PIN unlocks. The owner sets one in the owner menu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This could not be saved. Nothing was recorded: please try again.</source>
        <translation>This could not be saved. Nothing was recorded: please try again.</translation>
    </message>
</context>
<context>
    <name>OwnerMenu</name>
    <message>
        <location filename="../../ui/owner/menu.py" line="+75"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The staff PIN is saved. Staff use it to answer staff checks.</source>
        <translation>The staff PIN is saved. Staff use it to answer staff checks.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The PIN was right. What would you like to do?</source>
        <translation>The PIN was right. What would you like to do?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the staff PIN</source>
        <translation>Set the staff PIN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave kiosk mode</source>
        <translation>Leave kiosk mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the entrance screen</source>
        <translation>Back to the entrance screen</translation>
    </message>
</context>
<context>
    <name>OwnerPage</name>
    <message>
        <location line="+50"/>
        <source>Forgotten PIN</source>
        <translation>Forgotten PIN</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/owner/pin_pad.py" line="+26"/>
        <source>Too many wrong PINs: the staff PIN is paused for %1 s. The owner PIN works now.</source>
        <translation>Too many wrong PINs: the staff PIN is paused for %1 s. The owner PIN works now.</translation>
    </message>
    <message>
        <location line="+67"/>
        <location line="+77"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="-73"/>
        <location line="+74"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message numerus="yes">
        <location line="-19"/>
        <source>Wrong PIN. %n tries left before a pause.</source>
        <translation>
            <numerusform>Wrong PIN. %n try left before a pause.</numerusform>
            <numerusform>Wrong PIN. %n tries left before a pause.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No owner PIN is set on this kiosk yet.</source>
        <translation>No owner PIN is set on this kiosk yet.</translation>
    </message>
    <message numerus="yes">
        <location line="+69"/>
        <source>Enter at least %n digits.</source>
        <translation>
            <numerusform>Enter at least %n digits.</numerusform>
            <numerusform>Enter at least %n digits.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The two PINs were different. Enter the new PIN again.</source>
        <translation>The two PINs were different. Enter the new PIN again.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>Too many wrong PINs. Try again in %n seconds.</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n second.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A staff PIN has %1 to %2 digits.</source>
        <translation>A staff PIN has %1 to %2 digits.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>A PIN has at most %n digits.</source>
        <translation>
            <numerusform>A PIN has at most %n digits.</numerusform>
            <numerusform>A PIN has at most %n digits.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>This PIN is too easy to guess. Avoid repeated or sequential digits.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is not the PIN the installer set for this kiosk.</source>
        <translation>This is not the PIN the installer set for this kiosk.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Use digits only, at least %n.</source>
        <translation>
            <numerusform>Use digits only, at least %n.</numerusform>
            <numerusform>Use digits only, at least %n.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Staff PIN (or the owner PIN)</source>
        <translation>Staff PIN (or the owner PIN)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a staff PIN (%1 to %2 digits)</source>
        <translation>Choose a staff PIN (%1 to %2 digits)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter the current owner PIN</source>
        <translation>Enter the current owner PIN</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the owner PIN</source>
        <translation>Enter the owner PIN</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Choose a new owner PIN (at least %n digits)</source>
        <translation>
            <numerusform>Choose a new owner PIN (at least %n digits)</numerusform>
            <numerusform>Choose a new owner PIN (at least %n digits)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the new PIN again to confirm</source>
        <translation>Enter the new PIN again to confirm</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n digits entered</source>
        <translation>
            <numerusform>%n digit entered</numerusform>
            <numerusform>%n digits entered</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinTab</name>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="+145"/>
        <source>No owner account on this kiosk.</source>
        <translation>No owner account on this kiosk.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The owner PIN was changed.</source>
        <translation>The owner PIN was changed.</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <location filename="../../ui/entrance/preview.py" line="+35"/>
        <source>Show your QR code</source>
        <translation>Show your QR code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show QR code %1 of %2</source>
        <translation>Show QR code %1 of %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not all QR codes of the card were shown in time. Please show them again, one by one.</source>
        <translation>Not all QR codes of the card were shown in time. Please show them again, one by one.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That QR code belongs to another card. Starting again with this card.</source>
        <translation>That QR code belongs to another card. Starting again with this card.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Scanner is in Korean or Caps mode</source>
        <translation>Scanner is in Korean or Caps mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scanner keeps sending unreadable input</source>
        <translation>The scanner keeps sending unreadable input</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tilt away from the light</source>
        <translation>Tilt away from the light</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move closer</source>
        <translation>Move closer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hold still</source>
        <translation>Hold still</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn up your screen brightness</source>
        <translation>Turn up your screen brightness</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service down: staff check tokens</source>
        <translation>Service down: staff check tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check that the camera is plugged in and not used by another program. Trying again every few seconds. A handheld scanner still works.</source>
        <translation>Check that the camera is plugged in and not used by another program. Trying again every few seconds. A handheld scanner still works.</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-57"/>
        <source>Valid pass</source>
        <translation>Valid pass</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This QR code is not a pass</source>
        <translation>This QR code is not a pass</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass could not be read</source>
        <translation>The pass could not be read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed with a key the kiosk does not know</source>
        <translation>Signed with a key the kiosk does not know</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued by an unknown issuer</source>
        <translation>Issued by an unknown issuer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass is not genuine (signature check failed)</source>
        <translation>The pass is not genuine (signature check failed)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass has expired</source>
        <translation>The pass has expired</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass is not valid yet</source>
        <translation>The pass is not valid yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The issuer may not sign this kind of pass</source>
        <translation>The issuer may not sign this kind of pass</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass holds no vaccination, test or recovery</source>
        <translation>The pass holds no vaccination, test or recovery</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccination not complete</source>
        <translation>Vaccination not complete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccinated too recently</source>
        <translation>Vaccinated too recently</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccination too long ago</source>
        <translation>Vaccination too long ago</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test result is positive</source>
        <translation>Test result is positive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The test is too old</source>
        <translation>The test is too old</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This kind of test is not accepted</source>
        <translation>This kind of test is not accepted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recovery pass not valid yet</source>
        <translation>Recovery pass not valid yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recovery pass has expired</source>
        <translation>Recovery pass has expired</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass has been revoked</source>
        <translation>The pass has been revoked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not valid according to the verification service</source>
        <translation>Not valid according to the verification service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The verification service cannot be reached: staff, check the pass by eye</source>
        <translation>The verification service cannot be reached: staff, check the pass by eye</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk has no list of pass issuers yet: staff, check the pass by eye</source>
        <translation>The kiosk has no list of pass issuers yet: staff, check the pass by eye</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s list of pass issuers is too old: staff, check the pass by eye</source>
        <translation>The kiosk&apos;s list of pass issuers is too old: staff, check the pass by eye</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked by staff</source>
        <translation>Checked by staff</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused by staff</source>
        <translation>Refused by staff</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The visit could not be saved: staff, check the pass by eye</source>
        <translation>The visit could not be saved: staff, check the pass by eye</translation>
    </message>
</context>
<context>
    <name>RecoveryCodePage</name>
    <message>
        <location filename="../../ui/owner/recovery_code.py" line="+66"/>
        <source>Your new recovery code</source>
        <translation>Your new recovery code</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The code you just typed no longer works. Write this new code on paper, keep it away from the kiosk and throw the old paper away. It is shown only this once.</source>
        <translation>The code you just typed no longer works. Write this new code on paper, keep it away from the kiosk and throw the old paper away. It is shown only this once.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your recovery code</source>
        <translation>Your recovery code</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write this code on paper and keep it away from the kiosk. It is shown only this once. If you forget the PIN, this code sets a new one.</source>
        <translation>Write this code on paper and keep it away from the kiosk. It is shown only this once. If you forget the PIN, this code sets a new one.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>I have written it down</source>
        <translation>I have written it down</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>RecoveryFlow</name>
    <message>
        <location filename="../../ui/owner/recovery.py" line="+69"/>
        <source>Forgotten PIN</source>
        <translation>Forgotten PIN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the recovery code you wrote down when the kiosk was set up.</source>
        <translation>Type the recovery code you wrote down when the kiosk was set up.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>A recovery code has 24 letters and digits (2 to 7), in groups of four.</source>
        <translation>A recovery code has 24 letters and digits (2 to 7), in groups of four.</translation>
    </message>
</context>
<context>
    <name>ReportTab</name>
    <message>
        <location filename="../../ui/admin/report_tab.py" line="+86"/>
        <source>Whole history</source>
        <translation>Whole history</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web page to print (HTML)</source>
        <translation>Web page to print (HTML)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data (JSON)</source>
        <translation>Data (JSON)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Spreadsheet (CSV)</source>
        <translation>Spreadsheet (CSV)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write outage report</source>
        <translation>Write outage report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open to print</source>
        <translation>Open to print</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Outages of the connection to the verification service, with visits verified offline and logged by hand. No personal data.</source>
        <translation>Outages of the connection to the verification service, with visits verified offline and logged by hand. No personal data.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save to folder</source>
        <translation>Save to folder</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The whole history is chosen: untick it to choose the days.</source>
        <translation>The whole history is chosen: untick it to choose the days.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Writing the report…</source>
        <translation>Writing the report…</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n outage(s) written to %1</source>
        <translation>
            <numerusform>%n outage written to %1</numerusform>
            <numerusform>%n outages written to %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA-256 of the report body: %1</source>
        <translation>SHA-256 of the report body: %1</translation>
    </message>
</context>
<context>
    <name>Secondary</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-18"/>
        <source>Admitted</source>
        <translation>입장 가능</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not admitted</source>
        <translation>입장 불가</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff check</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location filename="../../ui/entrance/preview.py" line="-29"/>
        <source>Show your QR code</source>
        <translation>QR 코드를 보여주세요</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show QR code %1 of %2</source>
        <translation>%2개 중 %1번째 QR 코드를 보여주세요</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Service down: staff check tokens</source>
        <translation>Service down: staff check tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>카메라 없음</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="-97"/>
        <source>first camera</source>
        <translation>first camera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kiosk mode (full screen; leaving needs the owner PIN)</source>
        <translation>Kiosk mode (full screen; leaving needs the owner PIN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save settings</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Camera (number, device, video file or image folder)</source>
        <translation>Camera (number, device, video file or image folder)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sound volume</source>
        <translation>Sound volume</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verdict shown for</source>
        <translation>Verdict shown for</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Saved. The camera and kiosk mode change at the next start.</source>
        <translation>Saved. The camera and kiosk mode change at the next start.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+135"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Setting up the kiosk: step %1 of %2</source>
        <translation>Setting up the kiosk: step %1 of %2</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The settings could not be saved: %1</source>
        <translation>The settings could not be saved: %1</translation>
    </message>
</context>
<context>
    <name>StaffStrip</name>
    <message>
        <location filename="../../ui/entrance/staff_strip.py" line="+34"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Visitor with no QR code:</source>
        <translation>Visitor with no QR code:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Admit</source>
        <translation>Admit</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+20"/>
        <source>Deny</source>
        <translation>Deny</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>With phone number…</source>
        <translation>With phone number…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock</source>
        <translation>Lock</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n staff check(s) waiting</source>
        <translation>
            <numerusform>%n staff check waiting</numerusform>
            <numerusform>%n staff checks waiting</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Set aside</source>
        <translation>Set aside</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n more after these</source>
        <translation>
            <numerusform>%n more after these</numerusform>
            <numerusform>%n more after these</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/entrance/status_bar.py" line="+127"/>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Uploads pending: %1</source>
        <translation>Uploads pending: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused</source>
        <translation>%1 refused</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>just now</source>
        <translation>just now</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min ago</source>
        <translation>%1 min ago</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h ago</source>
        <translation>%1 h ago</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 days ago</source>
        <translation>%1 days ago</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Staff</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Certificate list: none</source>
        <translation>Certificate list: none</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates updated: %1</source>
        <translation>Certificates updated: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Visits today: %1</source>
        <translation>Visits today: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Last problem: %1</source>
        <translation>Last problem: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No verification service configured: offline checks only</source>
        <translation>No verification service configured: offline checks only</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Next try: %1</source>
        <translation>Next try: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates last updated: %1</source>
        <translation>Certificates last updated: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A trust list failed its signature check at %1: the previous one is kept</source>
        <translation>A trust list failed its signature check at %1: the previous one is kept</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The clock is %1 min off the verification service&apos;s: set the date and time</source>
        <translation>The clock is %1 min off the verification service&apos;s: set the date and time</translation>
    </message>
</context>
<context>
    <name>StepPage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="-84"/>
        <source>Set by the installer</source>
        <translation>Set by the installer</translation>
    </message>
</context>
<context>
    <name>TodayTab</name>
    <message>
        <location filename="../../ui/admin/overview.py" line="+108"/>
        <source>Admitted</source>
        <translation>Admitted</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Staff check</source>
        <translation>Staff check</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Today&apos;s visits by decision</source>
        <translation>Today&apos;s visits by decision</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>All visits today</source>
        <translation>All visits today</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today&apos;s visits by verification path</source>
        <translation>Today&apos;s visits by verification path</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust list</source>
        <translation>Trust list</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Update now</source>
        <translation>Update now</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Age</source>
        <translation>Age</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Not admitted</source>
        <translation>Not admitted</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checked online</source>
        <translation>Checked online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked offline</source>
        <translation>Checked offline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked by staff</source>
        <translation>Checked by staff</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visitor</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>How checked</source>
        <translation>How checked</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificates</source>
        <translation>Certificates</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n staff check(s) not answered yet: listed first.</source>
        <translation>
            <numerusform>%n staff check not answered yet: listed first.</numerusform>
            <numerusform>%n staff checks not answered yet: listed first.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Staff check, not answered</source>
        <translation>Staff check, not answered</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No trust list yet: signed passes cannot be verified offline</source>
        <translation>No trust list yet: signed passes cannot be verified offline</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n hour(s) old</source>
        <translation>
            <numerusform>%n hour old</numerusform>
            <numerusform>%n hours old</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported certificates only (no upstream set)</source>
        <translation>Imported certificates only (no upstream set)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No upstream service is configured, so there is nothing to update from.</source>
        <translation>No upstream service is configured, so there is nothing to update from.</translation>
    </message>
</context>
<context>
    <name>UploadsTab</name>
    <message>
        <location line="+49"/>
        <source>Uploads to the verification service</source>
        <translation>Uploads to the verification service</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting to upload</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>…of which held back (service busy)</source>
        <translation>…of which held back (service busy)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set aside after an error</source>
        <translation>Set aside after an error</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Retry now</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Admitted offline, later reported revoked or invalid</source>
        <translation>Admitted offline, later reported revoked or invalid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reported</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Nothing to retry: no upload is set aside or held back.</source>
        <translation>Nothing to retry: no upload is set aside or held back.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>revoked</source>
        <translation>revoked</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>invalid</source>
        <translation>invalid</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n visit(s) admitted offline were later reported revoked or invalid.</source>
        <translation>
            <numerusform>%n visit admitted offline was later reported revoked or invalid.</numerusform>
            <numerusform>%n visits admitted offline were later reported revoked or invalid.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UpstreamPage</name>
    <message>
        <location filename="../../ui/setup/upstream_page.py" line="+41"/>
        <source>The verification service</source>
        <translation>The verification service</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address and key your provider gave for this kiosk. Without them (Skip) the kiosk checks passes offline with the certificate list it came with.</source>
        <translation>The address and key your provider gave for this kiosk. Without them (Skip) the kiosk checks passes offline with the certificate list it came with.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Address (https://…)</source>
        <translation>Address (https://…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Testing…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Connected: the key is accepted.</source>
        <translation>✓ Connected: the key is accepted.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ The service refuses this key. Check it, or skip.</source>
        <translation>✗ The service refuses this key. Check it, or skip.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✗ Cannot reach the service. Check the address and the network, or skip: the kiosk works offline meanwhile.</source>
        <translation>✗ Cannot reach the service. Check the address and the network, or skip: the kiosk works offline meanwhile.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>✗ Not an https address. Use the https:// address given.</source>
        <translation>✗ Not an https address. Use the https:// address given.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>! The service answers but cannot check keys.</source>
        <translation>! The service answers but cannot check keys.</translation>
    </message>
</context>
<context>
    <name>VenuePage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="+110"/>
        <source>Your venue</source>
        <translation>Your venue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The venue&apos;s name is shown at the top of the screen.</source>
        <translation>The venue&apos;s name is shown at the top of the screen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Venue name</source>
        <translation>Venue name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. Mapo Gukbap</source>
        <translation>e.g. Mapo Gukbap</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kiosk id (one per entrance; the suggestion is fine)</source>
        <translation>Kiosk id (one per entrance; the suggestion is fine)</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-7"/>
        <source>Admitted</source>
        <translation>Admitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not admitted</source>
        <translation>Not admitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff check</source>
        <translation>Staff check</translation>
    </message>
</context>
<context>
    <name>VerdictView</name>
    <message>
        <location filename="../../ui/entrance/verdict.py" line="+135"/>
        <source>Admit</source>
        <translation>Admit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deny</source>
        <translation>Deny</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>shown again, not logged twice</source>
        <translation>shown again, not logged twice</translation>
    </message>
</context>
<context>
    <name>VerifiedBy</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="+9"/>
        <source>Checked online</source>
        <translation>Checked online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked offline (signature)</source>
        <translation>Checked offline (signature)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked by staff</source>
        <translation>Checked by staff</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>Not checked</translation>
    </message>
</context>
</TS>
