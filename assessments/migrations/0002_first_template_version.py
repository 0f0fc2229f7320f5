"""Version 1 of the ten questions, in English and Hebrew, and the settings row.

Default weights (only 1-5 scale questions count): Q3 1, Q4 1, Q5 3, Q6 2, Q7 2, Q8 2, Q10 1.
The data lives here, not imported from the app, so this migration never changes later.
"""

from decimal import Decimal

from django.db import migrations

SCALE, MONEY, MONTHS, YES_NO_COUNT = "scale", "money", "months", "yes_no_count"

# (number, kind, weight, text_en, text_he, help_en, help_he, labels_en, labels_he)
QUESTIONS = [
    (
        1, YES_NO_COUNT, "0",
        "How many strategic customers do you personally manage, and is this customer one of them?",
        "כמה לקוחות אסטרטגיים אתה מנהל באופן אישי, והאם הלקוח הזה הוא אחד מהם?",
        "Count the customers you manage yourself that you consider strategic, then say whether "
        "this one is among them.",
        "ספור את הלקוחות שאתה מנהל בעצמך ונחשבים בעיניך אסטרטגיים, וציין אם הלקוח הזה נמנה עליהם.",
        None, None,
    ),
    (
        2, MONEY, "0",
        "What does this customer contribute to our revenue and to our profit over 1, 5 and 10 "
        "years?",
        "מה תרומת הלקוח להכנסות ולרווח של החברה בטווח של שנה, 5 שנים ו-10 שנים?",
        "Your estimate. The order history's figures are shown beside the question; 10 years is "
        "a forecast.",
        "הערכתך. הנתונים מהיסטוריית ההזמנות מוצגים לצד השאלה; 10 שנים הן תחזית.",
        None, None,
    ),
    (
        3, SCALE, "1",
        "What does the company do, and spend, to keep this customer?",
        "מה החברה עושה, וכמה היא משקיעה, כדי לשמר את הלקוח?",
        "Describe the effort and its cost in the note.",
        "תאר בהערה את המאמץ ואת עלותו.",
        ["Nothing special", "A little", "Regular service", "Dedicated effort",
         "Tailored investment"],
        ["שום דבר מיוחד", "מעט", "שירות רגיל", "מאמץ ייעודי", "השקעה מותאמת אישית"],
    ),
    (
        4, SCALE, "1",
        "Do the customer's purchases grow year on year, or are orders split among suppliers?",
        "האם רכישות הלקוח גדלות משנה לשנה, או שההזמנות מתפצלות בין כמה ספקים?",
        "Compare with the order history shown beside the question.",
        "השווה להיסטוריית ההזמנות המוצגת לצד השאלה.",
        ["Falling; most orders go to others", "Falling or split", "Flat", "Growing",
         "Growing strongly; we are the main supplier"],
        ["יורדות; רוב ההזמנות הולכות לאחרים", "יורדות או מתפצלות", "יציבות", "גדלות",
         "גדלות בחדות; אנחנו הספק העיקרי"],
    ),
    (
        5, SCALE, "3",
        "How good is the relationship: does the customer see you as a supplier or as a business "
        "partner?",
        "עד כמה הקשר טוב: האם הלקוח רואה בך ספק או שותף עסקי?",
        "",
        "",
        ["A supplier", "A preferred supplier", "A trusted supplier", "An adviser",
         "A business partner"],
        ["ספק", "ספק מועדף", "ספק אמין", "יועץ", "שותף עסקי"],
    ),
    (
        6, SCALE, "2",
        "Does the customer share problems, dilemmas, growth plans, even personal matters with "
        "you?",
        "האם הלקוח משתף אותך בבעיות, בדילמות, בתוכניות צמיחה ואפילו בעניינים אישיים?",
        "",
        "",
        ["Never", "Rarely", "Sometimes", "Often", "Openly, even personal matters"],
        ["אף פעם", "לעיתים רחוקות", "לפעמים", "לעיתים קרובות", "בגלוי, אפילו עניינים אישיים"],
    ),
    (
        7, SCALE, "2",
        "Do you always resolve the customer's problems with the company in the fastest, best "
        "way?",
        "האם אתה תמיד פותר את בעיות הלקוח מול החברה בדרך המהירה והטובה ביותר?",
        "",
        "",
        ["Rarely", "Slowly, with difficulty", "Usually", "Almost always, quickly",
         "Always, fast and well"],
        ["לעיתים רחוקות", "באיטיות ובקושי", "בדרך כלל", "כמעט תמיד, ובמהירות", "תמיד, מהר והיטב"],
    ),
    (
        8, SCALE, "2",
        "Does the customer come away with a good feeling after you help, or with some anger at "
        "the company?",
        "האם הלקוח יוצא בתחושה טובה אחרי שעזרת לו, או עם כעס מסוים על החברה?",
        "",
        "",
        ["Angry", "Somewhat dissatisfied", "Neutral", "Satisfied", "A very good feeling"],
        ["כועס", "לא מרוצה במידה מסוימת", "ניטרלי", "מרוצה", "תחושה טובה מאוד"],
    ),
    (
        9, MONTHS, "0",
        "If this customer left, how long would it take to win a similar one?",
        "אם הלקוח יעזוב, כמה זמן ייקח לזכות בלקוח דומה?",
        "In months.",
        "בחודשים.",
        None, None,
    ),
    (
        10, SCALE, "1",
        "How much would losing this customer hurt the company's results?",
        "עד כמה אובדן הלקוח יפגע בתוצאות החברה?",
        "",
        "",
        ["Hardly at all", "A little", "Noticeably", "Seriously", "Severely"],
        ["כמעט לא", "מעט", "באופן מורגש", "באופן משמעותי", "באופן חמור"],
    ),
]


def create_version_1(apps, schema_editor):
    TemplateVersion = apps.get_model("assessments", "TemplateVersion")
    Question = apps.get_model("assessments", "Question")
    AssessmentSettings = apps.get_model("assessments", "AssessmentSettings")
    AssessmentSettings.objects.get_or_create(pk=1)
    version, created = TemplateVersion.objects.get_or_create(
        number=1, defaults={"note": "The ten questions"}
    )
    if not created:
        return
    for number, kind, weight, text_en, text_he, help_en, help_he, labels_en, labels_he in QUESTIONS:
        labels = {}
        for point, (en, he) in enumerate(zip(labels_en or [""] * 5, labels_he or [""] * 5), 1):
            labels[f"label_{point}_en"] = en
            labels[f"label_{point}_he"] = he
        Question.objects.create(
            version=version, number=number, kind=kind, weight=Decimal(weight),
            text_en=text_en, text_he=text_he, help_en=help_en, help_he=help_he, **labels,
        )


def remove_version_1(apps, schema_editor):
    TemplateVersion = apps.get_model("assessments", "TemplateVersion")
    TemplateVersion.objects.filter(number=1, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, remove_version_1)]
