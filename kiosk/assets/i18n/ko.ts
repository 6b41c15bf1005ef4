<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AdminError</name>
    <message>
        <location filename="../../ui/admin/common.py" line="+53"/>
        <source>Not done: %1</source>
        <translation>완료하지 못했습니다: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not done: an unexpected error (its type is in the kiosk&apos;s log).</source>
        <translation>완료하지 못했습니다: 예상하지 못한 오류입니다 (종류는 키오스크 로그에 있습니다).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/error_texts.py" line="+18"/>
        <source>The first day is after the last day. Choose a first day on or before the last day.</source>
        <translation>시작일이 종료일보다 늦습니다. 시작일을 종료일과 같거나 더 이른 날로 고르세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The first day is in the future, so nothing can be in it yet. Choose today or an earlier day.</source>
        <translation>시작일이 미래라서 아직 기록이 있을 수 없습니다. 오늘이나 이전 날짜를 고르세요.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This folder does not exist: %2. Choose another folder or plug the USB stick in again.</source>
        <translation>이 폴더가 없습니다: %2. 다른 폴더를 고르거나 USB 메모리를 다시 꽂으세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk may not write in this folder: %2. Choose another folder.</source>
        <translation>이 폴더에는 저장할 권한이 없습니다: %2. 다른 폴더를 고르세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A folder already has the file&apos;s name: %2. Choose another folder.</source>
        <translation>같은 이름의 폴더가 이미 있습니다: %2. 다른 폴더를 고르세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not enough free space in %2. Nothing was written. Free some space or choose another place.</source>
        <translation>%2에 빈 공간이 부족해 아무것도 저장하지 않았습니다. 공간을 비우거나 다른 곳을 고르세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file could not be written. Nothing was saved. Try again or choose another place.</source>
        <translation>파일을 쓸 수 없어 아무것도 저장하지 않았습니다. 다시 시도하거나 다른 곳을 고르세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled. Nothing was written.</source>
        <translation>취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kiosk is busy saving visits. Nothing was changed. Try again in a moment.</source>
        <translation>키오스크가 방문 기록을 저장하는 중이라 아무것도 바꾸지 않았습니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data is in use by another program. Close other copies of the kiosk and try again.</source>
        <translation>다른 프로그램이 키오스크 데이터를 쓰고 있습니다. 다른 키오스크 창을 닫고 다시 시도하세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The kiosk&apos;s disk is full. Free some space so that visits can be saved.</source>
        <translation>키오스크 디스크가 가득 찼습니다. 방문 기록을 저장할 수 있도록 공간을 비우세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk cannot open its data file (no permission, or the file is missing).</source>
        <translation>키오스크 데이터 파일을 열 수 없습니다 (권한이 없거나 파일이 없습니다).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data file is not a kiosk data file.</source>
        <translation>키오스크 데이터 파일이 올바른 형식이 아닙니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data file is damaged. It was left as it is; restore a backup.</source>
        <translation>키오스크 데이터 파일이 손상되었습니다. 파일은 그대로 두었으니 백업에서 복원하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s data was written by a newer version of the app. Update the app.</source>
        <translation>키오스크 데이터가 더 새로운 버전의 앱으로 저장되었습니다. 앱을 업데이트하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk could not be read or written. Check the kiosk&apos;s disk.</source>
        <translation>디스크를 읽거나 쓸 수 없습니다. 키오스크 디스크를 점검하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk is closing. Open the owner screen again.</source>
        <translation>키오스크가 종료되는 중입니다. 점주 화면을 다시 여세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The settings file has a value the kiosk does not accept. Ask whoever installed the kiosk.</source>
        <translation>설정 파일에 키오스크가 받아들일 수 없는 값이 있습니다. 설치 담당자에게 문의하세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The settings file was not found.</source>
        <translation>설정 파일을 찾을 수 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings file could not be read.</source>
        <translation>설정 파일을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings file is not written correctly. Ask whoever installed the kiosk.</source>
        <translation>설정 파일의 형식이 올바르지 않습니다. 설치 담당자에게 문의하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is not saved as UTF-8 text. Ask whoever installed the kiosk.</source>
        <translation>설정 파일이 UTF-8 텍스트로 저장되어 있지 않습니다. 설치 담당자에게 문의하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file cannot be changed safely from here. Ask whoever installed the kiosk.</source>
        <translation>이 화면에서는 설정 파일을 안전하게 바꿀 수 없습니다. 설치 담당자에게 문의하세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrong PIN.</source>
        <translation>PIN이 틀렸습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many wrong PINs. Wait a moment, then try again.</source>
        <translation>PIN을 너무 많이 틀렸습니다. 잠시 기다린 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The PIN may contain digits only.</source>
        <translation>PIN에는 숫자만 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PIN needs at least %2 digits.</source>
        <translation>PIN은 %2자리 이상이어야 합니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PIN may have at most %2 digits.</source>
        <translation>PIN은 최대 %2자리까지 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>추측하기 쉬운 PIN입니다. 반복되거나 연속된 숫자는 피하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This PIN cannot be used. Choose another one.</source>
        <translation>이 PIN은 쓸 수 없습니다. 다른 PIN을 정하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN is not set on this kiosk yet.</source>
        <translation>이 키오스크에는 아직 점주 PIN이 설정되지 않았습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone numbers cannot be exported: this kiosk has no owner account.</source>
        <translation>전화번호를 내보낼 수 없습니다: 이 키오스크에는 점주 계정이 없습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The owner&apos;s key is not kept on this kiosk, so phone numbers cannot be opened here.</source>
        <translation>이 키오스크에는 점주 키가 보관되어 있지 않아 여기서는 전화번호를 열 수 없습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The owner&apos;s key could not be opened. Nothing was changed.</source>
        <translation>점주 키를 열 수 없어 아무것도 바꾸지 않았습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>The owner&apos;s key stored on this kiosk is damaged. Use the recovery code.</source>
        <translation>이 키오스크에 저장된 점주 키가 손상되었습니다. 복구 코드를 사용하세요.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../ui/admin/screen.py" line="+103"/>
        <source>Owner</source>
        <translation>점주</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the entrance</source>
        <translation>입장 화면으로</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uploads</source>
        <translation>전송</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Health</source>
        <translation>연결 상태</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outage report</source>
        <translation>장애 보고서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change PIN</source>
        <translation>PIN 변경</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>As of %1</source>
        <translation>%1 기준</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%n upload(s) will be tried again now.</source>
        <translation>
            <numerusform>전송 %n건을 지금 다시 시도합니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Update requested; the age changes when it succeeds.</source>
        <translation>갱신을 요청했습니다. 성공하면 마지막 갱신 시각이 바뀝니다.</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <location filename="../../ui/setup/camera_page.py" line="+58"/>
        <source>The camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the camera that faces visitors, then hold a pass in the square to check it.</source>
        <translation>방문자를 향한 카메라를 고른 뒤, 사각형 안에 증명서를 대어 확인해 보세요.</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>No camera (handheld scanner only)</source>
        <translation>카메라 없음 (핸드 스캐너만)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Camera %1</source>
        <translation>카메라 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As in the settings</source>
        <translation>설정 파일의 카메라</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No camera: visitors&apos; passes are read with a handheld scanner.</source>
        <translation>카메라 없음: 방문자의 증명서는 핸드 스캐너로 읽습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hold a pass in the square…</source>
        <translation>사각형 안에 증명서를 대어 주세요…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too small — bring the pass closer.</source>
        <translation>너무 작습니다 — 증명서를 더 가까이 대어 주세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Good: the pass was read.</source>
        <translation>좋습니다: 증명서를 읽었습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This camera shows nothing. Choose another, or No camera for a handheld scanner.</source>
        <translation>이 카메라에 화면이 나오지 않습니다. 다른 카메라를 고르거나, 핸드 스캐너를 쓰려면 카메라 없음을 고르세요.</translation>
    </message>
