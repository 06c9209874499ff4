"""Message kinds as LABELS.md defines them, pinned with examples written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from bot.domain import Kind
from bot.judgement.classify import Classifier, _rounded

J, H, G, O = Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER

EXAMPLES = [
    # job posts, in their many shapes
    (
        "We're hiring! Talent Acquisition Partner, Gurugram, 3-5 yrs, tech hiring exp must. Share CV at ta@brightloom.example",
        J,
    ),
    ("URGENT OPNING 🚨 HR Generalist | Indore | 2-4 yrs | Immediate joiners preferred | DM CV", J),
    (
        "Fwd: Vacancy for Payroll Executive at a logistics co in Bhiwandi. 1-3 yrs. Salary up to 3.6 LPA. Contact 98200 11223",
        J,
    ),
    (
        "Opening in my team for an HRBP (Sales), Kolkata, 5-8 years. Ping me if interested or refer someone good 🙂",
        J,
    ),
    (
        "My client, a large pharma MNC, is looking for a Head – Total Rewards, 12-16 yrs, Mumbai. Confidential. Mail me at ritu@searchco.example",
        J,
    ),
    (
        "Anyone interested in an L&D Specialist role in Chennai? 4-6 yrs, instructional design a must. DM me.",
        J,
    ),
    (
        "Walk-in drive this Saturday for HR Recruiters (freshers welcome), Sector 5 Salt Lake. Bring your resume",
        J,
    ),
    ("hiring interns for HR ops, 3 months, stipend 10k, wfh. interested students dm", J),
    (
        "Multiple openings 👇\n1. HR Executive – 1-2 yrs – Pune\n2. HR Manager – 6-8 yrs – Pune\n3. Sr Recruiter – 3-5 yrs – Remote\nCVs to careers@orbit.example",
        J,
    ),
    # help requests
    ("Can someone share a good appraisal form template for a 100-member manufacturing unit?", H),
    (
        "Any leads for VP HR roles in Bangalore? My company shut its India ops last month. Would be grateful 🙏",
        H,
    ),
    (
        "Open to work | HR Business Partner | 7 yrs | Hyderabad | immediate joiner. Any referrals would mean a lot",
        H,
    ),
    ("koi bata sakta hai ki gratuity calculation mein 26 days lete hain ya 30? urgent hai", H),
    ("Need a reliable BGV vendor for about 200 hires a month, pan India. Recos pls", H),
    ("Has anyone rolled out a 4-day work week in a services firm? How did clients react?", H),
    (
        "My friend Sameer (Sr HRBP, 9 yrs) was laid off from a fintech. Any openings in Pune or remote, pls ping me 🙏",
        H,
    ),
    (
        "How do you all handle employees who resign and then ask to withdraw the resignation after 2 weeks?",
        H,
    ),
    ("Looking for a POSH external member for our IC in Ahmedabad. Any suggestions?", H),
    (
        "We need to hire 40 sales reps in 30 days, can anyone recommend a good recruitment agency in Jaipur?",
        H,
    ),
    (
        "Would love to connect with someone who has set up a GCC HR team from scratch. Coffee on me ☕",
        H,
    ),
    (
        "Pls help – employee on maternity leave wants to resign, do we still pay the full benefit?",
        H,
    ),
    # gyaan
    (
        "Thought for the day 🌅 'Your people don't quit jobs, they quit bosses.' Have a great Tuesday all",
        G,
    ),
    ("Great read on why exit interviews fail: https://blog.example.com/exit-interviews 👌", G),
    ("Why do we spend lakhs on hiring and nothing on onboarding? 🤔", G),
    (
        "Join our free webinar on HR analytics this Friday, 4 pm. Limited seats! Register: https://events.example.org/hra",
        G,
    ),
    ("We help companies close tech roles in 10 days with zero upfront fee. DM for details.", G),
    (
        "Three things every first-time manager should hear:\n1. Listen more\n2. Praise in public\n3. Give feedback the same week\nWhat would you add?",
        G,
    ),
    (
        "Forwarded as received: 10 habits of highly effective HR leaders 👇\n1. They listen\n2. They read\n3. They never gossip",
        G,
    ),
    ("Reminder for all: PF returns are due on the 15th. Don't leave it to the last day 🙏", G),
    # other
    ("Good morning all 🌞", O),
    ("Thanks Neha, this is super helpful 🙏", O),
    ("+1", O),
    ("Following", O),
    ("Congratulations Arvind on the new role! 🎉", O),
    ("<Media omitted>", O),
    ("Is this role open for freshers?", O),
    ("What's the budget for this one?", O),
    ("Any help on this? 🙏", O),
    ("Admin note: please keep job posts to Tuesdays. Thanks for cooperating 🙏", O),
    (
        "Hi all, I'm Deepa, HR Manager at a hospital chain in Kochi, 8 yrs in HR. Thanks for adding me!",
        O,
    ),
    ("Happy Diwali to all of you and your families 🪔✨", O),
]


@pytest.mark.parametrize(("text", "kind"), EXAMPLES)
def test_each_kind_is_recognised_in_its_many_shapes(text: str, kind: Kind) -> None:
    verdict = Classifier().classify(text)
    assert verdict.kind is kind, verdict.reason
    assert 0.0 <= verdict.confidence <= 1.0 and verdict.reason


def test_an_answer_with_a_link_in_a_thread_is_other_not_gyaan() -> None:
    text = "We used this one, works for a 60-member firm: https://example.org/posh-template"
    assert Classifier().classify(text, is_reply=True).kind is O


def test_classification_is_deterministic() -> None:
    text = "Hiring HR Executive, 1-2 yrs, Pune. DM CV"
    assert Classifier().classify(text) == Classifier().classify(text)


def test_markers_are_not_content() -> None:
    plain = Classifier().classify("Hiring Payroll Specialist – 4-6 yrs – Pune")
    edited = Classifier().classify(
        "Hiring Payroll Specialist – 4-6 yrs – Pune <This message was edited>"
    )
    assert plain == edited


@pytest.mark.parametrize("text", ["", "   ", "a" * 100_000 + "!", "\t" * 50_000, "🙏" * 5_000])
def test_any_text_gets_a_kind(text: str) -> None:
    assert Classifier().classify(text).kind in set(Kind)


def test_a_near_duplicate_of_a_corrected_message_follows_the_correction_at_once() -> None:
    pitch = "Hi all, we run a payroll outsourcing firm in Pune, 200+ clients, DM for a free demo"
    classifier = Classifier()
    before = classifier.classify(pitch).kind
    target = O if before is not O else J
    classifier.learn(pitch, target)
    again = classifier.classify(pitch.replace("200+", "250+"))
    assert again.kind is target and "moderator" in again.reason


def test_several_corrections_shift_related_but_different_messages() -> None:
    related = "Offering free mock interviews and resume review to freshers, DM me to book a slot"
    corrected = [
        "Offer: free resume review for HR freshers this weekend, DM me",
        "Doing free mock interviews for HR freshers on Sunday, DM me",
        "Free resume review for freshers again this Saturday, DM to book",
    ]
    untaught = Classifier()
    seen = {untaught.classify(text).kind for text in [related, *corrected]}
    target = next(kind for kind in (H, J, O, G) if kind not in seen)
    classifier = Classifier((text, target) for text in corrected)
    after = classifier.classify(related)
    assert after.kind is target and "moderators" in after.reason


def test_corrections_stay_in_their_community() -> None:
    text = "Offering free mock interviews and resume review to freshers, DM me to book a slot"
    before = Classifier().classify(text).kind
    taught = Classifier([(text, O if before is not O else H)])
    assert taught.classify(text).kind is not before
    assert Classifier().classify(text).kind is before


def test_confidences_are_rounded_as_round_does() -> None:
    rng = np.random.default_rng(11)
    ties = (np.arange(1000) + 0.5) / 1000
    values = np.concatenate(
        (rng.random(200_000), ties, np.nextafter(ties, 0), np.nextafter(ties, 1), [0.0, 1.0])
    )
    assert _rounded(values) == [round(float(v), 3) for v in values]
