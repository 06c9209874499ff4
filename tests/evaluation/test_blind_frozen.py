"""The blind held-out set is frozen: its first-contact figures only mean something if it never changes."""

import hashlib
from pathlib import Path

import pytest

BLIND = Path(__file__).resolve().parents[2] / "eval" / "blind"

FROZEN = {
    "messages.jsonl": "3ceb654d420b9d7ade5dd3087eb839d70b319e7b067d697b833bc0136346231a",
    "chat1.txt": "7b238391ca8fa675e5f4f736f4a56487c22b6c0ad0a566a50867a300aff5e557",
    "chat2.txt": "a467532261602fd7dcba76629bbd42fa04a1d512a08e66059e573f5b5509402d",
    "chat3.txt": "5f2fbaf6262ecea264e51df330591f04d545f46ed6040923b55366366c07d5b8",
    "chat4.txt": "00b47e56eb0108f12b409063339d7a0c520fa4b7a83d15bd9469701b359c66bc",
    "chat1_truth.json": "55e65efcb8a6cdd0a7105f7b103cf3768e1e3c8386ee73bbe30fdf01e0f6ed5f",
    "chat2_truth.json": "a661342a14f75351215bda4ddf8cc60dd058f4d5e7722f4a390aac2f8ec604b1",
    "chat3_truth.json": "9a2ccb049441cbe7cc892a7b598903dd5ee10ec7f3f062842c8e11c1c2f029c0",
    "chat4_truth.json": "f27d95e6b06a244a256e4944173d2fd891130e0c0c65e8c45a016baf8ad33729",
}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_blind_file_is_unchanged_since_it_was_frozen(name: str) -> None:
    digest = hashlib.sha256((BLIND / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], f"eval/blind/{name} changed after it was frozen"


HELDOUT_CHATS = BLIND.parent / "heldout_chats" / "src"

# Batch 8 of the blind-written chats, frozen at first contact
# (eval/first_contact/heldout_chats_batch8_2026-12-08.txt holds the same hashes).
FROZEN_CHATS = {
    "auto_components_hr_pune_nashik.chat": (
        "0b53ff47c86a7554570d8ec28410617607b51bb717512ed1ee986ae6a876ddd9"
    ),
    "bengaluru_saas_people_partners.chat": (
        "e1143910abbe81167d3b3bff166dd3aa928ed86d71a073bef2492a9133839eec"
    ),
    "freelance_hr_consultants_network.chat": (
        "f970bafa49191d759180f1eb6d06c015240dd85e86fed86536f58c5eb5cd0041"
    ),
    "psu_hr_officers_alumni.chat": (
        "2230980dc1af11ec071f348514f5eee3a1f7e1d30fb7f6f82f442020a331c74e"
    ),
}


@pytest.mark.parametrize("name", sorted(FROZEN_CHATS))
def test_held_out_chat_is_unchanged_since_it_was_frozen(name: str) -> None:
    digest = hashlib.sha256((HELDOUT_CHATS / name).read_bytes()).hexdigest()
    assert digest == FROZEN_CHATS[name], f"eval/heldout_chats/src/{name} changed after it was frozen"
