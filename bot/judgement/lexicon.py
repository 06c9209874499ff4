"""Cue phrases for the kind classifier: what each phrase says about a message, and how strongly.

Phrases are lower-case token sequences of one to five words. They describe how people in professional
groups write job posts, help requests, unsolicited "gyaan" and everything else (greetings, thanks,
answers, admin notices), in Indian English and Hinglish. The learned kind model reads them as features
(bot/judgement/kind_features.py): each phrase family is one feature whose weight the model learns, and
its label names the evidence in a message's reason.
"""

from __future__ import annotations

# fmt: off
from bot.domain import Kind

J, H, G, O = Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER

# (kind, weight, label shown in reasons) for each phrase.
CUES: dict[str, tuple[Kind, float, str]] = {}


def _add(kind: Kind, weight: float, label: str, *phrases: str) -> None:
    for phrase in phrases:
        CUES[phrase] = (kind, weight, label)


# --- job posts: someone offers an opening ------------------------------------------------------
_add(J, 3.0, "hiring words", "hiring", "we are hiring", "we're hiring", "now hiring", "is hiring",
     "urgently hiring", "urgent hiring", "hiring for", "actively hiring", "hiring alert")
_add(J, 2.6, "an opening", "opening for", "openings for", "job opening", "urgent opening",
     "vacancy", "vacancies", "position open", "positions open", "open position", "open positions",
     "requirement for", "urgent requirement", "immediate requirement", "job alert", "new opening",
     "opening at", "opening in", "have an opening", "has an opening", "we have an opening",
     "immediate opening", "openings at", "walk in", "walk-in", "walkin", "opening hai",
     "ek opening", "vacancy hai", "opening", "openings", "requirement", "requirements", "cv bhejo", "pe bhejo", "saal exp", "can apply",
     "may apply", "should apply")
_add(J, 2.2, "a job description", "jd", "job description", "job title",
     "roles and responsibilities", "key responsibilities", "qualification", "qualifications", "job location", "job code", "job type", "employment type",
     "reporting to", "reports to", "immediate joiner", "immediate joiners", "early joiners",
     "interested candidates", "suitable candidates", "relevant candidates",
     "female candidate", "male candidate", "preferred candidate", "apply now", "apply at",
     "apply here", "apply via", "to apply", "apply on", "apply through")
_add(J, 2.4, "asks for CVs", "dm cv", "dm your cv", "dm me your cv", "send cv", "send your cv",
     "share cv", "share your cv", "share your resume", "send resume", "send your resume",
     "cv to", "resume to", "cvs to", "resumes to", "profiles to", "share profiles", "mail your cv",
     "email your cv", "whatsapp cv", "drop your cv", "drop cv", "forward cv", "forward your cv",
     "refer candidates", "share references", "references welcome", "referrals welcome",
     "send profiles", "share profile")
_add(J, 0.8, "pay and terms", "ctc", "lpa", "budget upto", "salary", "package", "designation",
     "notice period", "joiners", "candidates", "responsibilities")
_add(J, 2.4, "re-shares an opening", "still open", "re-sharing", "resharing", "reposting",
     "needed", "required", "wanted", "urgently required", "urgently needed")
_add(J, 2.6, "asks who wants the role", "open to a switch", "open to switch", "open for a switch",
     "open to a move", "open for a move", "open to move",
     "anyone interested", "any one interested", "anybody interested", "anyone looking for a change",
     "if interested", "interested can", "interested candidates can", "interested pls",
     "interested dm", "interested ping", "interested folks", "who is interested")
_add(J, 1.6, "looking to hire", "we are looking for", "we're looking for", "looking to hire",
     "is looking for", "are looking for a", "client is looking", "our client", "my client",
     "for our client", "leading company", "leading organisation",
     "leading organization", "mnc", "startup is looking", "team is looking")
_add(J, 0.6, "role details", "position", "experience", "exp", "location", "years of experience",
     "yrs of experience", "yrs exp", "years exp", "must have", "good to have", "preferred",
     "skills", "mandatory", "wfo", "work from office", "hybrid", "onsite", "on-site", "remote role",
     "full time", "full-time", "contract role", "freelance role", "part time role", "internship",
     "stipend", "freshers", "fresher")
_add(J, 0.5, "role titles", "recruiter", "hrbp", "executive", "manager", "specialist",
     "coordinator", "generalist", "intern", "head", "lead", "associate", "analyst", "consultant",
     "chro", "business partner", "talent acquisition", "ta", "payroll")