</context>
<context>
    <name>ChecksPage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="+165"/>
        <source>Checking the installation</source>
        <translation>설치 상태 점검</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start the kiosk</source>
        <translation>키오스크 시작</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The same checks as `kiosk doctor`, a few seconds…</source>
        <translation>`kiosk doctor`와 같은 점검입니다. 잠시만 기다려 주세요…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The same checks as `kiosk doctor`. The details are in English.</source>
        <translation>`kiosk doctor`와 같은 점검입니다. 자세한 내용은 영어로 표시됩니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n check(s) failed: the kiosk may not work until it is fixed.</source>
        <translation>
            <numerusform>%n개 점검 실패: 고치기 전에는 키오스크가 동작하지 않을 수 있습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n check(s) need attention; the kiosk works.</source>
        <translation>
            <numerusform>%n개 점검 항목을 확인해 주세요. 키오스크는 동작합니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Everything is ready.</source>
        <translation>모두 준비되었습니다.</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <location filename="../../ui/admin/export_tab.py" line="+66"/>
        <source>No owner account on this kiosk, so there are no phone numbers to open.</source>
        <translation>이 키오스크에는 점주 계정이 없어 열어 볼 전화번호가 없습니다.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>CSV (Excel, UTF-8)</source>
        <translation>CSV (엑셀, UTF-8)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (XLSX)</source>
        <translation>엑셀 통합 문서 (XLSX)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Include phone numbers of manual entries (asks for the PIN)</source>
        <translation>수기 기록의 전화번호 포함 (PIN 필요)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>시작일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>종료일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save to folder</source>
        <translation>저장 폴더</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yesterday</source>
        <translation>어제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 28 days</source>
        <translation>최근 28일</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Exporting…</source>
        <translation>내보내는 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>%n visit(s) exported to %1</source>
        <translation>
            <numerusform>방문 %n건을 %1에 내보냈습니다</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>(%n sealed entry(ies) could not be opened; marked in the file)</source>
        <translation>
            <numerusform>(봉인된 기록 %n건을 열 수 없어 파일에 표시했습니다)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export cancelled; no file was written.</source>
        <translation>내보내기를 취소했습니다. 파일을 만들지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>FirstRunFlow</name>
    <message>
        <location filename="../../ui/owner/first_run.py" line="+60"/>
        <source>Welcome. Choose the owner PIN: it protects leaving kiosk mode and the visitor contact details that only you can read.</source>
        <translation>환영합니다. 점주 PIN을 정하세요. 키오스크 모드 종료와, 점주만 열람할 수 있는 방문자 연락처를 보호합니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the owner key…</source>
        <translation>점주 키를 만드는 중…</translation>
    </message>
