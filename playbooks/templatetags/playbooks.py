"""`{% load playbooks %}`: a task's evidence as sentences in the reader's language."""

from typing import Any

from django import template

from playbooks.messages import evidence_sentences

register = template.Library()


@register.filter
def task_evidence(evidence: dict[str, Any]) -> list[str]:
    return evidence_sentences(evidence)