# --- help requests: the writer asks the group for something ------------------------------------
_add(H, 2.6, "asks the group", "can anyone", "can someone", "could anyone", "could someone",
     "does anyone", "does anybody", "anyone here", "anybody here", "anyone who", "anyone has",
     "anyone have", "anyone know", "anyone knows", "has anyone", "have any of you",
     "any of you", "can any1", "any1", "anyone with", "if anyone", "can you guys",
     "would anyone", "is there anyone", "someone who has", "anyone used", "anyone using",
     "anyone tried", "anyone worked", "anyone implemented")
_add(H, 2.6, "asks for suggestions", "any suggestions", "any suggestion", "please suggest",
     "pls suggest", "plz suggest", "kindly suggest", "suggest some", "suggest a", "suggest any",
     "any recommendations", "any recommendation", "recommend a", "recommend any", "any reco",
     "any recos", "reco for", "recommendations for", "any pointers", "any inputs",
     "your inputs", "need inputs", "need your inputs", "need advice", "need guidance",
     "seeking advice", "seeking guidance", "need help", "need some help", "help needed",
     "please help", "pls help", "plz help", "kindly help", "help me", "help with",
     "would appreciate", "will be grateful", "would be grateful", "grateful for any",
    "appreciate any", "any advice", "advise on", "please advise", "pls advise", "guide me",
     "what should i", "what should we", "how should i", "how should we", "how do i", "how do we",
     "how do you", "how are you handling", "how have you", "what's worked", "what has worked",
     "what worked for", "best way to", "is it mandatory", "is it legal", "is it allowed",
     "are we required", "do we need to", "is there a way", "what is the process",
     "what's the process", "any idea", "any ideas", "any clue", "anyone aware",
     "genuinely asking", "quick question", "quick q", "one more q", "a query", "my query",
     "query on", "query regarding", "doubt on", "doubt regarding", "clarification on")
_add(H, 2.6, "asks for a template or vendor", "share a template", "share template",
     "any template", "a template", "share a policy", "share policy", "share any", "share your",
     "sample policy", "policy template", "format for", "any format", "sample of",
     "looking for a vendor", "looking for vendor", "looking for an agency", "looking for agency",
     "looking for a trainer", "looking for trainer", "looking for a consultant",
     "looking for consultants", "looking for recommendations", "looking for suggestions",
     "looking for advice", "looking for inputs", "looking for a tool", "looking for software",
     "looking for a partner", "vendor for", "vendors for", "agency for", "agencies for",
     "trainer for", "recommend vendor", "good vendor", "reliable vendor", "any vendor",
     "any agency", "search firm", "bgv vendor", "introduce me", "introduction to",
     "connect me", "connect with", "intro to", "put me in touch", "mentor", "mentoring",
     "mentorship", "my survey", "survey for my", "fill a", "fill this", "fill the")
_add(H, 3.2, "looks for a job", "open to work", "opentowork", "open for opportunities",
     "open to opportunities", "open to new opportunities", "looking for a job",
     "looking for job", "looking for a new role", "looking for a role", "looking for roles",
     "looking for opportunities", "looking for an opportunity", "looking for new opportunities",
     "looking for a change", "looking for change", "seeking opportunities", "seeking a role",
     "seeking new", "job search", "any leads", "any lead", "leads for", "any openings",
     "any opening", "any openings for", "any references", "any referrals", "refer me",
     "referral for", "referral at", "referral in", "can someone refer", "anyone refer",
     "laid off", "layoff", "layoffs", "impacted by", "was impacted", "got impacted",
     "been impacted", "restructuring", "lost my job", "between jobs", "career break",
     "my friend", "for my friend", "my colleague", "my cousin", "my sister", "my brother",
     "my wife", "my husband", "on behalf of my", "actively looking", "immediately available",
     "available immediately", "serving notice", "job change", "next role", "new role",
     "looking at", "exploring", "open to", "considering a", "sharing my cv", "attaching my cv")
