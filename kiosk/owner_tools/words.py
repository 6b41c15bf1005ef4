"""The owner's language in exported files: column titles and the words for stored codes.

A small ko/en table in the domain (exports are made without Qt, e.g. from the command
line). Codes missing from the table are written as the code itself, so a reason added
later still exports, only untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.decision import Reason, Verdict, VerifiedBy

LANGUAGES = ("ko", "en")

_COLUMNS: dict[str, tuple[str, ...]] = {
    "en": ("Local time", "Decision", "Reason", "Verified by", "Holder", "Upstream", "Kiosk"),
    "ko": ("현지 시각", "판정", "사유", "확인 방법", "방문자", "서버 전송", "키오스크"),
}
_PHONE_COLUMN = {"en": "Phone", "ko": "전화번호"}
_UNREADABLE_SEALED = {
    "en": "(sealed entry unreadable: damaged data or another owner key)",
    "ko": "(봉인된 기록을 열 수 없음: 손상되었거나 다른 소유자 키)",
}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        Verdict.ADMIT: "admit",
        Verdict.DENY: "deny",
        Verdict.MANUAL: "check manually",
        VerifiedBy.ONLINE: "online",
        VerifiedBy.OFFLINE: "offline",
        VerifiedBy.STAFF: "staff",
        VerifiedBy.NONE: "not checked",
        "pending": "pending",
        "confirmed": "confirmed",
        "rejected": "rejected",
    },
    "ko": {
        Verdict.ADMIT: "입장 허용",
        Verdict.DENY: "입장 거부",
        Verdict.MANUAL: "직원 확인",
        VerifiedBy.ONLINE: "온라인",
        VerifiedBy.OFFLINE: "오프라인",
        VerifiedBy.STAFF: "직원",
        VerifiedBy.NONE: "확인 불가",
        "pending": "전송 대기",
        "confirmed": "전송 완료",
        "rejected": "거절됨",
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
        Reason.UPSTREAM_UNAVAILABLE: "service unavailable: manual log",
        Reason.TRUST_LIST_MISSING: "no trust list: staff check",
        Reason.TRUST_LIST_EXPIRED: "trust list too old: staff check",
        Reason.STAFF_CONFIRMED: "confirmed by staff",
        Reason.STAFF_REJECTED: "refused by staff",
    },
    "ko": {
        Reason.VALID: "유효",
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
        Reason.UPSTREAM_INVALID: "무효 (검증 서버)",
        Reason.UPSTREAM_UNAVAILABLE: "서버 응답 없음: 수기 기록",
        Reason.TRUST_LIST_MISSING: "신뢰 목록 없음: 직원 확인",
        Reason.TRUST_LIST_EXPIRED: "신뢰 목록 만료: 직원 확인",
        Reason.STAFF_CONFIRMED: "직원 확인 후 허용",
        Reason.STAFF_REJECTED: "직원 확인 후 거부",
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

    @property
    def unreadable_sealed(self) -> str:
        return _UNREADABLE_SEALED[self.language]
