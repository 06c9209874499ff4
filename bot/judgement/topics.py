"""The HR topic a help request is about, from a keyword lexicon per topic."""

from __future__ import annotations

import re
from functools import lru_cache

# Each topic: (pattern, weight). Specific statutory terms weigh more than generic words.
_LEXICON: dict[str, list[tuple[str, float]]] = {
    "payroll_compliance": [
        (r"payroll|payslip|pay ?slip|salary processing|arrears|full (?:and|&) final|f&f", 2),
        (
            r"\b(?:e?pf|epfo|uan|esic?|esi|lwf|labour welfare fund|professional tax|pt slab|tds)\b",
            3,
        ),
        (r"form ?16|24q|statutory|challan|minimum wages?|bonus act|gratuity", 2),
    ],
    "labour_law": [
        (r"retrench|lay-?off|standing orders?|industrial disputes?|\bid act\b|labour court", 3),
        (r"contract (?:workers?|labou?r|staff)|principal employer|service bond|legal notice", 3),
        (r"freelancers?|retainers?|fixed-term|\bpip\b|show-?cause|misconduct|\bir\b", 2),
        (r"shops? (?:&|and) establishments?|factories act|contract labour|clra|overtime", 3),
        (r"labour laws?|labor laws?|workmen|union|termination|maternity benefit|legal notice", 2),
    ],
    "hr_policy": [
        (r"polic(?:y|ies)|handbook|code of conduct|\bsop\b|whistle-?blower", 2),
        (r"offer letter|appointment letter|template|format|questionnaire|checklist", 1.5),
        (r"leave (?:policy|rules)|wfh|work from home|4-day|four-day|hybrid policy|dress code", 2),
        (r"\bleaves?\b|career (?:ladder|framework|track)s?|job levels|levell?ing", 1.5),
    ],
    "vendor": [
        (r"vendors?|agenc(?:y|ies)|\bbgv\b|background (?:verification|check)|outsourc", 3),
        (r"service provider|\btat\b|empanel|rfp|quotation", 2),
        (r"search firm|executive search|facilitators?|lawyer|advocate|consultant for", 2),
    ],
    "job_search": [
        (r"open to work|job search|job leads?|any leads|any openings?|impacted|laid off|layoff", 3),
        (r"referrals?\b(?! bonus)|internship|exploring (?:\w+ )*roles", 3),
        (r"looking for (?:a |an )?(?:job|role|opportunit|opening)", 3),
        (r"\bcv\b|resume|job change|new role|opportunities", 1),
        (r"looking for a change|anyone hiring|is anyone hiring|contract ends|immediate joiner", 3),
    ],
    "compensation": [
        (r"salar(?:y|ies) bench|benchmark|\bctc\b|esops?|increment|hike|pay bands?", 3),
        (r"wage settlement", 3),
        (r"compensation|variable pay|bonus|\bltip?\b|pay parity|salary", 1.5),
        (r"allowances?|incentives?|vesting|appraisal|salary bands?", 2),
    ],
    "talent_acquisition": [
        (r"sourcing|boolean|recruiters?\b|job portals?|naukri|referral bonus|offer drop", 3),
        (r"hiring|candidates?|interview|notice period|buy-?out|joining|\bta\b|headhunt", 1.5),
        (r"\bjd\b|job description|counter.?offers?|ghost|no-?shows?|campus|resdex|temp staff", 2),
    ],
    "learning_development": [
        (r"training|l&d|learning|upskill|workshop|leadership (?:program|coach)|coach(?:ing)?\b", 2),
        (r"\blms\b|course|certification|curriculum|e-?learning", 1.5),
        (r"facilitat|instructional design|induction|icebreaker|\btni\b|training needs", 2),
        (r"simulation|skills? taxonomy|competenc|360|feedback form|books?\b", 1.5),
    ],
    "engagement_retention": [
        (r"attrition|retention|engagement|exit data|morale|recognition|rewards?|quiet quitting", 3),
        (r"well-?being|burnout|motivation|pulse surveys?|enps|offsite|team building", 2),
    ],
    "mentoring": [
        (r"mentor|guidance|career advice|career transition|outplacement|first (?:hr )?job", 3),
        (r"fresher|trainee|how (?:do|should) i (?:grow|start|learn)|seniors", 1.5),
        (r"\btips\b|interview prep|career (?:shift|switch|move|change)|moving (?:to|into)", 2),
    ],
    "hr_tech": [
        (
            r"\bhrms\b|\bhris\b|\bats\b|\blms\b|darwinbox|keka|successfactors|workday|zoho|greythr",
            3,
        ),
        (r"software|tool|platform|automation|chatbot|whatsapp bot|\bai\b", 1.5),
    ],
    "posh": [
        (r"\bposh\b|sexual harassment|internal committee|external member", 4),
        (r"\bicc?\b", 1.5),  # also "individual contributor"
    ],
    "networking": [
        (r"intro(?:duction)?s?\b|introduce|connect me|meetup|roundtable|network with|hr heads", 3),
        (r"community|chapter|events?\b|speakers?", 1),
    ],
    "hr_analytics": [
        (r"analytics|dashboard|metrics|power ?bi|tableau|people data|kpis?|\bexcel\b", 3),
        (r"reporting|headcount report|data", 1),
    ],
}

