"""Fixed vocabularies the demo draws from: names, industries, categories, event texts.

Data only. Tuples (never sets), so that every draw is reproducible.
Hebrew entries carry a Latin spelling for e-mail addresses.
"""

from accounts.models import Channel

# (industry, English company word, Hebrew company word)
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("Manufacturing", "Industries", "תעשיות"),
    ("Food & beverage", "Foods", "מזון"),
    ("Construction", "Building", "בנייה"),
    ("Healthcare", "Medical", "רפואה"),
    ("Logistics", "Logistics", "לוגיסטיקה"),
    ("Retail", "Stores", "רשתות שיווק"),
    ("Electronics", "Electronics", "אלקטרוניקה"),
    ("Chemicals", "Chemicals", "כימיקלים"),
    ("Agriculture", "Agro", "חקלאות"),
    ("Hospitality", "Hotels", "מלונאות"),
    ("Automotive", "Motors", "רכב"),
    ("Energy", "Energy", "אנרגיה"),
)

EN_STEMS: tuple[str, ...] = (
    "Apex", "Harbor", "Meridian", "Summit", "Cedar", "Atlas", "Northgate", "Bluewater",
    "Ironwood", "Keystone", "Redline", "Silverline", "Orion", "Beacon", "Crescent", "Pinnacle",
    "Riverside", "Granite", "Horizon", "Evergreen", "Lighthouse", "Cornerstone", "Westbrook",
    "Falcon", "Sterling", "Oakridge", "Trident", "Vanguard", "Zenith", "Mariner",
)  # fmt: skip

# (Hebrew, Latin)
HE_STEMS: tuple[tuple[str, str], ...] = (
    ("אלון", "alon"), ("גלבוע", "gilboa"), ("כרמל", "carmel"), ("תבור", "tavor"),
    ("שקד", "shaked"), ("ארז", "erez"), ("דקל", "dekel"), ("רימון", "rimon"),
    ("אופק", "ofek"), ("מעיין", "maayan"), ("נחשון", "nachshon"), ("חרמון", "hermon"),
    ("ירדן", "yarden"), ("גפן", "gefen"), ("זית", "zait"), ("ברוש", "brosh"),
    ("אשל", "eshel"), ("יהלום", "yahalom"), ("שחר", "shahar"), ("נוף", "nof"),
    ("פסגה", "pisga"), ("אורן", "oren"), ("תמר", "tamar"), ("רקפת", "rakefet"),
    ("סלע", "sela"), ("מגדל", "migdal"), ("קשת", "keshet"), ("עמק", "emek"),
    ("צור", "tzur"), ("לביא", "lavi"),
)  # fmt: skip

# (English, Hebrew): with the stem, the industry word and the legal form, a place name makes
# most company names unique at demo sizes.
PLACES: tuple[tuple[str, str], ...] = (
    ("Haifa", "חיפה"), ("Galilee", "גליל"), ("Negev", "נגב"), ("Sharon", "שרון"),
    ("Ashdod", "אשדוד"), ("Jerusalem", "ירושלים"), ("Tel Aviv", "תל אביב"), ("Eilat", "אילת"),
    ("Caesarea", "קיסריה"), ("Modiin", "מודיעין"), ("Netanya", "נתניה"), ("Rehovot", "רחובות"),
)  # fmt: skip

# (English, Hebrew): the end of a company name.
LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("Ltd", "בע״מ"),
    ("Group Ltd", "גרופ בע״מ"),
    ("Trading Ltd", "סחר בע״מ"),
    ("Holdings Ltd", "החזקות בע״מ"),
    ("& Co. Ltd", "ושות׳ בע״מ"),
)

HE_FIRST: tuple[tuple[str, str], ...] = (
    ("יוסי", "yossi"), ("מיכל", "michal"), ("אבי", "avi"), ("נועה", "noa"), ("רונית", "ronit"),
    ("דוד", "david"), ("שירה", "shira"), ("איתי", "itai"), ("טל", "tal"), ("אורית", "orit"),
    ("עומר", "omer"), ("ליאת", "liat"), ("משה", "moshe"), ("יעל", "yael"), ("גיל", "gil"),
    ("הילה", "hila"), ("אלון", "alon"), ("ענבל", "inbal"), ("רועי", "roi"), ("קרן", "keren"),
)  # fmt: skip
HE_LAST: tuple[tuple[str, str], ...] = (
    ("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi"), ("פרץ", "peretz"),
    ("ביטון", "biton"), ("אברהם", "avraham"), ("פרידמן", "friedman"), ("שפירא", "shapira"),
    ("אזולאי", "azulay"), ("גולדברג", "goldberg"), ("דהן", "dahan"), ("אוחיון", "ohayon"),
    ("ברק", "barak"), ("רוזן", "rosen"), ("קליין", "klein"), ("שלום", "shalom"),
)  # fmt: skip
EN_FIRST: tuple[str, ...] = (
    "Daniel", "Sarah", "Michael", "Rachel", "Jonathan", "Emma", "David", "Olivia", "Adam",
    "Hannah", "Benjamin", "Laura", "Nathan", "Claire", "Simon", "Julia", "Aaron", "Naomi",
)  # fmt: skip
EN_LAST: tuple[str, ...] = (
    "Miller", "Goldman", "Carter", "Brooks", "Weiss", "Harris", "Bennett", "Reed", "Foster",
    "Hayes", "Morgan", "Klein", "Porter", "Sullivan", "Grant", "Shaw",
)  # fmt: skip

