"""Specifications of answer judgement: what counts as an answer, and which request it answers."""

from __future__ import annotations

import pytest

from bot.judgement.answers import AnswerInputError, infer_answers, is_resolution, is_substantive
from tests.judgement.chats import chat


@pytest.mark.parametrize(
    "text",
    [
        "+1",
        "Following 👀",
        "following this thread",
        "Same question",
        "Same here, pls share with me also",
        "Interested to know too",
        "🙏🙏",
        "All the best 👍",
        "Congrats Meera! 🎉",
        "Thanks!",
        "Good morning everyone ☀️",
        "Tagging @Rahul Verma",
        "Tagging @Rahul Verma who may know",
        "Any help on this? 🙏",
        "Bumping this up",
        "Me too pls 🙏",
        "Haan, same doubt yahan bhi. Following",
        "Saving this 📌",
        "Sir following, we're also evaluating RPOs",
        "+1, we are also looking for a POSH trainer in Pune",
        "We do it in-house, sorry Sunil. Will ask our channel heads.",
        "Happy to hear this! 🎉",
        "+1 would really love that contact too",
        "Me too, need the same list for our Nagpur unit",
        "Sorry yaar, hamare vendor sirf payroll karte hain, audit ke liye koi idea nahi",
        "No clue on this one, sorry",
        "Meera, sending you strength 🙏 so many good people hit this year",
        "Sharma ji, himmat rakhiye. Hum sab dekhte hain 🙏",
        "Achha sawaal hai Ravi. Kal detail mein likhta hoon",
        "Deepak, our CFO did this last year. Let me ask him and revert.",
        "Sorry Vivek, hamare yahan abhi koi fresher opening nahi hai",
        "Om Shanti Vikram ji 🙏",
    ],
)
def test_reactions_without_content_are_not_substantive(text: str) -> None:
    assert not is_substantive(text)


@pytest.mark.parametrize(
    "text",
    [
        "DM me, I can refer you",
        "Try Keka, their payroll module handles PT slabs by state",
        "Here's the template we use: https://docs.example.org/posh-policy",
        "Gratuity is 15/26 × last drawn basic × years of service",
        "Speak to Anand at Lexwise, they did our IC training last year",
        "Is this role open to candidates from Chennai?",
        "Yes, 21k",
        "We pay 50% at joining and 50% after 90 days – reduces early attrition",
        "Sorry for the delay! Try Keka, it handles PT slabs",
    ],
)
def test_advice_offers_and_pointers_are_substantive(text: str) -> None:
    assert is_substantive(text)


@pytest.mark.parametrize(
    ("text", "closes"),
    [
        ("Thanks all, sorted 👍", True),
        ("Update: resolved now, the vendor fixed the slab", True),
        ("Got it, closed", True),
        ("Closing the loop – found a vendor through a friend", True),
        ("Thanks Priya 🙏", False),
        ("Thank you so much, very helpful", False),
        ("Got it, thank you", False),
        ("Not sorted yet, still looking", False),
        ("Update: found a remote role myself through an ex-colleague 😊 Thank you all!", True),
        ("Trainer booked through the chamber of commerce, thanks", True),
        ("I GOT IT 😭 joining on 1st April!! Thank you ma'am", True),
        ("Found a few options but none in budget, any more?", False),
        ("Selected!! 🎉 Recruitment Coordinator at Noida, joining 24th. Thank you all", True),
        ("Which candidates got selected for the final round?", False),
        ("Safety training arranged, Nashik fire safety institute se. Thanks.", True),
        ("Can someone help get the trainings arranged?", False),
        ("Tried your idea, it worked 👍 thanks", True),
        ("Trying once more – low budget R&R for GDA staff? Even one idea that worked 🙏", False),
    ],
)
def test_only_an_explicit_closing_marks_a_request_resolved(text: str, closes: bool) -> None:
    assert is_resolution(text) is closes


