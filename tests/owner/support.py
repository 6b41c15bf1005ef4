"""Values shared by the owner and owner-widget tests."""

from __future__ import annotations

from kiosk.owner.pin import ScryptParams

# The smallest cost the key format accepts: the logic is the same, the suite stays quick.
FAST_SCRYPT = ScryptParams(log2_n=10, r=8, p=1)
GOOD_PIN = "480317"
OTHER_PIN = "739201"