_COMPILED = {
    topic: [(re.compile(pattern, re.I), weight) for pattern, weight in rules]
    for topic, rules in _LEXICON.items()
}

TOPICS = tuple(_LEXICON)


def topic_scores(text: str) -> dict[str, float]:
    """Evidence for every topic the text touches."""
    return dict(_topic_scores(text))


@lru_cache(maxsize=16384)
def _topic_scores(text: str) -> tuple[tuple[str, float], ...]:
    # Cached: a message's topic and its writer's profile read the same evidence, and a request
    # is read again when it is routed.
    scores = []
    for topic, rules in _COMPILED.items():
        total = sum(weight * len(pattern.findall(text)) for pattern, weight in rules)
        if total:
            scores.append((topic, total))
    return tuple(scores)


@lru_cache(maxsize=16384)
def topic_of(text: str) -> str | None:
    """The best-supported topic of a text, or None when nothing points to one."""
    scores = topic_scores(text)
    if not scores:
        return None
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] >= 1.5 else None


# What a member's own role says they can help with ("Payroll manager here", "TA Lead", "CHRO").
_ROLE_TOPICS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(p, re.I), topics)
    for p, topics in (
        (r"payroll|statutory|compliance|hr ops|hr operations", ("payroll_compliance", "hr_tech")),
        (
            r"labou?r law|legal|industrial relations|\bir\b|employee relations|\ber\b|"
            r"\badv\b|advocate|lawyer",
            ("labour_law", "hr_policy", "posh"),
        ),
        (
            r"\bta\b|talent acquisition|recruit|hiring|staffing|rpo|headhunt",
            ("talent_acquisition", "job_search"),
        ),
        (
            r"l&d|learning|training|trainer|talent development|instructional design|\bclo\b",
            ("learning_development", "mentoring"),
        ),
        (r"c&b|comp(?:ensation)? (?:&|and) ben|total rewards|rewards", ("compensation",)),
        (r"hrbp|business partner|generalist", ("engagement_retention", "hr_policy")),
        (r"analytics|hris|hrms|people data", ("hr_analytics", "hr_tech")),
        (r"\bposh\b", ("posh",)),
        (
            r"chro|cpo|vp hr|head hr|hr head|chief people|hr director|head of (?:people|hr)",
            ("networking", "mentoring"),
        ),
        (r"coach|mentor", ("mentoring", "learning_development")),
    )
]
# The clause in which writers state their own role: "I'm a payroll manager", "TA lead here",
# "as CHRO of …", a signature line "– Farhan, TA Lead".
_NOT_A_ROLE = r"(?!per\b|well\b|a result\b|such\b|soon\b|far\b|usual\b|mentioned\b|discussed\b)"
_SELF_CLAUSES = (
    re.compile(
        r"\b(?:i'?m|i am|as|working as|currently)\s+" + _NOT_A_ROLE + r"(?:an?\s+|the\s+)?"
        r"([^.,;!?\n(–—]{3,60})",
        re.I,
    ),
    # "I'm Kavya, L&D manager at …", "Myself Rakesh – payroll executive", "Priya here – HRBP"
    re.compile(
        r"\b(?i:i'?m|i am|myself|this is)\s+[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+)?"
        r"(?:\s+from\s+[^,–—-]{2,30})?\s*[,–—-]\s*"
        r"(?:an?\s+|the\s+)?([^.,;!?\n(]{3,60})"
    ),
    re.compile(r"\b[A-Z][\w'’]+ here\s*[,–—:-]\s*(?:an?\s+|the\s+)?([^.,;!?\n(]{3,60})"),
    re.compile(
        r"\bi (?:handle|manage|head|lead|run|look after|work in|work on)\s+([^.,;!?\n(]{3,60})",
        re.I,
    ),
    re.compile(r"([^.,;!?\n]{3,40})\s+(?:here|hoon|hun)\b", re.I),  # "Payroll manager hoon"
    re.compile(r"^\W*[-–—]\s*\w+[,|]\s*([^\n]{2,40})$", re.M),
    re.compile(r"\b(?:years?|yrs?) (?:in|as|of)\s+([^.,;!?\n]{3,40})", re.I),
)
_GREETING = re.compile(
    r"^[\W\d_]*(?:(?:hi|hello|hey|namaste|dear|btw)\b(?:\s+(?:all|everyone|folks|friends|team))?)?"
    r"[\W\d_]*",
    re.I,
)


