"""factory-boy factories for the core models. Keep them minimal: tests state what matters."""

import datetime as dt
from decimal import Decimal

import factory

from accounts.models import Account, AccountEvent, Channel, Contact, EventKind, Order
from users.models import Language, Role, Team, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ACCOUNT_MANAGER
    language = Language.ENGLISH
    password = factory.django.Password("pw")


class SalesManagerFactory(UserFactory):
    role = Role.SALES_MANAGER


class AdminFactory(UserFactory):
    role = Role.ADMIN


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    manager = factory.SubFactory(SalesManagerFactory)


class AccountManagerFactory(UserFactory):
    role = Role.ACCOUNT_MANAGER
    team = factory.SubFactory(TeamFactory)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    industry = "Manufacturing"
    owner = factory.SubFactory(AccountManagerFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    is_primary = False


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    external_ref = factory.Sequence(lambda n: f"O{n:08d}")
    account = factory.SubFactory(AccountFactory)
    ordered_on = dt.date(2026, 1, 15)
    channel = Channel.PHONE
    revenue = Decimal("1000.00")
    gross_profit = Decimal("250.00")


class AccountEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountEvent

    account = factory.SubFactory(AccountFactory)
    kind = EventKind.NOTE
    occurred_on = dt.date(2026, 1, 15)
    text = "Met the buyer."