</context>
<context>
    <name>FolderField</name>
    <message>
        <location filename="../../ui/admin/fields.py" line="+36"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save to folder</source>
        <translation>저장 폴더</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="+73"/>
        <source>ONLINE</source>
        <translation>온라인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DEGRADED</source>
        <translation>연결 불안정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>오프라인</translation>
    </message>
</context>
<context>
    <name>HealthTab</name>
    <message>
        <location filename="../../ui/admin/health.py" line="+131"/>
        <source>Connection to the verification service, last 24 hours</source>
        <translation>최근 24시간 인증 서비스 연결 상태</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slow</source>
        <translation>연결 불안정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no record</source>
        <translation>기록 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scans per hour</source>
        <translation>시간당 스캔</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>less than a minute</source>
        <translation>1분 미만</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n분</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n outage(s) in the last 24 hours, %1 in all; %2 scans.</source>
        <translation>
            <numerusform>최근 24시간 장애 %n건, 합계 %1; 스캔 %2건.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryStrip</name>
    <message>
        <location filename="../../ui/entrance/recent_verdicts.py" line="+57"/>
        <source>Last:</source>
        <translation>최근:</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="-95"/>
        <source>Welcome: let&apos;s set up this kiosk</source>
        <translation>환영합니다: 키오스크를 설정합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the language of the screen. Visitors can switch it at any time.</source>
        <translation>화면 언어를 고르세요. 방문자는 언제든지 바꿀 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/entrance/main_window.py" line="+81"/>
        <source>Back</source>
        <translation>돌아가기</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The manual-log panel is not installed on this kiosk.</source>
        <translation>이 키오스크에는 수기 기록 화면이 설치되어 있지 않습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN pad is not installed on this kiosk.</source>
        <translation>이 키오스크에는 점주 PIN 입력 화면이 설치되어 있지 않습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The staff PIN pad is not installed on this kiosk.</source>
        <translation>이 키오스크에는 직원 PIN 입력 화면이 설치되어 있지 않습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The answer could not be saved. Please answer again.</source>
        <translation>응답을 저장하지 못했습니다. 다시 눌러 주세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>That visitor was already answered.</source>
        <translation>이미 처리된 방문자입니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The admin screen is not installed on this kiosk.</source>
        <translation>이 키오스크에는 관리 화면이 설치되어 있지 않습니다.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Venue Pass Kiosk</source>
        <translation>출입 인증 키오스크</translation>
    </message>
