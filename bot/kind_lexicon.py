"""Phrase lexicon of message kinds: 1-3 word phrases with weights for (job, help, gyaan, other).

General words of the phenomenon (hiring, asking, sharing, chatting), in English and Hinglish;
the classifier adds structural cues (experience ranges, links, questions) in code.
"""

from __future__ import annotations

Weights = tuple[float, float, float, float]  # job_post, help_request, gyaan, other

_JOB_STRONG: Weights = (3.0, 0.0, 0.0, 0.0)
_JOB: Weights = (1.5, 0.0, 0.0, 0.0)
_JOB_WEAK: Weights = (0.7, 0.0, 0.0, 0.0)
_HELP_STRONG: Weights = (0.0, 3.0, 0.0, 0.0)
_HELP: Weights = (0.0, 1.5, 0.0, 0.0)
_HELP_WEAK: Weights = (0.0, 0.7, 0.0, 0.0)
_GYAAN_STRONG: Weights = (0.0, 0.0, 3.0, 0.0)
_GYAAN: Weights = (0.0, 0.0, 1.5, 0.0)
_GYAAN_WEAK: Weights = (0.0, 0.0, 0.7, 0.0)
_OTHER_STRONG: Weights = (0.0, 0.0, 0.0, 3.0)
_OTHER: Weights = (0.0, 0.0, 0.0, 1.5)
_OTHER_WEAK: Weights = (0.0, 0.0, 0.0, 0.7)

