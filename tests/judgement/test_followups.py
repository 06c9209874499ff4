"""Specifications of follow-ups: what folds into a request, what answers it late, what reveals it."""

from __future__ import annotations

from bot.domain import Kind
from bot.judgement.answers import infer_answers
from bot.judgement.conversation import analyze_conversation
from tests.judgement.chats import TableClassifier, chat, listed


def test_a_waiting_askers_nudge_with_a_detail_folds_into_the_request() -> None:
    lines = (
        (
            "09:20",
            "Ritika Sen",
            "ask",
            "Final year MBA HR here. Looking for a TA internship in Bangalore from January. "
            "Any leads would help!",
        ),
        ("18:30", "Ritika Sen", "ask", "Any leads pls? 🙏 Even unpaid internships are fine"),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].refers_to_index == 0
    assert listed(lines) == [0]


def test_a_new_ask_that_shares_the_askers_context_is_a_new_request() -> None:
    lines = (
        (
            "12:40",
            "Kritika Jain",
            "ask",
            "HR manager at a hospital in Gurgaon. What night shift allowance are hospitals "
            "paying nurses in Haryana?",
        ),
        ("13:10", "Rajesh Khanna", "-", "Kritika ji, ₹150-250 per night in private hospitals"),
        (
            "d1 17:30",
            "Kritika Jain",
            "ask",
            "Our hospital makes nurses sign a 2 year service bond with ₹50,000 recovery. "
            "Is that legally valid? One nurse sent a legal notice",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[2].refers_to_index is None
    assert listed(lines) == [2]


def test_a_short_new_question_after_answers_is_a_new_request_in_hinglish_too() -> None:
    lines = (
        (
            "10:00",
            "Pinky Sharma",
            "ask",
            "Gratuity ke 5 saal mein notice period count hota hai kya? Ek employee ne 4 saal "
            "11 mahine pe resign kiya",
        ),
        (
            "12:30",
            "Rakesh Tyagi",
            "-",
            "Pinky ji, haan – notice period bhi service mein count hota",
        ),
        (
            "d3 13:30",
            "Pinky Sharma",
            "ask",
            "PF ka interest rate iss saal kya hai? Employees pooch rahe",
        ),
    )
    assert listed(lines) == [2]


def test_reposting_an_answered_request_folds_into_it() -> None:
    lines = (
        (
            "11:30",
            "Kavya Reddy",
            "ask",
            "Looking for a sales training vendor for pharma MRs in UP/Bihar, Hindi delivery",
        ),
        (
            "13:30",
            "Rahul Kapoor",
            "-",
            "Kavya, we have trained MR teams in Lucknow in Hindi. DM me",
        ),
        (
            "d6 15:30",
            "Kavya Reddy",
            "ask",
            "Reposting – any other sales training vendors for MRs in UP/Bihar? Comparing a few",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[2].refers_to_index == 0
    assert listed(lines) == []


def test_someone_vouching_for_a_named_asker_folds_into_the_askers_request() -> None:
    lines = (
        (
            "11:10",
            "Harsh Vardhan",
            "ask",
            "Fresher, MBA HR 2024. Looking for People Ops roles at startups, Bangalore or remote",
        ),
        (
            "11:45",
            "Ishita Chawla",
            "ask",
            "Anyone hiring freshers? Harsh is sharp, he interned with us",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].refers_to_index == 0
    assert listed(lines) == [0]


def test_the_askers_thanks_credit_a_share_that_read_like_gyaan_as_the_answer() -> None:
    turns, kinds = chat(
        ("16:10", "Rohit Bhat", "ask", "Can someone share a good JD for a Plant HR Executive?"),
        (
            "16:40",
            "Lavanya K",
            "gyaan",
            "Sharing one we used last year, edit as needed: https://docs.example.com/jd",
        ),
        ("16:52", "Rohit Bhat", "-", "Perfect, thanks Lavanya 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0
    assert (facts[0].answered, facts[0].first_answer_index) == (True, 1)


def test_thanks_to_a_member_for_a_tag_credit_nothing_else_they_wrote() -> None:
    turns, kinds = chat(
        ("10:00", "Sameer Khan", "ask", "Laid off last week, 2.5 yrs IT recruiter. Any leads?"),
        ("10:30", "Ayesha S", "-", "Tagging @Shruti Menon – any leads for Sameer?"),
        ("d2 11:45", "Ayesha S", "-", "Going to the TA summit! See you there Divya"),
        ("d2 12:00", "Sameer Khan", "-", "Thank you Ayesha for the tag 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index is None
    assert facts[0].answered is False


def test_a_fixed_amount_is_not_the_asker_closing_their_request() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Deepa Menon",
            "ask",
            "Is a night shift permission still needed for women in TN?",
        ),
        (
            "d3 13:25",
            "Meera Pillai",
            "ask",
            "How are plants structuring shift allowance these days?",
        ),
        (
            "d3 15:40",
            "Deepa Menon",
            "-",
            "Meera, in our plants it's fixed per night shift, ₹75–₹120",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[0].resolved is False
    assert facts[2].reply_to_index == 1


def test_an_introduction_offering_help_is_not_an_unanswered_request() -> None:
    lines = (
        (
            "11:20",
            "Sunita Rao",
            "ask",
            "Hi all, Payroll Manager here – handling a 3,500 people payroll out of Hyderabad. "
            "Happy to help with payroll queries.",
        ),
    )
    assert listed(lines) == []


def test_an_introduction_that_asks_for_nothing_is_not_a_request() -> None:
    lines = (
        (
            "09:05",
            "Farah Qureshi",
            "ask",
            "Hello all! Farah this side, recruiter at a logistics firm in Nagpur, 2 yrs in bulk "
            "hiring for warehouses. Added by Rohit yesterday 🙂",
        ),
    )
    assert listed(lines) == []


def test_an_introduction_that_asks_stays_a_request() -> None:
    lines = (
        (
            "09:05",
            "Farah Qureshi",
            "ask",
            "Hello all! Farah this side, recruiter at a logistics firm in Nagpur, 2 yrs in bulk "
            "hiring. Our unit is closing in March, so I am exploring TA roles in Nagpur or Pune.",
        ),
    )
    assert listed(lines) == [0]


def test_an_askers_nudge_reveals_a_request_the_words_hid() -> None:
    lines = (
        (
            "11:30",
            "Kritika Jain",
            "gyaan",
            "Hospital ke liye HRMS suggest karein – shift rostering strong hona chahiye, 350 staff",
        ),
        ("d1 14:30", "Kritika Jain", "ask", "Koi bhi suggestion? 🙏 HRMS for hospital"),
    )
    assert listed(lines) == [0]


def test_vouching_for_a_member_reveals_their_ask_judged_a_job_post() -> None:
    lines = (
        (
            "11:40",
            "Sameer Khan",
            "job",
            "Part of the layoffs last week. 2.5 yrs as IT recruiter, looking for recruiter roles "
            "in Bangalore. Immediate joiner",
        ),
        (
            "12:30",
            "Ayesha S",
            "ask",
            "Tagging a few seniors – any leads for Sameer? @Shruti Menon @Gaurav Singh",
        ),
    )
    assert listed(lines) == [0]


def test_a_question_to_the_writer_of_a_share_reveals_no_request() -> None:
    lines = (
        (
            "09:10",
            "Anjali Menon",
            "gyaan",
            "Stat from our exit data: people whose manager changed twice in a year left 2x as "
            "often. Stability of managers matters more than pay bands.",
        ),
        ("09:40", "Rohit Sen", "-", "Very interesting Anjali. Was that across all levels?"),
    )
    assert listed(lines) == []


def test_a_short_question_straight_under_a_job_post_is_about_the_post() -> None:
    post = (
        "10:00",
        "Sana Q",
        "job",
        "We're hiring! Customer Support Associate, 0-2 yrs, Andheri E, rotational shifts. "
        "CVs to careers@example.in",
    )
    lines = (post, ("10:20", "Thomas V", "ask", "Is accommodation provided for outstation candidates?"))
    assert listed(lines) == []
    later = (post, ("10:05", "Mira D", "-", "Good morning all"), lines[1])
    assert listed(later) == [2]  # not straight under it, and nothing points at the post
    own_ask = (post, ("10:20", "Thomas V", "ask", "Anyone know a good BGV vendor in Pune?"))
    assert listed(own_ask) == [1]


def test_whatever_its_kind_a_short_question_under_a_job_post_asks_its_poster() -> None:
    post = (
        "10:00",
        "Sana Q",
        "job",
        "We're hiring! Customer Support Associate, 0-2 yrs, Andheri E, rotational shifts. "
        "CVs to careers@example.in",
    )
    question = ("10:20", "Thomas V", "-", "Is accommodation provided for outstation candidates?")
    answer = ("10:45", "Sana Q", "-", "15 days company stay on joining, after that own arrangement")
    turns, kinds = chat(post, question, answer)
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0 and facts[2].reply_to_index == 1
    # A question to the whole group is not about the post, however close it follows.
    group = ("10:20", "Thomas V", "-", "Anyone attending the ISTD conference in Delhi next month?")
    turns, kinds = chat(post, group, answer)
    assert infer_answers(turns, kinds)[1].reply_to_index is None


def test_an_asker_who_asks_again_weeks_later_repeats_their_request() -> None:
    ask = (
        "Under the new wage definition, is leave encashment on separation part of wages for "
        "gratuity and PF? Our auditors and payroll vendor disagree."
    )
    lines = (
        ("09:00", "Gopal K", "ask", ask),
        ("d3 10:00", "Meera S", "-", "Good morning all ☀️"),
        (
            "d18 09:30",
            "Gopal K",
            "ask",
            "Still curious about leave encashment under the wage definition – if anyone has a "
            "legal opinion, I'd be grateful.",
        ),
    )
    assert listed(lines) == [0]


def test_an_asker_taking_in_an_answer_carries_on_their_thread() -> None:
    ask = (
        "Founder here, 35 people, just raised. Everyone says make the first HR hire. "
        "Recruiter or HR generalist first? We plan 40 hires in 12 months"
    )
    answer = "Kunal, 40 hires in 12 months = recruiter first. Outsource payroll and compliance."
    lines = (
        ("10:00", "Kunal B", "ask", ask),
        ("10:20", "Dev A", "-", answer),
        ("10:30", "Kunal B", "ask", "Makes sense. What level should the recruiter be – 3 yrs or 6+?"),
        ("d3 10:00", "Kunal B", "ask", "Update for those who helped – recruiter joined today 🙏"),
        ("d3 11:00", "Kunal B", "ask", "Update: offer letters done. Any tips for a first-week plan?"),
    )
    assert listed(lines) == [4]  # a new question after news is a new request


def test_an_askers_last_try_repeats_their_request() -> None:
    ask = "Anyone here run a 4-day work week pilot? Founders want to try it for 3 months"
    lines = (
        ("10:00", "Karan M", "ask", ask),
        ("d9 10:00", "Karan M", "ask", "ok last try 😅 4-day week pilot stories anyone?"),
    )
    assert listed(lines) == [0]


def test_an_askers_thanks_for_something_else_credits_nothing_unrelated() -> None:
    ask = (
        "Asking for advice from anyone in 24x7 hospitals: our resident doctors on night "
        "rotation are burning out. Has anyone run a peer-support programme that worked?"
    )
    lines = (
        ("09:00", "Gauri P", "ask", ask),
        ("d1 18:00", "Shalini M", "-", "Registration desk is at the ballroom foyer, see you soon 🙂"),
        ("d1 18:05", "Vikram M", "-", "Thank you all for coming tonight. 140 people, 3 great panels!"),
        ("d1 18:10", "Harish V", "-", "Great evening. Anjali's panel was the highlight for me."),
        ("d1 18:20", "Gauri P", "-", "Thank you Vikram sir and Shalini, beautifully organised 🙏"),
    )
    assert listed(lines) == [0]


def test_an_update_on_ones_own_thread_answers_nobody_it_thanks() -> None:
    lines = (
        (
            "09:00",
            "Vikas C",
            "ask",
            "IR trainee here. Union says 2 dismissed workers must be taken back or tool-down. "
            "What should we do?",
        ),
        ("09:30", "Sanjay K", "-", "Vikas, go to the conciliation officer first, document everything"),
        (
            "d1 10:00",
            "Sanjay K",
            "ask",
            "Need a good draft of standing orders under the IR Code model for a 300-worker plant.",
        ),
        (
            "d1 11:00",
            "Vikas C",
            "-",
            "Update sir – conciliation officer called both sides for Monday. Thank you Sanjay sir 🙏",
        ),
    )
    assert listed(lines) == [2]


def test_thanks_for_a_welcome_credit_no_answer() -> None:
    lines = (
        (
            "09:00",
            "Kavitha S",
            "ask",
            "Has anyone started putting pay ranges in job ads for EU roles while keeping India "
            "ranges confidential?",
        ),
        (
            "09:10",
            "Venkatesh I",
            "-",
            "Friends, welcome to Kavitha who joined as co-admin – she heads C&B, 15 years in "
            "rewards and pay ranges.",
        ),
        ("09:20", "Kavitha S", "-", "Thank you Venkatesh 🙏 Happy to help"),
    )
    assert listed(lines) == [0]


def test_calling_several_members_in_answers_none_of_them() -> None:
    lines = (
        (
            "09:00",
            "Farhan A",
            "ask",
            "Opening a US entity, hiring 8 people there. EOR vs own payroll – any EOR you'd "
            "recommend for US + EU with an India HQ?",
        ),
        ("09:30", "Aditi R", "-", "@Farhan A what's your timeline?"),
        ("09:40", "Farhan A", "-", "Q3"),
        (
            "11:00",
            "Aditi R",
            "-",
            "tagging @Karan Mehta @Farhan A @Ananya Ghosh – anyone hiring a People Partner? "
            "5 yrs, edtech, solid on perf cycles 🙏",
        ),
    )
    assert listed(lines) == [0]


def test_a_chit_chat_question_to_everyone_is_never_an_unanswered_request() -> None:
    lines = (
        ("09:20", "Deepak C", "ask", "Kal Holi hai 🎨 sabka office band hai kya? Humara half day"),
        (
            "11:30",
            "Tanvi Bose",
            "ask",
            "Anyone else's office doing a Friday fun activity today? 😄",
        ),
        (
            "12:00",
            "Tanvi Bose",
            "ask",
            "Anyone else using Keka for payroll? Support is slow for us",
        ),
    )
    assert listed(lines) == [2]


def test_an_unsolicited_pitch_with_a_rhetorical_question_is_not_a_request() -> None:
    lines = (
        (
            "17:45",
            "Ketan Shah",
            "ask",
            "Is your attrition dashboard telling you WHY people leave? Our predictive model flags "
            "flight risk 90 days early. Founder here – free pilot for 3 companies. DM me.",
        ),
        (
            "18:00",
            "Prachi Joshi",
            "ask",
            "Our HR team needs an attrition dashboard tool, any suggestions? DM me pls",
        ),
    )
    assert listed(lines) == [1]


def test_a_new_request_that_mentions_what_worked_for_others_is_not_a_closing() -> None:
    lines = (
        ("10:30", "Prachi Joshi", "ask", "Engagement survey for 1,800 people – which tool?"),
        ("12:40", "Nandini Rao", "-", "Prachi, buy a tool – keep it under 30 questions"),
        (
            "d6 15:30",
            "Prachi Joshi",
            "ask",
            "Has anyone done stay interviews at scale? Looking for a question list that worked "
            "for you.",
        ),
    )
    assert listed(lines) == [2]


def test_asking_others_to_guide_the_asker_folds_into_the_request() -> None:
    lines = (
        ("11:10", "Imran Shaikh", "ask", "My friend is an HR trainee in Nashik, any openings?"),
        ("11:40", "Mitali Sen", "ask", "Can someone guide him? 🙏"),
    )
    assert listed(lines) == [0]


def test_a_job_post_the_seeker_thanks_and_applies_to_does_not_answer_their_ask() -> None:
    lines = (
        (
            "10:10",
            "Anita Desai",
            "ask",
            "Friends, my CHRO role was made redundant last month. 22 yrs in HR. Any leads for "
            "CHRO / VP HR roles in Mumbai or Pune would mean a lot.",
        ),
        (
            "12:00",
            "Karan Malhotra",
            "job",
            "Forwarded from my network:\nChief People Officer – listed NBFC, Mumbai\n20+ yrs\n"
            "Apply: cpo.search@example.com",
        ),
        ("12:06", "Anita Desai", "-", "Thanks Karan, applied"),
    )
    assert listed(lines) == [0]


def test_a_share_the_asker_thanks_answers_their_ask() -> None:
    lines = (
        ("10:10", "Anita Desai", "ask", "Can someone share an exit interview template?"),
        ("10:40", "Karan Malhotra", "gyaan", "Sharing the one we used last year: docs.example.com/exit"),
        ("10:45", "Anita Desai", "-", "Perfect, thanks Karan 🙏"),
    )
    assert listed(lines) == []


def test_a_question_put_to_a_named_member_carries_on_their_thread() -> None:
    lines = (
        (
            "10:00",
            "Farida Poonawala",
            "job",
            "Hiring: HRBP for a chemicals plant in Dahej, 6-9 yrs, plant HR must. CV to "
            "farida@example.com",
        ),
        (
            "10:40",
            "Rohan Mehta",
            "ask",
            "Farida, for the HRBP role is chemicals background a must? I have a strong person "
            "from pharma who wants to move.",
        ),
    )
    assert listed(lines) == []


def test_a_vendors_offer_in_reply_is_not_a_request() -> None:
    lines = (
        ("10:00", "Anil Shah", "ask", "Any payroll tool that handles PT and LWF across 6 states?"),
        (
            "10:20",
            "+91 98330 52741",
            "ask",
            "Sir PayNest handles all of this, 6 states no issue. Can I call you for a demo?",
        ),
    )
    assert listed(lines) == []  # the offer answers Anil and asks nothing itself
    greeted = (
        lines[0],
        (
            "10:25",
            "+91 90040 66128",
            "ask",
            "Hello sir, we are a payroll outsourcing firm in Pune (40 clients, all states). "
            "Per employee pricing. Can share references, shall I DM?",
        ),
    )
    assert listed(greeted) == []


def test_an_asker_who_says_they_ask_again_repeats_their_request() -> None:
    lines = (
        (
            "d0 13:40",
            "Aditi Sharma",
            "ask",
            "I'm a placement coordinator at a B-school in Indore. I want to move to a corporate "
            "UR role in 2 years – could a UR leader guide me on the skills to build?",
        ),
        (
            "d2 17:10",
            "Aditi Sharma",
            "ask",
            "Sorry for the repeat 🙈 if any UR leader has 20 mins for a call, would be grateful",
        ),
    )
    assert listed(lines) == [0]


def test_a_reply_naming_an_asker_answers_their_open_request_on_its_topic() -> None:
    turns, kinds = chat(
        (
            "09:40",
            "Megha R",
            "ask",
            "First appraisal cycle for 80 people. Can someone share a simple appraisal template? "
            "Self review, manager review, calibration – 5-point or 3-point ratings?",
        ),
        (
            "d1 10:00",
            "Megha R",
            "ask",
            "Also need a cheap HRMS for attendance, leave and payroll, budget ₹100 per employee",
        ),
        ("d1 10:20", "Neelam J", "-", "Megha, appraisal: keep it to 3 points in year one."),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 0
    assert facts[0].answered and not facts[1].answered


def test_a_long_reply_naming_an_asker_answers_the_request_it_shares_most_with() -> None:
    # Both requests share enough words with the reply to reach the words' cap; the older one
    # shares far more, and that outweighs the newer one being fresh.
    turns, kinds = chat(
        (
            "09:40",
            "Megha R",
            "ask",
            "First appraisal cycle for 80 people. Can someone share a simple appraisal template? "
            "Self review, manager review, calibration – 5-point or 3-point ratings?",
        ),
        (
            "d2 10:00",
            "Megha R",
            "ask",
            "Also need a cheap HRMS for attendance and leave, all on Excel and Google Forms now",
        ),
        (
            "d2 10:40",
            "Neelam J",
            "-",
            "Megha, on appraisal: 3-point ratings in year one, 5-point makes everyone cluster. "
            "Self review with 3 questions, manager review the same plus a rating, one calibration "
            "hour with the founders. Google Forms is fine, sending my template.",
        ),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 0
    assert facts[0].answered and not facts[1].answered


def test_a_closing_that_shares_one_word_with_an_older_ask_closes_the_latest() -> None:
    lines = (
        (
            "09:00",
            "Meera P",
            "ask",
            "Which department gets the annual POSH report file – district officer or labour?",
        ),
        (
            "d3 11:45",
            "Meera P",
            "ask",
            "Need a sample show-cause notice for habitual absenteeism (plant workers). Format pls 🙏",
        ),
        ("d3 15:20", "Meera P", "-", "Found one in our old IR files, sorted 👍 thanks anyway"),
    )
    assert listed(lines) == [0]


def test_advice_read_as_a_share_straight_after_a_request_answers_it() -> None:
    lines = (
        (
            "10:00",
            "+91 70135 22908",
            "ask",
            "How to identify fake experience certificates? Candidate has a 2 yr letter from a "
            "company whose website is not opening 🤔",
        ),
        (
            "10:30",
            "Mahesh G",
            "gyaan",
            "Check his UAN service history – the EPFO passbook shows if that company paid PF. "
            "No PF for 2 yrs = red flag. Also call the company's landline for the certificate.",
        ),
    )
    assert listed(lines) == []


def test_an_asker_taking_up_an_answer_answers_nothing() -> None:
    turns, kinds = chat(
        ("09:00", "Kunal A", "ask", "What referral bonus are you paying for sales roles?"),
        (
            "10:00",
            "Deepika R",
            "ask",
            "Need an online assessment platform for 3,000 campus candidates, with offline mode "
            "for tier-3 towns",
        ),
        (
            "10:40",
            "Kunal A",
            "-",
            "Deepika ma'am we used an Indian platform for 2,200 candidates last year – offline "
            "mode worked in tier-3 towns, proctoring decent",
        ),
        ("11:00", "Deepika R", "-", "Offline mode is exactly what we need. Thanks Kunal 🙏"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 1
    assert facts[3].reply_to_index is None  # Kunal, an asker himself, was not answered


def test_a_posters_short_answer_to_a_question_on_their_post_answers_it() -> None:
    turns, kinds = chat(
        (
            "10:00",
            "Farah K",
            "job",
            "Hiring Payroll Executive | 1-3 yrs | Chennai (Guindy) | IT services | 4-5.5 LPA. "
            "CVs to farah@example.in",
        ),
        ("10:20", "Priya N", "-", "Can MBA freshers apply for this one?"),
        ("10:30", "Farah K", "-", "Yes, if you have done an HR internship. Pls mail your CV"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[1].reply_to_index == 0
    assert facts[2].reply_to_index == 1


def test_a_question_on_terms_straight_under_a_job_post_asks_about_it() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Gaurav S",
            "ask",
            "How do you decide PPOs for interns from tier-2 B-schools? Budget for only 6 of 14",
        ),
        (
            "09:30",
            "Varun M",
            "job",
            "Campus hiring 📢 Relationship Manager – Trainee | MBA/PGDM 2026 batch | 8.5-10 LPA | "
            "PAN India. Colleges pls write to campus@example.in",
        ),
        ("09:40", "Aditi S", "-", "Sir, is this open for tier-2 B-schools also? Our batch is 180"),
    )
    facts = infer_answers(turns, kinds)
    assert facts[2].reply_to_index == 1


def test_a_question_about_everyday_life_is_never_an_unanswered_request() -> None:
    lines = (
        ("08:50", "Faiz A", "ask", "Anyone knows if the Hosur road flyover work is done? 1.5 hrs today 😤"),
        ("09:10", "Aman K", "ask", "Koi bata sake ORR pe aaj kitna traffic hai? Kal 3 ghante laga"),
        (
            "09:30",
            "Tara S",
            "ask",
            "Metro strike tomorrow – how are you managing attendance for plant staff?",
        ),
        ("10:00", "Ritu D", "ask", "Kal Guru Nanak Jayanti ki chhutti hai kya kisi ki? 🤔"),
        ("10:20", "Manoj T", "ask", "NH48 pe 2 ghante ka jam 😩 Gurgaon ke liye koi shortcut route?"),
    )
    assert listed(lines) == [2]


def test_asking_only_whether_others_share_an_experience_is_never_an_unanswered_request() -> None:
    lines = (
        ("10:05", "Asha R", "ask", "Anyone else's bank rejected the salary file today? NEFT bounced 😩"),
        (
            "11:20",
            "Dev P",
            "ask",
            "Campus season has started 😅 anyone else already getting calls from placement cells?",
        ),
        (
            "12:40",
            "Kiran M",
            "ask",
            "Anyone else facing ECR upload errors on the EPFO portal? How are you filing this month?",
        ),
    )
    assert listed(lines) == [2]


def test_a_notice_about_the_group_is_never_an_unanswered_request() -> None:
    lines = (
        (
            "08:00",
            "Lakshmi N",
            "ask",
            "Welcome to Coastal Hotel HR Network 🙏 Ground rules pls: 1. HR posts only "
            "2. Jobs with location + CTC 3. Vendors introduce once. Let us help each other.",
        ),
        ("08:20", "Omar F", "ask", "New here? Quick intro pls – name, role, city. Omar, HRBP, Kochi"),
        ("09:00", "Rekha P", "ask", "Can someone share a housekeeping staff roster template? 🙏"),
        (
            "09:30",
            "Venkat R",
            "ask",
            "Quick recap of rules for the 40 new folks:\n1) Only HR topics\n2) Vendors post once "
            "a month\n3) Got an answer? Close the loop pls. Any doubts, ask me",
        ),
        (
            "10:00",
            "Alok Singh",
            "ask",
            "HR conclave at our Bokaro unit on Friday 🎤 sabhi members aamantrit hain, lunch "
            "bhi hai. Bataiye kaun aa raha hai?",
        ),
    )
    assert listed(lines) == [2]


def test_a_poll_that_only_surveys_the_group_is_never_an_unanswered_request() -> None:
    lines = (
        (
            "15:30",
            "Karan M",
            "ask",
            "POLL:\nWhich HRMS are you on right now?\nOPTION: Keka (14 votes)\n"
            "OPTION: Darwinbox (6 votes)\nOPTION: Spreadsheets + prayers (9 votes)",
        ),
        (
            "16:10",
            "Divya K",
            "ask",
            "POLL:\nHelp me choose – HRMS for our 800 employees, payroll in-house?\n"
            "OPTION: Global suite (2 votes)\nOPTION: Indian HRMS (9 votes)",
        ),
        ("17:00", "Aman K", "ask", "Good morning founders ☕ quick rules again: JD with CTC range pls"),
        ("17:30", "Nikita J", "ask", 'meme: a candidate at 6pm Friday – "can we reschedule to Monday?" 🙃'),
        (
            "18:00",
            "Vikram S",
            "ask",
            "POLL:\nPreferred format for our next in-person meetup?\nOPTION: Breakfast (21 votes)",
        ),
    )
    assert listed(lines) == [1]


def test_advice_spoken_to_one_person_by_title_answers_their_request() -> None:
    # The asker is known only by a number, so the answer says "Sir", not a name; read alone the
    # advice looks like a share.
    lines = (
        (
            "10:50",
            "+91 98450 11223",
            "ask",
            "Respected HR sir/madam, I am TPO of a government polytechnic in Satara. Our diploma "
            "students need apprenticeships. Please guide where to approach 🙏",
        ),
        ("11:40", "Ritu S", "job", "Hiring: HR executive, 1-3 yrs, Pune. CV to ritu@example.com"),
        ("d1 09:00", "Arun K", "gyaan", "Monday motivation: small steps every day 💪"),
        (
            "d1 12:15",
            "Aditi S",
            "gyaan",
            "Sir maybe try the NAPS portal and the local MIDC units directly, many big companies "
            "don't take diploma apprentices through campus drives.",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[3].reply_to_index == 0
    assert listed(lines) == []


def test_a_post_greeting_sir_or_madam_greets_everyone() -> None:
    lines = (
        (
            "10:50",
            "Meera P",
            "ask",
            "Any leads for a payroll vendor in Indore? 200 employees, PF and ESIC filings.",
        ),
        (
            "11:30",
            "Rohit B",
            "job",
            "Sir/Madam, we are hiring a payroll executive in Indore, 2-4 yrs. CV to rb@example.com",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].reply_to_index is None
    assert listed(lines) == [0]


def test_words_like_nobody_tie_no_thanked_message_to_a_request() -> None:
    lines = (
        (
            "09:30",
            "Gauri P",
            "ask",
            "Has anyone run a peer-support programme for resident doctors on night rotation? "
            "Most vendors pitch an EAP helpline nobody calls.",
        ),
        ("11:00", "Sunil K", "gyaan", "Thought for the week: policies written for the 2% hurt 98%."),
        (
            "d1 21:30",
            "Vikram M",
            "-",
            "Thank you for coming to the summit tonight. 140 people, 3 panels, and nobody "
            "quoted Drucker – a first 😄",
        ),
        ("d1 21:50", "Harish V", "-", "Great evening, the last panel was the highlight."),
        ("d1 22:10", "Gauri P", "-", "Thank you Vikram sir, beautifully organised 🙏"),
    )
    assert listed(lines) == [0]


def test_an_unanswered_ask_put_again_two_weeks_on_in_its_own_words_folds_into_it() -> None:
    lines = (
        (
            "14:10",
            "+91 97318 40962",
            "ask",
            "Need a BGV partner who can do US-client mandated checks for India hires – 7-year "
            "employment, sanctions, drug test in 4 cities. Anyone using a provider for this?",
        ),
        ("15:00", "Kabir M", "gyaan", "Thought for the week: hire for the problems of year two."),
        (
            "d15 11:15",
            "+91 97318 40962",
            "ask",
            "Any suggestions for a US-mandated BGV + drug test partner? 🙏",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[2].refers_to_index == 0
    assert listed(lines) == [0]


def test_a_new_ask_two_weeks_after_an_answered_one_is_its_own_request() -> None:
    lines = (
        (
            "14:10",
            "Pooja A",
            "ask",
            "Need a BGV partner for India hires – employment and address checks, 4 cities. "
            "Anyone using a provider for this?",
        ),
        ("15:00", "Kabir M", "-", "Pooja, we use SecureCheck, 5 day TAT, good with addresses."),
        ("d15 11:15", "Pooja A", "ask", "Any suggestions for a drug test partner in Pune? 🙏"),
    )
    assert listed(lines) == [2]


def test_a_welcome_that_goes_on_to_advise_answers_the_newcomers_request() -> None:
    lines = (
        (
            "14:10",
            "Rekha V",
            "ask",
            "Hi all, Rekha here – HR Manager at a new fashion brand opening 8 stores in TN. Should "
            "we outsource payroll and compliance for 120 staff or build in-house?",
        ),
        (
            "15:00",
            "Anand R",
            "-",
            "Welcome Rekha 🙏 For 120 staff outsourcing makes sense. We used a firm in Chennai "
            "for 4 years for TN stores, good on the compliance calendar. Will DM the name.",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[1].reply_to_index == 0
    assert listed(lines) == []


def test_an_asker_saying_they_ask_one_last_time_follows_up_their_old_request() -> None:
    turns, kinds = chat(
        (
            "10:50",
            "+91 98220 64531",
            "ask",
            "I am TPO of a government polytechnic in Satara. Our diploma students need "
            "apprenticeships – any company in Pune or Satara taking diploma apprentices?",
        ),
        ("d4 09:00", "Siddharth J", "-", "Reminder: drive calendars in the sheet by Friday 🙏"),
        (
            "d18 11:30",
            "+91 98220 64531",
            "-",
            "Sir/madam one last request for diploma students 🙏 even 5-10 apprentices will help",
        ),
    )
    assert infer_answers(turns, kinds)[2].refers_to_index == 0


def test_a_question_under_a_job_post_naming_someone_else_carries_on_their_thread() -> None:
    turns, kinds = chat(
        ("09:00", "Kavya R", "ask", "Our IC needs an external member for POSH. Who can it be?"),
        (
            "09:30",
            "Sneha P",
            "-",
            "Kavya, an NGO person or someone familiar with sexual harassment issues; many "
            "companies take a lawyer.",
        ),
        (
            "10:00",
            "Sana Q",
            "job",
            "Hiring: HR Executive, 1-3 yrs, Pune, payroll + onboarding. CVs to hr@example.in",
        ),
        ("10:05", "Pooja B", "-", "Sneha, does the external member have to be a lawyer?"),
    )
    assert infer_answers(turns, kinds)[3].reply_to_index != 2


def test_an_askers_gentle_bump_in_other_words_folds_into_their_request() -> None:
    lines = (
        (
            "14:30",
            "Rekha P",
            "ask",
            "Hi all, I'm looking for part-time or flexible HR roles only (max 5-6 hours a day), "
            "caring for my father. Kochi or remote. Any leads?",
        ),
        ("14:55", "Farah D", "-", "Sending strength Rekha 💜 caregiving is a full time job already"),
        (
            "d2 16:00",
            "Rekha P",
            "ask",
            "Gentle bump on part time roles 🙏 anyone know companies in Kerala who do this?",
        ),
    )
    turns, kinds = chat(*lines)
    assert infer_answers(turns, kinds)[2].refers_to_index == 0
    assert listed(lines) == [0]


def test_a_new_ask_opening_like_a_nudge_a_week_on_is_its_own_request() -> None:
    lines = (
        (
            "10:00",
            "Ravi K",
            "ask",
            "Has anyone rolled out a gratuity trust with LIC? How long did the paperwork take?",
        ),
        (
            "d7 10:00",
            "Ravi K",
            "ask",
            "Any suggestions for a payroll vendor in Pune that handles PF and ESIC for 200 people?",
        ),
    )
    assert listed(lines) == [0, 1]


def test_an_askers_detail_or_still_open_note_folds_into_their_request() -> None:
    lines = (
        (
            "10:00",
            "Ankit S",
            "ask",
            "Any benchmark for staffing vendor fees vs 90-day retention for warehouse pickers?",
        ),
        ("10:30", "Ravi K", "gyaan", "Monday motivation: small steps every day 💪"),
        (
            "13:00",
            "Ankit S",
            "ask",
            "Adding detail – we have 14 vendors, want vendor-wise 90-day retention vs fee. Anyone? 🙏",
        ),
        (
            "d2 11:00",
            "Ankit S",
            "ask",
            "CFO gave up waiting, we're going with 8.33% flat 😅 still if anyone has a vendor-wise "
            "sheet pls share",
        ),
    )
    assert listed(lines) == [0]


def test_a_double_question_mark_still_asks_only_whether_others_share_it() -> None:
    lines = (
        (
            "09:00",
            "Joseph T",
            "ask",
            "Anyone else's Diwali leave people still not back?? Half my kitchen is still in Odisha 😩",
        ),
    )
    assert listed(lines) == []


def test_an_askers_repeat_in_other_everyday_words_folds_into_their_request() -> None:
    lines = (
        (
            "10:00",
            "Megha R",
            "ask",
            "80 logon ke liye sasta HRMS chahiye (attendance, leave, payroll). Budget ₹100/employee",
        ),
        ("11:00", "Vikas Y", "-", "GM ☕"),
        ("d2 13:30", "Megha R", "ask", "HRMS pe koi recommend karega? 🙏 Nov se payroll isme chalana hai"),
    )
    assert listed(lines) == [0]


def test_an_askers_nudge_under_someone_elses_post_folds_into_their_own_request() -> None:
    lines = (
        (
            "10:00",
            "Kavya Iyer",
            "ask",
            "Need the NAPS apprenticeship contact for the Tamil Nadu regional office – our "
            "registration is stuck for 3 weeks 🙏",
        ),
        (
            "d5 11:00",
            "Sunil Yadav",
            "job",
            "Hiring: payroll executive, 1-2 yrs, contract labour payroll, Manesar. CV on DM",
        ),
        ("d5 11:40", "Kavya Iyer", "-", "Any contact for the TN apprenticeship office? 🙏 still stuck"),
        ("d7 10:00", "Kavya Iyer", "-", "Last time asking – NAPS TN office number anyone? 🙏"),
    )
    turns, kinds = chat(*lines)
    facts = infer_answers(turns, kinds)
    assert facts[2].refers_to_index == 0 and facts[2].reply_to_index is None
    assert facts[3].refers_to_index == 0
    assert listed(lines) == [0]


def test_a_question_taken_for_gyaan_that_the_group_answers_is_a_request() -> None:
    turns = chat(
        (
            "10:30",
            "Rohan D",
            "-",
            "Quick one: what are GCCs paying 2027 campus hires (CS, tier-1) this season? We're "
            "at 18 fixed, feels low",
        ),
        ("10:45", "Gaurav B", "-", "Rohan – 20-24 fixed in tier-1 CS for product GCCs, 16-18 services"),
        ("11:30", "Meera J", "-", "Why do we still call it 'campus hiring' when half of it is online? 🤔"),
    )[0]
    table = {
        turns[0].text: Kind.GYAAN,
        turns[1].text: Kind.OTHER,
        turns[2].text: Kind.GYAAN,
    }
    analysis = analyze_conversation(turns, classifier=TableClassifier(table), suggest=False)
    assert analysis[0].classification.kind == Kind.HELP_REQUEST
    assert analysis[0].facts.answered is True and analysis[1].facts.reply_to_index == 0
    assert analysis[2].classification.kind == Kind.GYAAN
