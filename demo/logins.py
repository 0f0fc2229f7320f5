"""The demo logins: who they are, which team, which language."""

from dataclasses import dataclass

from users.models import Language, Role

DEFAULT_PASSWORD = "kam-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    language: str
    team: str | None = None  # the team an account manager belongs to
    leads: str | None = None  # the team a sales manager leads


# Sales managers first: teams need them, and account managers need the teams.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "Maya", "Stern", Role.ADMIN, Language.ENGLISH),
    DemoLogin("manager", "דנה", "כהן", Role.SALES_MANAGER, Language.HEBREW, leads="North"),
    DemoLogin(
        "manager2", "Rachel", "Friedman", Role.SALES_MANAGER, Language.ENGLISH, leads="South"
    ),
    DemoLogin("am1", "יוסי", "לוי", Role.ACCOUNT_MANAGER, Language.HEBREW, team="North"),
    DemoLogin("am2", "Daniel", "Weiss", Role.ACCOUNT_MANAGER, Language.ENGLISH, team="North"),
    DemoLogin("am3", "Noam", "Barak", Role.ACCOUNT_MANAGER, Language.ENGLISH, team="South"),
)

ACCOUNT_MANAGERS: tuple[str, ...] = ("am1", "am2", "am3")
# Who may join whose account team: colleagues in the same team.
TEAMMATE: dict[str, str] = {"am1": "am2", "am2": "am1"}
LANGUAGE_OF: dict[str, str] = {login.username: login.language for login in DEMO_LOGINS}
