"""The word lists reply reading weighs by: words that carry no advice, words too common in HR
chat to tie a reply to one request, and the suffixes stems drop."""

from __future__ import annotations


def vocabulary(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


# Words that carry no advice: function words, pleasantries, reactions, Hinglish fillers.
FILLER = vocabulary(
    """
    a an the and or but so to of in on at for from with by as is are was were be been am it its
    this that these those there here i me my we us our you your he she they them their his her
    do does did done have has had will would can could shall should may might must not no yes yeah
    ok okay okk k hmm sure all everyone everybody anyone anybody someone friends folks team group
    members guys people sir madam maam ji bhai dada didi di bro dear hi hello hey hii namaste
    thanks thank thx thnx thanx tq ty thankyou thanku much lot ton tons very so really too also
    again well just only still now soon please pls plz kindly share shared sharing send sent
    following follow follows followed interested interest keen know knowing same question questions
    query queries doubt issue problem here too me plus one +1 good great nice awesome super
    wonderful amazing lovely excellent helpful useful insightful informative valuable brilliant
    best wishes wish luck congrats congratulations congratulation welcome morning evening night
    afternoon day days week weekend happy blessed productive wonderful festival diwali holi eid
    mubarak christmas navratri pongal onam new year gm gn sweet rest have enjoy celebrating
    everyone's family journey cheers love agree agreed true point noted saving saved bookmark
    bookmarked registered joined tagging tag tagged looping loop cc paging who may know knows
    help helping any update updates bump bumping up reminder gentle note above anyone's dm dms dming
    dm'd pm inbox check checked checking will cv resume mailed mail id sorry wrong chat haan ha
    ye yeh hai hain bhi humare hamare yahan wahan arre arey waah wah badhai shukriya dhanyavad
    bahut accha acha sahi baat kya nahi toh ho gaya hua ke ki ka mein mere liye what how why when
    where which whom whose if then than about into over after before via etc
    """
    # Hindi written in Latin letters: its function words say as little as English ones.
    """
    aur ek ki ka ke ko se me par pe tha thi ho hota hoti hote hoga hogi honge koi kuch kaun
    kaise kaisa kitna kitne kab kahan kyun kyunki woh wo voh hum humara hamara aap aapka aapki
    aapke apna apni apne main mujhe mera meri tum tumhara nahin na sab sabko sabka sabke sabhi
    kar karna karein karo karte karta karti karega karenge kiya kiye raha rahi rahe gayi wala
    wali wale waale abhi phir lekin agar jab tab thoda hoon hu hun diya dena de dete deti lena
    le lete chahiye sakte sakta sakti pata wahi yahi usko isko iska uska unka inka iss uss ab
    bas yaar isme ismein usme usmein chalana chalega chalta chal
    """
)

# Suffixes `stem` drops, longest first.
STEM_SUFFIXES = (
    "ingly",
    "ations",
    "ation",
    "ments",
    "ment",
    "ships",
    "ship",
    "ness",
    "ings",
    "ing",
    "ers",
    "ly",
    "ed",
    "es",
    "er",
    "s",
)
# Words too common in HR chat to tie a reply to one request.
GENERIC = vocabulary(
    """
    hr any anyone can someone our pls company companies co org organisation organization firm
    year years yr yrs month months next last time people employee employees staff work working
    new old get got make made need needs needed want looking look like think one two first
    lead leads role roles job jobs also other others thing things way ways let lets share
    nobody nothing none something anything everything somebody anywhere somewhere everywhere
    recommend recommends recommendation recommendations suggest suggestion suggestions advice
    jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december
    """
)
STOP_FOR_TOPIC = FILLER | GENERIC