_add(H, 1.8, "asks how or what", "need a", "need an", "need some", "looking for a",
     "looking for an", "want to know", "wanted to know", "want to understand", "request",
     "requesting", "guide", "pls guide", "please guide", "kindly guide", "confused",
     "what is the", "what's the", "what are the", "how many", "how much", "which is better",
     "which one", "should i", "should we", "is there any", "do i need", "do we have to",
     "can we", "can i", "shall we", "how to", "where can i", "where do i", "who can",
     "who handles", "what do you", "what would you do", "did anyone", "has somebody",
     "any experience", "experience with", "anyone faced", "faced this", "struggling",
     "stuck", "urgent", "urgnt", "asap", "tmrw", "by tomorrow", "need to", "thanks in advance",
     "tia", "in advance", "reco", "recos", "recommendations", "pls share", "please share",
     "kindly share", "share names", "share contacts", "letter format", "any good", "good resources",
     "resources to", "how are you", "how is everyone", "how are others", "what do others",
     "market practice", "benchmark", "benchmarking", "what's the range", "typical")
_add(H, 2.4, "asks in Hinglish", "koi", "kisi", "kisi ke", "kisi ko", "help kar",
     "help karo", "help kare", "help karein", "bata", "batao", "bataye", "bataiye", "chahiye",
     "mil sakta", "mil sakti", "hai kya", "h kya", "kya koi", "kaise", "kaun", "pata hai",
     "janta hai", "jaanta", "share kar", "share karo", "bhej", "madad")

# --- gyaan: knowledge or opinion nobody asked for ----------------------------------------------
_add(G, 2.8, "a quote or thought", "thought of the day", "thought for the day", "quote of the day",
     "suvichar", "food for thought", "remember", "never forget", "always remember",
     "golden rules", "rules of", "lesson", "lessons", "things i learnt", "things i learned",
     "what i learnt", "what i learned", "i learnt", "i learned", "life lesson", "wisdom",
     "motivation", "motivational", "inspiration", "monday motivation", "mantra",
     "culture eats", "people leave managers", "leaders don't", "leaders do", "great leaders",
     "a good leader", "good leaders", "true leader", "leadership is", "leadership lesson",
     "hr is not", "hr is about", "hr should", "employees don't", "employees who",
     "reminder to self", "just saying", "let that sink in", "think about it", "agree",
     "what would you add", "would you add", "share your thoughts", "your thoughts", "thoughts",
     "unpopular opinion",
     "hot take", "tip", "tips", "quick tip", "pro tip", "trivia", "reminder", "gentle reminder",
     "daily reminder", "friendly reminder", "learnings", "takeaways", "key takeaway",
     "book recommendation", "reality check", "posting this for", "is free", "never", "always",
     "every", "stop calling", "trust me", "yaad rakhna", "sharing on behalf", "on behalf of our",
     "a great one", "the best", "the #1", "myth", "truth is", "the secret", "don't wait",
     "did you know", "fun fact", "important for", "note for", "for all young", "for all hr",
     "hr folks", "dear hr", "fellow hr", "be kind", "kindness", "respect", "culture",
     "retention tool", "employer brand", "soft skills", "storytelling", "mindset", "musing",
     "guess which", "guess what", "sunday read", "saturday read", "weekend read")
_add(G, 2.6, "an essay or announcement", "long post", "long post alert", "here's what",
     "nobody tells you", "what nobody tells", "happy to share that", "excited to share",
     "proud to share", "thrilled to share", "published", "kabhi socha", "socho", "reflect",
     "need to reflect", "all of us", "what's the point", "what is the point")
_add(G, 1.2, "forwarded text", "forwarded as received", "fwd as received", "as received")
_add(G, 2.6, "shares a read", "great read", "good read", "must read", "worth a read",
     "worth reading", "interesting read", "interesting article", "nice article", "article",
     "articles", "blog", "blog post", "newsletter", "podcast", "video", "watch this", "read this",
     "read more", "check out this", "sharing this", "sharing an", "sharing a", "sharing some",
     "sharing my", "new post", "my latest", "i wrote", "wrote about", "insightful",
     "report says", "study says", "research shows", "survey finds", "according to", "trends",
     "trend", "future of work", "ai will", "gen z", "quiet quitting", "free template",
     "no strings attached", "free resource", "free download", "download", "ebook", "e-book",
     "cheat sheet", "checklist", "infographic")