# (English title, Hebrew title); the first is the usual primary contact.
TITLES: tuple[tuple[str, str], ...] = (
    ("Purchasing manager", "מנהל/ת רכש"),
    ("Procurement officer", "קניין/ית"),
    ("Operations manager", "מנהל/ת תפעול"),
    ("CFO", "סמנכ״ל/ית כספים"),
    ("CEO", "מנכ״ל/ית"),
    ("Logistics manager", "מנהל/ת לוגיסטיקה"),
    ("Maintenance manager", "מנהל/ת אחזקה"),
)

PRODUCT_CATEGORIES: tuple[str, ...] = (
    "Raw materials",
    "Packaging",
    "Spare parts",
    "Tools",
    "Safety equipment",
    "Electrical",
    "Fasteners",
    "Lubricants",
    "Cleaning supplies",
    "Maintenance services",
)

# Every Channel value, with a typical share; each account reweights them.
CHANNEL_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Channel.PHONE.value, 25.0),
    (Channel.MESSAGE.value, 20.0),
    (Channel.WEBSITE.value, 15.0),
    (Channel.FIELD_SALES.value, 14.0),
    (Channel.SMS.value, 8.0),
    (Channel.SERVICE_DESK.value, 8.0),
    (Channel.TECHNICAL.value, 6.0),
    (Channel.OTHER.value, 4.0),
)

# Event texts as the account manager would type them, by language: (English, Hebrew).
COMPLAINT_TEXTS: tuple[tuple[str, str], ...] = (
    ("Late delivery for the second time this quarter.", "איחור באספקה בפעם השנייה ברבעון."),
    ("Wrong items shipped; customer had to return them.", "נשלחו פריטים שגויים; הלקוח החזיר."),
    ("Invoice disputes are taking too long to resolve.", "בירור חשבוניות נמשך זמן רב מדי."),
    ("Quality problem in the last batch.", "בעיית איכות במשלוח האחרון."),
    ("Service desk did not call back.", "מוקד השירות לא חזר ללקוח."),
)
PRICE_COMPLAINT: tuple[str, str] = (
    "Says our prices are higher than the market.",
    "טוען שהמחירים שלנו גבוהים מהשוק.",
)
COMPETITOR_TEXTS: tuple[tuple[str, str], ...] = (
    ("Competitor offered {pct}% lower prices.", "מתחרה הציע מחיר נמוך ב-{pct}%."),
    ("Buyer met a competitor's sales rep.", "הקניין נפגש עם נציג של מתחרה."),
    ("Part of the volume moved to a competitor.", "חלק מההיקף עבר למתחרה."),
    ("Competitor trial order spotted on site.", "נראתה הזמנת ניסיון של מתחרה באתר."),
)
NOTE_TEXTS: tuple[tuple[str, str], ...] = (
    ("Quarterly review meeting held.", "התקיימה פגישת סקירה רבעונית."),
    ("Discussed next year's plans.", "שוחחנו על התוכניות לשנה הבאה."),
    ("Visited the plant; good atmosphere.", "ביקור במפעל; אווירה טובה."),
    ("Sent updated catalogue.", "נשלח קטלוג מעודכן."),
    ("Customer asked about new product lines.", "הלקוח שאל על קווי מוצרים חדשים."),
)
ORG_CHANGE_TEXT: tuple[str, str] = (
    "{old} left; {new} is the new {title}.",
    "{old} עזב/ה; {new} החליף/ה בתפקיד {title}.",
)
SATISFACTION_TEXT: tuple[str, str] = ("Satisfaction survey.", "סקר שביעות רצון.")

# Relationship-assessment notes, by how the relationship stands: (English, Hebrew).
ASSESSMENT_NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "good": (
        (
            "Monthly visits; they call us first with new projects.",
            "ביקור חודשי; פונים אלינו ראשונים בפרויקטים חדשים.",
        ),
        ("Joint planning for next year's volumes.", "תכנון משותף של ההיקפים לשנה הבאה."),
        (
            "Dedicated stock kept for them; the buyer appreciates it.",
            "מלאי ייעודי נשמר עבורם; הקניין מעריך זאת.",
        ),
    ),
    "mixed": (
        (
            "Regular service; they still ask other suppliers for quotes.",
            "שירות רגיל; עדיין מבקשים הצעות מספקים אחרים.",
        ),
        ("Relationship is fine but mostly about price.", "הקשר תקין אבל סובב בעיקר סביב מחיר."),
    ),
    "bad": (
        ("Complaints not resolved; the buyer is frustrated.", "תלונות לא נפתרו; הקניין מתוסכל."),
        ("They stopped sharing plans with us.", "הפסיקו לשתף אותנו בתוכניות."),
        (
            "Competitor is in; we are losing the larger orders.",
            "מתחרה נכנס; אנחנו מאבדים את ההזמנות הגדולות.",
        ),
    ),
}
# Question 4 answered "growing" by an account manager who has not looked at the orders.
OPTIMIST_NOTE: tuple[str, str] = (
    "The buyer promised bigger orders next year.",
    "הקניין הבטיח הזמנות גדולות יותר בשנה הבאה.",
)