_GROUPS: tuple[tuple[Weights, str], ...] = (
    (
        _JOB_STRONG,
        "anyone interested|any one interested|interested folks|anybody interested|"
        "hiring|we are hiring|we're hiring|is hiring|are hiring|now hiring|urgent hiring|"
        "immediate hiring|opening|openings|job opening|vacancy|vacancies|urgent requirement|"
        "requirement for|requirement|job alert|opening alert|walk-in|walkin|walk in drive|"
        "open role|openrole|job description|share cv|send cv|dm cv|mail cv|whatsapp cv|cv to|"
        "share your cv|send your cv|share resume|send resume|interested candidates|"
        "immediate joiner|immediate joiners|immediate joining|position|ctc|lpa|"
        "looking to hire|we need a|we need an|need urgently|urgently need|apply|"
        "apply here|apply via|apply at|naukri|position|positions|#jobs|#hrjobs|job post|"
        "per closure payout|stipend|ppo|resume|share profiles|inbox me|reach out to|"
        "can apply|mail|jd in comments|ref bonus|referral bonus|pls refer|please refer|"
        "referrals welcome|refer good|carry updated resume|notice max|joiners",
    ),
    (
        _JOB,
        "location|loc|salary|exp|experience|notice|notice period|"
        "reporting to|reports to|candidate|candidates|profiles|cv|dm|freshers|graduates|"
        "our client|client|team is hiring|my team|join our|join us as|we have an|"
        "#hiring|re-sharing|still open|sharing as received|fwd|hybrid|remote|wfo|wfh|"
        "preferred|pref|must have|should have|mandatory|industry|sector|"
        "venue|anyone interested|interested folks|any one interested",
    ),
    (
        _HELP_STRONG,
        "any leads|any lead|leads pls|open to work|opentowork|looking for a job|job change|"
        "looking for a change|looking for opportunities|refer me|referral pls|pls refer me|"
        "can someone|can anyone|could someone|could anyone|can any1|can somebody|does anyone|"
        "anyone here|anybody|any one has|anyone has|anyone who|pls suggest|please suggest|"
        "kindly suggest|suggest a|recommend a|any recommendations|recommendations|recos|reco|"
        "pls guide|please guide|kindly guide|guide me|pls help|please help|need help|help me|"
        "need guidance|need advice|any advice|any suggestions|suggestions|any tips|koi tips|"
        "pls share|please share|kindly share|share a|share the format|share template|"
        "koi|kisi|batao|bata|bataye|bata sakta|bata sakte|sakta|sakte|hai kya|chahiye|"
        "madad|kaise|kya karein|keep me in mind|introduce me|connect me|intros|any openings|"
        "would love to hear|would love intros|what has worked|what's worked|what worked|"
        "how have others|how do others|has anyone|have you|genuinely asking|help!!|"
        "any experience|real experiences|experiences|looking for mentoring|mentor",
    ),
    (
        _HELP,
        "question|quick q|query|pls confirm|please confirm|kindly confirm|"
        "how do|how to|how can|how should|how are|what is|what's the|what are|which is|which one|"
        "is it|is there|does|do we|can we|should i|should we|are we|is pf|is esic|"
        "template|format|sample|checklist|policy|vendor|agency|trainer|lawyer|advocate|coach|"
        "consultant|broker|partner|tool|software|hrms|doubt|query|confused|struggling|"
        "urgent|urgnt|anyone|any one|someone|somebody|help|guide|advice|suggest|recommend|"
        "applicable|mandatory|liable|eligible|legally|rights|process|market practice|range|"
        "leads|referral|referrals|impacted|laid off|layoff|notice period|serving notice|"
        "relocating|need|needed|want|internship|we're a|our company|our org",
    ),
    (
        _GYAAN_STRONG,
        "thought of the day|thought for the day|quote of the day|suvichar|wisdom|"
        "monday motivation|mondaymotivation|motivation|food for thought|think about it|"
        "let that sink in|unpopular opinion|great read|must read|good read|worth reading|"
        "webinar|register|registration|masterclass|workshop|enrolments|enroll|enrol|"
        "early bird|brochure|certification|certificate in|summit|conclave|podcast|"
        "book recommendation|new blog|blog|article|key takeaways|takeaways|lessons|lesson|"
        "learnings|learnt|learned|golden rules|remember|daily reminder|gentle reminder|"
        "reminder|pro tip|quick tip|tip|trivia|did you know|fun fact|#leadership|"
        "#futureofwork|#hr|#humanity|#thoughtfortheday|truth|advice|aaj ka gyaan|gyaan|"
        "we provide|dm for a demo|free demo|book a demo|our platform|"
        "per closure fee|dm for terms|our services|we offer|"
        "i can close|forwarded as received|reality check|/rant",
    ),
    (
        _GYAAN,
        "read|report|survey says|study|research shows|free|course|sharing|one-pager|"
        "toolkit|notes|never|always|stop|don't|people leave|culture|trust|respect|kindness|"
        "leaders|leadership|managers|employees|great|good hr|a good|a great|hr ka|yaar|"
        "doston|yaad|#hiring|🤔|💯|hr folks|all hr|young hr|for all|startups|every|nothing|"
        "success|failure|attrition|isn't|not about|is not|mistakes|rule|rules|happiness",
    ),
    (
        _OTHER_STRONG,
        "good morning|gm|good night|good evening|good afternoon|gud mrng|shubh prabhat|"
        "happy|mubarak|diwali|holi|eid|congrats|congratulations|badhai|best wishes|"
        "all the best|thanks|thank you|thanku|thankyou|thx|thnx|ty|shukriya|dhanyawad|"
        "welcome|+1|following|following this|same question|share with me|me also|me too|"
        "same here|same issue|noted|"
        "media omitted|message was deleted|deleted this message|end-to-end encrypted|"
        "joined using|changed this group's|changed the group|left|removed|added|"
        "admin here|admin note|admin|group rules|wrong group|sorry|my pleasure|"
        "ha ha|haha|lol|so true|well said|agree|agreed|nice one|nice|tagging|"
        "dming|mailed|sent my cv|sent you|sent|done|interested|will check|"
        "in our experience|in my experience|we use|we used|what worked for us|for us|"
        "check this|try|you can|you should|you need|you'll|yes|no|haan|nahi|arre|"
        "correction|sorted|resolved|closing this|update on my|this is|still open|"
        "is this|is it remote|which location|what's the budget|can't open",
    ),
    (
        _OTHER,
        "hi|hello|hey|all|friends|team|sir|ma'am|maam|ji|bhai|dear|😊|🙏|👍|🎉|"
        "pls avoid|please avoid|will be removed|will be deleted|be removed|members|"
        "group|here|ping me|happy to|we have|we did|worked for us|it's|it is|under the|"
        "as per|depends|usually|typically|check with|confirm with|i'll|will connect|"
        "will share|will dm|dm me",
    ),
)


def build_lexicon() -> dict[str, Weights]:
    """The phrase -> weights table (phrases lower-case, 1-3 words; later groups add up)."""
    table: dict[str, Weights] = {}
    for weights, phrases in _GROUPS:
        for phrase in phrases.split("|"):
            old = table.get(phrase, (0.0, 0.0, 0.0, 0.0))
            table[phrase] = (
                old[0] + weights[0],
                old[1] + weights[1],
                old[2] + weights[2],
                old[3] + weights[3],
            )
    return table


# Words that fuzzy matching may correct typos towards ("opning", "vacency", "reffral").
FUZZY_TARGETS: tuple[str, ...] = (
    "hiring",
    "opening",
    "openings",
    "vacancy",
    "vacancies",
    "requirement",
    "referral",
    "referrals",
    "template",
    "urgent",
    "immediate",
    "experience",
    "candidates",
    "interested",
    "recommend",
    "recommendations",
    "suggest",
    "suggestions",
    "please",
    "appointment",
    "congratulations",
    "thanks",
    "webinar",
    "register",
    "masterclass",
    "position",
    "location",
    "salary",
    "internship",
    "mandatory",
    "applicable",
    "anyone",
    "someone",
    "policy",
    "format",
    "resume",
    "joiners",
    "morning",
    "motivation",
    "following",
)