def role_topics(text: str) -> set[str]:
    """Topics a self-description or title points to ("Payroll manager" -> payroll_compliance)."""
    found: set[str] = set()
    for pattern, topics in _ROLE_TOPICS:
        if pattern.search(text):
            found.update(topics)
    return found


def self_described_topics(text: str) -> set[str]:
    """Topics of the writer's own role, read only from clauses where they describe themselves."""
    found: set[str] = set()
    for clause in _self_clauses(text):
        found |= role_topics(clause)
    return found


def _self_clauses(text: str) -> list[str]:
    """Clauses where the writer describes themselves; one that @mentions someone is about them."""
    return [c for p in _SELF_CLAUSES for c in p.findall(text) if "@" not in c]


_ROLE_NOUN = re.compile(
    r"\b(?:manager|consultant|lead|head|executive|recruiter|hrbp|chro|cpo|director|partner|"
    r"specialist|trainer|coach|mentor|officer|analyst|generalist|founder|vp|avp|gm|agm|"
    r"associate|coordinator|advisor|adviser|expert|lawyer|advocate|practitioner|clo)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"\s+(?:at|in|with|for|from|of|and|here|who|since|,)\b.*$", re.I)


def self_description(text: str) -> str | None:
    """The writer's own role as they state it ("labour law consultant"), when it names a field."""
    for clause in _self_clauses(text):
        if role_topics(clause):
            role = _CLAUSE_END.sub("", _GREETING.sub("", clause.strip())).strip(" -–—:|")
            role = re.sub(r"^(?:an?|the)\s+", "", role, flags=re.I)
            if 2 <= len(role) <= 40 and role_topics(role) and _ROLE_NOUN.search(role):
                return role
    return None


def topic_label(topic: str) -> str:
    """A topic as people say it: "payroll_compliance" -> "payroll and compliance"."""
    return _LABELS.get(topic, topic.replace("_", " "))


_LABELS = {
    "payroll_compliance": "payroll and compliance",
    "labour_law": "labour law",
    "hr_policy": "HR policy",
    "vendor": "vendor",
    "job_search": "job search",
    "compensation": "compensation",
    "talent_acquisition": "hiring",
    "learning_development": "L&D",
    "engagement_retention": "engagement and retention",
    "mentoring": "career guidance",
    "hr_tech": "HR tech",
    "posh": "POSH",
    "networking": "introductions",
    "hr_analytics": "HR analytics",
}


# A moderator introducing someone: "Harpreet is CPO at a fintech", "Vikram ji is VP HR at …".
_INTRODUCED = re.compile(
    r"\b([A-Z][\w'’]+)(?:\s+[A-Z][\w'’]+)?(?:\s+ji)?\s+is\s+(?:a|an|the|our)?\s*"
    r"([^.,;!?\n]{2,60})"
)


def introductions(text: str) -> list[tuple[str, str]]:
    """(first name, role) pairs for people the text introduces, when the role names a field."""
    found = []
    for first, clause in _INTRODUCED.findall(text):
        role = self_description(f"I'm {clause}")
        if role:
            found.append((first.lower(), role))
    return found
