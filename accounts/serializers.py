"""Read-only representations of customer accounts for the API."""

from rest_framework import serializers

from accounts.models import Account


class AccountSerializer(serializers.ModelSerializer):
    owner_username = serializers.CharField(source="owner.username", read_only=True, default=None)

    class Meta:
        model = Account
        fields = [
            "id",
            "external_id",
            "name",
            "industry",
            "owner_username",
            "status",
            "purchasing_potential",
        ]
        read_only_fields = fields
