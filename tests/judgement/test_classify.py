"""Specifications of the kind classifier, on examples written for these tests."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.domain import Kind, Level

J, H, G, O = Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER  # noqa: E741


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


KIND_TABLE = [
    # openings, in many shapes
    ("We r hiring!! Payroll Executive, Andheri, 1-3 yrs, send CV to 90000 11111", J),
    ("Urgent opning for HR Recruiter in Indore, 0-2 yrs exp, imediate joiners pls", J),
    (
        "Role: Talent Partner\nExp: 5-7 yrs\nLocation: Gurugram\nApply: https://jobs.example.in/tp",
        J,
    ),
    ("Fwd: Vacency for HR Officer at a sugar mill, Kolhapur. 2-4 yrs. Marathi must.", J),
    ("Anyone interested in an HRBP role in Noida? 6-8 yrs, fintech. DM me", J),
    ("Hamari company mein HR executive ki requirement hai, Kanpur, 1-2 saal exp, CV bhejo", J),
    (
        "Recruiter friends – we have openings for HRBP (5-8 yrs), TA Lead (6-9 yrs) and Payroll "
        "Executive (1-3 yrs) in Pune. Share profiles at jobs@example.org",
        J,
    ),
    # asking the group
    ("Koi help kar sakta hai? Maharashtra LWF ka June contribution kaise bharte hain online?", H),
    ("Kisi ke paas exit interview ka format hai kya? Pls share 🙏", H),
    ("Can someone share a leave policy templte for a 30 ppl startup?", H),
    ("Open to work 🙏 HR Generalist, 3 yrs, Jaipur. Any leads would help", H),
    ("My friend Sunil, TA lead with 7 yrs, got laid off. Any leads in Chennai pls?", H),
    ("Need a reliable BGV agency for 200 checks a month, Bangalore. Recos?", H),
    ("Looking for a POSH trainer who can do sessions in Tamil at our Hosur plant", H),
    ("How do you all handle comp-off for employees who work on national holidays?", H),
    ("Does gratuity apply if an employee resigns after 4 yrs 8 months? Pls guide", H),
    # unasked knowledge
    ("Why do we celebrate hustle and then wonder why people burn out? 🤔", G),
    ("Thought of the day 🌼 'Hire for attitude, train for skill.' – unknown", G),
    ("Great read on skip-level meetings: https://blog.example.com/skip-levels", G),
    (
        "Free webinar this Saturday on the new labour codes – register here https://ev.example.org/x",
        G,
    ),
    ("We close niche tech roles in 10 days at 7% fee. DM for terms 🙂", G),
    ("Reminder to all payroll folks: PF challans for last month are due by the 15th ⏰", G),
    # everything else
    ("Good morning all 🌞🙏", O),
    ("Thanks Meera, that really helped!", O),
    ("+1", O),
    ("<Media omitted>", O),
    ("This message was deleted", O),
    ("Rakesh Jain joined using this group's invite link", O),
    ("Is this remote?", O),
    ("Any help on this? 🙏", O),
    ("@Deepa we use Keka for 200 ppl, payroll is smooth, reports are ok", O),
    ("Following", O),
    ("Congrats Ankit on the promotion 🎉", O),
    ("", O),
]


@pytest.mark.parametrize(("text", "kind"), KIND_TABLE)
def test_kind_of_realistic_message(clf: Classifier, text: str, kind: Kind) -> None:
    assert clf.classify(text).kind == kind


def test_reply_with_link_and_advice_is_other_not_gyaan(clf: Classifier) -> None:
    text = "This checklist helped us a lot: https://example.org/payroll-checklist"
    assert clf.classify(text, is_reply=True).kind == O


def test_edited_marker_is_not_content(clf: Classifier) -> None:
    plain = "Hiring HRBP, 5-7 yrs, Pune. DM CV"
    edited = plain + " <This message was edited>"
    assert clf.classify(edited).kind == clf.classify(plain).kind == J


def test_job_post_carries_role_level_and_others_do_not(clf: Classifier) -> None:
    job = clf.classify("Hiring Head HR for a plant in Nashik, 5-8 yrs. Share CV at hr@example.in")
    ask = clf.classify("Can someone share an appraisal form template?")
    assert (job.kind, job.role_level) == (J, Level.MID)
    assert ask.role_level is None


def test_reason_names_the_evidence(clf: Classifier) -> None:
    result = clf.classify("Opening for TA Lead, 6-9 yrs, Hyderabad. DM CV")
    assert "hiring" in result.reason and 0.5 <= result.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    ["🙏🙏🙏", "ALL CAPS HIRING HR EXECUTIVE 1-2 YRS CALL 99999 88888", "x" * 5000, "\n\n  \n"],
)
def test_any_text_is_classified_deterministically(text: str) -> None:
    first, second = Classifier().classify(text), Classifier().classify(text)
    assert first == second and 0.0 <= first.confidence <= 1.0


def test_correction_applies_at_once_to_a_near_duplicate() -> None:
    clf = Classifier()
    text = "Sharing my sabbatical policy draft for feedback: https://docs.example.com/sab"
    clf.learn(text, H)
    later = clf.classify(
        "Sharing my sabbatical policy draft for feedback https://docs.example.com/v2"
    )
    assert later.kind == H
    assert later.reason == "moderator corrected a similar message"


def test_corrections_given_at_start_are_learned() -> None:
    text = "Team outing photos from Lonavala 😄 what a day"
    clf = Classifier(corrections=[(text, G)])
    assert clf.classify(text).kind == G


def test_several_corrections_shift_a_related_but_different_message() -> None:
    clf = Classifier()
    related = "Salary survey for plant HR roles closes Friday, fill it in pls"
    before = clf.classify(related).kind
    corrections = [
        "Salary survey for HRBP roles: fill the form by Monday",
        "Our annual salary survey is live, takes 5 min, fill it in",
        "Please fill the salary survey for TA roles, results shared with all",
        "Reminder – salary survey for payroll roles closes soon, fill pls",
    ]
    for text in corrections:
        clf.learn(text, O)
    after = clf.classify(related)
    assert before != O
    assert after.kind == O and after.reason != "moderator corrected a similar message"