</context>
<context>
    <name>ManualLogPanel</name>
    <message>
        <location filename="../../ui/entrance/manual_log.py" line="+111"/>
        <source>Visitor with no QR code</source>
        <translation>QR 코드 없는 방문자</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the visitor&apos;s certificate by eye, then choose.</source>
        <translation>방문자의 증명서를 눈으로 확인한 뒤 선택하세요.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Kept only to reach visitors if an infection is traced here; deleted after %n days.</source>
        <translation>
            <numerusform>이 매장에서 감염이 확인될 때 연락하는 용도로만 보관하며, %n일 후 삭제합니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone number (optional)</source>
        <translation>전화번호 (선택)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checked, admit</source>
        <translation>입장 허용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deny</source>
        <translation>입장 거부</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</source>
        <translation>휴대전화 번호가 아닙니다. 010, 011, 016, 017, 018, 019 뒤에 7~8자리를 입력하세요.</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../../ui/owner/keypad.py" line="+97"/>
        <source>Delete the last digit</source>
        <translation>마지막 숫자 지우기</translation>
    </message>
</context>
<context>
    <name>OwnerFlow</name>
    <message>
        <location filename="../../ui/owner/flow.py" line="+44"/>
        <source>No owner key on this kiosk yet: record the answer without a phone number.</source>
        <translation>이 키오스크에 아직 점주 키가 없습니다. 전화번호 없이 기록하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not a mobile number. Use 010, 011, 016, 017, 018 or 019 and 7 or 8 more digits.</source>
        <translation>휴대전화 번호가 아닙니다. 010, 011, 016, 017, 018, 019 뒤에 7~8자리를 입력하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This visit was already answered.</source>
        <translation>이 방문은 이미 처리되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This recovery code does not match this kiosk.</source>
        <translation>이 키오스크의 복구 코드가 아닙니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner PIN is already set on this kiosk.</source>
        <translation>이 키오스크에는 이미 점주 PIN이 설정되어 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>추측하기 쉬운 PIN입니다. 반복되거나 연속된 숫자는 피하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is not the PIN the installer set for this kiosk.</source>
        <translation>설치 시 정해진 PIN과 다릅니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A staff PIN has 4 to 6 digits.</source>
        <translation>직원 PIN은 4~6자리입니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No staff PIN is set yet: the owner PIN unlocks. The owner sets one in the owner menu.</source>
        <translation>직원 PIN이 아직 없습니다. 점주 PIN으로 열 수 있으며, 직원 PIN은 점주 메뉴에서 정합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This could not be saved. Nothing was recorded: please try again.</source>
        <translation>저장하지 못했습니다. 아무것도 기록되지 않았으니 다시 시도하세요.</translation>
    </message>
</context>
<context>
    <name>OwnerMenu</name>
    <message>
        <location filename="../../ui/owner/menu.py" line="+75"/>
        <source>Owner</source>
        <translation>점주</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The staff PIN is saved. Staff use it to answer staff checks.</source>
        <translation>직원 PIN을 저장했습니다. 직원은 이 PIN으로 직원 확인에 응답합니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The PIN was right. What would you like to do?</source>
        <translation>PIN이 확인되었습니다. 무엇을 하시겠습니까?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>관리</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the staff PIN</source>
        <translation>직원 PIN 설정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave kiosk mode</source>
        <translation>키오스크 모드 종료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the entrance screen</source>
        <translation>입장 화면으로 돌아가기</translation>
    </message>
