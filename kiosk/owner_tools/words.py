"""The owner's language in exported files and the outage report: titles and the words for stored codes.

A small ko/en table in the domain (exports are made without Qt, e.g. from the command
line). Codes missing from the table are written as the code itself, so a reason added
later still exports, only untranslated. The Korean follows docs/glossary.md, the same
terms the screens use (a test compares them with the window's translations).
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.verify.online import FailureCause

LANGUAGES = ("ko", "en")

_COLUMNS: dict[str, tuple[str, ...]] = {
    "en": ("Local time", "Decision", "Reason", "Verified by", "Holder", "Upstream", "Kiosk"),
    "ko": ("방문 시각", "판정", "사유", "확인 방법", "방문자", "전송 상태", "키오스크"),
}
_PHONE_COLUMN = {"en": "Phone", "ko": "전화번호"}
_UNREADABLE_SEALED = {
    "en": "(sealed entry unreadable: damaged data or another owner key)",
    "ko": "(봉인된 기록을 열 수 없음: 손상되었거나 다른 소유자 키)",
}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        Verdict.ADMIT: "admitted",
        Verdict.DENY: "not admitted",
        Verdict.MANUAL: "staff check",
        VerifiedBy.ONLINE: "checked online",
        VerifiedBy.OFFLINE: "checked offline",
        VerifiedBy.STAFF: "checked by staff",
        VerifiedBy.NONE: "not checked",
        "pending": "pending",
        "confirmed": "confirmed",
        "rejected": "rejected",
    },
    "ko": {
        Verdict.ADMIT: "입장 가능",
        Verdict.DENY: "입장 불가",
        Verdict.MANUAL: "직원 확인",
        VerifiedBy.ONLINE: "온라인 확인",
        VerifiedBy.OFFLINE: "오프라인 확인",
        VerifiedBy.STAFF: "직원 확인",
        VerifiedBy.NONE: "확인 안 됨",
        "pending": "전송 대기",
        "confirmed": "전송 완료",
        "rejected": "전송 거부",
    },
}

_REASONS: dict[str, dict[str, str]] = {
    "en": {
        Reason.VALID: "valid",
        Reason.NOT_A_PASS: "not a pass",
        Reason.DECODE_FAILED: "unreadable pass",
        Reason.UNKNOWN_SIGNER: "unknown issuer",
        Reason.BAD_SIGNATURE: "invalid signature",
        Reason.EXPIRED: "expired",
        Reason.NOT_YET_VALID: "not yet valid",
        Reason.KEY_USAGE_MISMATCH: "issuer not allowed for this pass type",
        Reason.NO_ENTRY: "no vaccination, test or recovery in the pass",
        Reason.VACCINATION_INCOMPLETE: "vaccination incomplete",
        Reason.VACCINATION_TOO_RECENT: "vaccination too recent",
        Reason.VACCINATION_TOO_OLD: "vaccination too old",
        Reason.TEST_POSITIVE: "test positive",
        Reason.TEST_TOO_OLD: "test too old",
        Reason.TEST_TYPE_NOT_ACCEPTED: "test type not accepted",
        Reason.RECOVERY_NOT_YET_VALID: "recovery not yet valid",
        Reason.RECOVERY_EXPIRED: "recovery expired",
        Reason.REVOKED: "revoked",
        Reason.UPSTREAM_INVALID: "invalid (verification service)",
        Reason.UPSTREAM_UNAVAILABLE: "verification service unreachable: staff check",
        Reason.TRUST_LIST_MISSING: "no certificate list: staff check",
        Reason.TRUST_LIST_EXPIRED: "certificate list too old: staff check",
        Reason.STAFF_CONFIRMED: "checked by staff",
        Reason.STAFF_REJECTED: "refused by staff",
    },
    "ko": {
        Reason.VALID: "유효한 증명서",
        Reason.NOT_A_PASS: "증명서가 아님",
        Reason.DECODE_FAILED: "읽을 수 없는 증명서",
        Reason.UNKNOWN_SIGNER: "알 수 없는 발급자",
        Reason.BAD_SIGNATURE: "서명 오류",
        Reason.EXPIRED: "만료됨",
        Reason.NOT_YET_VALID: "아직 유효하지 않음",
        Reason.KEY_USAGE_MISMATCH: "이 증명서 종류에 허용되지 않은 발급자",
        Reason.NO_ENTRY: "접종·검사·회복 기록 없음",
        Reason.VACCINATION_INCOMPLETE: "접종 미완료",
        Reason.VACCINATION_TOO_RECENT: "접종 후 기간 부족",
        Reason.VACCINATION_TOO_OLD: "접종 유효기간 경과",
        Reason.TEST_POSITIVE: "검사 양성",
        Reason.TEST_TOO_OLD: "검사 유효시간 경과",
        Reason.TEST_TYPE_NOT_ACCEPTED: "인정되지 않는 검사 종류",
        Reason.RECOVERY_NOT_YET_VALID: "회복 증명 아직 유효하지 않음",
        Reason.RECOVERY_EXPIRED: "회복 증명 만료",
        Reason.REVOKED: "취소된 증명서",
        Reason.UPSTREAM_INVALID: "유효하지 않음 (인증 서비스)",
        Reason.UPSTREAM_UNAVAILABLE: "인증 서비스 연결 불가: 직원 확인",
        Reason.TRUST_LIST_MISSING: "인증서 목록 없음: 직원 확인",
        Reason.TRUST_LIST_EXPIRED: "인증서 목록 오래됨: 직원 확인",
        Reason.STAFF_CONFIRMED: "직원이 확인하고 입장 허용",
        Reason.STAFF_REJECTED: "직원이 확인하고 입장 거부",
    },
}

# Why the verification service could not be used (FailureCause values, the breaker's
# "latency", and "unknown" for an outage without a recorded cause), in the words an
# owner or an inspector reads: "no answer", never "timeout".
_CAUSES: dict[str, dict[str, str]] = {
    "en": {
        FailureCause.TIMEOUT: "No answer",
        FailureCause.SERVER_ERROR: "Server error",
        FailureCause.THROTTLED: "Server overloaded",
        FailureCause.DNS: "Server address not found",
        FailureCause.REFUSED: "Connection refused",
        FailureCause.RESET: "Connection dropped",
        FailureCause.TLS: "Secure connection failed",
        FailureCause.BAD_BODY: "Unreadable answer",
        FailureCause.AUTH: "Kiosk key refused",
        FailureCause.CLIENT_ERROR: "Request refused",
        "latency": "Answers too slow",
        "unknown": "Cause not recorded",
        "none": "None",
    },
    "ko": {
        FailureCause.TIMEOUT: "응답 없음",
        FailureCause.SERVER_ERROR: "서버 오류",
        FailureCause.THROTTLED: "서버 과부하",
        FailureCause.DNS: "서버 주소를 찾을 수 없음",
        FailureCause.REFUSED: "연결 거부",
        FailureCause.RESET: "연결 끊김",
        FailureCause.TLS: "보안 연결 실패",
        FailureCause.BAD_BODY: "알 수 없는 응답",
        FailureCause.AUTH: "키오스크 인증 거부",
        FailureCause.CLIENT_ERROR: "요청 거부",
        "latency": "응답 지연",
        "unknown": "원인 기록 없음",
        "none": "없음",
    },
}

# The outage report's own words (HTML and CSV); the JSON form keeps its contract keys.
_REPORT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Outage report",
        "kiosk": "Kiosk",
        "intro": "Periods when the verification service could not be used ({span}). Verdicts in these "
        "periods came from offline signature checks or from staff checking the pass by eye.",
        "span": "{first} to {last}",
        "all_history": "all recorded history",
        "none": "No outage in this period.",
        "start": "Start",
        "end": "End",
        "cause": "Cause",
        "verified_offline": "Checked offline",
        "logged_manually": "Logged manually",
        "unanswered": "Staff checks unanswered",
        "still_open": "still going on",
        "footer": "Kiosk {kiosk} · SHA-256 of the report body (its JSON form): {digest}",
        "health": "service",
        "scans": "scans",
        "per_5_min": "per 5 min",
        "max": "max {peak}",
        "online": "online",
        "degraded": "unstable",
        "offline": "offline",
        "unknown": "no record",
        "scans_online": "checked online",
        "scans_offline": "checked offline",
        "scans_other": "staff check / other",
    },
    "ko": {
        "title": "장애 보고서",
        "kiosk": "키오스크",
        "intro": "인증 서비스를 쓸 수 없었던 기간입니다 ({span}). 이 기간의 판정은 오프라인 서명 확인이나 "
        "직원이 증명서를 눈으로 확인한 결과입니다.",
        "span": "{first} ~ {last}",
        "all_history": "기록된 전체 기간",
        "none": "이 기간에는 장애가 없습니다.",
        "start": "시작",
        "end": "종료",
        "cause": "원인",
        "verified_offline": "오프라인 확인",
        "logged_manually": "수기 기록",
        "unanswered": "미처리 직원 확인",
        "still_open": "계속 중",
        "footer": "키오스크 {kiosk} · 보고서 본문(JSON 형식)의 SHA-256: {digest}",
        "health": "인증 서비스",
        "scans": "스캔",
        "per_5_min": "5분당",
        "max": "최대 {peak}",
        "online": "온라인",
        "degraded": "연결 불안정",
        "offline": "오프라인",
        "unknown": "기록 없음",
        "scans_online": "온라인 확인",
        "scans_offline": "오프라인 확인",
        "scans_other": "직원 확인·기타",
    },
}


class Words:
    """Words of one language; `language` must be one of LANGUAGES."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.language = language
        self._words: Mapping[str, str] = _WORDS[language]
        self._reasons: Mapping[str, str] = _REASONS[language]
        self._causes: Mapping[str, str] = _CAUSES[language]
        self._report: Mapping[str, str] = _REPORT[language]

    def columns(self, *, with_phone: bool) -> tuple[str, ...]:
        base = _COLUMNS[self.language]
        return (*base, _PHONE_COLUMN[self.language]) if with_phone else base

    def word(self, code: str | None) -> str:
        if code is None:
            return ""
        return self._words.get(code, code)

    def reason(self, code: str | None) -> str:
        if code is None:
            return ""
        return self._reasons.get(code, code)

    def cause(self, code: str | None) -> str:
        """Why upstream failed, in plain words (None: no failure on record)."""
        return self._causes.get(code or "none", code or "")

    def report(self, key: str, **values: str) -> str:
        """One of the outage report's texts, with its `{name}` slots filled."""
        return self._report[key].format(**values)

    @property
    def unreadable_sealed(self) -> str:
        return _UNREADABLE_SEALED[self.language]
