"""The playbooks the portal ships with (issue 10), editable at /playbooks/ afterwards."""

from django.db import migrations

DEFAULTS = [
    {
        "trigger": "flag_raised",
        "trigger_flag": "overdue",
        "title_en": "Call the buyer",
        "title_he": "להתקשר לקניין",
        "text_en": (
            "The customer is later than usual with its next order. Call the buyer: ask how "
            "things are going, whether anything has changed, and what they need next."
        ),
        "text_he": (
            "הלקוח מאחר מהרגיל בהזמנה הבאה. התקשרו לקניין: שאלו מה שלומו, האם משהו השתנה "
            "ומה הוא צריך בהמשך."
        ),
        "due_in_days": 5,
        "assignee": "owner",
        "priority": "high",
    },
    {
        "trigger": "flag_raised",
        "trigger_flag": "competitor",
        "title_en": "Meet the customer about the competitor",
        "title_he": "לקבוע פגישה עם הלקוח בעניין המתחרה",
        "text_en": (
            "A competitor is active at this customer. Arrange a meeting: hear what they were "
            "offered and show what we do better."
        ),
        "text_he": (
            "מתחרה פעיל אצל הלקוח. קבעו פגישה: שמעו מה הוצע לו והראו במה אנחנו טובים יותר."
        ),
        "due_in_days": 14,
        "assignee": "owner",
        "priority": "high",
    },
    {
        "trigger": "level_high",
        "programme_only": True,
        "title_en": "Review this key account's churn risk",
        "title_he": "לבחון את סיכון הנטישה של לקוח המפתח",
        "text_en": (
            "A key account's churn risk became high. Go over its flags with the account "
            "manager and agree on what to do."
        ),
        "text_he": (
            "סיכון הנטישה של לקוח מפתח עלה לגבוה. עברו על הדגלים שלו עם מנהל הלקוח וסכמו "
            "מה עושים."
        ),
        "due_in_days": 7,
        "assignee": "sales_manager",
        "priority": "high",
    },
    {
        "trigger": "assessment_overdue",
        "title_en": "Fill in the relationship assessment",
        "title_he": "למלא את הערכת הקשר",
        "text_en": "This key account's relationship assessment is overdue: answer the ten questions.",
        "text_he": "הערכת הקשר של לקוח המפתח באיחור: ענו על עשר השאלות.",
        "due_in_days": 14,
        "assignee": "owner",
        "priority": "normal",
    },
    {
        "trigger": "perception_gap",
        "title_en": "Go over the assessment answer with your sales manager",
        "title_he": "לעבור על התשובה בהערכה עם מנהל המכירות",
        "text_en": (
            "Your answer about the customer's purchases and its orders disagree. Go over the "
            "answer with your sales manager."
        ),
        "text_he": (
            "התשובה שלך על רכישות הלקוח וההזמנות שלו אינן מתיישבות. עברו על התשובה עם מנהל "
            "המכירות."
        ),
        "due_in_days": 14,
        "assignee": "owner",
        "priority": "normal",
    },
]


def create_defaults(apps, schema_editor):
    Playbook = apps.get_model("playbooks", "Playbook")
    for fields in DEFAULTS:
        key = {k: fields.get(k, "") for k in ("trigger", "trigger_flag", "title_en")}
        Playbook.objects.get_or_create(**key, defaults=fields)


def remove_defaults(apps, schema_editor):
    Playbook = apps.get_model("playbooks", "Playbook")
    for fields in DEFAULTS:
        Playbook.objects.filter(title_en=fields["title_en"], tasks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