</context>
<context>
    <name>OwnerPage</name>
    <message>
        <location line="+50"/>
        <source>Forgotten PIN</source>
        <translation>PIN 분실</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/owner/pin_pad.py" line="+26"/>
        <source>Too many wrong PINs: the staff PIN is paused for %1 s. The owner PIN works now.</source>
        <translation>PIN을 여러 번 잘못 입력했습니다. 직원 PIN은 %1초 뒤에 다시 쓸 수 있습니다. 점주 PIN은 지금 쓸 수 있습니다.</translation>
    </message>
    <message>
        <location line="+67"/>
        <location line="+77"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <location line="-73"/>
        <location line="+74"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message numerus="yes">
        <location line="-19"/>
        <source>Wrong PIN. %n tries left before a pause.</source>
        <translation>
            <numerusform>PIN이 틀렸습니다. 잠금까지 %n회 남았습니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No owner PIN is set on this kiosk yet.</source>
        <translation>이 키오스크에는 아직 점주 PIN이 없습니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+69"/>
        <source>Enter at least %n digits.</source>
        <translation>
            <numerusform>%n자리 이상 입력하세요.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The two PINs were different. Enter the new PIN again.</source>
        <translation>두 PIN이 다릅니다. 새 PIN을 다시 입력하세요.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checking…</source>
        <translation>확인 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>Too many wrong PINs. Try again in %n seconds.</source>
        <translation>
            <numerusform>틀린 PIN이 너무 많습니다. %n초 후에 다시 시도하세요.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A staff PIN has %1 to %2 digits.</source>
        <translation>직원 PIN은 %1~%2자리입니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>A PIN has at most %n digits.</source>
        <translation>
            <numerusform>PIN은 최대 %n자리입니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PIN is too easy to guess. Avoid repeated or sequential digits.</source>
        <translation>추측하기 쉬운 PIN입니다. 반복되거나 연속된 숫자는 피하세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is not the PIN the installer set for this kiosk.</source>
        <translation>설치 시 정해진 PIN과 다릅니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Use digits only, at least %n.</source>
        <translation>
            <numerusform>숫자만 %n자리 이상 입력하세요.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Staff PIN (or the owner PIN)</source>
        <translation>직원 PIN (또는 점주 PIN)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a staff PIN (%1 to %2 digits)</source>
        <translation>직원 PIN을 정하세요 (%1~%2자리)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter the current owner PIN</source>
        <translation>현재 점주 PIN을 입력하세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the owner PIN</source>
        <translation>점주 PIN을 입력하세요</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Choose a new owner PIN (at least %n digits)</source>
        <translation>
            <numerusform>새 점주 PIN을 정하세요 (%n자리 이상)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the new PIN again to confirm</source>
        <translation>확인을 위해 새 PIN을 한 번 더 입력하세요</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n digits entered</source>
        <translation>
            <numerusform>%n자리 입력됨</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinTab</name>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="+145"/>
        <source>No owner account on this kiosk.</source>
        <translation>이 키오스크에는 점주 계정이 없습니다.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The owner PIN was changed.</source>
        <translation>점주 PIN을 변경했습니다.</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <location filename="../../ui/entrance/preview.py" line="+35"/>
        <source>Show your QR code</source>
        <translation>QR 코드를 보여주세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking…</source>
        <translation>확인 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show QR code %1 of %2</source>
        <translation>%2개 중 %1번째 QR 코드를 보여주세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not all QR codes of the card were shown in time. Please show them again, one by one.</source>
        <translation>카드의 QR 코드를 시간 안에 모두 보여주지 않았습니다. 처음부터 하나씩 다시 보여주세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That QR code belongs to another card. Starting again with this card.</source>
        <translation>다른 카드의 QR 코드입니다. 이 카드로 처음부터 다시 시작합니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Scanner is in Korean or Caps mode</source>
        <translation>스캐너가 한글/대문자 모드입니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scanner keeps sending unreadable input</source>
        <translation>스캐너에서 알 수 없는 입력이 계속 들어옵니다</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tilt away from the light</source>
        <translation>화면을 기울여 반사를 피해주세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move closer</source>
        <translation>가까이</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hold still</source>
        <translation>잠시 멈춰주세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn up your screen brightness</source>
        <translation>화면 밝기를 올려주세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service down: staff check tokens</source>
        <translation>인증 서비스 장애: 토큰은 직원이 확인합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>카메라 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check that the camera is plugged in and not used by another program. Trying again every few seconds. A handheld scanner still works.</source>
        <translation>카메라가 연결되어 있고 다른 프로그램이 쓰고 있지 않은지 확인하세요. 몇 초마다 다시 연결을 시도합니다. 핸드 스캐너는 계속 쓸 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-57"/>
        <source>Valid pass</source>
        <translation>유효한 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This QR code is not a pass</source>
        <translation>증명서 QR 코드가 아닙니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass could not be read</source>
        <translation>증명서를 읽을 수 없습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed with a key the kiosk does not know</source>
        <translation>키오스크가 모르는 서명 키로 발급된 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued by an unknown issuer</source>
        <translation>알 수 없는 기관이 발급한 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass is not genuine (signature check failed)</source>
        <translation>위조·변조된 증명서 (서명 확인 실패)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass has expired</source>
        <translation>유효기간이 지난 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass is not valid yet</source>
        <translation>아직 유효하지 않은 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The issuer may not sign this kind of pass</source>
        <translation>이 종류의 증명서를 발급할 권한이 없는 기관</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass holds no vaccination, test or recovery</source>
        <translation>접종·검사·회복 정보가 없는 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccination not complete</source>
        <translation>백신 접종 미완료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccinated too recently</source>
        <translation>백신 접종 후 기간 미경과</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vaccination too long ago</source>
        <translation>백신 접종 유효기간 경과</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test result is positive</source>
        <translation>검사 결과 양성</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The test is too old</source>
        <translation>검사 유효시간 경과</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This kind of test is not accepted</source>
        <translation>인정되지 않는 검사 종류</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recovery pass not valid yet</source>
        <translation>아직 유효하지 않은 회복 증명</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recovery pass has expired</source>
        <translation>회복 증명 유효기간 만료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The pass has been revoked</source>
        <translation>취소된 증명서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not valid according to the verification service</source>
        <translation>인증 서비스 확인 결과 유효하지 않음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The verification service cannot be reached: staff, check the pass by eye</source>
        <translation>인증 서비스 연결 불가: 직원이 증명서를 직접 확인하세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk has no list of pass issuers yet: staff, check the pass by eye</source>
        <translation>키오스크에 발급 기관 목록이 아직 없습니다: 직원이 증명서를 직접 확인하세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The kiosk&apos;s list of pass issuers is too old: staff, check the pass by eye</source>
        <translation>키오스크의 발급 기관 목록이 너무 오래되었습니다: 직원이 증명서를 직접 확인하세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked by staff</source>
        <translation>직원이 확인하고 입장 허용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused by staff</source>
        <translation>직원이 확인하고 입장 거부</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The visit could not be saved: staff, check the pass by eye</source>
        <translation>방문 기록을 저장하지 못했습니다: 직원이 증명서를 직접 확인하세요</translation>
    </message>