_add(G, 2.8, "promotes an event or service", "webinar", "register now", "register here",
     "registration", "registrations", "register", "masterclass", "workshop", "bootcamp",
     "certification", "certificate program", "course", "cohort", "enrol", "enroll",
     "enrolment", "enrollment", "limited seats", "seats left", "free session", "live session",
     "join us", "join me", "join our", "speaker", "panel discussion", "summit", "conclave",
     "conference", "early bird", "discount", "use code", "we provide", "we offer",
     "we help companies", "we help organisations", "we help organizations", "our services",
     "our solution", "our platform", "our product", "book a demo", "free demo", "demo",
     "per closure", "closure fee", "fee", "retainer", "contact us", "reach out to us",
     "dm for details", "dm for terms", "dm me for terms", "dm for more", "i can close",
     "can close your", "close your positions", "close your", "outsourcing", "at nominal cost",
     "affordable", "best price", "pricing")

# --- other: greetings, thanks, replies, admin notices ----------------------------------------
_add(O, 2.6, "a greeting or wish", "good morning", "gm", "good night", "good evening",
     "good afternoon", "shubh prabhat", "happy diwali", "happy holi", "happy new year",
     "happy birthday", "happy anniversary", "eid mubarak", "merry christmas", "happy pongal",
     "happy onam", "happy dussehra", "happy navratri", "happy independence", "happy republic",
     "happy weekend", "happy friday", "happy monday", "happy women's", "congratulations",
     "congrats", "congratulation", "many congratulations", "best wishes", "all the best",
     "good luck", "well done", "welcome", "welcome aboard", "welcome to the group",
     "get well soon", "rip", "condolences", "om shanti", "hi all", "hello all", "hello everyone",
     "hi everyone", "namaste")
_add(O, 2.8, "thanks or a short reaction", "thanks", "thank you", "thanku", "thx", "tysm",
     "thanks a lot", "many thanks", "thanks all", "thank you all", "that helped", "very helpful",
     "so helpful", "helpful", "noted", "sure", "ok", "okay", "great", "super", "awesome",
     "following", "same here", "same question", "same query", "interested", "plus one",
     "agreed", "true", "so true", "well said", "spot on", "exactly", "absolutely", "indeed",
     "sorted", "resolved", "got it", "done")
_add(O, 2.2, "answers someone", "we use", "we used", "we follow", "we did", "in our org", "in our company", "at our org", "at my last", "you can",
     "you could", "you may", "you should", "you need to", "you will need", "check this", "check out", "i'd suggest", "i would suggest", "i suggest",
     "i recommend", "i'd recommend", "would recommend", "in my experience", "from my experience",
     "dm me", "ping me", "call me", "inbox me", "i can refer", "i can help", "happy to help",
     "happy to connect", "happy to share", "will share", "will dm", "sharing ours",
     "sharing on dm", "here's ours", "here is ours", "here's what", "here is what", "it depends", "the rule is",
     "looping in", "+1 to", "replied", "re the", "re:",
     "refer to", "connect with her", "connect with him", "will connect",
     "he can help", "she can help", "they can help", "what is the budget",
     "what's the budget", "budget for this", "is this remote", "is this wfh", "is it remote",
     "is it wfh", "this role", "this position", "this opening", "still open", "is this still",
     "tagging")
_add(O, 4.5, "a bump of an earlier request", "any help on this", "any help on the above",
     "bumping", "bump", "any update", "any updates", "reminder on this", "gentle reminder on",
     "reminder on my", "on my note above", "on my query above", "my query above",
     "update on my query", "update on my", "sorted now", "sorted for now", "got it sorted",
     "got help", "thanks anyway")
_add(O, 3.2, "answers a question about a post", "you shared", "you posted", "your post",
     "the jd you", "the role you", "in the post", "yes it's", "yes it is", "yes its", "hope that helps",
     "hope this helps", "hth", "totally agree", "agree with your", "your point", "well put",
     "rsvp", "meetup", "pinned", "group description", "glad to be part of", "part of this community",
     "part of this group")
_add(O, 4.0, "a system notice", "end-to-end encrypted", "messages and calls are",
     "tap to learn more", "changed the group", "changed this group's", "joined using",
     "this message was deleted")
_add(O, 2.6, "an admin notice or introduction", "admin", "group rules", "group rule",
     "rules of this group", "please cooperate", "pls cooperate", "kindly cooperate",
     "please avoid", "pls avoid", "kindly avoid", "not allowed", "only on", "this group is",
     "group is for", "will be removed", "strictly", "happy to be here", "glad to be here",
     "glad to be part", "thanks for adding", "thank you for adding", "introduce myself",
     "introducing myself", "a bit about me", "looking forward to learning",
     "looking forward to connecting", "excited to be", "new here", "joined today")