def test_plus_one_following_and_wishes_before_any_answer_do_not_answer_request() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        ("10:05", "Irfan Ali", "-", "+1"),
        ("10:07", "Deepa Rao", "-", "Following"),
        ("10:30", "Karan Mehta", "-", "All the best"),
    )
    request = infer_answers(turns, kinds)[0]
    assert request.answered is False
    assert request.first_answer_index is None


def test_noise_then_a_real_answer_counts_the_answer_only() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        ("10:05", "Irfan Ali", "-", "+1"),
        (
            "10:40",
            "Deepa Rao",
            "-",
            "Keep it to 12 casual + 12 earned leaves, carry forward max 30, encash the rest",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[0].first_answer_index == 2
    assert facts[0].first_response_minutes == pytest.approx(40.0)
    assert facts[1].refers_to_index == 0 and facts[1].reply_to_index is None
    assert facts[2].reply_to_index == 0


def test_tagging_someone_is_not_an_answer_but_their_answer_is() -> None:
    turns, kinds = chat(
        (
            "11:00",
            "Vivek Nanda",
            "ask",
            "What ESOP vesting schedules are others using for senior hires?",
        ),
        ("11:20", "Sunita Paul", "-", "Tagging @Rakesh Iyer who may know"),
        (
            "12:10",
            "Rakesh Iyer",
            "-",
            "Most we see are 4 years with a 1 year cliff, monthly after that",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and not facts[1].substantive
    assert facts[0].first_answer_index == 2
    assert facts[0].first_response_minutes == pytest.approx(70.0)


def test_bump_by_the_asker_is_not_an_answer() -> None:
    turns, kinds = chat(
        (
            "09:30",
            "Harish Kumar",
            "ask",
            "Need a BGV vendor for blue collar hiring in Indore, any leads?",
        ),
        ("d1 10:00", "Harish Kumar", "-", "Any help on this? 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[0].answered is False
    assert facts[1].refers_to_index == 0


def test_request_closed_by_its_asker_without_replies_is_answered_without_first_answer() -> None:
    turns, kinds = chat(
        (
            "09:30",
            "Harish Kumar",
            "ask",
            "Need a BGV vendor for blue collar hiring in Indore, any leads?",
        ),
        ("d1 13:00", "Harish Kumar", "-", "Sorted this offline, thanks all 🙂"),
    )
    request = infer_answers(turns, kinds)[0]
    assert request.answered is True and request.resolved is True
    assert request.resolved_index == 1
    assert request.first_answer_index is None and request.first_response_minutes is None


def test_thanks_without_sorted_does_not_resolve() -> None:
    turns, kinds = chat(
        (
            "15:00",
            "Ananya Sen",
            "ask",
            "How do you calculate notice pay recovery for employees on PIP?",
        ),
        (
            "15:30",
            "Manoj Pillai",
            "-",
            "@Ananya Sen Basic + DA for the shortfall days, as per the appointment letter",
        ),
        ("16:00", "Ananya Sen", "-", "Thanks Manoj 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[0].answered is True and facts[0].resolved is False
    assert facts[2].refers_to_index == 0


def test_reply_with_no_mention_is_linked_by_its_words() -> None:
    turns, kinds = chat(
        (
            "14:00",
            "Ritesh Goel",
            "ask",
            "Is LWF applicable in Karnataka for employees above 25k salary?",
        ),
        (
            "14:25",
            "Bhavna Shah",
            "-",
            "In Karnataka LWF applies to everyone, contribution is due in January",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0
    assert facts[0].first_answer_index == 1


def test_two_interleaved_requests_are_answered_by_name() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "Pallavi Rao",
            "ask",
            "Which ATS works well for campus hiring at ~200 hires a year?",
        ),
        ("10:04", "Gaurav Shetty", "ask", "Anyone has a good POSH trainer for a plant in Hosur?"),
        (
            "10:20",
            "Tina Mathur",
            "-",
            "Gaurav, try Samvaad Legal – they do Tamil sessions on the shop floor",
        ),
        (
            "10:35",
            "Kunal Bose",
            "-",
            "Hi Pallavi – we moved to a tool with campus drive scheduling, happy to demo it",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 1
    assert facts[3].reply_to_index == 0
    assert facts[0].first_answer_index == 3 and facts[1].first_answer_index == 2


def test_mention_by_phone_number_addresses_that_member() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "+91 98450 12345",
            "ask",
            "Any leads for a payroll executive role in Pune? I was laid off last week",
        ),
        (
            "10:03",
            "Rekha Iyer",
            "ask",
            "Can someone share an appraisal form template for plant staff?",
        ),
        (
            "10:30",
            "Sameer Khan",
            "-",
            "@919845012345 we have an opening for payroll exec in Hinjewadi, DM me",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 0


def test_structural_reply_beats_inference() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "Pallavi Rao",
            "ask",
            "Which ATS works well for campus hiring at ~200 hires a year?",
        ),
        ("10:04", "Gaurav Shetty", "ask", "Anyone has a good POSH trainer for a plant in Hosur?"),
        ("10:20", "Tina Mathur", "-", "Pallavi, we used one in 2022, campus module was good"),
        reply_to={2: 1},
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 1
    assert facts[1].first_answer_index == 2 and facts[0].answered is False


def test_question_about_a_job_post_and_the_posters_answer_are_linked() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Farah Khan",
            "job",
            "Hiring: HRBP, 5-7 yrs, Gurgaon. Mail CV to hr@acme.example",
        ),
        ("09:20", "Rohit Jain", "-", "Is this hybrid or full WFO?"),
        ("09:45", "Farah Khan", "-", "Hybrid, 3 days a week in office"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0
    assert facts[2].reply_to_index == 1


def test_intro_right_after_a_request_is_not_an_answer() -> None:
    turns, kinds = chat(
        (
            "12:00",
            "Vikas Rao",
            "ask",
            "Looking for intros to CHROs in Bengaluru GCCs for a roundtable",
        ),
        ("12:10", None, "-", "Leela Nair joined using this group's invite link"),
        (
            "12:15",
            "Leela Nair",
            "-",
            "Hello everyone! I'm Leela, HR trainee at a hospital in Kochi, excited to learn",
        ),
    )
    assert infer_answers(turns, kinds)[0].answered is False


def test_asker_resolution_after_answers_keeps_first_answer() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        (
            "10:40",
            "Deepa Rao",
            "-",
            "Neha, 12 casual + 12 earned leaves, carry forward max 30, encash the rest",
        ),
        ("11:10", "Neha Joshi", "-", "Done ✅ thanks Deepa for the help"),
    )
    request = infer_answers(turns, kinds)[0]
    assert (request.first_answer_index, request.resolved_index) == (1, 2)


def test_a_late_reply_that_names_the_asker_answers_an_unanswered_request() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        (
            "d5 10:00",
            "Deepa Rao",
            "-",
            "Neha, 12 casual + 12 earned leaves, carry forward max 30, encash the rest",
        ),
    )
    request = infer_answers(turns, kinds)[0]
    assert (request.answered, request.first_answer_index) == (True, 1)


def test_a_late_reply_to_nobody_in_particular_does_not_answer_an_old_request() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        ("d5 10:00", "Deepa Rao", "-", "12 casual + 12 earned leaves, carry forward max 30"),
    )
    assert infer_answers(turns, kinds)[0].answered is False


def test_requests_older_than_two_weeks_are_not_answered_late_by_others() -> None:
    turns, kinds = chat(
        ("10:00", "Neha Joshi", "ask", "Can someone share a leave policy for a 40-person startup?"),
        (
            "d15 10:00",
            "Deepa Rao",
            "-",
            "Neha, 12 casual + 12 earned leaves, carry forward max 30, encash the rest",
        ),
    )
    assert infer_answers(turns, kinds)[0].answered is False


def test_mismatched_kinds_are_refused() -> None:
    turns, _ = chat(("10:00", "Neha Joshi", "ask", "Any leads?"))
    with pytest.raises(AnswerInputError):
        infer_answers(turns, [])


def test_long_conversation_is_read_in_one_pass() -> None:
    turns, kinds = chat(
        *[
            (
                f"d{i // 40} {8 + (i % 40) // 4:02d}:{(i % 4) * 15:02d}",
                f"Member {i % 50}",
                "ask" if i % 10 == 0 else "-",
                "Any payroll vendor for Pune?"
                if i % 10 == 0
                else "We use Zeta payroll for 300 people, works fine",
            )
            for i in range(4000)
        ]
    )
    facts = infer_answers(turns, kinds)
    assert len(facts) == 4000
    assert all(f.reply_to_index is None or f.reply_to_index < i for i, f in enumerate(facts))


def test_a_question_to_the_poster_and_the_posters_answer_hang_under_the_job_post() -> None:
    turns, kinds = chat(
        (
            "11:40",
            "Ritu Saini",
            "ask",
            "MBA HR 2026 passout, searching for HR roles for freshers in Gurgaon since May. "
            "Any leads? 🙏",
        ),
        (
            "13:30",
            "Sakshi Verma",
            "job",
            "Our company is hiring 🙂\nHR Executive – Operations\n0-1 yr | Gurgaon | 2.6-3 LPA\n"
            "CV to hr@example.com",
        ),
        ("13:45", "Ritu Saini", "-", "Ma'am are MBA freshers allowed? And is it 6 days working?"),
        ("14:20", "Sakshi Verma", "-", "Yes MBA freshers ok. 6 days, alternate Saturday off 🙂"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 1
    assert facts[3].reply_to_index == 2


def test_words_joined_by_a_slash_are_separate_words() -> None:
    from bot.judgement.reply_text import content_stems

    assert {"templat", "proces"} <= content_stems("Koi simple template/process share kar sakta hai?")
    assert "5-point" in content_stems("5-point or 3-point ratings?")


def test_an_announcement_to_the_group_answers_no_open_request() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Mitali Rao",
            "ask",
            "Hi all, our unit in Chakan is closing next quarter. If anyone hears of plant HR "
            "openings around Pune, please tell me 🙏",
        ),
        ("10:15", "Suresh Pillai", "-", "All the best Mitali"),
        (
            "d1 11:00",
            "Anand Kulkarni",
            "-",
            "📢 Pune Plant HR Meet – Sat 14 Feb, 5–8 pm, Baner\nTheme: plant HR under the new "
            "labour codes. Free for members, register with me by Thursday",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index is None
    assert facts[0].answered is False


@pytest.mark.parametrize(
    "ad",
    [
        "Greetings from Konkan Staffing Solutions, Ratnagiri 🙏 (vendor – as per group rule)\n"
        "We supply trained housekeeping and kitchen staff for the season.\nCall/WhatsApp 98220 55123",
        "Dear leaders, we are a niche leadership search firm for pharma – 90+ CXO closures. "
        "Happy to connect: 98190 44120",
        "Hello folks 🙏 Vendor here (disclosing as per rules) – QuickCheck BGV, 4-day TAT, "
        "₹1,200 per case. Call or WA this number.",
        "Our AI-driven interview platform is offering free pilots this month. Book: "
        "https://demo.example.in",
    ],
)
def test_an_advert_to_the_group_answers_no_request_it_shares_words_with(ad: str) -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Sheetal Naik",
            "ask",
            "Need a reliable vendor for housekeeping staff, background checks and interview "
            "platform for our new hotel in Ratnagiri – any leads?",
        ),
        ("11:30", "Vendor", "gyaan", ad),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None
    assert facts[0].answered is False


def test_a_word_to_a_whole_class_of_members_answers_no_earlier_request() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Ramesh Iyer",
            "ask",
            "Payroll query – we have 40 staff in Dubai on WPS, salaries were late by 3 days "
            "this month. What penalty should we expect?",
        ),
        (
            "11:00",
            "Imtiaz Khan",
            "gyaan",
            "UAE employers: from next month the WPS penalty for late salary transfer is applied "
            "automatically, so check your payroll calendar for the Eid week.",
        ),
    )
    assert infer_answers(turns, kinds)[1].reply_to_index is None


def test_a_posters_short_answer_hours_after_a_question_on_their_post_answers_it() -> None:
    turns, kinds = chat(
        (
            "14:00",
            "+91 99000 41122",
            "job",
            "Hiring Sr. Executive HR – Payroll & Compliance\nExp: 2-4 yrs\nLoc: Peenya\n"
            "Budget 4-5 LPA\nWhatsApp CV",
        ),
        ("14:20", "Pooja Bhat", "-", "Is this immediate joining?"),
        ("14:45", "Rohan D", "-", "Haha Friday mood already 😄"),
        ("15:35", "+91 99000 41122", "-", "Yes, within 15 days"),
        ("16:10", "+91 99000 41122", "-", "Happy Friday all 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0
    assert facts[3].reply_to_index == 1
    assert facts[4].reply_to_index is None and facts[4].refers_to_index is None


def test_a_chit_chat_question_or_sad_news_answers_no_open_request() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "Ravi Prasad",
            "ask",
            "Two unions in our plant both claim majority for wage talks. How do we decide whom "
            "to negotiate with? Any seniors faced this in Jamshedpur?",
        ),
        ("10:30", "Manoj T", "-", "Anyone else stuck in the Mango bridge traffic jam today? 😩"),
        (
            "11:00",
            "A K Sinha",
            "-",
            "Dukhad samachar: senior union leader Comrade Haripada ji passed away last night. "
            "40 years of plant IR in Jamshedpur, unions and management both respected him 🙏",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None
    assert facts[2].reply_to_index is None
    assert facts[0].answered is False


def test_thanks_for_a_webinar_posted_to_all_credits_no_answer() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Rajesh Pillai",
            "ask",
            "Back in Trivandrum after 16 years in Oman as Head HR. Looking for HR head or plant "
            "HR roles in Kerala – any leads would help 🙏",
        ),
        (
            "d2 13:20",
            "Deepthi Nair",
            "gyaan",
            'Sharing: free webinar on "Re-entering the Indian job market after a Gulf career" '
            "by the Kochi chapter on Saturday 11am. Register here: https://forms.example.com/k",
        ),
        ("d2 13:40", "Rajesh Pillai", "-", "Thanks for sharing Deepthi, registered."),
        ("d4 10:30", "Deepthi Nair", "-", "Reminder – Kochi chapter webinar starts in 30 mins 🙂"),
        ("d4 13:00", "Rajesh Pillai", "-", "Good session. Thank you Deepthi."),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None and facts[3].reply_to_index is None
    assert facts[0].answered is False


def test_an_askers_thanks_for_a_post_on_another_subject_credits_no_answer() -> None:
    turns, kinds = chat(
        (
            "10:30",
            "Neeta Kulkarni",
            "ask",
            "Can anyone introduce me to the people head of a large EV maker in Pune? We supply "
            "them and want to compare notes on skilling for assembly lines.",
        ),
        (
            "d3 09:30",
            "Rohit Bhandari",
            "gyaan",
            "What seven weeks between jobs taught me: 1) the people who call in week one are "
            "not the ones who call in week five 2) say yes to coffee 3) keep a routine",
        ),
        ("d3 09:50", "Neeta Kulkarni", "-", "Thank you for sharing so honestly Rohit 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None
    assert facts[0].answered is False