</context>
<context>
    <name>RecoveryCodePage</name>
    <message>
        <location filename="../../ui/owner/recovery_code.py" line="+66"/>
        <source>Your new recovery code</source>
        <translation>새 복구 코드</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The code you just typed no longer works. Write this new code on paper, keep it away from the kiosk and throw the old paper away. It is shown only this once.</source>
        <translation>방금 입력한 코드는 이제 쓸 수 없습니다. 새 코드를 종이에 적어 키오스크와 떨어진 곳에 보관하고, 예전 종이는 버리세요. 지금 한 번만 표시됩니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your recovery code</source>
        <translation>복구 코드</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write this code on paper and keep it away from the kiosk. It is shown only this once. If you forget the PIN, this code sets a new one.</source>
        <translation>이 코드를 종이에 적어 키오스크와 떨어진 곳에 보관하세요. 지금 한 번만 표시됩니다. PIN을 잊으면 이 코드로 새 PIN을 정할 수 있습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>I have written it down</source>
        <translation>종이에 적었습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>완료</translation>
    </message>
</context>
<context>
    <name>RecoveryFlow</name>
    <message>
        <location filename="../../ui/owner/recovery.py" line="+69"/>
        <source>Forgotten PIN</source>
        <translation>PIN 분실</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the recovery code you wrote down when the kiosk was set up.</source>
        <translation>키오스크 설치 때 적어 둔 복구 코드를 입력하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>A recovery code has 24 letters and digits (2 to 7), in groups of four.</source>
        <translation>복구 코드는 영문자와 숫자(2~7) 24자이며, 네 자씩 묶여 있습니다.</translation>
    </message>
</context>
<context>
    <name>ReportTab</name>
    <message>
        <location filename="../../ui/admin/report_tab.py" line="+86"/>
        <source>Whole history</source>
        <translation>전체 기간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web page to print (HTML)</source>
        <translation>인쇄용 웹 페이지 (HTML)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data (JSON)</source>
        <translation>데이터 (JSON)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Spreadsheet (CSV)</source>
        <translation>스프레드시트 (CSV)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write outage report</source>
        <translation>장애 보고서 만들기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open to print</source>
        <translation>인쇄용으로 열기</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Outages of the connection to the verification service, with visits verified offline and logged by hand. No personal data.</source>
        <translation>인증 서비스 연결 장애 기간과, 그동안 오프라인으로 확인하거나 수기로 기록한 방문 수입니다. 개인정보는 들어 있지 않습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From</source>
        <translation>시작일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>종료일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save to folder</source>
        <translation>저장 폴더</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The whole history is chosen: untick it to choose the days.</source>
        <translation>전체 기간이 선택되어 있습니다. 날짜를 고르려면 선택을 해제하세요.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Writing the report…</source>
        <translation>보고서를 만드는 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n outage(s) written to %1</source>
        <translation>
            <numerusform>장애 %n건을 %1에 기록했습니다</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA-256 of the report body: %1</source>
        <translation>보고서 본문 SHA-256: %1</translation>
    </message>
