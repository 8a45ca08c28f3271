"""The Django project behind testing/oidc_provider.py (see there). It is named certwatch_op, not
oidc_provider, because that name belongs to the django-oidc-provider package it serves."""
