"""Specifications of requests as threads: one ask is one request, whatever follows it."""

from __future__ import annotations

from bot.judgement.answers import infer_answers
from tests.judgement.chats import chat
from tests.judgement.chats import listed as _listed


def test_asker_bump_judged_a_request_folds_into_the_open_request() -> None:
    lines = (
        ("10:00", "Neha Joshi", "ask", "Need a BGV vendor for tier 2 towns with a 7 day TAT"),
        ("d1 09:00", "Neha Joshi", "ask", "Anyone? 🙂"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0
    assert facts[0].latest_activity_index == 1
    assert _listed(lines) == [0]


def test_asker_restating_the_same_ask_is_still_one_request() -> None:
    lines = (
        ("10:00", "Neha Joshi", "ask", "Need a BGV vendor for tier 2 towns with a 7 day TAT"),
        (
            "d1 09:00",
            "Neha Joshi",
            "ask",
            "Reposting – any BGV vendor for tier 2 towns? TAT matters",
        ),
    )
    assert _listed(lines) == [0]


def test_other_members_amplification_folds_and_does_not_answer() -> None:
    lines = (
        (
            "10:00",
            "Neha Joshi",
            "ask",
            "Can someone share a POSH policy template for a 40-person startup?",
        ),
        (
            "11:00",
            "Irfan Ali",
            "ask",
            "Tagging @Ritu Sen @Dev Rao – any POSH policy template for Neha?",
        ),
        ("11:30", "Kiran Das", "ask", "Pls share with me also 🙏"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[0].answered is False
    assert facts[1].refers_to_index == 0 and facts[2].refers_to_index == 0
    assert _listed(lines) == [0]


def test_a_different_ask_by_the_same_member_is_a_new_request() -> None:
    lines = (
        ("10:00", "Neha Joshi", "ask", "Need a BGV vendor for tier 2 towns with a 7 day TAT"),
        (
            "d1 09:00",
            "Neha Joshi",
            "ask",
            "Separate question – how do you handle PF for interns on stipend?",
        ),
    )
    assert _listed(lines) == [0, 1]


def test_question_about_a_job_post_is_never_an_unanswered_request() -> None:
    lines = (
        ("10:00", "Farhan Q", "job", "Hiring HRBP | 5-8 yrs | Pune | NBFC. DM CV"),
        ("10:20", "Rohan Das", "ask", "Is this remote?"),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].reply_to_index == 0
    assert _listed(lines) == []


def test_asker_saying_it_is_sorted_resolves_whatever_its_words_look_like() -> None:
    lines = (
        ("10:00", "Neha Joshi", "ask", "Need a BGV vendor for tier 2 towns with a 7 day TAT"),
        ("d1 18:00", "Neha Joshi", "job", "Got it sorted through a friend's vendor, thanks all"),
    )
    turns, kinds = chat(*lines)
    request = infer_answers(turns, kinds)[0]
    assert request.resolved is True and request.resolved_index == 1
    assert _listed(lines) == []


def test_reply_naming_the_asker_links_to_their_latest_open_request_on_the_topic() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "Harpreet Gill",
            "ask",
            "Any leadership coach for my HR team? Bengaluru or virtual",
        ),
        (
            "d1 10:00",
            "Harpreet Gill",
            "ask",
            "Also need a coach for our first-time managers programme",
        ),
        ("d1 10:30", "Meera Nair", "-", "Harpreet try Anita Rao, she coaches first-time managers"),
    )
    assert infer_answers(turns, kinds)[2].reply_to_index == 1


def test_an_askers_nudge_days_later_still_folds_while_nobody_has_answered() -> None:
    lines = (
        ("10:00", "Ravi Kumar", "ask", "Looking for a payroll vendor who handles PT in 6 states"),
        (
            "d3 11:00",
            "Ravi Kumar",
            "ask",
            "Any pointers on the payroll vendor? 🙏 Go-live is in May",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and facts[0].latest_activity_index == 1
    assert _listed(lines) == [0]


def test_a_promise_to_ask_around_does_not_answer_the_request() -> None:
    lines = (
        ("10:00", "Ravi Kumar", "ask", "Any Kannada-speaking soft skills trainer for our plant?"),
        ("10:40", "Asha Rao", "-", "Ravi, I know Tamil trainers only, will ask around"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and not facts[1].substantive
    assert facts[0].answered is False


def test_sympathy_alone_does_not_answer_a_layoff_post() -> None:
    lines = (
        (
            "09:30",
            "Meera Iyer",
            "ask",
            "Quietly sharing that my CHRO role was impacted in a restructuring. 24 yrs in HR. "
            "Open to CHRO / VP HR roles in Chennai or Bengaluru, leads welcome.",
        ),
        ("09:50", "Gopal Rao", "-", "Stay strong Meera. You will land something better soon"),
        ("10:05", "Asha Rao", "-", "So sorry to hear this ma'am, all the best 🙏"),
        ("10:12", "Rajiv Menon", "-", "Meera, sorry to read this. Will call you this evening."),
        ("10:14", "Farah D", "-", "Sending strength Meera 💜 you are not alone in this"),
        (
            "10:20",
            "Deepak Rao",
            "-",
            "Important topic Meera. Hope someone from our network responds – I have nothing "
            "useful on CHRO roles, sorry.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not any(facts[i].substantive for i in (1, 2, 3, 4, 5))
    assert facts[0].answered is False


def test_a_reply_ending_in_following_is_a_me_too() -> None:
    lines = (
        (
            "09:00",
            "Rekha I",
            "ask",
            "Has anyone integrated their HRMS with Azure AD for SSO and auto-provisioning?",
        ),
        ("09:40", "Bhavna T", "-", "Done SSO, never provisioning. Following"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and not facts[1].substantive
    assert facts[0].answered is False


def test_gladness_at_an_askers_news_answers_none_of_their_requests() -> None:
    lines = (
        (
            "09:00",
            "Arjun Nair",
            "ask",
            "12 contractors at our warehouse. Anyone has a monthly CLRA compliance checklist?",
        ),
        ("11:00", "Arjun Nair", "-", "PF inspection done ✅ only a minor observation on Form 5A."),
        ("11:20", "Fatima Sheikh", "-", "Glad it went well Arjun 👏"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not facts[2].substantive
    assert facts[0].answered is False


def test_a_question_back_to_the_asker_does_not_answer_it_yet() -> None:
    lines = (
        ("10:00", "Ravi Kumar", "ask", "Sending 40 technicians to a Saudi site, what visa route?"),
        ("10:30", "Asha Rao", "-", "Ravi, is the client sponsoring the visas or are you a sub?"),
        ("10:45", "Ravi Kumar", "-", "We are a subcontractor"),
        ("11:10", "Dev Shah", "-", "@Ravi Kumar insist on block visas in the contract, we did"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and not facts[1].substantive
    assert facts[0].first_answer_index == 3


def test_an_introduction_does_not_answer_an_open_request_on_the_same_field() -> None:
    lines = (
        (
            "10:00",
            "Deepa Menon",
            "ask",
            "Our plant crossed 100 workmen. Which labour law registrations do we need now?",
        ),
        (
            "10:30",
            "Nitin Agarwal",
            "-",
            "Btw for new members – I'm a labour law & compliance consultant, 8 yrs of practice, "
            "mostly manufacturing clients in TN.",
        ),
        (
            "11:00",
            "Anita Rao",
            "-",
            "Friends, Prachi is an HRBP at an IT firm in Hinjewadi and joined us yesterday. "
            "Welcome Prachi!",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None and facts[2].reply_to_index is None
    assert facts[0].answered is False


def test_an_introduction_spoken_to_the_asker_can_answer() -> None:
    lines = (
        ("10:00", "Sana Mirza", "ask", "Need an external member for our POSH IC in Mumbai"),
        (
            "10:30",
            "Kabir Shah",
            "-",
            "Sana, hi – I'm an employment lawyer, 5 yrs, mostly startups. Happy to be your "
            "external member, DM me.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0


def test_a_reply_calls_a_number_only_member_by_the_name_they_gave() -> None:
    lines = (
        (
            "10:15",
            "+91 88260 41937",
            "ask",
            "Hi, I'm Kavya (final year BBA, Delhi) – looking for an HR internship in Delhi. "
            "Any leads? 🙏",
        ),
        ("10:40", "Arjun Nair", "ask", "Any leads for HR internships in Mumbai? Stipend is a must"),
        (
            "11:30",
            "Sakshi Verma",
            "-",
            "Kavya our Gurgaon office takes 1 HR intern from Sept, 8k stipend. Mail your CV to "
            "careers@example.com",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 0 and facts[0].answered is True


def test_an_askers_gentle_bump_folds_into_their_request_even_after_a_reply() -> None:
    lines = (
        (
            "09:00",
            "Kavitha Rao",
            "ask",
            "Has anyone started putting pay ranges in job ads for EU roles while keeping India "
            "ranges confidential?",
        ),
        ("11:00", "Venkat Iyer", "-", "Kavitha, we only do it where the law requires it."),
        (
            "d6 09:20",
            "Kavitha Rao",
            "ask",
            "Gentle bump on pay range disclosure – anyone dealing with it for EU reqs? 🙏",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].refers_to_index == 0
    assert _listed(lines) == []


def test_news_of_ones_own_with_thanks_answers_nobody_else() -> None:
    lines = (
        (
            "10:00",
            "Kunal Bhatia",
            "ask",
            "Looking for a Head of People for our company – someone who has been CHRO at a startup",
        ),
        (
            "d1 11:00",
            "Rahul Nair",
            "-",
            "A small update – I've accepted the Head of People role at Kunal's company 🙏 Thank "
            "you Kunal, and everyone here who reached out. Sorted, and grateful.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None and facts[0].answered is False


def test_a_question_back_and_the_askers_clarification_are_the_request_thread() -> None:
    lines = (
        (
            "10:00",
            "+91 70135 22908",
            "ask",
            "Fresher recruiter here, we have one Naukri Resdex login for 3 people. How do I "
            "search better for Java developers?",
        ),
        (
            "10:20",
            "Swathi Nalla",
            "-",
            "Which Resdex plan is it – the one with Excel download or view-only? How many views?",
        ),
        ("10:30", "+91 70135 22908", "-", "View only madam, 200 views/day"),
        (
            "10:50",
            "Swathi Nalla",
            "-",
            "Then use the boolean search with skills + notice period filters and save the "
            "searches, so the 200 views go to shortlisted profiles only.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].refers_to_index == 0 and not facts[1].substantive
    assert facts[2].refers_to_index == 0 and facts[2].reply_to_index is None
    assert facts[0].first_answer_index == 3


def test_advice_quoting_a_question_still_answers() -> None:
    lines = (
        ("10:00", "Neha Joshi", "ask", "How long should an exit interview form be?"),
        (
            "11:00",
            "Arjun Rao",
            "-",
            "Re the exit interview q – keep it under 10 questions and add 'would you rejoin "
            "us?' – gives more signal than the ratings.",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].reply_to_index == 0


def test_an_unnamed_thanks_credits_the_reply_just_before_it() -> None:
    lines = (
        (
            "10:30",
            "+91 70135 22908",
            "ask",
            "One candidate has 2 UAN numbers, previous employer created a new one. How to merge?",
        ),
        ("10:40", "Priya Nair", "-", "Happy Friday all 😊"),
        (
            "11:10",
            "Ravi Teja K",
            "ask",
            "Bro candidate can do it online – member portal login with current UAN → Online "
            "Services → One Member One EPF Account, give old UAN details",
        ),
        ("11:25", "+91 70135 22908", "-", "Thanks bro 🙏"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 0 and facts[0].first_answer_index == 2


def test_thanks_to_everyone_credits_no_single_message() -> None:
    lines = (
        ("10:30", "Vikram Rao", "ask", "What ESOP pool size are pre-IPO companies setting aside?"),
        (
            "12:00",
            "Nikhil Jain",
            "gyaan",
            "One thing banking taught me: if you can't explain a people decision to an auditor, "
            "don't make it.",
        ),
        ("12:10", "Vikram Rao", "-", "Thanks everyone 🙏"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None and facts[0].first_answer_index is None


def test_congratulations_answer_nothing() -> None:
    lines = (
        ("10:00", "Kunal Bhatia", "ask", "Looking for a Head of People for our startup, any intros?"),
        ("d3 10:00", "Dev Arora", "-", "Congrats Rahul 👏 great hire Kunal"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None and facts[0].answered is False


def test_congratulations_with_advice_answer_the_one_congratulated() -> None:
    lines = (
        (
            "10:15",
            "Zoya Ansari",
            "ask",
            "Guys I got my first offer 🥹 HR Recruiter, Noida, 3.2 LPA. Is it ok for an MBA "
            "fresher? Should I negotiate?",
        ),
        ("10:30", "Pooja Agarwal", "-", "Congratsss Zoya 🎉🎉"),
        (
            "11:10",
            "Kunal Bhatia",
            "-",
            "Congrats Zoya! 3.2 LPA for a recruiter fresher in Noida is in the normal range "
            "(2.8-3.6). No company takes back an offer for a polite ask – why not ask for 3.5?",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index is None
    assert facts[2].reply_to_index == 0 and facts[0].first_answer_index == 2


def test_tagging_someone_in_answers_nothing() -> None:
    lines = (
        (
            "09:05",
            "Farah Khan",
            "job",
            "Friday job post: Payroll Associate, 1-2 yrs, Bengaluru (Whitefield). CVs to "
            "farah@example.in",
        ),
        (
            "13:12",
            "Kiran D",
            "ask",
            "My cousin has 3 yrs in payroll processing (greytHR, PF/ESIC returns) in Hyderabad, "
            "wants to move to Bengaluru. Any openings?",
        ),
        ("14:00", "Priya N", "-", "Tagging @Farah Khan, you had some payroll openings na?"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].refers_to_index == 1 and not facts[2].substantive
    assert facts[1].answered is False


def test_laughing_along_answers_nothing() -> None:
    lines = (
        (
            "10:00",
            "Megha R",
            "ask",
            "Which ATS do you use for 50 hires a quarter? Greenhouse is too costly for us now.",
        ),
        ("10:20", "Kunal B", "-", "Haha Greenhouse pricing is a whole joke in itself 😂"),
        ("10:30", "Riya K", "-", "Recruiters khud ATS update nahi karte 😂"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not facts[1].substantive and not facts[2].substantive
    assert facts[0].answered is False


def test_a_thanks_never_credits_the_thanked_members_own_ask() -> None:
    lines = (
        (
            "09:00",
            "Ayesha F",
            "ask",
            "Can someone senior review my CV? Recruiters don't understand my Bahrain PRO work.",
        ),
        ("d5 10:00", "Ravi K", "-", "Good morning all"),
        (
            "d5 11:10",
            "Sameera K",
            "ask",
            "Personal ask 🙂 7 yrs in TA (Dubai agency + Mumbai corporate), want to move into an "
            "HRBP role. Would love to talk to someone who made the TA to HRBP move.",
        ),
        (
            "d5 13:30",
            "Ayesha F",
            "-",
            "Good news – I got the offer from the Guindy centre!! Thank you Sameera ma'am 🙏 "
            "your CV tips worked",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index is None
    assert _listed(lines) == [2]


def test_a_share_that_opens_as_a_turn_in_the_conversation_is_read_as_a_reply() -> None:
    lines = (
        (
            "10:00",
            "Neeraj G",
            "ask",
            "Contractor left mid-year – do we issue Form 16 for his months with us? Part A and B?",
        ),
        ("10:40", "Ravi K", "job", "Hiring: Payroll Executive, 1-3 yrs, Pune. CVs to ravi@x.in"),
        ("11:10", "Asha M", "gyaan", "Thought for the day: payroll is trust, paid monthly."),
        (
            "12:30",
            "Javed S",
            "gyaan",
            "Both Neeraj. Part A from TRACES, Part B from your payroll for the months he worked.",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[3].reply_to_index == 0


def test_greetings_news_and_a_moderators_warning_answer_nothing() -> None:
    lines = (
        (
            "10:00",
            "Pradeep N",
            "ask",
            "Contract workers ka earned leave register kaun maintain karta hai – contractor ya "
            "principal employer? Auditor ne observation diya.",
        ),
        ("10:30", "Sameer K", "gyaan", "Xpert Search – BFSI hiring, 8.33% fee, 90-day replacement."),
        ("10:40", "Vikram S", "-", "Sameer ji, noted. One intro post is fine, pls don't repeat."),
        ("11:00", "Dinesh R", "-", "Jai Bhim 🙏 Ambedkar Jayanti ki shubhkamnayein sabko"),
        ("11:20", "Harish R", "-", "Friends, sad news – Srinivas lost his father this morning."),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not any(facts[i].substantive for i in (2, 3, 4))
    assert facts[0].answered is False


def test_a_forwarded_post_answers_no_request_whatever_words_it_shares() -> None:
    lines = (
        (
            "09:00",
            "Leena M",
            "ask",
            "Setting up a GCC in Coimbatore – which employer branding agency did you use for the "
            "launch? Budget ~15L.",
        ),
        (
            "09:20",
            "+91 98111 40022",
            "gyaan",
            "*Forwarded* GCC Pulse newsletter: 38 new GCCs set up in India, Coimbatore and "
            "Kochi rising, employer branding budgets up 20%",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].reply_to_index is None
    assert _listed(lines) == [0]


def test_keeping_someone_in_mind_and_thanking_with_news_answer_nothing() -> None:
    lines = (
        (
            "09:00",
            "Hemanta K",
            "ask",
            "Posting for a friend – Pranjal, lab quality manager (NABL), 11 yrs in diagnostics in "
            "Guwahati. Any lead for a lab operations role?",
        ),
        ("10:00", "Arindam B", "-", "Hemanta, will keep him in mind, nothing open in our chain now"),
        (
            "10:30",
            "Shabna M",
            "ask",
            "Anyone has the contact of the TPO at the catering college in Kovalam? Need interns",
        ),
        (
            "11:00",
            "+91 94470 25811",
            "-",
            "Shabna madam, Abhijith got selected as F&B associate, joining on 1 Dec 🙏 Thank you "
            "very much",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not facts[1].substantive and not facts[3].substantive
    assert facts[0].answered is False and facts[2].answered is False


def test_saying_yes_to_a_mentoring_ask_answers_it_though_it_asks_a_time() -> None:
    lines = (
        (
            "10:45",
            "Priyanka A",
            "ask",
            "Moved from IT to hospital HR 6 weeks back. Would any senior here be open to "
            "mentoring me for a few months? One call a month 🙏",
        ),
        (
            "11:20",
            "Dr. Sudipta M",
            "-",
            "Priyanka, happy to. First call next Saturday 10 am? Meanwhile do one full night "
            "shift on the floor with the nursing supervisor.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0 and facts[0].answered


def test_reminding_the_group_that_an_asker_is_still_looking_answers_nothing() -> None:
    lines = (
        (
            "09:00",
            "Arjun K",
            "ask",
            "Friends – a quiet note. My VP Talent role was made redundant last month. 22 yrs. "
            "Open to CPO / VP Talent roles in Bengaluru; leads welcome.",
        ),
        ("d5 10:00", "Kabir M", "-", "Good morning all"),
        (
            "d6 10:30",
            "Vikram S",
            "-",
            "Senior members – a gentle reminder that Arjun is exploring CPO / VP Talent roles. If "
            "any new GCC set-up you're advising needs a talent leader, he is a phone call away.",
        ),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert not facts[2].substantive and facts[0].answered is False