</context>
<context>
    <name>Secondary</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-18"/>
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
    <message>
        <location filename="../../ui/entrance/preview.py" line="-29"/>
        <source>Show your QR code</source>
        <translation>Show your QR code</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show QR code %1 of %2</source>
        <translation>Show QR code %1 of %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Service down: staff check tokens</source>
        <translation>Service down: staff check tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="-97"/>
        <source>first camera</source>
        <translation>첫 번째 카메라</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation>초</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kiosk mode (full screen; leaving needs the owner PIN)</source>
        <translation>키오스크 모드 (전체 화면, 종료 시 점주 PIN 필요)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save settings</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Camera (number, device, video file or image folder)</source>
        <translation>카메라 (번호, 장치, 동영상 파일 또는 이미지 폴더)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sound volume</source>
        <translation>소리 크기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verdict shown for</source>
        <translation>판정 표시 시간</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Saved. The camera and kiosk mode change at the next start.</source>
        <translation>저장했습니다. 카메라와 키오스크 모드는 다음 시작 때 바뀝니다.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/setup/wizard.py" line="+135"/>
        <source>Back</source>
        <translation>이전</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip</source>
        <translation>건너뛰기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Setting up the kiosk: step %1 of %2</source>
        <translation>키오스크 설정: %2단계 중 %1단계</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The settings could not be saved: %1</source>
        <translation>설정을 저장하지 못했습니다: %1</translation>
    </message>
</context>
<context>
    <name>StaffStrip</name>
    <message>
        <location filename="../../ui/entrance/staff_strip.py" line="+34"/>
        <source>Token</source>
        <translation>토큰</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Visitor with no QR code:</source>
        <translation>QR 코드 없는 방문자:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Admit</source>
        <translation>입장 허용</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+20"/>
        <source>Deny</source>
        <translation>입장 거부</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>With phone number…</source>
        <translation>전화번호 입력…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock</source>
        <translation>잠금</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n staff check(s) waiting</source>
        <translation>
            <numerusform>미처리 직원 확인 %n건</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Set aside</source>
        <translation>보류</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n more after these</source>
        <translation>
            <numerusform>외 %n건 대기</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/entrance/status_bar.py" line="+127"/>
        <source>Starting…</source>
        <translation>시작 중…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Uploads pending: %1</source>
        <translation>전송 대기: %1건</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused</source>
        <translation>%1건 거부</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>just now</source>
        <translation>방금</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min ago</source>
        <translation>%1분 전</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h ago</source>
        <translation>%1시간 전</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 days ago</source>
        <translation>%1일 전</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Staff</source>
        <translation>직원</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No camera</source>
        <translation>카메라 없음</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Certificate list: none</source>
        <translation>인증서 목록: 없음</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates updated: %1</source>
        <translation>인증서 목록 갱신: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Visits today: %1</source>
        <translation>오늘 방문: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Last problem: %1</source>
        <translation>최근 문제: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No verification service configured: offline checks only</source>
        <translation>인증 서비스 미설정: 오프라인 확인만 합니다</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Next try: %1</source>
        <translation>다음 시도: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates last updated: %1</source>
        <translation>인증서 목록 마지막 갱신: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A trust list failed its signature check at %1: the previous one is kept</source>
        <translation>%1에 받은 인증서 목록이 서명 확인에 실패했습니다: 이전 목록을 계속 씁니다</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The clock is %1 min off the verification service&apos;s: set the date and time</source>
        <translation>이 컴퓨터의 시계가 인증 서비스와 %1분 차이 납니다: 날짜와 시간을 맞춰 주세요</translation>
    </message>
</context>
<context>
    <name>StepPage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="-84"/>
        <source>Set by the installer</source>
        <translation>설치 담당자가 설정함</translation>
    </message>
</context>
<context>
    <name>TodayTab</name>
    <message>
        <location filename="../../ui/admin/overview.py" line="+108"/>
        <source>Admitted</source>
        <translation>입장 가능</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Staff check</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Today&apos;s visits by decision</source>
        <translation>오늘 방문 (판정별)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>All visits today</source>
        <translation>오늘 전체 방문</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today&apos;s visits by verification path</source>
        <translation>오늘 방문 (확인 방법별)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust list</source>
        <translation>인증서 목록</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Update now</source>
        <translation>지금 갱신</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Age</source>
        <translation>마지막 갱신</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Not admitted</source>
        <translation>입장 불가</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checked online</source>
        <translation>온라인 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked offline</source>
        <translation>오프라인 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked by staff</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>확인 안 됨</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verdict</source>
        <translation>판정</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visitor</source>
        <translation>방문자</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>How checked</source>
        <translation>확인 방법</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificates</source>
        <translation>인증서 수</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n staff check(s) not answered yet: listed first.</source>
        <translation>
            <numerusform>아직 처리하지 않은 직원 확인 %n건 (맨 위에 표시)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Staff check, not answered</source>
        <translation>직원 확인 (미처리)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No trust list yet: signed passes cannot be verified offline</source>
        <translation>인증서 목록이 아직 없습니다. 서명된 증명서를 오프라인으로 확인할 수 없습니다</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n hour(s) old</source>
        <translation>
            <numerusform>%n시간 전</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported certificates only (no upstream set)</source>
        <translation>가져온 인증서만 (인증 서비스 미설정)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No upstream service is configured, so there is nothing to update from.</source>
        <translation>인증 서비스가 설정되지 않아 갱신할 곳이 없습니다.</translation>
    </message>
</context>
<context>
    <name>UploadsTab</name>
    <message>
        <location line="+49"/>
        <source>Uploads to the verification service</source>
        <translation>인증 서비스로 전송</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting to upload</source>
        <translation>전송 대기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>…of which held back (service busy)</source>
        <translation>…그중 보류 (서비스 혼잡)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set aside after an error</source>
        <translation>오류로 보류된 기록</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Retry now</source>
        <translation>지금 다시 시도</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Problem</source>
        <translation>문제</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Admitted offline, later reported revoked or invalid</source>
        <translation>오프라인 입장 후 취소·무효로 확인된 방문</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reported</source>
        <translation>확인 시각</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Nothing to retry: no upload is set aside or held back.</source>
        <translation>다시 시도할 것이 없습니다: 보류되거나 오류로 멈춘 전송이 없습니다.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>revoked</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>invalid</source>
        <translation>무효</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n visit(s) admitted offline were later reported revoked or invalid.</source>
        <translation>
            <numerusform>오프라인으로 입장한 방문 %n건이 나중에 취소·무효로 확인되었습니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UpstreamPage</name>
    <message>
        <location filename="../../ui/setup/upstream_page.py" line="+41"/>
        <source>The verification service</source>
        <translation>인증 서비스</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address and key your provider gave for this kiosk. Without them (Skip) the kiosk checks passes offline with the certificate list it came with.</source>
        <translation>서비스 제공자가 이 키오스크에 준 주소와 키입니다. 없으면(건너뛰기) 키오스크에 들어 있는 인증서 목록으로 오프라인 확인합니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Address (https://…)</source>
        <translation>주소 (https://…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>연결 시험</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Testing…</source>
        <translation>시험하는 중…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Connected: the key is accepted.</source>
        <translation>✓ 연결됨: 키가 승인되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ The service refuses this key. Check it, or skip.</source>
        <translation>✗ 서비스가 이 키를 거부합니다. 키를 확인하거나 건너뛰세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✗ Cannot reach the service. Check the address and the network, or skip: the kiosk works offline meanwhile.</source>
        <translation>✗ 서비스에 연결할 수 없습니다. 주소와 네트워크를 확인하거나 건너뛰세요. 그동안 키오스크는 오프라인으로 동작합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>✗ Not an https address. Use the https:// address given.</source>
        <translation>✗ https 주소가 아닙니다. 받은 https:// 주소를 쓰세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>! The service answers but cannot check keys.</source>
        <translation>! 서비스가 응답하지만 키를 확인할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>VenuePage</name>
    <message>
        <location filename="../../ui/setup/pages.py" line="+110"/>
        <source>Your venue</source>
        <translation>매장 정보</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The venue&apos;s name is shown at the top of the screen.</source>
        <translation>매장 이름은 화면 위쪽에 표시됩니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Venue name</source>
        <translation>매장 이름</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. Mapo Gukbap</source>
        <translation>예: 마포 국밥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kiosk id (one per entrance; the suggestion is fine)</source>
        <translation>키오스크 ID (출입구마다 하나, 제안된 값을 그대로 써도 됩니다)</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="-7"/>
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
</context>
<context>
    <name>VerdictView</name>
    <message>
        <location filename="../../ui/entrance/verdict.py" line="+135"/>
        <source>Admit</source>
        <translation>입장 허용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deny</source>
        <translation>입장 거부</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>shown again, not logged twice</source>
        <translation>다시 표시됨 (중복 기록 안 함)</translation>
    </message>
</context>
<context>
    <name>VerifiedBy</name>
    <message>
        <location filename="../../ui/resources/texts.py" line="+9"/>
        <source>Checked online</source>
        <translation>온라인 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked offline (signature)</source>
        <translation>오프라인 확인 (서명)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked by staff</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>확인 안 됨</translation>
    </message>
</context>
</TS>
